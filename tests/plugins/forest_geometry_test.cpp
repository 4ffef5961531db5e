// The forest plugin's shapes -> GEOS: valid input as is, invalid input repaired or left out, each cause counted.
#include <gtest/gtest.h>

#include <limits>

#include "forest_test_shapes.hpp"
#include "geometry.hpp"

namespace greentwin::forest {
namespace {

using testing::box;

TEST(ForestGeometry, ValidPolygonsWithHolesAndParts) {
  Geos geos;
  GeometryIssues issues;
  // 100 x 100 with a 20 x 20 hole, and a second part 10 x 10.
  Shape s = box(0, 0, 100, 100);
  s[0].rings.push_back(Ring{{40, 40}, {60, 40}, {60, 60}, {40, 60}});
  s.push_back(box(200, 0, 210, 10)[0]);
  const auto g = geos.polygonal(s, issues);
  ASSERT_TRUE(g);
  EXPECT_DOUBLE_EQ(geos.area(g.get()), 10000.0 - 400.0 + 100.0);
  EXPECT_EQ(issues.total(), 0u);
}

TEST(ForestGeometry, BadInputIsCountedPerCause) {
  Geos geos;
  GeometryIssues issues;
  EXPECT_FALSE(geos.polygonal(Shape{}, issues));
  EXPECT_EQ(issues.empty, 1u);

  Shape nan = box(0, 0, 10, 10);
  nan[0].rings[0][2].x = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(geos.polygonal(nan, issues));
  EXPECT_EQ(issues.nonFinite, 1u);

  const Shape twoVertices{PolygonShape{{Ring{{0, 0}, {10, 0}}}}};
  EXPECT_FALSE(geos.polygonal(twoVertices, issues));
  EXPECT_EQ(issues.shortRings, 1u);

  // A bow-tie (self-intersecting): repaired into its two triangles, 2 x (100 x 50 / 2).
  const Shape bowTie{PolygonShape{{Ring{{0, 0}, {100, 100}, {100, 0}, {0, 100}}}}};
  const auto fixed = geos.polygonal(bowTie, issues);
  ASSERT_TRUE(fixed);
  EXPECT_NEAR(geos.area(fixed.get()), 5000.0, 1e-6);
  EXPECT_EQ(issues.repaired, 1u);

  // A ring with all vertices on a line: invalid, and nothing of it is an area.
  const Shape flat{PolygonShape{{Ring{{0, 0}, {10, 0}, {20, 0}}}}};
  EXPECT_FALSE(geos.polygonal(flat, issues));
  EXPECT_EQ(issues.unrepairable, 1u);
  EXPECT_EQ(issues.total(), 5u);
}

TEST(ForestGeometry, ShoelaceAreaOfExteriorsMinusHoles) {
  Shape s = box(0, 0, 100, 100);
  s[0].rings.push_back(Ring{{40, 40}, {40, 60}, {60, 60}, {60, 40}});  // clockwise or not: a hole
  s.push_back(box(200, 0, 210, 10)[0]);
  EXPECT_DOUBLE_EQ(shapeArea(s), 10000.0 - 400.0 + 100.0);
  EXPECT_EQ(shapeArea(Shape{}), 0.0);
}

}  // namespace
}  // namespace greentwin::forest
