// The air-quality plugin's annual statistics (#14 PM2.5 annual mean, #15 share of good days): the GB 3095-2012 /
// HJ 663-2013 validity rules, the city's daily values, the daily AQI (HJ 633-2012) and the local-day boundary, each
// on inputs whose answer is worked out by hand in the comments.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "air_statistics.hpp"

namespace greentwin::air_quality {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::int64_t kDayUs = 24 * kHourUs;

using Day = std::array<double, 24>;

Day constant(double v) {
  Day d;
  d.fill(v);
  return d;
}

DailyValues values(double pm25, double pm10, double no2, double o3Max8h, double o3Max1h, double so2 = kNaN,
                   double co = kNaN) {
  DailyValues v = noDailyValues();
  v[static_cast<std::size_t>(Daily::Pm25)] = pm25;
  v[static_cast<std::size_t>(Daily::Pm10)] = pm10;
  v[static_cast<std::size_t>(Daily::No2)] = no2;
  v[static_cast<std::size_t>(Daily::O3Max8h)] = o3Max8h;
  v[static_cast<std::size_t>(Daily::O3Max1h)] = o3Max1h;
  v[static_cast<std::size_t>(Daily::So2)] = so2;
  v[static_cast<std::size_t>(Daily::Co)] = co;
  return v;
}

double item(const DailyValues& v, Daily d) { return v[static_cast<std::size_t>(d)]; }

TEST(AirStatisticsTime, LocalDaysAreChinaStandardTime) {
  // 1970-01-01 00:00 UTC is 08:00 local, day 0; the local day ends at 16:00 UTC.
  EXPECT_EQ(localDayOf(0), 0);
  EXPECT_EQ(localHourOf(0), 8);
  EXPECT_EQ(localDayOf(16 * kHourUs - 1), 0);
  EXPECT_EQ(localDayOf(16 * kHourUs), 1);
  EXPECT_EQ(localDayOf(-8 * kHourUs - 1), -1);  // 1969-12-31 23:59:59.999999 local
  // 2026-01-01: 56 years after 1970 with 14 leap days (1972 .. 2024).
  EXPECT_EQ(dayFromCivil(2026, 1, 1), 56 * 365 + 14);
  const CivilDate d = civilFromDay(56 * 365 + 14);
  EXPECT_EQ(d.year, 2026);
  EXPECT_EQ(d.month, 1);
  EXPECT_EQ(d.day, 1);
  EXPECT_EQ(dayFromCivil(2024, 3, 1) - dayFromCivil(2024, 2, 1), 29);
  EXPECT_EQ(dayFromCivil(2025, 3, 1) - dayFromCivil(2025, 2, 1), 28);
  const CivilDate last = civilFromDay(dayFromCivil(2024, 12, 31));
  EXPECT_EQ(last.month, 12);
  EXPECT_EQ(last.day, 31);
}

TEST(AirStatisticsDaily, TwentyFourHourMeanNeedsTwentyHours) {
  Day d = constant(kNaN);
  for (int h = 0; h < 20; ++h) d[static_cast<std::size_t>(h)] = h;  // 0..19: mean 9.5
  EXPECT_DOUBLE_EQ(dailyMean(d.data()), 9.5);
  d[19] = kNaN;  // 19 hours
  EXPECT_TRUE(std::isnan(dailyMean(d.data())));
  EXPECT_DOUBLE_EQ(dailyMean(constant(30).data()), 30.0);
  EXPECT_TRUE(std::isnan(dailyMean(constant(kNaN).data())));
}

TEST(AirStatisticsDaily, OneHourMaxNeedsTwentyHours) {
  Day d;
  for (int h = 0; h < 24; ++h) d[static_cast<std::size_t>(h)] = 10.0 * h;
  EXPECT_DOUBLE_EQ(dailyMax1h(d.data()), 230.0);
  for (int h = 0; h < 4; ++h) d[static_cast<std::size_t>(h)] = kNaN;  // 20 hours left
  EXPECT_DOUBLE_EQ(dailyMax1h(d.data()), 230.0);
  d[4] = kNaN;  // 19
  EXPECT_TRUE(std::isnan(dailyMax1h(d.data())));
}

TEST(AirStatisticsDaily, O3Max8hIsTheLargestOfTheSeventeenWindowsInTheDay) {
  // O3 = 10 h: window k (hours k..k+7, the 8-h mean ending at k+8 o'clock) has mean 10k + 35; the last, k = 16
  // (16:00-24:00), is 195. Nothing of the next day enters.
  Day d;
  for (int h = 0; h < 24; ++h) d[static_cast<std::size_t>(h)] = 10.0 * h;
  EXPECT_DOUBLE_EQ(dailyMax8h(d.data()), 195.0);
}

TEST(AirStatisticsDaily, An8hMeanNeedsSixHoursAndIsTheMeanOfThoseThere) {
  // 100 all day, 200 at 16..21, 22 and 23 missing. Window 16 (16..23) has 6 hours: mean 200 (valid).
  Day d = constant(100);
  for (int h = 16; h < 22; ++h) d[static_cast<std::size_t>(h)] = 200;
  d[22] = d[23] = kNaN;
  EXPECT_DOUBLE_EQ(dailyMax8h(d.data()), 200.0);
  // Hour 21 missing too: window 16 has 5 hours (invalid); window 15 (15..22) has 15..20: (100 + 5 x 200) / 6.
  d[21] = kNaN;
  EXPECT_NEAR(dailyMax8h(d.data()), 1100.0 / 6.0, 1e-12);
}

TEST(AirStatisticsDaily, O3Max8hNeedsFourteenWindowsUnlessItExceedsTheLimit) {
  // O3 = 5 h: window k mean 5k + 17.5, largest 97.5 (k = 16).
  Day low;
  for (int h = 0; h < 24; ++h) low[static_cast<std::size_t>(h)] = 5.0 * h;
  // Hours 0..4 missing: window k has 8 - (5 - k) hours for k < 5: k = 0, 1, 2 have 3, 4, 5 (invalid), k = 3 has 6.
  // 17 - 3 = 14 valid windows: valid.
  for (int h = 0; h < 5; ++h) low[static_cast<std::size_t>(h)] = kNaN;
  EXPECT_DOUBLE_EQ(dailyMax8h(low.data()), 97.5);
  // Hour 5 missing too: windows 0..3 invalid, 13 valid, and 97.5 is below 160: not valid.
  low[5] = kNaN;
  EXPECT_TRUE(std::isnan(dailyMax8h(low.data())));
  // The same gap with O3 = 10 h: 13 valid windows but the largest, 195, exceeds the grade II limit 160: valid.
  Day high;
  for (int h = 0; h < 24; ++h) high[static_cast<std::size_t>(h)] = h < 6 ? kNaN : 10.0 * h;
  EXPECT_DOUBLE_EQ(dailyMax8h(high.data()), 195.0);
  // Exactly 160 does not exceed it: O3 = 160 at 16..23 only (window 16 alone has 8 hours; 15 has 7, 14 has 6):
  // 3 valid windows, largest 160: not valid.
  Day edge = constant(kNaN);
  for (int h = 16; h < 24; ++h) edge[static_cast<std::size_t>(h)] = 160;
  EXPECT_TRUE(std::isnan(dailyMax8h(edge.data())));
  edge[23] = 168;  // window 16: (7 x 160 + 168) / 8 = 161 > 160: valid (windows 14, 15 stay 160)
  EXPECT_DOUBLE_EQ(dailyMax8h(edge.data()), 161.0);
}

// A station whose hours are one Day per pollutant and day (missing pollutants: empty series).
StationHours station(std::int64_t firstDay, const std::vector<std::array<Day, 4>>& days) {
  StationHours s;
  s.firstDay = firstDay;
  for (const auto& day : days) {
    for (std::size_t p = 0; p < 4; ++p) s.values[p].insert(s.values[p].end(), day[p].begin(), day[p].end());
  }
  return s;
}

TEST(AirStatisticsDaily, StationDaysCutTheSeriesAtLocalMidnight) {
  // Two days: PM2.5 10 on the first, 50 on the second; asking from the day before the series to the day after.
  const std::int64_t d0 = dayFromCivil(2026, 1, 1);
  Day none = constant(kNaN);
  const StationHours s = station(d0, {{constant(10), constant(20), constant(30), constant(40)},
                                      {constant(50), none, none, none}});
  const auto days = stationDays(s, d0 - 1, 4);
  ASSERT_EQ(days.size(), 4u);
  EXPECT_TRUE(std::isnan(item(days[0], Daily::Pm25)));  // before the series
  EXPECT_DOUBLE_EQ(item(days[1], Daily::Pm25), 10.0);
  EXPECT_DOUBLE_EQ(item(days[1], Daily::Pm10), 20.0);
  EXPECT_DOUBLE_EQ(item(days[1], Daily::No2), 30.0);
  EXPECT_DOUBLE_EQ(item(days[1], Daily::O3Max8h), 40.0);
  EXPECT_DOUBLE_EQ(item(days[1], Daily::O3Max1h), 40.0);
  EXPECT_TRUE(std::isnan(item(days[1], Daily::So2)));  // never published
  EXPECT_DOUBLE_EQ(item(days[2], Daily::Pm25), 50.0);
  EXPECT_TRUE(std::isnan(item(days[2], Daily::Pm10)));
  EXPECT_TRUE(std::isnan(item(days[3], Daily::Pm25)));  // after it
}

TEST(AirStatisticsCity, CityDayIsTheMeanOfTheValidStations) {
  // Day 0: A 40, B invalid (its 100 left out), C 50 -> 45. Day 1: no station valid -> no value.
  const std::vector<std::vector<DailyValues>> stations{
      {values(40, 80, kNaN, 90, 100), values(kNaN, kNaN, kNaN, kNaN, kNaN)},
      {values(kNaN, 60, kNaN, kNaN, kNaN), values(kNaN, kNaN, kNaN, kNaN, kNaN)},
      {values(50, kNaN, kNaN, 110, 120), values(kNaN, kNaN, kNaN, kNaN, kNaN)}};
  const auto city = cityDays(stations);
  ASSERT_EQ(city.size(), 2u);
  EXPECT_DOUBLE_EQ(item(city[0], Daily::Pm25), 45.0);
  EXPECT_DOUBLE_EQ(item(city[0], Daily::Pm10), 70.0);  // A 80 and B 60: each item on its own stations
  EXPECT_TRUE(std::isnan(item(city[0], Daily::No2)));
  EXPECT_DOUBLE_EQ(item(city[0], Daily::O3Max8h), 100.0);
  EXPECT_DOUBLE_EQ(item(city[0], Daily::O3Max1h), 110.0);
  for (double v : city[1]) EXPECT_TRUE(std::isnan(v));
}

TEST(AirStatisticsAqi, DailyAqiFromTheDailyItems) {
  // PM2.5 75 -> 100; PM10 100 -> 50 + 50/100 x 50 = 75; NO2 40 -> 50; O3 8h 100 -> 50; O3 1h 150 -> 46.875 -> 47.
  auto r = dailyAqi(values(75, 100, 40, 100, 150));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->aqi, 100);
  EXPECT_EQ(r->primary, std::vector<Pollutant>{Pollutant::Pm25});
  // PM2.5 76 -> 100 + 50/40 x 1 = 101.25 -> 102.
  EXPECT_EQ(dailyAqi(values(76, 100, 40, 100, 150))->aqi, 102);
  // The O3 1-h maximum is an item of the daily report: 210 -> 100 + 50/100 x 10 = 105.
  r = dailyAqi(values(30, 50, 40, 100, 210));
  EXPECT_EQ(r->aqi, 105);
  EXPECT_EQ(r->primary, std::vector<Pollutant>{Pollutant::O3});
  // SO2 24h 160 -> 100 + 50/325 x 10 = 101.54 -> 102; CO 24h 4.5 mg/m3 -> 100 + 50/10 x 0.5 = 102.5 -> 103.
  r = dailyAqi(values(30, 50, 40, 100, 150, 160, 4.5));
  EXPECT_EQ(r->aqi, 103);
  EXPECT_EQ(r->pollutantIaqi[static_cast<std::size_t>(Pollutant::So2) - 1], 102);
  EXPECT_EQ(r->primary, std::vector<Pollutant>{Pollutant::Co});
  // A required item missing (NO2, or the O3 8-h maximum): no daily AQI; the 1-h O3 is not required.
  EXPECT_FALSE(dailyAqi(values(30, 50, kNaN, 100, 150)).has_value());
  EXPECT_FALSE(dailyAqi(values(30, 50, 40, kNaN, 150)).has_value());
  EXPECT_EQ(dailyAqi(values(30, 50, 40, 100, kNaN))->aqi, 50);  // 30 -> 42.86 -> 43; PM10, NO2, O3 8h -> 50
}

