// The shared weather and the air-quality model: physical ranges, the diurnal shapes (O3 afternoon peak, NO2 rush
// hours), O3/NO2 anti-correlation, spatial correlation between stations, and determinism with a seed.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "greentwin/sim/air_model.hpp"
#include "greentwin/sim/sky.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {
namespace {

constexpr Duration kHour = 3600 * kMicrosPerSecond;
TimePoint at(const char* iso) { return *parseIsoTime(iso); }

std::vector<AirStation> stations() {
  return {{"aq-a", 0, 0, "urban"},        {"aq-b", 8000, 3000, "suburban"},
          {"aq-c", -5000, 9000, "traffic"}, {"aq-d", 15000, -12000, "background"}};
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ma += a[i] / static_cast<double>(a.size()), mb += b[i] / static_cast<double>(a.size());
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    sab += (a[i] - ma) * (b[i] - mb), saa += (a[i] - ma) * (a[i] - ma), sbb += (b[i] - mb) * (b[i] - mb);
  }
  return sab / std::sqrt(saa * sbb);
}

TEST(Weather, StaysWithinPhysicalRangesOverAYearAndFollowsTheSeasons) {
  const WeatherModel model(7);
  const TimePoint t0 = at("2026-01-01T00:00:00+08:00");
  double january = 0, july = 0, rain = 0;
  int nJan = 0, nJul = 0;
  for (int h = 0; h < 365 * 24; ++h) {
    const Weather w = model.at(t0 + h * kHour);
    ASSERT_GT(w.temperatureC, -30.0);
    ASSERT_LT(w.temperatureC, 45.0);
    ASSERT_GE(w.relativeHumidity, 0.0);
    ASSERT_LE(w.relativeHumidity, 1.0);
    ASSERT_GT(w.windSpeedMs, 0.0);
    ASSERT_LT(w.windSpeedMs, 30.0);
    ASSERT_GE(w.windFromDeg, 0.0);
    ASSERT_LT(w.windFromDeg, 360.0);
    ASSERT_GT(w.mixingHeightM, 100.0);
    ASSERT_LT(w.mixingHeightM, 4000.0);
    ASSERT_GE(w.ghiWm2, 0.0);
    ASSERT_LT(w.ghiWm2, 1100.0);
    if (w.sunElevationDeg <= 0) {
      ASSERT_EQ(w.ghiWm2, 0.0);
    }
    ASSERT_GE(w.rainMmH, 0.0);
    rain += w.rainMmH;
    if (h < 31 * 24) january += w.temperatureC, ++nJan;
    if (h >= 181 * 24 && h < 212 * 24) july += w.temperatureC, ++nJul;
  }
  EXPECT_LT(january / nJan, 3.0);
  EXPECT_GT(july / nJul, 20.0);
  EXPECT_GT(rain, 150.0);   // Beijing: about 550 mm a year
  EXPECT_LT(rain, 1500.0);
}

TEST(Weather, IsAPureFunctionOfSeedAndTime) {
  const TimePoint t = at("2026-07-15T14:00:00+08:00");
  EXPECT_EQ(WeatherModel(3).at(t).temperatureC, WeatherModel(3).at(t).temperatureC);
  EXPECT_NE(WeatherModel(3).at(t).temperatureC, WeatherModel(4).at(t).temperatureC);
}

TEST(AirModel, ValuesStayInPhysicalRanges) {
  AirModel model(stations(), 11);
  const TimePoint t0 = at("2026-01-01T00:00:00+08:00");
  double ratio = 0;
  int n = 0;
  for (int h = 0; h < 365 * 24; h += 3) {
    const TimePoint t = t0 + h * kHour;
    model.prepare(t);
    for (std::size_t s = 0; s < model.size(); ++s) {
      const AirReading r = model.at(t, s);
      ASSERT_GE(r.pm25, 2.0);
      ASSERT_LE(r.pm25, 600.0);
      ASSERT_GE(r.pm10, r.pm25);
      ASSERT_LE(r.pm10, 1500.0);
      ASSERT_GE(r.o3, 2.0);
      ASSERT_LE(r.o3, 400.0);
      ASSERT_GE(r.no2, 2.0);
      ASSERT_LE(r.no2, 300.0);
      ratio += r.pm25 / r.pm10, ++n;
    }
  }
  EXPECT_GT(ratio / n, 0.4);  // PM2.5/PM10 in Beijing: about 0.5-0.7
  EXPECT_LT(ratio / n, 0.8);
}

TEST(AirModel, OzonePeaksInTheAfternoonAndNitrogenDioxideAtRushHour) {
  AirModel model(stations(), 5);
  double o3Afternoon = 0, o3Morning = 0, no2Rush = 0, no2Night = 0, no2Afternoon = 0;
  std::vector<double> o3, no2;
  // Summer weekdays of two weeks.
  for (int day = 0; day < 14; ++day) {
    const TimePoint midnight = at("2026-07-06T00:00:00+08:00") + day * 24 * kHour;
    if (localTime(midnight).weekend()) continue;
    for (int h = 0; h < 24; ++h) {
      const TimePoint t = midnight + h * kHour;
      model.prepare(t);
      const AirReading r = model.at(t, 0);
      if (h == 15) o3Afternoon += r.o3, no2Afternoon += r.no2;
      if (h == 6) o3Morning += r.o3;
      if (h == 8) no2Rush += r.no2;
      if (h == 3) no2Night += r.no2;
      o3.push_back(r.o3);
      no2.push_back(r.no2);
    }
  }
  EXPECT_GT(o3Afternoon, 1.5 * o3Morning);
  EXPECT_GT(no2Rush, no2Night);
  EXPECT_GT(no2Rush, no2Afternoon);
  EXPECT_LT(correlation(o3, no2), -0.2);
}

TEST(AirModel, StationsShareARegionalFieldWithLocalDifferences) {
  AirModel model(stations(), 5);
  std::vector<double> a, b;
  bool differ = false;
  for (int h = 0; h < 60 * 24; h += 2) {
    const TimePoint t = at("2026-11-01T00:00:00+08:00") + h * kHour;
    model.prepare(t);
    a.push_back(model.at(t, 0).pm25);
    b.push_back(model.at(t, 1).pm25);
    differ = differ || std::abs(a.back() - b.back()) > 1.0;
  }
  EXPECT_GT(correlation(a, b), 0.8);
  EXPECT_TRUE(differ);
}

TEST(AirModel, IsDeterministicWithASeed) {
  const TimePoint t = at("2026-12-03T09:00:00+08:00");
  AirModel a(stations(), 42), b(stations(), 42), c(stations(), 43);
  a.prepare(t), b.prepare(t), c.prepare(t);
  for (std::size_t s = 0; s < a.size(); ++s) {
    EXPECT_EQ(a.at(t, s).pm25, b.at(t, s).pm25);
    EXPECT_EQ(a.at(t, s).o3, b.at(t, s).o3);
  }
  EXPECT_NE(a.at(t, 0).pm25, c.at(t, 0).pm25);
}

}  // namespace
}  // namespace gt::sim
