#include "greentwin/sim/air_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "greentwin/sim/noise.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;
// Ventilation coefficient (wind x mixing height, m2/s) of an average day; concentrations scale with its inverse.
constexpr double kReferenceVentilation = 2500.0;

double gaussian(double x, double mean, double sigma) {
  const double z = (x - mean) / sigma;
  return std::exp(-0.5 * z * z);
}

double ventilation(const Weather& w) { return std::max(w.windSpeedMs * w.mixingHeightM, 120.0); }

}  // namespace

AirModel::AirModel(std::vector<AirStation> stations, std::uint64_t seed) : weatherModel_(seed), seed_(seed) {
  for (const AirStation& s : stations) {
    Site site;
    site.key = hashText(s.id);
    site.x = s.x;
    site.y = s.y;
    // Site classes of the Chinese national network (HJ 664-2013): traffic sites see fresh exhaust.
    if (s.siteType == "traffic") {
      site.pmFactor = 1.12;
      site.no2Factor = 1.6;
    } else if (s.siteType == "suburban") {
      site.pmFactor = 0.95;
      site.no2Factor = 0.75;
    } else if (s.siteType == "background") {
      site.pmFactor = 0.85;
      site.no2Factor = 0.45;
    }
    sites_.push_back(site);
    centreX_ += s.x / static_cast<double>(stations.size());
    centreY_ += s.y / static_cast<double>(stations.size());
  }
}

double AirModel::trafficEmission(double hour, bool weekend) {
  // Morning (07:30-08:30) and evening (17:30-18:30) rush on weekdays; a flatter daytime hump at weekends.
  if (weekend) return 0.35 + 0.95 * gaussian(hour, 14.0, 4.0);
  return 0.3 + 1.3 * gaussian(hour, 8.0, 1.2) + 1.2 * gaussian(hour, 18.0, 1.4) + 0.55 * gaussian(hour, 13.0, 3.0);
}

void AirModel::prepare(TimePoint t) {
  weather_ = weatherModel_.at(t);
  const LocalTime lt = localTime(t);
  hour_ = lt.hour;
  weekend_ = lt.weekend();
  const Weather& w = weather_;
  // Pollution accumulates over a day or more: weight the ventilation of the last 24 h (Beijing's winter episodes
  // build up over 2-4 stagnant days and end with a north-westerly wind).
  const double pastVent = 0.5 * ventilation(w) + 0.3 * ventilation(weatherModel_.at(t - 12 * 3'600'000'000LL)) +
                          0.2 * ventilation(weatherModel_.at(t - 24 * 3'600'000'000LL));
  const double stagnation = std::pow(kReferenceVentilation / pastVent, 0.6);
  // Regional background: higher in the heating season (November-March).
  const double base = 14.0 + 20.0 * (1.0 - w.seasonSummer);
  // Southerly winds bring the polluted air of the North China Plain; north-westerlies bring clean air.
  const double transport = 1.0 + 0.35 * std::cos((w.windFromDeg - 180.0) * kDeg);
  // Hygroscopic growth and secondary aerosol formation at high humidity.
  const double humid = 1.0 + 0.8 * std::max(0.0, w.relativeHumidity - 0.6) / 0.4;
  const double washout = 1.0 / (1.0 + 0.35 * w.rainMmH);
  pm25Regional_ = base * stagnation * transport * humid * washout;
  // PM2.5/PM10 is about 0.5-0.7 in Beijing, higher in humid episodes (fine secondary aerosol), lower in dry windy
  // weather that raises coarse dust (most in spring).
  pmRatio_ = std::clamp(0.42 + 0.3 * w.relativeHumidity, 0.4, 0.75);
  const double spring = std::max(0.0, std::cos(2.0 * std::numbers::pi * (lt.dayOfYear - 100.0) / 365.25));
  dust_ = 12.0 * std::max(0.0, w.windSpeedMs - 4.5) * (1.0 - w.relativeHumidity) * (1.0 + 1.5 * spring);
  // NO2: traffic emissions into the mixed layer, photolysed in sunlight.
  const double sun = std::clamp(w.ghiWm2 / 900.0, 0.0, 1.2);
  no2Regional_ = (10.0 + 22.0 * trafficEmission(hour_, weekend_)) *
                 std::pow(kReferenceVentilation / ventilation(w), 0.45) * (1.0 - 0.35 * sun);
  // O3: background, plus photochemical production that lags the sun by about two hours and needs warmth; titrated
  // by NO at each site (below), hence anti-correlated with NO2.
  const Weather lagged = weatherModel_.at(t - 2 * 3'600'000'000LL);
  const double warmth = std::clamp((w.temperatureC - 5.0) / 22.0, 0.0, 1.4);
  o3Background_ = 38.0 + 22.0 * w.seasonSummer;
  o3Production_ = 110.0 * std::clamp(lagged.ghiWm2 / 900.0, 0.0, 1.2) * warmth / (1.0 + 0.2 * w.rainMmH);
  const double toDeg = (w.windFromDeg + 180.0) * kDeg;  // the direction the air moves to
  windToX_ = std::sin(toDeg);
  windToY_ = std::cos(toDeg);
}

AirReading AirModel::at(TimePoint t, std::size_t station) const {
  const Site& site = sites_[station];
  const double hours = static_cast<double>(t) / 3.6e9;
  // Local departures from the regional field (~2 h correlation) and a gradient along the wind: air picks up
  // pollution as it crosses the city, so downwind stations read higher (+1.5% per km).
  const double local = 1.0 + 0.12 * fractalNoise(seed_ ^ site.key, hours / 2.0);
  const double downwindKm = ((site.x - centreX_) * windToX_ + (site.y - centreY_) * windToY_) / 1000.0;
  const double gradient = std::clamp(1.0 + 0.015 * downwindKm, 0.7, 1.3);
  AirReading r;
  const double trafficLocal = (site.no2Factor - 1.0) * 6.0 * trafficEmission(hour_, weekend_);
  r.pm25 = std::clamp(pm25Regional_ * site.pmFactor * gradient * local + std::max(0.0, trafficLocal), 2.0, 600.0);
  r.pm10 = std::clamp(r.pm25 / pmRatio_ + dust_ * (0.8 + 0.2 * local), r.pm25, 1500.0);
  const double localNo2 = 1.0 + 0.15 * fractalNoise(seed_ ^ site.key ^ 0x2ULL, hours / 1.5);
  r.no2 = std::clamp(no2Regional_ * site.no2Factor * localNo2 * gradient, 2.0, 300.0);
  r.o3 = std::clamp(o3Background_ + o3Production_ * gradient * (0.9 + 0.1 * local) - 0.55 * r.no2, 2.0, 400.0);
  return r;
}

}  // namespace gt::sim