TEST(AirStatisticsAqi, GoodDayShareCountsValidDaysOnly) {
  const std::vector<DailyValues> days{values(75, 100, 40, 100, 150),    // AQI 100: good
                                      values(76, 100, 40, 100, 150),    // 102: not good
                                      values(20, kNaN, 40, 100, 150),   // no PM10: not a valid day
                                      values(20, 40, 20, 60, 80)};      // 40: good
  const GoodDayShare s = goodDayShare(days);
  EXPECT_EQ(s.goodDays, 2);
  EXPECT_EQ(s.validDays, 3);
  EXPECT_NEAR(s.percent, 200.0 / 3.0, 1e-12);
  EXPECT_TRUE(std::isnan(goodDayShare({}).percent));
}

// A year of daily values from January 1 of `year`: `value` on every day, then the first `missing[m]` days of month m
// (0-based) left invalid.
std::vector<double> yearOf(int year, double value, const std::array<int, 12>& missing = {}) {
  const std::int64_t first = dayFromCivil(year, 1, 1);
  std::vector<double> out(static_cast<std::size_t>(dayFromCivil(year + 1, 1, 1) - first), value);
  for (int m = 0; m < 12; ++m) {
    const std::int64_t start = dayFromCivil(year, m + 1, 1) - first;
    for (int i = 0; i < missing[static_cast<std::size_t>(m)]; ++i) {
      out[static_cast<std::size_t>(start + i)] = kNaN;
    }
  }
  return out;
}

