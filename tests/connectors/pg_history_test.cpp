// The PostgreSQL history's own cases (connectors/src/pg_history*.cpp), against the throwaway server of
// pg_fixture.sh: time partitions made when a write needs them and dropped by retention (open blocks rolled up
// first), a schema of another application or of a newer version refused and left as it was, two store objects on
// one database (a wall node reading what another writes), a lost connection reported as transient and retried by
// the writer, a write lock held elsewhere past lock_timeout reported as transient, and an unreachable server. What every backend must do is in history_store_test.cpp and sqlite_history_test.cpp.

#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "greentwin/connectors/pg_history.hpp"
#include "history_backend.hpp"
#include "pg_history_blocks.hpp"

namespace gt::connectors {
namespace {

constexpr TimePoint kSecond = kMicrosPerSecond;
constexpr TimePoint kHour = 3600 * kSecond;
constexpr TimePoint kDay = 24 * kHour;
constexpr std::size_t kStagedLimit = pg_history::kMaxStagedPerSeries;

class PgHistoryTest : public testing::HistoryBackendTest {
 protected:
  // The tables of a schema, sorted.
  std::vector<std::string> tables(const std::string& schema) {
    auto rows = testing::pgRows(conninfo_, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid ="
                                           " c.relnamespace WHERE n.nspname = '" + schema +
                                               "' AND c.relkind IN ('r', 'p') ORDER BY c.relname");
    return rows;
  }
  bool has(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
  }
  int countOf(const std::string& sql) { return std::stoi(testing::pgRows(conninfo_, sql).at(0)); }
  // The staged samples a read would add (after their series' staged_after), and the rows holding staged samples,
  // live or not.
  int liveStaged(const std::string& schema) {
    return countOf("SELECT count(*) FROM " + schema + ".staged_groups g CROSS JOIN LATERAL unnest(g.series, g.t) AS"
                   " u(s, t) JOIN " + schema + ".series ON series.id = u.s WHERE u.t > series.staged_after");
  }
  int stagedRows(const std::string& schema) { return countOf("SELECT count(*) FROM " + schema + ".staged_groups"); }
};
INSTANTIATE_TEST_SUITE_P(Server, PgHistoryTest, ::testing::Values(testing::HistoryBackend::Postgres),
                         testing::backendName);

// A day of raw blocks, a week of minute blocks, 13 weeks of hour blocks: each made when the first block of its
// range is written. Raw retention drops the days wholly before its cut-off (after rolling up the open block of a
// series that stopped there), trims the day it falls in, and leaves the rollups.
TEST_P(PgHistoryTest, PartitionsAreMadeOnDemandAndRetentionDropsTheOldOnes) {
  auto store = open("parts", 60);
  ASSERT_NE(store, nullptr);
  // 1970-01-01 .. 01-03: a sample a minute for 3 days; a series that stops after 10 minutes of 01-01 (its only
  // block stays open).
  std::vector<HistorySample> batch;
  for (TimePoint t = 0; t < 3 * kDay; t += 60 * kSecond) batch.push_back({"meter", "kw", t, 1.0 * (t / kHour)});
  for (int k = 0; k < 10; ++k) batch.push_back({"stopped", "kw", k * 60 * kSecond, 5.0});
  ASSERT_TRUE(store->append(batch));
  const std::string schema = schemaOf("parts");
  auto before = tables(schema);
  for (const char* p : {"blocks_l0_19700101", "blocks_l0_19700102", "blocks_l0_19700103", "blocks_l1_19700101",
                        "blocks_l2_19700101"}) {
    EXPECT_TRUE(has(before, p)) << p;
  }
  EXPECT_FALSE(has(before, "blocks_l0_19700104"));  // no block there yet
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"meter", "kw", 3 * kDay + kHour, 72.0}}));
  EXPECT_TRUE(has(tables(schema), "blocks_l0_19700104"));

  HistoryCutoffs cut;
  cut.raw = 2 * kDay + 30 * 60 * kSecond;  // 01-03 00:30
  auto report = store->applyLevelRetention(cut);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(report->partitionsDropped, 2u);
  EXPECT_EQ(report->blocksTrimmed, 1u);  // the block of 01-03 00:00-00:59 starts before the cut: trimmed
  auto after = tables(schema);
  EXPECT_FALSE(has(after, "blocks_l0_19700101"));
  EXPECT_FALSE(has(after, "blocks_l0_19700102"));
  EXPECT_TRUE(has(after, "blocks_l0_19700103"));
  EXPECT_TRUE(has(after, "blocks_l1_19700101"));
  EXPECT_EQ(testing::pgRows(conninfo_, "SELECT count(*) FROM " + schema + ".history_partitions WHERE level = 0"),
            std::vector<std::string>{"2"});

  auto raw = store->range("meter", "kw", 0, 4 * kDay, 100'000);
  ASSERT_TRUE(raw.isOk()) << raw.status().toString();
  ASSERT_FALSE(raw->empty());
  EXPECT_EQ(raw->front().time, cut.raw);
  // The rollups keep the dropped days (the minutes, regrouped into hours: the raw level holds none of them), and
  // the stopped series' open block was rolled up before its day went.
  auto hours = store->summary("meter", "kw", 0, 2 * kDay - 1, 48);
  ASSERT_TRUE(hours.isOk()) << hours.status().toString();
  EXPECT_EQ(hours->level, HistoryLevel::Minute);
  EXPECT_EQ(hours->bucketWidth, kHour);
  ASSERT_EQ(hours->buckets.size(), 48u);
  EXPECT_EQ(hours->buckets[5], (HistoryBucket{5 * kHour, 5, 5, 5, 60}));
  auto stopped = store->summary("stopped", "kw", 0, kHour - 1, 60);
  ASSERT_TRUE(stopped.isOk()) << stopped.status().toString();
  EXPECT_EQ(stopped->level, HistoryLevel::Minute);
  ASSERT_EQ(stopped->buckets.size(), 10u);
  EXPECT_EQ(stopped->buckets[9], (HistoryBucket{9 * 60 * kSecond, 5, 5, 5, 1}));
  // Writing into a dropped day makes its partition again.
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"late", "kw", kDay + 5, 1.0}}));
  EXPECT_TRUE(has(tables(schema), "blocks_l0_19700102"));
}

