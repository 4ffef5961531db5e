#pragma once
// The time-series store (DESIGN.md "How data flows", step 2): the values of dynamic attributes ("pm25",
// "power_kw") per entity over time, in bounded memory. See docs/time-series.md.
//
// One series per (EntityIndex, AttributeId). Each series is a ring buffer in structure-of-arrays form (an int64
// time array and a double value array), sorted by time, growing by doubling up to
// RetentionPolicy::maxSamplesPerSeries and then overwriting its oldest sample. Series are found by dense indexing
// (a per-attribute column of series slots indexed by EntityIndex), never by a map lookup.
//
// Not thread-safe: owned by the update thread. Ingest threads never call it; they hand decoded update batches
// through a bounded channel, and the update thread applies them with append(std::span<const SampleUpdate>)
// before the frame samples the store at the clock's time.

#include <cstddef>
#include <type_traits>
#include <memory>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/time.hpp"

namespace gt {

inline constexpr TimePoint kNoTime = std::numeric_limits<TimePoint>::min();

enum class Interpolation {
  Step,    // the last sample at or before t (sample-and-hold)
  Linear,  // straight line between the samples either side of t
};

struct Sample {
  double value = 0;
  // The newest real sample at or before the query time: for Step the sample used, for Linear the left neighbour.
  // Callers compare it with the query time to show stale values (a station that stopped reporting).
  TimePoint sampleTime = kNoTime;
};

struct RetentionPolicy {
  // Ring-buffer capacity of each series (>= 1); the oldest sample is evicted when full.
  std::size_t maxSamplesPerSeries = 4096;
  // Samples older than (newest sample of the series - maxAge) are dropped on append; 0 means no age limit.
  Duration maxAge = 0;
};

struct TimeSeriesStats {
  std::uint64_t appended = 0;           // append calls (every outcome below is also counted here)
  std::uint64_t overwritten = 0;        // a sample with the same time existed: value replaced
  std::uint64_t outOfOrder = 0;         // t older than the series' newest sample: inserted in order
  std::uint64_t evictedByCapacity = 0;  // oldest sample dropped (or a too-old insert refused) by a full series
  std::uint64_t evictedByAge = 0;       // samples dropped (or refused) for being older than newest - maxAge
};

// One sample on its way from a feed to the store. A trivial type on purpose (no default member values), so that
// batches of them are copied with memmove: the ingest channel copies every live update once, and an element-wise
// copy of the (non-trivial) struct cost the ingest thread about a quarter of its time (bench/ingest_bench).
// Always initialise all four fields: `SampleUpdate{}` is entity 0, attribute 0, time 0, value 0.
struct SampleUpdate {
  EntityIndex entity;
  AttributeId attribute;
  TimePoint time;
  double value;
};
static_assert(std::is_trivial_v<SampleUpdate>);

// One chart point. Raw samples have count 1 and min == max == mean == the value, time == the sample time.
// Downsampled buckets have time == the bucket start and summarise every sample in [time, time + width).
struct RangeBucket {
  TimePoint time = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  std::uint32_t count = 0;
};

struct RangeResult {
  std::vector<RangeBucket> points;  // ascending time; empty buckets are omitted
  bool raw = true;                  // true: one point per sample; false: downsampled buckets
  Duration bucketWidth = 0;         // 0 when raw
};

class TimeSeriesStore {
 public:
  explicit TimeSeriesStore(RetentionPolicy policy = {});

  const RetentionPolicy& policy() const { return policy_; }

  // Appends one sample. Fast path: t > the series' newest time (amortised O(1), no allocation once the ring is
  // full). t == newest overwrites; older t is inserted in time order (O(n) shift, counted as outOfOrder); an
  // older t equal to a stored time overwrites it. Invalid entity/attribute sentinels are ignored.
  void append(EntityIndex entity, AttributeId attribute, TimePoint t, double value);
  void append(std::span<const SampleUpdate> batch);

  // Value at t. nullopt when the series is unknown or empty, or t is before its first sample. At or after the
  // last sample both modes return the last sample (with its time, so staleness is visible).
  std::optional<Sample> valueAt(EntityIndex entity, AttributeId attribute, TimePoint t,
                                Interpolation interp = Interpolation::Step) const;
  std::optional<Sample> latest(EntityIndex entity, AttributeId attribute) const;

