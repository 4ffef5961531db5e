#pragma once
// Air quality at the monitoring stations (docs/simulator.md "Air quality"): PM2.5, PM10, O3, NO2 in ug/m3 from a
// box model driven by the shared weather (ventilation = wind x mixing height, humidity, rain, sunlight), a shared
// regional field plus a per-station local term, and a traffic emission profile with rush-hour peaks.
// prepare(t) computes the regional state once; at(t, i) is then cheap. One thread per instance.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {

struct AirStation {
  std::string id;        // entity id (only used to key the station's own randomness)
  double x = 0, y = 0;   // scene metres (east, north)
  std::string siteType;  // "traffic", "urban", "suburban", "background" (others count as urban)
};

struct AirReading {
  double pm25 = 0, pm10 = 0, o3 = 0, no2 = 0;  // ug/m3
};

class AirModel {
 public:
  AirModel(std::vector<AirStation> stations, std::uint64_t seed);

  void prepare(TimePoint t);                     // regional state at t (weather included)
  AirReading at(TimePoint t, std::size_t station) const;  // after prepare(t)
  const Weather& weather() const { return weather_; }
  std::size_t size() const { return sites_.size(); }

  // Relative traffic emission at local time (mean about 1): rush-hour peaks on weekdays. Shared with traffic.
  static double trafficEmission(double hour, bool weekend);

 private:
  struct Site {
    std::uint64_t key = 0;
    double x = 0, y = 0;
    double pmFactor = 1, no2Factor = 1;
  };
  std::vector<Site> sites_;
  WeatherModel weatherModel_;
  std::uint64_t seed_;
  double centreX_ = 0, centreY_ = 0;
  // Regional state from prepare().
  Weather weather_;
  double pm25Regional_ = 0, no2Regional_ = 0, o3Production_ = 0, o3Background_ = 0, pmRatio_ = 0.6, dust_ = 0;
  double hour_ = 0, windToX_ = 0, windToY_ = 0;
  bool weekend_ = false;
};

}  // namespace gt::sim