TEST(AirStatisticsAnnual, AWholeYearIsValidWithEnoughDaysInTheYearAndEachMonth) {
  // 2025: January 60, the other 334 days 30 -> (31 x 60 + 334 x 30) / 365 = 11880 / 365.
  std::vector<double> daily = yearOf(2025, 30);
  for (int i = 0; i < 31; ++i) daily[static_cast<std::size_t>(i)] = 60;
  AnnualMean a = annualMean(daily, dayFromCivil(2025, 1, 1));
  EXPECT_NEAR(a.mean, 11880.0 / 365.0, 1e-12);
  EXPECT_EQ(a.validDays, 365);
  EXPECT_EQ(a.periodDays, 365);
  EXPECT_EQ(a.validDaysPerMonth[1], 28);
  EXPECT_TRUE(a.wholeMonthsComplete);
  EXPECT_TRUE(a.validAnnual);
}

TEST(AirStatisticsAnnual, AShortMonthMakesTheYearInvalid) {
  // March with 26 valid days (5 missing): 360 days in the year, but March < 27.
  AnnualMean a = annualMean(yearOf(2025, 30, {0, 0, 5}), dayFromCivil(2025, 1, 1));
  EXPECT_EQ(a.validDays, 360);
  EXPECT_EQ(a.validDaysPerMonth[2], 26);
  EXPECT_FALSE(a.wholeMonthsComplete);
  EXPECT_FALSE(a.validAnnual);
  EXPECT_DOUBLE_EQ(a.mean, 30.0);  // the mean is still given, flagged
  // February needs 25: 28 - 3 = 25 passes, 28 - 4 = 24 does not.
  EXPECT_TRUE(annualMean(yearOf(2025, 30, {0, 3}), dayFromCivil(2025, 1, 1)).validAnnual);
  EXPECT_FALSE(annualMean(yearOf(2025, 30, {0, 4}), dayFromCivil(2025, 1, 1)).validAnnual);
}

