// The compressed history block. See history_codec.hpp for the layout.

#include "greentwin/connectors/history_codec.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

namespace gt::connectors {
namespace {

constexpr std::size_t kHeaderSize = 4;

std::uint64_t bitsOf(double v) {
  if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();  // one NaN: payloads and signs are not kept
  return std::bit_cast<std::uint64_t>(v);
}

// True when the signed `x` fits `n` bits of two's complement.
bool fits(std::int64_t x, int n) {
  const std::int64_t half = std::int64_t{1} << (n - 1);
  return x >= -half && x < half;
}

std::int64_t signExtend(std::uint64_t x, int n) {
  const std::uint64_t sign = std::uint64_t{1} << (n - 1);
  return static_cast<std::int64_t>((x ^ sign) - sign);
}

// The time buckets after the prefix: bit count of the payload for '10', '110', '1110', '11110' ('11111': 64).
constexpr int kDodBits[] = {8, 14, 20, 32};       // format 1: the delta of delta
constexpr int kResidualBits[] = {6, 12, 20, 32};  // format 2: the delta less the interval estimate
// Format 2: how far one point moves the interval estimate (µs).
constexpr std::int64_t kIntervalStep = 4;
// Quantised columns: a unary part this long escapes (a long delta, or a value stored exactly).
constexpr int kRiceLimit = 24;
// Values with |v / step| above this are stored exactly: q * step then still reads back q (two roundings of at
// most 2^-53 relative each stay far below half a unit).
constexpr double kMaxQuantised = 281474976710656.0;  // 2^48

void writeBucketed(BitWriter& w, std::uint64_t xBits, const int (&widths)[4]) {
  const auto x = static_cast<std::int64_t>(xBits);
  if (x == 0) {
    w.writeBit(false);
    return;
  }
  for (int i = 0; i < 4; ++i) {
    if (fits(x, widths[i])) {
      // i + 1 one bits, then a zero: '10', '110', '1110', '11110'.
      w.write(((std::uint64_t{1} << (i + 1)) - 1) << 1, i + 2);
      w.write(xBits & ((std::uint64_t{1} << widths[i]) - 1), widths[i]);
      return;
    }
  }
  w.write(0b11111, 5);
  w.write(xBits, 64);
}

bool readBucketed(BitReader& r, std::uint64_t& x, const int (&widths)[4]) {
  int ones = 0;
  for (; ones < 5; ++ones) {
    bool bit = false;
    if (!r.readBit(bit)) return false;
    if (!bit) break;
  }
  if (ones == 0) {
    x = 0;
    return true;
  }
  const int n = ones == 5 ? 64 : widths[ones - 1];
  std::uint64_t payload = 0;
  if (!r.read(n, payload)) return false;
  x = n == 64 ? payload : static_cast<std::uint64_t>(signExtend(payload, n));
  return true;
}

// Format 2: D moves towards the new delta by at most kIntervalStep (point 1 sets it).
std::uint64_t nextInterval(std::uint64_t interval, std::uint64_t delta, bool firstDelta) {
  if (firstDelta) return delta;
  const auto e = static_cast<std::int64_t>(delta - interval);
  return interval + static_cast<std::uint64_t>(std::clamp(e, -kIntervalStep, kIntervalStep));
}

std::uint64_t zigzag(std::uint64_t d) {
  return (d << 1) ^ static_cast<std::uint64_t>(static_cast<std::int64_t>(d) >> 63);
}
std::uint64_t unzigzag(std::uint64_t u) { return (u >> 1) ^ (~(u & 1) + 1); }

int riceK(const ColumnState& s) { return std::bit_width(s.mean16 >> 5); }

void afterQuantised(ColumnState& s, std::int64_t q, std::uint64_t u) {
  s.q = q;
  const auto target = static_cast<std::int64_t>(std::min<std::uint64_t>(u, std::uint64_t{1} << 32) << 4);
  const auto mean = static_cast<std::int64_t>(s.mean16);
  s.mean16 = static_cast<std::uint64_t>(mean + (target - mean) / 8);
  s.exactPrevious = false;
  s.previous = std::bit_cast<std::uint64_t>(static_cast<double>(q) * s.step);
}

bool quantise(double v, double step, std::int64_t& q) {
  if (!std::isfinite(v)) return false;
  const double x = v / step;
  if (!(std::fabs(x) <= kMaxQuantised)) return false;
  q = std::llround(x);
  return true;
}

// `first`: the block's first point, whose q is coded whole (6 bits of length, then its zigzag bits) instead of as
// a delta against 0.
void writeQuantised(BitWriter& w, ColumnState& s, double v, bool first) {
  std::int64_t q = 0;
  const bool quantised = quantise(v, s.step, q);
  const std::uint64_t bits = bitsOf(v);
  if (s.exactPrevious) {
    if (!quantised && bits == s.previous) {
      w.writeBit(true);  // the same exact value again
      return;
    }
    w.writeBit(false);
  }
  constexpr std::uint64_t kEscape = (std::uint64_t{1} << kRiceLimit) - 1;
  if (first) {
    w.writeBit(!quantised);
    if (!quantised) {
      w.write(bits, 64);
      s.previous = bits;
      s.exactPrevious = true;
      return;
    }
    const std::uint64_t u = zigzag(static_cast<std::uint64_t>(q));
    const int n = std::bit_width(u);  // 0..50: |q| <= 2^48
    w.write(static_cast<std::uint64_t>(n), 6);
    w.write(u, n);
    s.q = q;
    s.exactPrevious = false;
    s.previous = std::bit_cast<std::uint64_t>(static_cast<double>(q) * s.step);
    return;
  }
  if (!quantised) {
    w.write(kEscape, kRiceLimit);
    w.writeBit(true);
    w.write(bits, 64);
    s.previous = bits;
    s.exactPrevious = true;
    return;
  }
  const std::uint64_t u = zigzag(static_cast<std::uint64_t>(q) - static_cast<std::uint64_t>(s.q));
  const int k = riceK(s);
  if (const std::uint64_t high = u >> k; high < kRiceLimit) {
    w.write(((std::uint64_t{1} << high) - 1) << 1, static_cast<int>(high) + 1);  // `high` ones, then a zero
    w.write(u & ((std::uint64_t{1} << k) - 1), k);
  } else {
    w.write(kEscape, kRiceLimit);
    w.writeBit(false);
    const int n = std::bit_width(u);
    w.write(static_cast<std::uint64_t>(n - 1), 6);
    w.write(u, n);
  }
  afterQuantised(s, q, u);
}

bool readQuantised(BitReader& r, ColumnState& s, bool first) {
  bool bit = false;
  if (first) {
    if (!r.readBit(bit)) return false;
    if (bit) {
      if (!r.read(64, s.previous)) return false;
      s.exactPrevious = true;
      return true;
    }
    std::uint64_t n = 0, u = 0;
    if (!r.read(6, n) || n > 50 || !r.read(static_cast<int>(n), u)) return false;
    s.q = static_cast<std::int64_t>(unzigzag(u));
    if (static_cast<double>(s.q) > kMaxQuantised || static_cast<double>(s.q) < -kMaxQuantised) return false;
    s.exactPrevious = false;
    s.previous = std::bit_cast<std::uint64_t>(static_cast<double>(s.q) * s.step);
    return true;
  }
  if (s.exactPrevious) {
    if (!r.readBit(bit)) return false;
    if (bit) return true;
  }
  int high = 0;
  for (; high < kRiceLimit; ++high) {
    if (!r.readBit(bit)) return false;
    if (!bit) break;
  }
  std::uint64_t u = 0;
  if (high < kRiceLimit) {
    const int k = riceK(s);
    std::uint64_t low = 0;
    if (!r.read(k, low)) return false;
    u = (static_cast<std::uint64_t>(high) << k) | low;
  } else {
    if (!r.readBit(bit)) return false;
    if (bit) {
      if (!r.read(64, s.previous)) return false;
      s.exactPrevious = true;
      return true;
    }
    std::uint64_t n = 0;
    if (!r.read(6, n) || !r.read(static_cast<int>(n) + 1, u)) return false;
  }
  const auto q = static_cast<std::int64_t>(static_cast<std::uint64_t>(s.q) + unzigzag(u));
  if (static_cast<double>(q) > kMaxQuantised || static_cast<double>(q) < -kMaxQuantised) return false;  // damaged
  afterQuantised(s, q, u);
  return true;
}

void writeXor(BitWriter& w, ColumnState& s, std::uint64_t bits) {
  const std::uint64_t x = bits ^ s.previous;
  s.previous = bits;
  if (x == 0) {
    w.writeBit(false);
    return;
  }
  const int leading = std::min(std::countl_zero(x), 31);
  const int trailing = std::countr_zero(x);
  if (s.leading != 0xff && leading >= s.leading && trailing >= s.trailing) {
    w.write(0b10, 2);
    w.write(x >> s.trailing, 64 - s.leading - s.trailing);
    return;
  }
  s.leading = static_cast<std::uint8_t>(leading);
  s.trailing = static_cast<std::uint8_t>(trailing);
  const int length = 64 - leading - trailing;
  w.write(0b11, 2);
  w.write(static_cast<std::uint64_t>(leading), 5);
  w.write(static_cast<std::uint64_t>(length & 63), 6);  // 64 is written as 0 (0 never occurs: x != 0)
  w.write(x >> trailing, length);
}

bool readXor(BitReader& r, ColumnState& s) {
  bool bit = false;
  if (!r.readBit(bit)) return false;
  if (!bit) return true;
  if (!r.readBit(bit)) return false;
  int leading = s.leading;
  int trailing = s.trailing;
  if (bit) {
    std::uint64_t l = 0, n = 0;
    if (!r.read(5, l) || !r.read(6, n)) return false;
    const int length = n == 0 ? 64 : static_cast<int>(n);
    leading = static_cast<int>(l);
    if (leading + length > 64) return false;  // damaged: no such window
    trailing = 64 - leading - length;
    s.leading = static_cast<std::uint8_t>(leading);
    s.trailing = static_cast<std::uint8_t>(trailing);
  } else if (s.leading == 0xff) {
    return false;  // damaged: a reused window before any was set
  }
  std::uint64_t meaningful = 0;
  if (!r.read(64 - leading - trailing, meaningful)) return false;
  s.previous ^= meaningful << trailing;
  return true;
}

}  // namespace

// ---- bits ------------------------------------------------------------------------------------------------------

void BitWriter::write(std::uint64_t bits, int n) {
  while (n > 0) {
    const int used = static_cast<int>(bits_ % 8);
    if (used == 0) bytes_.push_back(0);
    const int take = std::min(8 - used, n);
    const auto chunk = static_cast<std::uint8_t>((bits >> (n - take)) & ((1u << take) - 1));
    bytes_.back() = static_cast<std::uint8_t>(bytes_.back() | (chunk << (8 - used - take)));
    n -= take;
    bits_ += static_cast<std::size_t>(take);
  }
}

void BitWriter::resume(std::span<const std::uint8_t> bytes, std::size_t bitCount) {
  bitCount = std::min(bitCount, 8 * bytes.size());
  bytes_.assign(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>((bitCount + 7) / 8));
  // A stream cut down to its tail (BlockEncoder::detachWritten) gives back a buffer that a burst of points grew.
  if (bytes_.capacity() > 64 && bytes_.capacity() > 4 * bytes_.size()) bytes_.shrink_to_fit();
  bits_ = bitCount;
  // Bits after the end are zero, as write() expects.
  if (const int used = static_cast<int>(bits_ % 8); used != 0) {
    bytes_.back() = static_cast<std::uint8_t>(bytes_.back() & (0xff00u >> used));
  }
}

bool BitReader::read(int n, std::uint64_t& out) {
  if (static_cast<std::size_t>(n) > bitsLeft()) return false;
  std::uint64_t v = 0;
  while (n > 0) {
    const int used = static_cast<int>(pos_ % 8);
    const int take = std::min(8 - used, n);
    const unsigned byte = bytes_[pos_ / 8];
    v = (v << take) | ((byte >> (8 - used - take)) & ((1u << take) - 1));
    n -= take;
    pos_ += static_cast<std::size_t>(take);
  }
  out = v;
  return true;
}

bool BitReader::readBit(bool& out) {
  if (pos_ >= 8 * bytes_.size()) return false;
  out = ((bytes_[pos_ / 8] >> (7 - pos_ % 8)) & 1u) != 0;
  ++pos_;
  return true;
}

bool isQuantisingStep(double step) { return std::isfinite(step) && step > 0; }

namespace {

// Step tags of the format 2 header: a power of ten in one byte (the usual resolutions), the previous quantised
// column's step again, or the 8 bytes of any other step. The powers are literals: each the double nearest to it,
// as the same resolution read from a config file.
constexpr double kPowersOfTen[] = {1e-12, 1e-11, 1e-10, 1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1e0,
                                   1e1,   1e2,   1e3,   1e4,   1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11, 1e12};
constexpr std::uint8_t kStepBits = 0;     // + 8 bytes, big endian
constexpr std::uint8_t kStepSame = 1;     // the previous quantised column's step
constexpr std::uint8_t kStepPower = 116;  // 116 + i: kPowersOfTen[i] (116 .. 140: 1e-12 .. 1e12)

void writeStep(std::vector<std::uint8_t>& out, double step, double previous) {
  if (step == previous) {
    out.push_back(kStepSame);
    return;
  }
  for (std::size_t i = 0; i < std::size(kPowersOfTen); ++i) {
    if (step == kPowersOfTen[i]) {
      out.push_back(static_cast<std::uint8_t>(kStepPower + i));
      return;
    }
  }
  out.push_back(kStepBits);
  const auto bits = std::bit_cast<std::uint64_t>(step);
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<std::uint8_t>(bits >> shift));
}

// The step at `at` (advanced past it); false when the header ends or the tag is unknown.
bool readStep(std::span<const std::uint8_t> block, std::size_t& at, double previous, double& step) {
  if (at >= block.size()) return false;
  const std::uint8_t tag = block[at++];
  if (tag == kStepSame) {
    step = previous;
    return previous > 0;
  }
  if (tag >= kStepPower && tag < kStepPower + std::size(kPowersOfTen)) {
    step = kPowersOfTen[tag - kStepPower];
    return true;
  }
  if (tag != kStepBits || block.size() < at + 8) return false;
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits = (bits << 8) | block[at + static_cast<std::size_t>(i)];
  at += 8;
  step = std::bit_cast<double>(bits);
  return true;
}

}  // namespace

