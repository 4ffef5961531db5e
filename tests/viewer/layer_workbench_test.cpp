// The layer panel's filter and colour-by tools (layer_workbench.hpp; docs/workbench.md) on the demo twin: a filter
// set as the field sets it hides buildings from the picture and from picks, says how many it shows, and a mistake
// fails a render with the filter's error; colouring by an attribute restyles the layer and its legend.
#include "layer_workbench.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <variant>

#include "greentwin/layers/building_layer.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

class LayerWorkbenchTest : public testing::DemoTwinSuite {
 protected:
  void TearDown() override { (void)twin_->filterLayer("city-buildings", ""); }
  // A demo building of `minHeight` m or more with a position, and its height.
  static std::pair<EntityIndex, double> building(double minHeight) {
    const layers::Layer* buildings = twin_->findLayer("city-buildings");
    for (EntityIndex i = 0; i < twin_->entities().size(); ++i) {
      const Entity* e = twin_->entities().get(i);
      if (e == nullptr || e->kind != "building" || !buildings->slotOfEntity(i) || !twin_->entityPosition(i)) continue;
      const auto it = e->properties.find("height_m");
      if (it == e->properties.end() || !std::holds_alternative<double>(it->second)) continue;
      if (std::get<double>(it->second) >= minHeight) return {i, std::get<double>(it->second)};
    }
    return {kInvalidEntity, 0};
  }
};

TEST_F(LayerWorkbenchTest, AFilteredOutBuildingIsNotPickedAndTheLineSaysHowManyShow) {
  const auto [entity, height] = building(20);
  ASSERT_NE(entity, kInvalidEntity) << "no building of 20 m or more in the demo";
  const Vec3d at = *twin_->entityPosition(entity);
  RenderRequest request;
  request.width = 640;
  request.height = 480;
  request.language = Language::English;
  request.drawUi = false;
  request.view = OrbitPose{osg::Vec3d(at.x, at.y, at.z), 0.0, -89.5, 400.0};
  auto picks = pickOffscreen(*twin_, request, {{320.0f, 240.0f}});
  ASSERT_TRUE(picks) << picks.status().message();
  ASSERT_EQ((*picks)[0], std::optional<EntityIndex>(entity));

  // Only buildings taller than this one: the pick goes through it to the ground.
  char condition[64];
  std::snprintf(condition, sizeof condition, "height_m > %.3f", height + 0.001);
  request.filters = {{"city-buildings", condition}};
  picks = pickOffscreen(*twin_, request, {{320.0f, 240.0f}});
  ASSERT_TRUE(picks) << picks.status().message();
  EXPECT_NE((*picks)[0], std::optional<EntityIndex>(entity));
  const auto* active = twin_->layerFilters().active("city-buildings");
  ASSERT_NE(active, nullptr);
  EXPECT_LT(active->count.shown, active->count.total);
  UiState state;
  state.language = Language::English;
  EXPECT_EQ(layerFilterStatus(*twin_, state, "city-buildings"),
            std::to_string(active->count.shown) + " of " + std::to_string(active->count.total) + " shown");
  state.language = Language::Chinese;
  EXPECT_EQ(layerFilterStatus(*twin_, state, "city-buildings"),
            "显示 " + std::to_string(active->count.shown) + " / " + std::to_string(active->count.total));
}

TEST_F(LayerWorkbenchTest, TheFilteredCityDrawsFewerBuildings) {
  RenderRequest request;
  request.width = 1000;
  request.height = 640;
  request.language = Language::English;
  request.unfoldLayer = "city-buildings";
  auto all = renderOffscreen(*twin_, request);
  ASSERT_TRUE(all) << all.status().message();
  request.filters = {{"city-buildings", "height_m > 40"}};
  auto tall = renderOffscreen(*twin_, request);
  ASSERT_TRUE(tall) << tall.status().message();
  const std::string out = (std::filesystem::path(GT_TEST_BINARY_DIR) / "filter_tall_buildings.png").string();
  ASSERT_TRUE(writePng(**tall, out));
  // The pictures differ where buildings were taken away.
  const osg::Image& a = **all;
  const osg::Image& b = **tall;
  ASSERT_EQ(a.s(), b.s());
  int differing = 0;
  for (int y = 0; y < a.t(); ++y) {
    for (int x = 0; x < a.s(); ++x) {
      const unsigned char* p = a.data(x, y);
      const unsigned char* q = b.data(x, y);
      if (std::abs(p[0] - q[0]) + std::abs(p[1] - q[1]) + std::abs(p[2] - q[2]) > 30) ++differing;
    }
  }
  EXPECT_GT(differing, 500) << out;
}

