// The forest plugin's classes: canopy cover (GB/T 26424 closure classes), LAI (ours), the GB/T 36743-2018 fire
// danger levels with our fire_risk cut points, and the park coverage flag.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "classes.hpp"

namespace greentwin::forest {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(ForestClasses, CanopyCoverClassesFollowTheClosureClasses) {
  EXPECT_EQ(canopyClass(0.0), 1);
  EXPECT_EQ(canopyClass(9.99), 1);
  EXPECT_EQ(canopyClass(10.0), 1);  // on a bound: the lower class
  EXPECT_EQ(canopyClass(10.01), 2);
  EXPECT_EQ(canopyClass(19.9), 2);   // 疏林地 0.10-0.19
  EXPECT_EQ(canopyClass(20.5), 3);   // 疏 0.20-0.39
  EXPECT_EQ(canopyClass(55.0), 4);   // 中 0.40-0.69
  EXPECT_EQ(canopyClass(70.0), 4);
  EXPECT_EQ(canopyClass(70.1), 5);   // 密 >= 0.70
  EXPECT_EQ(canopyClass(100.0), 5);
  EXPECT_EQ(canopyClass(150.0), 5);
  EXPECT_EQ(canopyClass(kNaN), 0);
  EXPECT_EQ(canopyClass(-1.0), 0);
  EXPECT_EQ(canopyClass(std::numeric_limits<double>::infinity()), 0);
  EXPECT_EQ(std::string(canopyClasses()[4].nameZh).substr(0, 3), "密");
}

TEST(ForestClasses, LaiClasses) {
  EXPECT_EQ(laiClass(0.2), 1);
  EXPECT_EQ(laiClass(1.0), 1);
  EXPECT_EQ(laiClass(1.5), 2);
  EXPECT_EQ(laiClass(2.5), 3);
  EXPECT_EQ(laiClass(3.99), 4);
  EXPECT_EQ(laiClass(4.5), 5);
  EXPECT_EQ(laiClass(kNaN), 0);
}

TEST(ForestClasses, FireDangerLevelsByOurCutPointsWithTheStandardsNamesAndColours) {
  // fire_risk 0-100 -> level: <= 25, <= 50, <= 72, <= 90, above (the LY/T 1172-1995 ranges).
  EXPECT_EQ(fireDangerLevel(0.0), 1);
  EXPECT_EQ(fireDangerLevel(25.0), 1);
  EXPECT_EQ(fireDangerLevel(25.5), 2);
  EXPECT_EQ(fireDangerLevel(50.0), 2);
  EXPECT_EQ(fireDangerLevel(51.0), 3);
  EXPECT_EQ(fireDangerLevel(72.0), 3);
  EXPECT_EQ(fireDangerLevel(73.0), 4);
  EXPECT_EQ(fireDangerLevel(90.0), 4);
  EXPECT_EQ(fireDangerLevel(90.5), 5);
  EXPECT_EQ(fireDangerLevel(100.0), 5);
  EXPECT_EQ(fireDangerLevel(kNaN), 0);
  EXPECT_EQ(fireDangerLevel(-3.0), 0);

  // The classifier works on the level: bounds halfway between levels put each level in its own class.
  const auto bounds = fireDangerLevelUpperBounds();
  for (int level = 1; level <= 5; ++level) {
    int cls = 0;
    while (cls < 4 && level > bounds[static_cast<std::size_t>(cls)]) ++cls;
    EXPECT_EQ(cls, level - 1);
  }
  // GB/T 36743-2018: 一级 低 green, 二级 较低 blue, 三级 较高 yellow, 四级 高 orange, 五级 极高 red.
  const auto& c = fireDangerClasses();
  EXPECT_EQ(std::string(c[0].nameZh), "一级 低火险");
  EXPECT_EQ(std::string(c[1].nameZh), "二级 较低火险");
  EXPECT_EQ(std::string(c[2].nameZh), "三级 较高火险");
  EXPECT_EQ(std::string(c[3].nameZh), "四级 高火险");
  EXPECT_EQ(std::string(c[4].nameZh), "五级 极高火险");
  EXPECT_GT(c[0].rgb[1], c[0].rgb[0]);  // green
  EXPECT_GT(c[1].rgb[2], c[1].rgb[0]);  // blue
  EXPECT_GT(c[2].rgb[1], 200);          // yellow: red and green high
  EXPECT_GT(c[2].rgb[0], 200);
  EXPECT_EQ(c[4].rgb[1], 0);            // red
  EXPECT_GT(c[3].rgb[1], c[4].rgb[1]);  // orange: some green
}

TEST(ForestClasses, ParkCoverageTwoClasses) {
  EXPECT_EQ(std::string(parkCoverageClasses()[0].nameEn), "No park within 500 m");
  EXPECT_EQ(std::string(parkCoverageClasses()[1].nameEn), "Park within 500 m");
}

}  // namespace
}  // namespace greentwin::forest
