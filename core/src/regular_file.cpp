#include "greentwin/core/regular_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace gt {
namespace {

const char* kindOf(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a plain file";
}

}  // namespace

RegularFile::RegularFile(RegularFile&& other) noexcept : fd_(other.fd_), size_(other.size_) { other.fd_ = -1; }

RegularFile& RegularFile::operator=(RegularFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    size_ = other.size_;
    other.fd_ = -1;
  }
  return *this;
}

RegularFile::~RegularFile() {
  if (fd_ >= 0) ::close(fd_);
}

int RegularFile::release() {
  const int fd = fd_;
  fd_ = -1;
  return fd;
}

Result<RegularFile> openRegularFile(const std::filesystem::path& path, bool followSymlink) {
  const std::string name = path.string();
  // O_NONBLOCK: opening a FIFO with no writer, or a device, returns at once instead of waiting.
  const int flags = O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (followSymlink ? 0 : O_NOFOLLOW);
  const int fd = ::open(path.c_str(), flags);
  if (fd < 0) {
    const int err = errno;
    if (err == ELOOP && !followSymlink) {
      return Status(ErrorCode::Unsupported, "'" + name + "' is not a regular file (a symbolic link)");
    }
    return Status(ErrorCode::NotFound, "cannot read '" + name + "': " + std::strerror(err));
  }
  RegularFile file(fd, 0);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return Status(ErrorCode::IoError, "cannot read '" + name + "': " + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    return Status(ErrorCode::Unsupported, "'" + name + "' is not a regular file (" + kindOf(st.st_mode) + ")");
  }
  // Regular files never block; reads go back to ordinary blocking mode.
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return RegularFile(file.release(), static_cast<std::uint64_t>(st.st_size));
}

Result<std::string> readRegularFile(const std::filesystem::path& path, std::uint64_t maxBytes, bool followSymlink) {
  auto file = openRegularFile(path, followSymlink);
  if (!file) return file.status();
  if (file->size() > maxBytes) {
    return Status(ErrorCode::OutOfRange, "'" + path.string() + "' is " + std::to_string(file->size()) +
                                             " bytes, more than the " + std::to_string(maxBytes) + " allowed");
  }
  std::string text;
  text.resize(static_cast<std::size_t>(file->size()));
  std::size_t done = 0;
  // Reads up to the size fstat saw (a file growing meanwhile is cut there, never read past the cap).
  while (done < text.size()) {
    const ssize_t n = ::read(file->fd(), text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status(ErrorCode::IoError, "cannot read '" + path.string() + "': " + std::strerror(errno));
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  return text;
}

}  // namespace gt
