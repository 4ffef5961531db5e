// Forest stands: seasonal canopy, soil water that rain refills, carbon uptake by day, fire risk.
#include <gtest/gtest.h>

#include "greentwin/sim/forest_model.hpp"
#include "greentwin/sim/sky.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {
namespace {

constexpr Duration kHour = 3600 * kMicrosPerSecond;
TimePoint at(const char* iso) { return *parseIsoTime(iso); }

std::vector<Stand> stands() {
  return {{"g/forest", "forest", 1.0e6}, {"g/park", "park", 2.0e5}, {"g/wetland", "wetland", 5.0e5}};
}

TEST(ForestModel, CanopyIsSeasonal) {
  ForestModel model(stands(), 4);
  const TimePoint winter = at("2026-01-20T12:00:00+08:00"), summer = at("2026-07-20T12:00:00+08:00");
  model.prepare(winter);
  const StandReading w = model.at(winter, 0);
  model.prepare(summer);
  const StandReading s = model.at(summer, 0);
  EXPECT_GT(s.lai, 3.0 * w.lai);
  EXPECT_GT(s.canopyCoverPct, w.canopyCoverPct);
  EXPECT_LE(s.canopyCoverPct, 100.0);
}

TEST(ForestModel, ValuesStayInPhysicalRangesOverAYear) {
  ForestModel model(stands(), 4);
  for (int h = 0; h < 365 * 24; h += 5) {
    const TimePoint t = at("2026-01-01T00:00:00+08:00") + h * kHour;
    model.prepare(t);
    for (std::size_t i = 0; i < model.size(); ++i) {
      const StandReading r = model.at(t, i);
      ASSERT_GE(r.lai, 0.0); ASSERT_LE(r.lai, 6.0);
      ASSERT_GE(r.soilMoisturePct, 3.0); ASSERT_LE(r.soilMoisturePct, 45.0);
      ASSERT_GE(r.fireRisk, 0.0); ASSERT_LE(r.fireRisk, 100.0);
      // Net uptake per area: at most ~1.5 g C/m2/h taken up, ~0.5 released.
      const double perM2 = r.carbonUptakeKgCH * 1000.0 / (i == 0 ? 1.0e6 : i == 1 ? 2.0e5 : 5.0e5);
      ASSERT_LT(perM2, 1.5); ASSERT_GT(perM2, -0.5);
    }
  }
}

TEST(ForestModel, TakesUpCarbonOnSummerDaysAndReleasesItAtNight) {
  ForestModel model(stands(), 4);
  double day = 0, night = 0;
  for (int d = 0; d < 10; ++d) {
    const TimePoint noon = at("2026-07-01T12:00:00+08:00") + d * 24 * kHour;
    model.prepare(noon);
    day += model.at(noon, 0).carbonUptakeKgCH;
    const TimePoint midnight = noon + 12 * kHour;
    model.prepare(midnight);
    night += model.at(midnight, 0).carbonUptakeKgCH;
  }
  EXPECT_GT(day, 0.0);
  EXPECT_LT(night, 0.0);
}

TEST(ForestModel, RainRefillsTheSoil) {
  const std::uint64_t seed = 4;
  const WeatherModel weather(seed);
  ForestModel model(stands(), seed);
  // The first summer shower (4+ mm in 3 hours) after a dry day.
  const TimePoint t0 = at("2026-06-01T00:00:00+08:00");
  bool found = false;
  for (int h = 24; h < 90 * 24 && !found; ++h) {
    double before = 0, storm = 0;
    for (int k = -24; k < 0; ++k) before += weather.at(t0 + (h + k) * kHour + kHour / 2).rainMmH;
    for (int k = 0; k < 3; ++k) storm += weather.at(t0 + (h + k) * kHour + kHour / 2).rainMmH;
    if (before > 0.5 || storm < 4.0) continue;
    found = true;
    model.prepare(t0 + h * kHour);
    const double dry = model.at(t0 + h * kHour, 0).soilMoisturePct;
    model.prepare(t0 + (h + 3) * kHour);
    const double wet = model.at(t0 + (h + 3) * kHour, 0).soilMoisturePct;
    EXPECT_GT(wet, dry + 0.5);
  }
  EXPECT_TRUE(found) << "no summer storm in 90 days of weather";
}

TEST(ForestModel, FireRiskRisesWithHeatDrynessAndWind) {
  EXPECT_GT(ForestModel::fosbergIndex(30, 0.15, 5), ForestModel::fosbergIndex(30, 0.6, 5));
  EXPECT_GT(ForestModel::fosbergIndex(30, 0.15, 10), ForestModel::fosbergIndex(30, 0.15, 2));
  EXPECT_GT(ForestModel::fosbergIndex(35, 0.3, 5), ForestModel::fosbergIndex(5, 0.3, 5));
  EXPECT_LE(ForestModel::fosbergIndex(40, 0.05, 30), 100.0);
  EXPECT_GE(ForestModel::fosbergIndex(-10, 1.0, 0), 0.0);
}

TEST(ForestModel, IsDeterministicWithASeedWhateverTheOrderOfQueries) {
  ForestModel a(stands(), 12), b(stands(), 12);
  const TimePoint t = at("2026-09-10T15:20:00+08:00");
  b.prepare(t - 40 * 24 * kHour);  // b has seen another time first
  a.prepare(t), b.prepare(t);
  EXPECT_EQ(a.at(t, 1).soilMoisturePct, b.at(t, 1).soilMoisturePct);
  EXPECT_EQ(a.at(t, 1).fireRisk, b.at(t, 1).fireRisk);
}

}  // namespace
}  // namespace gt::sim
