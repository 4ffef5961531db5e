#pragma once
// The district's grid connection (docs/simulator.md "Grid"): what the district imports and how green that import
// is, for the energy plugin's KPIs. Published as `energy.grid` for one entity, the district boundary's feature.
//   import_mw       = the net load (load - PV) of every building: the district's net import
//   green_share_pct = the renewable share of the imported electricity, from the shared weather (ASSUMPTION, below)
// One thread per instance, as the models.

#include <memory>
#include <string>

#include "greentwin/sim/energy_model.hpp"
#include "greentwin/sim/feeds.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {

// The green share (%) of the electricity the district imports. An ASSUMPTION, not a statistic: a base of 10 %
// (hydro, biomass, contracted green power) plus wind power rising with the regional wind (12 % x (wind / 3 m/s)^1.5,
// at most 30 %) plus solar power with the irradiance (15 % x GHI / 1000 W/m2), so that it is greenest on windy days
// and at sunny noons and averages about a quarter over a year; at most 100 %.
double importGreenSharePct(const Weather& weather);

// The district's net import (MW): every building's load minus PV (what the substations that serve buildings pass on;
// not the sum over all substations, which would count the higher levels' throughput again). The model must be
// prepared with its substation sums at the time of interest (prepare(t, true)).
double districtImportMw(const EnergyModel& model);

// The `energy.grid` feed for the entity `entityId` (import_mw in MW, green_share_pct in %), over the energy model
// the substation feed uses.
std::unique_ptr<Feed> makeGridFeed(std::string entityId, std::shared_ptr<EnergyModel> model);

}  // namespace gt::sim
