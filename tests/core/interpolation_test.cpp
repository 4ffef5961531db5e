// IDW against hand-computed values: weights 1/d^p, exact at a point, radius and neighbour limits, NaN skipped.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "greentwin/core/interpolation.hpp"

namespace gt {
namespace {

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<ScatteredPoint> kTwo{{0, 0, 10}, {10, 0, 20}};

TEST(Idw, WeightsByInverseDistanceToThePower) {
  // Midway: equal weights.
  EXPECT_DOUBLE_EQ(idwAt(5, 0, kTwo, {}), 15.0);
  // d = 2 and 8, power 2: (10/4 + 20/64) / (1/4 + 1/64) = 180/17.
  EXPECT_NEAR(idwAt(2, 0, kTwo, {}), 180.0 / 17.0, 1e-12);
  // Power 1: (10/2 + 20/8) / (1/2 + 1/8) = 12.
  EXPECT_NEAR(idwAt(2, 0, kTwo, {1.0, 0.0, 0}), 12.0, 1e-12);
  // Power 3: (10/8 + 20/512) / (1/8 + 1/512) = 660/65.
  EXPECT_NEAR(idwAt(2, 0, kTwo, {3.0, 0.0, 0}), 660.0 / 65.0, 1e-12);
}

TEST(Idw, APointExactlyAtTheCellGivesItsValue) {
  EXPECT_DOUBLE_EQ(idwAt(0, 0, kTwo, {}), 10.0);
  EXPECT_DOUBLE_EQ(idwAt(10, 0, kTwo, {}), 20.0);
  // Two points at the same place: their mean.
  const std::vector<ScatteredPoint> same{{3, 3, 4}, {3, 3, 8}, {100, 0, 1000}};
  EXPECT_DOUBLE_EQ(idwAt(3, 3, same, {}), 6.0);
}

TEST(Idw, RadiusAndNeighbourLimits) {
  // Radius 5 around x = 2: only the point at 0 counts.
  EXPECT_DOUBLE_EQ(idwAt(2, 0, kTwo, {2.0, 5.0, 0}), 10.0);
  // Nothing within 1 m: no data.
  EXPECT_TRUE(std::isnan(idwAt(5, 5, kTwo, {2.0, 1.0, 0})));
  // One neighbour: the nearest.
  EXPECT_DOUBLE_EQ(idwAt(8, 0, kTwo, {2.0, 0.0, 1}), 20.0);
  // Three points, two neighbours at x = 1: the points at 0 and 4 (d 1 and 3), not the one at 100.
  const std::vector<ScatteredPoint> three{{0, 0, 10}, {4, 0, 40}, {100, 0, 1000}};
  EXPECT_NEAR(idwAt(1, 0, three, {2.0, 0.0, 2}), (10.0 + 40.0 / 9.0) / (1.0 + 1.0 / 9.0), 1e-12);
}

TEST(Idw, NaNValuesAndNoPointsGiveNoData) {
  std::vector<ScatteredPoint> withNaN = kTwo;
  withNaN.push_back({2, 0, kNaN});  // would dominate x = 2 if it were used
  withNaN.push_back({kNaN, 0, 99});
  EXPECT_NEAR(idwAt(2, 0, withNaN, {}), 180.0 / 17.0, 1e-12);
  EXPECT_TRUE(std::isnan(idwAt(1, 1, std::vector<ScatteredPoint>{}, {})));
  const std::vector<ScatteredPoint> allNaN{{0, 0, kNaN}};
  EXPECT_TRUE(std::isnan(idwAt(0, 0, allNaN, {})));
}

TEST(Idw, GridOverCellCentres) {
  GridGeometry g;
  g.x0 = 0;
  g.y0 = 0;
  g.dx = 5;
  g.dy = 5;
  g.width = 3;
  g.height = 2;
  auto grid = idwGrid(g, kTwo, {2.0, 6.0, 0});
  ASSERT_TRUE(grid) << grid.status().message();
  ASSERT_EQ(grid->values.size(), 6u);
  EXPECT_FLOAT_EQ(grid->at(0, 0), 10.0f);  // on a point
  EXPECT_FLOAT_EQ(grid->at(1, 0), 15.0f);  // midway
  EXPECT_FLOAT_EQ(grid->at(2, 0), 20.0f);
  // Row 1 (y = 5): (5,5) is 7.07 m from both points -> outside the 6 m radius; (0,5) sees only the first.
  EXPECT_FLOAT_EQ(grid->at(0, 1), 10.0f);
  EXPECT_TRUE(std::isnan(grid->at(1, 1)));
  EXPECT_FLOAT_EQ(grid->at(2, 1), 20.0f);

  auto empty = idwGrid(g, std::vector<ScatteredPoint>{}, {});
  ASSERT_TRUE(empty);
  for (float v : empty->values) EXPECT_TRUE(std::isnan(v));
}

TEST(Idw, BadInputIsAnErrorNamingTheProblem) {
  GridGeometry g;
  g.width = 0;
  g.height = 2;
  auto bad = idwGrid(g, kTwo, {});
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("invalid geometry"), std::string::npos);
  g.width = 2;
  auto badPower = idwGrid(g, kTwo, {0.0, 0.0, 0});
  ASSERT_FALSE(badPower);
  EXPECT_NE(badPower.status().message().find("power"), std::string::npos);
}

}  // namespace
}  // namespace gt
