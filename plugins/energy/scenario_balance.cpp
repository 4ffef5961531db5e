// What-if scenarios' energy balance (scenario_balance.hpp).
#include "scenario_balance.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::energy {

double addedPvKwp(double roofAreaM2, double coverage, double efficiency) {
  if (!(roofAreaM2 > 0) || !(coverage > 0) || !(efficiency > 0)) return 0.0;
  return roofAreaM2 * std::min(coverage, 1.0) * efficiency * kStandardIrradianceKwM2;
}

ScenarioOutcome applyEdits(const std::vector<ScenarioBuilding>& buildings, const std::vector<GreenBuilding>& green,
                           const std::vector<EnergyEdit>& edits, int year) {
  ScenarioOutcome out;
  const std::size_t n = buildings.size();
  std::vector<double> addedKwp(n, 0.0);
  std::vector<char> removed(n, 0), residential(n, 0);
  out.green = green;
  out.green.resize(n);
  for (std::size_t i = 0; i < n; ++i) residential[i] = buildings[i].residential ? 1 : 0;
  std::vector<const EnergyEdit*> additions;
  for (const EnergyEdit& e : edits) {
    for (const std::size_t i : e.buildings) {
      if (i >= n) continue;
      switch (e.kind) {
        case EnergyEdit::Kind::AddPv: addedKwp[i] += addedPvKwp(buildings[i].roofAreaM2, e.coverage, e.efficiency); break;
        case EnergyEdit::Kind::SetResidential: residential[i] = e.residential ? 1 : 0; break;
        case EnergyEdit::Kind::SetStars: out.green[i].stars = e.stars; break;
        case EnergyEdit::Kind::Remove: removed[i] = 1; break;
        case EnergyEdit::Kind::Add: break;
      }
    }
    if (e.kind == EnergyEdit::Kind::Add) additions.push_back(&e);
  }
  // The twin's specific yield and load intensity now, from the buildings as they are (edits do not change them).
  double pvKw = 0, kwp = 0, loadKw = 0, floorM2 = 0;
  for (const ScenarioBuilding& b : buildings) {
    if (b.pvLive && b.installedKwp > 0 && std::isfinite(b.pvKw)) {
      pvKw += std::max(b.pvKw, 0.0);
      kwp += b.installedKwp;
    }
    if (b.live && b.floorAreaM2 > 0) {
      loadKw += b.loadKw;
      floorM2 += b.floorAreaM2;
    }
  }
  if (kwp > 0) out.yieldKwPerKwp = pvKw / kwp;
  const double intensityKwM2 = floorM2 > 0 ? loadKw / floorM2 : 0.0;

  std::vector<BuildingPower> base, scenario;
  base.reserve(n);
  scenario.reserve(n + additions.size());
  for (std::size_t i = 0; i < n; ++i) {
    const ScenarioBuilding& b = buildings[i];
    out.addedKwp += removed[i] ? 0.0 : addedKwp[i];
    if (!removed[i] && residential[i]) out.residentialFloorM2 += b.floorAreaM2;
    if (!b.live) continue;
    base.push_back({b.loadKw, b.pvKw});
    if (removed[i]) continue;
    scenario.push_back({b.loadKw, b.pvKw + addedKwp[i] * out.yieldKwPerKwp.value_or(0.0)});
  }
  out.pvUnvalued = out.addedKwp > 0 && !out.yieldKwPerKwp;
  // Removed buildings leave #9: their records go (from the back, so indices stay valid).
  for (std::size_t i = n; i-- > 0;) {
    if (removed[i]) {
      out.green.erase(out.green.begin() + static_cast<std::ptrdiff_t>(i));
      ++out.removed;
    }
  }
  for (const EnergyEdit* e : additions) {
    // Its load is estimated from the live load intensity; with no building reading live there is none to estimate
    // from, and the new building has no reading like the rest (a load of 0 would make #5 and #6 look computed).
    if (floorM2 > 0) {
      const double load = e->floorAreaM2 * intensityKwM2;
      scenario.push_back({load, 0.0});
      out.addedLoadKw += load;
    } else {
      ++out.addedWithoutLoad;
    }
    out.green.push_back(GreenBuilding{e->floorAreaM2, year, e->stars});
    if (e->residential) out.residentialFloorM2 += e->floorAreaM2;
    ++out.added;
  }
  out.base = districtBalance(base);
  out.scenario = districtBalance(scenario);
  return out;
}

}  // namespace greentwin::energy
