// The twin's part of a project: captured, written, read back and applied to a fresh twin gives the same layers
// (runtime/project_layers.hpp).
#include "greentwin/runtime/project_layers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "../support/small_city.hpp"
#include "../support/test_folder.hpp"
#include "greentwin/core/config_text.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

class ProjectLayersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::writeSmallCity(folder_, 8, true);  // buildings 10, 15 ... 45 m
  }
  std::unique_ptr<Twin> makeTwin() {
    auto config = loadConfig(folder_.file("greentwin.toml"));
    EXPECT_TRUE(config.isOk()) << config.status().message();
    auto twin = Twin::create(*config);
    EXPECT_TRUE(twin.isOk()) << twin.status().message();
    return twin.isOk() ? std::move(*twin) : nullptr;
  }
  // Frames until the applier has applied everything (added layers load in the background).
  static bool applyAll(Twin& twin, ProjectLayerApplier& applier) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      twin.update();
      if (applier.update(twin)) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
  static std::vector<std::string> order(const Twin& twin) {
    std::vector<std::string> ids;
    for (const auto& l : twin.layers()) ids.push_back(l->id());
    return ids;
  }
  testing::TestFolder folder_{"gt_project_layers"};
};

TEST_F(ProjectLayersTest, OnlyWhatThePlannerChangedIsCapturedBeyondVisibilityAndOpacity) {
  auto twin = makeTwin();
  ASSERT_NE(twin, nullptr);
  Project p;
  captureProjectLayers(*twin, p);
  ASSERT_EQ(p.layers.size(), 2u);
  EXPECT_EQ(p.layers[0].id, "parks");
  EXPECT_FALSE(p.layers[0].style.has_value());
  EXPECT_FALSE(p.layers[1].style.has_value());
  EXPECT_TRUE(p.layers[1].filter.empty());
  EXPECT_TRUE(p.addedLayers.empty());

  LayerStyleConfig style = twin->findLayer("city")->config().style;
  style.fillColor = "#123456";
  ASSERT_TRUE(twin->restyleLayer("city", style).isOk());
  ASSERT_TRUE(std::holds_alternative<LayerFilterCount>(twin->filterLayer("city", "use = 'office'")));
  twin->findLayer("parks")->setOpacity(0.3);
  captureProjectLayers(*twin, p);
  ASSERT_TRUE(p.layers[1].style.has_value());
  EXPECT_EQ(p.layers[1].style->fillColor, "#123456");
  EXPECT_EQ(p.layers[1].filter, "use = 'office'");
  EXPECT_DOUBLE_EQ(p.layers[0].opacity, 0.3);
  EXPECT_FALSE(p.layers[0].style.has_value());
}

TEST_F(ProjectLayersTest, AFreshTwinGivenTheSavedProjectHasTheSameLayers) {
  auto first = makeTwin();
  ASSERT_NE(first, nullptr);
  LayerConfig added;
  added.id = "more-parks";
  added.type = "vector";
  added.source = folder_.file("parks.geojson");
  added.idAttribute = "id";
  added.nameEn = "More parks";
  ASSERT_TRUE(first->addLayer(added).isOk());
  ASSERT_TRUE(first->waitUntilLoaded(std::chrono::seconds(30)).isOk());
  LayerStyleConfig style = first->findLayer("city")->config().style;
  style.colorMode = "categorical";
  style.colorBy = "use";
  style.categories = {{"office", "#ff0000"}, {"home", "#0000ff"}};
  ASSERT_TRUE(first->restyleLayer("city", style).isOk());
  ASSERT_TRUE(std::holds_alternative<LayerFilterCount>(first->filterLayer("city", "height_m >= 25")));
  first->findLayer("parks")->setVisible(false);
  first->findLayer("more-parks")->setOpacity(0.5);
  first->moveLayer(0, +2);  // parks to the top: city, more-parks, parks
  ASSERT_EQ(order(*first), (std::vector<std::string>{"city", "more-parks", "parks"}));
  Project saved;
  captureProjectLayers(*first, saved);
  const std::string text = projectText(saved);
  auto read = parseProject(text, "plan.gtproj", configSchema(builtinTypes()));
  ASSERT_TRUE(read.isOk()) << read.status().message();

  auto second = makeTwin();
  ASSERT_NE(second, nullptr);
  ProjectLayerApplier applier(*second, *read);
  ASSERT_TRUE(applyAll(*second, applier));
  EXPECT_TRUE(applier.problems().empty()) << applier.problems().front();
  EXPECT_EQ(order(*second), order(*first));
  EXPECT_FALSE(second->findLayer("parks")->visible());
  EXPECT_DOUBLE_EQ(second->findLayer("more-parks")->opacity(), 0.5);
  EXPECT_TRUE(sameStyle(second->findLayer("city")->config().style, style));
  ASSERT_NE(second->layerFilters().active("city"), nullptr);
  EXPECT_EQ(second->layerFilters().active("city")->count.shown, 5u);  // 25, 30, 35, 40, 45 m
  Project again;
  captureProjectLayers(*second, again);
  EXPECT_EQ(projectText(again), text);
}

TEST_F(ProjectLayersTest, WhatCannotBeAppliedIsNamedAndTheRestIsApplied) {
  auto twin = makeTwin();
  ASSERT_NE(twin, nullptr);
  auto project = parseProject(R"(version = 1
[[layers]]
id = "city"
type = "vector"
source = "elsewhere.geojson"

[[layers]]
id = "missing-file"
type = "vector"
source = "/nonexistent/nothing.geojson"

[[layer_state]]
id = "gone"
visible = false

[[layer_state]]
id = "city"
opacity = 0.25
filter = "storeys > 3"

[[layer_state]]
id = "missing-file"
filter = "x > 1"
)",
                              "plan.gtproj");
  ASSERT_TRUE(project.isOk()) << project.status().message();
  ProjectLayerApplier applier(*twin, *project);
  ASSERT_TRUE(applyAll(*twin, applier));
  const auto& problems = applier.problems();
  ASSERT_EQ(problems.size(), 4u);
  auto has = [&](const std::string& text) {
    return std::any_of(problems.begin(), problems.end(), [&](const std::string& p) { return p.find(text) != std::string::npos; });
  };
  EXPECT_TRUE(has("layer 'city': not added, the twin has a layer with that id"));
  EXPECT_TRUE(has("layer 'gone' is in the project but not in the twin"));
  EXPECT_TRUE(has("layer 'city': the project's filter \"storeys > 3\" no longer applies"));
  EXPECT_TRUE(has("layer 'missing-file' did not load"));
  EXPECT_DOUBLE_EQ(twin->findLayer("city")->opacity(), 0.25);  // the rest was applied
  EXPECT_EQ(twin->layerFilters().active("city"), nullptr);
}

}  // namespace
}  // namespace gt::runtime