  // The per-frame path: samples `attribute` at t for entities 0 .. values.size()-1 into a dense array (e.g. the
  // per-building value texture). Entities without a value get NaN (and kNoTime in sampleTimes). sampleTimes is
  // optional; when given, entries up to its size are written. Returns the number of entities with a value.
  std::size_t sampleAll(AttributeId attribute, TimePoint t, Interpolation interp, std::span<float> values,
                        std::span<TimePoint> sampleTimes = {}) const;
  std::size_t sampleAll(AttributeId attribute, TimePoint t, Interpolation interp, std::span<double> values,
                        std::span<TimePoint> sampleTimes = {}) const;

  // Samples with t0 <= time <= t1 for a chart. With at most maxPoints samples they come back raw; otherwise
  // [t0, t1] is cut into maxPoints equal-width buckets, each with min/max/mean/count, so spikes stay visible.
  // maxPoints == 0, t1 < t0 or an unknown series give an empty result.
  RangeResult range(EntityIndex entity, AttributeId attribute, TimePoint t0, TimePoint t1,
                    std::size_t maxPoints) const;

  // First and last sample times of a series; nullopt when unknown or empty.
  std::optional<TimeRange> span(EntityIndex entity, AttributeId attribute) const;
  std::size_t sampleCount(EntityIndex entity, AttributeId attribute) const;
  std::size_t seriesCount() const { return series_.size(); }
  std::size_t totalSamples() const;
  // Heap bytes held by the store (buffers at their allocated capacity, index tables), plus the object itself.
  std::size_t memoryBytes() const;
  const TimeSeriesStats& stats() const { return stats_; }
  // Drops every sample and series (keeps the policy; stats are kept).
  void clear();

 private:
  static constexpr std::uint32_t kNoSeries = std::numeric_limits<std::uint32_t>::max();

  // One sample in a series' ring: time and value side by side, so an append writes one cache line, not two
  // (the append of many series in lockstep was bound by those lines: bench/ingest_bench).
  struct Slot {
    TimePoint time;
    double value;
  };

  // 32 bytes: two series headers per cache line.
  struct Series {
    std::unique_ptr<Slot[]> ring;  // physical ring buffer of `cap` slots
    // A copy of the newest time, so the in-order append knows where it goes without a load from the ring.
    // (The oldest time is read from the ring, ring[head], when needed: caching it cost the full-ring append a
    // load of a slot written a whole ring ago, usually a cache miss, measured in bench/ingest_bench.)
    // Valid when count > 0.
    TimePoint newest = 0;
    std::uint32_t cap = 0;
    std::uint32_t head = 0;        // physical index of the oldest sample
    std::uint32_t count = 0;

    std::size_t capacity() const { return cap; }
    std::size_t phys(std::size_t logical) const {
      const std::size_t p = head + logical;
      return p >= cap ? p - cap : p;
    }
    TimePoint timeAt(std::size_t logical) const { return ring[phys(logical)].time; }
    double valueAt(std::size_t logical) const { return ring[phys(logical)].value; }
    TimePoint oldest() const { return ring[head].time; }  // count > 0
    void refreshNewest() {
      if (count > 0) newest = timeAt(count - 1);
    }
  };

  const Series* find(EntityIndex entity, AttributeId attribute) const;
  Series& findOrCreate(EntityIndex entity, AttributeId attribute);
  Series& createSeries(EntityIndex entity, AttributeId attribute);

  // Logical index of the last sample with time <= t, or -1.
  static std::ptrdiff_t findLE(const Series& s, TimePoint t);
  // Interpolation guess for findLE, for oldest <= t < newest (count >= 2): exact for regularly sampled series.
  static std::size_t guessIndex(const Series& s, TimePoint t);
  static std::optional<Sample> sampleSeries(const Series& s, TimePoint t, Interpolation interp);
  template <typename V>
  std::size_t sampleAllImpl(AttributeId attribute, TimePoint t, Interpolation interp, std::span<V> values,
                            std::span<TimePoint> sampleTimes) const;

  // Mutation helpers take the stats to update, so a batch can count in a local copy (kept in registers).
  void appendImpl(EntityIndex entity, AttributeId attribute, TimePoint t, double value, TimeSeriesStats& st);
  void appendSlow(Series& s, TimePoint t, double value, TimeSeriesStats& st);
  static void prefetchAhead(const Series& s, std::size_t written);
  void grow(Series& s);
  void pushBack(Series& s, TimePoint t, double value, TimeSeriesStats& st);
  void insertAt(Series& s, std::size_t logical, TimePoint t, double value, TimeSeriesStats& st);
  static void popFront(Series& s);
  void evictByAge(Series& s, TimeSeriesStats& st) const;

  RetentionPolicy policy_;
  TimeSeriesStats stats_;
  std::vector<Series> series_;
  std::vector<std::vector<std::uint32_t>> columns_;  // [attribute][entity] -> index into series_
};

}  // namespace gt
