#pragma once
// Time and sky for the simulator's models: local civil time in Beijing (Asia/Shanghai, UTC+8 all year, no daylight
// saving since 1991), the sun's position (NOAA's low-precision solar equations, about 0.1 degree) and clear-sky
// irradiance. Pure functions of time: any thread.

#include "greentwin/core/time.hpp"

namespace gt::sim {

inline constexpr double kTongzhouLatDeg = 39.9;
inline constexpr double kTongzhouLonDeg = 116.7;
inline constexpr int kShanghaiUtcOffsetMinutes = 8 * 60;

struct LocalTime {
  double hour = 0;     // 0 <= hour < 24, fractional
  int weekday = 0;     // 0 = Monday .. 6 = Sunday
  int dayOfYear = 1;   // 1..366
  bool weekend() const { return weekday >= 5; }
};
LocalTime localTime(TimePoint t, int utcOffsetMinutes = kShanghaiUtcOffsetMinutes);

struct SunPosition {
  double elevationDeg = 0;  // above the horizon; negative at night
  double azimuthDeg = 0;    // clockwise from north
};
SunPosition sunPosition(TimePoint t, double latDeg = kTongzhouLatDeg, double lonDeg = kTongzhouLonDeg);

// Global horizontal irradiance under a clear sky (W/m2), Haurwitz (1945): 1098 cos z exp(-0.057 / cos z).
double clearSkyGhi(double elevationDeg);
// Fraction of clear-sky irradiance that reaches the ground under a cloud cover of 0..1, Kasten and Czeplak (1980):
// 1 - 0.75 c^3.4.
double cloudTransmission(double cloudCover);

}  // namespace gt::sim
