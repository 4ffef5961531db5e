// What-if scenarios in the window (scenario_panel.hpp; docs/workbench.md "Scenarios in the window") on the demo twin
// with its plugins: a park drawn beside homes raises #18 against the baseline, rooftop PV for a selection becomes an
// edit naming its buildings, refusals, a save and reopen, the panel and its parcel drawn, two scenarios compared
// with each other, and removed and added buildings drawn over the map. (The edits: scenario_edits_test.cpp.)
#include "scenario_panel.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "report_text.hpp"
#include "scenario_panel_state.hpp"
#include "selection_panel.hpp"
#include "scenario_test_twin.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

class ScenarioPanelTest : public testing::ScenarioTwinSuite {};

TEST_F(ScenarioPanelTest, AParkDrawnBesideHomesRaisesParkCoverage) {
  UiState state;
  state.measureMode = MeasureMode::Area;
  state.measurePoints = squareAtHomes(150);
  ASSERT_EQ(state.measurePoints.size(), 4u) << "no residential building in the demo";
  ASSERT_TRUE(addParcelFromMeasuredArea(state, "park").isOk());
  ASSERT_EQ(editedScenario(state).edits.size(), 1u);
  EXPECT_EQ(editedScenario(state).edits[0].kind, ScenarioEditKind::AddParcel);
  EXPECT_TRUE(state.showScenario);
  const runtime::ScenarioComparison& c = compareWithBaseline(*twin_, state);
  const auto* parks = row(c, 18);
  ASSERT_NE(parks, nullptr);
  ASSERT_TRUE(parks->left.value && parks->right.value) << parks->left.note << " / " << parks->right.note;
  EXPECT_GT(*parks->right.value, *parks->left.value);
  EXPECT_FALSE(parks->unchanged);
  // The baseline is the twin's own figure: the scenario changed nothing in the twin.
  const runtime::ScenarioComparison again = runtime::compareScenarios(twin_->plugins(), twin_->indicators(), nullptr,
                                                                      nullptr, twin_->frameTime());
  ASSERT_NE(row(again, 18), nullptr);
  EXPECT_EQ(row(again, 18)->right.value, parks->left.value);
}

TEST_F(ScenarioPanelTest, RooftopPvForASelectionNamesItsBuildings) {
  UiState state;
  EXPECT_NE(addPvToSelectedBuildings(*twin_, state, 0.5).message().find("no buildings selected"), std::string::npos);
  state.measureMode = MeasureMode::Area;
  state.measurePoints = squareAtHomes(200);
  ASSERT_TRUE(selectInsideMeasuredArea(*twin_, state, "city-buildings").isOk());
  const std::size_t selected = heldSelection(state)->entities.size();
  ASSERT_GT(selected, 0u);
  EXPECT_EQ(addPvToSelectedBuildings(*twin_, state, 1.5).code(), ErrorCode::OutOfRange);
  ASSERT_TRUE(addPvToSelectedBuildings(*twin_, state, 0.5).isOk());
  const ScenarioEdit& pv = editedScenario(state).edits.back();
  EXPECT_EQ(pv.kind, ScenarioEditKind::AddPv);
  EXPECT_DOUBLE_EQ(pv.coverage, 0.5);
  ASSERT_EQ(pv.buildings.size(), selected);
  EXPECT_EQ(pv.buildings[0], twin_->entities().get(heldSelection(state)->entities[0])->id);
  EXPECT_EQ(setStarsOfSelectedBuildings(*twin_, state, 4).code(), ErrorCode::OutOfRange);
  ASSERT_TRUE(setStarsOfSelectedBuildings(*twin_, state, 3).isOk());
  EXPECT_EQ(editedScenario(state).edits.back().stars, 3);
  // A selection of something other than buildings cannot take PV.
  ASSERT_TRUE(selectInsideMeasuredArea(*twin_, state, "city-roads").isOk());
  if (!heldSelection(state)->entities.empty()) {
    EXPECT_NE(addPvToSelectedBuildings(*twin_, state, 0.5).message().find("not of buildings"), std::string::npos);
  }
  state.measurePoints.resize(2);
  EXPECT_FALSE(addParcelFromMeasuredArea(state, "park").isOk());
}

