// The forest plugin's shapes -> GEOS: valid input as is, invalid input repaired or left out, each cause counted;
// centroids and points in a shape.
#include <gtest/gtest.h>

#include <cmath>
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

// Centroids by hand: a square with an off-centre hole, two squares, and shapes without area.
TEST(ForestGeometry, CentroidOfExteriorsMinusHoles) {
  Shape s = box(0, 0, 4, 4);
  s[0].rings.push_back(Ring{{1, 1}, {1, 2}, {2, 2}, {2, 1}});  // clockwise: a hole all the same
  // (16 x 2 - 1 x 1.5) / 15 in x and in y.
  const Point c = shapeCentroid(s);
  EXPECT_NEAR(c.x, 30.5 / 15.0, 1e-12);
  EXPECT_NEAR(c.y, 30.5 / 15.0, 1e-12);

  Shape two = box(0, 0, 1, 1);
  two.push_back(box(2, 0, 3, 1)[0]);
  EXPECT_NEAR(shapeCentroid(two).x, 1.5, 1e-12);
  EXPECT_NEAR(shapeCentroid(two).y, 0.5, 1e-12);

  const Shape flat{PolygonShape{{Ring{{0, 0}, {10, 0}, {20, 0}}}}};  // no area: the mean of its vertices
  EXPECT_NEAR(shapeCentroid(flat).x, 10.0, 1e-12);
  EXPECT_TRUE(std::isnan(shapeCentroid(Shape{}).x));
}

TEST(ForestGeometry, PointInShapeKeepsHolesOut) {
  Shape s = box(0, 0, 4, 4);
  s[0].rings.push_back(Ring{{1, 1}, {2, 1}, {2, 2}, {1, 2}});
  s.push_back(box(10, 10, 11, 11)[0]);
  const PointInShape area(s);
  EXPECT_TRUE(area.contains({3, 3}));
  EXPECT_FALSE(area.contains({1.5, 1.5}));  // in the hole
  EXPECT_TRUE(area.contains({10.5, 10.5}));  // the second polygon
  EXPECT_FALSE(area.contains({7, 7}));       // between them, inside the box around both
  EXPECT_FALSE(area.contains({20, 20}));
  EXPECT_FALSE(area.contains({std::numeric_limits<double>::quiet_NaN(), 1}));
  EXPECT_FALSE(PointInShape(Shape{}).contains({0, 0}));
}

}  // namespace
}  // namespace greentwin::forest