TEST(AirStatisticsAnnual, EveryMonthAtItsMinimumIsStillShortOf324Days) {
  // 2025, each month cut to 27 valid days (February 25): 11 x 27 + 25 = 322 < 324.
  std::array<int, 12> missing{};
  for (int m = 1; m <= 12; ++m) {
    missing[static_cast<std::size_t>(m - 1)] =
        static_cast<int>(dayFromCivil(m == 12 ? 2026 : 2025, m == 12 ? 1 : m + 1, 1) - dayFromCivil(2025, m, 1)) -
        (m == 2 ? 25 : 27);
  }
  AnnualMean a = annualMean(yearOf(2025, 30, missing), dayFromCivil(2025, 1, 1));
  EXPECT_EQ(a.validDays, 322);
  EXPECT_TRUE(a.wholeMonthsComplete);
  EXPECT_FALSE(a.validAnnual);
  // Two months with one day more: 324.
  missing[0] -= 1;
  missing[2] -= 1;
  a = annualMean(yearOf(2025, 30, missing), dayFromCivil(2025, 1, 1));
  EXPECT_EQ(a.validDays, 324);
  EXPECT_TRUE(a.validAnnual);
}

TEST(AirStatisticsAnnual, YearToDateChecksOnlyTheWholeMonthsSoFar) {
  // 2025-01-01 .. 2025-03-09 (68 days): January 27 valid (4 missing), February 25 (3 missing), 9 of March with
  // only 1 valid: March is not whole yet and is not checked.
  std::vector<double> daily = yearOf(2025, 30, {4, 3, 8});
  daily.resize(31 + 28 + 9);
  AnnualMean a = annualMean(daily, dayFromCivil(2025, 1, 1));
  EXPECT_EQ(a.periodDays, 68);
  EXPECT_EQ(a.validDays, 27 + 25 + 1);
  EXPECT_TRUE(a.wholeMonthsComplete);
  EXPECT_FALSE(a.validAnnual);  // not a whole year
  daily[4] = kNaN;              // January 26
  EXPECT_FALSE(annualMean(daily, dayFromCivil(2025, 1, 1)).wholeMonthsComplete);
  // A period from January 15: January is not whole in it and is not checked.
  const std::vector<double> fromMid(daily.begin() + 14, daily.end());
  EXPECT_TRUE(annualMean(fromMid, dayFromCivil(2025, 1, 15)).wholeMonthsComplete);
  // Nothing valid: no mean.
  EXPECT_TRUE(std::isnan(annualMean(std::vector<double>(3, kNaN), dayFromCivil(2025, 1, 1)).mean));
}

