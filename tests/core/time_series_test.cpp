#include "greentwin/core/time_series.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace gt {
namespace {

constexpr TimePoint kT0 = 1'795'680'000LL * kMicrosPerSecond;  // 2026-11-26T08:00:00Z
constexpr Duration kSec = kMicrosPerSecond;
constexpr EntityIndex kE = 3;
constexpr AttributeId kPm25 = 1;

// Samples at T0+10s: 10, T0+20s: 20, T0+30s: 50.
TimeSeriesStore threeSamples() {
  TimeSeriesStore store;
  store.append(kE, kPm25, kT0 + 10 * kSec, 10.0);
  store.append(kE, kPm25, kT0 + 20 * kSec, 20.0);
  store.append(kE, kPm25, kT0 + 30 * kSec, 50.0);
  return store;
}

TEST(TimeSeriesStore, StepAtBetweenBeforeAfter) {
  const TimeSeriesStore store = threeSamples();
  EXPECT_EQ(store.valueAt(kE, kPm25, kT0, Interpolation::Step), std::nullopt);  // before the first
  EXPECT_EQ(store.valueAt(kE, kPm25, kT0 + 10 * kSec - 1, Interpolation::Step), std::nullopt);
  auto at = store.valueAt(kE, kPm25, kT0 + 10 * kSec, Interpolation::Step);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->value, 10.0);
  EXPECT_EQ(at->sampleTime, kT0 + 10 * kSec);
  auto between = store.valueAt(kE, kPm25, kT0 + 25 * kSec, Interpolation::Step);
  ASSERT_TRUE(between);
  EXPECT_EQ(between->value, 20.0);
  EXPECT_EQ(between->sampleTime, kT0 + 20 * kSec);
  auto after = store.valueAt(kE, kPm25, kT0 + 3600 * kSec, Interpolation::Step);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->value, 50.0);
  EXPECT_EQ(after->sampleTime, kT0 + 30 * kSec);  // stale: caller can see the age
}

