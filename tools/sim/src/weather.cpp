#include "greentwin/sim/weather.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "greentwin/sim/noise.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {
constexpr double kTwoPi = 2.0 * std::numbers::pi;
// Independent streams of the weather process, one per quantity.
enum Stream : std::uint64_t { kTemp = 1, kCloud, kWind, kWindDir, kHumidity, kRain };
}  // namespace

Weather WeatherModel::at(TimePoint t) const {
  const LocalTime lt = localTime(t);
  const double hours = static_cast<double>(t) / 3.6e9;
  const double doy = lt.dayOfYear + lt.hour / 24.0;
  Weather w;
  // Season: 0 in mid-January, 1 in mid-July (Beijing's coldest and warmest months).
  w.seasonSummer = 0.5 - 0.5 * std::cos(kTwoPi * (doy - 15.0) / 365.25);
  const double s = w.seasonSummer;

  const SunPosition sun = sunPosition(t);
  w.sunElevationDeg = sun.elevationDeg;

  // Clouds: a synoptic process (~1.5 day correlation), a little cloudier in the summer monsoon.
  w.cloudCover = std::clamp(0.38 + 0.12 * s + 0.55 * fractalNoise(seed_ ^ kCloud, hours / 36.0), 0.0, 1.0);

  // Temperature: Beijing monthly normals (January about -3 C, July about 27 C), synoptic anomalies of a few
  // degrees over ~3 days, and a diurnal cycle peaking at 15:00 whose range clouds damp.
  const double seasonalMean = -3.0 + 30.0 * s;
  const double anomaly = 6.0 * fractalNoise(seed_ ^ kTemp, hours / 72.0);
  const double diurnalRange = 11.0 * (1.0 - 0.6 * w.cloudCover);
  w.temperatureC = seasonalMean + anomaly + 0.5 * diurnalRange * std::cos(kTwoPi * (lt.hour - 15.0) / 24.0);

  // Wind: log-normal synoptic speed (~2 day correlation), windier in winter and spring, stronger in the afternoon
  // when the boundary layer mixes momentum down. Direction: north-westerly winter monsoon, southerly summer.
  const double windiness = 1.0 + 0.25 * std::cos(kTwoPi * (doy - 80.0) / 365.25);
  const double synoptic = 2.4 * windiness * std::exp(0.9 * fractalNoise(seed_ ^ kWind, hours / 48.0));
  w.windSpeedMs = std::clamp(synoptic * (1.0 + 0.3 * std::cos(kTwoPi * (lt.hour - 14.0) / 24.0)), 0.3, 25.0);
  const double meanFrom = 315.0 - 135.0 * s;  // 315 (NW) in winter, 180 (S) in summer
  w.windFromDeg = std::fmod(meanFrom + 120.0 * fractalNoise(seed_ ^ kWindDir, hours / 60.0) + 720.0, 360.0);

  // Mixing height: a few hundred metres at night, growing with the sun to 1-2 km on summer afternoons; clouds damp
  // it and wind deepens it mechanically.
  w.ghiWm2 = clearSkyGhi(sun.elevationDeg) * cloudTransmission(w.cloudCover);
  const double sunLift = std::pow(std::max(0.0, std::sin(sun.elevationDeg * std::numbers::pi / 180.0)), 0.8);
  w.mixingHeightM = 200.0 + (700.0 + 900.0 * s) * sunLift * (1.0 - 0.4 * w.cloudCover) + 50.0 * w.windSpeedMs;

  // Humidity: dry winters, humid summers, lower in the warm afternoon, higher under cloud.
  const double rh = 0.38 + 0.32 * s + 0.12 * fractalNoise(seed_ ^ kHumidity, hours / 40.0) -
                    0.025 * (w.temperatureC - seasonalMean - anomaly) + 0.15 * (w.cloudCover - 0.5);
  w.relativeHumidity = std::clamp(rh, 0.08, 1.0);

  // Rain: showers when the cloud deck is thick, heavier and more frequent in summer (about 70% of Beijing's
  // ~550 mm falls in June-August).
  if (w.cloudCover > 0.75) {
    const double cell = std::max(0.0, fractalNoise(seed_ ^ kRain, hours / 5.0) + 0.1);
    const double deck = (w.cloudCover - 0.75) / 0.25;
    w.rainMmH = 10.0 * deck * std::sqrt(deck) * (0.04 + 0.96 * s * s * s) * cell;
    if (w.rainMmH > 0.0) w.relativeHumidity = std::max(w.relativeHumidity, 0.85);
  }
  return w;
}

}  // namespace gt::sim
