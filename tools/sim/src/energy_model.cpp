#include "greentwin/sim/energy_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "greentwin/sim/noise.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

enum UseClass { kResidential, kOffice, kCommercial, kPublic, kIndustrial, kSchool, kHospital, kVillage, kUseCount };

// Hourly load shapes (value at hh:00, linearly interpolated), weekday and weekend, after typical metered profiles
// of Chinese building types (residential evening peak; offices and schools by their hours; hospitals round the
// clock; two-shift industry). Each weekday row averages about 1.
using Profile = std::array<double, 24>;
constexpr std::array<Profile, kUseCount> kWeekday = {{
    // 0    1    2    3    4    5    6    7    8    9    10   11   12   13   14   15   16   17   18   19   20   21   22   23
    {0.55, 0.45, 0.42, 0.40, 0.40, 0.45, 0.70, 1.00, 0.95, 0.75, 0.70, 0.80, 0.95, 0.80, 0.70, 0.70, 0.80, 1.05, 1.45, 1.75, 1.80, 1.65, 1.25, 0.85},  // residential
    {0.35, 0.33, 0.33, 0.33, 0.33, 0.35, 0.45, 0.90, 1.55, 1.75, 1.80, 1.80, 1.60, 1.70, 1.80, 1.80, 1.75, 1.50, 1.00, 0.70, 0.55, 0.45, 0.40, 0.37},  // office
    {0.40, 0.35, 0.35, 0.35, 0.35, 0.35, 0.40, 0.55, 0.80, 1.10, 1.40, 1.55, 1.60, 1.55, 1.50, 1.50, 1.55, 1.60, 1.65, 1.65, 1.55, 1.30, 0.80, 0.50},  // commercial
    {0.45, 0.42, 0.42, 0.42, 0.42, 0.45, 0.55, 0.90, 1.40, 1.60, 1.65, 1.60, 1.45, 1.50, 1.60, 1.60, 1.50, 1.30, 1.00, 0.80, 0.70, 0.60, 0.52, 0.48},  // public
    {0.75, 0.72, 0.70, 0.70, 0.72, 0.80, 1.15, 1.25, 1.25, 1.25, 1.25, 1.20, 1.10, 1.20, 1.25, 1.25, 1.25, 1.20, 1.15, 1.10, 1.05, 1.00, 0.90, 0.80},  // industrial
    {0.30, 0.28, 0.28, 0.28, 0.28, 0.30, 0.50, 1.40, 1.90, 1.95, 1.95, 1.85, 1.50, 1.70, 1.90, 1.85, 1.50, 1.00, 0.65, 0.55, 0.45, 0.38, 0.33, 0.30},  // school
    {0.80, 0.78, 0.76, 0.76, 0.76, 0.80, 0.90, 1.05, 1.25, 1.30, 1.30, 1.25, 1.15, 1.20, 1.25, 1.25, 1.20, 1.10, 1.05, 1.00, 0.95, 0.90, 0.85, 0.82},  // hospital
    {0.50, 0.42, 0.40, 0.40, 0.42, 0.55, 0.85, 1.05, 0.90, 0.70, 0.70, 0.85, 1.00, 0.80, 0.70, 0.70, 0.85, 1.15, 1.60, 1.85, 1.80, 1.50, 1.05, 0.70},  // village
}};
constexpr std::array<Profile, kUseCount> kWeekend = {{
    {0.60, 0.50, 0.45, 0.42, 0.42, 0.45, 0.55, 0.75, 0.95, 1.05, 1.10, 1.15, 1.20, 1.10, 1.00, 1.00, 1.05, 1.20, 1.55, 1.80, 1.80, 1.65, 1.30, 0.90},
    {0.33, 0.32, 0.32, 0.32, 0.32, 0.32, 0.33, 0.35, 0.42, 0.48, 0.50, 0.50, 0.48, 0.48, 0.48, 0.48, 0.45, 0.42, 0.38, 0.36, 0.35, 0.34, 0.34, 0.33},
    {0.42, 0.36, 0.36, 0.36, 0.36, 0.36, 0.40, 0.55, 0.85, 1.20, 1.55, 1.75, 1.80, 1.80, 1.75, 1.75, 1.75, 1.80, 1.85, 1.80, 1.65, 1.35, 0.85, 0.52},
    {0.45, 0.42, 0.42, 0.42, 0.42, 0.42, 0.45, 0.55, 0.75, 0.90, 0.95, 0.95, 0.90, 0.90, 0.90, 0.90, 0.85, 0.75, 0.65, 0.60, 0.55, 0.50, 0.48, 0.46},
    {0.70, 0.68, 0.68, 0.68, 0.68, 0.70, 0.80, 0.85, 0.85, 0.85, 0.85, 0.85, 0.80, 0.85, 0.85, 0.85, 0.85, 0.80, 0.78, 0.75, 0.72, 0.72, 0.70, 0.70},
    {0.28, 0.28, 0.28, 0.28, 0.28, 0.28, 0.30, 0.33, 0.40, 0.45, 0.45, 0.45, 0.42, 0.42, 0.42, 0.42, 0.40, 0.36, 0.33, 0.32, 0.31, 0.30, 0.29, 0.28},
    {0.80, 0.78, 0.76, 0.76, 0.76, 0.78, 0.85, 0.95, 1.05, 1.10, 1.10, 1.08, 1.02, 1.02, 1.02, 1.02, 1.00, 0.98, 0.98, 0.95, 0.92, 0.88, 0.84, 0.82},
    {0.55, 0.45, 0.42, 0.42, 0.42, 0.50, 0.70, 0.95, 1.00, 0.95, 0.95, 1.00, 1.10, 0.95, 0.85, 0.85, 0.95, 1.20, 1.60, 1.85, 1.80, 1.50, 1.05, 0.72},
}};

