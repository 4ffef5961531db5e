#pragma once
// The compressed block of the history store (docs/time-series.md "Compact history"): the points of one series in
// time order, times as delta-of-delta and values XOR-coded against the previous value of their column, after
// Facebook's Gorilla paper (Pelkonen et al., VLDB 2015) with Prometheus' wider time buckets. A block has 1 to 8
// value columns: raw samples have one (the value); rollup points have four (min, max, mean, count).
//
// Layout (format 1; all multi-bit fields most significant bit first):
//   byte 0       format (1)
//   byte 1       columns (1..8)
//   bytes 2-3    count of points (big endian, 0..65535)
//   bit stream   point 0: time (64 bits, two's complement), each column's value (64 bits, IEEE 754)
//                point k: dod = (t_k - t_{k-1}) - (t_{k-1} - t_{k-2}) (with t_{-1} = t_0, so point 1 codes its
//                delta), modulo 2^64:
//                  '0'                       dod == 0 (a regular interval: one bit)
//                  '10'    + 8 bits          -128 .. 127 µs (two's complement, as the wider ones)
//                  '110'   + 14 bits         -8192 .. 8191 µs (the ms jitter of a wall-clock stamp)
//                  '1110'  + 20 bits         about +-0.5 s
//                  '11110' + 32 bits         about +-35 min
//                  '11111' + 64 bits         anything else (large gaps)
//                then per column x = bits(v_k) XOR bits(v_{k-1}):
//                  '0'                       x == 0 (the same value)
//                  '10' + meaningful bits    x fits the previous column's leading/trailing zero window
//                  '11' + 5 bits leading zeros (at most 31) + 6 bits length (64 written as 0) + the bits
//   The stream is padded with zero bits to a whole byte.
// NaN values are stored as the one quiet NaN (every NaN reads back as quiet NaN); +-inf and -0.0 round-trip.
//
// Threads: plain values; no shared state.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt::connectors {

inline constexpr std::uint8_t kHistoryBlockFormat = 1;
inline constexpr int kHistoryBlockMaxColumns = 8;
inline constexpr std::size_t kHistoryBlockMaxPoints = 65535;

// Appends bits most significant first into a byte vector.
class BitWriter {
 public:
  // The low `n` bits of `bits` (0 <= n <= 64).
  void write(std::uint64_t bits, int n);
  void writeBit(bool bit) { write(bit ? 1 : 0, 1); }
  std::size_t bitCount() const { return bits_; }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }  // the last byte zero-padded
  // Continues a stream: `bytes` hold `bitCount` bits (bitCount <= 8 * bytes.size(); later bits are dropped).
  void resume(std::span<const std::uint8_t> bytes, std::size_t bitCount);

 private:
  std::vector<std::uint8_t> bytes_;
  std::size_t bits_ = 0;
};

// Reads bits most significant first; reading past the end fails (and stays failed) instead of reading garbage.
class BitReader {
 public:
  explicit BitReader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}
  // `n` bits (0 <= n <= 64) into the low bits of `out`; false (and `out` unchanged) past the end.
  bool read(int n, std::uint64_t& out);
  bool readBit(bool& out);
  std::size_t position() const { return pos_; }
  std::size_t bitsLeft() const { return 8 * bytes_.size() - pos_; }

 private:
  std::span<const std::uint8_t> bytes_;
  std::size_t pos_ = 0;
};

// The XOR state of one value column.
struct XorColumnState {
  std::uint64_t previous = 0;  // bits of the previous value
  std::uint8_t leading = 0xff; // 0xff: no window yet
  std::uint8_t trailing = 0;
};

class BlockEncoder {
 public:
  explicit BlockEncoder(int columns = 1);  // clamped to 1..kHistoryBlockMaxColumns

  // Appends a point. Times must increase strictly: t <= the last time, a full block (kHistoryBlockMaxPoints) or
  // values.size() != columns() is refused (InvalidArgument) and nothing is written.
  Status append(TimePoint t, std::span<const double> values);
  Status append(TimePoint t, double value) { return append(t, std::span<const double>(&value, 1)); }

  int columns() const { return columns_; }
  std::size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  TimePoint firstTime() const { return first_; }  // when not empty
  TimePoint lastTime() const { return last_; }    // when not empty
  // The encoded block (header and stream), ready to store.
  std::vector<std::uint8_t> bytes() const;
  std::size_t byteSize() const { return 4 + stream_.bytes().size(); }

  // An encoder that continues a stored block (the state its last point left), or the block's decode error.
  static Result<BlockEncoder> resume(std::span<const std::uint8_t> block);

 private:
  int columns_;
  std::size_t count_ = 0;
  TimePoint first_ = 0;
  TimePoint last_ = 0;
  std::uint64_t delta_ = 0;  // t_{k-1} - t_{k-2}, modulo 2^64
  XorColumnState state_[kHistoryBlockMaxColumns];
  BitWriter stream_;
};

class BlockDecoder {
 public:
  // Checks the header: ParseError for a block too short, of another format or with 0 or too many columns.
  static Result<BlockDecoder> open(std::span<const std::uint8_t> block);

  int columns() const { return columns_; }
  std::size_t count() const { return count_; }
  // The next point into `t` and values[0 .. columns()-1]; false at the end of the block or on a damaged stream
  // (then status() is a ParseError).
  bool next(TimePoint& t, std::span<double> values);
  const Status& status() const { return status_; }

 private:
  friend class BlockEncoder;  // resume() takes the state after the last point
  explicit BlockDecoder(std::span<const std::uint8_t> block, int columns, std::size_t count);
  bool fail();

  BitReader reader_;
  int columns_;
  std::size_t count_;
  std::size_t read_ = 0;
  TimePoint t_ = 0;
  std::uint64_t delta_ = 0;
  XorColumnState state_[kHistoryBlockMaxColumns];
  Status status_;
};

}  // namespace gt::connectors