TEST(AirStatisticsYear, IndicatorsFromStationHoursByHand) {
  // Three days from 2026-01-01, two stations; items PM2.5, PM10, NO2, O3 (constant over each valid day).
  //  day 0: A 30, 60, 30, 80 and B 50, 80, 50, 100 -> city 40, 70, 40, O3 90 (8-h and 1-h):
  //         IAQI 56.25 -> 57, 60, 50, 45, 28.1 -> AQI 60: good.
  //  day 1: A only 10 hours (invalid); B 90, 100, 40, 100 -> city = B: PM2.5 100 + 50/40 x 15 = 118.75 -> 119: not good.
  //  day 2: no station valid: no city value.
  // #14 = (40 + 90) / 2 = 65 over 2 valid days of 3; #15 = 1 / 2 = 50 %.
  const std::int64_t d0 = dayFromCivil(2026, 1, 1);
  Day tenHours = constant(kNaN);
  for (int h = 0; h < 10; ++h) tenHours[static_cast<std::size_t>(h)] = 30;  // O3 8-h: 3 windows, below 160
  const Day none = constant(kNaN);
  const std::vector<StationHours> stations{
      station(d0, {{constant(30), constant(60), constant(30), constant(80)},
                   {tenHours, tenHours, tenHours, tenHours},
                   {none, none, none, none}}),
      station(d0, {{constant(50), constant(80), constant(50), constant(100)},
                   {constant(90), constant(100), constant(40), constant(100)},
                   {none, none, none, none}})};
  const YearIndicators y = yearIndicators(stations, d0, d0 + 3);
  EXPECT_DOUBLE_EQ(y.pm25.mean, 65.0);
  EXPECT_EQ(y.pm25.validDays, 2);
  EXPECT_EQ(y.pm25.periodDays, 3);
  EXPECT_FALSE(y.pm25.validAnnual);
  EXPECT_EQ(y.goodDays.goodDays, 1);
  EXPECT_EQ(y.goodDays.validDays, 2);
  EXPECT_DOUBLE_EQ(y.goodDays.percent, 50.0);
  // The stations' own means: A has one valid day (a station with too few days; its day still counted above).
  ASSERT_EQ(y.stationPm25.size(), 2u);
  EXPECT_EQ(y.stationPm25[0].validDays, 1);
  EXPECT_DOUBLE_EQ(y.stationPm25[0].mean, 30.0);
  EXPECT_DOUBLE_EQ(y.stationPm25[1].mean, 70.0);

  // Year to date at 2026-01-03 10:00 local (02:00 UTC): January 1 and 2; the running day 3 is left out.
  const std::int64_t now = (d0 + 2) * kDayUs - kLocalOffsetUs + 10 * kHourUs;
  const YearIndicators ytd = yearToDate(stations, now);
  EXPECT_EQ(ytd.firstDay, d0);
  EXPECT_EQ(ytd.endDay, d0 + 2);
  EXPECT_DOUBLE_EQ(ytd.pm25.mean, 65.0);
  EXPECT_EQ(ytd.pm25.periodDays, 2);
  // On January 1 itself no day of the year has ended yet.
  const YearIndicators first = yearToDate(stations, d0 * kDayUs - kLocalOffsetUs + 23 * kHourUs);
  EXPECT_EQ(first.pm25.validDays, 0);
  EXPECT_TRUE(std::isnan(first.pm25.mean));
  EXPECT_EQ(first.goodDays.validDays, 0);
}

