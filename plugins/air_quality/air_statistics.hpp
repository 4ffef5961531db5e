#pragma once
// The programme's annual air indicators from hourly station values (issue 13, docs/air-quality.md "#14 and #15"):
//  #14 PM2.5 annual mean: the mean over the calendar year of the city's daily PM2.5;
//  #15 share of good days: days whose daily AQI (HJ 633-2012, daily report) is <= 100 over the valid days.
// With the data validity rules of GB 3095-2012 section 8 / Table 4 and HJ 663-2013:
//  - a 24-h mean needs >= 20 hourly values in the natural day (local time, UTC+8);
//  - an 8-h mean needs >= 6 hourly values; the O3 daily max 8-h mean is the largest of the 17 8-h means ending at
//    08:00 .. 24:00 of the day (the windows inside the day) and needs >= 14 valid ones — unless the largest of
//    fewer exceeds the grade II limit (160 ug/m3), which makes the day's value valid all the same (HJ 663);
//  - a station's day counts for the city only where it is valid; the city's daily value is the arithmetic mean of
//    the valid station values (HJ 663, multi-station assessment); no station valid: no city value that day;
//  - an annual mean needs >= 324 daily values in the year and >= 27 in each month (25 in February).
// Choices where the standards leave it open are named in docs/air-quality.md. Pure C++17, no SDK; any thread.
#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "aqi.hpp"

namespace greentwin::air_quality {

// ---- Local (China Standard Time, UTC+8, no daylight saving) hours and days --------------------------------------
inline constexpr std::int64_t kHourUs = 3600LL * 1000000LL;
inline constexpr std::int64_t kLocalOffsetUs = 8 * kHourUs;

// Hours / days since 1970-01-01 00:00 local time (floored, also before 1970).
std::int64_t localHourOf(std::int64_t utcUs);
std::int64_t localDayOf(std::int64_t utcUs);
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};
CivilDate civilFromDay(std::int64_t day);
std::int64_t dayFromCivil(int year, int month, int day);

// ---- Validity rules -----------------------------------------------------------------------------------------------
inline constexpr int kMinHoursPerDay = 20;         // GB 3095-2012 Table 4: 24-h mean
inline constexpr int kMinHoursPer8h = 6;           // GB 3095-2012 Table 4: 8-h mean
inline constexpr int kO3Windows = 17;              // 8-h means ending 08:00 .. 24:00 (HJ 663)
inline constexpr int kMinO3WindowsPerDay = 14;     // HJ 663: O3 daily max 8-h
inline constexpr double kO3_8hLimitGradeII = 160;  // GB 3095-2012 grade II, ug/m3: fewer windows above it still count
inline constexpr int kMinDaysPerYear = 324;        // GB 3095-2012 Table 4: annual mean
inline constexpr int kMinDaysPerMonth = 27;
inline constexpr int kMinDaysFebruary = 25;

// ---- Daily values ---------------------------------------------------------------------------------------------------
// The daily report's items (HJ 633-2012): 24-h means of PM2.5, PM10, NO2, SO2, CO and the O3 daily max 8-h and
// max 1-h. Concentrations in ug/m3, CO in mg/m3.
enum class Daily : int { Pm25 = 0, Pm10, No2, So2, Co, O3Max8h, O3Max1h };
inline constexpr int kDailyCount = 7;
using DailyValues = std::array<double, kDailyCount>;  // NaN: not valid that day
DailyValues noDailyValues();                          // all NaN

// The 24 hourly values of one local day, hour 0 = 00:00-01:00 (NaN: missing). NaN unless >= 20 are finite.
double dailyMean(const double* hours24);
// O3 daily max 8-h mean by the rules above; NaN when not valid.
double dailyMax8h(const double* hours24);
// Largest hourly value of the day, valid with >= 20 hourly values (our choice: as for a 24-h mean); else NaN.
double dailyMax1h(const double* hours24);