// ---- encoder ---------------------------------------------------------------------------------------------------

BlockEncoder::BlockEncoder(int columns, std::span<const double> steps)
    : columns_(std::clamp(columns, 1, kHistoryBlockMaxColumns)) {
  for (int c = 0; c < columns_ && static_cast<std::size_t>(c) < steps.size(); ++c) {
    if (isQuantisingStep(steps[static_cast<std::size_t>(c)])) state_[c].step = steps[static_cast<std::size_t>(c)];
  }
  headerSize_ = header().size();
}

Status BlockEncoder::append(TimePoint t, std::span<const double> values) {
  if (values.size() != static_cast<std::size_t>(columns_)) {
    return {ErrorCode::InvalidArgument, "history block: a point needs one value per column"};
  }
  if (count_ >= kHistoryBlockMaxPoints) return {ErrorCode::InvalidArgument, "history block: the block is full"};
  if (count_ > 0 && t <= last_) {
    return {ErrorCode::InvalidArgument, "history block: times must increase (" + std::to_string(t) +
                                            " after " + std::to_string(last_) + ")"};
  }
  if (count_ == 0) {
    first_ = t;
    stream_.write(static_cast<std::uint64_t>(t), 64);
    interval_ = 0;
    for (int c = 0; c < columns_; ++c) {
      state_[c] = ColumnState{.step = state_[c].step};
      const double v = values[static_cast<std::size_t>(c)];
      if (state_[c].step > 0) {
        writeQuantised(stream_, state_[c], v, true);
      } else {
        state_[c].previous = bitsOf(v);
        stream_.write(state_[c].previous, 64);
      }
    }
  } else {
    // Unsigned arithmetic: deltas and their differences wrap modulo 2^64 and decode exactly, gaps of any size.
    const std::uint64_t delta = static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(last_);
    writeBucketed(stream_, delta - interval_, kResidualBits);
    interval_ = nextInterval(interval_, delta, count_ == 1);
    for (int c = 0; c < columns_; ++c) {
      const double v = values[static_cast<std::size_t>(c)];
      if (state_[c].step > 0) {
        writeQuantised(stream_, state_[c], v, false);
      } else {
        writeXor(stream_, state_[c], bitsOf(v));
      }
    }
  }
  last_ = t;
  ++count_;
  return Status::ok();
}

