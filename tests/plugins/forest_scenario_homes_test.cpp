// The homes a what-if scenario takes away and adds for #18 (plugins/forest/scenario_homes.hpp).
#include <gtest/gtest.h>

#include <algorithm>

#include "forest_test_shapes.hpp"
#include "scenario_homes.hpp"

namespace greentwin::forest {
namespace {

using testing::box;
using Kind = BuildingEdit::Kind;

const std::set<std::string> kResidential{"residential"};

ResidentialIndex index() {
  ResidentialIndex i;
  i.homes = {{"h0", 0}, {"h1", 1}, {"h2", 2}};
  i.others = {{"o1", box(0, 0, 10, 10)}, {"o2", box(20, 0, 40, 10)}};
  return i;
}

BuildingEdit edit(Kind kind, std::vector<std::string> ids, std::string use = {}) {
  BuildingEdit e;
  e.kind = kind;
  e.ids = std::move(ids);
  e.use = std::move(use);
  return e;
}

BuildingEdit added(std::string id, std::string use, Shape shape) {
  BuildingEdit e;
  e.kind = Kind::Add;
  e.id = std::move(id);
  e.use = std::move(use);
  e.shape = std::move(shape);
  return e;
}

std::vector<std::size_t> sorted(std::vector<std::size_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

TEST(HomeChanges, RemovingAHomeOrGivingItAnotherUseTakesItAway) {
  const auto c = homeChanges({edit(Kind::Remove, {"h0"}), edit(Kind::SetUse, {"h2", "h2"}, "office")}, kResidential,
                             index());
  EXPECT_EQ(sorted(c.removed), (std::vector<std::size_t>{0, 2}));
  EXPECT_TRUE(c.added.empty());
}

TEST(HomeChanges, AResidentialUseOnAnotherBuildingOrANewResidentialBuildingAddsAHome) {
  const Shape footprint = box(100, 100, 130, 120);
  const auto c = homeChanges({edit(Kind::SetUse, {"o2"}, "residential"), added("new-1", "residential", footprint),
                              added("new-2", "office", box(0, 0, 1, 1))},
                             kResidential, index());
  EXPECT_TRUE(c.removed.empty());
  ASSERT_EQ(c.added.size(), 2u);  // o2's footprint (20 x 10 m) and new-1's (30 x 20 m); new-2 is no home
  std::vector<double> areas{shapeArea(c.added[0]), shapeArea(c.added[1])};
  std::sort(areas.begin(), areas.end());
  EXPECT_NEAR(areas[0], shapeArea(index().others.at("o2")), 1e-9);
  EXPECT_NEAR(areas[1], shapeArea(footprint), 1e-9);
  EXPECT_NEAR(areas[1], 600.0, 1e-9);
}

TEST(HomeChanges, EditsApplyInOrder) {
  // A home set to office and back is a home again; a new home removed later is none; a removed building's use is
  // not set; unknown ids change nothing.
  const auto c = homeChanges(
      {edit(Kind::SetUse, {"h1"}, "office"), edit(Kind::SetUse, {"h1"}, "residential"),
       added("new-1", "residential", box(0, 0, 5, 5)), edit(Kind::Remove, {"new-1"}), edit(Kind::Remove, {"o1"}),
       edit(Kind::SetUse, {"o1"}, "residential"), edit(Kind::Remove, {"nobody"}),
       edit(Kind::SetUse, {"ghost"}, "residential")},
      kResidential, index());
  EXPECT_TRUE(c.removed.empty());
  EXPECT_TRUE(c.added.empty());
  EXPECT_EQ(c.unknownIds, 2u);  // "nobody" and "ghost"
}

}  // namespace
}  // namespace greentwin::forest
