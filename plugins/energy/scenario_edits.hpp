#pragma once
// A what-if scenario's edits (the SDK's Scenario) as the energy plugin's EnergyEdits: building ids resolved to the
// plugin's building indices, uses to the residential flag, new buildings' footprints to floor and roof areas; and
// the note the scenario KPIs give. Update thread, like the plugin (energy_plugin.cpp).
#include <greentwin/plugin.hpp>

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "scenario_balance.hpp"

namespace greentwin::energy {

struct ResolvedEdits {
  std::vector<EnergyEdit> edits;
  std::size_t unknownBuildings = 0;  // ids the building layer does not have (skipped)
  std::string firstUnknown;
};

// `index`: building entity id -> index; `homes`: the residential uses (setting residential_uses).
ResolvedEdits resolveEdits(const plugin::Scenario& scenario, const std::unordered_map<std::string, std::size_t>& index,
                           const std::set<std::string>& homes);

// "scenario: +120.0 kWp PV (yield 0.412 kW/kWp), 2 buildings removed, 1 added (load 35.2 kW est.); 1 unknown
// building id skipped (b9)".
std::string scenarioNote(const ScenarioOutcome& outcome, const ResolvedEdits& edits);

}  // namespace greentwin::energy

namespace greentwin::energy {

// The scenario KPIs from an outcome (the plugin's methods on docs/energy.md, with the edits applied). `note`: the
// scenarioNote. No value when added PV cannot be valued (no live yield): better none than a wrong one.
plugin::KpiValue scenarioRenewableShare(const ScenarioOutcome& o, const std::string& note);
// #5: the grid entity's import (MW; nullopt: none) moved by the edits' change of the buildings' net import, or
// without it the buildings' net import in the scenario.
plugin::KpiValue scenarioCo2PerPerson(const ScenarioOutcome& o, std::optional<double> gridImportMw,
                                      double emissionFactorTPerMwh, double population, const std::string& note);
plugin::KpiValue scenarioGreenBuildingShare(const ScenarioOutcome& o, int firstYear, int lastYear,
                                            const std::string& note);

}  // namespace greentwin::energy
