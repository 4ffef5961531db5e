#pragma once
// What-if scenarios in the window (issue 16 part 1; docs/workbench.md "Scenarios in the window"): the Scenario panel
// collects edits made on the map — rooftop PV, a green-building rating, another use or removal for the buildings of
// a selection (selection_panel.hpp), a park or forest parcel or a new building from a measured area — lists them
// (each can be taken back), compares the scenario's indicators with the baseline or with a second scenario
// (runtime/indicator_scenario.hpp: the plugins compute them with the edits, the twin's data untouched), saves and
// opens scenario files (core/scenario.hpp), and draws its edits over the map in their own colour
// (scenario_overlay.cpp). The edits are made in scenario_edits.cpp. Render thread, inside the ImGui frame (the
// single-threaded viewer's update thread: plugins compute the comparison on it).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/scenario.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/runtime/indicator_scenario.hpp"
#include "greentwin/viewer/ui.hpp"

namespace osg {
class Camera;
}
namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// The panel (Panels > Scenario), and the scenario's parcels and PV roofs over the map.
void drawScenarioPanel(runtime::Twin& twin, UiState& state);
void drawScenarioOverlay(const runtime::Twin& twin, const UiState& state, const osg::Camera* camera);
// Buttons under the Selection window and the measure window's area that add edits to the scenario.
void drawScenarioSelectionActions(const runtime::Twin& twin, UiState& state);
void drawScenarioAreaActions(const runtime::Twin& twin, UiState& state);

// The scenario being edited (made empty, named "Scenario 1", when first asked for).
Scenario& editedScenario(UiState& state);
// Edits as the buttons make them. Errors: nothing selected / too few corners / a value out of range.
Status addPvToSelectedBuildings(const runtime::Twin& twin, UiState& state, double coverage);
Status setStarsOfSelectedBuildings(const runtime::Twin& twin, UiState& state, int stars);
Status addParcelFromMeasuredArea(UiState& state, const std::string& parcelKind);
Status setUseOfSelectedBuildings(const runtime::Twin& twin, UiState& state, const std::string& use);
Status removeSelectedBuildings(const runtime::Twin& twin, UiState& state);
// A new building on the measured area's polygon (id "scenario/building-<n>"). Errors: too few corners, no area,
// height outside (0, 1000] m, floors outside 1..200, stars outside 0..3, no use.
struct NewBuilding {
  double heightM = 18;
  int floors = 6;
  std::string use;
  int stars = 0;
};
Status addBuildingFromMeasuredArea(UiState& state, const NewBuilding& building);
// Takes edit `index` (0-based, in the panel's order) out of the scenario. Error: no such edit.
Status removeScenarioEdit(UiState& state, std::size_t index);
// The distinct values of the `use` attribute of a buildings layer's features, sorted ("" : of every buildings layer).
std::vector<std::string> buildingUses(const runtime::Twin& twin, const std::string& layerId);
// Compares the edited scenario with the baseline at the frame's time; kept for the panel and returned.
const runtime::ScenarioComparison& compareWithBaseline(runtime::Twin& twin, UiState& state);
// The second scenario ("B") the edited one is compared with: read from a file (errors name it; B stays as it was),
// or a copy of the edited scenario as it is now (then editing goes on from it). nullptr: none yet.
Status openComparedScenario(UiState& state, const std::string& path);
void keepEditedAsCompared(UiState& state);
const Scenario* comparedScenario(UiState& state);
// Compares the edited scenario (right) with scenario B (left) at the frame's time, the same rows as against the
// baseline, difference = edited - B; kept for the panel. Error: no scenario B.
Result<runtime::ScenarioComparison> compareWithComparedScenario(runtime::Twin& twin, UiState& state);
// The comparison as a report (docs/workbench.md "Scenarios in the window"): the comparison the panel shows (against
// B when B was compared last, else the baseline) computed again at the frame's time, with the district's indicators
// as the twin shows them at that frame, written into `dir` as `greentwin report` writes its folder (report.html,
// indicators.csv, indicators.json, scenario.csv) plus the scenario itself (scenario.toml), all or nothing. No maps
// and no recomputed trends (`greentwin report --scenario` draws those): a computed indicator's trend is its recent
// values. Errors: the folder's (naming it), a file's.
Status writeScenarioReport(runtime::Twin& twin, UiState& state, const std::string& dir);
// Saves the edited scenario to / replaces it from a file (core/scenario.hpp); errors name the file.
Status saveEditedScenario(UiState& state, const std::string& path);
Status openScenario(UiState& state, const std::string& path);
// Replaces the edited scenario (a project's), as openScenario does with a file's.
void replaceEditedScenario(UiState& state, Scenario scenario);
// The edited scenario when the panel has one (nullptr: none was started).
const Scenario* editedScenarioIfAny(const UiState& state);

// Every Chinese word the panel draws, for the font atlas.
std::vector<std::string> scenarioPanelStrings();

}  // namespace gt::viewer
