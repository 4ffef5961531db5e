// What the history backends share about their blocks. See history_block_table.hpp.

#include "history_block_table.hpp"

#include <cmath>

namespace gt::connectors::history_blocks {

HistoryBucket toBucket(const Point& p, int level) {
  if (level == 0) {
    const double v = p.v[0];
    return {p.t, v, v, v, std::isnan(v) ? 0u : 1u};
  }
  return {p.t, p.v[0], p.v[1], p.v[2], static_cast<std::uint64_t>(p.v[3])};
}

Point fromBucket(const HistoryBucket& b) { return {b.time, {b.min, b.max, b.mean, static_cast<double>(b.count)}}; }

Status decodePoints(std::span<const std::uint8_t> data, int level, std::vector<Point>& out, double* step) {
  auto decoder = BlockDecoder::open(data);
  if (!decoder) return decoder.status();
  if (step != nullptr) *step = decoder->step(0);
  if (decoder->columns() != columnsOf(level)) {
    return {ErrorCode::ParseError, "history block of level " + std::to_string(level) + " has " +
                                       std::to_string(decoder->columns()) + " columns"};
  }
  Point p;
  const std::span<double> values(p.v.data(), static_cast<std::size_t>(decoder->columns()));
  out.reserve(out.size() + decoder->count());
  while (decoder->next(p.t, values)) out.push_back(p);
  return decoder->status();
}

Status appendPointsIn(std::span<const std::uint8_t> data, TimePoint tFirst, TimePoint tLast, TimePoint t0,
                      TimePoint t1, int level, std::vector<Point>& out, const std::string& where) {
  if (tFirst >= t0 && tLast <= t1) {
    // The common case of a window read: every point is wanted, decode straight into the result.
    if (Status s = decodePoints(data, level, out); !s) return {s.code(), where + ": " + s.message()};
    return Status::ok();
  }
  std::vector<Point> block;
  if (Status s = decodePoints(data, level, block); !s) return {s.code(), where + ": " + s.message()};
  for (const Point& p : block) {
    if (p.t >= t0 && p.t <= t1) out.push_back(p);
  }
  return Status::ok();
}

BlockEncoder newBlock(int level, double step) {
  // The mean at a thousandth of the step: merging partial buckets re-rounds it, and those errors must stay far
  // below the samples' own half step (min and max are stored samples: exact at the step).
  const double steps[] = {step, step, step * 1e-3, 1.0};
  return BlockEncoder(columnsOf(level), std::span<const double>(steps, level == 0 ? 1 : 4));
}

Result<BlockEncoder> encodePoints(std::span<const Point> points, int level, double step) {
  BlockEncoder e = newBlock(level, step);
  const auto columns = static_cast<std::size_t>(columnsOf(level));
  for (const Point& p : points) {
    if (Status s = e.append(p.t, std::span<const double>(p.v.data(), columns)); !s) return s;
  }
  return e;
}

}  // namespace gt::connectors::history_blocks
