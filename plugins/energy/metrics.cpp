#include "metrics.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::energy {

std::optional<double> loadIntensityWm2(double loadKw, double floorAreaM2) {
  if (!std::isfinite(loadKw) || !std::isfinite(floorAreaM2) || floorAreaM2 <= 0.0) return std::nullopt;
  return loadKw * 1000.0 / floorAreaM2;
}

std::optional<double> pvSelfSupplyPct(double pvKw, double loadKw) {
  if (!std::isfinite(loadKw) || loadKw <= 0.0) return std::nullopt;
  const double pv = std::isfinite(pvKw) ? std::max(pvKw, 0.0) : 0.0;
  return std::min(pv, loadKw) / loadKw * 100.0;
}

std::optional<double> netLoadKw(double loadKw, double pvKw) {
  if (!std::isfinite(loadKw) || !std::isfinite(pvKw)) return std::nullopt;
  return loadKw - pvKw;
}

DistrictBalance districtBalance(const std::vector<BuildingPower>& buildings) {
  DistrictBalance b;
  for (const BuildingPower& p : buildings) {
    if (!std::isfinite(p.loadKw)) {
      ++b.skipped;
      continue;
    }
    b.loadKw += p.loadKw;
    b.pvKw += std::isfinite(p.pvKw) ? std::max(p.pvKw, 0.0) : 0.0;
    ++b.buildings;
  }
  b.netImportKw = b.loadKw - b.pvKw;
  if (b.loadKw > 0.0) b.renewableSharePct = std::min(b.pvKw, b.loadKw) / b.loadKw * 100.0;
  return b;
}

std::optional<double> co2TonnesPerPersonYear(double importMw, double emissionFactorTPerMwh, double population) {
  if (!std::isfinite(importMw) || !std::isfinite(emissionFactorTPerMwh) || !std::isfinite(population) ||
      population <= 0.0 || emissionFactorTPerMwh < 0.0) {
    return std::nullopt;
  }
  return std::max(importMw, 0.0) * kHoursPerYear * emissionFactorTPerMwh / population;
}

std::optional<double> areaPopulation(double districtPopulation, double residentialFloorInAreaM2,
                                     double residentialFloorDistrictM2) {
  if (!std::isfinite(districtPopulation) || !std::isfinite(residentialFloorInAreaM2) ||
      !std::isfinite(residentialFloorDistrictM2) || districtPopulation <= 0.0 || residentialFloorInAreaM2 <= 0.0 ||
      residentialFloorDistrictM2 <= 0.0) {
    return std::nullopt;
  }
  return districtPopulation * std::min(residentialFloorInAreaM2 / residentialFloorDistrictM2, 1.0);
}

}  // namespace greentwin::energy
