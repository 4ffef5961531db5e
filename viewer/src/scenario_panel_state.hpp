#pragma once
// The Scenario panel's state (scenario_panel.hpp), shared by the panel, its edits (scenario_edits.cpp) and its map
// overlay (scenario_overlay.cpp). Viewer-private; render thread.

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/scenario.hpp"
#include "greentwin/runtime/indicator_scenario.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::viewer {

struct ScenarioPanelState {
  Scenario scenario{"Scenario 1", "", {}};
  char name[128] = "Scenario 1";
  char path[512] = "scenarios/scenario-1.toml";
  // The comparison shown: the edited scenario (right) against the baseline or the compared scenario (left).
  std::optional<runtime::ScenarioComparison> comparison;
  bool comparisonWithB = false;  // the comparison shown is against scenario B (else against the baseline)
  std::chrono::steady_clock::time_point comparedAt{};  // when it was computed (a pending one is computed again)
  char reportDir[512] = "exports/scenario-report";  // where "Write report" writes
  std::string message;
  bool error = false;
  float pvCoverage = 0.6f;
  int stars = 3;
  int parcels = 0;    // parcels added so far (their ids)
  int buildings = 0;  // buildings added so far (their ids)
  // The form of "Set use" (selection actions) and of "Add as a building" (measure window).
  int useChoice = 0;
  float newHeightM = 18.0f;
  int newFloors = 6;
  int newUseChoice = 0;
  int newStars = 0;
  // The distinct values of `use` per buildings layer ("" : every buildings layer) and the features they were read
  // from (read again when that number changes).
  struct UsesRead {
    std::size_t slots = static_cast<std::size_t>(-1);
    std::vector<std::string> uses;
  };
  std::map<std::string, UsesRead> uses;
  // The second scenario ("B") the edited one is compared with, and where it came from (a file or a kept copy).
  std::optional<Scenario> compared;
  std::string comparedSource;
  char comparedPath[512] = "scenarios/scenario-2.toml";
};

// The panel's state in `state` (made when first asked for).
ScenarioPanelState& scenarioPanelOf(UiState& state);

}  // namespace gt::viewer
