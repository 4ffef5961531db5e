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

// The time buckets after the prefix: bit count of the payload for '10', '110', '1110', '11110'.
constexpr int kDodBits[] = {8, 14, 20, 32};

void writeDod(BitWriter& w, std::uint64_t dodBits) {
  const auto dod = static_cast<std::int64_t>(dodBits);
  if (dod == 0) {
    w.writeBit(false);
    return;
  }
  for (int i = 0; i < 4; ++i) {
    if (fits(dod, kDodBits[i])) {
      // i + 1 one bits, then a zero: '10', '110', '1110', '11110'.
      w.write(((std::uint64_t{1} << (i + 1)) - 1) << 1, i + 2);
      w.write(dodBits & ((std::uint64_t{1} << kDodBits[i]) - 1), kDodBits[i]);
      return;
    }
  }
  w.write(0b11111, 5);
  w.write(dodBits, 64);
}

bool readDod(BitReader& r, std::uint64_t& dod) {
  int ones = 0;
  for (; ones < 5; ++ones) {
    bool bit = false;
    if (!r.readBit(bit)) return false;
    if (!bit) break;
  }
  if (ones == 0) {
    dod = 0;
    return true;
  }
  const int n = ones == 5 ? 64 : kDodBits[ones - 1];
  std::uint64_t payload = 0;
  if (!r.read(n, payload)) return false;
  dod = n == 64 ? payload : static_cast<std::uint64_t>(signExtend(payload, n));
  return true;
}

void writeXor(BitWriter& w, XorColumnState& s, std::uint64_t bits) {
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

bool readXor(BitReader& r, XorColumnState& s) {
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

// ---- encoder ---------------------------------------------------------------------------------------------------

BlockEncoder::BlockEncoder(int columns) : columns_(std::clamp(columns, 1, kHistoryBlockMaxColumns)) {}

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
    for (int c = 0; c < columns_; ++c) {
      state_[c] = XorColumnState{};
      state_[c].previous = bitsOf(values[static_cast<std::size_t>(c)]);
      stream_.write(state_[c].previous, 64);
    }
    delta_ = 0;
  } else {
    // Unsigned arithmetic: deltas and their differences wrap modulo 2^64 and decode exactly, gaps of any size.
    const std::uint64_t delta = static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(last_);
    const std::uint64_t previousDelta = count_ == 1 ? 0 : delta_;
    writeDod(stream_, delta - previousDelta);
    delta_ = delta;
    for (int c = 0; c < columns_; ++c) writeXor(stream_, state_[c], bitsOf(values[static_cast<std::size_t>(c)]));
  }
  last_ = t;
  ++count_;
  return Status::ok();
}

std::vector<std::uint8_t> BlockEncoder::bytes() const {
  std::vector<std::uint8_t> out;
  out.reserve(byteSize());
  out.push_back(kHistoryBlockFormat);
  out.push_back(static_cast<std::uint8_t>(columns_));
  out.push_back(static_cast<std::uint8_t>(count_ >> 8));
  out.push_back(static_cast<std::uint8_t>(count_ & 0xff));
  out.insert(out.end(), stream_.bytes().begin(), stream_.bytes().end());
  return out;
}

Result<BlockEncoder> BlockEncoder::resume(std::span<const std::uint8_t> block) {
  auto decoder = BlockDecoder::open(block);
  if (!decoder) return decoder.status();
  BlockEncoder e(decoder->columns());
  TimePoint t = 0;
  double values[kHistoryBlockMaxColumns];
  const std::span<double> out(values, static_cast<std::size_t>(decoder->columns()));
  while (decoder->next(t, out)) {
    if (e.count_ == 0) e.first_ = t;
    e.last_ = t;
    ++e.count_;
  }
  if (!decoder->status()) return decoder->status();
  e.delta_ = decoder->delta_;
  std::copy(std::begin(decoder->state_), std::end(decoder->state_), std::begin(e.state_));
  e.stream_.resume(block.subspan(kHeaderSize), decoder->reader_.position());
  return e;
}

// ---- decoder ---------------------------------------------------------------------------------------------------

BlockDecoder::BlockDecoder(std::span<const std::uint8_t> block, int columns, std::size_t count)
    : reader_(block.subspan(kHeaderSize)), columns_(columns), count_(count) {}

Result<BlockDecoder> BlockDecoder::open(std::span<const std::uint8_t> block) {
  if (block.size() < kHeaderSize) return Status(ErrorCode::ParseError, "history block: shorter than its header");
  if (block[0] != kHistoryBlockFormat) {
    return Status(ErrorCode::ParseError, "history block: unknown format " + std::to_string(block[0]));
  }
  const int columns = block[1];
  if (columns < 1 || columns > kHistoryBlockMaxColumns) {
    return Status(ErrorCode::ParseError, "history block: " + std::to_string(columns) + " columns");
  }
  const std::size_t count = (std::size_t{block[2]} << 8) | block[3];
  return BlockDecoder(block, columns, count);
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
    for (int c = 0; c < columns_; ++c) {
      if (!reader_.read(64, state_[c].previous)) return fail();
    }
    delta_ = 0;
  } else {
    std::uint64_t dod = 0;
    if (!readDod(reader_, dod)) return fail();
    delta_ = (read_ == 1 ? 0 : delta_) + dod;
    const auto tk = static_cast<TimePoint>(static_cast<std::uint64_t>(t_) + delta_);
    if (tk <= t_) return fail();  // damaged: the encoder only writes increasing times
    t_ = tk;
    for (int c = 0; c < columns_; ++c) {
      if (!readXor(reader_, state_[c])) return fail();
    }
  }
  t = t_;
  for (int c = 0; c < columns_; ++c) values[static_cast<std::size_t>(c)] = std::bit_cast<double>(state_[c].previous);
  ++read_;
  return true;
}

}  // namespace gt::connectors
