#pragma once
// The compressed block of the history store (docs/history.md "The block codec"): the points of one series in time
// order, times as their delta less a running interval estimate, values XOR-coded against the previous value of
// their column (after Facebook's Gorilla paper, Pelkonen et al., VLDB 2015) or, for a column with a declared
// resolution, as integers (value / step) coded as Rice-coded zigzag deltas. A block has 1 to 8 value columns:
// raw samples have one (the value); rollup points have four (min, max, mean, count).
//
// Layout (format 2, what the encoder writes; all multi-bit fields most significant bit first):
//   byte 0       format (2)
//   byte 1       columns (1..8)
//   bytes 2-3    count of points (big endian, 0..65535)
//   byte 4       quantised columns: bit c set = column c is stored at a declared resolution (a step)
//   per quantised column, in column order, its step (finite and > 0): one byte 116 + i for 10^(i - 12) (i in
//                0..24: 1e-12 .. 1e12, the usual resolutions), 1 for the previous quantised column's step, or 0
//                and 8 bytes (IEEE 754, big endian)
//   bit stream   point 0: time (64 bits, two's complement), then each column's first value (below)
//                point k: r = (t_k - t_{k-1}) - D, modulo 2^64, where D is the block's interval estimate: 0 for
//                point 1 (so it codes its delta), t_1 - t_0 after it, then moved towards each new delta by at
//                most 4 µs (a running median: one late wake-up does not move it, a changed interval does):
//                  '0'                       r == 0 (a regular interval: one bit)
//                  '10'    + 6 bits          -32 .. 31 µs (two's complement, as the wider ones)
//                  '110'   + 12 bits         -2048 .. 2047 µs (the ms jitter of a wall-clock stamp)
//                  '1110'  + 20 bits         about +-0.5 s
//                  '11110' + 32 bits         about +-35 min
//                  '11111' + 64 bits         anything else (large gaps)
//                then each column's value:
//                  lossless column: XOR-coded against the column's previous value (point 0: its 64 bits)
//                    '0'                       the same value
//                    '10' + meaningful bits    the XOR fits the previous leading/trailing zero window
//                    '11' + 5 bits leading zeros (at most 31) + 6 bits length (64 written as 0) + the bits
//                  quantised column (step s): q = round(v / s), a 64-bit integer; read back as q * s, within half
//                  a step of the value written. Point 0: '0' + 6 bits n + n bits of zigzag(q), or '1' + 64 bits
//                  IEEE 754 (a value that cannot be quantised, below). Later points: u = zigzag(q - the column's
//                  previous q), coded Rice-style with k = bit_width(m >> 5), m a running mean of u (x16:
//                  m += (16 min(u, 2^32) - m) / 8, from 0 at point 0):
//                    (u >> k) one bits, '0', the low k bits of u      when u >> k < 24
//                    24 one bits, '0', 6 bits (bit_width(u) - 1), bit_width(u) bits of u
//                    24 one bits, '1', 64 bits IEEE 754             a value that cannot be quantised: NaN, +-inf,
//                                                                     or |v / s| > 2^48 (stored exactly; q and m
//                                                                     are left as they were)
//                  after such an exact value the column's next value starts with one bit: '1' the same exact value
//                  again (a run of NaN costs a bit a point), '0' the code above follows.
//   The stream is padded with zero bits to a whole byte.
// Format 1 (written before resolutions existed) is read too: a 4-byte header (no quantised columns), the time as
// a delta of delta ('0', '10' + 8 bits, '110' + 14, '1110' + 20, '11110' + 32, '11111' + 64) and every column
// XOR-coded. A format 1 block resumed for appending is re-encoded as format 2, lossless.
// NaN values are stored as the one quiet NaN (every NaN reads back as quiet NaN); in lossless columns +-inf and
// -0.0 round-trip; in quantised ones +-inf round-trips and -0.0 reads back as 0.
//
// Threads: plain values; no shared state.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt::connectors {

inline constexpr std::uint8_t kHistoryBlockFormat = 2;        // what BlockEncoder writes
inline constexpr std::uint8_t kHistoryBlockFormatLossless = 1;  // older blocks, still read
inline constexpr int kHistoryBlockMaxColumns = 8;
inline constexpr std::size_t kHistoryBlockMaxPoints = 65535;

