#include "substation_sizing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <span>

namespace gtgen {

namespace {

constexpr std::array<double, 3> kUnits110{31.5, 50.0, 63.0};
constexpr std::array<double, 2> kUnits220{180.0, 240.0};
constexpr std::array<double, 3> kUnits500{750.0, 1000.0, 1200.0};

// The nearest substation with a voltage in [kvMin, kvMax], or SIZE_MAX.
std::size_t nearestAt(const std::vector<Substation>& substations, P2 p, int kvMin, int kvMax) {
  std::size_t best = std::numeric_limits<std::size_t>::max();
  double bestD = std::numeric_limits<double>::infinity();
  for (std::size_t s = 0; s < substations.size(); ++s) {
    const int kv = substations[s].voltageKv;
    if (kv < kvMin || kv > kvMax) continue;
    const double d = distance(p, substations[s].at);
    if (d < bestD) bestD = d, best = s;
  }
  return best;
}

}  // namespace

namespace {

// The largest 110 kV standard set whose capacity is below peakMva (count 0: none is).
TransformerSet behindTheLoad(double peakMva) {
  TransformerSet best;
  for (const int n : {2, 3}) {
    for (const double unit : {31.5, 50.0, 63.0}) {
      const TransformerSet set{n, unit};
      if (set.capacityMva() < peakMva && set.capacityMva() > best.capacityMva()) best = set;
    }
  }
  return best;
}

}  // namespace

TransformerSet plannedTransformers(int kv, double peakMva) {
  const std::span<const double> units = kv >= 500 ? std::span<const double>(kUnits500)
                                        : kv >= 220 ? std::span<const double>(kUnits220)
                                                    : std::span<const double>(kUnits110);
  const int maxCount = kv >= 220 ? 4 : 3;
  TransformerSet best, largest;
  for (int n = 2; n <= maxCount; ++n) {
    for (const double unit : units) {
      const TransformerSet set{n, unit};
      if (set.capacityMva() > largest.capacityMva()) largest = set;
      const bool fits = peakMva <= kTargetLoading * set.capacityMva() && peakMva <= (n - 1) * unit;
      // n ascending: of equal capacities the one with fewer units is kept.
      if (fits && (best.count == 0 || set.capacityMva() < best.capacityMva())) best = set;
    }
  }
  return best.count > 0 ? best : largest;
}

void planSupply(std::vector<Substation>& substations, std::vector<Building>& buildings) {
  constexpr std::size_t kCandidates = 6;  // nearest serving substations considered per building
  const double cap110Mw = kTargetLoading * plannedTransformers(110, 1e9).capacityMva() * kPowerFactor;
  std::vector<std::size_t> serving;
  for (std::size_t s = 0; s < substations.size(); ++s)
    if (substations[s].voltageKv == 110 || substations[s].voltageKv == 220) serving.push_back(s);
  if (serving.empty()) return;

  struct Pair {
    double d;
    std::size_t building, substation;
  };
  std::vector<Pair> pairs;
  std::vector<double> buildingMw(buildings.size());
  pairs.reserve(buildings.size() * kCandidates);
  for (std::size_t i = 0; i < buildings.size(); ++i) {
    const Building& b = buildings[i];
    buildingMw[i] = b.energyKwhM2Yr * std::abs(signedArea(b.footprint)) * b.floors / kMaxLoadHours / 1000.0;
    std::vector<Pair> near;
    for (const std::size_t s : serving) near.push_back({distance(b.bounds.c, substations[s].at), i, s});
    const std::size_t k = std::min(kCandidates, near.size());
    std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(k), near.end(),
                      [](const Pair& a, const Pair& c) { return a.d < c.d; });
    pairs.insert(pairs.end(), near.begin(), near.begin() + static_cast<std::ptrdiff_t>(k));
  }
  // Nearest pairs first (ties by building, then substation: the order is fully determined).
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& c) {
    return a.d != c.d ? a.d < c.d : a.building != c.building ? a.building < c.building : a.substation < c.substation;
  });
  std::vector<double> peakMw(substations.size(), 0.0);
  for (Building& b : buildings) b.substation = -1;
  for (const Pair& p : pairs) {
    Building& b = buildings[p.building];
    if (b.substation >= 0) continue;
    const bool full = peakMw[p.substation] + buildingMw[p.building] > cap110Mw;
    if (substations[p.substation].voltageKv == 110 && full) continue;
    b.substation = static_cast<int>(p.substation);
    peakMw[p.substation] += buildingMw[p.building];
  }
  for (std::size_t i = 0; i < buildings.size(); ++i) {  // all candidates full: the nearest 220 kV substation
    if (buildings[i].substation >= 0) continue;
    const std::size_t s = nearestAt(substations, buildings[i].bounds.c, 220, 220);
    if (s >= substations.size()) continue;
    buildings[i].substation = static_cast<int>(s);
    peakMw[s] += buildingMw[i];
  }
  // 110 kV up into 220 kV, then 220 kV into 500 kV: each level is complete before it is passed on.
  for (const auto& [from, to] : std::array<std::pair<int, int>, 2>{{{110, 220}, {220, 500}}}) {
    for (std::size_t s = 0; s < substations.size(); ++s) {
      if (substations[s].voltageKv != from) continue;
      const std::size_t u = nearestAt(substations, substations[s].at, to, to);
      if (u >= substations.size()) continue;
      substations[s].fedFrom = static_cast<int>(u);
      peakMw[u] += peakMw[s];
    }
  }
  for (std::size_t s = 0; s < substations.size(); ++s) {
    const TransformerSet set = plannedTransformers(substations[s].voltageKv, peakMw[s] / kPowerFactor);
    substations[s].transformers = set.count;
    substations[s].capacityMva = set.capacityMva();
  }
  // One substation behind its load, as every real grid has while a reinforcement is being built: the 110 kV one with
  // the largest planned peak keeps the largest standard set that does NOT carry that peak (its capacity below the
  // peak), so on a hot evening it runs heavy to overloaded and fails N-1 — the alerts the energy plugin raises.
  std::size_t busiest = substations.size();
  for (std::size_t s = 0; s < substations.size(); ++s) {
    if (substations[s].voltageKv != 110) continue;
    if (busiest == substations.size() || peakMw[s] > peakMw[busiest]) busiest = s;
  }
  if (busiest < substations.size()) {
    const TransformerSet set = behindTheLoad(peakMw[busiest] / kPowerFactor);
    if (set.count > 0) {
      substations[busiest].transformers = set.count;
      substations[busiest].capacityMva = set.capacityMva();
    }
  }
}

}  // namespace gtgen