TEST_P(PgHistoryTest, ForeignSchemaIsRefusedAndLeftUntouched) {
  const std::string schema = schemaOf("foreign");
  ASSERT_EQ(testing::pgExec(conninfo_, "CREATE TABLE " + schema + ".notes(id int PRIMARY KEY, text text);"
                                       "INSERT INTO " + schema + ".notes VALUES (1, 'mine')"),
            "");
  auto r = tryOpen("foreign");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::ParseError);
  EXPECT_NE(r.status().message().find("not a GreenTwin history"), std::string::npos) << r.status().toString();
  EXPECT_EQ(tables(schema), std::vector<std::string>{"notes"});
  EXPECT_EQ(testing::pgRows(conninfo_, "SELECT id, text FROM " + schema + ".notes"), std::vector<std::string>{"1|mine"});

  // A table called history_meta of another shape is not a marker either.
  const std::string other = schemaOf("meta");
  ASSERT_EQ(testing::pgExec(conninfo_, "CREATE TABLE " + other + ".history_meta(name text)"), "");
  auto m = tryOpen("meta");
  ASSERT_FALSE(m.isOk());
  EXPECT_EQ(m.status().code(), ErrorCode::ParseError) << m.status().toString();
  EXPECT_EQ(tables(other), std::vector<std::string>{"history_meta"});
}

TEST_P(PgHistoryTest, NewerSchemaVersionIsRefused) {
  ASSERT_NE(open("newer"), nullptr);  // creates the current version
  const std::string schema = schemaOf("newer");
  ASSERT_EQ(testing::pgExec(conninfo_, "UPDATE " + schema + ".history_meta SET value = " +
                                           std::to_string(kPgHistorySchemaVersion + 1) +
                                           " WHERE key = 'schema_version'"),
            "");
  auto r = tryOpen("newer");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::Unsupported);
  EXPECT_NE(r.status().message().find("newer than this build reads"), std::string::npos) << r.status().toString();
}

