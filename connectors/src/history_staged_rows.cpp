// The bytes of a staged row. See history_staged_rows.hpp.

#include "history_staged_rows.hpp"

#include <bit>

namespace gt::connectors::history_blocks {
namespace {

constexpr std::uint8_t kFormat = 1;

void putVarint(std::uint64_t v, std::vector<std::uint8_t>& out) {
  while (v >= 0x80) {
    out.push_back(static_cast<std::uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<std::uint8_t>(v));
}

bool getVarint(std::span<const std::uint8_t> in, std::size_t& at, std::uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at >= in.size()) return false;
    const std::uint8_t b = in[at++];
    if (shift == 63 && b > 1) return false;  // more than 64 bits
    v |= static_cast<std::uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

std::uint64_t zigzag(std::int64_t v) {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
std::int64_t unzigzag(std::uint64_t v) {
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

}  // namespace

void encodeStagedRow(std::int64_t group, std::span<const StagedSample> samples, std::vector<std::uint8_t>& out) {
  out.push_back(kFormat);
  const std::int64_t base = group * kStagedGroupSeries;
  TimePoint previous = 0;
  for (const StagedSample& s : samples) {
    putVarint(static_cast<std::uint64_t>(s.series - base), out);
    // The difference wraps in unsigned arithmetic; the decoder wraps it back.
    putVarint(zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(s.t) - static_cast<std::uint64_t>(previous))),
              out);
    previous = s.t;
    const auto bits = std::bit_cast<std::uint64_t>(s.v);
    for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::uint8_t>(bits >> (8 * i)));
  }
}

Status decodeStagedRow(std::span<const std::uint8_t> row, std::int64_t group, std::vector<StagedSample>& out,
                       const std::string& where) {
  const auto damaged = [&](const char* why) {
    return Status(ErrorCode::ParseError, where + ": staged history row of group " + std::to_string(group) + " " + why);
  };
  if (row.empty() || row[0] != kFormat) return damaged("has an unknown format");
  const std::size_t kept = out.size();
  const std::int64_t base = group * kStagedGroupSeries;
  TimePoint previous = 0;
  std::size_t at = 1;
  while (at < row.size()) {
    std::uint64_t offset = 0, dt = 0;
    if (!getVarint(row, at, offset) || !getVarint(row, at, dt) || row.size() - at < 8) {
      out.resize(kept);
      return damaged("is truncated");
    }
    if (offset >= static_cast<std::uint64_t>(kStagedGroupSeries)) {
      out.resize(kept);
      return damaged("names a series outside its group");
    }
    std::uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(row[at + i]) << (8 * i);
    at += 8;
    previous = static_cast<TimePoint>(static_cast<std::uint64_t>(previous) + static_cast<std::uint64_t>(unzigzag(dt)));
    out.push_back({base + static_cast<std::int64_t>(offset), previous, std::bit_cast<double>(bits)});
  }
  return Status::ok();
}

}  // namespace gt::connectors::history_blocks
