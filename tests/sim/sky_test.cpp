// Local time in Beijing and the sun's position at Tongzhou.
#include <gtest/gtest.h>

#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

TimePoint at(const char* iso) { return *parseIsoTime(iso); }

TEST(Sky, LocalTimeIsUtcPlusEightWithWeekdayAndDayOfYear) {
  const LocalTime noon = localTime(at("2026-07-15T04:00:00Z"));  // a Wednesday
  EXPECT_DOUBLE_EQ(noon.hour, 12.0);
  EXPECT_EQ(noon.weekday, 2);
  EXPECT_EQ(noon.dayOfYear, 196);
  EXPECT_FALSE(noon.weekend());
  const LocalTime newYear = localTime(at("2024-12-31T16:30:00Z"));  // 00:30 on 1 January 2025, a Wednesday
  EXPECT_DOUBLE_EQ(newYear.hour, 0.5);
  EXPECT_EQ(newYear.dayOfYear, 1);
  EXPECT_EQ(localTime(at("2024-12-31T12:00:00Z")).dayOfYear, 366);  // leap year
  EXPECT_EQ(localTime(at("2026-03-01T00:00:00Z")).dayOfYear, 60);
  EXPECT_TRUE(localTime(at("2026-07-18T04:00:00Z")).weekend());  // Saturday
}

TEST(Sky, SunIsHighAtSolsticeNoonAndBelowTheHorizonAtMidnight) {
  // Solar noon at 116.7 E is about 12:15 Beijing time; elevation 90 - 39.9 + 23.44 = 73.5 degrees.
  const SunPosition noon = sunPosition(at("2026-06-21T12:15:00+08:00"));
  EXPECT_NEAR(noon.elevationDeg, 73.5, 0.7);
  EXPECT_NEAR(noon.azimuthDeg, 180.0, 6.0);
  // Winter solstice: 90 - 39.9 - 23.44 = 26.7 degrees.
  EXPECT_NEAR(sunPosition(at("2026-12-21T12:10:00+08:00")).elevationDeg, 26.7, 0.7);
  EXPECT_LT(sunPosition(at("2026-06-21T00:00:00+08:00")).elevationDeg, -10.0);
  // Morning sun is in the east, evening sun in the west.
  EXPECT_LT(sunPosition(at("2026-06-21T08:00:00+08:00")).azimuthDeg, 120.0);
  EXPECT_GT(sunPosition(at("2026-06-21T17:00:00+08:00")).azimuthDeg, 240.0);
}

TEST(Sky, IrradianceIsZeroAtNightAndAboutAKilowattOverhead) {
  EXPECT_EQ(clearSkyGhi(-5.0), 0.0);
  EXPECT_EQ(clearSkyGhi(0.0), 0.0);
  EXPECT_NEAR(clearSkyGhi(90.0), 1037.0, 5.0);
  EXPECT_GT(clearSkyGhi(60.0), clearSkyGhi(30.0));
  EXPECT_DOUBLE_EQ(cloudTransmission(0.0), 1.0);
  EXPECT_DOUBLE_EQ(cloudTransmission(1.0), 0.25);
}

}  // namespace
}  // namespace gt::sim
