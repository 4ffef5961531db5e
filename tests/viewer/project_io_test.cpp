// A planner's project in the window (project_io.hpp; docs/workbench.md "Projects") on the demo twin: save and reopen
// give the same state, unsaved changes are seen, a damaged or newer file is refused naming it, quitting asks first,
// and a headless render with the project shows it.
#include "project_io.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <variant>

#include "greentwin/core/config_text.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/camera.hpp"
#include "layer_workbench.hpp"
#include "project_menu.hpp"
#include "scenario_panel.hpp"
#include "scenario_panel_state.hpp"
#include "test_folder.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

constexpr const char* kCity = "city-buildings";

class ProjectIoTest : public testing::DemoTwinSuite {
 protected:
  void SetUp() override {
    // Each test starts from the twin as loaded: no filter, every layer shown.
    (void)twin_->filterLayer(kCity, "");
    for (const auto& layer : twin_->layers()) layer->setVisible(true);
    state_.project.reset();
    updateProject(*twin_, state_);  // the start-up baseline: nothing unsaved
  }
  testing::TestFolder folder_{"gt_project_io"};
  UiState state_;
  CityManipulator camera_;
};

TEST_F(ProjectIoTest, SavedAndReopenedTheWindowIsTheSame) {
  ASSERT_FALSE(hasUnsavedChanges(*twin_, state_));
  // The planner's work: a filter, a colour-by, a hidden layer, panels, a bookmark, the camera, a scenario, a time.
  ASSERT_TRUE(std::holds_alternative<runtime::LayerFilterCount>(
      applyLayerFilter(*twin_, state_, kCity, "height_m > 40")));
  ClassificationRequest request;
  request.attribute = "height_m";
  request.method = ClassMethod::Quantile;
  request.classes = 4;
  ASSERT_TRUE(twin_->colourLayerBy(kCity, request).isOk());
  restoreColourByForm(state_, kCity, request);
  const std::string hidden = twin_->layers().front()->id();
  twin_->findLayer(hidden)->setVisible(false);
  state_.showAlerts = true;
  state_.language = Language::English;
  const OrbitPose view{osg::Vec3d(1200, -800, 0), 30, -40, 2500};
  camera_.setPose(view);
  ASSERT_TRUE(addProjectBookmark(*twin_, state_, camera_, "Canal towers").isOk());
  ScenarioEdit stars;
  stars.kind = ScenarioEditKind::SetStars;
  stars.buildings = {"city-buildings/b-000001"};
  stars.stars = 3;
  editedScenario(state_).edits.push_back(stars);
  Scenario b{"Scenario B", "", {stars}};
  b.edits[0].stars = 1;
  scenarioPanelOf(state_).compared = b;  // scenario B, as "Open B" keeps it
  scenarioPanelOf(state_).comparedSource = "scenarios/b.toml";
  const TimePoint shown = twin_->clock().range().begin + 3600 * kMicrosPerSecond;
  twin_->clock().pause();
  twin_->clock().seek(shown);
  EXPECT_TRUE(hasUnsavedChanges(*twin_, state_));

  const std::string path = folder_.file("plans/canal.gtproj");  // its folder is made
  ASSERT_TRUE(saveProjectFile(*twin_, state_, &camera_, path).isOk());
  EXPECT_FALSE(hasUnsavedChanges(*twin_, state_));
  const Project saved = captureProject(*twin_, state_, &camera_, path);

  // Everything undone, then the project opened.
  (void)twin_->filterLayer(kCity, "");
  twin_->findLayer(hidden)->setVisible(true);
  LayerStyleConfig plain = twin_->findLayer(kCity)->config().style;
  plain.colorMode = "single";
  plain.breaks.clear();
  plain.colors.clear();
  ASSERT_TRUE(twin_->restyleLayer(kCity, plain).isOk());
  UiState fresh;
  CityManipulator freshCamera;
  twin_->clock().goLive();
  ASSERT_TRUE(openProjectFile(*twin_, fresh, &freshCamera, path).isOk());
  for (int i = 0; i < 100 && projectSession(fresh).applying; ++i) updateProject(*twin_, fresh);
  ASSERT_FALSE(projectSession(fresh).applying);
  updateProject(*twin_, fresh);
  EXPECT_TRUE(projectSession(fresh).problems.empty()) << projectSession(fresh).problems.front();

  ASSERT_NE(twin_->layerFilters().active(kCity), nullptr);
  EXPECT_EQ(twin_->layerFilters().active(kCity)->text, "height_m > 40");
  EXPECT_FALSE(twin_->findLayer(hidden)->visible());
  EXPECT_EQ(twin_->findLayer(kCity)->config().style.colorMode, "graduated");
  EXPECT_TRUE(fresh.showAlerts);
  EXPECT_EQ(fresh.language, Language::English);
  EXPECT_FALSE(twin_->clock().isLive());
  EXPECT_EQ(twin_->clock().now(), shown);
  EXPECT_NEAR(freshCamera.pose().center.x(), 1200, 0.01);
  EXPECT_NEAR(freshCamera.pose().center.y(), -800, 0.01);
  EXPECT_NEAR(freshCamera.pose().headingDeg, 30, 1e-6);
  EXPECT_NEAR(freshCamera.pose().range, 2500, 1e-6);
  ASSERT_EQ(projectSession(fresh).bookmarks.size(), 1u);
  EXPECT_EQ(projectSession(fresh).bookmarks[0].id, "canal-towers");
  ASSERT_NE(editedScenarioIfAny(fresh), nullptr);
  EXPECT_EQ(scenarioText(*editedScenarioIfAny(fresh)), scenarioText(editedScenario(state_)));
  ASSERT_TRUE(scenarioPanelOf(fresh).compared.has_value());
  EXPECT_EQ(scenarioText(*scenarioPanelOf(fresh).compared), scenarioText(b));
  EXPECT_EQ(scenarioPanelOf(fresh).comparedSource, "scenarios/b.toml");
  ASSERT_TRUE(appliedColourBy(fresh, kCity).has_value());
  EXPECT_EQ(appliedColourBy(fresh, kCity)->method, ClassMethod::Quantile);
  // The state captured again is the state saved (the camera aside: its position went through longitude and latitude
  // and back, checked above), and nothing is unsaved.
  Project again = captureProject(*twin_, fresh, &freshCamera, path);
  Project savedWithoutCamera = saved;
  again.camera.reset();
  savedWithoutCamera.camera.reset();
  EXPECT_EQ(projectText(again), projectText(savedWithoutCamera));
  EXPECT_FALSE(hasUnsavedChanges(*twin_, fresh));
  twin_->clock().goLive();
}

