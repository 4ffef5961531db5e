#include "greentwin/core/time_series.hpp"

#include <algorithm>
#include <cmath>

namespace gt {

namespace {

constexpr std::size_t kInitialCapacity = 8;

// Wrap-free distance t - t0 for t >= t0 over the whole int64 range.
std::uint64_t offsetFrom(TimePoint t0, TimePoint t) {
  return static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(t0);
}

}  // namespace

TimeSeriesStore::TimeSeriesStore(RetentionPolicy policy) : policy_(policy) {
  policy_.maxSamplesPerSeries = std::clamp<std::size_t>(policy_.maxSamplesPerSeries, 1, kNoSeries);
  policy_.maxAge = std::max<Duration>(policy_.maxAge, 0);
}

// ---- lookup -------------------------------------------------------------------------------------------------

const TimeSeriesStore::Series* TimeSeriesStore::find(EntityIndex entity, AttributeId attribute) const {
  if (attribute >= columns_.size()) return nullptr;
  const auto& column = columns_[attribute];
  if (entity >= column.size()) return nullptr;
  const std::uint32_t index = column[entity];
  return index == kNoSeries ? nullptr : &series_[index];
}

// The common case, a series that exists, is inlined into append; creating one is out of line.
inline TimeSeriesStore::Series& TimeSeriesStore::findOrCreate(EntityIndex entity, AttributeId attribute) {
  if (attribute < columns_.size()) {
    const auto& column = columns_[attribute];
    if (entity < column.size()) {
      const std::uint32_t index = column[entity];
      if (index != kNoSeries) return series_[index];
    }
  }
  return createSeries(entity, attribute);
}

TimeSeriesStore::Series& TimeSeriesStore::createSeries(EntityIndex entity, AttributeId attribute) {
  if (attribute >= columns_.size()) columns_.resize(std::size_t{attribute} + 1);
  auto& column = columns_[attribute];
  if (entity >= column.size()) column.resize(std::size_t{entity} + 1, kNoSeries);
  column[entity] = static_cast<std::uint32_t>(series_.size());
  return series_.emplace_back();
}

std::size_t TimeSeriesStore::guessIndex(const Series& s, TimePoint t) {
  const double fraction =
      static_cast<double>(offsetFrom(s.oldest(), t)) / static_cast<double>(offsetFrom(s.oldest(), s.newest));
  const auto guess = static_cast<std::size_t>(fraction * static_cast<double>(s.count - 1));
  return std::min<std::size_t>(guess, s.count - 2);
}

std::ptrdiff_t TimeSeriesStore::findLE(const Series& s, TimePoint t) {
  const std::size_t n = s.count;
  if (n == 0 || t < s.oldest()) return -1;
  if (t >= s.newest) return static_cast<std::ptrdiff_t>(n - 1);
  // Here n >= 2 and oldest <= t < newest. Start from the interpolation guess (usually two probes), gallop
  // outwards if it missed and finish with a binary search.
  const std::size_t guess = guessIndex(s, t);
  std::size_t lo = 0;      // time(lo) <= t
  std::size_t hi = n - 1;  // time(hi) > t
  if (s.timeAt(guess) <= t) {
    lo = guess;
    for (std::size_t step = 1;; step *= 2) {
      const std::size_t probe = lo + step;
      if (probe >= n - 1) break;
      if (s.timeAt(probe) <= t) {
        lo = probe;
      } else {
        hi = probe;
        break;
      }
    }
  } else {
    hi = guess;
    for (std::size_t step = 1;; step *= 2) {
      if (step >= hi) break;
      const std::size_t probe = hi - step;
      if (s.timeAt(probe) > t) {
        hi = probe;
      } else {
        lo = probe;
        break;
      }
    }
  }
  while (hi - lo > 1) {
    const std::size_t mid = lo + (hi - lo) / 2;
    if (s.timeAt(mid) <= t) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return static_cast<std::ptrdiff_t>(lo);
}

std::optional<Sample> TimeSeriesStore::sampleSeries(const Series& s, TimePoint t, Interpolation interp) {
  const std::ptrdiff_t found = findLE(s, t);
  if (found < 0) return std::nullopt;
  const auto i = static_cast<std::size_t>(found);
  const TimePoint t0 = s.timeAt(i);
  const double v0 = s.valueAt(i);
  if (interp == Interpolation::Step || t0 == t || i + 1 == s.count) return Sample{v0, t0};
  const TimePoint t1 = s.timeAt(i + 1);
  const double v1 = s.valueAt(i + 1);
  const double f = static_cast<double>(t - t0) / static_cast<double>(t1 - t0);
  return Sample{v0 + (v1 - v0) * f, t0};
}

// ---- mutation -----------------------------------------------------------------------------------------------

// Many series are appended round-robin, more streams than the hardware prefetcher follows: fetch the cache lines
// this series will write a few appends from now, so that write does not wait for memory.
inline void TimeSeriesStore::prefetchAhead(const Series& s, std::size_t written) {
  const std::size_t cap = s.capacity();
  if (cap < 16) return;
  std::size_t ahead = written + 4;  // 4 slots of 16 bytes: the next cache line
  if (ahead >= cap) ahead -= cap;
  __builtin_prefetch(s.ring.get() + ahead, 1);
}

void TimeSeriesStore::grow(Series& s) {
  const std::size_t cap = s.capacity();
  const std::size_t newCap = std::min(std::max(cap * 2, kInitialCapacity), policy_.maxSamplesPerSeries);
  auto ring = std::make_unique_for_overwrite<Slot[]>(newCap);
  for (std::size_t i = 0; i < s.count; ++i) ring[i] = s.ring[s.phys(i)];
  s.ring = std::move(ring);
  s.cap = static_cast<std::uint32_t>(newCap);
  s.head = 0;
}

void TimeSeriesStore::popFront(Series& s) {
  ++s.head;
  if (s.head == s.capacity()) s.head = 0;
  --s.count;
}

void TimeSeriesStore::pushBack(Series& s, TimePoint t, double value, TimeSeriesStats& st) {
  if (s.count == s.capacity()) {
    if (s.capacity() < policy_.maxSamplesPerSeries) {
      grow(s);
    } else {
      popFront(s);
      ++st.evictedByCapacity;
    }
  }
  const std::size_t p = s.phys(s.count);
  s.ring[p] = Slot{t, value};
  s.newest = t;
  ++s.count;
  prefetchAhead(s, p);
}

void TimeSeriesStore::insertAt(Series& s, std::size_t logical, TimePoint t, double value, TimeSeriesStats& st) {
  if (s.count == s.capacity()) {
    if (s.capacity() < policy_.maxSamplesPerSeries) {
      grow(s);
    } else {
      ++st.evictedByCapacity;
      if (logical == 0) return;  // older than everything a full series keeps: it would be evicted at once
      popFront(s);
      --logical;
    }
  }
  for (std::size_t j = s.count; j > logical; --j) {
    const std::size_t to = s.phys(j);
    const std::size_t from = s.phys(j - 1);
    s.ring[to] = s.ring[from];
  }
  s.ring[s.phys(logical)] = Slot{t, value};
  ++s.count;
  s.refreshNewest();
}

void TimeSeriesStore::evictByAge(Series& s, TimeSeriesStats& st) const {
  if (policy_.maxAge <= 0 || s.count == 0) return;
  const TimePoint newest = s.newest;
  if (newest < kNoTime + policy_.maxAge) return;  // cutoff would underflow: nothing can be that old
  const TimePoint cutoff = newest - policy_.maxAge;
  while (s.count > 0 && s.oldest() < cutoff) {
    popFront(s);
    ++st.evictedByAge;
  }
}

// Everything but the steady state of a full ring: growth, overwrite, late samples.
void TimeSeriesStore::appendSlow(Series& s, TimePoint t, double value, TimeSeriesStats& st) {
  if (s.count == 0 || t > s.newest) {  // in order
    pushBack(s, t, value, st);
    evictByAge(s, st);
    return;
  }
  const TimePoint newest = s.newest;
  if (t == newest) {
    s.ring[s.phys(s.count - 1)].value = value;
    ++st.overwritten;
    return;
  }
  ++st.outOfOrder;
  if (policy_.maxAge > 0 && newest >= kNoTime + policy_.maxAge && t < newest - policy_.maxAge) {
    ++st.evictedByAge;  // already outside the retention window
    return;
  }
  const std::ptrdiff_t i = findLE(s, t);
  if (i >= 0 && s.timeAt(static_cast<std::size_t>(i)) == t) {
    s.ring[s.phys(static_cast<std::size_t>(i))].value = value;
    ++st.overwritten;
    return;
  }
  insertAt(s, static_cast<std::size_t>(i + 1), t, value, st);
}

// The hot path, inlined into both append overloads: an in-order sample into a full ring takes the oldest
// sample's slot (no branch on growth, no call).
[[gnu::always_inline]] inline void TimeSeriesStore::appendImpl(EntityIndex entity, AttributeId attribute,
                                                               TimePoint t, double value, TimeSeriesStats& st) {
  if (entity == kInvalidEntity || attribute == kInvalidAttribute) return;
  ++st.appended;
  Series& s = findOrCreate(entity, attribute);
  const std::size_t cap = s.capacity();
  if (s.count == cap && cap == policy_.maxSamplesPerSeries && t > s.newest) {
    const std::size_t p = s.head;
    s.ring[p] = Slot{t, value};
    const std::size_t next = p + 1 == cap ? 0 : p + 1;
    s.head = static_cast<std::uint32_t>(next);
    s.newest = t;
    ++st.evictedByCapacity;
    prefetchAhead(s, p);
    if (policy_.maxAge > 0) evictByAge(s, st);
    return;
  }
  appendSlow(s, t, value, st);
}

void TimeSeriesStore::append(EntityIndex entity, AttributeId attribute, TimePoint t, double value) {
  appendImpl(entity, attribute, t, value, stats_);
}

void TimeSeriesStore::append(std::span<const SampleUpdate> batch) {
  TimeSeriesStats st = stats_;
  // A batch drained from the ingest channel was written on another core: read it well ahead of use.
  constexpr std::size_t kAhead = 32;  // samples (768 bytes)
  const std::size_t n = batch.size();
  const SampleUpdate* const data = batch.data();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(data + i + kAhead);
    const SampleUpdate& u = data[i];
    appendImpl(u.entity, u.attribute, u.time, u.value, st);
  }
  stats_ = st;
}

void TimeSeriesStore::clear() {
  series_.clear();
  series_.shrink_to_fit();
  columns_.clear();
  columns_.shrink_to_fit();
}

// ---- queries ------------------------------------------------------------------------------------------------

std::optional<Sample> TimeSeriesStore::valueAt(EntityIndex entity, AttributeId attribute, TimePoint t,
                                               Interpolation interp) const {
  const Series* s = find(entity, attribute);
  if (s == nullptr) return std::nullopt;
  return sampleSeries(*s, t, interp);
}

std::optional<Sample> TimeSeriesStore::latest(EntityIndex entity, AttributeId attribute) const {
  const Series* s = find(entity, attribute);
  if (s == nullptr || s->count == 0) return std::nullopt;
  return Sample{s->valueAt(s->count - 1), s->newest};
}

template <typename V>
std::size_t TimeSeriesStore::sampleAllImpl(AttributeId attribute, TimePoint t, Interpolation interp,
                                           std::span<V> values, std::span<TimePoint> sampleTimes) const {
  std::fill(values.begin(), values.end(), std::numeric_limits<V>::quiet_NaN());
  std::fill(sampleTimes.begin(), sampleTimes.end(), kNoTime);
  if (attribute >= columns_.size()) return 0;
  const auto& column = columns_[attribute];
  const std::size_t n = std::min(values.size(), column.size());
  const std::size_t withTimes = std::min(n, sampleTimes.size());
  std::size_t found = 0;
  // Each series lives in its own buffers, so the loop is bound by memory latency, not arithmetic. Three prefetch
  // stages run ahead of the search: the series header (3 x kAhead entities ahead), then its oldest slot (2 x:
  // the header is in cache by then), then the lines the interpolation guess will probe (1 x: header and oldest
  // time are in cache). The search then hits the cache.
  constexpr std::size_t kAhead = 16;
  for (std::size_t e = 0; e < n; ++e) {
    if (e + 3 * kAhead < n && column[e + 3 * kAhead] != kNoSeries) {
      __builtin_prefetch(&series_[column[e + 3 * kAhead]]);
    }
    if (e + 2 * kAhead < n && column[e + 2 * kAhead] != kNoSeries) {
      const Series& ahead = series_[column[e + 2 * kAhead]];
      if (ahead.count > 0) __builtin_prefetch(ahead.ring.get() + ahead.head);
    }
    if (e + kAhead < n && column[e + kAhead] != kNoSeries) {
      const Series& ahead = series_[column[e + kAhead]];
      if (ahead.count >= 2 && t >= ahead.oldest()) {
        const std::size_t probe = t >= ahead.newest ? ahead.count - 1 : guessIndex(ahead, t);
        __builtin_prefetch(ahead.ring.get() + ahead.phys(probe));
      }
    }
    const std::uint32_t index = column[e];
    if (index == kNoSeries) continue;
    const std::optional<Sample> s = sampleSeries(series_[index], t, interp);
    if (!s) continue;
    values[e] = static_cast<V>(s->value);
    if (e < withTimes) sampleTimes[e] = s->sampleTime;
    ++found;
  }
  return found;
}

std::size_t TimeSeriesStore::sampleAll(AttributeId attribute, TimePoint t, Interpolation interp,
                                       std::span<float> values, std::span<TimePoint> sampleTimes) const {
  return sampleAllImpl(attribute, t, interp, values, sampleTimes);
}

std::size_t TimeSeriesStore::sampleAll(AttributeId attribute, TimePoint t, Interpolation interp,
                                       std::span<double> values, std::span<TimePoint> sampleTimes) const {
  return sampleAllImpl(attribute, t, interp, values, sampleTimes);
}

RangeResult TimeSeriesStore::range(EntityIndex entity, AttributeId attribute, TimePoint t0, TimePoint t1,
                                   std::size_t maxPoints) const {
  RangeResult result;
  const Series* s = find(entity, attribute);
  if (s == nullptr || maxPoints == 0 || t1 < t0) return result;
  const std::size_t lo = t0 == kNoTime ? 0 : static_cast<std::size_t>(findLE(*s, t0 - 1) + 1);
  const std::size_t hi = static_cast<std::size_t>(findLE(*s, t1) + 1);
  if (hi <= lo) return result;
  const std::size_t n = hi - lo;
  if (n <= maxPoints) {
    result.points.reserve(n);
    for (std::size_t i = lo; i < hi; ++i) {
      const double v = s->valueAt(i);
      result.points.push_back({s->timeAt(i), v, v, v, 1});
    }
    return result;
  }
  result.raw = false;
  const std::uint64_t width = offsetFrom(t0, t1) / maxPoints + 1;  // maxPoints buckets cover [t0, t1]
  result.bucketWidth = static_cast<Duration>(width);
  result.points.reserve(maxPoints);
  std::uint64_t current = std::numeric_limits<std::uint64_t>::max();
  double sum = 0;
  RangeBucket bucket;
  auto flush = [&] {
    if (bucket.count == 0) return;
    bucket.mean = sum / bucket.count;
    result.points.push_back(bucket);
  };
  for (std::size_t i = lo; i < hi; ++i) {
    const TimePoint t = s->timeAt(i);
    const double v = s->valueAt(i);
    const std::uint64_t b = offsetFrom(t0, t) / width;
    if (b != current) {
      flush();
      current = b;
      bucket = {static_cast<TimePoint>(static_cast<std::uint64_t>(t0) + b * width), v, v, v, 0};
      sum = 0;
    }
    bucket.min = std::min(bucket.min, v);
    bucket.max = std::max(bucket.max, v);
    sum += v;
    ++bucket.count;
  }
  flush();
  return result;
}

std::optional<TimeRange> TimeSeriesStore::span(EntityIndex entity, AttributeId attribute) const {
  const Series* s = find(entity, attribute);
  if (s == nullptr || s->count == 0) return std::nullopt;
  return TimeRange{s->oldest(), s->newest};
}

std::size_t TimeSeriesStore::sampleCount(EntityIndex entity, AttributeId attribute) const {
  const Series* s = find(entity, attribute);
  return s == nullptr ? 0 : s->count;
}

std::size_t TimeSeriesStore::totalSamples() const {
  std::size_t total = 0;
  for (const Series& s : series_) total += s.count;
  return total;
}

std::size_t TimeSeriesStore::memoryBytes() const {
  std::size_t bytes = sizeof(*this) + series_.capacity() * sizeof(Series) +
                      columns_.capacity() * sizeof(std::vector<std::uint32_t>);
  for (const Series& s : series_) {
    bytes += std::size_t{s.cap} * sizeof(Slot);
  }
  for (const auto& column : columns_) bytes += column.capacity() * sizeof(std::uint32_t);
  return bytes;
}

}  // namespace gt
