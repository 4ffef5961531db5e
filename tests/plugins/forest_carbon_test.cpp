// The forest plugin's carbon uptake: kg C/h -> t CO2/day (x 44/12 / 1000), integrated over the last 24 h of
// samples, extrapolated to a day until they cover one. Expected values by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "carbon.hpp"

namespace greentwin::forest {
namespace {

constexpr std::int64_t kH = kMicrosPerHour;
constexpr std::int64_t kT0 = 1'795'000'000'000'000;

TEST(ForestCarbon, ConversionIs44Over12PerTonne) {
  // 10 kg C/h for 24 h = 240 kg C = 880 kg CO2 = 0.88 t.
  EXPECT_NEAR(tCo2PerDayFromKgCPerHour(10.0), 0.88, 1e-12);
  EXPECT_NEAR(tCo2PerDayFromKgCPerHour(-3.0), -0.264, 1e-12);
}

TEST(ForestCarbon, EmptyWindowHasNoValueAndOneSampleIsExtrapolated) {
  CarbonWindow w;
  EXPECT_FALSE(w.tCo2PerDay().has_value());
  w.add(kT0, 10.0);
  ASSERT_TRUE(w.tCo2PerDay().has_value());
  EXPECT_NEAR(*w.tCo2PerDay(), 0.88, 1e-12);
  EXPECT_EQ(w.coveredHours(), 0.0);
}

TEST(ForestCarbon, AFullDayIsTheIntegral) {
  // A triangle: 0 at 0 h, 24 at 12 h, 0 at 24 h: 288 kg C = 1.056 t CO2. (Samples 12 h apart: a longer gap limit.)
  CarbonWindow w(13 * kH);
  w.add(kT0, 0.0);
  w.add(kT0 + 12 * kH, 24.0);
  // Half a day seen: 144 kg C in 12 h -> 12 kg C/h x 24 h = 288 kg C, the same 1.056 (extrapolated).
  EXPECT_NEAR(*w.tCo2PerDay(), 1.056, 1e-12);
  EXPECT_NEAR(w.coveredHours(), 12.0, 1e-12);
  w.add(kT0 + 24 * kH, 0.0);
  EXPECT_NEAR(*w.tCo2PerDay(), 1.056, 1e-12);
  EXPECT_NEAR(w.coveredHours(), 24.0, 1e-12);
  // 6 at 30 h: the window is 6 h .. 30 h, starting at the value interpolated at 6 h (12):
  // 6-12 h (12 + 24) / 2 x 6 = 108, 12-24 h 144, 24-30 h (0 + 6) / 2 x 6 = 18: 270 kg C = 0.99 t CO2.
  w.add(kT0 + 30 * kH, 6.0);
  EXPECT_NEAR(*w.tCo2PerDay(), 0.99, 1e-12);
  EXPECT_NEAR(w.coveredHours(), 24.0, 1e-12);
  // Release: -10 kg C/h hourly from 31 h to 55 h (a whole day of it, the older samples gone): -240 kg C = -0.88 t.
  for (int h = 31; h <= 55; ++h) w.add(kT0 + h * kH, -10.0);
  EXPECT_NEAR(*w.tCo2PerDay(), -0.88, 1e-12);
}

TEST(ForestCarbon, GapsAreLeftOutAndBadSamplesIgnored) {
  CarbonWindow w(3 * kH);
  w.add(kT0, 10.0);
  w.add(kT0 + kH, 20.0);           // 1 h: 15 kg C
  w.add(kT0 + 10 * kH, 1000.0);    // 9 h gap: left out, neither integrated nor covered
  w.add(kT0 + 5 * kH, 1.0);        // older than the newest: ignored
  w.add(kT0 + 11 * kH, std::numeric_limits<double>::quiet_NaN());  // ignored
  EXPECT_NEAR(w.coveredHours(), 1.0, 1e-12);
  EXPECT_NEAR(*w.tCo2PerDay(), 15.0 * 24.0 * 44.0 / 12.0 / 1000.0, 1e-12);
}

}  // namespace
}  // namespace greentwin::forest
