// The water plugin's class tables (plugins/water/classes.hpp): limits as documented in docs/water.md "Classes", and
// the plugin's centroid (geometry.hpp) on hand-made polygons.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "classes.hpp"
#include "geometry.hpp"

namespace greentwin::water {
namespace {

TEST(WaterClasses, LeakageClassesAtTheProgrammeTargetAndCjj92Grades) {
  const ClassTable& t = classTable("water.leakage_class");
  ASSERT_EQ(t.classes.size(), 4u);
  EXPECT_EQ(classIndex(t, 7.9), 0);
  EXPECT_EQ(classIndex(t, 8.0), 0);  // the target met exactly
  EXPECT_EQ(classIndex(t, 8.01), 1);
  EXPECT_EQ(classIndex(t, 10.0), 1);
  EXPECT_EQ(classIndex(t, 12.0), 2);
  EXPECT_EQ(classIndex(t, 12.5), 3);
  EXPECT_EQ(classIndex(t, std::numeric_limits<double>::quiet_NaN()), -1);
}

TEST(WaterClasses, QualityClassesOneToSix) {
  const ClassTable& t = classTable("water.quality_class");
  ASSERT_EQ(t.classes.size(), 6u);
  for (int c = 1; c <= 6; ++c) EXPECT_EQ(classIndex(t, c), c - 1) << c;
  EXPECT_EQ(t.classes[5].nameZh, "劣Ⅴ类");
  EXPECT_THROW(classTable("water.nope"), std::out_of_range);
}

Ring square(double x0, double y0, double size, bool clockwise = false) {
  Ring r{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}};
  if (clockwise) std::reverse(r.begin(), r.end());
  return r;
}

TEST(WaterGeometry, CentroidOfPolygonsWithHoles) {
  const auto c = centroid({{square(0, 0, 10)}});
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(c->x, 5.0);
  EXPECT_DOUBLE_EQ(c->y, 5.0);
  // A 2 x 2 hole at the corner: (100 x 5 - 4 x 1) / 96 = 5.1667, whichever way the rings wind.
  for (bool cw : {false, true}) {
    const auto h = centroid({{square(0, 0, 10, cw), square(0, 0, 2, !cw)}});
    ASSERT_TRUE(h);
    EXPECT_NEAR(h->x, 496.0 / 96.0, 1e-12);
    EXPECT_NEAR(h->y, 496.0 / 96.0, 1e-12);
  }
  // Two equal squares: halfway between.
  const auto two = centroid({{square(0, 0, 10)}, {square(20, 0, 10)}});
  EXPECT_NEAR(two->x, 15.0, 1e-12);
  EXPECT_NEAR(two->y, 5.0, 1e-12);
  // Far from the origin (scene metres of a district): no loss of precision.
  const auto far = centroid({{square(40000, -30000, 100)}});
  EXPECT_NEAR(far->x, 40050.0, 1e-9);
  EXPECT_NEAR(far->y, -29950.0, 1e-9);
  EXPECT_FALSE(centroid({}));
  EXPECT_FALSE(centroid({{Ring{{0, 0}, {1, 1}, {2, 2}}}}));
}

}  // namespace
}  // namespace greentwin::water
