// The report's folder (report_folder.cpp): files are staged in a hidden folder inside it and appear only at
// commit(), replacing an older report's; a report dropped before commit() leaves nothing (not even the folder it
// created); a path that is a file, or a folder that cannot be written, is refused naming it.
#include "report_folder.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test_folder.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The names directly in `dir`.
std::vector<std::string> entries(const fs::path& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ReportFolder, FilesAppearOnlyAtCommit) {
  gt::testing::TestFolder tmp("report_folder");
  const fs::path dir = tmp.dir() / "out" / "nested";
  auto folder = ReportFolder::open(dir.string());
  ASSERT_TRUE(folder) << folder.status().message();
  EXPECT_TRUE(fs::is_directory(dir));
  // The staging folder is inside the report's folder (one file system: commit renames), hidden, named by the pid.
  EXPECT_EQ(fs::path((*folder)->staging()).parent_path(), dir);
  EXPECT_EQ(fs::path((*folder)->staging()).filename().string(), ".report-partial-" + std::to_string(::getpid()));
  ASSERT_TRUE((*folder)->write("indicators.csv", "a,b\r\n"));
  ASSERT_TRUE((*folder)->write("images/trend_01.png", "png"));
  ASSERT_TRUE((*folder)->write("report.html", "<html>"));
  // Nothing of the report is visible yet: only the staging folder.
  EXPECT_EQ(entries(dir), (std::vector<std::string>{fs::path((*folder)->staging()).filename().string()}));

  ASSERT_TRUE((*folder)->commit());
  EXPECT_EQ(entries(dir), (std::vector<std::string>{"images", "indicators.csv", "report.html"}));
  EXPECT_EQ(readFile(dir / "indicators.csv"), "a,b\r\n");
  EXPECT_EQ(readFile(dir / "images" / "trend_01.png"), "png");
  EXPECT_EQ(readFile(dir / "report.html"), "<html>");
  folder->reset();
  EXPECT_TRUE(fs::exists(dir / "report.html"));  // a committed report stays
}

TEST(ReportFolder, ANewReportReplacesTheOldFilesAndKeepsOthers) {
  gt::testing::TestFolder tmp("report_folder");
  const fs::path dir = tmp.dir();
  std::ofstream(dir / "report.html") << "old report";
  std::ofstream(dir / "notes.txt") << "the user's";
  {
    auto folder = ReportFolder::open(dir.string());
    ASSERT_TRUE(folder);
    ASSERT_TRUE((*folder)->write("report.html", "new report"));
    // Until commit the old report is whole.
    EXPECT_EQ(readFile(dir / "report.html"), "old report");
    ASSERT_TRUE((*folder)->commit());
  }
  EXPECT_EQ(readFile(dir / "report.html"), "new report");
  EXPECT_EQ(readFile(dir / "notes.txt"), "the user's");
  EXPECT_EQ(entries(dir), (std::vector<std::string>{"notes.txt", "report.html"}));  // no staging folder left
}

TEST(ReportFolder, DroppedBeforeCommitLeavesNothing) {
  gt::testing::TestFolder tmp("report_folder");
  // A folder open() created goes with the report.
  const fs::path created = tmp.dir() / "new";
  {
    auto folder = ReportFolder::open(created.string());
    ASSERT_TRUE(folder);
    ASSERT_TRUE((*folder)->write("indicators.csv", "x"));
  }
  EXPECT_FALSE(fs::exists(created));
  // A folder that was there stays, as it was (an older report untouched).
  const fs::path existing = tmp.dir() / "old";
  fs::create_directories(existing);
  std::ofstream(existing / "report.html") << "old report";
  {
    auto folder = ReportFolder::open(existing.string());
    ASSERT_TRUE(folder);
    ASSERT_TRUE((*folder)->write("report.html", "half"));
  }
  EXPECT_EQ(entries(existing), (std::vector<std::string>{"report.html"}));
  EXPECT_EQ(readFile(existing / "report.html"), "old report");
}

TEST(ReportFolder, AFileIsRefusedByName) {
  gt::testing::TestFolder tmp("report_folder");
  const fs::path file = tmp.dir() / "a-file";
  std::ofstream(file) << "x";
  auto onFile = ReportFolder::open(file.string());
  ASSERT_FALSE(onFile);
  EXPECT_EQ(onFile.status().code(), ErrorCode::IoError);
  EXPECT_EQ(onFile.status().message(), "'" + file.string() + "' exists and is not a folder");

  auto empty = ReportFolder::open("");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.status().code(), ErrorCode::InvalidArgument);

}

TEST(ReportFolder, AnUnwritableFolderIsRefusedByName) {
  if (::geteuid() == 0) GTEST_SKIP() << "root writes anywhere";
  gt::testing::TestFolder tmp("report_folder");
  const fs::path locked = tmp.dir() / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  auto onLocked = ReportFolder::open(locked.string());
  fs::permissions(locked, fs::perms::owner_all);
  ASSERT_FALSE(onLocked);
  EXPECT_EQ(onLocked.status().code(), ErrorCode::IoError);
  EXPECT_NE(onLocked.status().message().find("cannot write in the folder '" + locked.string() + "'"),
            std::string::npos)
      << onLocked.status().message();
  EXPECT_TRUE(fs::exists(locked));  // not ours to remove
}

}  // namespace
}  // namespace gt::viewer
