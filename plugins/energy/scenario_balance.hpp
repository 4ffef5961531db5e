#pragma once
// What-if scenarios in the energy plugin (docs/energy.md "Scenarios"; issue 16): the district balance and the #9
// inputs with a scenario's edits applied to a copy of the plugin's buildings. Pure C++17, no SDK; any thread (no
// state). The plugin resolves the scenario's building ids to indices (scenario_edits.cpp) and calls applyEdits.
//
//  - rooftop PV: capacity (kWp) = roof area (the footprint: flat roofs) x coverage x module efficiency x 1 kW/m2
//    (the standard test irradiance), output = capacity x the twin's specific yield now: sum of pv_kw / sum of
//    installed kWp (the layer's roof_pv_kw) over the buildings with installed PV and a fresh PV reading - the energy
//    model's irradiance, performance ratio and temperature loss as the twin measures them;
//  - a removed building leaves the balance and #9; an added one has no reading: its load is its floor area x the
//    load intensity of the buildings with live readings (sum of load / sum of floor area), it counts in #9 as
//    completed in the year asked with its stars;
//  - star rating: the building's stars in #9; use: the building's residential flag (its share of the homes' floor
//    area), which no district KPI depends on (the load is measured, the population is the district's).
#include <cstddef>
#include <optional>
#include <vector>

#include "green_buildings.hpp"
#include "metrics.hpp"

namespace greentwin::energy {

inline constexpr double kDefaultModuleEfficiency = 0.20;  // kWp per m2 of module: 20 % of 1 kW/m2 (mono-Si, 2020s)
inline constexpr double kStandardIrradianceKwM2 = 1.0;    // STC: a module's kWp is its output at 1 kW/m2

// kWp of modules over `coverage` (0..1) of a roof of roofAreaM2 at `efficiency` (kWp per m2 of module).
double addedPvKwp(double roofAreaM2, double coverage, double efficiency);

// One building as the scenario KPIs see it at one time.
struct ScenarioBuilding {
  double floorAreaM2 = 0;
  double roofAreaM2 = 0;     // footprint area
  bool live = false;         // a fresh, finite load reading: in the balance
  double loadKw = 0;
  double pvKw = 0;           // 0 when the PV reading is stale or missing
  bool pvLive = false;       // a fresh PV reading
  double installedKwp = 0;   // roof_pv_kw
  bool residential = false;
};

// The edits with their buildings resolved to indices into the buildings.
struct EnergyEdit {
  enum class Kind { AddPv, SetResidential, SetStars, Remove, Add } kind = Kind::AddPv;
  std::vector<std::size_t> buildings;
  double coverage = 0, efficiency = kDefaultModuleEfficiency;  // AddPv
  bool residential = false;  // SetResidential, Add
  int stars = 0;             // SetStars, Add
  double floorAreaM2 = 0, roofAreaM2 = 0;  // Add
};

struct ScenarioOutcome {
  DistrictBalance base, scenario;    // over the buildings with live readings (added ones included in `scenario`)
  std::vector<GreenBuilding> green;  // the #9 inputs after the edits (removed buildings left out, added appended)
  double residentialFloorM2 = 0;     // the homes' floor area after the edits
  std::optional<double> yieldKwPerKwp;  // the twin's specific PV yield now; nullopt: no installed PV reads live
  double addedKwp = 0;               // PV added by the edits
  bool pvUnvalued = false;           // PV was added but there is no yield to value it
  double addedLoadKw = 0;            // the added buildings' estimated load
  std::size_t addedWithoutLoad = 0;  // added while no building had a live load: no load estimated
  std::size_t removed = 0, added = 0;
};

// `year`: the clock's year (Beijing time), the completion year of added buildings.
ScenarioOutcome applyEdits(const std::vector<ScenarioBuilding>& buildings, const std::vector<GreenBuilding>& green,
                           const std::vector<EnergyEdit>& edits, int year);

}  // namespace greentwin::energy
