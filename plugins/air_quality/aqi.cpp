#include "aqi.hpp"

#include <algorithm>
#include <climits>
#include <cmath>

namespace greentwin::air_quality {
namespace {

// HJ 633-2012 Table 1 (ug/m3), columns IAQI 0, 50, 100, 150, 200, 300, 400, 500.
constexpr BreakpointTable kPm25_24h{{0, 35, 75, 115, 150, 250, 350, 500}, 8};
constexpr BreakpointTable kPm10_24h{{0, 50, 150, 250, 350, 420, 500, 600}, 8};
constexpr BreakpointTable kNo2_24h{{0, 40, 80, 180, 280, 565, 750, 940}, 8};
constexpr BreakpointTable kNo2_1h{{0, 100, 200, 700, 1200, 2340, 3090, 3840}, 8};
constexpr BreakpointTable kO3_1h{{0, 160, 200, 300, 400, 800, 1000, 1200}, 8};
constexpr BreakpointTable kO3_8h{{0, 100, 160, 215, 265, 800, 0, 0}, 6};  // note (3): none above 800
constexpr BreakpointTable kSo2_24h{{0, 50, 150, 475, 800, 1600, 2100, 2620}, 8};
constexpr BreakpointTable kCo_24h{{0, 2, 4, 14, 24, 36, 48, 60}, 8};  // mg/m3

// Interpolated values are rounded up; a hair of tolerance keeps an exact breakpoint (e.g. 50.000000000001 from
// floating-point arithmetic) from becoming 51.
int roundUp(double value) { return static_cast<int>(std::ceil(value - 1e-9)); }

const std::array<AqiClass, 6> kClasses{{
    {1, 0, 50, "优", "Good", {0, 228, 0}},
    {2, 51, 100, "良", "Moderate", {255, 255, 0}},
    {3, 101, 150, "轻度污染", "Lightly polluted", {255, 126, 0}},
    {4, 151, 200, "中度污染", "Moderately polluted", {255, 0, 0}},
    {5, 201, 300, "重度污染", "Heavily polluted", {153, 0, 76}},
    {6, 301, INT_MAX, "严重污染", "Severely polluted", {126, 0, 35}},
}};

}  // namespace

Pollutant pollutantOf(Measure measure) {
  switch (measure) {
    case Measure::Pm25_24h: return Pollutant::Pm25;
    case Measure::Pm10_24h: return Pollutant::Pm10;
    case Measure::No2_24h:
    case Measure::No2_1h: return Pollutant::No2;
    case Measure::O3_1h:
    case Measure::O3_8h: return Pollutant::O3;
    case Measure::So2_24h: return Pollutant::So2;
    case Measure::Co_24h: return Pollutant::Co;
  }
  return Pollutant::None;
}

const char* name(Pollutant pollutant) {
  switch (pollutant) {
    case Pollutant::Pm25: return "PM2.5";
    case Pollutant::Pm10: return "PM10";
    case Pollutant::No2: return "NO2";
    case Pollutant::O3: return "O3";
    case Pollutant::So2: return "SO2";
    case Pollutant::Co: return "CO";
    case Pollutant::None: break;
  }
  return "";
}

const char* name(Measure measure) {
  switch (measure) {
    case Measure::Pm25_24h: return "PM2.5 24h";
    case Measure::Pm10_24h: return "PM10 24h";
    case Measure::No2_24h: return "NO2 24h";
    case Measure::No2_1h: return "NO2 1h";
    case Measure::O3_1h: return "O3 1h";
    case Measure::O3_8h: return "O3 8h";
    case Measure::So2_24h: return "SO2 24h";
    case Measure::Co_24h: return "CO 24h";
  }
  return "";
}

const BreakpointTable& breakpoints(Measure measure) {
  switch (measure) {
    case Measure::Pm25_24h: return kPm25_24h;
    case Measure::Pm10_24h: return kPm10_24h;
    case Measure::No2_24h: return kNo2_24h;
    case Measure::No2_1h: return kNo2_1h;
    case Measure::O3_1h: return kO3_1h;
    case Measure::O3_8h: return kO3_8h;
    case Measure::So2_24h: return kSo2_24h;
    case Measure::Co_24h: return kCo_24h;
  }
  return kPm25_24h;
}

std::optional<Iaqi> iaqi(Measure measure, double concentration) {
  if (!std::isfinite(concentration) || concentration < 0) return std::nullopt;
  const BreakpointTable& table = breakpoints(measure);
  const int last = table.count - 1;
  if (concentration > table.concentration[last]) {
    if (measure == Measure::O3_8h) return std::nullopt;  // HJ 633 note (3): report O3 by its 1-h index
    return Iaqi{kIaqiBreakpoints[last], true};
  }
  // The segment [BP_Lo, BP_Hi] holding the concentration (a value on a breakpoint gives that breakpoint's IAQI
  // from either side).
  int hi = 1;
  while (hi < last && concentration > table.concentration[hi]) ++hi;
  const double bpLo = table.concentration[hi - 1];
  const double bpHi = table.concentration[hi];
  const double iLo = kIaqiBreakpoints[hi - 1];
  const double iHi = kIaqiBreakpoints[hi];
  return Iaqi{roundUp((iHi - iLo) / (bpHi - bpLo) * (concentration - bpLo) + iLo), false};
}

AqiResult computeAqi(const std::vector<Reading>& readings) {
  AqiResult out;
  for (const Reading& r : readings) {
    const auto index = iaqi(r.measure, r.value);
    if (!index) continue;
    auto& slot = out.pollutantIaqi[static_cast<std::size_t>(static_cast<int>(pollutantOf(r.measure)) - 1)];
    if (!slot || index->value > *slot) slot = index->value;
    out.aboveScale = out.aboveScale || index->aboveScale;
    if (!out.aqi || index->value > *out.aqi) out.aqi = index->value;
  }
  if (!out.aqi) return out;
  out.level = aqiLevel(*out.aqi);
  if (*out.aqi > 50) {
    for (int p = 0; p < kPollutantCount; ++p) {
      const auto& slot = out.pollutantIaqi[static_cast<std::size_t>(p)];
      if (slot && *slot == *out.aqi) out.primary.push_back(static_cast<Pollutant>(p + 1));
    }
  }
  return out;
}

const std::array<AqiClass, 6>& aqiClasses() { return kClasses; }

int aqiLevel(double aqi) {
  if (!(aqi >= 0)) return 0;  // NaN too
  const double rounded = std::ceil(aqi - 1e-9);
  for (const AqiClass& c : kClasses) {
    if (rounded <= c.maxAqi) return c.level;
  }
  return 6;
}

std::array<double, 5> aqiClassUpperBounds() { return {50, 100, 150, 200, 300}; }

std::array<double, 5> pm25ClassUpperBounds() {
  // IAQI 50, 100, 150, 200, 300 are columns 1..5 of the table.
  std::array<double, 5> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = kPm25_24h.concentration[i + 1];
  return out;
}

}  // namespace greentwin::air_quality