std::vector<std::uint8_t> BlockEncoder::header() const {
  std::vector<std::uint8_t> out;
  out.push_back(kHistoryBlockFormat);
  out.push_back(static_cast<std::uint8_t>(columns_));
  out.push_back(static_cast<std::uint8_t>(count_ >> 8));
  out.push_back(static_cast<std::uint8_t>(count_ & 0xff));
  std::uint8_t mask = 0;
  for (int c = 0; c < columns_; ++c) mask = static_cast<std::uint8_t>(mask | (state_[c].step > 0 ? 1u << c : 0u));
  out.push_back(mask);
  double previous = 0;
  for (int c = 0; c < columns_; ++c) {
    if (state_[c].step <= 0) continue;
    writeStep(out, state_[c].step, previous);
    previous = state_[c].step;
  }
  return out;
}

std::size_t BlockEncoder::byteSize() const { return headerSize_ + detached_ + stream_.byteCount(); }

void BlockEncoder::detachWritten() {
  const std::size_t partialBits = stream_.bitCount() % 8;
  const std::size_t keep = partialBits != 0 ? 1 : 0;
  if (stream_.byteCount() <= keep) return;
  detached_ += stream_.byteCount() - keep;
  const std::uint8_t last = stream_.lastByte();
  stream_.resume(std::span<const std::uint8_t>(&last, keep), partialBits);
}

