#pragma once
// Per-building and district electricity metrics and the programme KPIs #5-#7 (docs/energy.md "Methods"). Pure
// C++17, no SDK; any thread (no state). Powers in kW unless the name says MW.
#include <cstddef>
#include <optional>
#include <vector>

namespace greentwin::energy {

// Load intensity (W/m2) = load_kw x 1000 / floor area. nullopt: load not finite, or floor area not > 0.
std::optional<double> loadIntensityWm2(double loadKw, double floorAreaM2);

// PV self-supply share (%) = min(pv, load) / load x 100: the part of the building's load its own PV covers now
// (surplus PV is exported and does not count). PV not finite or < 0 counts as 0. nullopt: load not finite or <= 0
// (no demand: the share is undefined, the plugin pushes nothing for that sample).
std::optional<double> pvSelfSupplyPct(double pvKw, double loadKw);

// Net load (kW) = load - PV (negative: the building exports). nullopt when either is not finite.
std::optional<double> netLoadKw(double loadKw, double pvKw);

struct BuildingPower {
  double loadKw = 0;
  double pvKw = 0;
};

// The district's balance over its buildings. Buildings whose load is not finite are left out (counted in
// `skipped`); a PV that is not finite counts as 0.
struct DistrictBalance {
  double loadKw = 0;
  double pvKw = 0;
  double netImportKw = 0;          // load - PV; negative: the district exports
  std::optional<double> renewableSharePct;  // min(PV, load) / load x 100; nullopt when load <= 0
  std::size_t buildings = 0;       // counted
  std::size_t skipped = 0;
};
DistrictBalance districtBalance(const std::vector<BuildingPower>& buildings);

inline constexpr double kHoursPerYear = 8760.0;

// KPI #5, electricity-related CO2 per person, t CO2 per person per YEAR, annualised at the current import:
//   max(import, 0) MW x 8760 h x emission factor (t CO2/MWh) / population.
// An export (negative import) emits nothing and earns no credit. nullopt: an input not finite, population <= 0 or
// emission factor < 0.
std::optional<double> co2TonnesPerPersonYear(double importMw, double emissionFactorTPerMwh, double population);

// The resident population of an area of the district, for #5 over an area: the district's population x the area's
// share of the district's residential floor area (people are taken to live evenly over the homes' floor area).
// nullopt: an input not finite, or a floor area or the population not > 0.
std::optional<double> areaPopulation(double districtPopulation, double residentialFloorInAreaM2,
                                     double residentialFloorDistrictM2);

}  // namespace greentwin::energy
