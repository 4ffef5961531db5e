#pragma once
// Forest stands (docs/simulator.md "Forest"): seasonal leaf area index (canopy), a root-zone soil-water bucket
// (rain in; evapotranspiration, Priestley-Taylor, and drainage out), carbon uptake (light-use efficiency GPP minus
// Q10 ecosystem respiration) and a fire-risk index (Fosberg fire weather index scaled by fuel dryness).
// prepare(t) integrates the water balance hourly over the 30 days before t (cached per hour, so the result depends
// on t and the seed only); at(t, i) is then cheap. One thread per instance.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {

struct Stand {
  std::string id;
  std::string kind;  // forest, park, wetland, green_belt
  double areaM2 = 0;
};

struct StandReading {
  double lai = 0;                // leaf area index, m2/m2
  double canopyCoverPct = 0;     // 100 (1 - exp(-0.5 LAI))
  double soilMoisturePct = 0;    // volumetric water content of the root zone, %
  double carbonUptakeKgCH = 0;   // net ecosystem uptake of the stand (GPP - respiration), kg C per hour
  double fireRisk = 0;           // 0..100
};

class ForestModel {
 public:
  ForestModel(std::vector<Stand> stands, std::uint64_t seed);

  void prepare(TimePoint t);
  StandReading at(TimePoint t, std::size_t stand) const;
  std::size_t size() const { return stands_.size(); }
  const Weather& weather() const { return weather_; }

  // The Fosberg fire weather index (0..~100) for temperature, relative humidity (0..1) and wind speed.
  static double fosbergIndex(double temperatureC, double relativeHumidity, double windSpeedMs);
  // Seasonal greenness 0..1 (leaf-out in April, leaf-fall in October).
  static double greenness(int dayOfYear);

 private:
  struct Params {
    std::uint64_t key = 0;
    double laiMin = 0.5, laiMax = 4, rootMm = 500, fieldCapacity = 0.32, wiltingPoint = 0.10, floor = 0;
    double rainFactor = 1, area = 0;
  };
  void integrateWater(std::int64_t hour);

  std::vector<Params> stands_;
  WeatherModel weatherModel_;
  std::uint64_t seed_;
  Weather weather_;
  double greenness_ = 0;
  std::int64_t cachedHour_ = INT64_MIN;
  std::vector<double> thetaAtHour_, thetaNextHour_;  // per stand, at the start of the hour and one hour later
};

}  // namespace gt::sim
