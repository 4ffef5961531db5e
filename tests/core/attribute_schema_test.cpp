#include "greentwin/core/attribute_schema.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

namespace gt {
namespace {

TEST(AttributeSchema, CountsNumbersTextAndNullsPerAttribute) {
  AttributeSchema schema;
  schema.add({{"use", std::string("office")}, {"height_m", 30.0}, {"floors", std::int64_t{9}}, {"note", PropertyValue{}}});
  schema.add({{"use", std::string("park")}, {"height_m", std::string("12.5")}, {"public", true}});
  schema.add({{"height_m", std::string("n/a")}, {"floors", std::numeric_limits<double>::infinity()}});
  EXPECT_EQ(schema.featureCount(), 3u);
  ASSERT_EQ(schema.attributes().size(), 5u);
  EXPECT_EQ(schema.attributes().front().name, "floors");  // ascending
  const AttributeStats* height = schema.find("height_m");
  ASSERT_NE(height, nullptr);
  EXPECT_EQ(height->numbers, 2u);  // 30 and "12.5"
  EXPECT_EQ(height->texts, 1u);
  EXPECT_EQ(height->exampleText, "n/a");
  const AttributeStats* floors = schema.find("floors");
  EXPECT_EQ(floors->numbers, 1u);
  EXPECT_EQ(floors->texts, 1u);  // infinity is not a usable number
  EXPECT_EQ(schema.find("note")->nulls, 1u);
  EXPECT_EQ(schema.find("use")->texts, 2u);
  EXPECT_EQ(schema.find("use")->exampleText, "office");
  EXPECT_EQ(schema.find("public")->numbers, 1u);
  EXPECT_EQ(schema.find("Use"), nullptr);  // names are exact
}

TEST(AttributeSchema, ClosestNamePrefersLetterCaseThenSmallTypos) {
  AttributeSchema schema;
  schema.add({{"height_m", 1.0}, {"floors", std::int64_t{1}}, {"名称", std::string("x")}, {"Kind", std::string("y")}});
  EXPECT_EQ(schema.closestName("HEIGHT_M"), "height_m");
  EXPECT_EQ(schema.closestName("kind"), "Kind");
  EXPECT_EQ(schema.closestName("heigth_m"), "height_m");
  EXPECT_EQ(schema.closestName("floor"), "floors");
  EXPECT_EQ(schema.closestName("population"), "");
}

TEST(AttributeSchema, NumbersReadAsTheColourRulesReadThem) {
  EXPECT_EQ(propertyNumber(PropertyValue{std::int64_t{-4}}), -4.0);
  EXPECT_EQ(propertyNumber(PropertyValue{2.5}), 2.5);
  EXPECT_EQ(propertyNumber(PropertyValue{true}), 1.0);
  EXPECT_EQ(propertyNumber(PropertyValue{std::string("1e3")}), 1000.0);
  EXPECT_FALSE(propertyNumber(PropertyValue{std::string("12 m")}));
  EXPECT_FALSE(propertyNumber(PropertyValue{std::string("")}));
  EXPECT_FALSE(propertyNumber(PropertyValue{std::string("nan")}));
  EXPECT_FALSE(propertyNumber(PropertyValue{}));
  EXPECT_FALSE(propertyNumber(PropertyValue{std::nan("")}));
}

}  // namespace
}  // namespace gt
