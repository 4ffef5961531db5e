// The air-quality plugin's pure parts: HJ 633-2012 IAQI/AQI against hand-computed values, the classes, the
// plugin's IDW (against the twin's core IDW as an independent implementation) and the hourly means.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "aqi.hpp"
#include "greentwin/core/interpolation.hpp"
#include "hourly_means.hpp"
#include "idw.hpp"

namespace greentwin::air_quality {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int iaqiOf(Measure m, double c) {
  const auto v = iaqi(m, c);
  EXPECT_TRUE(v.has_value()) << name(m) << " " << c;
  return v ? v->value : -1;
}

TEST(AqiTables, BreakpointsGiveTheirIndexExactly) {
  // HJ 633 Table 1, every breakpoint of every measure maps to its IAQI column.
  const Measure all[] = {Measure::Pm25_24h, Measure::Pm10_24h, Measure::No2_24h,
                         Measure::No2_1h,   Measure::O3_1h,    Measure::O3_8h};
  for (Measure m : all) {
    const BreakpointTable& t = breakpoints(m);
    for (int i = 0; i < t.count; ++i) {
      EXPECT_EQ(iaqiOf(m, t.concentration[static_cast<std::size_t>(i)]), kIaqiBreakpoints[static_cast<std::size_t>(i)])
          << name(m) << " breakpoint " << i;
    }
  }
  // Spot-check the table values themselves (a typo in a table would otherwise pass the loop above).
  EXPECT_EQ(iaqiOf(Measure::Pm25_24h, 75), 100);
  EXPECT_EQ(iaqiOf(Measure::Pm25_24h, 250), 300);
  EXPECT_EQ(iaqiOf(Measure::Pm10_24h, 150), 100);
  EXPECT_EQ(iaqiOf(Measure::Pm10_24h, 420), 300);
  EXPECT_EQ(iaqiOf(Measure::No2_24h, 80), 100);
  EXPECT_EQ(iaqiOf(Measure::No2_24h, 565), 300);
  EXPECT_EQ(iaqiOf(Measure::No2_1h, 200), 100);
  EXPECT_EQ(iaqiOf(Measure::No2_1h, 2340), 300);
  EXPECT_EQ(iaqiOf(Measure::O3_1h, 200), 100);
  EXPECT_EQ(iaqiOf(Measure::O3_1h, 800), 300);
  EXPECT_EQ(iaqiOf(Measure::O3_8h, 160), 100);
  EXPECT_EQ(iaqiOf(Measure::O3_8h, 800), 300);
}

TEST(AqiTables, BetweenBreakpointsInterpolatesAndRoundsUp) {
  // PM2.5 55: (100-50)/(75-35)*(55-35)+50 = 75 exactly.
  EXPECT_EQ(iaqiOf(Measure::Pm25_24h, 55), 75);
  // PM2.5 35.1: 50 + 50*0.1/40 = 50.125 -> 51 (rounded up: HJ 633 keeps no decimals, always up).
  EXPECT_EQ(iaqiOf(Measure::Pm25_24h, 35.1), 51);
  // PM2.5 10: 50*10/35 = 14.29 -> 15.
  EXPECT_EQ(iaqiOf(Measure::Pm25_24h, 10), 15);
  // PM2.5 130: (200-150)/(150-115)*(130-115)+150 = 171.43 -> 172.
  EXPECT_EQ(iaqiOf(Measure::Pm25_24h, 130), 172);
  // PM10 100: 50 + 50*(100-50)/100 = 75.
  EXPECT_EQ(iaqiOf(Measure::Pm10_24h, 100), 75);
  // PM10 385: 200 + 100*(385-350)/70 = 250.
  EXPECT_EQ(iaqiOf(Measure::Pm10_24h, 385), 250);
  // NO2 1h 150: 50 + 50*50/100 = 75; NO2 24h 60: 50 + 50*20/40 = 75; NO2 24h 30: 50*30/40 = 37.5 -> 38.
  EXPECT_EQ(iaqiOf(Measure::No2_1h, 150), 75);
  EXPECT_EQ(iaqiOf(Measure::No2_24h, 60), 75);
  EXPECT_EQ(iaqiOf(Measure::No2_24h, 30), 38);
  // O3 1h 250: 100 + 50*50/100 = 125; O3 8h 130: 50 + 50*30/60 = 75; O3 8h 240: 150 + 50*25/50 = 175.
  EXPECT_EQ(iaqiOf(Measure::O3_1h, 250), 125);
  EXPECT_EQ(iaqiOf(Measure::O3_8h, 130), 75);
  EXPECT_EQ(iaqiOf(Measure::O3_8h, 240), 175);
  EXPECT_EQ(iaqiOf(Measure::Pm25_24h, 0), 0);
}

TEST(AqiTables, AboveTheTopBreakpoint) {
  const auto pm = iaqi(Measure::Pm25_24h, 650);
  ASSERT_TRUE(pm);
  EXPECT_EQ(pm->value, 500);
  EXPECT_TRUE(pm->aboveScale);
  EXPECT_FALSE(iaqi(Measure::Pm25_24h, 500)->aboveScale);
  // O3 8h above 800 ug/m3 has no index (HJ 633 note: report the 1-h index instead).
  EXPECT_FALSE(iaqi(Measure::O3_8h, 801).has_value());
  EXPECT_EQ(iaqiOf(Measure::O3_1h, 1300), 500);
}

TEST(AqiTables, BadValuesHaveNoIndex) {
  EXPECT_FALSE(iaqi(Measure::Pm25_24h, kNaN));
  EXPECT_FALSE(iaqi(Measure::Pm25_24h, -1));
  EXPECT_FALSE(iaqi(Measure::Pm25_24h, std::numeric_limits<double>::infinity()));
}

TEST(Aqi, IsTheLargestIndexWithPrimaryPollutant) {
  // PM2.5 55 -> 75, PM10 100 -> 75, NO2 1h 40 -> 20, O3 1h 250 -> 125: AQI 125, level 3, primary O3.
  const AqiResult r = computeAqi({{Measure::Pm25_24h, 55}, {Measure::Pm10_24h, 100},
                                  {Measure::No2_1h, 40}, {Measure::O3_1h, 250}});
  ASSERT_TRUE(r.aqi);
  EXPECT_EQ(*r.aqi, 125);
  EXPECT_EQ(r.level, 3);
  ASSERT_EQ(r.primary.size(), 1u);
  EXPECT_EQ(r.primary[0], Pollutant::O3);
  EXPECT_EQ(r.pollutantIaqi[0], 75);
  EXPECT_EQ(r.pollutantIaqi[2], 20);
  EXPECT_FALSE(r.aboveScale);
}

TEST(Aqi, TiesGiveSeveralPrimaryPollutants) {
  const AqiResult r = computeAqi({{Measure::Pm25_24h, 55}, {Measure::Pm10_24h, 100}});
  EXPECT_EQ(*r.aqi, 75);
  ASSERT_EQ(r.primary.size(), 2u);
  EXPECT_EQ(r.primary[0], Pollutant::Pm25);
  EXPECT_EQ(r.primary[1], Pollutant::Pm10);
}

TEST(Aqi, NoPrimaryPollutantAtFiftyOrBelow) {
  const AqiResult r = computeAqi({{Measure::Pm25_24h, 35}, {Measure::O3_1h, 20}});
  EXPECT_EQ(*r.aqi, 50);
  EXPECT_EQ(r.level, 1);
  EXPECT_TRUE(r.primary.empty());
}

TEST(Aqi, MissingPollutantsAreSkipped) {
  const AqiResult r = computeAqi({{Measure::Pm25_24h, kNaN}, {Measure::Pm10_24h, 385}, {Measure::O3_1h, kNaN}});
  EXPECT_EQ(*r.aqi, 250);
  EXPECT_EQ(r.level, 5);
  EXPECT_FALSE(r.pollutantIaqi[0].has_value());
  EXPECT_EQ(r.primary, std::vector<Pollutant>{Pollutant::Pm10});
  const AqiResult none = computeAqi({{Measure::Pm25_24h, kNaN}, {Measure::O3_8h, 900}});
  EXPECT_FALSE(none.aqi.has_value());
  EXPECT_EQ(none.level, 0);
  EXPECT_TRUE(computeAqi({}).primary.empty());
}

TEST(Aqi, O3EightHourAbove800FallsBackToOneHour) {
  const AqiResult r = computeAqi({{Measure::O3_8h, 900}, {Measure::O3_1h, 900}});
  // O3 1h 900: 300 + 100*(900-800)/200 = 350.
  EXPECT_EQ(*r.aqi, 350);
  EXPECT_EQ(r.level, 6);
}

TEST(Aqi, AboveScaleIsFlagged) {
  const AqiResult r = computeAqi({{Measure::Pm25_24h, 700}, {Measure::No2_1h, 10}});
  EXPECT_EQ(*r.aqi, 500);
  EXPECT_TRUE(r.aboveScale);
  EXPECT_EQ(r.level, 6);
}

TEST(AqiClasses, LevelsNamesAndColoursOfTheStandard) {
  const auto& c = aqiClasses();
  ASSERT_EQ(c.size(), 6u);
  EXPECT_STREQ(c[0].nameZh, "优");
  EXPECT_STREQ(c[1].nameZh, "良");
  EXPECT_STREQ(c[2].nameZh, "轻度污染");
  EXPECT_STREQ(c[3].nameZh, "中度污染");
  EXPECT_STREQ(c[4].nameZh, "重度污染");
  EXPECT_STREQ(c[5].nameZh, "严重污染");
  EXPECT_STREQ(c[5].nameEn, "Severely polluted");
  const std::array<std::array<std::uint8_t, 3>, 6> rgb{
      {{0, 228, 0}, {255, 255, 0}, {255, 126, 0}, {255, 0, 0}, {153, 0, 76}, {126, 0, 35}}};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_EQ(c[i].rgb, rgb[i]) << i;

  EXPECT_EQ(aqiLevel(0), 1);
  EXPECT_EQ(aqiLevel(50), 1);
  EXPECT_EQ(aqiLevel(50.2), 2);  // rounded up to 51 first
  EXPECT_EQ(aqiLevel(51), 2);
  EXPECT_EQ(aqiLevel(100), 2);
  EXPECT_EQ(aqiLevel(101), 3);
  EXPECT_EQ(aqiLevel(150), 3);
  EXPECT_EQ(aqiLevel(151), 4);
  EXPECT_EQ(aqiLevel(200), 4);
  EXPECT_EQ(aqiLevel(201), 5);
  EXPECT_EQ(aqiLevel(300), 5);
  EXPECT_EQ(aqiLevel(301), 6);
  EXPECT_EQ(aqiLevel(500), 6);
  EXPECT_EQ(aqiLevel(kNaN), 0);
  EXPECT_EQ(aqiLevel(-3), 0);
  EXPECT_EQ(aqiClassUpperBounds(), (std::array<double, 5>{50, 100, 150, 200, 300}));
  EXPECT_EQ(pm25ClassUpperBounds(), (std::array<double, 5>{35, 75, 115, 150, 250}));
}

TEST(PluginIdw, MatchesHandValuesAndTheCoreImplementation) {
  const std::vector<StationValue> stations{{0, 0, 10}, {1000, 0, 30}, {0, 2000, 50}};
  IdwSettings s;
  s.power = 2;
  // At (500, 0): d = 500, 500, sqrt(500^2 + 2000^2); w = 4e-6, 4e-6, 1/4250000.
  const double w3 = 1.0 / (500.0 * 500.0 + 2000.0 * 2000.0);
  const double expected = (4e-6 * 10 + 4e-6 * 30 + w3 * 50) / (8e-6 + w3);
  EXPECT_NEAR(idwAt(500, 0, stations, s), expected, 1e-9);
  EXPECT_DOUBLE_EQ(idwAt(1000, 0, stations, s), 30.0);  // on a station
  // The core's IDW (an independent implementation) agrees at a few positions and powers.
  std::vector<gt::ScatteredPoint> points;
  for (const auto& st : stations) points.push_back({st.x, st.y, st.value});
  for (double power : {1.0, 2.0, 3.5}) {
    s.power = power;
    for (const auto& [x, y] : {std::pair{123.0, 456.0}, std::pair{-800.0, 3000.0}, std::pair{999.0, 1.0}}) {
      EXPECT_NEAR(idwAt(x, y, stations, s), gt::idwAt(x, y, points, gt::IdwParams{power, 0.0, 0}), 1e-9);
    }
  }
}

TEST(PluginIdw, RadiusMinimumStationsAndMissingValues) {
  const std::vector<StationValue> stations{{0, 0, 10}, {1000, 0, 30}, {0, 2000, kNaN}};
  IdwSettings s;
  s.searchRadiusM = 600;
  EXPECT_DOUBLE_EQ(idwAt(100, 0, stations, s), 10.0);  // only the first within 600 m
  EXPECT_NEAR(idwAt(500, 0, stations, s), 20.0, 1e-12);
  s.minStations = 2;
  EXPECT_TRUE(std::isnan(idwAt(100, 0, stations, s)));
  EXPECT_NEAR(idwAt(500, 0, stations, s), 20.0, 1e-12);
  s.searchRadiusM = 0;  // no limit, but the NaN station never counts
  s.minStations = 3;
  EXPECT_TRUE(std::isnan(idwAt(500, 500, stations, s)));
  EXPECT_TRUE(std::isnan(idwAt(0, 0, {}, IdwSettings{})));
}

TEST(HourlyMeans, MeanOfHourlyMeansOverTheWindow) {
  HourlyMeans m;
  const std::int64_t h = HourlyMeans::kHourUs;
  const std::int64_t t0 = 1'700'000'000LL * 1'000'000LL / h * h;  // on an hour
  m.add(t0, 10);
  m.add(t0 + h / 2, 30);        // hour 0: mean 20
  m.add(t0 + h, 40);            // hour 1: 40
  m.add(t0 + 2 * h + 1, 60);    // hour 2: 60
  m.add(t0 + 2 * h + 2, kNaN);  // ignored
  int hours = 0;
  EXPECT_DOUBLE_EQ(m.mean(t0 + 2 * h + 5, 24, &hours), 40.0);  // (20 + 40 + 60) / 3
  EXPECT_EQ(hours, 3);
  EXPECT_DOUBLE_EQ(m.mean(t0 + 2 * h + 5, 2), 50.0);  // hours 1 and 2
  // 25 hours on, hour 25 reuses hour 1's slot; the window (hours 2..25) holds hours 2 (60) and 25 (100).
  m.add(t0 + 25 * h, 100);
  EXPECT_DOUBLE_EQ(m.mean(t0 + 25 * h, 24, &hours), 80.0);
  EXPECT_EQ(hours, 2);
  m.add(t0 + h, 5);  // older than the newer hour now in its slot: ignored
  EXPECT_DOUBLE_EQ(m.mean(t0 + 25 * h, 24), 80.0);
  EXPECT_TRUE(std::isnan(HourlyMeans{}.mean(t0, 24)));
}

}  // namespace
}  // namespace greentwin::air_quality