// A history of version 1 (before staged samples) is upgraded in place: its samples stay, the table is added.
TEST_P(PgHistoryTest, VersionOneIsUpgradedInPlace) {
  {
    auto store = open("upgrade");
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->append(std::vector<HistorySample>{{"meter", "kw", kSecond, 1.5}}));
  }
  const std::string schema = schemaOf("upgrade");
  ASSERT_EQ(testing::pgExec(conninfo_, "DROP TABLE " + schema + ".staged_groups; ALTER TABLE " + schema +
                                           ".series DROP COLUMN staged_after; UPDATE " + schema +
                                           ".history_meta SET value = 1 WHERE key = 'schema_version'"),
            "");
  auto store = open("upgrade");
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(testing::pgRows(conninfo_, "SELECT value FROM " + schema + ".history_meta WHERE key = 'schema_version'"),
            std::vector<std::string>{std::to_string(kPgHistorySchemaVersion)});
  EXPECT_TRUE(has(tables(schema), "staged_groups"));
  EXPECT_FALSE(has(tables(schema), "staged_samples"));
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"meter", "kw", 2 * kSecond, 2.5}}));
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"meter", "kw", 3 * kSecond, 3.5}}));  // staged
  auto rows = store->range("meter", "kw", 0, kHour, 10);
  ASSERT_TRUE(rows.isOk()) << rows.status().toString();
  EXPECT_EQ(rows->size(), 3u);
}

// A history of version 2 (a staged_samples row per sample) is upgraded in place: its staged samples move into
// staged_groups and every read still sees them, behind the block they follow.
TEST_P(PgHistoryTest, VersionTwoIsUpgradedWithItsStagedSamples) {
  {
    auto store = open("upgrade2");
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->append(std::vector<HistorySample>{{"meter", "kw", kSecond, 1.0}}));  // the block
  }
  const std::string schema = schemaOf("upgrade2");
  // Version 2's layout, with two samples staged after the block (as a version 2 writer left them).
  ASSERT_EQ(testing::pgExec(conninfo_, "DROP TABLE " + schema + ".staged_groups; ALTER TABLE " + schema +
                                           ".series DROP COLUMN staged_after; CREATE TABLE " + schema +
                                           ".staged_samples(series_id BIGINT NOT NULL, t BIGINT NOT NULL, v DOUBLE"
                                           " PRECISION NOT NULL, PRIMARY KEY(series_id, t)); INSERT INTO " + schema +
                                           ".staged_samples SELECT id, " + std::to_string(2 * kSecond) +
                                           ", 2.0 FROM " + schema + ".series UNION ALL SELECT id, " +
                                           std::to_string(3 * kSecond) + ", 3.0 FROM " + schema +
                                           ".series; UPDATE " + schema +
                                           ".history_meta SET value = 2 WHERE key = 'schema_version'"),
            "");
  auto store = open("upgrade2");
  ASSERT_NE(store, nullptr);
  EXPECT_FALSE(has(tables(schema), "staged_samples"));
  EXPECT_EQ(liveStaged(schema), 2);
  auto rows = store->range("meter", "kw", 0, kHour, 10);
  ASSERT_TRUE(rows.isOk()) << rows.status().toString();
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[2].time, 3 * kSecond);
  EXPECT_EQ((*rows)[2].value, 3.0);
  // The writer resumes the block with them, and the next sample follows.
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"meter", "kw", 4 * kSecond, 4.0}}));
  rows = store->range("meter", "kw", 0, kHour, 10);
  ASSERT_TRUE(rows.isOk()) << rows.status().toString();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[1].value, 2.0);
  EXPECT_EQ(liveStaged(schema), 0);  // resumed: written whole
}

