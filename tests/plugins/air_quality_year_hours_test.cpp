// The air-quality plugin's year of hourly means (year_hours.hpp): samples to local (UTC+8) clock hours, the hour's
// mean, the local-day boundary, bounded memory (a sample more than the ring behind is dropped), bad values ignored.
#include <gtest/gtest.h>

#include <cmath>

#include "year_hours.hpp"

namespace greentwin::air_quality {
namespace {

constexpr std::int64_t kMinuteUs = 60LL * 1000000LL;

// UTC microseconds of a local (UTC+8) time on local day `day`.
std::int64_t localTime(std::int64_t day, int hour, int minute) {
  return day * 24 * kHourUs - kLocalOffsetUs + hour * kHourUs + minute * kMinuteUs;
}

TEST(YearHours, SamplesAverageWithinTheirLocalHour) {
  const std::int64_t d = dayFromCivil(2026, 1, 1);
  YearHours y;
  y.add(localTime(d, 9, 5), Pollutant::Pm25, 10);
  y.add(localTime(d, 9, 55), Pollutant::Pm25, 20);
  y.add(localTime(d, 10, 0), Pollutant::Pm25, 70);  // the next hour
  const StationHours s = y.hours(d, 1);
  EXPECT_EQ(s.firstDay, d);
  ASSERT_EQ(s.values[0].size(), 24u);
  EXPECT_DOUBLE_EQ(s.values[0][9], 15.0);
  EXPECT_DOUBLE_EQ(s.values[0][10], 70.0);
  EXPECT_TRUE(std::isnan(s.values[0][8]));
  EXPECT_TRUE(s.values[1].empty());  // PM10 never published
}

TEST(YearHours, TheLocalDayEndsAtSixteenUtc) {
  // 2025-12-31 23:30 local = 15:30 UTC belongs to December 31; 2026-01-01 00:10 local = 16:10 UTC to January 1.
  const std::int64_t jan1 = dayFromCivil(2026, 1, 1);
  YearHours y;
  y.add(jan1 * 24 * kHourUs - 30 * kMinuteUs - kLocalOffsetUs, Pollutant::O3, 40);
  y.add(jan1 * 24 * kHourUs + 10 * kMinuteUs - kLocalOffsetUs, Pollutant::O3, 60);
  const StationHours s = y.hours(jan1 - 1, 2);
  ASSERT_EQ(s.values[3].size(), 48u);
  EXPECT_DOUBLE_EQ(s.values[3][23], 40.0);
  EXPECT_DOUBLE_EQ(s.values[3][24], 60.0);
}

TEST(YearHours, BadValuesAreIgnoredAndTheRingKeepsTheNewestYear) {
  const std::int64_t d = dayFromCivil(2026, 3, 1);
  YearHours y;
  y.add(localTime(d, 0, 0), Pollutant::No2, std::nan(""));
  y.add(localTime(d, 0, 0), Pollutant::No2, -5);
  y.add(localTime(d, 0, 0), Pollutant::No2, 25);
  EXPECT_DOUBLE_EQ(y.hours(d, 1).values[2][0], 25.0);
  // The same ring slot a ring later: the newer hour replaces it, and the old hour's sample is then dropped.
  const std::int64_t later = d + YearHours::kRingHours / 24;
  y.add(localTime(later, 0, 0), Pollutant::No2, 50);
  y.add(localTime(d, 0, 30), Pollutant::No2, 99);
  EXPECT_TRUE(std::isnan(y.hours(d, 1).values[2][0]));
  EXPECT_DOUBLE_EQ(y.hours(later, 1).values[2][0], 50.0);
}

}  // namespace
}  // namespace greentwin::air_quality
