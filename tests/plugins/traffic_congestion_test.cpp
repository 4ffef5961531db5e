// The traffic plugin's congestion methods (plugins/traffic/congestion.hpp): a link's level at and around every
// boundary speed, by ratio and by DB11/T 785's speed limits per class, and the network index of a hand-made
// network against values computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "congestion.hpp"

namespace greentwin::traffic {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

int ratioLevel(double speed, double free) {
  const auto l = levelByRatio(speed, free);
  EXPECT_TRUE(l.has_value()) << speed << " / " << free;
  return l.value_or(-1);
}

TEST(CongestionByRatio, EachBoundarySpeedIsInTheWorseLevel) {
  // Free-flow 60 km/h: limits 2/3, 1/2, 1/3, 1/4 of it are 40, 30, 20, 15 km/h (the standard's arterial row).
  EXPECT_EQ(ratioLevel(60, 60), 1);
  EXPECT_EQ(ratioLevel(40.001, 60), 1);
  EXPECT_EQ(ratioLevel(40, 60), 2);  // exactly 2/3: basically smooth (the standard: 30 < v <= 40)
  EXPECT_EQ(ratioLevel(30.001, 60), 2);
  EXPECT_EQ(ratioLevel(30, 60), 3);
  EXPECT_EQ(ratioLevel(20.001, 60), 3);
  EXPECT_EQ(ratioLevel(20, 60), 4);
  EXPECT_EQ(ratioLevel(15.001, 60), 4);
  EXPECT_EQ(ratioLevel(15, 60), 5);
  EXPECT_EQ(ratioLevel(0, 60), 5);
  // Free-flow 30 km/h (a demo local street): 20, 15, 10, 7.5 km/h.
  EXPECT_EQ(ratioLevel(20, 30), 2);
  EXPECT_EQ(ratioLevel(15, 30), 3);
  EXPECT_EQ(ratioLevel(10, 30), 4);
  EXPECT_EQ(ratioLevel(7.5, 30), 5);
  EXPECT_EQ(ratioLevel(7.6, 30), 4);
  // Faster than free flow is smooth.
  EXPECT_EQ(ratioLevel(120, 100), 1);
}

TEST(CongestionByRatio, UnusableInputsHaveNoLevel) {
  EXPECT_FALSE(levelByRatio(kNaN, 60));
  EXPECT_FALSE(levelByRatio(30, kNaN));
  EXPECT_FALSE(levelByRatio(-1, 60));
  EXPECT_FALSE(levelByRatio(30, 0));
  EXPECT_FALSE(levelByRatio(30, -50));
  EXPECT_FALSE(levelByRatio(std::numeric_limits<double>::infinity(), 60));
}

TEST(CongestionBySpeedLimits, TheStandardsTableAtEachBoundary) {
  // DB11/T 785-2011: expressway 65/50/35/20, arterial 40/30/20/15, secondary and local 35/25/15/10 km/h; a speed
  // equal to a limit is in the worse level.
  const struct {
    RoadClass c;
    double limits[4];
  } rows[] = {{RoadClass::Expressway, {65, 50, 35, 20}},
              {RoadClass::Arterial, {40, 30, 20, 15}},
              {RoadClass::Secondary, {35, 25, 15, 10}},
              {RoadClass::Local, {35, 25, 15, 10}}};
  for (const auto& row : rows) {
    for (int i = 0; i < 4; ++i) {
      EXPECT_EQ(levelBySpeedLimits(row.c, row.limits[i]), i + 2) << "at limit " << row.limits[i];
      EXPECT_EQ(levelBySpeedLimits(row.c, row.limits[i] + 0.01), i + 1) << "above limit " << row.limits[i];
    }
    EXPECT_EQ(levelBySpeedLimits(row.c, 0), 5);
  }
  EXPECT_EQ(levelBySpeedLimits(RoadClass::Expressway, 80), 1);
  EXPECT_FALSE(levelBySpeedLimits(RoadClass::Arterial, kNaN));
  EXPECT_EQ(roadClassOf("arterial"), RoadClass::Arterial);
  EXPECT_EQ(roadClassOf("支路"), RoadClass::Local);
  EXPECT_FALSE(roadClassOf("footway"));
}

TEST(CongestionClasses, FiveNamedLevelsInOrder) {
  const auto& c = congestionClasses();
  ASSERT_EQ(c.size(), 5u);
  EXPECT_STREQ(c[0].nameZh, "畅通");
  EXPECT_STREQ(c[1].nameZh, "基本畅通");
  EXPECT_STREQ(c[2].nameZh, "轻度拥堵");
  EXPECT_STREQ(c[3].nameZh, "中度拥堵");
  EXPECT_STREQ(c[4].nameZh, "严重拥堵");
  EXPECT_STREQ(c[4].nameEn, "Severe congestion");
  for (int i = 0; i < 5; ++i) EXPECT_EQ(c[static_cast<std::size_t>(i)].level, i + 1);
}

TEST(NetworkIndex, AnchorsAndInterpolation) {
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(0), 0);
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(4), 2);
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(8), 4);
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(11), 6);
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(14), 8);
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(24), 10);
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(2), 1);     // halfway 0..4
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(9.5), 5);   // halfway 8..11
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(19), 9);    // halfway 14..24
  EXPECT_DOUBLE_EQ(tpiFromSevereShare(60), 10);   // capped
  EXPECT_EQ(tpiGrade(0), 1);
  EXPECT_EQ(tpiGrade(1.99), 1);
  EXPECT_EQ(tpiGrade(2), 2);
  EXPECT_EQ(tpiGrade(7.5), 4);
  EXPECT_EQ(tpiGrade(10), 5);
  EXPECT_EQ(tpiGrade(kNaN), 0);
}