TEST(AirStatisticsArea, WeightedDaysOverTheGivenStationsValidThatDay) {
  const std::vector<std::vector<DailyValues>> stations{
      {values(40, 80, kNaN, 90, 100), values(kNaN, kNaN, kNaN, kNaN, kNaN)},
      {values(kNaN, 60, kNaN, kNaN, kNaN), values(20, kNaN, kNaN, kNaN, kNaN)},
      {values(50, kNaN, kNaN, 110, 120), values(kNaN, kNaN, kNaN, kNaN, kNaN)}};
  // A with weight 1 and C with 3: PM2.5 (40 + 3 x 50) / 4; PM10 only A's (B is not among them); day 1 nothing.
  const auto area = weightedDays(stations, {{0, 1.0}, {2, 3.0}});
  ASSERT_EQ(area.size(), 2u);
  EXPECT_DOUBLE_EQ(item(area[0], Daily::Pm25), 47.5);
  EXPECT_DOUBLE_EQ(item(area[0], Daily::Pm10), 80.0);
  EXPECT_DOUBLE_EQ(item(area[0], Daily::O3Max8h), 105.0);
  for (double v : area[1]) EXPECT_TRUE(std::isnan(v));
  // All stations alike: the city's days (HJ 663).
  const auto all = weightedDays(stations, {{0, 1.0}, {1, 1.0}, {2, 1.0}});
  const auto city = cityDays(stations);
  ASSERT_EQ(all.size(), city.size());
  for (std::size_t d = 0; d < all.size(); ++d) {
    for (std::size_t i = 0; i < all[d].size(); ++i) {
      if (std::isnan(city[d][i])) {
        EXPECT_TRUE(std::isnan(all[d][i]));
      } else {
        EXPECT_DOUBLE_EQ(all[d][i], city[d][i]);
      }
    }
  }
  EXPECT_TRUE(weightedDays(stations, {{7, 1.0}}).empty());  // an unknown station: nothing
}

