// What-if scenarios in the window (scenario_panel.hpp; docs/workbench.md "Scenarios in the window") on the demo twin
// with its plugins: a park drawn beside homes raises #18 against the baseline, rooftop PV for a selection becomes an
// edit naming its buildings, refusals, a save and reopen, and the panel and its parcel drawn.
#include "scenario_panel.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "selection_panel.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

class ScenarioPanelTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto twin = runtime::Twin::create(testing::demoPaused());
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin).release();
    ASSERT_TRUE(twin_->waitForValues(std::chrono::minutes(2)).isOk());
    // The forest plugin reads its homes and parks in the background after the layers load (waitForValues may return
    // before): frames until #18 has a value.
    const bool ready = testing::runFrames(
        *twin_,
        [] {
          const auto c = runtime::compareScenarios(twin_->plugins(), twin_->indicators(), nullptr, nullptr,
                                                   twin_->frameTime());
          const auto* r = row(c, 18);
          return r != nullptr && r->right.value.has_value();
        },
        std::chrono::seconds(120), std::chrono::milliseconds(200));
    ASSERT_TRUE(ready) << "the forest plugin's #18 had no value after two minutes";
  }
  static void TearDownTestSuite() {
    delete twin_;
    twin_ = nullptr;
  }
  // A square of `half` metres around the first residential building of the city layer.
  static std::vector<Vec3d> squareAtHomes(double half) {
    const layers::Layer* layer = twin_->findLayer("city-buildings");
    for (std::uint32_t slot = 0; slot < layer->slotCount(); ++slot) {
      const Entity* e = twin_->entities().get(layer->entityOfSlot(slot));
      const auto use = e->properties.find("use");
      if (use == e->properties.end() || formatPropertyValue(use->second) != "residential") continue;
      const auto at = twin_->entityPosition(layer->entityOfSlot(slot));
      if (!at) continue;
      return {{at->x - half, at->y - half, 0}, {at->x + half, at->y - half, 0}, {at->x + half, at->y + half, 0},
              {at->x - half, at->y + half, 0}};
    }
    return {};
  }
  static const runtime::ScenarioComparisonRow* row(const runtime::ScenarioComparison& c, int number) {
    for (const auto& r : c.rows) {
      if (r.number == number) return &r;
    }
    return nullptr;
  }
  static runtime::Twin* twin_;
};
runtime::Twin* ScenarioPanelTest::twin_ = nullptr;

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

}  // namespace
}  // namespace gt::viewer