// A commit that only adds samples to an open block stages them as rows instead of writing the block again; every
// reader (another store object), a writer that resumes the block (another object again), the rollups and
// retention see them, quantised as the block stores them, and the block is written whole again after
// pg_history::kMaxStagedPerSeries staged samples.
TEST_P(PgHistoryTest, CommitsStageNewSamplesThatEveryReadSees) {
  testing::StoreOptions o;
  o.resolutions = {{"kw", 0.5}};
  auto writer = open("staged", o);
  auto reader = open("staged", o);
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  const std::string schema = schemaOf("staged");
  const auto staged = [&] { return liveStaged(schema); };
  const auto value = [](int k) { return 0.3 * k; };  // stored as round(v / 0.5) * 0.5
  int k = 0;
  for (; k < 10; ++k) {
    ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"meter", "kw", k * kSecond, value(k)}}));
  }
  EXPECT_EQ(staged(), 9);  // the first commit wrote the block, the others staged their sample
  EXPECT_EQ(stagedRows(schema), 9);
  const auto check = [&](HistoryStore& store, int n) {
    auto rows = store.range("meter", "kw", 0, kHour, 1000);
    ASSERT_TRUE(rows.isOk()) << rows.status().toString();
    ASSERT_EQ(rows->size(), static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ((*rows)[static_cast<std::size_t>(i)].time, i * kSecond);
      EXPECT_EQ((*rows)[static_cast<std::size_t>(i)].value, std::round(value(i) / 0.5) * 0.5) << i;
    }
    auto part = store.range("meter", "kw", 3 * kSecond, 5 * kSecond, 2);  // a window of staged samples, cut
    ASSERT_TRUE(part.isOk());
    ASSERT_EQ(part->size(), 2u);
    EXPECT_EQ((*part)[1].time, 4 * kSecond);
    auto minute = store.summary("meter", "kw", 0, kHour - 1, 1);
    ASSERT_TRUE(minute.isOk()) << minute.status().toString();
    ASSERT_EQ(minute->buckets.size(), 1u);
    EXPECT_EQ(minute->buckets[0].count, static_cast<std::uint64_t>(n));
  };
  check(*reader, 10);
  {
    // Another writer resumes the open block with its staged samples, and a sample at a staged time is not
    // replaced.
    auto second = open("staged", o);
    ASSERT_NE(second, nullptr);
    ASSERT_TRUE(second->append(std::vector<HistorySample>{{"meter", "kw", 9 * kSecond, 100.0},
                                                          {"meter", "kw", 10 * kSecond, value(10)}}));
    EXPECT_EQ(second->samplesNotReplaced(), 1u);
    ++k;
  }
  check(*reader, 11);
  EXPECT_EQ(staged(), 0);  // the second writer wrote the block whole
  for (; k < 11 + 2 * static_cast<int>(kStagedLimit); ++k) {
    ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"meter", "kw", k * kSecond, value(k)}}));
    EXPECT_LE(staged(), static_cast<int>(kStagedLimit));
    // The writer deletes its rows once their samples are in the block; the first writer's 9, which the second
    // wrote whole, wait for retention.
    EXPECT_LE(stagedRows(schema), 9 + static_cast<int>(kStagedLimit));
  }
  check(*reader, k);
  check(*writer, k);
  auto report = writer->applyLevelRetention(HistoryCutoffs{2 * kSecond, kNoCutoff, kNoCutoff});
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(staged(), 0);  // retention works on whole blocks
  EXPECT_EQ(stagedRows(schema), 0);
  auto rows = reader->range("meter", "kw", 0, kHour, 1000);
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), static_cast<std::size_t>(k - 2));
  EXPECT_EQ(rows->front().time, 2 * kSecond);
}

