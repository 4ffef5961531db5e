// The filter language's parser: what valid text means (its canonical form), and errors that point at the mistake.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "greentwin/core/attribute_filter.hpp"

namespace gt {
namespace {

using ::testing::HasSubstr;

AttributeSchema buildingsSchema() {
  AttributeSchema schema;
  schema.add({{"use", std::string("office")}, {"height_m", 72.5}, {"floors", std::int64_t{20}},
              {"name_zh", std::string("通州大厦")}, {"year built", std::int64_t{1998}}, {"green_star", PropertyValue{}}});
  schema.add({{"use", std::string("residential")}, {"height_m", std::string("18")}, {"名称", std::string("公园")}});
  return schema;
}

std::string canonical(std::string_view text) {
  const FilterResult r = AttributeFilter::parse(text, buildingsSchema());
  if (!r) return "error: " + r.error().describe();
  return r->canonical();
}

FilterError errorOf(std::string_view text) {
  const FilterResult r = AttributeFilter::parse(text, buildingsSchema());
  EXPECT_FALSE(r.isOk()) << text << " parsed as " << (r ? r->canonical() : "");
  return r ? FilterError{} : r.error();
}

TEST(AttributeFilterParse, AndBindsTighterThanOrAndNotTighterThanAnd) {
  EXPECT_EQ(canonical("use = 'office' AND height_m > 60"), "((use = 'office') AND (height_m > 60))");
  // A chain of one operator is written flat: 100 conditions joined by AND (depth 1 as typed) read back, where one
  // pair of parentheses per AND would pass the parser's depth limit (a fuzzer found it).
  std::string chain = "floors > 0";
  for (int i = 0; i < 100; ++i) chain += " AND floors > " + std::to_string(i);
  const std::string flat = canonical(chain);
  EXPECT_EQ(flat.rfind("((floors > 0) AND (floors > 0) AND (floors > 1)", 0), 0u) << flat;
  EXPECT_EQ(canonical(flat), flat);
  EXPECT_EQ(canonical("use = 'a' OR use = 'b' OR floors = 3 AND floors = 4"),
            "((use = 'a') OR (use = 'b') OR ((floors = 3) AND (floors = 4)))");
  EXPECT_EQ(canonical("use = 'a' OR use = 'b' AND floors > 3"),
            "((use = 'a') OR ((use = 'b') AND (floors > 3)))");
  EXPECT_EQ(canonical("(use = 'a' OR use = 'b') AND floors > 3"),
            "(((use = 'a') OR (use = 'b')) AND (floors > 3))");
  EXPECT_EQ(canonical("NOT use = 'a' AND floors >= 2"), "((NOT (use = 'a')) AND (floors >= 2))");
  EXPECT_EQ(canonical("a_or_b_is_not_a_keyword = 1"), "error: unknown attribute 'a_or_b_is_not_a_keyword' at column 1; "
            "the layer has floors, green_star, height_m, name_zh, use, year built, 名称\n  a_or_b_is_not_a_keyword = 1\n  ^");
}

TEST(AttributeFilterParse, EveryFormOfConditionAndLiteral) {
  EXPECT_EQ(canonical("use in ('office','retail')"), "(use IN ('office', 'retail'))");
  EXPECT_EQ(canonical("floors NOT IN (1, 2.5, -3)"), "(floors NOT IN (1, 2.5, -3))");
  EXPECT_EQ(canonical("floors between 1 and 1e3 AND use = 'x'"), "((floors BETWEEN 1 AND 1e3) AND (use = 'x'))");
  EXPECT_EQ(canonical("floors NOT BETWEEN -1.5 AND .5"), "(floors NOT BETWEEN -1.5 AND .5)");
  EXPECT_EQ(canonical("name_zh LIKE '%大厦' OR name_zh NOT LIKE '通_'"),
            "((name_zh LIKE '%大厦') OR (name_zh NOT LIKE '通_'))");
  EXPECT_EQ(canonical("green_star IS NULL OR green_star is not null"),
            "((green_star IS NULL) OR (green_star IS NOT NULL))");
  EXPECT_EQ(canonical("\"year built\" <> 2000 AND 名称 == '公园'"), "((\"year built\" != 2000) AND (名称 = '公园'))");
  EXPECT_EQ(canonical("use = 'it''s'"), "(use = 'it''s')");
  EXPECT_EQ(canonical("floors = TRUE"), "(floors = TRUE)");
  EXPECT_EQ(canonical("60 < height_m"), "(60 < height_m)");
  EXPECT_EQ(canonical("height_m >= floors"), "(height_m >= floors)");
  EXPECT_EQ(canonical("use　=　'office'"), "(use = 'office')");  // ideographic spaces
}

TEST(AttributeFilterParse, EmptyTextPassesEverything) {
  for (const char* text : {"", "   ", "\t\n"}) {
    const FilterResult r = AttributeFilter::parse(text, buildingsSchema());
    ASSERT_TRUE(r.isOk()) << text;
    EXPECT_TRUE(r->passesAll());
    EXPECT_TRUE(r->matches({}));
  }
}

TEST(AttributeFilterParse, AMissingValuePointsWhereItShouldBe) {
  const FilterError e = errorOf("use = 'office' AND height_m >");
  EXPECT_EQ(e.message, "expected a value after '>' at column 30, found the end of the filter");
  EXPECT_EQ(e.offset, 29u);
  EXPECT_EQ(e.column, 30u);
  EXPECT_EQ(e.code, ErrorCode::ParseError);
  EXPECT_EQ(e.describe(), "expected a value after '>' at column 30, found the end of the filter\n"
                          "  use = 'office' AND height_m >\n"
                          "                               ^");
  EXPECT_EQ(errorOf("height_m > AND use = 'x'").message, "expected a value after '>' at column 12, found 'AND'");
  EXPECT_EQ(errorOf("use = 'x' AND").message,
            "expected a condition (an attribute name) after 'AND' at column 14, found the end of the filter");
}

TEST(AttributeFilterParse, ColumnsCountCharactersAndTheCaretAlignsUnderWideOnes) {
  const FilterError e = errorOf("名称 = '公园' AND floors >");
  EXPECT_EQ(e.column, 23u);  // 22 characters before the end: two Chinese in the name, two in the text
  EXPECT_EQ(e.offset, std::string("名称 = '公园' AND floors >").size());
  EXPECT_EQ(e.caret, std::string(26, ' ') + "^");  // four wide characters take two cells each
  EXPECT_EQ(e.excerpt, "名称 = '公园' AND floors >");
}

TEST(AttributeFilterParse, AnUnknownAttributeIsNamedWithTheClosestOne) {
  FilterError e = errorOf("use = 'office' AND heigth_m > 60");
  EXPECT_EQ(e.code, ErrorCode::NotFound);
  EXPECT_EQ(e.message, "unknown attribute 'heigth_m' at column 20; did you mean 'height_m'?");
  EXPECT_EQ(e.status().code(), ErrorCode::NotFound);
  EXPECT_EQ(errorOf("USE = 'office'").message, "unknown attribute 'USE' at column 1; did you mean 'use'?");
  e = errorOf("use = \"office\"");  // a double-quoted value is an attribute name
  EXPECT_THAT(e.message, HasSubstr("unknown attribute 'office' at column 7"));
  EXPECT_THAT(e.message, HasSubstr("quote text with single quotes"));
  const FilterResult none = AttributeFilter::parse("use = 'x'", AttributeSchema{});
  ASSERT_FALSE(none.isOk());
  EXPECT_EQ(none.error().message, "unknown attribute 'use' at column 1; the layer's features have no attributes");
}

TEST(AttributeFilterParse, TextOnlyAttributesComparedWithNumbersAreRefused) {
  EXPECT_EQ(errorOf("use > 60").message,
            "'use' holds text, not numbers (e.g. 'office'), compared with the number 60 at column 7; quote the value "
            "to compare text: '60'");
  EXPECT_EQ(errorOf("use IN ('a', 5)").column, 14u);
  EXPECT_EQ(errorOf("use BETWEEN 1 AND 2").column, 13u);
  EXPECT_EQ(errorOf("-1 = use").column, 1u);
  // Numbers held as text ("18") count as numbers, and a null-only attribute has no type to check.
  EXPECT_TRUE(AttributeFilter::parse("height_m > 60 AND green_star > 2", buildingsSchema()).isOk());
}

TEST(AttributeFilterParse, MistakesWithHints) {
  EXPECT_EQ(errorOf("use = NULL").message, "'= NULL' is never true at column 7; write IS NULL");
  EXPECT_EQ(errorOf("use != NULL").message, "'!= NULL' is never true at column 8; write IS NOT NULL");
  EXPECT_EQ(errorOf("use = 'office").message, "unterminated text: the ' here has no closing ' at column 7");
  EXPECT_EQ(errorOf("\"use = 1").column, 1u);
  EXPECT_EQ(errorOf("use = 'a' && floors > 1").message, "unexpected character '&' at column 11; write AND");
  EXPECT_EQ(errorOf("floors ! 3").message, "unexpected character '!' at column 8; did you mean '!='?");
  EXPECT_EQ(errorOf("use = ‘office’").message, "full-width '‘' at column 7; type the ASCII ''' (half-width input)");
  EXPECT_EQ(errorOf("use IN （'a')").column, 8u);
  EXPECT_EQ(errorOf("height_m > 60m").message,
            "unexpected 'm' right after the number 60 at column 14; a number has no unit; quote text as 'text'");
  EXPECT_EQ(errorOf("use = 'a' floors = 2").message,
            "unexpected 'floors' after a complete condition at column 11; join conditions with AND or OR");
  EXPECT_EQ(errorOf("floors = 2 = 3").message,
            "unexpected '=' after a complete condition at column 12; a comparison takes one value on each side");
  EXPECT_EQ(errorOf("(use = 'a' OR floors = 2").message,
            "expected ')' for the '(' of column 1 at column 25, found the end of the filter");
  EXPECT_EQ(errorOf("use").message,
            "expected a comparison after 'use' at column 4, found the end of the filter; one of = != < <= > >= IN "
            "BETWEEN LIKE IS NULL");
  EXPECT_EQ(errorOf("floors BETWEEN 1 OR 2").message,
            "expected AND between the bounds of BETWEEN at column 18, found 'OR'; e.g. year_built BETWEEN 1990 AND 2000");
  EXPECT_EQ(errorOf("use IN ()").message, "expected a value after '(' at column 9, found ')'");
  EXPECT_EQ(errorOf("use IN ('a' 'b')").message, "expected ',' or ')' in the IN list at column 13, found the text 'b'");
  EXPECT_EQ(errorOf("use IN (floors)").message, "an IN list takes values, not 'floors' at column 9; quote text values: 'text'");
  EXPECT_EQ(errorOf("use LIKE office").message,
            "expected a quoted pattern after LIKE at column 10, found 'office'; e.g. name_en LIKE '%park%'");
  EXPECT_EQ(errorOf("use IS 'x'").message,
            "expected NULL after 'IS' at column 8, found the text 'x'; write IS NULL or IS NOT NULL");
  EXPECT_EQ(errorOf("use NOT = 'x'").message, "expected IN, BETWEEN or LIKE after NOT at column 9, found '='");
  EXPECT_EQ(errorOf("floors > - 'a'").message, "expected a number after '-' at column 12, found the text 'a'");
  EXPECT_EQ(errorOf("floors # 2").message, "unexpected character '#' at column 8");
}

TEST(AttributeFilterParse, DeepNestingIsAnErrorNotACrash) {
  const std::string deep = std::string(200, '(') + "floors = 1" + std::string(200, ')');
  EXPECT_THAT(errorOf(deep).message, HasSubstr("nests too deeply"));
  std::string nots;
  for (int i = 0; i < 200; ++i) nots += "NOT ";
  EXPECT_THAT(errorOf(nots + "floors = 1").message, HasSubstr("nests too deeply"));
  const std::string fine = std::string(30, '(') + "floors = 1" + std::string(30, ')');
  EXPECT_TRUE(AttributeFilter::parse(fine, buildingsSchema()).isOk());
}

TEST(AttributeFilterParse, LongChainsAreBoundedToo) {
  std::string chain = "floors = 1";
  for (int i = 0; i < 1500; ++i) chain += " AND floors = 1";  // 1501 conditions and 1500 ANDs
  EXPECT_THAT(errorOf(chain).message, HasSubstr("more than 2000 conditions and joins"));
  std::string fine = "floors = 1";
  for (int i = 0; i < 900; ++i) fine += " OR floors = 1";
  EXPECT_TRUE(AttributeFilter::parse(fine, buildingsSchema()).isOk());
}

// The canonical text reads back as the same filter: names that need quotes keep them (keywords, spaces, full-width
// punctuation), and numbers and text keep their spelling.
TEST(AttributeFilterParse, CanonicalTextParsesBackToItself) {
  AttributeSchema schema = buildingsSchema();
  schema.add({{"and", 1.0}, {"a（b", 2.0}, {"x\u3000y", 3.0}, {"it's", std::string("z")}});
  for (const char* text : {"\"and\" = 1 AND \"a（b\" > .5 AND \"x\u3000y\" <= -1e3",
                           "\"it's\" LIKE '50\\%''s' OR NOT 名称 IN ('公园', 'x') AND floors = TRUE",
                           "height_m NOT BETWEEN 1 AND floors OR use IS NOT NULL"}) {
    const FilterResult first = AttributeFilter::parse(text, schema);
    ASSERT_TRUE(first.isOk()) << text << ": " << first.error().describe();
    const FilterResult second = AttributeFilter::parse(first->canonical(), schema);
    ASSERT_TRUE(second.isOk()) << first->canonical() << ": " << second.error().describe();
    EXPECT_EQ(second->canonical(), first->canonical());
  }
}

TEST(AttributeFilterParse, ReportsTheAttributesItReads) {
  const FilterResult r = AttributeFilter::parse("floors > 1 AND (use = 'a' OR floors < 9) AND 名称 IS NULL", buildingsSchema());
  ASSERT_TRUE(r.isOk());
  EXPECT_EQ(r->attributes(), (std::vector<std::string>{"floors", "use", "名称"}));
  EXPECT_EQ(r->text(), "floors > 1 AND (use = 'a' OR floors < 9) AND 名称 IS NULL");
}

}  // namespace
}  // namespace gt
