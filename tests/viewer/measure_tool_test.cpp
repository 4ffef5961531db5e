// Measuring on the map (measure_tool.hpp; docs/workbench.md "Measuring") on the demo twin: the readout of a path and
// an area from points of known geometry, in both languages; the height of a building clicked in a headless view
// against its height attribute (its box stands on sloped, exaggerated terrain); the overlay drawn.
#include "measure_tool.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <variant>

#include "greentwin/core/measure.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

class MeasureToolTest : public testing::DemoTwinSuite {
 protected:
  // The centre of the terrain's grid: a place inside the demo district.
  static Vec3d middle() {
    const RasterGrid& g = twin_->ground()->grid();
    return Vec3d{(g.minX() + g.maxX()) / 2, (g.minY() + g.maxY()) / 2, 0};
  }
};

TEST_F(MeasureToolTest, APathOfAKilometreReadsInPlanAndAlongTheGround) {
  ASSERT_TRUE(twin_->ground());
  UiState state;
  state.language = Language::English;
  state.measureMode = MeasureMode::Distance;
  EXPECT_EQ(measureReadout(*twin_, state), (std::vector<std::string>{"Click points on the map; each adds to the path."}));
  const Vec3d a = middle();
  state.measurePoints = {a, Vec3d{a.x + 600, a.y + 800, 0}};
  const auto lines = measureReadout(*twin_, state);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "In plan: 1,000.0 m (2 points)");
  EXPECT_EQ(lines[1].rfind("Along the ground: ", 0), 0u) << lines[1];
  // Along the ground is at least the plan length, and not much more over the flat Tongzhou plain.
  const PathMeasure m = measurePath(state.measurePoints, twin_->ground().get());
  EXPECT_GE(m.surfaceM, 1000.0);
  EXPECT_LT(m.surfaceM, 1010.0);
  state.language = Language::Chinese;
  EXPECT_EQ(measureReadout(*twin_, state)[0], "水平距离: 1,000.0 m (2 个点)");
}

TEST_F(MeasureToolTest, AHectareSquareReadsItsAreaAndPerimeter) {
  UiState state;
  state.language = Language::English;
  state.measureMode = MeasureMode::Area;
  const Vec3d a = middle();
  state.measurePoints = {a, Vec3d{a.x + 100, a.y, 0}, Vec3d{a.x + 100, a.y + 100, 0}};
  state.measurePoints.push_back(Vec3d{a.x, a.y + 100, 0});
  EXPECT_EQ(measureReadout(*twin_, state),
            (std::vector<std::string>{"Area: 1.00 ha (10,000 m²)", "Perimeter: 400.0 m"}));
  state.measurePoints = {a, Vec3d{a.x + 100, a.y + 100, 0}, Vec3d{a.x + 100, a.y, 0}, Vec3d{a.x, a.y + 100, 0}};
  EXPECT_NE(measureReadout(*twin_, state)[0].find("crosses itself"), std::string::npos);
}

// A building of the demo, looked at from straight above and clicked at the middle of the image: its height above
// the base its box stands on is its height_m, whatever the terrain's slope and vertical exaggeration.
TEST_F(MeasureToolTest, ABuildingClickedInAViewMeasuresItsHeight) {
  layers::Layer* buildings = twin_->findLayer("city-buildings");
  ASSERT_NE(buildings, nullptr);
  std::optional<EntityIndex> chosen;
  double heightM = 0;
  for (EntityIndex i = 0; i < twin_->entities().size() && !chosen; ++i) {
    const Entity* e = twin_->entities().get(i);
    if (e == nullptr || e->kind != "building" || !buildings->slotOfEntity(i)) continue;
    const auto it = e->properties.find("height_m");
    if (it == e->properties.end() || !std::holds_alternative<double>(it->second)) continue;
    if (std::get<double>(it->second) < 20 || !twin_->entityPosition(i)) continue;  // a tall one, easy to hit
    chosen = i;
    heightM = std::get<double>(it->second);
  }
  ASSERT_TRUE(chosen) << "no building of 20 m or more in the demo";
  const Vec3d at = *twin_->entityPosition(*chosen);
  RenderRequest request;
  // Large enough that the middle of the image, where the building is, lies clear of the panels.
  request.width = 1000;
  request.height = 700;
  request.language = Language::English;
  request.view = OrbitPose{osg::Vec3d(at.x, at.y, at.z), 0.0, -89.5, 400.0};
  request.measureMode = MeasureMode::Height;
  request.measureClicks = {{500.0f, 350.0f}};
  auto lines = measureOffscreen(*twin_, request);
  ASSERT_TRUE(lines) << lines.status().message();
  ASSERT_GE(lines->size(), 3u);
  char expected[64];
  std::snprintf(expected, sizeof expected, "Above the base it stands on: %.1f m", heightM);
  EXPECT_EQ((*lines)[0], expected);
  EXPECT_EQ((*lines)[2], "Entity: " + twin_->entities().get(*chosen)->id);

  // The same clicks drawn: the readout window and the vertical line over the map.
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image) << image.status().message();
  const std::string out = (std::filesystem::path(GT_TEST_BINARY_DIR) / "measure_height.png").string();
  ASSERT_TRUE(writePng(**image, out));
  // The measuring colour (40, 220, 255) is drawn somewhere: the line and its end points.
  const osg::Image& img = **image;
  int cyan = 0;
  for (int y = 0; y < img.t(); ++y) {
    for (int x = 0; x < img.s(); ++x) {
      const unsigned char* p = img.data(x, y);
      if (std::abs(p[0] - 40) < 16 && std::abs(p[1] - 220) < 16 && std::abs(p[2] - 255) < 16) ++cyan;
    }
  }
  EXPECT_GT(cyan, 20) << out;
}

TEST_F(MeasureToolTest, APathDrawnOverTheMap) {
  const Vec3d a = middle();
  RenderRequest request;
  request.width = 640;
  request.height = 400;
  request.language = Language::English;
  request.view = OrbitPose{osg::Vec3d(a.x, a.y, 0), 0.0, -60.0, 3000.0};
  request.measureMode = MeasureMode::Distance;
  request.measureClicks = {{150.0f, 120.0f}, {320.0f, 260.0f}, {500.0f, 150.0f}};
  auto lines = measureOffscreen(*twin_, request);
  ASSERT_TRUE(lines) << lines.status().message();
  ASSERT_EQ(lines->size(), 2u);
  EXPECT_NE((*lines)[0].find("(3 points)"), std::string::npos) << (*lines)[0];
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image) << image.status().message();
  ASSERT_TRUE(writePng(**image, (std::filesystem::path(GT_TEST_BINARY_DIR) / "measure_path.png").string()));
}

}  // namespace
}  // namespace gt::viewer