TEST_F(LayerWorkbenchTest, AMistakeFailsTheRenderWithTheFiltersError) {
  RenderRequest request;
  request.width = 320;
  request.height = 240;
  request.drawUi = false;
  request.filters = {{"city-buildings", "heigth_m > 3"}};
  auto image = renderOffscreen(*twin_, request);
  ASSERT_FALSE(image);
  EXPECT_EQ(image.status().code(), ErrorCode::NotFound);
  EXPECT_NE(image.status().message().find("did you mean 'height_m'"), std::string::npos) << image.status().message();
  EXPECT_NE(image.status().message().find('^'), std::string::npos);  // the caret line
  request.filters = {{"no-such-layer", "a = 1"}};
  image = renderOffscreen(*twin_, request);
  ASSERT_FALSE(image);
  EXPECT_NE(image.status().message().find("no layer 'no-such-layer'"), std::string::npos);
}

TEST_F(LayerWorkbenchTest, ColourByAnAttributeRestylesTheLayerAndItsLegend) {
  const LayerStyleConfig before = twin_->findLayer("city-buildings")->config().style;
  ClassificationRequest request;
  request.attribute = "height_m";
  request.method = ClassMethod::Quantile;
  request.classes = 4;
  request.ramp = "blues";
  auto classes = twin_->colourLayerBy("city-buildings", request);
  ASSERT_TRUE(classes) << classes.status().message();
  const layers::Layer* layer = twin_->findLayer("city-buildings");
  EXPECT_EQ(layer->config().style.colorBy, "height_m");
  EXPECT_EQ(layer->config().style.breaks, classes->breaks);
  EXPECT_EQ(layer->config().style.breaks.size(), 3u);
  EXPECT_EQ(layer->legend().size(), 4u);
  // A preview leaves the layer as it is.
  request.classes = 6;
  auto preview = twin_->colourLayerBy("city-buildings", request, true);
  ASSERT_TRUE(preview);
  EXPECT_EQ(preview->breaks.size(), 5u);
  EXPECT_EQ(layer->config().style.breaks.size(), 3u);
  // Graduated over text is refused, naming the layer; the layer keeps its colours.
  request.attribute = "use";
  auto refused = twin_->colourLayerBy("city-buildings", request);
  EXPECT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("city-buildings"), std::string::npos) << refused.status().message();
  EXPECT_EQ(layer->config().style.breaks.size(), 3u);
  ASSERT_TRUE(twin_->restyleLayer("city-buildings", before).isOk());
}

}  // namespace
}  // namespace gt::viewer

namespace gt::viewer {
namespace {

// A live attribute (a series, not a property) is classified over the values the frame shows, and the layer then
// draws the live values with those classes.
TEST_F(LayerWorkbenchTest, ColourByALiveAttributeClassifiesTheValuesShownAndDrawsThemLive) {
  auto* city = dynamic_cast<layers::BuildingLayer*>(twin_->findLayer("city-buildings"));
  ASSERT_NE(city, nullptr);
  const AttributeId demand = *twin_->entities().attributes().intern("workbench_demand_kw", "kW");
  twin_->beginFrame();
  const TimePoint t = twin_->frameTime();
  for (std::uint32_t s = 0; s < city->slotCount(); ++s) {
    twin_->timeSeries().append(city->entityOfSlot(s), demand, t, static_cast<double>(s % 100));
  }
  ClassificationRequest request;
  request.attribute = "workbench_demand_kw";
  request.method = ClassMethod::EqualInterval;
  request.classes = 4;
  auto classes = twin_->colourLayerBy("city-buildings", request);
  ASSERT_TRUE(classes.isOk()) << classes.status().message();
  ASSERT_EQ(classes->breaks.size(), 3u);
  EXPECT_NEAR(classes->breaks[0], 24.75, 1e-9);  // 0..99 in four equal classes
  EXPECT_EQ(city->config().style.colorBy, "workbench_demand_kw");
  twin_->update();
  twin_->beginFrame();  // the layer's live colouring draws the values with the new classes
  EXPECT_TRUE(city->showsLiveValues());
  request.kind = ClassificationRequest::Kind::Categorical;
  const auto refused = twin_->colourLayerBy("city-buildings", request);
  ASSERT_FALSE(refused.isOk());
  EXPECT_NE(refused.status().message().find("live attribute 'workbench_demand_kw' is coloured in graduated classes"),
            std::string::npos)
      << refused.status().message();
}

}  // namespace
}  // namespace gt::viewer
