// Internal to greentwin_wall: the byte reader's string reads, UTF-8 checking and the head every wall message shares
// (byte_codec.hpp). Any thread.
#include "byte_codec.hpp"

namespace gt::wall {
namespace detail {

std::string ByteReader::str(const char* field, std::size_t maxBytes) {
  const std::size_t n = u16(field);
  if (!ok()) return {};
  if (n > maxBytes) {
    fail(FrameProblem::BadValue, std::string(field) + ": " + std::to_string(n) + " bytes, at most " +
                                     std::to_string(maxBytes));
    return {};
  }
  std::string s = raw(n, field);
  if (ok() && !isValidUtf8(s)) fail(FrameProblem::BadValue, std::string(field) + ": not UTF-8");
  return s;
}

std::string ByteReader::raw(std::size_t n, const char* field) {
  if (remaining() < n) {
    fail(FrameProblem::Truncated, std::string("truncated in ") + field + " (needs " + std::to_string(n) +
                                      " bytes, " + std::to_string(remaining()) + " left)");
    return {};
  }
  std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
  pos_ += n;
  return s;
}

bool isValidUtf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + len > s.size()) return false;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    static constexpr std::uint32_t kMinOf[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMinOf[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Status checkMessageBytes(const std::uint8_t* data, std::size_t size, const std::string& what, FrameProblem& problem) {
  problem = FrameProblem::None;
  if (size > kMaxFrameStateBytes) {
    problem = FrameProblem::TooLarge;
    return Status(ErrorCode::OutOfRange, what + ": " + std::to_string(size) + " bytes, at most " +
                                             std::to_string(kMaxFrameStateBytes));
  }
  if (data == nullptr && size != 0) {
    problem = FrameProblem::NotAFrame;
    return Status(ErrorCode::InvalidArgument, what + ": no data");
  }
  return Status::ok();
}

void readMessageHead(ByteReader& r, std::string_view magic, std::string_view notThisMessage) {
  if (r.raw(magic.size(), "magic") != magic) {
    r.fail(FrameProblem::NotAFrame, "no " + std::string(magic) + " magic: " + std::string(notThisMessage));
  }
  const std::uint16_t version = r.u16("version");
  if (r.ok() && version != kFrameStateVersion) {
    r.fail(FrameProblem::WrongVersion, "version " + std::to_string(version) + ", this build reads " +
                                           std::to_string(kFrameStateVersion));
  }
  const std::uint16_t flags = r.u16("flags");
  if (r.ok() && flags != 0) r.fail(FrameProblem::BadValue, "flags: " + std::to_string(flags) + ", expected 0");
}

ErrorCode codeOf(FrameProblem p) {
  switch (p) {
    case FrameProblem::TooLarge:
      return ErrorCode::OutOfRange;
    case FrameProblem::WrongVersion:
      return ErrorCode::Unsupported;
    default:
      return ErrorCode::ParseError;
  }
}

}  // namespace detail
}  // namespace gt::wall
