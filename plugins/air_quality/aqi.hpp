#pragma once
// The Chinese air quality index, HJ 633-2012 《环境空气质量指数（AQI）技术规定（试行）》: individual indices (IAQI)
// by linear interpolation between the breakpoints of its Table 1, AQI = the largest IAQI, the primary pollutant(s)
// when AQI > 50, and the six classes with the standard's colours (docs/air-quality.md). Pure C++17, no SDK, no
// twin: the plugin and its unit tests both use it. Any thread (no state).
//
//   IAQI_P = (IAQI_Hi - IAQI_Lo) / (BP_Hi - BP_Lo) * (C_P - BP_Lo) + IAQI_Lo
//
// rounded UP to an integer (HJ 633: the results are rounded up, no decimals). A concentration above the table's
// last breakpoint (IAQI 500) is reported as 500 and flagged `aboveScale` (the standard computes no index beyond
// it). O3 8-h above 800 ug/m3 has no index (the standard reports O3 by its 1-h index then): nullopt.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace greentwin::air_quality {

// One row of HJ 633 Table 1: a pollutant and averaging period. Concentrations in ug/m3 (CO: mg/m3).
enum class Measure {
  Pm25_24h,  // PM2.5 24-h mean (also used for hourly PM2.5: the standard has no 1-h PM table)
  Pm10_24h,  // PM10 24-h mean (likewise)
  No2_24h,
  No2_1h,    // for real-time (hourly) reports only
  O3_1h,
  O3_8h,     // 8-h moving mean; defined up to IAQI 300 (800 ug/m3)
  So2_24h,   // SO2 24-h mean (the daily report, air_statistics.hpp)
  Co_24h,    // CO 24-h mean, in mg/m3 (the standard's unit for CO)
};
inline constexpr int kMeasureCount = 8;

// The pollutant a measure belongs to (the primary pollutant is a pollutant). The numeric values are what the
// plugin pushes as the `primary_pollutant` attribute (the ABI carries numbers only): 0 = none. SO2 and CO were
// appended for the daily statistics (the demo's stations do not publish them).
enum class Pollutant : int { None = 0, Pm25 = 1, Pm10 = 2, No2 = 3, O3 = 4, So2 = 5, Co = 6 };
inline constexpr int kPollutantCount = 6;

Pollutant pollutantOf(Measure measure);
const char* name(Pollutant pollutant);  // "PM2.5", "PM10", "NO2", "O3", "SO2", "CO"; "" for None
const char* name(Measure measure);      // "PM2.5 24h", ...

// The breakpoint concentrations of a measure, paired with kIaqiBreakpoints (same index). O3 8h has 6.
struct BreakpointTable {
  std::array<double, 8> concentration;
  int count;
};
inline constexpr std::array<int, 8> kIaqiBreakpoints{0, 50, 100, 150, 200, 300, 400, 500};
const BreakpointTable& breakpoints(Measure measure);

struct Iaqi {
  int value = 0;
  bool aboveScale = false;  // the concentration lies above the last breakpoint; value is the table's top
};
// The IAQI of one concentration; nullopt for NaN, infinite or negative values and O3 8h above 800 ug/m3.
std::optional<Iaqi> iaqi(Measure measure, double concentration);

// One concentration given to computeAqi.
struct Reading {
  Measure measure;
  double value;  // ug/m3; NaN = missing (ignored)
};

struct AqiResult {
  std::optional<int> aqi;  // nullopt: no pollutant had a usable value
  int level = 0;           // 1..6 (HJ 633 级别), 0 without an AQI
  bool aboveScale = false;  // some pollutant beyond the top breakpoint
  // Primary pollutant(s): those whose IAQI equals the AQI, only when AQI > 50 (empty otherwise), in enum order.
  std::vector<Pollutant> primary;
  // Per pollutant (index = Pollutant value - 1): its IAQI, the largest over its measures given.
  std::array<std::optional<int>, kPollutantCount> pollutantIaqi{};
};
// AQI = max IAQI over the readings (missing ones are skipped).
AqiResult computeAqi(const std::vector<Reading>& readings);

// The six classes (级别), level 1..6.
struct AqiClass {
  int level;
  int minAqi, maxAqi;  // inclusive; the last class is open-ended (maxAqi = INT_MAX)
  const char* nameZh;  // 优, 良, 轻度污染, ...
  const char* nameEn;  // Good, Moderate, Lightly polluted, ...
  std::array<std::uint8_t, 3> rgb;  // the standard's colour
};
const std::array<AqiClass, 6>& aqiClasses();
// The level (1..6) of an AQI value (a non-integer is rounded up first, as the standard rounds); 0 for NaN or < 0.
int aqiLevel(double aqi);
// Upper AQI bound of classes 1..5 (class i holds AQI <= bound): 50, 100, 150, 200, 300.
std::array<double, 5> aqiClassUpperBounds();
// PM2.5 concentrations (24-h table) at the same class limits: 35, 75, 115, 150, 250 ug/m3 (IAQI 50..300).
std::array<double, 5> pm25ClassUpperBounds();

}  // namespace greentwin::air_quality