TEST_F(ProjectIoTest, ADamagedOrNewerFileIsRefusedByNameAndNothingChanges) {
  const std::string newer = folder_.file("newer.gtproj");
  std::ofstream(newer) << "version = 99\n";
  const Status s = openProjectFile(*twin_, state_, &camera_, newer);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("newer.gtproj:1: project file version 99 is newer"), std::string::npos) << s.message();
  const std::string damaged = folder_.file("damaged.gtproj");
  std::ofstream(damaged) << "version = 1\n[[layer_state]]\nid = \"city-buildings\"\nfilter = \"height_m > \"\nvisible = \"no\"\n";
  const Status d = openProjectFile(*twin_, state_, &camera_, damaged);
  ASSERT_FALSE(d.isOk());
  EXPECT_NE(d.message().find("damaged.gtproj:5"), std::string::npos) << d.message();
  EXPECT_EQ(twin_->layerFilters().active(kCity), nullptr);
  EXPECT_TRUE(projectSession(state_).path.empty());
  EXPECT_FALSE(openProjectFile(*twin_, state_, &camera_, folder_.file("none.gtproj")).isOk());
}

TEST_F(ProjectIoTest, AFilterThatNoLongerAppliesIsListedAndTheRestApplies) {
  const std::string path = folder_.file("old.gtproj");
  std::ofstream(path) << "version = 1\n[panels]\nalerts = true\n[[layer_state]]\nid = \"city-buildings\"\nfilter = "
                         "\"storeys > 3\"\n[[layer_state]]\nid = \"demolished-layer\"\n";
  ASSERT_TRUE(openProjectFile(*twin_, state_, &camera_, path).isOk());
  for (int i = 0; i < 100 && projectSession(state_).applying; ++i) updateProject(*twin_, state_);
  const auto& problems = projectSession(state_).problems;
  const auto has = [&](const std::string& text) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("\"storeys > 3\" no longer applies")) << ::testing::PrintToString(problems);
  EXPECT_TRUE(has("layer 'demolished-layer' is in the project but not in the twin"));
  EXPECT_TRUE(state_.showAlerts);
}

TEST_F(ProjectIoTest, QuittingWithUnsavedChangesWaitsForTheAnswer) {
  ProjectSession& session = projectSession(state_);
  session.quitRequested = true;
  EXPECT_TRUE(quitDecided(*twin_, state_));  // nothing unsaved: the window closes
  ASSERT_TRUE(std::holds_alternative<runtime::LayerFilterCount>(applyLayerFilter(*twin_, state_, kCity, "height_m > 80")));
  EXPECT_FALSE(quitDecided(*twin_, state_));  // unsaved: the question is asked
  session.quitConfirmed = true;              // "Close without saving"
  EXPECT_TRUE(quitDecided(*twin_, state_));
}

TEST_F(ProjectIoTest, ARenderWithTheProjectShowsItsFilter) {
  ASSERT_TRUE(std::holds_alternative<runtime::LayerFilterCount>(applyLayerFilter(*twin_, state_, kCity, "height_m > 60")));
  const std::string path = folder_.file("tall.gtproj");
  ASSERT_TRUE(saveProjectFile(*twin_, state_, nullptr, path).isOk());
  (void)twin_->filterLayer(kCity, "");
  RenderRequest request;
  request.width = 640;
  request.height = 360;
  request.bookmark = "canal-cbd";
  request.projectFile = path;
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image.isOk()) << image.status().message();
  ASSERT_NE(twin_->layerFilters().active(kCity), nullptr);
  EXPECT_EQ(twin_->layerFilters().active(kCity)->text, "height_m > 60");
  ASSERT_TRUE(writePng(**image, folder_.file("tall.png")).isOk());
  request.projectFile = folder_.file("missing.gtproj");
  auto refused = renderOffscreen(*twin_, request);
  ASSERT_FALSE(refused.isOk());
  EXPECT_NE(refused.status().message().find("missing.gtproj"), std::string::npos);
}

}  // namespace
}  // namespace gt::viewer