TEST_F(ScenarioPanelTest, SavedAndOpenedAgain) {
  UiState state;
  state.measureMode = MeasureMode::Area;
  state.measurePoints = squareAtHomes(100);
  ASSERT_TRUE(addParcelFromMeasuredArea(state, "forest").isOk());
  editedScenario(state).name = "More forest";
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "scenario_panel";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "forest.toml").string();
  ASSERT_TRUE(saveEditedScenario(state, path).isOk());
  UiState other;
  ASSERT_TRUE(openScenario(other, path).isOk());
  EXPECT_EQ(editedScenario(other).name, "More forest");
  ASSERT_EQ(editedScenario(other).edits.size(), 1u);
  EXPECT_EQ(editedScenario(other).edits[0].parcelKind, "forest");
  std::ofstream(dir / "broken.toml") << "version = 1\nname = \"x\"\n[[edit]]\nkind = \"plant_trees\"\n";
  const Status broken = openScenario(other, (dir / "broken.toml").string());
  EXPECT_FALSE(broken.isOk());
  EXPECT_NE(broken.message().find("broken.toml"), std::string::npos) << broken.message();
  EXPECT_EQ(editedScenario(other).name, "More forest");  // the scenario open before stays

  // The panel with its comparison, and the parcel over the map.
  RenderRequest request;
  // Large enough that the parcel, a little left of the middle, lies clear of the panels (the Scenario panel sits
  // bottom right).
  request.width = 1600;
  request.height = 1000;
  request.language = Language::English;
  const auto& ring = editedScenario(state).edits[0].polygon.rings[0];
  request.view =
      OrbitPose{osg::Vec3d((ring[0].x + ring[2].x) / 2 + 100, (ring[0].y + ring[2].y) / 2, 0), 0.0, -70.0, 1500.0};
  request.scenarioFile = path;
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image) << image.status().message();
  ASSERT_TRUE(writePng(**image, (dir / "scenario_panel.png").string()));
  int magenta = 0;
  const osg::Image& img = **image;
  for (int y = 0; y < img.t(); ++y) {
    for (int x = 0; x < img.s(); ++x) {
      const unsigned char* p = img.data(x, y);
      if (std::abs(p[0] - 230) < 20 && std::abs(p[1] - 60) < 20 && std::abs(p[2] - 220) < 20) ++magenta;
    }
  }
  EXPECT_GT(magenta, 50);
  request.scenarioFile = (dir / "broken.toml").string();
  EXPECT_FALSE(renderOffscreen(*twin_, request));
}

// Pixels of the scenario's magenta in an image.
int magentaPixels(const osg::Image& img) {
  int magenta = 0;
  for (int y = 0; y < img.t(); ++y) {
    for (int x = 0; x < img.s(); ++x) {
      const unsigned char* p = img.data(x, y);
      if (std::abs(p[0] - 230) < 20 && std::abs(p[1] - 60) < 20 && std::abs(p[2] - 220) < 20) ++magenta;
    }
  }
  return magenta;
}

