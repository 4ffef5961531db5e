// The forest KPIs over an area (area_cover.hpp) on hand-made geometry whose answers are known: #17 in an area with
// overlapping parcels counted once, an area with a hole, one partly and one wholly outside the district; the parcels'
// shares of an area; #18 over the homes whose centroid lies in an area.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "area_cover.hpp"
#include "coverage.hpp"
#include "forest_test_shapes.hpp"

namespace greentwin::forest {
namespace {

using testing::box;

// The district [0, 1000]^2 in two halves; forest parcels 0 and 1 overlap ([0, 600] x [0, 500] together), parcel 2 is
// a park, parcel 3 forest half outside the district ([900, 1100] x [0, 100]).
CoverageInputs inputs() {
  CoverageInputs in;
  in.district = {box(0, 0, 500, 1000), box(500, 0, 1000, 1000)};
  in.greens = {{"forest", box(0, 0, 400, 500)},
               {"forest", box(200, 0, 600, 500)},
               {"park", box(700, 700, 800, 800)},
               {"forest", box(900, 0, 1100, 100)}};
  return in;
}

TEST(ForestAreaCover, ForestLandInAnAreaCountsOverlapsOnce) {
  const CoverageResults r = computeCoverage(inputs());
  ASSERT_TRUE(r.index);
  ASSERT_TRUE(r.index->hasDistrict());
  EXPECT_NEAR(r.forest.sharePct(), 31.0, 1e-9);  // 300,000 + 10,000 inside the district

  // [300, 700] x [250, 750], 200,000 m2: forest [300, 600] x [250, 500] = 75,000 (both overlapping parcels in it).
  auto c = r.index->cover(box(300, 250, 700, 750));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->clipped);
  EXPECT_NEAR(c->areaM2, 200000.0, 1e-6);
  EXPECT_NEAR(c->forestM2, 75000.0, 1e-6);
  EXPECT_NEAR(c->forestPct(), 37.5, 1e-9);
  // Parcel 0: [300, 400] x [250, 500] of 200,000; parcel 1: [300, 600] x [250, 500] of 200,000; the park only
  // touches the area's edge (x = 700): not in it.
  ASSERT_EQ(c->parcelShares.size(), 2u);
  EXPECT_EQ(c->parcelShares[0].first, 0u);
  EXPECT_NEAR(c->parcelShares[0].second, 25000.0 / 200000.0, 1e-12);
  EXPECT_EQ(c->parcelShares[1].first, 1u);
  EXPECT_NEAR(c->parcelShares[1].second, 75000.0 / 200000.0, 1e-12);

  // The forest land with a hole of 100 x 100 in the area: 290,000 of 290,000.
  Shape holed = box(0, 0, 600, 500);
  holed[0].rings.push_back(Ring{{100, 100}, {200, 100}, {200, 200}, {100, 200}});
  c = r.index->cover(holed);
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->areaM2, 290000.0, 1e-6);
  EXPECT_NEAR(c->forestPct(), 100.0, 1e-9);
}

TEST(ForestAreaCover, AnAreaIsClippedToTheDistrict) {
  const CoverageResults r = computeCoverage(inputs());
  ASSERT_TRUE(r.index);
  // [900, 1100] x [-100, 100]: only [900, 1000] x [0, 100] is in the district, all of it forest; parcel 3 lies half
  // in that part.
  auto c = r.index->cover(box(900, -100, 1100, 100));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->clipped);
  EXPECT_NEAR(c->areaM2, 10000.0, 1e-6);
  EXPECT_NEAR(c->forestPct(), 100.0, 1e-9);
  ASSERT_EQ(c->parcelShares.size(), 1u);
  EXPECT_EQ(c->parcelShares[0].first, 3u);
  EXPECT_NEAR(c->parcelShares[0].second, 0.5, 1e-12);

  // An area around the whole district gives the district's figure.
  c = r.index->cover(box(-10, -10, 1010, 1010));
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->areaM2, 1e6, 1e-6);
  EXPECT_NEAR(c->forestPct(), r.forest.sharePct(), 1e-9);

  // Wholly outside: no area left; no usable polygon: nullopt.
  c = r.index->cover(box(2000, 2000, 2100, 2100));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->areaM2, 0.0);
  EXPECT_TRUE(c->parcelShares.empty());
  EXPECT_FALSE(r.index->cover(Shape{PolygonShape{{Ring{{0, 0}, {10, 0}}}}}));
}

TEST(ForestAreaCover, WithoutADistrictTheAreaIsTheDenominator) {
  CoverageInputs in = inputs();
  in.district.clear();
  const CoverageResults r = computeCoverage(in);
  ASSERT_TRUE(r.index);
  EXPECT_FALSE(r.index->hasDistrict());
  // No district: the forest land is not united either (#17 has no value), so nothing is forest land; the parcels
  // still have their shares: parcel 3 [900, 1100] x [0, 100] lies wholly in [800, 1200] x [-100, 200].
  const auto c = r.index->cover(box(800, -100, 1200, 200));
  ASSERT_TRUE(c);
  EXPECT_FALSE(c->clipped);
  EXPECT_NEAR(c->areaM2, 120000.0, 1e-6);
  ASSERT_EQ(c->parcelShares.size(), 1u);
  EXPECT_NEAR(c->parcelShares[0].second, 1.0, 1e-12);
}

// #18 in an area from the per-feature results: the homes whose centroid is inside, served area over their area.
TEST(ForestAreaCover, ParkServiceOverTheHomesInAnArea) {
  ParkService park;
  park.areaM2 = {100, 300, 200, std::numeric_limits<double>::quiet_NaN()};
  park.coveredShare = {1.0, 0.5, 0.0, 0.2};
  const std::vector<Point> centroids{{50, 50}, {150, 50}, {250, 50}, {50, 150}};
  // Homes 0 and 1 inside [0, 200] x [0, 100]: (100 + 150) / 400.
  ParkInArea p = parkServiceIn(park, centroids, PointInShape(box(0, 0, 200, 100)));
  EXPECT_EQ(p.homes, 2u);
  EXPECT_NEAR(p.residentialM2, 400.0, 1e-12);
  EXPECT_NEAR(p.coveredM2, 250.0, 1e-12);
  EXPECT_NEAR(p.sharePct(), 62.5, 1e-12);
  // Home 3 (left out by the district method: no area) does not count even inside; no home at all: 0 homes.
  p = parkServiceIn(park, centroids, PointInShape(box(0, 100, 100, 200)));
  EXPECT_EQ(p.homes, 0u);
  EXPECT_EQ(p.sharePct(), 0.0);

  // The district method gives each home's area: two 100 x 100 homes, one without geometry.
  Geos geos;
  GeometryIssues issues;
  const ParkService s = parkService(geos, {{"park", box(-100, -100, 0, 0)}}, {box(0, 0, 100, 100), Shape{}, box(0, 100, 100, 200)},
                                    ParkServiceOptions{}, issues, issues);
  ASSERT_EQ(s.areaM2.size(), 3u);
  EXPECT_NEAR(s.areaM2[0], 10000.0, 1e-6);
  EXPECT_TRUE(std::isnan(s.areaM2[1]));
  EXPECT_NEAR(s.areaM2[2], 10000.0, 1e-6);
}

}  // namespace
}  // namespace greentwin::forest
