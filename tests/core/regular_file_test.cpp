#include "greentwin/core/regular_file.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace gt {
namespace {

namespace fs = std::filesystem;

fs::path freshDir(const std::string& name) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "regular_file_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

void writeText(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

TEST(RegularFile, ReadsARegularFileWhole) {
  const fs::path dir = freshDir("plain");
  writeText(dir / "a.txt", "hello\n");
  auto text = readRegularFile(dir / "a.txt");
  ASSERT_TRUE(text) << text.status().message();
  EXPECT_EQ(*text, "hello\n");
  auto file = openRegularFile(dir / "a.txt");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->size(), 6u);
  EXPECT_GE(file->fd(), 0);
}

// A FIFO with no writer would block open() and read() for good: it is refused at once, named as a FIFO.
TEST(RegularFile, AFifoIsRefusedWithoutBlocking) {
  const fs::path dir = freshDir("fifo");
  const fs::path fifo = dir / "model.ifc";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto text = readRegularFile(fifo);
  ASSERT_FALSE(text);
  EXPECT_EQ(text.status().code(), ErrorCode::Unsupported);
  EXPECT_NE(text.status().message().find("not a regular file (a FIFO)"), std::string::npos)
      << text.status().message();
  EXPECT_NE(text.status().message().find("model.ifc"), std::string::npos);
}

TEST(RegularFile, FoldersAndDevicesAreRefused) {
  const fs::path dir = freshDir("kinds");
  auto folder = openRegularFile(dir);
  ASSERT_FALSE(folder);
  EXPECT_NE(folder.status().message().find("a folder"), std::string::npos) << folder.status().message();
  auto device = openRegularFile("/dev/zero");
  ASSERT_FALSE(device);
  EXPECT_NE(device.status().message().find("a character device"), std::string::npos) << device.status().message();
}

TEST(RegularFile, ASymlinkIsFollowedOnlyWhenAllowed) {
  const fs::path dir = freshDir("symlink");
  writeText(dir / "target.txt", "x");
  fs::create_symlink(dir / "target.txt", dir / "link.txt");
  EXPECT_TRUE(readRegularFile(dir / "link.txt"));
  auto refused = readRegularFile(dir / "link.txt", 1000, /*followSymlink=*/false);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), ErrorCode::Unsupported);
  EXPECT_NE(refused.status().message().find("symbolic link"), std::string::npos) << refused.status().message();
}

// The cap is checked against the size before anything is read (a sparse file costs no disk here).
TEST(RegularFile, AFileOverTheCapIsRefusedBeforeReading) {
  const fs::path dir = freshDir("cap");
  writeText(dir / "small.json", "{}");
  EXPECT_TRUE(readRegularFile(dir / "small.json", 2));
  {
    std::ofstream(dir / "big.json").put('{');
  }
  fs::resize_file(dir / "big.json", 1ull << 30);
  auto big = readRegularFile(dir / "big.json", 1 << 20);
  ASSERT_FALSE(big);
  EXPECT_EQ(big.status().code(), ErrorCode::OutOfRange);
  EXPECT_NE(big.status().message().find("1073741824 bytes, more than the 1048576 allowed"), std::string::npos)
      << big.status().message();
}

TEST(RegularFile, AMissingFileIsNotFound) {
  auto missing = readRegularFile(freshDir("missing") / "nothing.json");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::NotFound);
  EXPECT_NE(missing.status().message().find("nothing.json"), std::string::npos);
}

}  // namespace
}  // namespace gt
