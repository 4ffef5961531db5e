// The energy plugin's floor area: shoelace footprints with holes, multipolygons, and the storey count from
// `floors`, else from `height_m` / 3.2 m, else 1; the footprint's centroid. Areas computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "floor_area.hpp"

namespace greentwin::energy {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Ring rectangle(double x0, double y0, double w, double h, bool clockwise = false) {
  Ring r{{x0, y0}, {x0 + w, y0}, {x0 + w, y0 + h}, {x0, y0 + h}};
  if (clockwise) return Ring(r.rbegin(), r.rend());
  return r;
}

TEST(EnergyFloorArea, ShoelaceAreaOfRingsWithSignByOrientation) {
  EXPECT_DOUBLE_EQ(signedRingArea(rectangle(0, 0, 10, 10)), 100.0);
  EXPECT_DOUBLE_EQ(signedRingArea(rectangle(0, 0, 10, 10, true)), -100.0);
  // A closed ring (first vertex repeated) has the same area.
  Ring closed = rectangle(0, 0, 10, 10);
  closed.push_back(closed.front());
  EXPECT_DOUBLE_EQ(signedRingArea(closed), 100.0);
  // A right triangle with legs 4 and 3 far from the origin (scene coordinates): 6 m2.
  EXPECT_NEAR(signedRingArea({{500000, -300000}, {500004, -300000}, {500000, -299997}}), 6.0, 1e-9);
  EXPECT_EQ(signedRingArea({{0, 0}, {1, 1}}), 0.0);  // not a ring
}

TEST(EnergyFloorArea, HolesAreSubtractedWhateverTheirOrientation) {
  // 10 x 10 with a 2 x 3 courtyard: 100 - 6 = 94.
  const Polygon courtyard{{rectangle(0, 0, 10, 10), rectangle(2, 2, 2, 3)}};
  EXPECT_DOUBLE_EQ(polygonArea(courtyard), 94.0);
  const Polygon courtyardCw{{rectangle(0, 0, 10, 10, true), rectangle(2, 2, 2, 3, true)}};
  EXPECT_DOUBLE_EQ(polygonArea(courtyardCw), 94.0);
  // Two parts: 94 + a 3 x 2 annex = 100.
  EXPECT_DOUBLE_EQ(footprintArea({courtyard, Polygon{{rectangle(20, 0, 3, 2)}}}), 100.0);
  // Broken data: a hole larger than its exterior gives 0, not a negative area; no rings give 0.
  EXPECT_EQ(polygonArea(Polygon{{rectangle(0, 0, 1, 1), rectangle(0, 0, 2, 2)}}), 0.0);
  EXPECT_EQ(polygonArea(Polygon{}), 0.0);
  EXPECT_EQ(footprintArea({}), 0.0);
}

TEST(EnergyFloorArea, CentroidOfTheFootprintWithHolesAndParts) {
  // 10 x 10 with a 2 x 3 courtyard at (2, 2): x = (100 x 5 - 6 x 3) / 94, y = (100 x 5 - 6 x 3.5) / 94.
  const Polygon courtyard{{rectangle(0, 0, 10, 10), rectangle(2, 2, 2, 3, true)}};
  auto c = footprintCentroid({courtyard});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->x, 482.0 / 94.0, 1e-12);
  EXPECT_NEAR(c->y, 479.0 / 94.0, 1e-12);
  // Two equal squares far from the origin, one clockwise: halfway between them.
  c = footprintCentroid({Polygon{{rectangle(500000, 0, 2, 2)}}, Polygon{{rectangle(500010, 0, 2, 2, true)}}});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->x, 500006.0, 1e-9);
  EXPECT_NEAR(c->y, 1.0, 1e-9);
  EXPECT_FALSE(footprintCentroid({}));
  EXPECT_FALSE(footprintCentroid({Polygon{{Ring{{0, 0}, {1, 1}, {2, 2}}}}}));  // no area
  EXPECT_FALSE(footprintCentroid({Polygon{{rectangle(kNaN, 0, 1, 1)}}}));
}

TEST(EnergyFloorArea, FloorsFromTheAttributeElseFromHeightElseOne) {
  Floors f = floorsOf(6.0, 40.0);  // the attribute wins over the height
  EXPECT_EQ(f.count, 6.0);
  EXPECT_EQ(f.from, FloorsFrom::Attribute);
  f = floorsOf(std::nullopt, 19.2);  // 19.2 / 3.2 = 6
  EXPECT_EQ(f.count, 6.0);
  EXPECT_EQ(f.from, FloorsFrom::Height);
  f = floorsOf(0.0, 20.8);  // floors 0 is not a storey count; 20.8 / 3.2 = 6.5 -> 7 (rounded half up)
  EXPECT_EQ(f.count, 7.0);
  EXPECT_EQ(f.from, FloorsFrom::Height);
  f = floorsOf(kNaN, 1.0);  // 1.0 / 3.2 rounds to 0: at least one storey
  EXPECT_EQ(f.count, 1.0);
  EXPECT_EQ(f.from, FloorsFrom::Height);
  f = floorsOf(std::nullopt, kNaN);
  EXPECT_EQ(f.count, 1.0);
  EXPECT_EQ(f.from, FloorsFrom::Default);
  f = floorsOf(-2.0, 0.0);
  EXPECT_EQ(f.count, 1.0);
  EXPECT_EQ(f.from, FloorsFrom::Default);
  // The courtyard building on 6 floors: 94 x 6 = 564 m2.
  const Polygon courtyard{{rectangle(0, 0, 10, 10), rectangle(2, 2, 2, 3)}};
  EXPECT_DOUBLE_EQ(polygonArea(courtyard) * floorsOf(std::nullopt, 19.2).count, 564.0);
}

}  // namespace
}  // namespace greentwin::energy
