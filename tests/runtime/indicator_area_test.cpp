// Areas for the indicators (runtime/indicator_area.hpp): the district, and a drawn polygon checked and measured.
// AreaKpis over real plugins is tested with the twin (plugin_twin_test) and in the plugins' own tests.
#include <gtest/gtest.h>

#include "greentwin/runtime/indicator_area.hpp"

namespace gt::runtime {
namespace {

TEST(IndicatorArea, TheDistrictIsTheWholeTwin) {
  const IndicatorArea district = districtArea();
  EXPECT_TRUE(district.wholeTwin());
  EXPECT_EQ(district.id, "district");
  EXPECT_TRUE(district.shape.polygons.empty());
}

TEST(IndicatorArea, ADrawnPolygonIsMeasuredAndNamed) {
  // A 30 m x 20 m rectangle drawn with the last point clicked twice and the ring closed by hand.
  auto area = drawnArea(3, {{0, 0, 5}, {30, 0, 5}, {30, 20, 5}, {30, 20, 5}, {0, 20, 5}, {0, 0, 5}});
  ASSERT_TRUE(area) << area.status().message();
  EXPECT_FALSE(area->wholeTwin());
  EXPECT_EQ(area->id, "drawn/3");
  EXPECT_EQ(area->nameEn, "drawn area 3");
  EXPECT_EQ(area->shape.id, "drawn/3");
  ASSERT_EQ(area->shape.polygons.size(), 1u);
  EXPECT_EQ(area->shape.polygons[0].rings[0].size(), 4u);  // repeats and the closing vertex dropped
  EXPECT_NEAR(area->shape.areaM2, 600.0, 1e-9);
}

TEST(IndicatorArea, ADrawnPolygonWithoutAreaIsRefusedWithTheReason) {
  auto two = drawnArea(1, {{0, 0, 0}, {10, 0, 0}, {10, 0, 0}});
  ASSERT_FALSE(two);
  EXPECT_NE(two.status().message().find("at least three distinct points, got 2"), std::string::npos);
  auto line = drawnArea(2, {{0, 0, 0}, {10, 0, 0}, {20, 0, 0}});
  ASSERT_FALSE(line);
  EXPECT_NE(line.status().message().find("no area"), std::string::npos);
}

}  // namespace
}  // namespace gt::runtime
