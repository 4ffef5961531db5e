#include "key_file_io.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace gt::connectors::detail {

namespace fs = std::filesystem;

Result<std::string> readTextFile(const std::string& path, const std::string& what) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status(ErrorCode::NotFound, what + " '" + path + "' does not exist");
  if (fs::is_directory(path, ec)) return Status(ErrorCode::IoError, what + " '" + path + "' is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return Status(ErrorCode::IoError, "cannot open " + what + " '" + path + "': " + std::strerror(err));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status(ErrorCode::IoError, "cannot read " + what + " '" + path + "'");
  return buffer.str();
}

Status writeFileAtomically(const std::string& path, const std::string& text, unsigned mode, bool overwrite,
                           const std::string& what) {
  std::error_code ec;
  if (!overwrite && fs::exists(path, ec)) {
    return Status(ErrorCode::InvalidArgument, what + " '" + path + "' already exists (not overwritten)");
  }
  const fs::path target(path);
  if (target.has_parent_path() && !fs::exists(target.parent_path(), ec)) {
    fs::create_directories(target.parent_path(), ec);
    if (ec) return Status(ErrorCode::IoError, "cannot create the folder of " + what + " '" + path + "': " + ec.message());
  }
  std::string tmp = path + ".tmp-XXXXXX";
  // mkstemp creates the file with mode 0600; fchmod sets the wanted mode before any secret is written.
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) {
    const int err = errno;
    return Status(ErrorCode::IoError, "cannot write " + what + " '" + path + "': " + std::strerror(err));
  }
  auto fail = [&](const char* step) {
    const int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return Status(ErrorCode::IoError,
                  "cannot write " + what + " '" + path + "' (" + step + "): " + std::strerror(err));
  };
  if (::fchmod(fd, static_cast<mode_t>(mode)) != 0) return fail("chmod");
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail("write");
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("fsync");
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return Status(ErrorCode::IoError, "cannot write " + what + " '" + path + "': " + std::strerror(err));
  }
  if (!overwrite) {
    // link() fails if `path` appeared meanwhile: no secret is ever replaced by a concurrent writer.
    if (::link(tmp.c_str(), path.c_str()) != 0) {
      const int err = errno;
      ::unlink(tmp.c_str());
      if (err == EEXIST) {
        return Status(ErrorCode::InvalidArgument, what + " '" + path + "' already exists (not overwritten)");
      }
      return Status(ErrorCode::IoError, "cannot write " + what + " '" + path + "': " + std::strerror(err));
    }
    ::unlink(tmp.c_str());
    return Status::ok();
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return Status(ErrorCode::IoError, "cannot write " + what + " '" + path + "': " + std::strerror(err));
  }
  return Status::ok();
}

}  // namespace gt::connectors::detail
