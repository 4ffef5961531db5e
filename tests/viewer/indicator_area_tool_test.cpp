// The indicators for a measured polygon (indicator_area_tool.hpp useMeasuredAreaForIndicators; docs/workbench.md
// "Measuring", docs/indicators.md "Any area, any time") on the demo twin with its plugins: the district boundary's
// ring measured by hand gives the dashboard the same 18 rows as the boundary feature itself; refusals for no area
// measured, too few corners and corners on one line.
#include "indicator_area_tool.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "greentwin/runtime/twin.hpp"
#include "scenario_test_twin.hpp"

namespace gt::viewer {
namespace {

class IndicatorAreaToolTest : public testing::ScenarioTwinSuite {};

TEST_F(IndicatorAreaToolTest, AMeasuredAreaIsRefusedWithoutThreeCornersOrAnArea) {
  UiState state;
  state.measurePoints = {{0, 0, 0}, {100, 0, 0}, {100, 100, 0}};
  EXPECT_NE(useMeasuredAreaForIndicators(state).message().find("measure an area first"), std::string::npos);
  state.measureMode = MeasureMode::Area;
  state.measurePoints = {{0, 0, 0}, {100, 0, 0}, {100, 0, 0}};
  EXPECT_NE(useMeasuredAreaForIndicators(state).message().find("three distinct points, got 2"), std::string::npos);
  state.measurePoints = {{0, 0, 0}, {100, 0, 0}, {200, 0, 0}};
  EXPECT_NE(useMeasuredAreaForIndicators(state).message().find("no area"), std::string::npos);
  EXPECT_TRUE(state.drawnAreas.empty());
  EXPECT_EQ(state.indicatorAreaId, "district");
}

TEST_F(IndicatorAreaToolTest, TheDistrictBoundaryMeasuredGivesTheRowsOfTheBoundaryFeature) {
  twin_->beginFrame();
  auto feature = twin_->indicatorArea("tongzhou-district/0");
  ASSERT_TRUE(feature) << feature.status().message();
  ASSERT_EQ(feature->shape.polygons.size(), 1u);
  ASSERT_EQ(feature->shape.polygons[0].rings.size(), 1u) << "the boundary has no holes";

  UiState state;
  state.showIndicators = false;
  state.measureMode = MeasureMode::Area;
  state.measurePoints = feature->shape.polygons[0].rings[0];
  ASSERT_TRUE(useMeasuredAreaForIndicators(state).isOk());
  EXPECT_EQ(state.indicatorAreaId, "drawn/1");
  ASSERT_EQ(state.drawnAreas.size(), 1u);
  EXPECT_TRUE(state.showIndicators);
  EXPECT_TRUE(state.indicatorsUnfolded);
  EXPECT_EQ(state.measurePoints.size(), feature->shape.polygons[0].rings[0].size()) << "the measure stays";
  EXPECT_NEAR(state.drawnAreas[0].shape.areaM2, feature->shape.areaM2, feature->shape.areaM2 * 1e-9);

  IndicatorAreaRows cache;
  const std::vector<runtime::IndicatorRow> rows = indicatorRowsForArea(*twin_, state, cache);
  EXPECT_TRUE(cache.error.empty()) << cache.error;
  EXPECT_EQ(cache.area.id, "drawn/1");
  const std::vector<runtime::IndicatorRow> expected = twin_->indicatorRows(*feature);
  ASSERT_EQ(rows.size(), 18u);
  ASSERT_EQ(rows.size(), expected.size());
  int computedForTheArea = 0;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].number, expected[i].number);
    EXPECT_EQ(rows[i].districtFigure, expected[i].districtFigure) << rows[i].number;
    ASSERT_EQ(rows[i].value.has_value(), expected[i].value.has_value()) << rows[i].number;
    if (!rows[i].value) continue;
    EXPECT_NEAR(*rows[i].value, *expected[i].value, 1e-9 * std::max(1.0, std::abs(*expected[i].value)))
        << rows[i].number;
    if (!rows[i].districtFigure) ++computedForTheArea;
  }
  EXPECT_GT(computedForTheArea, 0) << "some indicator is computed for the area by a plugin";
}

}  // namespace
}  // namespace gt::viewer
