#include "report_folder.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <vector>

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

constexpr const char* kLastFile = "report.html";  // its presence says the report is complete

}  // namespace

Result<std::unique_ptr<ReportFolder>> ReportFolder::open(const std::string& dir) {
  std::error_code ec;
  if (dir.empty()) return Status(ErrorCode::InvalidArgument, "no output folder given");
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    return Status(ErrorCode::IoError, "'" + dir + "' exists and is not a folder");
  }
  const bool created = !fs::exists(dir, ec);
  fs::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::IoError, "cannot create the folder '" + dir + "': " + ec.message());
  const fs::path staging = fs::path(dir) / (".report-partial-" + std::to_string(::getpid()));
  fs::remove_all(staging, ec);
  fs::create_directories(staging, ec);
  if (ec || ::access(staging.c_str(), W_OK) != 0) {
    const std::string why = ec ? ": " + ec.message() : "";
    fs::remove_all(staging, ec);
    if (created) fs::remove(dir, ec);
    return Status(ErrorCode::IoError, "cannot write in the folder '" + dir + "'" + why);
  }
  return std::unique_ptr<ReportFolder>(new ReportFolder(dir, staging.string(), created));
}

ReportFolder::~ReportFolder() {
  std::error_code ec;
  fs::remove_all(staging_, ec);
  if (created_ && !committed_) fs::remove(dir_, ec);  // only when empty: never anything else's
}

Status ReportFolder::write(const std::string& relative, const std::string& content) {
  const fs::path path = fs::path(staging_) / relative;
  std::error_code ec;
  fs::create_directories(path.parent_path(), ec);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  out.close();
  if (!out) return Status(ErrorCode::IoError, "cannot write '" + (fs::path(dir_) / relative).string() + "'");
  return Status::ok();
}

Status ReportFolder::commit() {
  std::error_code ec;
  std::vector<fs::path> files;  // relative to the staging folder
  for (auto it = fs::recursive_directory_iterator(staging_, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(fs::relative(it->path(), staging_));
  }
  if (ec) return Status(ErrorCode::IoError, "cannot list '" + staging_ + "': " + ec.message());
  std::stable_partition(files.begin(), files.end(), [](const fs::path& p) { return p != kLastFile; });
  committed_ = true;
  for (const fs::path& relative : files) {
    const fs::path target = fs::path(dir_) / relative;
    fs::create_directories(target.parent_path(), ec);
    fs::rename(fs::path(staging_) / relative, target, ec);
    if (ec) return Status(ErrorCode::IoError, "cannot move the report's file into '" + target.string() + "': " + ec.message());
  }
  fs::remove_all(staging_, ec);
  return Status::ok();
}

}  // namespace gt::viewer
