#pragma once
// Connectors-private: the arithmetic of history buckets that the stores share (history_store.cpp's defaults,
// sqlite_history*.cpp): a running min / max / mean / count, floor division of times into buckets, and the
// regrouping of a level's points into a chart's equal-width buckets.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "greentwin/connectors/history_store.hpp"

namespace gt::connectors::buckets {

// min / max / sum / count of non-NaN values; merges partial buckets exactly (but the sum's rounding).
struct Aggregate {
  double min = std::numeric_limits<double>::infinity();
  double max = -std::numeric_limits<double>::infinity();
  double sum = 0;
  std::uint64_t count = 0;

  void add(double v) {
    if (std::isnan(v)) return;
    min = std::min(min, v);
    max = std::max(max, v);
    sum += v;
    ++count;
  }
  void merge(const HistoryBucket& b) {
    if (b.count == 0) return;
    min = std::min(min, b.min);
    max = std::max(max, b.max);
    sum += b.mean * static_cast<double>(b.count);
    count += b.count;
  }
  HistoryBucket bucket(TimePoint t) const {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    if (count == 0) return {t, nan, nan, nan, 0};
    return {t, min, max, sum / static_cast<double>(count), count};
  }
};

// The start of t's bucket of `width` (floor, also for times before 1970).
inline TimePoint bucketStart(TimePoint t, Duration width) {
  TimePoint q = t / width;
  if (t % width != 0 && t < 0) --q;
  return q * width;
}

// The width that cuts [t0, t1] into at most maxPoints buckets (maxPoints >= 1), as TimeSeriesStore::range.
inline Duration chartWidth(TimePoint t0, TimePoint t1, std::size_t maxPoints) {
  const std::uint64_t span = static_cast<std::uint64_t>(t1) - static_cast<std::uint64_t>(t0);
  const std::uint64_t w = span / maxPoints + 1;
  return w > static_cast<std::uint64_t>(std::numeric_limits<Duration>::max()) ? std::numeric_limits<Duration>::max()
                                                                             : static_cast<Duration>(w);
}

// Regroups ascending points (raw samples as count-1 buckets, or rollup points) with t0 <= time <= t1 into buckets
// of `width` starting at t0; empty buckets are left out.
inline std::vector<HistoryBucket> regroup(const std::vector<HistoryBucket>& points, TimePoint t0, Duration width) {
  std::vector<HistoryBucket> out;
  Aggregate a;
  std::uint64_t current = 0;
  bool open = false;
  const auto flush = [&] {
    if (open && a.count > 0) {
      out.push_back(a.bucket(static_cast<TimePoint>(static_cast<std::uint64_t>(t0) +
                                                    current * static_cast<std::uint64_t>(width))));
    }
  };
  for (const HistoryBucket& p : points) {
    const std::uint64_t index = (static_cast<std::uint64_t>(p.time) - static_cast<std::uint64_t>(t0)) /
                                static_cast<std::uint64_t>(width);
    if (!open || index != current) {
      flush();
      a = Aggregate{};
      current = index;
      open = true;
    }
    a.merge(p);
  }
  flush();
  return out;
}

inline HistoryBucket rawBucket(TimePoint t, double v) {
  if (std::isnan(v)) return {t, v, v, v, 0};
  return {t, v, v, v, 1};
}

// A summary of raw samples over [t0, t1] (rawBucket each, ascending): as they are when no more than maxPoints,
// else regrouped into maxPoints equal buckets from t0 (HistoryStore::summary at the raw level).
inline HistorySummary rawSummary(std::vector<HistoryBucket> samples, TimePoint t0, TimePoint t1,
                                 std::size_t maxPoints) {
  HistorySummary out;
  out.buckets = std::move(samples);
  if (out.buckets.size() <= maxPoints) return out;
  out.raw = false;
  out.bucketWidth = chartWidth(t0, t1, maxPoints);
  out.buckets = regroup(out.buckets, t0, out.bucketWidth);
  return out;
}

}  // namespace gt::connectors::buckets