TEST_F(ScenarioPanelTest, TwoScenariosAreComparedWithEachOther) {
  UiState state;
  EXPECT_EQ(comparedScenario(state), nullptr);
  const auto none = compareWithComparedScenario(*twin_, state);
  ASSERT_FALSE(none);
  EXPECT_NE(none.status().message().find("no scenario B"), std::string::npos);

  // B: a forest parcel, saved to a file; the edited scenario (A): a park on the same square.
  state.measureMode = MeasureMode::Area;
  state.measurePoints = squareAtHomes(150);
  UiState other;
  other.measureMode = MeasureMode::Area;
  other.measurePoints = state.measurePoints;
  ASSERT_TRUE(addParcelFromMeasuredArea(other, "forest").isOk());
  editedScenario(other).name = "Forest";
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "scenario_panel_b";
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_TRUE(saveEditedScenario(other, (dir / "forest.toml").string()).isOk());
  const Status missing = openComparedScenario(state, (dir / "nowhere.toml").string());
  EXPECT_FALSE(missing.isOk());
  EXPECT_NE(missing.message().find("nowhere.toml"), std::string::npos) << missing.message();
  EXPECT_EQ(comparedScenario(state), nullptr);
  ASSERT_TRUE(openComparedScenario(state, (dir / "forest.toml").string()).isOk());
  ASSERT_NE(comparedScenario(state), nullptr);
  EXPECT_EQ(comparedScenario(state)->name, "Forest");
  ASSERT_TRUE(addParcelFromMeasuredArea(state, "park").isOk());
  editedScenario(state).name = "Park";

  // Each side as it is against the baseline; A vs B: B on the left, A on the right, the difference A - B.
  const runtime::ScenarioComparison parkVsBaseline = compareWithBaseline(*twin_, state);
  const runtime::ScenarioComparison forestVsBaseline = compareWithBaseline(*twin_, other);
  const auto both = compareWithComparedScenario(*twin_, state);
  ASSERT_TRUE(both) << both.status().message();
  EXPECT_EQ(both->leftName, "Forest");
  EXPECT_EQ(both->rightName, "Park");
  ASSERT_EQ(both->rows.size(), parkVsBaseline.rows.size());
  for (int number : {17, 18}) {
    const auto* r = row(*both, number);
    ASSERT_NE(r, nullptr) << number;
    ASSERT_TRUE(r->left.value && r->right.value) << number;
    EXPECT_EQ(r->left.value, row(forestVsBaseline, number)->right.value) << number;
    EXPECT_EQ(r->right.value, row(parkVsBaseline, number)->right.value) << number;
    ASSERT_TRUE(r->difference()) << number;
    EXPECT_NE(*r->difference(), 0.0) << number;
  }
  EXPECT_GT(*row(*both, 18)->difference(), 0.0) << "the park serves homes; the forest does not";
  EXPECT_LT(*row(*both, 17)->difference(), 0.0) << "the forest adds forest cover; the park does not";

  // Headless (greentwin render --scenario A --against B): the panel compares A with B; a bad B fails naming it.
  const std::string parkFile = (dir / "park.toml").string();
  ASSERT_TRUE(saveEditedScenario(state, parkFile).isOk());
  RenderRequest request;
  request.width = 1200;
  request.height = 800;
  request.language = Language::English;
  request.scenarioFile = parkFile;
  request.againstScenarioFile = (dir / "forest.toml").string();
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image) << image.status().message();
  ASSERT_TRUE(writePng(**image, (dir / "scenario_against_b.png").string()));
  request.againstScenarioFile = (dir / "nowhere.toml").string();
  const auto refused = renderOffscreen(*twin_, request);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("nowhere.toml"), std::string::npos) << refused.status().message();

  // A copy of the edited scenario as B: nothing differs.
  keepEditedAsCompared(state);
  EXPECT_EQ(comparedScenario(state)->name, "Park (B)");
  const auto same = compareWithComparedScenario(*twin_, state);
  ASSERT_TRUE(same);
  for (const auto& r : same->rows) EXPECT_EQ(r.left.value, r.right.value) << r.kpiId;
}

TEST_F(ScenarioPanelTest, RemovingHomesMovesParkCoverage) {
  // Homes around the demo's residential square removed: #18 is over the homes left (forest plugin, scenario_homes).
  UiState state;
  state.measureMode = MeasureMode::Area;
  state.measurePoints = squareAtHomes(150);
  ASSERT_TRUE(selectInsideMeasuredArea(*twin_, state, "city-buildings").isOk());
  ASSERT_GT(heldSelection(state)->entities.size(), 0u);
  ASSERT_TRUE(removeSelectedBuildings(*twin_, state).isOk());
  const runtime::ScenarioComparison& c = compareWithBaseline(*twin_, state);
  const auto* parks = row(c, 18);
  ASSERT_NE(parks, nullptr);
  ASSERT_TRUE(parks->left.value && parks->right.value) << parks->left.note << " / " << parks->right.note;
  EXPECT_FALSE(parks->unchanged);
  EXPECT_NE(*parks->right.value, *parks->left.value);
  EXPECT_NE(parks->right.note.find("homes removed"), std::string::npos) << parks->right.note;
}

