#pragma once
// Opening a file the twin is told to read (a model, a cached import) without being held up or led elsewhere by
// what sits at that path: a FIFO or device named as a file blocks an open() or a read() for good, a symlink may
// point out of the folder a name was confined to. The file is opened without blocking, checked with fstat on the
// opened descriptor (no race between the check and the read) and refused unless it is a regular file.
//
// Threads: plain values; any thread.

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

#include "greentwin/core/status.hpp"

namespace gt {

// An opened regular file (owns its descriptor).
class RegularFile {
 public:
  RegularFile() = default;
  RegularFile(int fd, std::uint64_t size) : fd_(fd), size_(size) {}  // takes ownership of fd
  RegularFile(RegularFile&& other) noexcept;
  RegularFile& operator=(RegularFile&& other) noexcept;
  RegularFile(const RegularFile&) = delete;
  RegularFile& operator=(const RegularFile&) = delete;
  ~RegularFile();

  int fd() const { return fd_; }
  std::uint64_t size() const { return size_; }
  // Gives up ownership (the caller closes it).
  int release();

 private:
  int fd_ = -1;
  std::uint64_t size_ = 0;
};

// Opens `path` for reading. Errors: NotFound (missing, or unreadable), Unsupported ("... is not a regular file
// (a FIFO)": also a symlink when followSymlink is false - only the last component is checked).
Result<RegularFile> openRegularFile(const std::filesystem::path& path, bool followSymlink = true);

// The whole file, when it is a regular file of at most maxBytes (else OutOfRange "... is N bytes, more than the
// M allowed", before anything is read).
Result<std::string> readRegularFile(const std::filesystem::path& path,
                                    std::uint64_t maxBytes = std::numeric_limits<std::uint64_t>::max(),
                                    bool followSymlink = true);

}  // namespace gt