// Samples of many series staged in one commit share a row per group of pg_history::kStagedGroupSeries series ids;
// each series reads back its own, before and after its block is written whole, while the rows stay bounded.
TEST_P(PgHistoryTest, StagedSamplesOfManySeriesShareARowPerGroup) {
  auto writer = open("groups");
  auto reader = open("groups");
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  const std::string schema = schemaOf("groups");
  constexpr int kSeries = 40;
  const auto sweep = [](int k) {
    std::vector<HistorySample> batch;
    for (int e = 0; e < kSeries; ++e) batch.push_back({"e" + std::to_string(e), "kw", k * kSecond, 1000.0 * e + k});
    return batch;
  };
  const auto check = [&](int sweeps) {
    for (int e = 0; e < kSeries; ++e) {
      auto rows = reader->range("e" + std::to_string(e), "kw", 0, kHour, 10'000);
      ASSERT_TRUE(rows.isOk()) << rows.status().toString();
      ASSERT_EQ(rows->size(), static_cast<std::size_t>(sweeps)) << e;
      for (int k = 0; k < sweeps; ++k) {
        ASSERT_EQ((*rows)[static_cast<std::size_t>(k)].value, 1000.0 * e + k) << e << " " << k;
      }
    }
  };
  int k = 0;
  for (; k < 5; ++k) ASSERT_TRUE(writer->append(sweep(k)));
  EXPECT_EQ(liveStaged(schema), 4 * kSeries);
  const int groups = countOf("SELECT count(DISTINCT id / " + std::to_string(pg_history::kStagedGroupSeries) +
                             ") FROM " + schema + ".series");
  EXPECT_GE(groups, 2);
  EXPECT_EQ(stagedRows(schema), 4 * groups);  // not a row per sample
  check(k);
  for (; k < 3 * static_cast<int>(kStagedLimit); ++k) {
    ASSERT_TRUE(writer->append(sweep(k)));
    EXPECT_LE(liveStaged(schema), kSeries * static_cast<int>(kStagedLimit));
    EXPECT_LE(stagedRows(schema), groups * static_cast<int>(kStagedLimit + 1)) << k;
  }
  check(k);
}

// A first write of many series new to the database (a twin starting on a city) takes a few statements, not
// several per series (five round trips each before: a quarter of the paced benchmark's time, minutes for the
// soak's 380,000 series); so does the first write of another store that resumes them (their open blocks and staged
// samples read in one go), and every sample reads back; a window read is one statement; playback's window of all
// of them (summaries(), by a store that has looked nothing up) a few. In a database of its own: pg_stat_statements counts per
// database (the fixture's server preloads it).
TEST_P(PgHistoryTest, ManySeriesTakeAFewStatementsToWriteFirstAndToPlayBack) {
  const std::string db = "gt_statements_" + std::to_string(::getpid());
  (void)testing::pgExec(conninfo_, "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
  ASSERT_EQ(testing::pgExec(conninfo_, "CREATE DATABASE " + db), "");
  ASSERT_EQ(testing::pgExec(conninfo_, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements"), "");
  const std::string where = conninfo_ + " dbname=" + db;
  const auto statements = [&] {
    const std::string n = testing::pgRows(conninfo_, "SELECT coalesce(sum(s.calls), 0) FROM pg_stat_statements s"
                                                     " JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = '" +
                                                         db + "'")
                              .at(0);
    EXPECT_EQ(n.find("ERROR"), std::string::npos) << n;
    return std::atoll(n.c_str());
  };
  constexpr int kEntities = 300;
  const std::vector<std::string> attributes = {"kw", "kwh", "co2", "temp"};  // 1,200 series
  const auto sweep = [&](int k) {
    std::vector<HistorySample> batch;
    for (int e = 0; e < kEntities; ++e) {
      for (std::size_t a = 0; a < attributes.size(); ++a) {
        batch.push_back({"building/" + std::to_string(e), attributes[a], k * kSecond, 10.0 * e + a + 0.25 * k});
      }
    }
    return batch;
  };
  constexpr int kSweeps = 5;
  {
    auto first = openPgHistory(where);
    ASSERT_TRUE(first.isOk()) << first.status().toString();
    const long long before = statements();
    ASSERT_TRUE((*first)->append(sweep(0)));
    EXPECT_LE(statements() - before, 20);
    for (int k = 1; k < kSweeps - 1; ++k) ASSERT_TRUE((*first)->append(sweep(k)));  // staged
  }
  {
    auto second = openPgHistory(where);
    ASSERT_TRUE(second.isOk()) << second.status().toString();
    const long long before = statements();
    ASSERT_TRUE((*second)->append(sweep(kSweeps - 1)));
    EXPECT_LE(statements() - before, 20);
    for (int e = 0; e < kEntities; e += 7) {
      for (std::size_t a = 0; a < attributes.size(); ++a) {
        auto rows = (*second)->range("building/" + std::to_string(e), attributes[a], 0, kHour, 100);
        ASSERT_TRUE(rows.isOk()) << rows.status().toString();
        ASSERT_EQ(rows->size(), static_cast<std::size_t>(kSweeps)) << e << " " << attributes[a];
        for (int k = 0; k < kSweeps; ++k) {
          EXPECT_EQ((*rows)[static_cast<std::size_t>(k)].value, 10.0 * e + a + 0.25 * k) << e << " " << k;
        }
      }
    }
    // A window read of a series looked up before is one statement (no read transaction around it).
    const long long beforeRead = statements();
    auto rows = (*second)->range("building/0", "kw", 0, kHour, 100);
    ASSERT_TRUE(rows.isOk()) << rows.status().toString();
    EXPECT_EQ(rows->size(), static_cast<std::size_t>(kSweeps));
    EXPECT_EQ(statements() - beforeRead, 1);
    // Playback's window of all of them (summaries()): a few statements too, not several a series, each series its
    // own samples.
    std::vector<HistorySeries> list;
    for (int e = 0; e < kEntities; ++e) {
      for (const std::string& a : attributes) list.push_back({"building/" + std::to_string(e), a});
    }
    auto third = openPgHistory(where);  // a wall node that has looked nothing up yet
    ASSERT_TRUE(third.isOk()) << third.status().toString();
    const long long beforeWindow = statements();
    std::size_t visited = 0;
    Status window = (*third)->summaries(list, 0, kHour, 8192, [&](const HistorySeries& one, HistorySummary&& got) {
      const std::size_t e = visited / attributes.size();
      const std::size_t a = visited % attributes.size();
      ++visited;
      EXPECT_EQ(one, list[visited - 1]);
      EXPECT_TRUE(got.raw);
      EXPECT_EQ(got.buckets.size(), static_cast<std::size_t>(kSweeps)) << one.entityId << " " << one.attribute;
      for (std::size_t k = 0; k < std::min<std::size_t>(got.buckets.size(), kSweeps); ++k) {
        EXPECT_EQ(got.buckets[k].mean, 10.0 * static_cast<double>(e) + static_cast<double>(a) + 0.25 * k);
      }
      return Status::ok();
    });
    EXPECT_TRUE(window) << window.toString();
    EXPECT_EQ(visited, list.size());
    EXPECT_LE(statements() - beforeWindow, 10);
  }
  EXPECT_EQ(testing::pgExec(conninfo_, "DROP DATABASE " + db + " WITH (FORCE)"), "");
}

// The wall's nodes: one twin writes, others read the same database through store objects of their own.
TEST_P(PgHistoryTest, SeveralStoresReadOneDatabaseWhileOneWrites) {
  auto writer = open("shared", 10);
  auto reader = open("shared", 10);
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  std::vector<HistorySample> batch;
  for (int k = 0; k < 25; ++k) batch.push_back({"node", "v", k * kSecond, 1.0 * k});
  ASSERT_TRUE(writer->append(batch));
  auto rows = reader->range("node", "v", 0, kHour, 100);
  ASSERT_TRUE(rows.isOk()) << rows.status().toString();
  ASSERT_EQ(rows->size(), 25u);
  EXPECT_EQ(rows->back().value, 24.0);
  // More written after the reader's first read: the reader sees them (no cache of the writer's blocks).
  ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"node", "v", 25 * kSecond, 25.0}, {"other", "w", 1, 2.0}}));
  rows = reader->range("node", "v", 0, kHour, 100);
  ASSERT_TRUE(rows.isOk());
  EXPECT_EQ(rows->size(), 26u);
  auto minute = reader->summary("node", "v", 0, 60 * kSecond - 1, 1);
  ASSERT_TRUE(minute.isOk());
  ASSERT_EQ(minute->buckets.size(), 1u);
  EXPECT_EQ(minute->buckets[0], (HistoryBucket{0, 0, 25, 12.5, 26}));
  auto series = reader->series();
  ASSERT_TRUE(series.isOk());
  EXPECT_EQ(series->size(), 2u);
  // A third twin opening the existing database finds it as it is.
  auto third = open("shared");
  ASSERT_NE(third, nullptr);
  EXPECT_EQ(third->range("other", "w", 0, 10, 10)->size(), 1u);
}

