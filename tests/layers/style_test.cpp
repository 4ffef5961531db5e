#include "greentwin/layers/style.hpp"

#include <gtest/gtest.h>

namespace gt::layers {
namespace {

TEST(ColorRule, SingleUsesTheFillColour) {
  LayerStyleConfig style;
  style.fillColor = "#ff0000";
  auto rule = ColorRule::fromConfig("l", style);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->classOf({}), 0);
  EXPECT_FLOAT_EQ(rule->colorOf({}, {0, 0, 0, 0})[0], 1.0f);
}

TEST(ColorRule, CategoricalMapsValuesAndOther) {
  LayerStyleConfig style;
  style.colorMode = "categorical";
  style.colorBy = "use";
  style.categories = {{"office", "#0000ff"}, {"residential", "#00ff00"}};
  style.categoryNamesZh = {{"residential", "住宅"}};
  auto rule = ColorRule::fromConfig("l", style);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->classOf({{"use", std::string("residential")}}), 1);
  EXPECT_EQ(rule->classOf({{"use", std::string("factory")}}), 2);  // other
  EXPECT_EQ(rule->classOf({}), 2);
  const auto legend = rule->legend("L", "图", LegendEntry::Shape::Fill);
  ASSERT_EQ(legend.size(), 3u);
  EXPECT_EQ(legend[0].labelEn, "office");
  EXPECT_EQ(legend[0].labelZh, "office");  // no Chinese name given: the value
  EXPECT_EQ(legend[1].labelZh, "住宅");
  EXPECT_EQ(legend[2].labelZh, "其他");
}

TEST(ColorRule, GraduatedClassifiesByBreaks) {
  LayerStyleConfig style;
  style.colorMode = "graduated";
  style.colorBy = "kwh";
  style.breaks = {50, 100};
  style.colors = {"#000000", "#808080", "#ffffff"};
  auto rule = ColorRule::fromConfig("l", style);
  ASSERT_TRUE(rule);
  EXPECT_EQ(rule->classOfNumber(10), 0);
  EXPECT_EQ(rule->classOfNumber(50), 1);  // a break belongs to the class above it
  EXPECT_EQ(rule->classOfNumber(99.9), 1);
  EXPECT_EQ(rule->classOfNumber(1e9), 2);
  EXPECT_EQ(rule->classOf({{"kwh", std::int64_t{75}}}), 1);
  EXPECT_EQ(rule->classOf({{"kwh", std::string("120")}}), 2);
  EXPECT_FALSE(rule->classOf({{"kwh", std::string("n/a")}}).has_value());
  EXPECT_FALSE(rule->classOf({}).has_value());
  EXPECT_EQ(rule->legend("", "", LegendEntry::Shape::Fill)[0].labelEn, "< 50");
}

// Class names (a classifier's labels) name the legend's rows in each language, with the interval beside them.
TEST(ColorRule, GraduatedLegendNamesItsClasses) {
  LayerStyleConfig style;
  style.colorMode = "graduated";
  style.colorBy = "level";
  style.breaks = {2, 4};
  style.colors = {"#00ff00", "#ffff00", "#ff0000"};
  style.classNamesEn = {"smooth", "slow", "jammed"};
  style.classNamesZh = {"畅通", "缓行", "拥堵"};
  auto rule = ColorRule::fromConfig("l", style);
  ASSERT_TRUE(rule);
  const auto legend = rule->legend("", "", LegendEntry::Shape::Line);
  ASSERT_EQ(legend.size(), 3u);
  EXPECT_EQ(legend[0].labelEn, "smooth (< 2)");
  EXPECT_EQ(legend[1].labelZh, "缓行（2 – 4）");
  EXPECT_EQ(legend[2].labelEn, "jammed (>= 4)");
  style.classNamesEn = {"only one"};  // not one per class: the intervals alone
  EXPECT_EQ(ColorRule::fromConfig("l", style)->legend("", "", LegendEntry::Shape::Line)[0].labelEn, "< 2");
}

TEST(ColorRule, InvalidRulesAreErrorsNamingTheLayer) {
  LayerStyleConfig style;
  style.colorMode = "graduated";
  style.colorBy = "x";
  style.breaks = {1, 2};
  style.colors = {"#000000"};
  auto rule = ColorRule::fromConfig("energy", style);
  ASSERT_FALSE(rule);
  EXPECT_NE(rule.status().message().find("energy"), std::string::npos);
  style.colors = {"#000000", "#zzzzzz", "#ffffff"};
  rule = ColorRule::fromConfig("energy", style);
  ASSERT_FALSE(rule);
  EXPECT_NE(rule.status().message().find("colors[1]"), std::string::npos);
}

TEST(HeightRule, FallsBackFromHeightToFloorsToClassToDefault) {
  LayerStyleConfig style;
  style.heightAttribute = "height_m";
  style.floorsAttribute = "floors";
  style.metresPerFloor = 3.0;
  style.classAttribute = "use";
  style.classHeights = {{"village", 6.0}};
  style.defaultHeightM = 12.0;
  const HeightRule rule = HeightRule::fromConfig(style);
  EXPECT_DOUBLE_EQ(rule.heightOf({{"height_m", 45.5}, {"floors", std::int64_t{3}}}), 45.5);
  EXPECT_DOUBLE_EQ(rule.heightOf({{"height_m", 0.0}, {"floors", std::int64_t{4}}}), 12.0);  // 0 m: use floors
  EXPECT_DOUBLE_EQ(rule.heightOf({{"floors", std::int64_t{5}}}), 15.0);
  EXPECT_DOUBLE_EQ(rule.heightOf({{"use", std::string("village")}}), 6.0);
  EXPECT_DOUBLE_EQ(rule.heightOf({{"use", std::string("office")}}), 12.0);
}

TEST(Properties, NumbersAndTextFromVariants) {
  PropertyMap p{{"i", std::int64_t{3}}, {"d", 2.5}, {"s", std::string("7.5")}, {"b", true}, {"n", std::monostate{}}};
  EXPECT_EQ(numberOf(p, "i"), 3.0);
  EXPECT_EQ(numberOf(p, "s"), 7.5);
  EXPECT_EQ(numberOf(p, "b"), 1.0);
  EXPECT_FALSE(numberOf(p, "n").has_value());
  EXPECT_FALSE(numberOf(p, "missing").has_value());
  EXPECT_EQ(textOf(p, "d"), formatPropertyValue(2.5));
  EXPECT_FALSE(textOf(p, "n").has_value());
}

}  // namespace
}  // namespace gt::layers
