#include "greentwin/sim/forest_model.hpp"

#include <algorithm>
#include <cmath>

#include "greentwin/sim/noise.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

constexpr std::int64_t kMicrosPerHour = 3'600'000'000LL;
constexpr int kSpinUpHours = 30 * 24;  // the water balance forgets its start within a few weeks

double clamp01(double x) { return std::clamp(x, 0.0, 1.0); }

}  // namespace

double ForestModel::greenness(int dayOfYear) {
  // Deciduous plantations around Beijing (poplar, willow, ash, locust): leaf-out mid-April, leaf-fall late October.
  const double d = static_cast<double>(dayOfYear);
  return clamp01(1.0 / (1.0 + std::exp(-0.12 * (d - 110.0))) - 1.0 / (1.0 + std::exp(-0.10 * (d - 295.0))));
}

double ForestModel::fosbergIndex(double temperatureC, double relativeHumidity, double windSpeedMs) {
  // Fosberg (1978) with Simard's (1968) equilibrium moisture content; temperature in F, wind in mph.
  const double tf = temperatureC * 9.0 / 5.0 + 32.0;
  const double h = std::clamp(relativeHumidity * 100.0, 0.0, 100.0);
  const double u = windSpeedMs * 2.23694;
  double m = 0;
  if (h < 10.0) {
    m = 0.03229 + 0.281073 * h - 0.000578 * h * tf;
  } else if (h < 50.0) {
    m = 2.22749 + 0.160107 * h - 0.01478 * tf;
  } else {
    m = 21.0606 + 0.005565 * h * h - 0.00035 * h * tf - 0.483199 * h;
  }
  const double r = std::clamp(m, 0.0, 30.0) / 30.0;
  const double eta = 1.0 - 2.0 * r + 1.5 * r * r - 0.5 * r * r * r;
  return std::clamp(eta * std::sqrt(1.0 + u * u) / 0.3002, 0.0, 100.0);
}

ForestModel::ForestModel(std::vector<Stand> stands, std::uint64_t seed) : weatherModel_(seed), seed_(seed) {
  for (const Stand& s : stands) {
    Params p;
    p.key = hashText(s.id);
    p.area = std::max(s.areaM2, 0.0);
    if (s.kind == "forest") {
      p.laiMin = 0.7, p.laiMax = 4.5, p.rootMm = 600;
    } else if (s.kind == "wetland") {
      p.laiMin = 0.2, p.laiMax = 2.5, p.rootMm = 300, p.floor = 0.38;  // the water table keeps it wet
    } else if (s.kind == "green_belt") {
      p.laiMin = 0.5, p.laiMax = 3.5, p.rootMm = 500;
    } else {  // park: lawns and scattered trees
      p.laiMin = 0.4, p.laiMax = 3.0, p.rootMm = 400;
    }
    // Stands differ: +-10% leaf area, +-20% rain (convective showers are patchy).
    p.laiMax *= 1.0 + 0.1 * hashSigned(seed, p.key);
    p.rainFactor = 1.0 + 0.2 * hashSigned(seed ^ 0x3ULL, p.key);
    stands_.push_back(p);
  }
}

