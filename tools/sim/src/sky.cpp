#include "greentwin/sim/sky.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gt::sim {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;
constexpr std::int64_t kMicrosPerDay = 86'400LL * 1'000'000LL;

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 -> day of the year (1..366); Howard Hinnant's civil_from_days.
int dayOfYearFromDays(std::int64_t days) {
  const std::int64_t z = days + 719468;
  const std::int64_t era = floorDiv(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doyMar = doe - (365 * yoe + yoe / 4 - yoe / 100);  // day of a March-based year
  const std::int64_t mp = (5 * doyMar + 2) / 153;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  // Days of the year before March 1 in the civil year: 59, or 60 in a leap year.
  const std::int64_t beforeMarch = leap ? 60 : 59;
  const std::int64_t doy = doyMar >= 306 ? doyMar - 306 : doyMar + beforeMarch;  // Jan/Feb belong to the next year
  return static_cast<int>(doy) + 1;
}

}  // namespace

LocalTime localTime(TimePoint t, int utcOffsetMinutes) {
  const std::int64_t local = t + static_cast<std::int64_t>(utcOffsetMinutes) * 60 * 1'000'000;
  const std::int64_t days = floorDiv(local, kMicrosPerDay);
  LocalTime out;
  out.hour = static_cast<double>(local - days * kMicrosPerDay) / 3.6e9;
  out.weekday = static_cast<int>(((days % 7) + 7 + 3) % 7);  // 1970-01-01 was a Thursday (3)
  out.dayOfYear = dayOfYearFromDays(days);
  return out;
}

SunPosition sunPosition(TimePoint t, double latDeg, double lonDeg) {
  const LocalTime utc = localTime(t, 0);
  // NOAA Global Monitoring Division, "General Solar Position Calculations".
  const double gamma = 2.0 * std::numbers::pi / 365.0 * (utc.dayOfYear - 1 + (utc.hour - 12.0) / 24.0);
  const double eqTimeMin = 229.18 * (0.000075 + 0.001868 * std::cos(gamma) - 0.032077 * std::sin(gamma) -
                                     0.014615 * std::cos(2 * gamma) - 0.040849 * std::sin(2 * gamma));
  const double decl = 0.006918 - 0.399912 * std::cos(gamma) + 0.070257 * std::sin(gamma) -
                      0.006758 * std::cos(2 * gamma) + 0.000907 * std::sin(2 * gamma) -
                      0.002697 * std::cos(3 * gamma) + 0.00148 * std::sin(3 * gamma);
  const double trueSolarMin = utc.hour * 60.0 + eqTimeMin + 4.0 * lonDeg;
  const double hourAngle = (trueSolarMin / 4.0 - 180.0) * kDeg;
  const double lat = latDeg * kDeg;
  const double cosZenith = std::clamp(
      std::sin(lat) * std::sin(decl) + std::cos(lat) * std::cos(decl) * std::cos(hourAngle), -1.0, 1.0);
  SunPosition sun;
  sun.elevationDeg = 90.0 - std::acos(cosZenith) / kDeg;
  double azimuth = std::atan2(std::sin(hourAngle), std::cos(hourAngle) * std::sin(lat) - std::tan(decl) * std::cos(lat));
  sun.azimuthDeg = std::fmod(azimuth / kDeg + 180.0 + 360.0, 360.0);
  return sun;
}

double clearSkyGhi(double elevationDeg) {
  if (elevationDeg <= 0.0) return 0.0;
  const double cosZ = std::sin(elevationDeg * kDeg);
  return 1098.0 * cosZ * std::exp(-0.057 / cosZ);
}

double cloudTransmission(double cloudCover) {
  return 1.0 - 0.75 * std::pow(std::clamp(cloudCover, 0.0, 1.0), 3.4);
}

}  // namespace gt::sim
