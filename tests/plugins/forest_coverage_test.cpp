// The forest plugin's coverage KPIs on hand-made geometry whose answers are known: #17 forest coverage with
// overlapping parcels counted once, #18 park service coverage of a 1 km square of homes with a park at a corner.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "coverage.hpp"
#include "forest_test_shapes.hpp"

namespace greentwin::forest {
namespace {

using testing::box;

constexpr double kPi = 3.14159265358979323846;

// #17: a 1 km square district (given as two halves), forest parcels overlapping and one half outside it.
class ForestCoverageTest : public ::testing::TestWithParam<Method> {};

TEST_P(ForestCoverageTest, OverlapsCountedOnceAndOnlyInsideTheDistrict) {
  Geos geos;
  GeometryIssues issues;
  const std::vector<Shape> district{box(0, 0, 500, 1000), box(500, 0, 1000, 1000)};
  std::vector<Parcel> parcels{
      {"forest", box(0, 0, 400, 500)},        // 200,000
      {"forest", box(200, 0, 600, 500)},      // overlaps the first by 200 x 500: union [0, 600] x [0, 500] = 300,000
      {"forest", box(900, 0, 1100, 100)},     // half outside: 10,000 inside
      {"park", box(700, 700, 800, 800)},      // not forest land
      {"green_belt", box(0, 900, 100, 1000)}, // forest land only when the setting says so
  };
  ForestCoverage c = forestCoverage(geos, district, parcels, {"forest"}, issues, issues, GetParam());
  EXPECT_NEAR(c.districtAreaM2, 1e6, 1e-6);
  EXPECT_NEAR(c.forestAreaM2, 310000.0, 1e-6);
  EXPECT_NEAR(c.sharePct(), 31.0, 1e-9);

  c = forestCoverage(geos, district, parcels, parseKinds("forest, green_belt"), issues, issues, GetParam());
  EXPECT_NEAR(c.sharePct(), 32.0, 1e-9);

  // A self-intersecting parcel is repaired (two triangles of 2,500 m2), one with NaN coordinates is left out.
  parcels.push_back({"forest", Shape{PolygonShape{{Ring{{700, 0}, {800, 100}, {800, 0}, {700, 100}}}}}});
  parcels.push_back({"forest", box(0, 0, 1000, std::numeric_limits<double>::quiet_NaN())});
  issues = {};
  c = forestCoverage(geos, district, parcels, {"forest"}, issues, issues, GetParam());
  EXPECT_NEAR(c.forestAreaM2, 315000.0, 1e-6);
  EXPECT_EQ(issues.repaired, 1u);
  EXPECT_EQ(issues.nonFinite, 1u);
  EXPECT_EQ(issues.total(), 2u);

  // No district: no share.
  c = forestCoverage(geos, {}, parcels, {"forest"}, issues, issues, GetParam());
  EXPECT_EQ(c.districtAreaM2, 0.0);
  EXPECT_EQ(c.sharePct(), 0.0);
}

// #18: homes on [0, 1000]^2 as 10 x 10 features of 100 m, a 100 m x 100 m park just off the corner (0, 0).
class ParkServiceTest : public ::testing::TestWithParam<Method> {
 protected:
  static std::vector<Shape> homes() {
    std::vector<Shape> out;
    for (int j = 0; j < 10; ++j) {
      for (int i = 0; i < 10; ++i) out.push_back(box(i * 100.0, j * 100.0, i * 100.0 + 100, j * 100.0 + 100));
    }
    return out;
  }
  static std::uint8_t flag(const ParkService& s, int i, int j) { return s.covered[static_cast<std::size_t>(j * 10 + i)]; }
};

// The part of the square within 500 m of the park is the quarter disc of radius 500 around (0, 0), drawn by GEOS
// with quadrantSegments chords whose vertices lie on the circle: q x r^2 / 2 x sin(pi / 2q).
double quarterDisc(int q) { return q * 500.0 * 500.0 / 2.0 * std::sin(kPi / (2.0 * q)); }

TEST_P(ParkServiceTest, ParkInACornerServesAQuarterDisc) {
  Geos geos;
  GeometryIssues issues;
  const std::vector<Parcel> greens{
      {"park", box(-100, -100, 0, 0)},        // 10,000 m2: counts
      {"park", box(1000, 1000, 1060, 1060)},  // 3,600 m2 < 5,000: does not count
      {"forest", box(-100, 1000, 0, 1100)},   // not a park
  };
  ParkServiceOptions options;  // parks >= 5000 m2, 500 m, 16 segments per quarter
  const ParkService s = parkService(geos, greens, homes(), options, issues, issues, GetParam());
  EXPECT_EQ(s.parks, 1u);
  EXPECT_NEAR(s.residentialAreaM2, 1e6, 1e-6);
  EXPECT_NEAR(s.coveredAreaM2, quarterDisc(16), 1e-6 * quarterDisc(16));
  EXPECT_NEAR(s.sharePct(), 100.0 * kPi * 500 * 500 / 4 / 1e6, 0.05);  // the true quarter disc: 19.635 %
  EXPECT_EQ(issues.total(), 0u);
  // Flags: the corner cell and the cell at x 400-500 next to the edge (x^2 + 100^2 <= 500^2 for x <= 489.9: ~99 %)
  // are covered; the cell at 400-500 x 300-400 only at its corner, and the far corner not at all.
  EXPECT_EQ(flag(s, 0, 0), 1);
  EXPECT_EQ(flag(s, 4, 0), 1);
  EXPECT_EQ(flag(s, 0, 4), 1);
  EXPECT_EQ(flag(s, 4, 3), 0);
  EXPECT_EQ(flag(s, 9, 9), 0);
  EXPECT_DOUBLE_EQ(s.coveredShare[0], 1.0);
  EXPECT_DOUBLE_EQ(s.coveredShare[99], 0.0);
  // Cells whose far corner is within 500 m: (i+1)^2 + (j+1)^2 <= 25 -> 15 cells, all covered; a few more cross the
  // arc with more than half inside.
  int covered = 0;
  for (std::uint8_t f : s.covered) covered += f;
  EXPECT_GE(covered, 15);
  EXPECT_LE(covered, 25);  // within the quarter disc's 19.6 cells' worth plus the cut cells
}

TEST_P(ParkServiceTest, AParkOfExactly5000SquareMetresCountsAndServesItsCorner) {
  Geos geos;
  GeometryIssues issues;
  const std::vector<Parcel> greens{
      {"park", box(-100, -100, 0, 0)},
      {"park", box(1000, 1000, 1100, 1050)},  // 100 x 50 = 5,000 m2 off the far corner: a second quarter disc
  };
  const ParkService s = parkService(geos, greens, homes(), ParkServiceOptions{}, issues, issues, GetParam());
  EXPECT_EQ(s.parks, 2u);
  EXPECT_NEAR(s.coveredAreaM2, 2 * quarterDisc(16), 1e-6 * quarterDisc(16));
  EXPECT_EQ(flag(s, 9, 9), 1);

  // Settings: a larger minimum drops the small park, a 1 km radius covers everything from the first.
  ParkServiceOptions strict;
  strict.minParkAreaM2 = 6000;
  EXPECT_NEAR(parkService(geos, greens, homes(), strict, issues, issues, GetParam()).coveredAreaM2, quarterDisc(16),
              1e-6 * quarterDisc(16));
  ParkServiceOptions wide;
  wide.radiusM = 1500;
  EXPECT_NEAR(parkService(geos, greens, homes(), wide, issues, issues, GetParam()).sharePct(), 100.0, 1e-9);
  // Other kinds as parks: a wetland park counts when parkKinds names it.
  ParkServiceOptions wetlands;
  wetlands.parkKinds = {"wetland"};
  EXPECT_EQ(parkService(geos, greens, homes(), wetlands, issues, issues, GetParam()).parks, 0u);
}

TEST_P(ParkServiceTest, NoParksNoCoverageAndBadHomesLeftOut) {
  Geos geos;
  GeometryIssues issues;
  std::vector<Shape> h = homes();
  h.push_back(Shape{});  // a home without geometry
  const ParkService s = parkService(geos, {}, h, ParkServiceOptions{}, issues, issues, GetParam());
  EXPECT_EQ(s.parks, 0u);
  EXPECT_NEAR(s.residentialAreaM2, 1e6, 1e-6);
  EXPECT_EQ(s.coveredAreaM2, 0.0);
  EXPECT_EQ(s.covered.size(), 101u);
  EXPECT_TRUE(std::isnan(s.coveredShare[100]));
  EXPECT_EQ(issues.empty, 1u);
}

// Named by method, so a failure says which one ("Methods/ParkServiceTest.X/Naive").
std::string methodName(const ::testing::TestParamInfo<Method>& info) {
  return info.param == Method::Indexed ? "Indexed" : "Naive";
}
INSTANTIATE_TEST_SUITE_P(Methods, ForestCoverageTest, ::testing::Values(Method::Indexed, Method::Naive), methodName);
INSTANTIATE_TEST_SUITE_P(Methods, ParkServiceTest, ::testing::Values(Method::Indexed, Method::Naive), methodName);

TEST(ForestKinds, ParseKinds) {
  EXPECT_EQ(parseKinds("forest"), (std::set<std::string>{"forest"}));
  EXPECT_EQ(parseKinds(" forest ,green_belt,, "), (std::set<std::string>{"forest", "green_belt"}));
  EXPECT_TRUE(parseKinds("").empty());
}

}  // namespace
}  // namespace greentwin::forest