TEST(TimeSeriesStore, LinearAtBetweenBeforeAfter) {
  const TimeSeriesStore store = threeSamples();
  EXPECT_EQ(store.valueAt(kE, kPm25, kT0, Interpolation::Linear), std::nullopt);
  auto at = store.valueAt(kE, kPm25, kT0 + 20 * kSec, Interpolation::Linear);
  ASSERT_TRUE(at);
  EXPECT_EQ(at->value, 20.0);
  EXPECT_EQ(at->sampleTime, kT0 + 20 * kSec);
  auto mid = store.valueAt(kE, kPm25, kT0 + 15 * kSec, Interpolation::Linear);
  ASSERT_TRUE(mid);
  EXPECT_DOUBLE_EQ(mid->value, 15.0);
  EXPECT_EQ(mid->sampleTime, kT0 + 10 * kSec);  // left neighbour
  auto quarter = store.valueAt(kE, kPm25, kT0 + 22 * kSec + 500'000, Interpolation::Linear);
  ASSERT_TRUE(quarter);
  EXPECT_DOUBLE_EQ(quarter->value, 27.5);
  auto after = store.valueAt(kE, kPm25, kT0 + 31 * kSec, Interpolation::Linear);
  ASSERT_TRUE(after);
  EXPECT_EQ(after->value, 50.0);
  EXPECT_EQ(after->sampleTime, kT0 + 30 * kSec);
  auto atLast = store.valueAt(kE, kPm25, kT0 + 30 * kSec, Interpolation::Linear);
  ASSERT_TRUE(atLast);
  EXPECT_EQ(atLast->value, 50.0);
}

TEST(TimeSeriesStore, EmptyAndUnknownSeriesGiveNullopt) {
  TimeSeriesStore store;
  EXPECT_EQ(store.valueAt(0, 0, kT0), std::nullopt);
  EXPECT_EQ(store.valueAt(kInvalidEntity, kInvalidAttribute, kT0), std::nullopt);
  EXPECT_EQ(store.latest(0, 0), std::nullopt);
  EXPECT_EQ(store.span(0, 0), std::nullopt);
  EXPECT_EQ(store.sampleCount(0, 0), 0u);
  EXPECT_TRUE(store.range(0, 0, kT0, kT0 + kSec, 100).points.empty());
  store.append(kE, kPm25, kT0, 1.0);
  EXPECT_EQ(store.valueAt(kE, 0, kT0), std::nullopt);          // other attribute
  EXPECT_EQ(store.valueAt(kE + 1, kPm25, kT0), std::nullopt);  // other entity
  EXPECT_EQ(store.valueAt(kE - 1, kPm25, kT0), std::nullopt);  // entity slot exists, no series
  EXPECT_EQ(store.valueAt(kE, 99, kT0), std::nullopt);
  // Sentinels are ignored, not stored.
  store.append(kInvalidEntity, kPm25, kT0, 1.0);
  store.append(kE, kInvalidAttribute, kT0, 1.0);
  EXPECT_EQ(store.seriesCount(), 1u);
  EXPECT_EQ(store.stats().appended, 1u);
}

TEST(TimeSeriesStore, OverwriteSameTime) {
  TimeSeriesStore store = threeSamples();
  store.append(kE, kPm25, kT0 + 30 * kSec, 99.0);  // == newest
  store.append(kE, kPm25, kT0 + 10 * kSec, 11.0);  // older, existing time
  EXPECT_EQ(store.sampleCount(kE, kPm25), 3u);
  EXPECT_EQ(store.valueAt(kE, kPm25, kT0 + 30 * kSec)->value, 99.0);
  EXPECT_EQ(store.valueAt(kE, kPm25, kT0 + 10 * kSec)->value, 11.0);
  EXPECT_EQ(store.stats().overwritten, 2u);
  EXPECT_EQ(store.stats().outOfOrder, 1u);
  EXPECT_EQ(store.stats().appended, 5u);
}

TEST(TimeSeriesStore, OutOfOrderInsertKeepsTimeOrder) {
  TimeSeriesStore store = threeSamples();
  store.append(kE, kPm25, kT0 + 15 * kSec, 15.0);
  store.append(kE, kPm25, kT0 + 5 * kSec, 5.0);
  store.append(kE, kPm25, kT0 + 25 * kSec, 25.0);
  EXPECT_EQ(store.stats().outOfOrder, 3u);
  EXPECT_EQ(store.sampleCount(kE, kPm25), 6u);
  const RangeResult r = store.range(kE, kPm25, kT0, kT0 + 60 * kSec, 100);
  ASSERT_TRUE(r.raw);
  std::vector<double> values;
  std::vector<TimePoint> times;
  for (const auto& p : r.points) {
    values.push_back(p.mean);
    times.push_back(p.time);
  }
  EXPECT_EQ(values, (std::vector<double>{5, 10, 15, 20, 25, 50}));
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
  EXPECT_EQ(store.valueAt(kE, kPm25, kT0 + 16 * kSec)->value, 15.0);
  EXPECT_EQ(store.span(kE, kPm25), (TimeRange{kT0 + 5 * kSec, kT0 + 30 * kSec}));
}

TEST(TimeSeriesStore, OutOfOrderInsertIntoWrappedRing) {
  TimeSeriesStore store(RetentionPolicy{8, 0});
  for (int i = 0; i < 13; ++i) store.append(0, 0, kT0 + i * 10 * kSec, i * 10.0);  // keeps 50..120, wrapped
  store.append(0, 0, kT0 + 75 * kSec, 75.0);  // evicts 50
  EXPECT_EQ(store.sampleCount(0, 0), 8u);
  const RangeResult r = store.range(0, 0, kT0, kT0 + 1000 * kSec, 100);
  std::vector<double> values;
  for (const auto& p : r.points) values.push_back(p.mean);
  EXPECT_EQ(values, (std::vector<double>{60, 70, 75, 80, 90, 100, 110, 120}));
  // Older than everything a full series holds: refused, counted.
  const auto evicted = store.stats().evictedByCapacity;
  store.append(0, 0, kT0 + 1 * kSec, 1.0);
  EXPECT_EQ(store.stats().evictedByCapacity, evicted + 1);
  EXPECT_EQ(store.span(0, 0)->begin, kT0 + 60 * kSec);
}

TEST(TimeSeriesStore, RetentionByCapacityKeepsNewestAndBoundsMemory) {
  constexpr std::size_t kCap = 100;
  TimeSeriesStore store(RetentionPolicy{kCap, 0});
  for (int i = 0; i < static_cast<int>(kCap); ++i) store.append(0, 0, kT0 + i * kSec, i);
  const std::size_t full = store.memoryBytes();
  for (int i = static_cast<int>(kCap); i < static_cast<int>(10 * kCap); ++i) store.append(0, 0, kT0 + i * kSec, i);
  EXPECT_EQ(store.sampleCount(0, 0), kCap);
  EXPECT_EQ(store.memoryBytes(), full);  // no growth after 10x capacity appends
  EXPECT_EQ(store.stats().evictedByCapacity, 9 * kCap);
  EXPECT_EQ(store.span(0, 0), (TimeRange{kT0 + 900 * kSec, kT0 + 999 * kSec}));
  EXPECT_EQ(store.valueAt(0, 0, kT0 + 899 * kSec), std::nullopt);  // evicted
  EXPECT_EQ(store.valueAt(0, 0, kT0 + 950 * kSec + 1, Interpolation::Linear)->value, 950.0 + 1e-6);
  EXPECT_LT(store.memoryBytes(), sizeof(TimeSeriesStore) + 1024 + kCap * 16);
}

TEST(TimeSeriesStore, RetentionByAge) {
  TimeSeriesStore store(RetentionPolicy{1000, 60 * kSec});
  for (int i = 0; i <= 100; ++i) store.append(0, 0, kT0 + i * kSec, i);
  // Newest 100 s: keeps t >= 40 s.
  EXPECT_EQ(store.span(0, 0), (TimeRange{kT0 + 40 * kSec, kT0 + 100 * kSec}));
  EXPECT_EQ(store.sampleCount(0, 0), 61u);
  EXPECT_EQ(store.stats().evictedByAge, 40u);
  EXPECT_EQ(store.stats().evictedByCapacity, 0u);
  // An out-of-order sample already outside the window is dropped.
  store.append(0, 0, kT0 + 10 * kSec, -1);
  EXPECT_EQ(store.stats().evictedByAge, 41u);
  EXPECT_EQ(store.sampleCount(0, 0), 61u);
  // One inside the window is inserted.
  store.append(0, 0, kT0 + 50 * kSec + 500'000, -2);
  EXPECT_EQ(store.sampleCount(0, 0), 62u);
  // A jump forward evicts everything older than the window.
  store.append(0, 0, kT0 + 1000 * kSec, 7);
  EXPECT_EQ(store.sampleCount(0, 0), 1u);
}

TEST(TimeSeriesStore, MemoryStaysBoundedAcrossManySeries) {
  TimeSeriesStore store(RetentionPolicy{64, 0});
  for (int round = 0; round < 640; ++round) {
    for (EntityIndex e = 0; e < 50; ++e) store.append(e, round % 2 == 0 ? 0 : 1, kT0 + round * kSec, round);
  }
  EXPECT_EQ(store.seriesCount(), 100u);
  EXPECT_EQ(store.totalSamples(), 100u * 64u);
  const std::size_t bytes = store.memoryBytes();
  for (int round = 640; round < 1280; ++round) {
    for (EntityIndex e = 0; e < 50; ++e) store.append(e, round % 2 == 0 ? 0 : 1, kT0 + round * kSec, round);
  }
  EXPECT_EQ(store.memoryBytes(), bytes);
  EXPECT_LT(bytes, 100u * (64u * 16u + 128u) + 4096u);
}

TEST(TimeSeriesStore, SampleAllFillsDenseArray) {
  TimeSeriesStore store;
  // Entity 0: ramp 0 -> 100 over 100 s; entity 1: no series; entity 2: starts later; entity 3: other attribute.
  store.append(0, kPm25, kT0, 0.0);
  store.append(0, kPm25, kT0 + 100 * kSec, 100.0);
  store.append(2, kPm25, kT0 + 60 * kSec, 7.0);
  store.append(3, 0, kT0, 1.0);
  std::vector<float> values(5, 123.0f);
  std::vector<TimePoint> times(5, 0);
  const std::size_t n = store.sampleAll(kPm25, kT0 + 50 * kSec, Interpolation::Linear, values, times);
  EXPECT_EQ(n, 1u);
  EXPECT_FLOAT_EQ(values[0], 50.0f);
  EXPECT_EQ(times[0], kT0);
  for (int i : {1, 2, 3, 4}) {
    EXPECT_TRUE(std::isnan(values[static_cast<std::size_t>(i)])) << i;
    EXPECT_EQ(times[static_cast<std::size_t>(i)], kNoTime) << i;
  }
  std::vector<double> dvalues(3);
  EXPECT_EQ(store.sampleAll(kPm25, kT0 + 70 * kSec, Interpolation::Step, std::span<double>(dvalues)), 2u);
  EXPECT_EQ(dvalues[0], 0.0);
  EXPECT_TRUE(std::isnan(dvalues[1]));
  EXPECT_EQ(dvalues[2], 7.0);
  // Unknown attribute: all NaN, no crash.
  EXPECT_EQ(store.sampleAll(42, kT0, Interpolation::Step, std::span<double>(dvalues)), 0u);
  EXPECT_TRUE(std::isnan(dvalues[0]));
}

TEST(TimeSeriesStore, SampleAllMatchesValueAtOnIrregularData) {
  TimeSeriesStore store(RetentionPolicy{256, 0});
  // Irregular spacing and wrapped rings, so the interpolation guess misses and the search must recover.
  for (EntityIndex e = 0; e < 20; ++e) {
    TimePoint t = kT0;
    for (int i = 0; i < 400; ++i) {
      t += ((i * 7919 + static_cast<int>(e) * 31) % 97 + 1) * kSec * (i % 50 == 0 ? 100 : 1);
      store.append(e, 0, t, std::sin(i * 0.1) * 100 + e);
    }
  }
  std::vector<double> out(20);
  for (TimePoint q = kT0; q < kT0 + 40'000 * kSec; q += 777 * kSec) {
    for (Interpolation interp : {Interpolation::Step, Interpolation::Linear}) {
      store.sampleAll(0, q, interp, std::span<double>(out));
      for (EntityIndex e = 0; e < 20; ++e) {
        const auto expected = store.valueAt(e, 0, q, interp);
        if (expected) {
          EXPECT_EQ(out[e], expected->value);
          // Brute-force check of the step value.
          const RangeResult all = store.range(e, 0, kNoTime, q, 1'000'000);
          ASSERT_FALSE(all.points.empty());
          if (interp == Interpolation::Step) {
            EXPECT_EQ(expected->value, all.points.back().mean);
          }
          EXPECT_EQ(expected->sampleTime, all.points.back().time);
        } else {
          EXPECT_TRUE(std::isnan(out[e]));
        }
      }
    }
  }
}

TEST(TimeSeriesStore, RangeRawWhenFewSamples) {
  const TimeSeriesStore store = threeSamples();
  const RangeResult r = store.range(kE, kPm25, kT0 + 10 * kSec, kT0 + 20 * kSec, 10);  // inclusive bounds
  EXPECT_TRUE(r.raw);
  ASSERT_EQ(r.points.size(), 2u);
  EXPECT_EQ(r.points[0].time, kT0 + 10 * kSec);
  EXPECT_EQ(r.points[1].count, 1u);
  EXPECT_EQ(r.points[1].min, 20.0);
  EXPECT_EQ(r.points[1].max, 20.0);
  EXPECT_TRUE(store.range(kE, kPm25, kT0 + 20 * kSec, kT0 + 10 * kSec, 10).points.empty());  // t1 < t0
  EXPECT_TRUE(store.range(kE, kPm25, kT0, kT0 + 30 * kSec, 0).points.empty());
  EXPECT_TRUE(store.range(kE, kPm25, kT0 + 31 * kSec, kT0 + 40 * kSec, 10).points.empty());
}

TEST(TimeSeriesStore, RangeDownsamplesKeepingMinMaxAndSpikes) {
  TimeSeriesStore store(RetentionPolicy{20'000, 0});
  for (int i = 0; i < 10'000; ++i) {
    double v = 10.0 + (i % 10);  // 10..19
    if (i == 4321) v = 1000.0;   // a single spike
    if (i == 7777) v = -500.0;   // a single dip
    store.append(0, 0, kT0 + i * kSec, v);
  }
  const TimePoint t0 = kT0;
  const TimePoint t1 = kT0 + 10'000 * kSec - 1;  // [t0, t1] is exactly 10000 s long
  for (std::size_t maxPoints : {1u, 7u, 100u, 333u, 9'999u}) {
    const RangeResult r = store.range(0, 0, t0, t1, maxPoints);
    EXPECT_FALSE(r.raw);
    ASSERT_FALSE(r.points.empty());
    EXPECT_LE(r.points.size(), maxPoints);
    double lo = 1e9;
    double hi = -1e9;
    std::uint64_t count = 0;
    double sum = 0;
    for (const RangeBucket& b : r.points) {
      lo = std::min(lo, b.min);
      hi = std::max(hi, b.max);
      count += b.count;
      sum += b.mean * b.count;
      EXPECT_LE(b.min, b.mean);
      EXPECT_LE(b.mean, b.max);
      EXPECT_GE(b.time, t0);
      EXPECT_LE(b.time, t1);
    }
    EXPECT_EQ(hi, 1000.0) << maxPoints;  // spike kept
    EXPECT_EQ(lo, -500.0) << maxPoints;  // dip kept
    EXPECT_EQ(count, 10'000u);          // every sample in exactly one bucket
    EXPECT_NEAR(sum, 10'000 * 14.5 + (1000.0 - 11.0) + (-500.0 - 17.0), 1e-6);
  }
  const RangeResult r100 = store.range(0, 0, t0, t1, 100);
  EXPECT_EQ(r100.points.size(), 100u);
  EXPECT_EQ(r100.points[43].max, 1000.0);  // the spike at 4321 s sits in bucket 43 (width 100 s)
  EXPECT_EQ(r100.points[43].time, kT0 + 4300 * kSec);
  EXPECT_EQ(r100.bucketWidth, 100 * kSec);
  EXPECT_DOUBLE_EQ(r100.points[0].mean, 14.5);
  // A window in the middle, exactly maxPoints samples: raw.
  const RangeResult raw = store.range(0, 0, kT0 + 100 * kSec, kT0 + 199 * kSec, 100);
  EXPECT_TRUE(raw.raw);
  EXPECT_EQ(raw.points.size(), 100u);
}

TEST(TimeSeriesStore, RangeOverWholeTimeLineDoesNotOverflow) {
  const TimeSeriesStore store = threeSamples();
  const RangeResult r =
      store.range(kE, kPm25, std::numeric_limits<TimePoint>::min(), std::numeric_limits<TimePoint>::max(), 2);
  EXPECT_FALSE(r.raw);
  std::uint32_t count = 0;
  for (const auto& b : r.points) count += b.count;
  EXPECT_EQ(count, 3u);
  EXPECT_LE(r.points.size(), 2u);
}

TEST(TimeSeriesStore, BatchAppendAndLatest) {
  TimeSeriesStore store;
  const std::vector<SampleUpdate> batch = {
      {0, 0, kT0, 1.0}, {1, 0, kT0, 2.0}, {0, 0, kT0 + kSec, 3.0}, {0, 1, kT0, 4.0}};
  store.append(batch);
  EXPECT_EQ(store.seriesCount(), 3u);
  EXPECT_EQ(store.totalSamples(), 4u);
  EXPECT_EQ(store.latest(0, 0)->value, 3.0);
  EXPECT_EQ(store.latest(0, 0)->sampleTime, kT0 + kSec);
  store.clear();
  EXPECT_EQ(store.seriesCount(), 0u);
  EXPECT_EQ(store.valueAt(0, 0, kT0), std::nullopt);
}

TEST(TimeSeriesStore, CapacityOneStillWorks) {
  TimeSeriesStore store(RetentionPolicy{0, 0});  // clamped to 1
  EXPECT_EQ(store.policy().maxSamplesPerSeries, 1u);
  store.append(0, 0, kT0, 1.0);
  store.append(0, 0, kT0 + kSec, 2.0);
  store.append(0, 0, kT0 - kSec, 0.5);  // older than the one kept: refused
  EXPECT_EQ(store.sampleCount(0, 0), 1u);
  EXPECT_EQ(store.latest(0, 0)->value, 2.0);
  EXPECT_EQ(store.valueAt(0, 0, kT0 + 5 * kSec, Interpolation::Linear)->value, 2.0);
}

}  // namespace
}  // namespace gt