// Appends bits most significant first into a byte vector.
class BitWriter {
 public:
  // The low `n` bits of `bits` (0 <= n <= 64).
  void write(std::uint64_t bits, int n);
  void writeBit(bool bit) { write(bit ? 1 : 0, 1); }
  std::size_t bitCount() const { return bits_; }
  std::size_t byteCount() const { return bytes_.size(); }
  const std::vector<std::uint8_t>& bytes() const { return bytes_; }  // the last byte zero-padded
  std::uint8_t lastByte() const { return bytes_.empty() ? 0 : bytes_.back(); }
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

// The state of one value column after a point: what the next point is coded against.
struct ColumnState {
  std::uint64_t previous = 0;  // bits of the previous value (as read back)
  std::uint8_t leading = 0xff; // XOR window; 0xff: no window yet
  std::uint8_t trailing = 0;
  double step = 0;             // > 0: a quantised column
  std::int64_t q = 0;          // quantised: the previous quantised value
  std::uint64_t mean16 = 0;    // quantised: running mean of the zigzag deltas, x16
  bool exactPrevious = false;  // quantised: the previous value was stored exactly (not quantised)
};
// A resolution that quantises: finite and > 0 (anything else: lossless).
bool isQuantisingStep(double step);

class BlockEncoder {
 public:
  // `columns` is clamped to 1..kHistoryBlockMaxColumns. steps[c]: column c's declared resolution; a column without
  // one (steps shorter, or a step that is not finite and > 0) is lossless.
  explicit BlockEncoder(int columns = 1, std::span<const double> steps = {});

  // Appends a point. Times must increase strictly: t <= the last time, a full block (kHistoryBlockMaxPoints) or
  // values.size() != columns() is refused (InvalidArgument) and nothing is written.
  Status append(TimePoint t, std::span<const double> values);
  Status append(TimePoint t, double value) { return append(t, std::span<const double>(&value, 1)); }

  int columns() const { return columns_; }
  double step(int column) const { return state_[column].step; }  // 0: lossless
  std::size_t count() const { return count_; }
  bool empty() const { return count_ == 0; }
  TimePoint firstTime() const { return first_; }  // when not empty
  TimePoint lastTime() const { return last_; }    // when not empty
  // The last point's value in `column` as the block reads it back (quantised at the column's step; NaN as the one
  // quiet NaN). When not empty.
  double lastValue(int column) const { return std::bit_cast<double>(state_[column].previous); }
  // The whole encoded block (header and stream); only while no bytes are detached (detachedBytes() == 0).
  std::vector<std::uint8_t> bytes() const;
  // The whole block's size, detached bytes included.
  std::size_t byteSize() const;

  // A writer that keeps many open blocks (history_series_writer.hpp) holds in memory only what later points still
  // change: after the block is stored, detachWritten() drops the stream's bytes but the last, partly written one
  // (counted in detachedBytes()). The next store writes the header and tailBytes() around the stored stream's first
  // detachedBytes() bytes; attach() takes them back from the stored block when the whole block is needed.
  void detachWritten();
  std::size_t detachedBytes() const { return detached_; }
  std::vector<std::uint8_t> header() const;  // the header for the points so far
  std::vector<std::uint8_t> tailBytes() const { return stream_.bytes(); }  // the stream after the detached bytes
  std::size_t headerSize() const { return headerSize_; }
  // `stored`: this block as last stored (its header and at least the detached bytes of its stream). ParseError
  // when it cannot be (another format, columns or header, or too short); the encoder is then unchanged.
  Status attach(std::span<const std::uint8_t> stored);

  // An encoder that continues a stored block (the state its last point left), or the block's decode error. A
  // format 1 block is re-encoded as format 2 (lossless columns); a format 2 block keeps its steps.
  static Result<BlockEncoder> resume(std::span<const std::uint8_t> block);

 private:
  int columns_;
  std::size_t headerSize_ = 0;
  std::size_t count_ = 0;
  TimePoint first_ = 0;
  TimePoint last_ = 0;
  std::uint64_t interval_ = 0;  // D, the interval estimate (modulo 2^64)
  ColumnState state_[kHistoryBlockMaxColumns];
  BitWriter stream_;
  std::size_t detached_ = 0;  // stream bytes before stream_'s, left in the store (detachWritten)
};

class BlockDecoder {
 public:
  // Checks the header: ParseError for a block too short, of another format or with 0 or too many columns.
  static Result<BlockDecoder> open(std::span<const std::uint8_t> block);

  int columns() const { return columns_; }
  int format() const { return format_; }
  double step(int column) const { return state_[column].step; }  // 0: lossless
  std::size_t count() const { return count_; }
  // The next point into `t` and values[0 .. columns()-1]; false at the end of the block or on a damaged stream
  // (then status() is a ParseError).
  bool next(TimePoint& t, std::span<double> values);
  const Status& status() const { return status_; }

 private:
  friend class BlockEncoder;  // resume() takes the state after the last point
  BlockDecoder(std::span<const std::uint8_t> block, std::size_t headerSize, int format, int columns,
               std::size_t count);
  bool fail();

  BitReader reader_;
  std::size_t headerSize_ = 0;
  int format_;
  int columns_;
  std::size_t count_;
  std::size_t read_ = 0;
  TimePoint t_ = 0;
  std::uint64_t interval_ = 0;  // format 2: D; format 1: the previous delta
  ColumnState state_[kHistoryBlockMaxColumns];
  Status status_;
};

}  // namespace gt::connectors