// Hourly root-zone bucket from hour - kSpinUpHours (at field capacity x 0.8) to hour + 1.
void ForestModel::integrateWater(std::int64_t hour) {
  const std::int64_t first = hour - kSpinUpHours;
  thetaAtHour_.assign(stands_.size(), 0.0);
  thetaNextHour_.assign(stands_.size(), 0.0);
  std::vector<double> theta(stands_.size());
  for (std::size_t i = 0; i < stands_.size(); ++i) theta[i] = std::max(stands_[i].fieldCapacity * 0.8, stands_[i].floor);
  for (std::int64_t h = first; h <= hour; ++h) {
    if (h == hour) thetaAtHour_ = theta;
    const TimePoint mid = h * kMicrosPerHour + kMicrosPerHour / 2;
    const Weather w = weatherModel_.at(mid);
    const double g = greenness(localTime(mid).dayOfYear);
    // Priestley-Taylor potential evapotranspiration (mm/h): 1.26 s/(s+gamma) Rn / lambda, net radiation about
    // 0.5 of global irradiance by day, s/(s+gamma) rising from about 0.4 at 0 C to 0.7 at 30 C.
    const double weight = std::clamp(0.4 + 0.01 * w.temperatureC, 0.25, 0.75);
    const double pet = std::max(0.0, 1.26 * weight * 0.5 * w.ghiWm2 * 3600.0 / 2.45e6);
    for (std::size_t i = 0; i < stands_.size(); ++i) {
      const Params& p = stands_[i];
      const double lai = p.laiMin + (p.laiMax - p.laiMin) * g;
      const double cover = 1.0 - std::exp(-0.5 * lai);
      const double rain = w.rainMmH * p.rainFactor * (1.0 - 0.15 * cover);  // canopy interception
      const double availability = clamp01((theta[i] - p.wiltingPoint) / (0.6 * (p.fieldCapacity - p.wiltingPoint)));
      const double et = pet * (cover * availability + 0.2 * (1.0 - cover) * availability);
      double th = theta[i] + (rain - et) / p.rootMm;
      if (th > p.fieldCapacity) th -= 0.3 * (th - p.fieldCapacity);  // drainage
      theta[i] = std::clamp(th, std::max(0.03, p.floor), 0.45);
    }
  }
  thetaNextHour_ = theta;
  cachedHour_ = hour;
}

void ForestModel::prepare(TimePoint t) {
  weather_ = weatherModel_.at(t);
  greenness_ = greenness(localTime(t).dayOfYear);
  const std::int64_t hour = t >= 0 ? t / kMicrosPerHour : (t - kMicrosPerHour + 1) / kMicrosPerHour;
  if (hour != cachedHour_) integrateWater(hour);
}

StandReading ForestModel::at(TimePoint t, std::size_t i) const {
  const Params& p = stands_[i];
  const Weather& w = weather_;
  StandReading r;
  r.lai = p.laiMin + (p.laiMax - p.laiMin) * greenness_;
  const double cover = 1.0 - std::exp(-0.5 * r.lai);
  r.canopyCoverPct = 100.0 * cover;
  const double f = static_cast<double>(t - cachedHour_ * kMicrosPerHour) / static_cast<double>(kMicrosPerHour);
  const double theta = thetaAtHour_[i] + std::clamp(f, 0.0, 1.0) * (thetaNextHour_[i] - thetaAtHour_[i]);
  r.soilMoisturePct = 100.0 * theta;

  // Carbon: GPP by light-use efficiency (1.0 g C per MJ of absorbed PAR; PAR = 0.45 of global irradiance),
  // limited by temperature and soil water; ecosystem respiration 0.09 g C/m2/h at 10 C with Q10 = 2.
  const double parMj = 0.45 * w.ghiWm2 * 0.0036;
  const double fT = w.temperatureC < 0 ? 0.0 : std::min(1.0, w.temperatureC / 20.0) *
                                                   clamp01(1.0 - (w.temperatureC - 32.0) / 10.0);
  const double fW = clamp01((theta - p.wiltingPoint) / (0.6 * (p.fieldCapacity - p.wiltingPoint)));
  const double gpp = 1.0 * parMj * cover * fT * fW;
  const double reco = 0.09 * std::pow(2.0, (w.temperatureC - 10.0) / 10.0) * (0.4 + 0.6 * r.lai / p.laiMax);
  r.carbonUptakeKgCH = (gpp - reco) * p.area / 1000.0;

  // Fire risk: fire weather (Fosberg) scaled by fuel dryness (the root-zone water) and by cured, leafless fuel
  // outside the growing season (north China's fire seasons are spring and autumn).
  const double dryness = 1.0 - clamp01((theta - p.wiltingPoint) / (p.fieldCapacity - p.wiltingPoint));
  const double cured = 1.0 - greenness_;
  const double rainDamp = w.rainMmH > 0.1 ? 0.2 : 1.0;
  const double wet = p.floor > 0 ? 0.3 : 1.0;  // wetlands rarely burn
  r.fireRisk = std::clamp(fosbergIndex(w.temperatureC, w.relativeHumidity, w.windSpeedMs) *
                              (0.35 + 0.65 * dryness) * (0.7 + 0.6 * cured) * rainDamp * wet,
                          0.0, 100.0);
  return r;
}

}  // namespace gt::sim