Status BlockEncoder::attach(std::span<const std::uint8_t> stored) {
  if (detached_ == 0) return Status::ok();
  const std::vector<std::uint8_t> head = header();
  // The stored header differs from this one in the count of points only (bytes 2-3).
  const bool sameHeader = stored.size() >= head.size() && stored[0] == head[0] && stored[1] == head[1] &&
                          std::equal(head.begin() + 4, head.end(), stored.begin() + 4);
  if (!sameHeader || stored.size() < headerSize_ + detached_) {
    return {ErrorCode::ParseError, "history block: the stored open block is not the one being written (" +
                                       std::to_string(stored.size()) + " bytes, " +
                                       std::to_string(headerSize_ + detached_) + " expected at least)"};
  }
  std::vector<std::uint8_t> stream(stored.begin() + static_cast<std::ptrdiff_t>(headerSize_),
                                   stored.begin() + static_cast<std::ptrdiff_t>(headerSize_ + detached_));
  const std::size_t bits = 8 * detached_ + stream_.bitCount();
  stream.insert(stream.end(), stream_.bytes().begin(), stream_.bytes().end());
  stream_.resume(stream, bits);
  detached_ = 0;
  return Status::ok();
}

std::vector<std::uint8_t> BlockEncoder::bytes() const {
  std::vector<std::uint8_t> out = header();
  out.insert(out.end(), stream_.bytes().begin(), stream_.bytes().end());
  return out;
}

