// #17 and #18 in a what-if scenario (plugins/forest/scenario_cover.hpp, CoverageIndex::addedForestM2) on hand-made
// geometry: the expected values come from the shapes' areas and distances.
#include <gtest/gtest.h>

#include "area_cover.hpp"
#include "forest_test_shapes.hpp"
#include "scenario_cover.hpp"

namespace greentwin::forest {
namespace {

using testing::box;

// Homes: h0 beside the existing park (served), h1 and h2 3 km away (unserved), h3 even further (stays unserved).
struct Town {
  std::vector<Parcel> greens{{"park", box(0, 100, 100, 200)}};  // 10,000 m2: a park with a service radius
  std::vector<Shape> homes{box(0, 0, 20, 20), box(3000, 0, 3030, 20), box(3040, 0, 3060, 10), box(9000, 0, 9010, 10)};
  ParkServiceOptions options;
};

TEST(ParkScenario, AParkBesideUncoveredHomesRaisesTheCoverageByTheirShare) {
  Town town;
  GeometryIssues a, b;
  const ParkService baseline = parkService(Geos(), town.greens, town.homes, town.options, a, b);
  const double total = 20 * 20 + 30 * 20 + 20 * 10 + 10 * 10;
  ASSERT_NEAR(baseline.sharePct(), 100.0 * (20 * 20) / total, 1e-9);

  // A 100 x 100 m park 100 m north of h1 and h2: both lie wholly within 500 m of its boundary, h3 does not.
  const std::vector<Parcel> added{{"park", box(3000, 120, 3100, 220)}};
  const ParkScenario scenario(town.greens, town.homes, town.options);
  const ParkScenario::Outcome o = scenario.withParcels(baseline, added);
  EXPECT_EQ(o.newParks, 1u);
  EXPECT_EQ(o.homesReached, 2u);
  EXPECT_NEAR(o.sharePct() - baseline.sharePct(), 100.0 * (30 * 20 + 20 * 10) / total, 1e-9);

  // The same as a full run with the park added.
  std::vector<Parcel> all = town.greens;
  all.push_back(added[0]);
  const ParkService full = parkService(Geos(), all, town.homes, town.options, a, b);
  EXPECT_NEAR(o.sharePct(), full.sharePct(), 1e-9);
}

TEST(ParkScenario, ASmallParkOrAnotherKindServesNoOne) {
  Town town;
  GeometryIssues a, b;
  const ParkService baseline = parkService(Geos(), town.greens, town.homes, town.options, a, b);
  const ParkScenario scenario(town.greens, town.homes, town.options);
  const ParkScenario::Outcome small = scenario.withParcels(baseline, {{"park", box(3000, 120, 3050, 170)}});  // 2,500 m2
  EXPECT_EQ(small.newParks, 0u);
  EXPECT_NEAR(small.sharePct(), baseline.sharePct(), 1e-12);
  const ParkScenario::Outcome forest = scenario.withParcels(baseline, {{"forest", box(3000, 120, 3100, 220)}});
  EXPECT_NEAR(forest.sharePct(), baseline.sharePct(), 1e-12);
}

TEST(ParkScenario, AHomePartlyServedByTheOldParkCountsItsUnionOnce) {
  // h: 40 m wide, its west half within 500 m of the old park's east edge (x = 100): x in [580, 620].
  std::vector<Parcel> greens{{"park", box(0, 0, 100, 100)}};
  std::vector<Shape> homes{box(580, 40, 620, 60), box(9000, 0, 9010, 10)};
  ParkServiceOptions options;
  GeometryIssues a, b;
  const ParkService baseline = parkService(Geos(), greens, homes, options, a, b);
  ASSERT_NEAR(baseline.coveredAreaM2, 20 * 20, 1e-6);
  // A new park east of it (west edge x = 1090) serves x in [590, 620]: with the old park's part all of it is
  // served, the overlap [590, 600] counted once.
  const ParkScenario scenario(greens, homes, options);
  const ParkScenario::Outcome o = scenario.withParcels(baseline, {{"park", box(1090, 0, 1190, 100)}});
  EXPECT_EQ(o.homesReached, 1u);
  EXPECT_NEAR(o.coveredAreaM2, 40 * 20, 1e-6);
  EXPECT_NEAR(o.sharePct(), 100.0 * (40 * 20) / (40 * 20 + 10 * 10), 1e-9);
}

TEST(ParkScenario, HomesTakenAwayAndAddedChangeTheShareAsAFullRunWithTheChangedHomes) {
  Town town;
  GeometryIssues a, b;
  const ParkService baseline = parkService(Geos(), town.greens, town.homes, town.options, a, b);
  const ParkScenario scenario(town.greens, town.homes, town.options);
  // h0 (the only served home) is taken away; a new home beside the old park (served in full) and one beside the new
  // park join; h1 stays where the new park reaches it.
  ParkScenario::HomeChanges homes;
  homes.removed = {0, 0};  // named twice, counted once
  homes.added = {box(150, 100, 170, 140), box(3150, 150, 3170, 160)};
  const std::vector<Parcel> added{{"park", box(3000, 120, 3100, 220)}};
  const ParkScenario::Outcome o = scenario.withParcels(baseline, added, homes);
  EXPECT_EQ(o.homesRemoved, 1u);
  EXPECT_EQ(o.homesAdded, 2u);
  EXPECT_EQ(o.homesReached, 3u);  // h1, h2 and the new home beside the new park
  const double total = 30 * 20 + 20 * 10 + 10 * 10 + 20 * 40 + 20 * 10;
  EXPECT_NEAR(o.residentialAreaM2, total, 1e-6);
  EXPECT_NEAR(o.coveredAreaM2, 30 * 20 + 20 * 10 + 20 * 40 + 20 * 10, 1e-6);

  std::vector<Shape> changed{town.homes[1], town.homes[2], town.homes[3], homes.added[0], homes.added[1]};
  std::vector<Parcel> all = town.greens;
  all.push_back(added[0]);
  const ParkService full = parkService(Geos(), all, changed, town.options, a, b);
  EXPECT_NEAR(o.sharePct(), full.sharePct(), 1e-9);
  EXPECT_NEAR(o.residentialAreaM2, full.residentialAreaM2, 1e-6);

  // Without new parks: the homes alone move the share.
  const ParkScenario::Outcome onlyHomes = scenario.withParcels(baseline, {}, homes);
  EXPECT_EQ(onlyHomes.homesReached, 0u);
  EXPECT_NEAR(onlyHomes.coveredAreaM2, 20 * 40, 1e-6);
  const ParkService fullHomes = parkService(Geos(), town.greens, changed, town.options, a, b);
  EXPECT_NEAR(onlyHomes.sharePct(), fullHomes.sharePct(), 1e-9);
}

TEST(CoverageIndex, NewForestLandCountsOnlyItsPartInsideTheDistrictThatIsNotForestAlready) {
  CoverageInputs in;
  in.district = {box(0, 0, 1000, 1000)};
  in.greens = {{"forest", box(0, 0, 200, 100)}};
  const CoverageResults r = computeCoverage(in);
  ASSERT_NEAR(r.forest.forestAreaM2, 200 * 100, 1e-6);
  // New parcel [100, 300] x [0, 100]: half over the old forest; and [900, 1100] x [900, 1000]: half outside.
  const double added = r.index->addedForestM2({box(100, 0, 300, 100), box(900, 900, 1100, 1000)});
  EXPECT_NEAR(added, 100 * 100 + 100 * 100, 1e-6);
}

}  // namespace
}  // namespace greentwin::forest
