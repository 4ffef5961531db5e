// Evaluating parsed filters against features' properties: comparisons of numbers and text, three-valued NULL
// semantics, IN, BETWEEN, LIKE (with Chinese text), IS NULL.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "greentwin/core/attribute_filter.hpp"

namespace gt {

// gtest prints a Truth by name.
void PrintTo(Truth t, std::ostream* os) { *os << (t == Truth::True ? "True" : t == Truth::False ? "False" : "Unknown"); }

namespace {

const std::vector<PropertyMap>& features() {
  static const std::vector<PropertyMap> all{
      {{"id", std::string("b1")}, {"use", std::string("office")}, {"height_m", 72.5}, {"floors", std::int64_t{20}},
       {"name", std::string("Canal Tower")}, {"name_zh", std::string("运河大厦")}, {"public", true}},
      {{"id", std::string("b2")}, {"use", std::string("office")}, {"height_m", 45.0}, {"floors", std::int64_t{12}},
       {"name", std::string("canal office 2")}, {"name_zh", std::string("运河办公楼")}, {"public", false}},
      {{"id", std::string("b3")}, {"use", std::string("residential")}, {"height_m", std::string("61")},
       {"floors", PropertyValue{}}, {"name_zh", std::string("通州小区")}},
      {{"id", std::string("b4")}, {"use", PropertyValue{}}, {"height_m", std::string("tall")}, {"floors", std::int64_t{3}},
       {"name", std::string("50%_off")}},
      {{"id", std::string("b5")}, {"height_m", 60.0}, {"floors", std::int64_t{60}}},
  };
  return all;
}

AttributeSchema schema() {
  AttributeSchema s;
  for (const PropertyMap& f : features()) s.add(f);
  return s;
}

// The ids of the features that pass.
std::string passing(std::string_view text) {
  const FilterResult r = AttributeFilter::parse(text, schema());
  if (!r) return "error: " + r.error().message;
  std::string ids;
  for (const PropertyMap& f : features()) {
    if (r->matches(f)) ids += (ids.empty() ? "" : " ") + std::get<std::string>(f.at("id"));
  }
  return ids;
}

Truth truthFor(std::string_view text, std::size_t feature) {
  const FilterResult r = AttributeFilter::parse(text, schema());
  EXPECT_TRUE(r.isOk()) << text;
  return r ? r->evaluate(features()[feature]) : Truth::Unknown;
}

TEST(AttributeFilter, TheIssueExample) {
  EXPECT_EQ(passing("use = 'office' AND height_m > 60"), "b1");
  EXPECT_EQ(passing("use = 'office' OR height_m > 60"), "b1 b2 b3");
}

TEST(AttributeFilter, NumbersCompareAsNumbersAndNumericTextCounts) {
  EXPECT_EQ(passing("height_m > 60"), "b1 b3");  // b3's "61" is a number held as text; b4's "tall" is not one
  EXPECT_EQ(passing("height_m >= 60"), "b1 b3 b5");
  EXPECT_EQ(passing("height_m <= 60"), "b2 b5");
  EXPECT_EQ(passing("height_m < 60.0"), "b2");
  EXPECT_EQ(passing("height_m = 6e1"), "b5");
  EXPECT_EQ(passing("floors != 12"), "b1 b4 b5");
  EXPECT_EQ(passing("height_m = '61.0'"), "b3");  // both read as numbers: compared as numbers
  EXPECT_EQ(passing("floors = '20'"), "b1");
  EXPECT_EQ(passing("floors = height_m"), "b5");   // attribute with attribute
  EXPECT_EQ(passing("floors > -1 AND floors < 1e2"), "b1 b2 b4 b5");
  EXPECT_EQ(passing("public = TRUE"), "b1");
  EXPECT_EQ(passing("public = false"), "b2");
}

TEST(AttributeFilter, TextComparesByteWise) {
  EXPECT_EQ(passing("use = 'office'"), "b1 b2");
  EXPECT_EQ(passing("use != 'office'"), "b3");  // b4 (null) and b5 (missing) are unknown, so hidden
  EXPECT_EQ(passing("use < 'p'"), "b1 b2");
  EXPECT_EQ(passing("name_zh = '运河大厦'"), "b1");
  EXPECT_EQ(passing("height_m = 'tall'"), "b4");
}

TEST(AttributeFilter, NullAndMissingValuesAreUnknownAndOnlyTrueShows) {
  EXPECT_EQ(truthFor("use = 'office'", 3), Truth::Unknown);  // null
  EXPECT_EQ(truthFor("use = 'office'", 4), Truth::Unknown);  // missing
  EXPECT_EQ(truthFor("NOT use = 'office'", 3), Truth::Unknown);
  EXPECT_EQ(passing("NOT use = 'office'"), "b3");
  // Kleene logic: false AND unknown is false, true OR unknown is true, the rest unknown.
  EXPECT_EQ(truthFor("use = 'x' AND floors > 1", 2), Truth::False);   // floors null
  EXPECT_EQ(truthFor("floors > 1 AND use = 'x'", 2), Truth::False);
  EXPECT_EQ(truthFor("use = 'residential' AND floors > 1", 2), Truth::Unknown);
  EXPECT_EQ(truthFor("floors > 1 AND use = 'residential'", 2), Truth::Unknown);
  EXPECT_EQ(truthFor("use = 'residential' OR floors > 1", 2), Truth::True);
  EXPECT_EQ(truthFor("floors > 1 OR use = 'residential'", 2), Truth::True);
  EXPECT_EQ(truthFor("floors > 1 OR use = 'x'", 2), Truth::Unknown);
  // A value that is not a number against an unquoted number: unknown, whichever way it is asked.
  EXPECT_EQ(truthFor("height_m > 1", 3), Truth::Unknown);
  EXPECT_EQ(truthFor("height_m <= 1", 3), Truth::Unknown);
  EXPECT_EQ(passing("height_m > 1 OR height_m <= 1"), "b1 b2 b3 b5");
  EXPECT_EQ(truthFor("floors = height_m", 2), Truth::Unknown);
}

TEST(AttributeFilter, IsNullTellsMissingAndNullFromValues) {
  EXPECT_EQ(passing("use IS NULL"), "b4 b5");
  EXPECT_EQ(passing("use IS NOT NULL"), "b1 b2 b3");
  EXPECT_EQ(passing("floors IS NULL"), "b3");
  EXPECT_EQ(passing("name IS NULL OR name_zh IS NULL"), "b3 b4 b5");
  EXPECT_EQ(truthFor("use IS NULL", 0), Truth::False);  // never unknown
}

TEST(AttributeFilter, InListsFollowEqualityAndNulls) {
  EXPECT_EQ(passing("use IN ('office', 'retail')"), "b1 b2");
  EXPECT_EQ(passing("use NOT IN ('office', 'retail')"), "b3");
  EXPECT_EQ(passing("floors IN (3, 60, '20')"), "b1 b4 b5");
  EXPECT_EQ(truthFor("use IN ('a')", 3), Truth::Unknown);
  EXPECT_EQ(truthFor("use NOT IN ('a')", 3), Truth::Unknown);
  // A list item that cannot compare (a number against non-numeric text) makes "not found" unknown, as in SQL.
  EXPECT_EQ(truthFor("height_m IN (1, 2)", 3), Truth::Unknown);
  EXPECT_EQ(truthFor("height_m IN (1, 'tall')", 3), Truth::True);
}

TEST(AttributeFilter, BetweenIncludesItsBounds) {
  EXPECT_EQ(passing("height_m BETWEEN 45 AND 61"), "b2 b3 b5");
  EXPECT_EQ(passing("height_m NOT BETWEEN 45 AND 61"), "b1");
  EXPECT_EQ(passing("floors BETWEEN 3 AND floors"), "b1 b2 b4 b5");  // bounds may be attributes
  EXPECT_EQ(truthFor("floors BETWEEN 1 AND 2", 2), Truth::Unknown);
  EXPECT_EQ(truthFor("floors BETWEEN 100 AND 200", 0), Truth::False);
}

TEST(AttributeFilter, LikeMatchesWildcardsByCharacterIgnoringAsciiCase) {
  EXPECT_EQ(passing("name LIKE 'canal%'"), "b1 b2");  // "Canal Tower" and "canal office 2"
  EXPECT_EQ(passing("name LIKE '%TOWER'"), "b1");
  EXPECT_EQ(passing("name LIKE '%office _'"), "b2");
  EXPECT_EQ(passing("name NOT LIKE '%a%'"), "b4");
  EXPECT_EQ(passing("name_zh LIKE '运河%'"), "b1 b2");
  EXPECT_EQ(passing("name_zh LIKE '运河__'"), "b1");   // '_' is one character, Chinese ones too
  EXPECT_EQ(passing("name_zh LIKE '运河___'"), "b2");
  EXPECT_EQ(passing("name_zh LIKE '%小%'"), "b3");
  EXPECT_EQ(passing("name LIKE '50\\%\\_off'"), "b4");  // escaped wildcards match themselves
  EXPECT_EQ(passing("name LIKE '50\\%\\_of'"), "");
  EXPECT_EQ(passing("floors LIKE '6%'"), "b5");        // numbers match by their text
  EXPECT_EQ(passing("name LIKE '%'"), "b1 b2 b4");     // null and missing stay unknown
  EXPECT_EQ(passing("name LIKE '%a%a%o%'"), "b1 b2");  // backtracking over several runs
}

TEST(AttributeFilter, AFilterIsAValueToCopyAndShare) {
  FilterResult r = AttributeFilter::parse("use = 'office' AND height_m > 60", schema());
  ASSERT_TRUE(r.isOk());
  const AttributeFilter copy = r.value();
  const AttributeFilter moved = std::move(r).value();
  EXPECT_TRUE(copy.matches(features()[0]));
  EXPECT_FALSE(copy.matches(features()[1]));
  EXPECT_EQ(copy.canonical(), moved.canonical());
  EXPECT_TRUE(AttributeFilter().matches(features()[3]));
}

}  // namespace
}  // namespace gt
