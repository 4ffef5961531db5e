// 'Colour by attribute': classes, colours and legend rows from features, and the colour rule they become.

#include "greentwin/core/attribute_classes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gt {
namespace {

using ::testing::HasSubstr;
using Kind = ClassificationRequest::Kind;

struct Layer {
  std::vector<PropertyMap> features;
  std::vector<const PropertyMap*> pointers() const {
    std::vector<const PropertyMap*> out;
    for (const PropertyMap& f : features) out.push_back(&f);
    return out;
  }
};

Layer heights(const std::vector<double>& values) {
  Layer layer;
  for (double v : values) layer.features.push_back({{"height_m", v}, {"use", std::string("office")}});
  return layer;
}

TEST(AttributeClasses, GraduatedClassesWithRangesCountsAndRampColours) {
  Layer layer = heights({1, 2, 3, 10, 11, 12, 50, 51});
  layer.features.push_back({{"height_m", std::string("unknown")}});
  layer.features.push_back({{"use", std::string("park")}});
  ClassificationRequest request{"height_m", Kind::Graduated, ClassMethod::NaturalBreaks, 3, 10, "blues", "#9e9e9e"};
  const auto c = classifyAttribute(layer.pointers(), request);
  ASSERT_TRUE(c.isOk()) << c.status().message();
  EXPECT_EQ(c->breaks, (std::vector<double>{10, 50}));
  EXPECT_EQ(c->colours.size(), 3u);
  EXPECT_EQ(c->colours.front(), "#e8f1fa");  // the blues ramp's ends
  EXPECT_EQ(c->colours.back(), "#0d3b73");
  EXPECT_EQ(c->withoutValue, 2u);
  ASSERT_EQ(c->legend.size(), 3u);
  EXPECT_EQ(c->legend[0].labelEn, "1 – 10");
  EXPECT_EQ(c->legend[1].labelEn, "10 – 50");
  EXPECT_EQ(c->legend[2].labelEn, "50 – 51");
  EXPECT_EQ(c->legend[0].count, 3u);
  EXPECT_EQ(c->legend[1].count, 3u);
  EXPECT_EQ(c->legend[2].count, 2u);
  EXPECT_EQ(c->legend[1].low, 10);
  EXPECT_EQ(c->legend[1].high, 12);
}

TEST(AttributeClasses, EachMethodGivesItsOwnLimits) {
  const Layer layer = heights({0, 1, 2, 3, 4, 5, 6, 7, 8, 100});
  ClassificationRequest request{"height_m", Kind::Graduated, ClassMethod::EqualInterval, 2, 10, "", "#9e9e9e"};
  EXPECT_EQ(classifyAttribute(layer.pointers(), request)->breaks, (std::vector<double>{50}));
  request.method = ClassMethod::Quantile;
  EXPECT_EQ(classifyAttribute(layer.pointers(), request)->breaks, (std::vector<double>{5}));
  request.method = ClassMethod::NaturalBreaks;
  EXPECT_EQ(classifyAttribute(layer.pointers(), request)->breaks, (std::vector<double>{100}));
}

TEST(AttributeClasses, TiesThatSwallowEveryQuantileLimitStillGiveTwoClasses) {
  const Layer layer = heights({1, 1, 1, 1, 1, 1, 1, 1, 1, 5});
  ClassificationRequest request{"height_m", Kind::Graduated, ClassMethod::Quantile, 2, 10, "", "#9e9e9e"};
  const auto c = classifyAttribute(layer.pointers(), request);
  ASSERT_TRUE(c.isOk());
  EXPECT_EQ(c->breaks, (std::vector<double>{5}));
  EXPECT_EQ(c->legend[0].count, 9u);
}

TEST(AttributeClasses, CategoriesByFrequencyWithACapAndOther) {
  Layer layer;
  const char* uses[]{"office", "residential", "office", "park", "residential", "office", "school", "park", "hospital"};
  for (const char* u : uses) layer.features.push_back({{"use", std::string(u)}});
  layer.features.push_back({{"use", PropertyValue{}}});
  layer.features.push_back({{"use", std::int64_t{7}}});
  ClassificationRequest request{"use", Kind::Categorical, ClassMethod::NaturalBreaks, 5, 3, "", "#808080"};
  const auto c = classifyAttribute(layer.pointers(), request);
  ASSERT_TRUE(c.isOk()) << c.status().message();
  ASSERT_EQ(c->categories.size(), 3u);
  EXPECT_EQ(c->categories[0].first, "office");       // 3
  EXPECT_EQ(c->categories[1].first, "park");         // 2, before residential by name
  EXPECT_EQ(c->categories[2].first, "residential");  // 2
  EXPECT_EQ(c->categories[0].second, "#3b6fb6");     // the categories palette
  ASSERT_EQ(c->legend.size(), 4u);
  EXPECT_EQ(c->legend[3].labelEn, "other");
  EXPECT_EQ(c->legend[3].labelZh, "其他");
  EXPECT_EQ(c->legend[3].colour, "#808080");
  EXPECT_EQ(c->legend[3].count, 4u);  // school, hospital, 7 and the null
  EXPECT_EQ(c->withoutValue, 1u);
}

TEST(AttributeClasses, AppliesAsALayersColourRule) {
  LayerStyleConfig style;
  style.classifier = "air_quality.aqi_class";
  style.classNamesEn = {"good", "bad"};
  style.heightAttribute = "height_m";
  const Layer layer = heights({1, 2, 3, 10, 11, 12});
  const auto graduated = classifyAttribute(
      layer.pointers(), {"height_m", Kind::Graduated, ClassMethod::EqualInterval, 2, 10, "heat", "#9e9e9e"});
  ASSERT_TRUE(graduated.isOk());
  graduated->applyTo(style);
  EXPECT_EQ(style.colorMode, "graduated");
  EXPECT_EQ(style.colorBy, "height_m");
  EXPECT_EQ(style.breaks, (std::vector<double>{6.5}));
  EXPECT_EQ(style.colors.size(), 2u);
  EXPECT_TRUE(style.classifier.empty());
  EXPECT_TRUE(style.classNamesEn.empty());
  EXPECT_EQ(style.heightAttribute, "height_m");  // the rest of the style stays
  const auto categorical =
      classifyAttribute(layer.pointers(), {"use", Kind::Categorical, ClassMethod::NaturalBreaks, 5, 10, "", "#9e9e9e"});
  ASSERT_TRUE(categorical.isOk());
  categorical->applyTo(style);
  EXPECT_EQ(style.colorMode, "categorical");
  EXPECT_EQ(style.categories.size(), 1u);
  EXPECT_TRUE(style.breaks.empty());
  EXPECT_TRUE(style.colors.empty());
}

TEST(AttributeClasses, RefusalsNameTheProblem) {
  const Layer layer = heights({4, 4, 4});
  const auto pointers = layer.pointers();
  auto error = [&](ClassificationRequest r) { return classifyAttribute(pointers, r).status().message(); };
  EXPECT_EQ(error({"use", Kind::Graduated, ClassMethod::Quantile, 3, 10, "", ""}),
            "'use' has no numbers to grade (e.g. 'office'); colour it by category");
  EXPECT_EQ(error({"height_m", Kind::Graduated, ClassMethod::Quantile, 3, 10, "", ""}),
            "all 3 values of 'height_m' are 4: nothing to grade; colour it by category");
  EXPECT_EQ(error({"floors", Kind::Graduated, ClassMethod::Quantile, 3, 10, "", ""}), "no feature has a value of 'floors'");
  EXPECT_EQ(error({"floors", Kind::Categorical, ClassMethod::Quantile, 3, 10, "", ""}), "no feature has a value of 'floors'");
  EXPECT_THAT(error({"height_m", Kind::Graduated, ClassMethod::Quantile, 13, 10, "", ""}), HasSubstr("2 to 12 classes"));
  EXPECT_THAT(error({"use", Kind::Categorical, ClassMethod::Quantile, 3, 0, "", ""}), HasSubstr("1 to 12 values"));
  EXPECT_THAT(error({"use", Kind::Categorical, ClassMethod::Quantile, 3, 5, "rainbow", ""}),
              HasSubstr("unknown colour ramp 'rainbow'"));
  EXPECT_EQ(error({"", Kind::Categorical, ClassMethod::Quantile, 3, 5, "", ""}), "no attribute to colour by");
}

}  // namespace
}  // namespace gt
