#pragma once
// Internal to greentwin_wall: little-endian writing and bounds-checked reading of the wall's wire messages (the
// frame state, the barrier's "ready" and "release"). The reader never reads past its end: a short read sets the
// first error (with the field's name) and returns zero, so a decoder reads on and checks once per section.
// Plain values: any thread.

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/wall/frame_state.hpp"

namespace gt::wall::detail {

class ByteWriter {
 public:
  void u8(std::uint8_t v) { bytes_.push_back(v); }
  void u16(std::uint16_t v) { little(v, 2); }
  void u32(std::uint32_t v) { little(v, 4); }
  void u64(std::uint64_t v) { little(v, 8); }
  void i64(std::int64_t v) { little(static_cast<std::uint64_t>(v), 8); }
  void f32(float v) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    u32(bits);
  }
  void f64(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    u64(bits);
  }
  // The caller has checked the length (at most 65535).
  void str(std::string_view s) {
    u16(static_cast<std::uint16_t>(s.size()));
    bytes_.insert(bytes_.end(), s.begin(), s.end());
  }
  void raw(std::string_view s) { bytes_.insert(bytes_.end(), s.begin(), s.end()); }
  std::vector<std::uint8_t> take() { return std::move(bytes_); }

 private:
  void little(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) bytes_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  std::vector<std::uint8_t> bytes_;
};

class ByteReader {
 public:
  ByteReader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  bool ok() const { return problem_ == FrameProblem::None; }
  FrameProblem problem() const { return problem_; }
  const std::string& error() const { return error_; }
  std::size_t remaining() const { return size_ - pos_; }

  // Records the first problem only: later reads of a failed reader are noise.
  void fail(FrameProblem problem, std::string message) {
    if (!ok()) return;
    problem_ = problem;
    error_ = std::move(message);
    pos_ = size_;
  }

  std::uint8_t u8(const char* field) { return static_cast<std::uint8_t>(little(1, field)); }
  std::uint16_t u16(const char* field) { return static_cast<std::uint16_t>(little(2, field)); }
  std::uint32_t u32(const char* field) { return static_cast<std::uint32_t>(little(4, field)); }
  std::uint64_t u64(const char* field) { return little(8, field); }
  std::int64_t i64(const char* field) { return static_cast<std::int64_t>(little(8, field)); }
  float f32(const char* field) {
    const auto bits = u32(field);
    float v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  double f64(const char* field) {
    const auto bits = u64(field);
    double v = 0;
    std::memcpy(&v, &bits, sizeof v);
    return v;
  }
  // A bool byte: 0 or 1; anything else is a BadValue (a flipped bit is not "true").
  bool flag(const char* field) {
    const std::uint8_t v = u8(field);
    if (v > 1) fail(FrameProblem::BadValue, std::string(field) + ": a flag byte is " + std::to_string(v));
    return v == 1;
  }
  // A u16-prefixed UTF-8 string of at most `maxBytes`.
  std::string str(const char* field, std::size_t maxBytes);
  // `n` raw bytes as a string (magic numbers).
  std::string raw(std::size_t n, const char* field);

 private:
  std::uint64_t little(int n, const char* field) {
    if (remaining() < static_cast<std::size_t>(n)) {
      fail(FrameProblem::Truncated, std::string("truncated at ") + field + " (byte " + std::to_string(pos_) +
                                        " of " + std::to_string(size_) + ")");
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= std::uint64_t{data_[pos_ + static_cast<std::size_t>(i)]} << (8 * i);
    pos_ += static_cast<std::size_t>(n);
    return v;
  }

  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
  FrameProblem problem_ = FrameProblem::None;
  std::string error_;
};

// Whether `s` is well-formed UTF-8 (no overlongs, no surrogates, at most U+10FFFF).
bool isValidUtf8(std::string_view s);

// What every wall message (frame state, layer look) checks before and as it starts reading. checkMessageBytes refuses
// a message over kMaxFrameStateBytes or null data, naming `what` and setting `problem`. readMessageHead reads `magic`,
// the version (this build's kFrameStateVersion) and zero flags, recording the first problem in `r`.
Status checkMessageBytes(const std::uint8_t* data, std::size_t size, const std::string& what, FrameProblem& problem);
void readMessageHead(ByteReader& r, std::string_view magic, std::string_view notThisMessage);
// The error code of a decoding problem: TooLarge is out of range, WrongVersion unsupported, the rest parse errors.
ErrorCode codeOf(FrameProblem p);

}  // namespace gt::wall::detail