// The server restarts or a network cut: the call that finds the connection gone fails as transient, the next one
// connects again; through the HistoryWriter nothing is lost.
TEST_P(PgHistoryTest, LostConnectionIsTransientAndTheWriterRetries) {
  const std::string app = "gt_victim_" + std::to_string(::getpid());
  testing::StoreOptions o;
  o.applicationName = app;
  auto store = open("lost", o);
  ASSERT_NE(store, nullptr);
  const auto kill = [&] {
    return testing::pgRows(conninfo_, "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE "
                                      "application_name = '" + app + "'");
  };
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"e", "v", 1, 1.0}}));
  ASSERT_EQ(kill(), std::vector<std::string>{"1"});
  const Status failed = store->append(std::vector<HistorySample>{{"e", "v", 2, 2.0}});
  ASSERT_FALSE(failed.isOk());
  EXPECT_TRUE(store->lastFailureTransient()) << failed.toString();
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"e", "v", 2, 2.0}})) << "";  // connected again
  EXPECT_FALSE(store->lastFailureTransient());
  EXPECT_EQ(store->range("e", "v", 0, 10, 10)->size(), 2u);

  std::atomic<std::uint64_t> committed{0};
  HistoryWriterOptions w;
  w.flushInterval = std::chrono::milliseconds(5);
  w.onCommit = [&](std::span<const std::uint64_t> seqs) { committed = seqs.back(); };
  HistoryWriter writer(std::move(store), w);
  writer.submit(std::vector<HistorySample>{{"e", "v", 3, 3.0}});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (committed.load() < 1 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(committed.load(), 1u);
  ASSERT_EQ(kill(), std::vector<std::string>{"1"});
  writer.submit(std::vector<HistorySample>{{"e", "v", 4, 4.0}});
  writer.stop();
  const HistoryWriterStats s = writer.stats();
  EXPECT_GE(s.retries, 1u);
  EXPECT_EQ(s.errors, 0u);
  EXPECT_EQ(s.writtenSamples, 2u);
  auto reader = open("lost");
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->range("e", "v", 0, 10, 10)->size(), 4u);
}

