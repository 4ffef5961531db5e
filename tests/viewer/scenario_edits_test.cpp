// The Scenario panel's edits (scenario_panel.hpp, scenario_edits.cpp; docs/workbench.md "Scenarios in the window") on
// the demo twin with its plugins: a new use for selected homes is written to the file and moves bus-stop coverage;
// removing re-rated buildings takes them out of #9 again; a new building from a measured area; taking an edit back
// restores the comparison; refusals for nothing selected, too few corners, no area and values out of range.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "greentwin/runtime/twin.hpp"
#include "scenario_panel.hpp"
#include "scenario_test_twin.hpp"
#include "selection_panel.hpp"

namespace gt::viewer {
namespace {

constexpr const char* kBusStops = "traffic.bus_stop_coverage";

class ScenarioEditsTest : public testing::ScenarioTwinSuite {
 protected:
  // A state with the buildings of the city layer inside a square of `half` metres around the first home selected.
  static UiState withHomesSelected(double half) {
    UiState state;
    state.measureMode = MeasureMode::Area;
    state.measurePoints = squareAtHomes(half);
    EXPECT_TRUE(selectInsideMeasuredArea(*twin_, state, "city-buildings").isOk());
    EXPECT_NE(heldSelection(state), nullptr);
    return state;
  }
  static std::optional<double> right(const runtime::ScenarioComparison& c, int number, const std::string& kpi = {}) {
    const auto* r = row(c, number, kpi);
    return r != nullptr ? r->right.value : std::nullopt;
  }
  static std::optional<double> left(const runtime::ScenarioComparison& c, int number, const std::string& kpi = {}) {
    const auto* r = row(c, number, kpi);
    return r != nullptr ? r->left.value : std::nullopt;
  }
};

TEST_F(ScenarioEditsTest, TheUsesOfferedAreThoseOfTheBuildingsLayer) {
  const std::vector<std::string> uses = buildingUses(*twin_, "city-buildings");
  EXPECT_TRUE(std::is_sorted(uses.begin(), uses.end()));
  EXPECT_TRUE(std::adjacent_find(uses.begin(), uses.end()) == uses.end()) << "each use once";
  EXPECT_NE(std::find(uses.begin(), uses.end(), "residential"), uses.end());
  EXPECT_GE(uses.size(), 2u);
  EXPECT_TRUE(buildingUses(*twin_, "city-roads").empty()) << "roads are no buildings layer";
}

TEST_F(ScenarioEditsTest, ANewUseForHomesIsInTheFileAndMovesBusStopCoverage) {
  UiState empty;
  EXPECT_NE(setUseOfSelectedBuildings(*twin_, empty, "office").message().find("no buildings selected"),
            std::string::npos);
  EXPECT_NE(removeSelectedBuildings(*twin_, empty).message().find("no buildings selected"), std::string::npos);
  EXPECT_TRUE(editedScenario(empty).edits.empty());

  UiState state = withHomesSelected(300);
  const std::size_t selected = heldSelection(state)->entities.size();
  ASSERT_GT(selected, 0u);
  const std::vector<std::string> uses = buildingUses(*twin_, "city-buildings");
  const auto other = std::find_if(uses.begin(), uses.end(), [](const std::string& u) { return u != "residential"; });
  ASSERT_NE(other, uses.end());
  EXPECT_FALSE(setUseOfSelectedBuildings(*twin_, state, "").isOk());
  ASSERT_TRUE(setUseOfSelectedBuildings(*twin_, state, *other).isOk());
  const ScenarioEdit& edit = editedScenario(state).edits.back();
  EXPECT_EQ(edit.kind, ScenarioEditKind::SetUse);
  EXPECT_EQ(edit.buildings.size(), selected);
  const std::string text = scenarioText(editedScenario(state));
  EXPECT_NE(text.find("kind = \"set_use\""), std::string::npos) << text;
  EXPECT_NE(text.find("use = \"" + *other + "\""), std::string::npos) << text;
  EXPECT_NE(text.find(edit.buildings.front()), std::string::npos) << text;

  // The homes among them are homes no more: bus-stop coverage counts the residential buildings again.
  const runtime::ScenarioComparison& c = compareWithBaseline(*twin_, state);
  const auto* bus = row(c, 0, kBusStops);
  ASSERT_NE(bus, nullptr);
  ASSERT_TRUE(bus->left.value && bus->right.value) << bus->left.note << " / " << bus->right.note;
  EXPECT_FALSE(bus->unchanged);
  EXPECT_NE(*bus->right.value, *bus->left.value) << bus->right.note;
}

TEST_F(ScenarioEditsTest, RemovingReRatedBuildingsTakesThemOutOfTheIndicatorsAndUndoRestores) {
  UiState state = withHomesSelected(300);
  ASSERT_TRUE(setStarsOfSelectedBuildings(*twin_, state, 3).isOk());
  const runtime::ScenarioComparison rated = compareWithBaseline(*twin_, state);
  const auto starred = right(rated, 9);
  ASSERT_TRUE(starred && left(rated, 9)) << row(rated, 9)->right.note;
  EXPECT_GT(*starred, *left(rated, 9)) << "three stars for the selection raise #9";

  ASSERT_TRUE(removeSelectedBuildings(*twin_, state).isOk());
  ASSERT_EQ(editedScenario(state).edits.size(), 2u);
  EXPECT_EQ(editedScenario(state).edits[1].kind, ScenarioEditKind::RemoveBuilding);
  EXPECT_EQ(editedScenario(state).edits[1].buildings, editedScenario(state).edits[0].buildings);
  const runtime::ScenarioComparison removed = compareWithBaseline(*twin_, state);
  ASSERT_TRUE(right(removed, 9));
  EXPECT_LT(*right(removed, 9), *starred) << "the re-rated buildings are gone: #9 falls again";
  const auto* bus = row(removed, 0, kBusStops);
  ASSERT_TRUE(bus != nullptr && bus->left.value && bus->right.value);
  EXPECT_NE(*bus->right.value, *bus->left.value) << "homes removed";

  // Undo, edit by edit: the comparison is as before each.
  EXPECT_EQ(removeScenarioEdit(state, 2).code(), ErrorCode::OutOfRange);
  ASSERT_TRUE(removeScenarioEdit(state, 1).isOk());
  const runtime::ScenarioComparison undone = compareWithBaseline(*twin_, state);
  EXPECT_EQ(right(undone, 9), starred);
  EXPECT_EQ(right(undone, 0, kBusStops), left(undone, 0, kBusStops));
  ASSERT_TRUE(removeScenarioEdit(state, 0).isOk());
  EXPECT_TRUE(editedScenario(state).edits.empty());
  const runtime::ScenarioComparison none = compareWithBaseline(*twin_, state);
  for (const auto& r : none.rows) EXPECT_EQ(r.right.value, r.left.value) << r.kpiId;
}

TEST_F(ScenarioEditsTest, ANewBuildingFromAMeasuredArea) {
  UiState state;
  const NewBuilding library{16.0, 5, "residential", 3};
  EXPECT_NE(addBuildingFromMeasuredArea(state, library).message().find("three corners"), std::string::npos);
  state.measureMode = MeasureMode::Area;
  const std::vector<Vec3d> square = squareAtHomes(20);
  ASSERT_EQ(square.size(), 4u);
  state.measurePoints = {square[0], square[1]};
  EXPECT_NE(addBuildingFromMeasuredArea(state, library).message().find("three corners"), std::string::npos);
  state.measurePoints = {square[0], square[1], Vec3d{2 * square[1].x - square[0].x, square[1].y, 0}};  // one line
  EXPECT_NE(addBuildingFromMeasuredArea(state, library).message().find("no area"), std::string::npos);
  state.measurePoints = square;
  EXPECT_EQ(addBuildingFromMeasuredArea(state, NewBuilding{0.0, 5, "residential", 0}).code(), ErrorCode::OutOfRange);
  EXPECT_EQ(addBuildingFromMeasuredArea(state, NewBuilding{16.0, 0, "residential", 0}).code(), ErrorCode::OutOfRange);
  EXPECT_EQ(addBuildingFromMeasuredArea(state, NewBuilding{16.0, 5, "residential", 4}).code(), ErrorCode::OutOfRange);
  EXPECT_FALSE(addBuildingFromMeasuredArea(state, NewBuilding{16.0, 5, "", 0}).isOk());
  EXPECT_TRUE(editedScenario(state).edits.empty());

  ASSERT_TRUE(addBuildingFromMeasuredArea(state, library).isOk());
  ASSERT_EQ(editedScenario(state).edits.size(), 1u);
  const ScenarioEdit& e = editedScenario(state).edits[0];
  EXPECT_EQ(e.kind, ScenarioEditKind::AddBuilding);
  EXPECT_EQ(e.id, "scenario/building-1");
  EXPECT_NEAR(polygonArea(e.polygon), 1600.0, 1e-6);
  EXPECT_EQ(e.heightM, 16.0);
  EXPECT_EQ(e.floors, 5);
  EXPECT_EQ(e.use, "residential");
  EXPECT_EQ(e.stars, 3);
  EXPECT_TRUE(state.showScenario);
  // The file takes it back as it is.
  auto reread = parseScenario(scenarioText(editedScenario(state)), "edited");
  ASSERT_TRUE(reread) << reread.status().message();
  EXPECT_EQ(reread->edits[0].floors, 5);
  // Opened elsewhere, the scenario's next building takes an id of its own.
  UiState reopened;
  reopened.measureMode = MeasureMode::Area;
  reopened.measurePoints = square;
  replaceEditedScenario(reopened, *reread);
  ASSERT_TRUE(addBuildingFromMeasuredArea(reopened, library).isOk());
  EXPECT_EQ(editedScenario(reopened).edits.back().id, "scenario/building-2");

  // A three-star home of 1,600 m² x 5 floors: in #9 and in the homes bus-stop coverage counts.
  const runtime::ScenarioComparison& c = compareWithBaseline(*twin_, state);
  const auto* stars = row(c, 9);
  ASSERT_TRUE(stars != nullptr && stars->left.value && stars->right.value) << (stars ? stars->right.note : "");
  EXPECT_GT(*stars->right.value, *stars->left.value);
  const auto* bus = row(c, 0, kBusStops);
  ASSERT_TRUE(bus != nullptr && bus->left.value && bus->right.value);
  EXPECT_NE(*bus->right.value, *bus->left.value);
}

}  // namespace
}  // namespace gt::viewer