// Annual electricity use per floor area (kWh/m2/yr), in the range reported for Beijing buildings (GB/T 51161-2016
// gives 55-110 for offices; commercial and hospitals are higher; homes and villages use less electricity).
constexpr std::array<double, kUseCount> kIntensity = {35, 95, 170, 80, 150, 50, 210, 25};
// Share of the load that is air conditioning, which grows with heat (and a little with cold: electric heating).
constexpr std::array<double, kUseCount> kCoolingShare = {0.30, 0.40, 0.40, 0.35, 0.15, 0.30, 0.35, 0.20};

double interpolate(const Profile& p, double hour) {
  const double h = std::fmod(hour, 24.0);
  const auto i = static_cast<std::size_t>(h);
  const double f = h - static_cast<double>(i);
  return p[i % 24] * (1.0 - f) + p[(i + 1) % 24] * f;
}

}  // namespace

int EnergyModel::useClassOf(const std::string& use) {
  static constexpr std::array<const char*, kUseCount> kNames = {
      "residential", "office", "commercial", "public", "industrial", "school", "hospital", "village"};
  for (int i = 0; i < kUseCount; ++i) {
    if (use == kNames[static_cast<std::size_t>(i)]) return i;
  }
  return kResidential;
}

double EnergyModel::defaultIntensityKwhM2(int useClass) {
  return kIntensity[static_cast<std::size_t>(std::clamp(useClass, 0, kUseCount - 1))];
}

double EnergyModel::useProfile(int useClass, double hour, bool weekend) {
  const auto c = static_cast<std::size_t>(std::clamp(useClass, 0, kUseCount - 1));
  return interpolate(weekend ? kWeekend[c] : kWeekday[c], hour);
}

namespace {

// The nearest of the substations that `accept` (by index), or SIZE_MAX.
template <class Accept>
std::size_t nearestSubstation(const std::vector<Substation>& substations, double x, double y, Accept accept) {
  std::size_t best = std::numeric_limits<std::size_t>::max();
  double bestD2 = std::numeric_limits<double>::infinity();
  for (std::size_t s = 0; s < substations.size(); ++s) {
    const double dx = substations[s].x - x, dy = substations[s].y - y;
    if (accept(s) && dx * dx + dy * dy < bestD2) {
      bestD2 = dx * dx + dy * dy;
      best = s;
    }
  }
  return best;
}

// Substations by the feature ids that name them: the whole entity id and its part after each '/'.
class SubstationIndex {
 public:
  explicit SubstationIndex(const std::vector<Substation>& substations) {
    for (std::size_t s = 0; s < substations.size(); ++s) {
      const std::string& id = substations[s].id;
      byId_.emplace(id, s);
      for (std::size_t slash = id.find('/'); slash != std::string::npos; slash = id.find('/', slash + 1))
        byId_.emplace(id.substr(slash + 1), s);
    }
  }
  std::size_t find(const std::string& id) const {
    const auto it = id.empty() ? byId_.end() : byId_.find(id);
    return it == byId_.end() ? std::numeric_limits<std::size_t>::max() : it->second;
  }

 private:
  std::unordered_map<std::string, std::size_t> byId_;  // the first substation wins a shared tail
};

}  // namespace