TEST_F(ScenarioPanelTest, TheComparisonIsWrittenAsAReport) {
  UiState state;
  state.language = Language::English;
  state.measureMode = MeasureMode::Area;
  state.measurePoints = squareAtHomes(150);
  ASSERT_TRUE(addParcelFromMeasuredArea(state, "park").isOk());
  editedScenario(state).name = "New park";
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "scenario_panel_report";
  fs::remove_all(dir);
  ASSERT_TRUE(writeScenarioReport(*twin_, state, (dir / "out").string()).isOk());
  for (const char* file : {"report.html", "indicators.csv", "indicators.json", "scenario.csv", "scenario.toml"}) {
    EXPECT_TRUE(fs::is_regular_file(dir / "out" / file)) << file;
  }
  const auto read = [](const fs::path& p) {
    std::ifstream in(p);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  // The scenario's rows: #18 with the baseline and the scenario's values as the panel compares them.
  const runtime::ScenarioComparisonRow* parks = row(*scenarioPanelOf(state).comparison, 18);
  ASSERT_NE(parks, nullptr);
  ASSERT_TRUE(parks->left.value && parks->right.value);
  const std::string csv = read(dir / "out" / "scenario.csv");
  std::string line18;
  std::istringstream lines(csv);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("18,", 0) == 0 || line.find(",18,") != std::string::npos) line18 = line;
  }
  ASSERT_FALSE(line18.empty()) << csv;
  EXPECT_NE(line18.find("forest.park_service_coverage"), std::string::npos) << line18;
  EXPECT_NE(line18.find("," + reportNumber(*parks->left.value) + "," + reportNumber(*parks->right.value) + ",+"),
            std::string::npos)
      << line18;
  EXPECT_NE(read(dir / "out" / "report.html").find("New park"), std::string::npos);
  auto reopened = loadScenario((dir / "out" / "scenario.toml").string());
  ASSERT_TRUE(reopened) << reopened.status().message();
  EXPECT_EQ(scenarioText(*reopened), scenarioText(editedScenario(state)));

  // A folder that cannot be made is an error naming it; nothing else is written.
  std::ofstream(dir / "a-file") << "x";
  const Status refused = writeScenarioReport(*twin_, state, (dir / "a-file" / "report").string());
  EXPECT_FALSE(refused.isOk());
  EXPECT_NE(refused.message().find("a-file"), std::string::npos) << refused.message();
}

TEST_F(ScenarioPanelTest, RemovedAndAddedBuildingsAreDrawnOverTheMap) {
  UiState state;
  state.measureMode = MeasureMode::Area;
  state.measurePoints = squareAtHomes(120);
  ASSERT_TRUE(selectInsideMeasuredArea(*twin_, state, "city-buildings").isOk());
  ASSERT_TRUE(removeSelectedBuildings(*twin_, state).isOk());
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "scenario_panel_buildings";
  fs::remove_all(dir);
  fs::create_directories(dir);
  ASSERT_TRUE(saveEditedScenario(state, (dir / "removed.toml").string()).isOk());
  RenderRequest request;
  request.width = 1600;
  request.height = 1000;
  request.language = Language::English;
  const auto& square = state.measurePoints;
  request.view = OrbitPose{osg::Vec3d((square[0].x + square[2].x) / 2 + 100, (square[0].y + square[2].y) / 2, 0), 0.0,
                           -70.0, 1200.0};
  request.scenarioFile = (dir / "removed.toml").string();
  auto removed = renderOffscreen(*twin_, request);
  ASSERT_TRUE(removed) << removed.status().message();
  ASSERT_TRUE(writePng(**removed, (dir / "removed.png").string()));
  // The removed footprints outlined and crossed (the panel's own magenta is only its text).
  EXPECT_GT(magentaPixels(**removed), 200);

  // A new building beside them as well: a wire box with its height.
  ASSERT_TRUE(addBuildingFromMeasuredArea(state, NewBuilding{60.0, 20, "office", 2}).isOk());
  ASSERT_TRUE(saveEditedScenario(state, (dir / "both.toml").string()).isOk());
  request.scenarioFile = (dir / "both.toml").string();
  auto both = renderOffscreen(*twin_, request);
  ASSERT_TRUE(both) << both.status().message();
  ASSERT_TRUE(writePng(**both, (dir / "both.png").string()));
  EXPECT_GT(magentaPixels(**both), magentaPixels(**removed) + 200);

  // The measure window's area actions and the Selection window's scenario actions drawn (a measured square clicked
  // in the middle of the view, the buildings inside selected).
  request.measureMode = MeasureMode::Area;
  request.measureClicks = {{700, 420}, {900, 420}, {900, 620}, {700, 620}};
  request.selectInLayer = "city-buildings";
  auto actions = renderOffscreen(*twin_, request);
  ASSERT_TRUE(actions) << actions.status().message();
  ASSERT_TRUE(writePng(**actions, (dir / "actions.png").string()));
}

}  // namespace
}  // namespace gt::viewer
