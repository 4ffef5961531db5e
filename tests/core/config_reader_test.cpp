// The config reader every module reads its part of the file with (config_reader.hpp): typed readers, their
// messages (file, line, key path), the unknown-key check and its suggestion.
#include "greentwin/core/config_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

ConfigDocument parse(const std::string& text) {
  auto document = ConfigDocument::parse(text, "r.toml");
  EXPECT_TRUE(document.isOk()) << document.status().message();
  return std::move(*document);
}

TEST(ConfigReader, TypedReadersKeepDefaultsForAbsentKeysAndReadPresentOnes) {
  const ConfigDocument doc = parse("[t]\nn = 3\nx = 2\nb = true\ns = \"hi\"\nc = \"#a0b0c0\"\nl = [\"a\", \"b\"]\n"
                                   "d = [1, 2.5]\nwhen = 2026-01-01T00:00:00Z\n");
  const auto t = doc.root().table("t");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->path(), "t");
  EXPECT_EQ(t->line(), 1);
  int n = 0, absentInt = 7;
  double x = 0;
  bool b = false;
  std::string s, c;
  std::vector<std::string> l;
  std::vector<double> d;
  std::optional<TimePoint> when;
  EXPECT_TRUE(t->readInt("n", n, 0, 10));
  EXPECT_FALSE(t->readInt("missing", absentInt, 0, 10));
  EXPECT_TRUE(t->readDouble("x", x, 0, 10));  // an integer where a number is expected
  EXPECT_TRUE(t->readBool("b", b));
  EXPECT_TRUE(t->readString("s", s));
  EXPECT_TRUE(t->readColour("c", c));
  EXPECT_TRUE(t->readStringArray("l", l));
  EXPECT_TRUE(t->readDoubleArray("d", d));
  EXPECT_TRUE(t->readTime("when", when));
  EXPECT_EQ(n, 3);
  EXPECT_EQ(absentInt, 7);
  EXPECT_DOUBLE_EQ(x, 2.0);
  EXPECT_TRUE(b);
  EXPECT_EQ(s, "hi");
  EXPECT_EQ(c, "#a0b0c0");
  EXPECT_THAT(l, ElementsAre("a", "b"));
  EXPECT_THAT(d, ElementsAre(1.0, 2.5));
  ASSERT_TRUE(when);
  EXPECT_EQ(*when, 1767225600LL * kMicrosPerSecond);
  EXPECT_EQ(t->lineOf("s"), 5);
  EXPECT_THAT(t->keys(), ElementsAre("n", "x", "b", "s", "c", "l", "d", "when"));  // file order
  EXPECT_TRUE(doc.errors().result().isOk());
}

TEST(ConfigReader, ProblemsNameFileLineKeyPathAndWhatIsAllowed) {
  const ConfigDocument doc = parse("[outer.inner]\nn = 30\ns = 4\nmode = \"up\"\nc = \"red\"\n");
  const auto outer = doc.root().table("outer");
  ASSERT_TRUE(outer);
  const auto inner = outer->table("inner");
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->keyPath("n"), "outer.inner.n");
  int n = 1;
  std::string s, mode, c;
  static constexpr std::string_view kModes[]{"left", "right"};
  EXPECT_FALSE(inner->readInt("n", n, 0, 10));
  EXPECT_FALSE(inner->readString("s", s));
  EXPECT_FALSE(inner->readString("mode", mode, kModes));
  EXPECT_FALSE(inner->readColour("c", c));
  EXPECT_EQ(n, 1);  // unchanged on error
  const Status status = doc.errors().result();
  EXPECT_EQ(status.code(), ErrorCode::OutOfRange);  // the first problem's
  EXPECT_THAT(status.message(), HasSubstr("r.toml:2: 'outer.inner.n' = 30 is out of range; allowed 0..10"));
  EXPECT_THAT(status.message(), HasSubstr("r.toml:3: 'outer.inner.s' must be a string, got integer"));
  EXPECT_THAT(status.message(),
              HasSubstr("r.toml:4: 'outer.inner.mode' = \"up\" is not allowed; expected one of: left, right"));
  EXPECT_THAT(status.message(), HasSubstr("r.toml:5: 'outer.inner.c' = \"red\" is not a colour"));
  EXPECT_EQ(doc.errors().count(), 4u);
}

