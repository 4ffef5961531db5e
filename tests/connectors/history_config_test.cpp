// [history] as the history module reads it (moved from tests/core/config_test.cpp with the section).
#include "greentwin/connectors/history_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gt::connectors {
namespace {

using ::testing::HasSubstr;

ConfigSchema historySchema() {
  ConfigSchema schema;
  schema.sections.emplace(std::string(kHistorySection), parseHistorySection);
  return schema;
}

Result<Config> parse(const std::string& text) { return parseConfig(text, "test.toml", historySchema()); }

Status parseError(const std::string& text) {
  auto r = parse(text);
  EXPECT_FALSE(r.isOk()) << "expected an error for:\n" << text;
  return r.status();
}

TEST(HistoryConfig, HistorySection) {
  auto none = parse("");
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(historyConfig(*none).path.empty());  // absent: no history
  auto r = parse("\n[history]\npath = \"data/history.sqlite\"\nretention_days = 7.5\nflush_ms = 50\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(historyConfig(*r).path, "data/history.sqlite");
  EXPECT_DOUBLE_EQ(historyConfig(*r).retentionDays, 7.5);
  EXPECT_EQ(historyConfig(*r).flushMs, 50);
  EXPECT_EQ(historyConfig(*r).line, 2);
  EXPECT_DOUBLE_EQ(historyConfig(*none).memoryHours, 6.0);  // the in-memory window applies without a file too
  EXPECT_EQ(historyConfig(*none).memorySamples, 1024);
  auto window = parse("[history]\nmemory_hours = 2\nmemory_samples = 500\n");
  ASSERT_TRUE(window.isOk()) << window.status().message();
  EXPECT_DOUBLE_EQ(historyConfig(*window).memoryHours, 2.0);
  EXPECT_EQ(historyConfig(*window).memorySamples, 500);
  EXPECT_THAT(parseError("[history]\nmemory_samples = 1\n").message(),
              HasSubstr("'history.memory_samples' = 1 is out of range"));
  EXPECT_THAT(parseError("[history]\nretention_days = -1\n").message(),
              HasSubstr("test.toml:2: 'history.retention_days' = -1 is out of range"));
  EXPECT_THAT(parseError("[history]\nflush_ms = 0\n").message(),
              HasSubstr("test.toml:2: 'history.flush_ms' = 0 is out of range; allowed 1..60000"));
  EXPECT_THAT(parseError("[history]\npath = 3\n").message(),
              HasSubstr("test.toml:2: 'history.path' must be a string"));
  EXPECT_THAT(parseError("[history]\nretention = 3\n").message(),
              HasSubstr("test.toml:2: unknown key 'history.retention'"));
}

// Retention per level: the samples, the 1 min and the 1 h rollups.
TEST(HistoryConfig, RetentionPerLevel) {
  auto none = parse("");
  ASSERT_TRUE(none.isOk());
  EXPECT_DOUBLE_EQ(historyConfig(*none).retentionDays, 30.0);
  EXPECT_DOUBLE_EQ(historyConfig(*none).retention1mDays, 365.0);
  EXPECT_DOUBLE_EQ(historyConfig(*none).retention1hDays, 3650.0);
  auto r = parse("[history]\nretention_days = 2\nretention_1m_days = 60\nretention_1h_days = 0\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_DOUBLE_EQ(historyConfig(*r).retentionDays, 2.0);
  EXPECT_DOUBLE_EQ(historyConfig(*r).retention1mDays, 60.0);
  EXPECT_DOUBLE_EQ(historyConfig(*r).retention1hDays, 0.0);
  EXPECT_THAT(parseError("[history]\nretention_1h_days = 40000\n").message(),
              HasSubstr("test.toml:2: 'history.retention_1h_days' = 40000 is out of range"));
}

// The section is the module's: a loader that does not know it reports [history] as an unknown key (with a
// suggestion when close), and one that reads the common parts only skips it.
TEST(HistoryConfig, OnlyALoaderThatKnowsTheSectionReadsIt) {
  auto unknown = parseConfig("[history]\npath = \"h.sqlite\"\n", "test.toml");
  ASSERT_FALSE(unknown.isOk());
  EXPECT_THAT(unknown.status().message(), HasSubstr("test.toml:1: unknown key 'history'"));
  EXPECT_THAT(parseError("[histroy]\npath = \"h.sqlite\"\n").message(),
              HasSubstr("unknown key 'histroy' (did you mean 'history'?)"));
  auto skipped = parseConfig("[history]\npath = \"h.sqlite\"\n", "test.toml", ConfigSchema::commonOnly());
  ASSERT_TRUE(skipped.isOk()) << skipped.status().message();
  EXPECT_TRUE(historyConfig(*skipped).path.empty());
}

// An edit is the config's own copy: other configs sharing the section keep theirs.
TEST(HistoryConfig, EditingACopyLeavesTheOriginal) {
  auto r = parse("[history]\npath = \"a.sqlite\"\n");
  ASSERT_TRUE(r.isOk());
  Config copy = *r;
  editHistoryConfig(copy).path = "b.sqlite";
  EXPECT_EQ(historyConfig(copy).path, "b.sqlite");
  EXPECT_EQ(historyConfig(*r).path, "a.sqlite");
}


// Declared resolutions: attribute name -> a step > 0, as an inline table or a [history.resolution] table.
TEST(HistoryConfig, Resolutions) {
  auto none = parse("[history]\n");
  ASSERT_TRUE(none.isOk());
  EXPECT_TRUE(historyConfig(*none).resolutions.empty());  // none declared: every value stored exactly
  auto inline_ = parse("[history]\nresolution = { load_kw = 0.01, flow_veh_h = 1, lon = 1e-6 }\n");
  ASSERT_TRUE(inline_.isOk()) << inline_.status().message();
  const auto& r = historyConfig(*inline_).resolutions;
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r.at("load_kw"), 0.01);
  EXPECT_EQ(r.at("flow_veh_h"), 1.0);  // an integer is a number
  EXPECT_EQ(r.at("lon"), 1e-6);
  auto table = parse("[history]\npath = \"h.sqlite\"\n\n[history.resolution]\nspeed_kmh = 0.1\n\"pm2.5\" = 0.5\n");
  ASSERT_TRUE(table.isOk()) << table.status().message();
  EXPECT_EQ(historyConfig(*table).resolutions.at("speed_kmh"), 0.1);
  EXPECT_EQ(historyConfig(*table).resolutions.at("pm2.5"), 0.5);
}

TEST(HistoryConfig, ResolutionErrorsNameTheKey) {
  EXPECT_THAT(parseError("[history]\nresolution = { load_kw = 0 }\n").message(),
              HasSubstr("test.toml:2: 'history.resolution.load_kw' = 0 is out of range; allowed > 0"));
  EXPECT_THAT(parseError("[history]\nresolution = { load_kw = -0.1 }\n").message(),
              HasSubstr("'history.resolution.load_kw' = -0.1 is out of range"));
  EXPECT_THAT(parseError("[history]\nresolution = { load_kw = nan }\n").message(),
              HasSubstr("'history.resolution.load_kw' = nan is out of range"));
  EXPECT_THAT(parseError("[history]\nresolution = { load_kw = inf }\n").message(),
              HasSubstr("'history.resolution.load_kw' = inf is out of range"));
  EXPECT_THAT(parseError("[history]\n\n[history.resolution]\nspeed_kmh = 0.1\nload_kw = \"0.01\"\n").message(),
              HasSubstr("test.toml:5: 'history.resolution.load_kw' must be a number"));
  EXPECT_THAT(parseError("[history]\nresolution = 0.01\n").message(), HasSubstr("history.resolution"));
  // One bad key does not hide the others: each is reported.
  const std::string both = parseError("[history]\nresolution = { a = 0, b = true }\n").message();
  EXPECT_THAT(both, HasSubstr("'history.resolution.a'"));
  EXPECT_THAT(both, HasSubstr("'history.resolution.b'"));
}

// store = "postgresql" keeps the history in a database at `url` (a libpq conninfo) instead of a file.
TEST(HistoryConfig, PostgresqlStoreTakesAUrl) {
  auto none = parse("[history]\npath = \"h.sqlite\"\n");
  ASSERT_TRUE(none.isOk());
  EXPECT_EQ(historyConfig(*none).store, HistoryBackendKind::Sqlite);
  EXPECT_TRUE(historyConfig(*none).enabled());
  auto pg = parse("[history]\nstore = \"postgresql\"\nurl = \"host=db dbname=greentwin\"\n");
  ASSERT_TRUE(pg.isOk()) << pg.status().message();
  EXPECT_EQ(historyConfig(*pg).store, HistoryBackendKind::Postgresql);
  EXPECT_EQ(historyConfig(*pg).url, "host=db dbname=greentwin");
  EXPECT_TRUE(historyConfig(*pg).enabled());
  EXPECT_TRUE(historyConfig(*pg).path.empty());

  EXPECT_THAT(parseError("[history]\nstore = \"mysql\"\n").message(),
              HasSubstr("test.toml:2: 'history.store' = \"mysql\" is not allowed; expected one of: sqlite, postgresql"));
  EXPECT_THAT(parseError("[history]\nstore = \"postgresql\"\n").message(),
              HasSubstr("test.toml:2: 'history.url' (a libpq conninfo"));
  EXPECT_THAT(parseError("[history]\nstore = \"postgresql\"\nurl = \"\"\n").message(),
              HasSubstr("test.toml:3: 'history.url' (a libpq conninfo"));
  EXPECT_THAT(parseError("[history]\nstore = \"postgresql\"\nurl = \"dbname=x\"\npath = \"h.sqlite\"\n").message(),
              HasSubstr("test.toml:4: 'history.path' is the SQLite file; with store = \"postgresql\""));
  EXPECT_THAT(parseError("[history]\npath = \"h.sqlite\"\nurl = \"dbname=x\"\n").message(),
              HasSubstr("test.toml:3: 'history.url' is for store = \"postgresql\""));
  EXPECT_THAT(parseError("[history]\nurl = 5\nstore = \"postgresql\"\n").message(),
              HasSubstr("'history.url' must be a string"));
}

}  // namespace
}  // namespace gt::connectors
