// The traffic plugin's bus-stop coverage (plugins/traffic/coverage.hpp, GEOS): hand-made footprints and stops
// whose answer is worked out below, an area filter, and a larger random case against a brute-force count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

#include "coverage.hpp"

namespace greentwin::traffic {
namespace {

// A w x h rectangle centred at (cx, cy), as an open ring.
Ring rect(double cx, double cy, double w, double h) {
  return {{cx - w / 2, cy - h / 2}, {cx + w / 2, cy - h / 2}, {cx + w / 2, cy + h / 2}, {cx - w / 2, cy + h / 2}};
}
Polygons square(double cx, double cy) { return {{rect(cx, cy, 10, 10)}}; }

CoverageInput handMade() {
  CoverageInput in;
  in.radiusM = 500;
  in.stops = {{0, 0}, {2000, 0}, {std::numeric_limits<double>::quiet_NaN(), 5}};  // the NaN stop is ignored
  in.buildings = {
      square(400, 0),       // 1: 400 m from (0,0): covered
      square(300, 400),     // 2: exactly 500 m from (0,0): covered (within means <=)
      {{rect(0, 550, 10, 200)}},  // 3: footprint reaches y = 450 (within 500 m) but its centroid (0, 550) does not
      square(1000, 0),      // 4: 1000 m from both stops
      square(2000, -499),   // 5: 499 m from (2000, 0): covered
      {{rect(-700, 0, 10, 10)}, {rect(-300, 0, 10, 10)}},  // 6: two equal parts, centroid (-500, 0): covered
      // 7: outer 100 x 100 centred (0, 505) with an 80 x 40 hole centred (0, 525): centroid
      // y = (10000 * 505 - 3200 * 525) / 6800 = 495.59: covered (without the hole it would be 505: not).
      {{rect(0, 505, 100, 100), rect(0, 525, 80, 40)}},
      {{{{0, 0}, {10, 10}}}},  // 8: two vertices: no polygon, skipped
  };
  return in;
}

TEST(BusStopCoverage, HandMadeGeometry) {
  const CoverageOutcome out = busStopCoverage(handMade());
  ASSERT_TRUE(out.error.empty()) << out.error;
  EXPECT_EQ(out.result.skipped, 1u);
  EXPECT_EQ(out.result.buildings, 7u);
  EXPECT_EQ(out.result.covered, 5u);  // 1, 2, 5, 6, 7
  EXPECT_NEAR(out.result.sharePct(), 100.0 * 5 / 7, 1e-12);
  EXPECT_EQ(out.result.outsideArea, 0u);
}

TEST(BusStopCoverage, RadiusAndArea) {
  CoverageInput in = handMade();
  in.radiusM = 450;  // now 2 (500 m), 5 (499 m), 6 (500 m) and 7 (495.6 m) are out: only 1 (400 m) remains
  EXPECT_EQ(busStopCoverage(in).result.covered, 1u);

  // Only centroids inside x in [-100, 2100], y in [-600, 450]: buildings 1 (400,0), 2 (300,400), 4 (1000,0) and
  // 5 (2000,-499); 1, 2 and 5 covered; 3, 6 and 7 outside.
  in = handMade();
  in.area = {{rect(1000, -75, 2200, 1050)}};
  const CoverageOutcome out = busStopCoverage(in);
  ASSERT_TRUE(out.error.empty()) << out.error;
  EXPECT_EQ(out.result.buildings, 4u);
  EXPECT_EQ(out.result.covered, 3u);
  EXPECT_EQ(out.result.outsideArea, 3u);

  // No stops: nothing covered; an unusable area is an error value.
  in = handMade();
  in.stops.clear();
  EXPECT_EQ(busStopCoverage(in).result.covered, 0u);
  in = handMade();
  in.area = {{{{0, 0}}}};
  EXPECT_FALSE(busStopCoverage(in).error.empty());
}

TEST(BusStopCoverage, AgreesWithBruteForceOnARandomTown) {
  // 3000 squares and 200 stops over 10 x 10 km (a fixed LCG): the STRtree answer equals checking every pair.
  std::uint64_t state = 12345;
  const auto next = [&] {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return static_cast<double>(state >> 11) / 9007199254740992.0 * 10000.0;
  };
  CoverageInput in;
  std::vector<Point> centres;
  for (int i = 0; i < 200; ++i) in.stops.push_back({next(), next()});
  for (int i = 0; i < 3000; ++i) {
    centres.push_back({next(), next()});
    in.buildings.push_back(square(centres.back().x, centres.back().y));
  }
  std::size_t expected = 0;
  for (const Point& c : centres) {
    for (const Point& s : in.stops) {
      if (std::hypot(c.x - s.x, c.y - s.y) <= 500.0) {
        ++expected;
        break;
      }
    }
  }
  const CoverageOutcome out = busStopCoverage(in);
  ASSERT_TRUE(out.error.empty());
  EXPECT_EQ(out.result.buildings, 3000u);
  EXPECT_EQ(out.result.covered, expected);
  EXPECT_GT(expected, 300u);
  EXPECT_LT(expected, 2900u);
}

}  // namespace
}  // namespace greentwin::traffic