Result<BlockEncoder> BlockEncoder::resume(std::span<const std::uint8_t> block) {
  auto decoder = BlockDecoder::open(block);
  if (!decoder) return decoder.status();
  double steps[kHistoryBlockMaxColumns] = {};
  for (int c = 0; c < decoder->columns(); ++c) steps[c] = decoder->step(c);
  BlockEncoder e(decoder->columns(), std::span<const double>(steps, static_cast<std::size_t>(decoder->columns())));
  TimePoint t = 0;
  double values[kHistoryBlockMaxColumns];
  const std::span<double> out(values, static_cast<std::size_t>(decoder->columns()));
  const bool reencode = decoder->format() != kHistoryBlockFormat;
  while (decoder->next(t, out)) {
    if (reencode) {
      // A format 1 block: its points written again as format 2 (lossless, as they were stored).
      if (Status s = e.append(t, out); !s) return s;
      continue;
    }
    if (e.count_ == 0) e.first_ = t;
    e.last_ = t;
    ++e.count_;
  }
  if (!decoder->status()) return decoder->status();
  if (reencode) return e;
  e.interval_ = decoder->interval_;
  std::copy(std::begin(decoder->state_), std::end(decoder->state_), std::begin(e.state_));
  e.stream_.resume(block.subspan(decoder->headerSize_), decoder->reader_.position());
  return e;
}

