#pragma once
// A peer-supplied value (a publisher id from a message) made safe for one audit log line: without it a newline in
// the value would forge a whole audit line, and a space a `key=value` pair of its own. Printable ASCII other than
// space, '"' and '\' is kept; every other byte is written \xNN ('"' and '\' as \" and \\); more than `maxBytes`
// bytes are cut with a note of how many more there were. Plain function: any thread.

#include <cstddef>
#include <string>
#include <string_view>

namespace gt::connectors {

inline std::string auditValue(std::string_view value, std::size_t maxBytes = 64) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  const std::size_t n = value.size() < maxBytes ? value.size() : maxBytes;
  out.reserve(n + 16);
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(value[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c > 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  if (value.size() > n) out += "...(+" + std::to_string(value.size() - n) + " bytes)";
  return out;
}

}  // namespace gt::connectors