// Another connection holds the history's write lock (its epoch row) past the store's lock_timeout: the write fails
// as transient and nothing of it is stored; once the lock goes, the same batch goes in.
TEST_P(PgHistoryTest, AWriteLockHeldElsewhereIsTransient) {
  testing::StoreOptions o;
  o.busyTimeoutMs = 200;
  auto store = open("locked", o);
  ASSERT_NE(store, nullptr);
  const std::vector<HistorySample> batch{{"e", "v", 1, 1.0}, {"e", "v", 2, 2.0}};
  PGconn* holder = PQconnectdb(location("locked").c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK) << PQerrorMessage(holder);
  const auto exec = [&](const char* sql) {
    PGresult* r = PQexec(holder, sql);
    const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    return ok;
  };
  ASSERT_TRUE(exec("BEGIN"));
  ASSERT_TRUE(exec("SELECT value FROM history_meta WHERE key = 'epoch' FOR UPDATE"));
  const Status failed = store->append(batch);
  EXPECT_FALSE(failed.isOk());
  EXPECT_TRUE(store->lastFailureTransient()) << failed.toString();
  ASSERT_TRUE(exec("COMMIT"));
  PQfinish(holder);
  EXPECT_TRUE(store->range("e", "v", 0, 10, 10)->empty());
  ASSERT_TRUE(store->append(batch)) << "";
  EXPECT_EQ(store->range("e", "v", 0, 10, 10)->size(), 2u);
}

TEST_P(PgHistoryTest, UnreachableServerIsAnIoErrorNamingTheDatabase) {
  auto r = openPgHistory("host=" + dir_.string() + " port=1 dbname=nowhere connect_timeout=2 password=secret");
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::IoError);
  EXPECT_NE(r.status().message().find("'nowhere'"), std::string::npos) << r.status().toString();
  EXPECT_EQ(r.status().message().find("secret"), std::string::npos) << r.status().toString();
}

}  // namespace
}  // namespace gt::connectors