TEST(ConfigReader, UnknownKeysSuggestTheNearestOrListTheKnownOnes) {
  const ConfigDocument doc = parse("[t]\npowr = 1\nzzzzzzzz = 2\npower = 3\n");
  static constexpr std::string_view kKnown[]{"power", "radius"};
  doc.root().table("t")->checkKeys(kKnown);
  const std::string message = doc.errors().result().message();
  EXPECT_THAT(message, HasSubstr("r.toml:2: unknown key 't.powr' (did you mean 't.power'?)"));
  EXPECT_THAT(message, HasSubstr("r.toml:3: unknown key 't.zzzzzzzz' (known keys in 't': power, radius)"));
  EXPECT_EQ(doc.errors().count(), 2u);
  EXPECT_EQ(suggestKey("radus", kKnown), "radius");
  EXPECT_EQ(suggestKey("colour", kKnown), "");
}

TEST(ConfigReader, ArraysOfTablesRequiredKeysAndScalarsAsText) {
  const ConfigDocument doc = parse("[[item]]\nid = \"a\"\nn = 2\nf = 0.1\non = false\n[[item]]\nname = \"x\"\n"
                                   "[[item]]\nid = \"\"\n");
  const std::vector<ConfigTable> items = doc.root().tables("item");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[1].path(), "item[1]");
  std::string id;
  EXPECT_TRUE(items[0].requireString("id", id));
  EXPECT_FALSE(items[1].requireString("id", id));
  EXPECT_FALSE(items[2].requireString("id", id));
  static constexpr std::string_view kSkip[]{"id"};
  std::vector<ConfigValue> values;
  items[0].readScalars(kSkip, values);
  ASSERT_EQ(values.size(), 3u);
  EXPECT_EQ(values[0].key, "n");
  EXPECT_EQ(values[0].value, "2");
  EXPECT_EQ(values[1].value, "0.1");  // the shortest text that reads back as the same double
  EXPECT_EQ(values[2].value, "false");
  EXPECT_EQ(values[2].line, 5);
  const std::string message = doc.errors().result().message();
  EXPECT_THAT(message, HasSubstr("r.toml:6: 'item[1]' is missing required key 'id'"));
  EXPECT_THAT(message, HasSubstr("r.toml:9: 'item[2].id' must not be empty"));
}

TEST(ConfigReader, WrongShapesAreReported) {
  const ConfigDocument doc = parse("t = 3\nlist = [1, {a = 1}]\n");
  EXPECT_FALSE(doc.root().table("t"));
  EXPECT_FALSE(doc.root().isTable("t"));
  EXPECT_EQ(doc.root().tables("list").size(), 1u);  // the table element; the integer is reported
  EXPECT_TRUE(doc.root().tables("absent").empty());
  const std::string message = doc.errors().result().message();
  EXPECT_THAT(message, HasSubstr("r.toml:1: 't' must be a table, got integer"));
  EXPECT_THAT(message, HasSubstr("r.toml:2: 'list[0]' must be a table, got integer"));
}

TEST(ConfigReader, SyntaxErrorsNameFileLineAndColumn) {
  auto document = ConfigDocument::parse("a = 1\nb = = 2\n", "bad.toml");
  ASSERT_FALSE(document.isOk());
  EXPECT_EQ(document.status().code(), ErrorCode::ParseError);
  EXPECT_THAT(document.status().message(), ::testing::ContainsRegex("^bad\\.toml:2:[0-9]+: .+"));
}

}  // namespace
}  // namespace gt