TEST(AirStatisticsArea, AnAreasIndicatorsFromItsStations) {
  // The two stations of IndicatorsFromStationHoursByHand: A valid on day 0 only (30), B on days 0 and 1 (50, 90).
  const std::int64_t d0 = dayFromCivil(2026, 1, 1);
  Day tenHours = constant(kNaN);
  for (int h = 0; h < 10; ++h) tenHours[static_cast<std::size_t>(h)] = 30;
  const Day none = constant(kNaN);
  const YearIndicators y = yearIndicators(
      {station(d0, {{constant(30), constant(60), constant(30), constant(80)},
                    {tenHours, tenHours, tenHours, tenHours},
                    {none, none, none, none}}),
       station(d0, {{constant(50), constant(80), constant(50), constant(100)},
                    {constant(90), constant(100), constant(40), constant(100)},
                    {none, none, none, none}})},
      d0, d0 + 3);
  ASSERT_EQ(y.stationDays.size(), 2u);
  // Both stations: the city's figures.
  AreaIndicators a = areaIndicators(y, {{0, 1.0}, {1, 1.0}});
  EXPECT_DOUBLE_EQ(a.pm25.mean, y.pm25.mean);
  EXPECT_DOUBLE_EQ(a.goodDays.percent, y.goodDays.percent);
  // B alone: (50 + 90) / 2 = 70; day 0 AQI 69 (PM2.5 50: 50 + 15/40 x 50 = 68.75) good, day 1 (119) not: 50 %.
  a = areaIndicators(y, {{1, 1.0}});
  EXPECT_DOUBLE_EQ(a.pm25.mean, 70.0);
  EXPECT_EQ(a.pm25.validDays, 2);
  EXPECT_EQ(a.pm25.periodDays, 3);
  EXPECT_DOUBLE_EQ(a.goodDays.percent, 50.0);
  // A alone: one valid day, 30, good.
  a = areaIndicators(y, {{0, 1.0}});
  EXPECT_DOUBLE_EQ(a.pm25.mean, 30.0);
  EXPECT_EQ(a.pm25.validDays, 1);
  EXPECT_DOUBLE_EQ(a.goodDays.percent, 100.0);
  // Interpolated, A three times B's weight: day 0 (3 x 30 + 50) / 4 = 35, day 1 B's 90 alone: 62.5.
  a = areaIndicators(y, {{0, 3.0}, {1, 1.0}});
  EXPECT_DOUBLE_EQ(a.pm25.mean, 62.5);
  // No station: no valid day.
  a = areaIndicators(y, {});
  EXPECT_EQ(a.pm25.validDays, 0);
  EXPECT_EQ(a.goodDays.validDays, 0);
}

}  // namespace
}  // namespace greentwin::air_quality
