// The stations of an area (area_stations.hpp): the centroid of polygons with holes and the nearest stations with
// their inverse-distance weights, by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "area_stations.hpp"

namespace greentwin::air_quality {
namespace {

AreaRing square(double x0, double y0, double size, bool clockwise = false) {
  AreaRing r{{x0, y0}, {x0 + size, y0}, {x0 + size, y0 + size}, {x0, y0 + size}};
  if (clockwise) return AreaRing(r.rbegin(), r.rend());
  return r;
}

TEST(AirAreaStations, CentroidOfPolygonsWithHoles) {
  // 4 x 4 with a 1 x 1 hole at (1, 1): (16 x 2 - 1 x 1.5) / 15 in x and y.
  auto c = areaCentroid({{square(0, 0, 4), square(1, 1, 1, true)}});
  ASSERT_TRUE(c);
  EXPECT_NEAR((*c)[0], 30.5 / 15.0, 1e-12);
  EXPECT_NEAR((*c)[1], 30.5 / 15.0, 1e-12);
  // Two polygons far from the origin, one of them clockwise.
  c = areaCentroid({{square(400000, 4400000, 2)}, {square(400010, 4400000, 2, true)}});
  ASSERT_TRUE(c);
  EXPECT_NEAR((*c)[0], 400006.0, 1e-6);
  EXPECT_NEAR((*c)[1], 4400001.0, 1e-6);
  EXPECT_FALSE(areaCentroid({}));
  EXPECT_FALSE(areaCentroid({{AreaRing{{0, 0}, {1, 1}, {2, 2}}}}));
}

TEST(AirAreaStations, NearestStationsWeightedByInverseDistance) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<std::array<double, 2>> positions{{0, 0}, {100, 0}, {0, 300}, {1000, 1000}, {nan, 0}};
  // From (10, 0): 10 m, 90 m, sqrt(10^2 + 300^2) m; weights 1 / d^2.
  auto near = nearestStations(10, 0, positions, 3, 2.0, 0.0);
  ASSERT_EQ(near.size(), 3u);
  EXPECT_EQ(near[0].station, 0u);
  EXPECT_EQ(near[1].station, 1u);
  EXPECT_EQ(near[2].station, 2u);
  EXPECT_DOUBLE_EQ(near[0].weight, 1.0 / 100.0);
  EXPECT_NEAR(near[1].weight, 1.0 / 8100.0, 1e-18);
  EXPECT_NEAR(near[2].weight, 1.0 / 90100.0, 1e-18);
  EXPECT_NEAR(near[2].distanceM, std::sqrt(90100.0), 1e-9);
  // Within 200 m only the first two; none within 5 m; on a station: that one alone.
  EXPECT_EQ(nearestStations(10, 0, positions, 3, 2.0, 200.0).size(), 2u);
  EXPECT_TRUE(nearestStations(10, 0, positions, 3, 2.0, 5.0).empty());
  near = nearestStations(100, 0, positions, 3, 2.0, 0.0);
  ASSERT_EQ(near.size(), 1u);
  EXPECT_EQ(near[0].station, 1u);
  EXPECT_DOUBLE_EQ(near[0].weight, 1.0);
}

}  // namespace
}  // namespace greentwin::air_quality