// ---- decoder ---------------------------------------------------------------------------------------------------

BlockDecoder::BlockDecoder(std::span<const std::uint8_t> block, std::size_t headerSize, int format, int columns,
                           std::size_t count)
    : reader_(block.subspan(headerSize)), headerSize_(headerSize), format_(format), columns_(columns),
      count_(count) {}

Result<BlockDecoder> BlockDecoder::open(std::span<const std::uint8_t> block) {
  if (block.size() < kHeaderSize) return Status(ErrorCode::ParseError, "history block: shorter than its header");
  const int format = block[0];
  if (format != kHistoryBlockFormat && format != kHistoryBlockFormatLossless) {
    return Status(ErrorCode::ParseError, "history block: unknown format " + std::to_string(block[0]));
  }
  const int columns = block[1];
  if (columns < 1 || columns > kHistoryBlockMaxColumns) {
    return Status(ErrorCode::ParseError, "history block: " + std::to_string(columns) + " columns");
  }
  const std::size_t count = (std::size_t{block[2]} << 8) | block[3];
  if (format == kHistoryBlockFormatLossless) return BlockDecoder(block, kHeaderSize, format, columns, count);
  if (block.size() < kHeaderSize + 1) return Status(ErrorCode::ParseError, "history block: shorter than its header");
  const unsigned mask = block[kHeaderSize];
  if ((mask >> columns) != 0) {
    return Status(ErrorCode::ParseError, "history block: a step for a column it does not have");
  }
  double steps[kHistoryBlockMaxColumns] = {};
  std::size_t at = kHeaderSize + 1;
  double previous = 0;
  for (int c = 0; c < columns; ++c) {
    if ((mask & (1u << c)) == 0) continue;
    if (!readStep(block, at, previous, steps[c]) || !isQuantisingStep(steps[c])) {
      return Status(ErrorCode::ParseError, "history block: column " + std::to_string(c) + " has no valid step");
    }
    previous = steps[c];
  }
  BlockDecoder d(block, at, format, columns, count);
  for (int c = 0; c < columns; ++c) d.state_[c].step = steps[c];
  return d;
}

bool BlockDecoder::fail() {
  status_ = Status(ErrorCode::ParseError, "history block: damaged after " + std::to_string(read_) + " of " +
                                              std::to_string(count_) + " points");
  read_ = count_;
  return false;
}

bool BlockDecoder::next(TimePoint& t, std::span<double> values) {
  if (read_ >= count_ || values.size() < static_cast<std::size_t>(columns_)) return false;
  if (read_ == 0) {
    std::uint64_t bits = 0;
    if (!reader_.read(64, bits)) return fail();
    t_ = static_cast<TimePoint>(bits);
    interval_ = 0;
    for (int c = 0; c < columns_; ++c) {
      state_[c] = ColumnState{.step = state_[c].step};
      if (state_[c].step > 0 ? !readQuantised(reader_, state_[c], true) : !reader_.read(64, state_[c].previous)) {
        return fail();
      }
    }
  } else {
    std::uint64_t delta = 0;
    if (format_ == kHistoryBlockFormatLossless) {
      std::uint64_t dod = 0;
      if (!readBucketed(reader_, dod, kDodBits)) return fail();
      delta = (read_ == 1 ? 0 : interval_) + dod;
      interval_ = delta;
    } else {
      std::uint64_t residual = 0;
      if (!readBucketed(reader_, residual, kResidualBits)) return fail();
      delta = interval_ + residual;
      interval_ = nextInterval(interval_, delta, read_ == 1);
    }
    const auto tk = static_cast<TimePoint>(static_cast<std::uint64_t>(t_) + delta);
    if (tk <= t_) return fail();  // damaged: the encoder only writes increasing times
    t_ = tk;
    for (int c = 0; c < columns_; ++c) {
      if (state_[c].step > 0 ? !readQuantised(reader_, state_[c], false) : !readXor(reader_, state_[c])) {
        return fail();
      }
    }
  }
  t = t_;
  for (int c = 0; c < columns_; ++c) values[static_cast<std::size_t>(c)] = std::bit_cast<double>(state_[c].previous);
  ++read_;
  return true;
}

}  // namespace gt::connectors