// One station's hourly means from local midnight of `firstDay`: values[p][h] for pollutant p (index = Pollutant
// value - 1) and hour h after it. NaN or past a vector's end: missing.
struct StationHours {
  std::int64_t firstDay = 0;
  std::array<std::vector<double>, kPollutantCount> values;
};
// The station's daily values for local days [firstDay, firstDay + days).
std::vector<DailyValues> stationDays(const StationHours& station, std::int64_t firstDay, int days);
// The city's daily values: per item, the mean of the stations' valid values that day (stations[s][d], all of the
// same length); NaN where no station is valid.
std::vector<DailyValues> cityDays(const std::vector<std::vector<DailyValues>>& stations);

// ---- #15: daily AQI and the share of good days ---------------------------------------------------------------------
// The daily AQI (HJ 633) of a day's values; nullopt unless PM2.5, PM10, NO2 and O3 max 8-h are all valid (our
// rule for a valid day: the pollutants the stations publish; SO2, CO and O3 max 1-h join when valid).
std::optional<AqiResult> dailyAqi(const DailyValues& day);
struct GoodDayShare {
  int goodDays = 0;   // valid days with AQI <= 100 (优 and 良)
  int validDays = 0;  // days with a daily AQI
  double percent = std::numeric_limits<double>::quiet_NaN();  // 100 * good / valid; NaN without valid days
};
GoodDayShare goodDayShare(const std::vector<DailyValues>& cityDays);

// ---- #14: annual mean ----------------------------------------------------------------------------------------------
struct AnnualMean {
  double mean = std::numeric_limits<double>::quiet_NaN();  // mean of the valid daily values; NaN without any
  int validDays = 0;
  int periodDays = 0;                       // days in the period
  std::array<int, 12> validDaysPerMonth{};  // January first
  // Every calendar month lying wholly in the period has >= 27 valid days (25 in February): the year-to-date figure
  // is on track for the annual rule. True for a period without whole months.
  bool wholeMonthsComplete = false;
  // The period is a whole calendar year with >= 324 valid days and every month complete: a valid annual mean.
  bool validAnnual = false;
};
// The mean of daily values (daily[i] for local day firstDay + i, NaN = not valid) within ONE calendar year.
AnnualMean annualMean(const std::vector<double>& daily, std::int64_t firstDay);

// ---- Both indicators over a period ----------------------------------------------------------------------------------
struct YearIndicators {
  std::int64_t firstDay = 0, endDay = 0;  // local days [firstDay, endDay)
  AnnualMean pm25;                        // #14, from the city's daily PM2.5
  GoodDayShare goodDays;                  // #15, from the city's daily values
  std::vector<AnnualMean> stationPm25;    // each station's own PM2.5 mean (for display; #14 does not use them)
  std::vector<std::vector<DailyValues>> stationDays;  // each station's daily values (for an area's, areaIndicators)
};
// The daily values of a set of stations with weights (station index, weight > 0): per day and item, the weighted
// mean of the stations valid that day; NaN where none is. With all weights 1 this is cityDays over those stations.
std::vector<DailyValues> weightedDays(const std::vector<std::vector<DailyValues>>& stations,
                                      const std::vector<std::pair<std::size_t, double>>& weights);

// #14 and #15 over local days [firstDay, endDay) — a calendar year or the part of one up to a day.
YearIndicators yearIndicators(const std::vector<StationHours>& stations, std::int64_t firstDay, std::int64_t endDay);
// The calendar year to date: from January 1 of the local year holding nowUs up to (not including) nowUs's local
// day, which is still running.
YearIndicators yearToDate(const std::vector<StationHours>& stations, std::int64_t nowUs);

// #14 and #15 of an area from the year's station days (YearIndicators::stationDays) and the area's stations with
// their weights (area_stations.hpp): the same rules as the city's, from the area's daily values (weightedDays).
struct AreaIndicators {
  AnnualMean pm25;
  GoodDayShare goodDays;
};
AreaIndicators areaIndicators(const YearIndicators& year, const std::vector<std::pair<std::size_t, double>>& weights);

}  // namespace greentwin::air_quality
