#pragma once
// The regional weather every model shares: a smooth random process around Beijing's climatology (docs/simulator.md
// "Weather"). at(t) is a pure function of (seed, t): no state, any thread.

#include <cstdint>

#include "greentwin/core/time.hpp"

namespace gt::sim {

struct Weather {
  double temperatureC = 0;     // 2 m air temperature
  double relativeHumidity = 0; // 0..1
  double windSpeedMs = 0;      // 10 m wind speed, m/s
  double windFromDeg = 0;      // direction the wind blows FROM, clockwise from north
  double mixingHeightM = 0;    // boundary-layer (mixing) height, m
  double cloudCover = 0;       // 0..1
  double rainMmH = 0;          // precipitation rate, mm/h
  double sunElevationDeg = 0;  // at 39.9 N 116.7 E
  double ghiWm2 = 0;           // global horizontal irradiance, W/m2 (clear sky x cloud transmission)
  double seasonSummer = 0;     // 0 in mid-January .. 1 in mid-July (the climatological season)
};

class WeatherModel {
 public:
  explicit WeatherModel(std::uint64_t seed) : seed_(seed) {}
  Weather at(TimePoint t) const;
  std::uint64_t seed() const { return seed_; }

 private:
  std::uint64_t seed_;
};

}  // namespace gt::sim