TEST(NetworkIndex, HandMadeNetwork) {
  // Links with a level and a positive weight: 1000 + 2000 + 500 + 1500 + 400 + 600 = 6000 (6 links); the one
  // without a level, the severe one weighing 0 and the NaN weight are left out. Severe: 400 / 6000 = 6.667 %, so
  // the index is 2 + 2 * (6.667 - 4) / 4 = 3.333 (grade 2, basically smooth).
  const std::vector<LinkState> links = {
      {1, 1000}, {2, 2000}, {3, 500}, {4, 1500}, {5, 400}, {0, 900}, {5, 0}, {2, kNaN}, {1, 600},
  };
  const auto index = networkIndex(links);
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(index->links, 6u);
  EXPECT_DOUBLE_EQ(index->weightTotal, 6000);
  EXPECT_NEAR(index->severeSharePct, 100.0 * 400 / 6000, 1e-12);
  EXPECT_NEAR(index->index, 2 + 2 * (100.0 * 400 / 6000 - 4) / 4, 1e-12);
  EXPECT_EQ(index->grade, 2);

  // Another: 3 links of 100 m, one severe -> 33.3 %: above the last anchor, index 10, grade 5.
  const auto jammed = networkIndex({{5, 100}, {1, 100}, {3, 100}});
  ASSERT_TRUE(jammed);
  EXPECT_DOUBLE_EQ(jammed->index, 10);
  EXPECT_EQ(jammed->grade, 5);
  // 25 links of 1 km, 3 severe -> 12 %: 6 + 2 * 1 / 3.
  std::vector<LinkState> grid(25, LinkState{2, 1000});
  grid[0].level = grid[7].level = grid[19].level = 5;
  EXPECT_NEAR(networkIndex(grid)->index, 6 + 2.0 / 3.0, 1e-12);
  EXPECT_FALSE(networkIndex({}));
  EXPECT_FALSE(networkIndex({{0, 100}, {3, 0}}));
}

}  // namespace
}  // namespace greentwin::traffic
