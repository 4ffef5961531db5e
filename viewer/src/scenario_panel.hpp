#pragma once
// What-if scenarios in the window (issue 16 part 1; docs/workbench.md "Scenarios in the window"): the Scenario panel
// collects edits made on the map — rooftop PV or a green-building rating for the buildings of a selection
// (selection_panel.hpp), a park or forest parcel from a measured area — compares the scenario's indicators with the
// baseline (runtime/indicator_scenario.hpp: the plugins compute them with the edits, the twin's data untouched),
// saves and opens scenario files (core/scenario.hpp), and draws its edits over the map in their own colour. Render
// thread, inside the ImGui frame (the single-threaded viewer's update thread: plugins compute the comparison on it).

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
void drawScenarioAreaActions(UiState& state);

// The scenario being edited (made empty, named "Scenario 1", when first asked for).
Scenario& editedScenario(UiState& state);
// Edits as the buttons make them. Errors: nothing selected / too few corners / a value out of range.
Status addPvToSelectedBuildings(const runtime::Twin& twin, UiState& state, double coverage);
Status setStarsOfSelectedBuildings(const runtime::Twin& twin, UiState& state, int stars);
Status addParcelFromMeasuredArea(UiState& state, const std::string& parcelKind);
// Compares the edited scenario with the baseline at the frame's time; kept for the panel and returned.
const runtime::ScenarioComparison& compareWithBaseline(runtime::Twin& twin, UiState& state);
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
