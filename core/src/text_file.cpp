#include "greentwin/core/text_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gt {

Result<std::string> readTextFile(const std::string& path, const std::string& what, std::size_t maxBytes) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status(ErrorCode::NotFound, what + " '" + path + "' does not exist or is not a regular file");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (!ec && size > maxBytes) {
    return Status(ErrorCode::InvalidArgument, what + " '" + path + "' is " + std::to_string(size) +
                                                  " bytes, more than the " + std::to_string(maxBytes) + " allowed");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::IoError, "cannot open " + what + " '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return Status(ErrorCode::IoError, "cannot read " + what + " '" + path + "'");
  std::string bytes = std::move(text).str();
  if (bytes.size() > maxBytes) {  // it grew while being read
    return Status(ErrorCode::InvalidArgument, what + " '" + path + "' is larger than the " +
                                                  std::to_string(maxBytes) + " bytes allowed");
  }
  return bytes;
}

Status writeTextFileAtomically(const std::string& path, const std::string& text, const std::string& what) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status(ErrorCode::IoError, "cannot write " + what + " '" + tmp + "'");
    out << text;
    out.flush();
    if (!out) {
      out.close();
      std::error_code ignored;
      std::filesystem::remove(tmp, ignored);
      return Status(ErrorCode::IoError, "cannot write " + what + " '" + tmp + "'");
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return Status(ErrorCode::IoError, "cannot replace " + what + " '" + path + "': " + ec.message());
  return Status::ok();
}

}  // namespace gt