EnergyModel::EnergyModel(std::vector<Building> buildings, std::vector<Substation> substations, std::uint64_t seed)
    : substations_(std::move(substations)), weatherModel_(seed), seed_(seed) {
  // Voltage levels present, ascending; one level when any voltage is unknown.
  std::vector<int> levels;
  for (const Substation& s : substations_) levels.push_back(s.voltageKv);
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  if (!levels.empty() && levels.front() <= 0) levels.clear();
  const int top = levels.size() > 1 ? levels.back() : std::numeric_limits<int>::max();
  auto serves = [&](std::size_t s) { return substations_[s].voltageKv < top; };

  const SubstationIndex index(substations_);
  upstream_.assign(substations_.size(), std::numeric_limits<std::size_t>::max());
  for (std::size_t s = 0; s < substations_.size(); ++s) {
    const std::size_t named = index.find(substations_[s].fedFrom);
    if (named < substations_.size() && substations_[named].voltageKv > substations_[s].voltageKv) {
      upstream_[s] = named;
      continue;
    }
    const auto above = std::upper_bound(levels.begin(), levels.end(), substations_[s].voltageKv);
    if (above == levels.end()) continue;
    upstream_[s] = nearestSubstation(substations_, substations_[s].x, substations_[s].y,
                                     [&](std::size_t u) { return substations_[u].voltageKv == *above; });
  }
  bottomUp_.resize(substations_.size());
  std::iota(bottomUp_.begin(), bottomUp_.end(), std::size_t{0});
  std::stable_sort(bottomUp_.begin(), bottomUp_.end(), [&](std::size_t a, std::size_t b) {
    return substations_[a].voltageKv < substations_[b].voltageKv;
  });

  buildings_.reserve(buildings.size());
  assignment_.reserve(buildings.size());
  substationReadings_.resize(substations_.size());
  for (const Building& b : buildings) {
    Item item;
    item.key = hashText(b.id);
    item.useClass = useClassOf(b.use);
    const double intensity = b.intensityKwhM2 > 0 ? b.intensityKwhM2 : defaultIntensityKwhM2(item.useClass);
    item.meanKw = intensity * std::max(b.floorAreaM2, 0.0) / 8760.0;
    item.roofPvKw = std::max(b.roofPvKw, 0.0);
    buildings_.push_back(item);
    // The named substation, else the nearest serving one (a stand-in for the real feeder topology).
    std::size_t best = index.find(b.substation);
    if (best >= substations_.size()) best = nearestSubstation(substations_, b.x, b.y, serves);
    assignment_.push_back(best);
    if (best != std::numeric_limits<std::size_t>::max()) ++substationReadings_[best].buildings;
  }
}

void EnergyModel::prepare(TimePoint t, bool aggregateSubstations) {
  weather_ = weatherModel_.at(t);
  const LocalTime lt = localTime(t);
  const double T = weather_.temperatureC;
  classFactor_.assign(kUseCount, 0.0);
  for (int c = 0; c < kUseCount; ++c) {
    const double share = kCoolingShare[static_cast<std::size_t>(c)];
    // Cooling degree above 24 C (air conditioning), a smaller heating term below 8 C (most Beijing heat is district
    // heating, not electric).
    const double climate = 1.0 + share * (0.09 * std::max(0.0, T - 24.0) + 0.025 * std::max(0.0, 8.0 - T));
    classFactor_[static_cast<std::size_t>(c)] = useProfile(c, lt.hour, lt.weekend()) * climate;
  }
  // PV on flat roofs: irradiance on the horizontal, performance ratio 0.8, -0.4%/K above 25 C cell temperature
  // (cell about 0.03 K per W/m2 above the air).
  const double cellC = T + 0.03 * weather_.ghiWm2;
  pvFactor_ = weather_.ghiWm2 / 1000.0 * 0.8 * (1.0 - 0.004 * std::max(0.0, cellC - 25.0));
  noisePhase_ = static_cast<double>(t) / 3.6e9 / 1.5;  // building-level noise, ~1.5 h correlation

  if (!aggregateSubstations || t == aggregatedAt_) return;
  aggregatedAt_ = t;
  for (SubstationReading& r : substationReadings_) r.loadMw = r.pvMw = 0.0;
  totalNetMw_ = 0.0;
  for (std::size_t i = 0; i < buildings_.size(); ++i) {
    const BuildingReading b = building(t, i);
    totalNetMw_ += b.netKw() / 1000.0;
    const std::size_t s = assignment_[i];
    if (s >= substationReadings_.size()) continue;
    substationReadings_[s].loadMw += b.loadKw / 1000.0;
    substationReadings_[s].pvMw += b.pvKw / 1000.0;
  }
  // Each substation passes its (complete) sums up to the one feeding it; transformer losses are left out.
  for (const std::size_t s : bottomUp_) {
    const std::size_t u = upstream_[s];
    if (u >= substationReadings_.size()) continue;
    substationReadings_[u].loadMw += substationReadings_[s].loadMw;
    substationReadings_[u].pvMw += substationReadings_[s].pvMw;
  }
  for (std::size_t s = 0; s < substationReadings_.size(); ++s) {
    SubstationReading& r = substationReadings_[s];
    r.netMw = r.loadMw - r.pvMw;
    const double capacityMw = substations_[s].capacityMva * 0.95;
    r.loadingPct = capacityMw > 0 ? 100.0 * r.netMw / capacityMw : 0.0;
  }
}

BuildingReading EnergyModel::building(TimePoint /*t*/, std::size_t i) const {
  const Item& b = buildings_[i];
  BuildingReading r;
  const double noise = 1.0 + 0.08 * smoothNoise(seed_ ^ b.key, noisePhase_);
  r.loadKw = b.meanKw * classFactor_[static_cast<std::size_t>(b.useClass)] * noise;
  r.pvKw = b.roofPvKw * pvFactor_;
  return r;
}

}  // namespace gt::sim
