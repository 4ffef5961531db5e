// The compact history (issue 15): rollups and summary() on hand-computed series, late samples, per-level
// retention through the index, a writer's cached open block after another connection's retention and declared
// resolutions against every backend (SQLite and PostgreSQL, HistoryLevelsTest/*); the SQLite file's own cases: the
// version 1 migration, and the three findings of issue 15 (a foreign file switched to WAL, a flush dropped while another
// connection holds the lock, retention in one long transaction).

#include <sqlite3.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "history_backend.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;
constexpr TimePoint kSecond = kMicrosPerSecond;

class SqliteHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gt_sqlite_history_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  std::unique_ptr<HistoryStore> open(const std::string& path, std::size_t blockPoints = 120, int busyMs = 5000) {
    SqliteHistoryOptions o;
    o.blockPoints = blockPoints;
    o.busyTimeoutMs = busyMs;
    auto r = openSqliteHistory(path, o);
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return r ? std::move(r).value() : nullptr;
  }

  fs::path dir_;
};

// The cases that hold for every backend (rollups, summary(), late samples, retention, resolutions): against SQLite
// and PostgreSQL (history_backend.hpp).
class HistoryLevelsTest : public testing::HistoryBackendTest {};
INSTANTIATE_TEST_SUITE_P(Backends, HistoryLevelsTest,
                         ::testing::Values(testing::HistoryBackend::Sqlite, testing::HistoryBackend::Postgres),
                         testing::backendName);

void execSql(sqlite3* db, const std::string& sql) {
  char* message = nullptr;
  ASSERT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message), SQLITE_OK) << (message ? message : "");
}

std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// k = 0 .. n-1: a sample every second with the value k % 60, so every whole minute holds 0..59 (min 0, max 59,
// mean 29.5, count 60).
std::vector<HistorySample> minuteRamp(int n) {
  std::vector<HistorySample> out;
  for (int k = 0; k < n; ++k) out.push_back({"s", "v", k * kSecond, static_cast<double>(k % 60)});
  return out;
}

TEST_P(HistoryLevelsTest, SummaryReadsTheLevelTheRangeNeedsAndAddsTheOpenBlock) {
  auto store = open(std::string("h.sqlite"));
  ASSERT_NE(store, nullptr);
  // 10,830 samples: 90 closed blocks of 120 (3 h, rolled up) and an open block of 30 (minute 180, 0..29).
  ASSERT_TRUE(store->append(minuteRamp(10'830)));

  // 181 minutes in 181 points: (10,860 s - 1 µs) / 181 + 1 µs = 60 s, the minute level.
  auto minutes = store->summary("s", "v", 0, 181 * 60 * kSecond - 1, 181);
  ASSERT_TRUE(minutes.isOk()) << minutes.status().toString();
  EXPECT_EQ(minutes->level, HistoryLevel::Minute);
  EXPECT_FALSE(minutes->raw);
  EXPECT_EQ(minutes->bucketWidth, 60 * kSecond);
  ASSERT_EQ(minutes->buckets.size(), 181u);
  for (std::size_t m = 0; m < 180; ++m) {
    EXPECT_EQ(minutes->buckets[m], (HistoryBucket{static_cast<TimePoint>(m) * 60 * kSecond, 0, 59, 29.5, 60})) << m;
  }
  EXPECT_EQ(minutes->buckets[180], (HistoryBucket{180 * 60 * kSecond, 0, 29, 14.5, 30}));  // from the open block

  auto hours = store->summary("s", "v", 0, 4 * 3600 * kSecond - 1, 4);
  ASSERT_TRUE(hours.isOk()) << hours.status().toString();
  EXPECT_EQ(hours->level, HistoryLevel::Hour);
  EXPECT_EQ(hours->bucketWidth, 3600 * kSecond);
  ASSERT_EQ(hours->buckets.size(), 4u);
  for (std::size_t h = 0; h < 3; ++h) {
    EXPECT_EQ(hours->buckets[h], (HistoryBucket{static_cast<TimePoint>(h) * 3600 * kSecond, 0, 59, 29.5, 3600}));
  }
  EXPECT_EQ(hours->buckets[3], (HistoryBucket{3 * 3600 * kSecond, 0, 29, 14.5, 30}));

  // Few samples: raw.
  auto raw = store->summary("s", "v", 0, 99 * kSecond, 1000);
  ASSERT_TRUE(raw.isOk());
  EXPECT_TRUE(raw->raw);
  EXPECT_EQ(raw->level, HistoryLevel::Raw);
  ASSERT_EQ(raw->buckets.size(), 100u);
  EXPECT_EQ(raw->buckets[61], (HistoryBucket{61 * kSecond, 1, 1, 1, 1}));

  // Two minutes in 4 points: 30 s buckets are finer than a minute, so raw samples regrouped.
  auto fine = store->summary("s", "v", 0, 120 * kSecond - 1, 4);
  ASSERT_TRUE(fine.isOk());
  EXPECT_EQ(fine->level, HistoryLevel::Raw);
  EXPECT_FALSE(fine->raw);
  EXPECT_EQ(fine->bucketWidth, 30 * kSecond);
  ASSERT_EQ(fine->buckets.size(), 4u);
  EXPECT_EQ(fine->buckets[0], (HistoryBucket{0, 0, 29, 14.5, 30}));
  EXPECT_EQ(fine->buckets[3], (HistoryBucket{90 * kSecond, 30, 59, 44.5, 30}));

  for (auto empty : {store->summary("nobody", "v", 0, 10, 10), store->summary("s", "v", 10, 5, 10),
                     store->summary("s", "v", 0, 10, 0)}) {
    ASSERT_TRUE(empty.isOk());
    EXPECT_TRUE(empty->buckets.empty());
  }
}

// A range that starts before the series does (a playback window near the start of the recording) is read at the
// level the range needs: the series' first rollup points lie before its first sample (their buckets start on the
// minute and the hour), which is not retention having taken raw samples.
TEST_P(HistoryLevelsTest, SummaryOfARangeStartingBeforeTheSeriesStaysRaw) {
  auto store = open(std::string("late_start.sqlite"));
  ASSERT_NE(store, nullptr);
  // 600 samples from 90 s (5 closed blocks, rolled up: minutes from 60 s, hours from 0).
  std::vector<HistorySample> batch;
  for (int k = 0; k < 600; ++k) batch.push_back({"s", "v", (90 + k) * kSecond, static_cast<double>(k)});
  ASSERT_TRUE(store->append(batch));

  auto raw = store->summary("s", "v", 0, 1000 * kSecond, 1000);
  ASSERT_TRUE(raw.isOk()) << raw.status().toString();
  EXPECT_EQ(raw->level, HistoryLevel::Raw);
  EXPECT_TRUE(raw->raw);
  ASSERT_EQ(raw->buckets.size(), 600u);
  EXPECT_EQ(raw->buckets[0], (HistoryBucket{90 * kSecond, 0, 0, 0, 1}));
  EXPECT_EQ(raw->buckets[599], (HistoryBucket{689 * kSecond, 599, 599, 599, 1}));

  // Denser than 100 points: 10 s buckets of the raw samples (finer than a minute), the first from 90 s.
  auto fine = store->summary("s", "v", 0, 1000 * kSecond - 1, 100);
  ASSERT_TRUE(fine.isOk());
  EXPECT_EQ(fine->level, HistoryLevel::Raw);
  EXPECT_EQ(fine->bucketWidth, 10 * kSecond);
  ASSERT_EQ(fine->buckets.size(), 60u);
  EXPECT_EQ(fine->buckets[0], (HistoryBucket{90 * kSecond, 0, 9, 4.5, 10}));

  // Minute buckets: from the minute level (its first point, minute 1, holds samples 0..29).
  auto minutes = store->summary("s", "v", 0, 12 * 60 * kSecond - 1, 12);
  ASSERT_TRUE(minutes.isOk());
  EXPECT_EQ(minutes->level, HistoryLevel::Minute);
  ASSERT_EQ(minutes->buckets.size(), 11u);
  EXPECT_EQ(minutes->buckets[0], (HistoryBucket{60 * kSecond, 0, 29, 14.5, 30}));
}

TEST_P(HistoryLevelsTest, LateSamplesJoinTheirBlockAndTheRollupsFollowButNeverReplaceOne) {
  auto store = open(std::string("late.sqlite"));
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->append(minuteRamp(10'830)));
  // t = 100 s holds 40 (rolled up already): 1000 for it is left out. A new time 100.5 s with -5. And 10,828.5 s,
  // in the open block.
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"s", "v", 100 * kSecond, 1000.0},
                                                       {"s", "v", 100 * kSecond + kSecond / 2, -5.0},
                                                       {"s", "v", 10'828 * kSecond + kSecond / 2, 7.0}}));
  auto rows = store->range("s", "v", 99 * kSecond, 101 * kSecond, 10);
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[1].value, 40.0);
  EXPECT_EQ(store->samplesNotReplaced(), 1u);
  EXPECT_EQ((*rows)[2].time, 100 * kSecond + kSecond / 2);
  EXPECT_EQ((*rows)[2].value, -5.0);

  auto minutes = store->summary("s", "v", 0, 181 * 60 * kSecond - 1, 181);
  ASSERT_TRUE(minutes.isOk());
  ASSERT_EQ(minutes->buckets.size(), 181u);
  // Minute 1: 0..59 and -5 added: sum 1770 - 5 = 1765 over 61.
  EXPECT_EQ(minutes->buckets[1], (HistoryBucket{60 * kSecond, -5, 59, 1765.0 / 61, 61}));
  EXPECT_EQ(minutes->buckets[2], (HistoryBucket{120 * kSecond, 0, 59, 29.5, 60}));
  // The open block's minute: 0..29 and 7: sum 435 + 7 over 31.
  EXPECT_EQ(minutes->buckets[180], (HistoryBucket{180 * 60 * kSecond, 0, 29, 442.0 / 31, 31}));

  auto hours = store->summary("s", "v", 0, 4 * 3600 * kSecond - 1, 4);
  ASSERT_TRUE(hours.isOk());
  ASSERT_EQ(hours->buckets.size(), 4u);
  EXPECT_EQ(hours->buckets[0].count, 3601u);
  EXPECT_EQ(hours->buckets[0].min, -5);
  EXPECT_EQ(hours->buckets[0].max, 59);
  EXPECT_NEAR(hours->buckets[0].mean, (3600 * 29.5 - 5) / 3601, 1e-9);
}

// Issue 15: "any admitted key may ... overwrite recorded history". Whoever sends a sample with the time of a
// recorded one (another publisher, another connection, a replay), the first recorded value stays: in the open
// block, in a closed block that is rolled up, and in the rollups.
TEST_P(HistoryLevelsTest, RecordedSamplesAreNeverReplaced) {
  const std::string path = std::string("keep.sqlite");
  auto store = open(path, 10);
  auto other = open(path, 10);
  ASSERT_NE(store, nullptr);
  ASSERT_NE(other, nullptr);
  std::vector<HistorySample> first;
  for (int k = 0; k < 25; ++k) first.push_back({"s", "v", k * kSecond, 1.0 * k});  // blocks 0..9, 10..19 closed
  ASSERT_TRUE(store->append(first));
  const auto before = store->summary("s", "v", 0, 60 * kSecond - 1, 1);
  ASSERT_TRUE(before.isOk());
  // A forged value for a closed (rolled-up) sample, one for the open block, and a new sample between two.
  ASSERT_TRUE(other->append(std::vector<HistorySample>{{"s", "v", 3 * kSecond, -1000.0},
                                                       {"s", "v", 22 * kSecond, 1000.0},
                                                       {"s", "v", 22 * kSecond + 1, 7.0}}));
  // The same again through the first connection, in a batch with a sample of its own.
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"s", "v", 24 * kSecond, 99.0}, {"s", "v", 25 * kSecond, 25.0}}));
  EXPECT_EQ(other->samplesNotReplaced(), 2u);
  EXPECT_EQ(store->samplesNotReplaced(), 1u);
  auto rows = store->range("s", "v", 0, 100 * kSecond, 100);
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 27u);
  for (const HistorySample& h : *rows) {
    const double expected = h.time == 22 * kSecond + 1 ? 7.0 : static_cast<double>(h.time / kSecond);
    EXPECT_EQ(h.value, expected) << h.time;
  }
  // The minute's rollup counts the new sample and nothing else changed: 0..25 and 7.
  const auto after = store->summary("s", "v", 0, 60 * kSecond - 1, 1);
  ASSERT_TRUE(after.isOk());
  ASSERT_EQ(after->buckets.size(), 1u);
  EXPECT_EQ(after->buckets[0], (HistoryBucket{0, 0, 25, (325.0 + 7) / 27, 27}));
  EXPECT_EQ(before->buckets[0].count, 25u);
}

TEST_P(HistoryLevelsTest, NaNSamplesStayOutOfTheRollups) {
  auto store = open(std::string("nan.sqlite"), 4);
  ASSERT_NE(store, nullptr);
  std::vector<HistorySample> batch;
  for (int k = 0; k < 9; ++k) batch.push_back({"s", "v", k * kSecond, k % 3 == 0 ? std::nan("") : k * 1.0});
  ASSERT_TRUE(store->append(batch));
  // Minute 0: 1, 2, 4, 5, 7, 8 (the NaNs at 0, 3, 6 left out).
  auto m = store->summary("s", "v", 0, 60 * kSecond - 1, 1);
  ASSERT_TRUE(m.isOk());
  EXPECT_EQ(m->level, HistoryLevel::Minute);
  ASSERT_EQ(m->buckets.size(), 1u);
  EXPECT_EQ(m->buckets[0], (HistoryBucket{0, 1, 8, 27.0 / 6, 6}));
  auto rows = store->range("s", "v", 0, 10 * kSecond, 100);
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 9u);
  EXPECT_TRUE(std::isnan((*rows)[3].value));
}

// Retention finds old blocks through the (level, t_first) index, in transactions of at most 256 blocks, and
// re-encodes the one block of each series that straddles the cut-off.
TEST_P(HistoryLevelsTest, RetentionVisitsOnlyOldBlocksInShortTransactions) {
  auto store = open(std::string("ret.sqlite"), 100);
  ASSERT_NE(store, nullptr);
  std::vector<HistorySample> batch;
  for (int s = 0; s < 200; ++s) {
    for (int k = 0; k < 2000; ++k) batch.push_back({"e" + std::to_string(s), "v", k * kSecond, k * 0.5});
  }
  ASSERT_TRUE(store->append(batch));
  // Per series 20 raw blocks of 100 samples (block b: samples 100b .. 100b+99). Cut at sample 1050: blocks 0..9
  // go, block 10 is trimmed to 1050..1099; 11 of 20 blocks visited. 200 x 11 = 2200 = 8 x 256 + 152: 9 commits.
  HistoryCutoffs cut;
  cut.raw = 1050 * kSecond;
  auto report = store->applyLevelRetention(cut);
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  EXPECT_EQ(report->blocksVisited, 2200u);
  EXPECT_EQ(report->blocksDeleted, 2000u);
  EXPECT_EQ(report->blocksTrimmed, 200u);
  EXPECT_EQ(report->transactions, 9u);
  for (const char* e : {"e0", "e199"}) {
    auto rows = store->range(e, "v", 0, 3000 * kSecond, 5000);
    ASSERT_TRUE(rows.isOk());
    ASSERT_EQ(rows->size(), 950u);
    EXPECT_EQ(rows->front().time, 1050 * kSecond);
    EXPECT_EQ(rows->front().value, 525.0);
  }
  // The rollups keep what raw retention took: minute 0 (samples 0..59) is still there.
  auto m = store->summary("e0", "v", 0, 60 * kSecond - 1, 1);
  ASSERT_TRUE(m.isOk());
  EXPECT_EQ(m->level, HistoryLevel::Minute);
  ASSERT_EQ(m->buckets.size(), 1u);
  EXPECT_EQ(m->buckets[0], (HistoryBucket{0, 0, 29.5, 14.75, 60}));
  // Nothing more to do: the index gives nothing.
  report = store->applyLevelRetention(cut);
  ASSERT_TRUE(report.isOk());
  EXPECT_EQ(report->blocksVisited, 0u);
  EXPECT_EQ(report->transactions, 1u);
}

// Another connection's retention trims the block this writer holds open in memory: the writer must not write its
// old samples back.
TEST_P(HistoryLevelsTest, RetentionOnAnotherConnectionIsSeenByTheWriter) {
  const std::string path = std::string("two.sqlite");
  auto writer = open(path);
  auto other = open(path);
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(other, nullptr);
  std::vector<HistorySample> first;
  for (int k = 0; k < 50; ++k) first.push_back({"s", "v", k * kSecond, 1.0 * k});
  ASSERT_TRUE(writer->append(first));
  ASSERT_TRUE(other->applyRetention(25 * kSecond));
  std::vector<HistorySample> second;
  for (int k = 50; k < 60; ++k) second.push_back({"s", "v", k * kSecond, 1.0 * k});
  ASSERT_TRUE(writer->append(second));
  auto rows = other->range("s", "v", 0, 100 * kSecond, 100);
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 35u);
  EXPECT_EQ(rows->front().time, 25 * kSecond);
  EXPECT_EQ(rows->back().time, 59 * kSecond);
}

// Issue 15: "a foreign SQLite file is switched to WAL before it is refused".
TEST_F(SqliteHistoryTest, ForeignSqliteFileIsRefusedAndLeftExactlyAsItWas) {
  const std::string path = file("foreign.sqlite");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    execSql(db, "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes(text) VALUES('mine');");
    sqlite3_close(db);
  }
  const std::string before = readBytes(path);
  ASSERT_GT(before.size(), 100u);
  ASSERT_EQ(before[18], 1);  // legacy (rollback journal) file format: WAL would make it 2
  auto r = openSqliteHistory(path);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::ParseError);
  EXPECT_NE(r.status().message().find("not a GreenTwin history"), std::string::npos) << r.status().toString();
  EXPECT_EQ(readBytes(path), before);
  EXPECT_FALSE(fs::exists(path + "-wal"));
  EXPECT_FALSE(fs::exists(path + "-shm"));
}

// Issue 15: "the writer gives up after 5 s and drops the whole flush" while another connection holds the write
// lock. Here the lock is held past the store's (short) busy timeout: the flush is kept and committed later.
TEST_F(SqliteHistoryTest, WriterKeepsAFlushWhileAnotherConnectionHoldsTheLock) {
  const std::string path = file("locked.sqlite");
  ASSERT_NE(open(path), nullptr);  // creates the file
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &holder), SQLITE_OK);
  {
    HistoryWriterOptions o;
    o.flushInterval = std::chrono::milliseconds(20);
    HistoryWriter writer(open(path, 120, 50), o);
    execSql(holder, "BEGIN IMMEDIATE");
    std::vector<HistorySample> batch;
    for (int k = 0; k < 500; ++k) batch.push_back({"s", "v", k * kSecond, 2.0 * k});
    writer.submit(batch);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // several flushes fail on the lock
    execSql(holder, "COMMIT");
    writer.stop();
    const HistoryWriterStats s = writer.stats();
    EXPECT_GE(s.retries, 1u);
    EXPECT_EQ(s.errors, 0u);
    EXPECT_EQ(s.failedSamples, 0u);
    EXPECT_EQ(s.writtenSamples, 500u);
  }
  sqlite3_close(holder);
  auto store = open(path);
  auto rows = store->range("s", "v", 0, 1000 * kSecond, 1000);
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 500u);
  EXPECT_EQ(rows->back().value, 998.0);
}

// Issue 15: "the writer gives up after 5 s and drops the whole flush". A lock held through many more tries than the
// 20 the writer once gave up after loses nothing; the kept flush stays bounded: past maxKeptSamples its oldest
// batches are dropped, counted.
TEST_F(SqliteHistoryTest, WriterKeepsAFlushThroughALongLockWithinABound) {
  const std::string path = file("long-lock.sqlite");
  ASSERT_NE(open(path), nullptr);  // creates the file
  sqlite3* holder = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &holder), SQLITE_OK);
  auto batch = [](int b) {
    std::vector<HistorySample> out;
    for (int k = 0; k < 100; ++k) out.push_back({"s", "v", (b * 100 + k) * kSecond, 1.0 * (b * 100 + k)});
    return out;
  };
  {
    HistoryWriterOptions o;
    o.flushInterval = std::chrono::milliseconds(2);
    o.maxKeptSamples = 300;
    HistoryWriter writer(open(path, 120, 2), o);  // a 2 ms busy timeout: many tries quickly
    execSql(holder, "BEGIN IMMEDIATE");
    writer.submit(batch(0));
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (writer.stats().retries < 40 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_GE(writer.stats().retries, 40u) << "errors " << writer.stats().errors;
    EXPECT_EQ(writer.stats().errors, 0u);
    // Four more batches while the lock is held: 500 samples would be kept; the two oldest batches go.
    for (int b = 1; b <= 4; ++b) writer.submit(batch(b));
    const std::uint64_t retries = writer.stats().retries;
    while (writer.stats().retries < retries + 5 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    execSql(holder, "COMMIT");
    writer.stop();
    const HistoryWriterStats s = writer.stats();
    EXPECT_EQ(s.errors, 0u);
    EXPECT_EQ(s.failedSamples, 0u);
    EXPECT_EQ(s.droppedBatches, 2u);
    EXPECT_EQ(s.droppedSamples, 200u);
    EXPECT_EQ(s.writtenSamples, 300u);
  }
  sqlite3_close(holder);
  auto rows = open(path)->range("s", "v", 0, 1000 * kSecond, 1000);
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 300u);
  EXPECT_EQ(rows->front().time, 200 * kSecond);
}

// A version 1 file (a row per sample) is migrated to blocks when opened.
TEST_F(SqliteHistoryTest, VersionOneFileIsMigratedToBlocks) {
  const std::string path = file("v1.sqlite");
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    execSql(db,
            "CREATE TABLE entities(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
            "CREATE TABLE attributes(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
            "CREATE TABLE samples(entity_id INTEGER NOT NULL, attribute_id INTEGER NOT NULL, t INTEGER NOT NULL,"
            " value REAL, PRIMARY KEY(entity_id, attribute_id, t)) WITHOUT ROWID;"
            "INSERT INTO entities(id, name) VALUES(1, 'station-1'), (2, 'station-2');"
            "INSERT INTO attributes(id, name) VALUES(1, 'pm25');"
            "PRAGMA application_id=" + std::to_string(kSqliteHistoryApplicationId) + "; PRAGMA user_version=1;");
    execSql(db, "BEGIN");
    for (int k = 0; k < 300; ++k) {
      execSql(db, "INSERT INTO samples VALUES(1, 1, " + std::to_string(k * kSecond) + ", " +
                      (k == 7 ? std::string("NULL") : std::to_string(k)) + ")");
      if (k < 10) execSql(db, "INSERT INTO samples VALUES(2, 1, " + std::to_string(k) + ", 2.5)");
    }
    execSql(db, "COMMIT");
    sqlite3_close(db);
  }
  auto store = open(path);
  ASSERT_NE(store, nullptr);
  auto rows = store->range("station-1", "pm25", 0, 1000 * kSecond, 1000);
  ASSERT_TRUE(rows.isOk());
  ASSERT_EQ(rows->size(), 300u);
  EXPECT_EQ(rows->back().value, 299.0);
  EXPECT_TRUE(std::isnan((*rows)[7].value));
  auto two = store->range("station-2", "pm25", 0, 100, 100);
  ASSERT_TRUE(two.isOk());
  EXPECT_EQ(two->size(), 10u);
  // Minute 0 of station-1: 0..59 without the NULL at 7: sum 1770 - 7 over 59.
  auto m = store->summary("station-1", "pm25", 0, 60 * kSecond - 1, 1);
  ASSERT_TRUE(m.isOk());
  ASSERT_EQ(m->buckets.size(), 1u);
  EXPECT_EQ(m->buckets[0], (HistoryBucket{0, 0, 59, 1763.0 / 59, 59}));
  store.reset();
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT (SELECT count(*) FROM sqlite_schema WHERE name='samples'),"
                                   " (SELECT user_version FROM pragma_user_version)", -1, &st, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 0);  // the row table is gone
  EXPECT_EQ(sqlite3_column_int(st, 1), kSqliteHistorySchemaVersion);
  sqlite3_finalize(st);
  sqlite3_close(db);
  EXPECT_TRUE(verifySqliteHistory(path));
}

TEST_F(SqliteHistoryTest, NewerSchemaVersionIsRefused) {
  const std::string path = file("newer.sqlite");
  ASSERT_NE(open(path), nullptr);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  execSql(db, "PRAGMA user_version=" + std::to_string(kSqliteHistorySchemaVersion + 1));
  sqlite3_close(db);
  auto r = openSqliteHistory(path);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::Unsupported);
  EXPECT_NE(r.status().message().find("newer than this build reads"), std::string::npos);
}

// Regular times and a repeated value cost two bits a sample: 100 series x 1200 samples in a file of a few pages.
// The writer holds only the tail of each open block: a sample a commit, as the twin writes many series, is stored
// by putting the new tail after the stored bytes. Every sample reads back, through the open block and the blocks it
// closed (with their rollups), and the stored blocks stay BLOBs of the encoded bytes.
TEST_F(SqliteHistoryTest, OpenBlocksGrowInTheFileASampleACommit) {
  const std::string path = file("tails.sqlite");
  std::vector<HistorySample> written;
  {
    SqliteHistoryOptions o;
    o.resolutions = {{"q", 0.01}};
    auto r = openSqliteHistory(path, o);
    ASSERT_TRUE(r.isOk()) << r.status().toString();
    std::mt19937_64 rng(11);
    for (int k = 0; k < 300; ++k) {
      std::vector<HistorySample> commit;
      for (const char* attribute : {"v", "q"}) {
        const double value = 100.0 + static_cast<double>(rng() % 100'000) / 7.0;
        commit.push_back({"e1", attribute, k * 23 * kSecond + static_cast<TimePoint>(rng() % 2000), value});
      }
      ASSERT_TRUE((*r)->append(commit)) << k;
      written.insert(written.end(), commit.begin(), commit.end());
    }
  }
  auto store = open(path);
  ASSERT_NE(store, nullptr);
  for (const char* attribute : {"v", "q"}) {
    auto got = store->range("e1", attribute, 0, 300 * 23 * kSecond, 1000);
    ASSERT_TRUE(got.isOk()) << got.status().toString();
    std::vector<HistorySample> want;
    for (const HistorySample& h : written) {
      if (h.attribute == attribute) want.push_back(h);
    }
    ASSERT_EQ(got->size(), want.size()) << attribute;
    for (std::size_t i = 0; i < want.size(); ++i) {
      EXPECT_EQ((*got)[i].time, want[i].time);
      EXPECT_NEAR((*got)[i].value, want[i].value, std::string(attribute) == "q" ? 0.005 : 0.0) << attribute << i;
    }
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT count(*), sum(typeof(data) = 'blob'), sum(level = 0) FROM blocks", -1, &st,
                               nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), sqlite3_column_int(st, 1));  // every block a BLOB
  EXPECT_GE(sqlite3_column_int(st, 2), 4);  // "v" closed blocks at 120 samples: 3 raw blocks, and q's open one
  sqlite3_finalize(st);
  sqlite3_close(db);
}

TEST_F(SqliteHistoryTest, RegularRepeatedSamplesTakeAFewBitsEach) {
  const std::string path = file("small.sqlite");
  {
    auto store = open(path);
    std::vector<HistorySample> batch;
    for (int s = 0; s < 100; ++s) {
      for (int k = 0; k < 1200; ++k) batch.push_back({"e" + std::to_string(s), "v", k * kSecond, 20.0});
    }
    ASSERT_TRUE(store->append(batch));
  }
  // Raw: 10 blocks of 120 per series, 4 + 16 + 5 + ~30 bytes each; rollups 20 minute points and 1 hour point.
  // A row per sample took ~28 bytes: 3.4 MB.
  EXPECT_LT(fs::file_size(path), 400'000u);
}


// Declared resolutions: a declared attribute reads back within half a step (NaN and inf exactly), its rollups
// from those values; an attribute without one exactly.
TEST_P(HistoryLevelsTest, DeclaredResolutionsQuantiseOnlyTheirAttributes) {
  testing::StoreOptions o;
  o.blockPoints = 10;  // rollups written as blocks close
  o.resolutions = {{"load_kw", 0.01}, {"bad", -1.0}};
  auto opened = tryOpen("res.sqlite", o);
  ASSERT_TRUE(opened.isOk()) << opened.status().toString();
  auto& store = **opened;
  std::vector<HistorySample> batch;
  std::vector<double> load;
  double v = 250.0123456;
  for (int k = 0; k < 125; ++k) {
    v += std::sin(k * 0.7) * 0.0371;
    const double value = k == 40 ? std::nan("") : k == 41 ? HUGE_VAL : k == 42 ? -1e300 : v;
    load.push_back(value);
    batch.push_back({"b", "load_kw", k * kSecond + 115, value});
    batch.push_back({"b", "pv_kw", k * kSecond + 115, v / 3});
    batch.push_back({"b", "bad", k * kSecond + 115, v / 7});
  }
  ASSERT_TRUE(store.append(batch));
  auto q = store.range("b", "load_kw", 0, 200 * kSecond, 1000);
  auto exact = store.range("b", "pv_kw", 0, 200 * kSecond, 1000);
  auto undeclared = store.range("b", "bad", 0, 200 * kSecond, 1000);  // a step that is not > 0: exact
  ASSERT_TRUE(q.isOk() && exact.isOk() && undeclared.isOk());
  ASSERT_EQ(q->size(), 125u);
  ASSERT_EQ(exact->size(), 125u);
  ASSERT_EQ(undeclared->size(), 125u);
  for (int k = 0; k < 125; ++k) {
    const auto i = static_cast<std::size_t>(k);
    EXPECT_EQ((*q)[i].time, k * kSecond + 115);
    if (k == 40) {
      EXPECT_TRUE(std::isnan((*q)[i].value));
    } else if (k == 41 || k == 42) {
      EXPECT_EQ((*q)[i].value, load[i]);
    } else {
      EXPECT_LE(std::abs((*q)[i].value - load[i]), 0.005 * (1 + 1e-9)) << k;
      EXPECT_NE((*q)[i].value, load[i]) << k;  // the full double is not what is stored
    }
    EXPECT_EQ((*exact)[i].value, batch[3 * i + 1].value) << k;
    EXPECT_EQ((*undeclared)[i].value, batch[3 * i + 2].value) << k;
  }
  // Minute 0 is rolled up (the blocks of 10 closed): its mean is that of the stored values, at the step.
  auto minute = store.summary("b", "load_kw", 0, 60 * kSecond - 1, 1);
  ASSERT_TRUE(minute.isOk());
  ASSERT_EQ(minute->buckets.size(), 1u);
  EXPECT_EQ(minute->buckets[0].count, 59u);  // the NaN is left out
  EXPECT_EQ(minute->buckets[0].max, HUGE_VAL);
  EXPECT_EQ(minute->buckets[0].min, -1e300);
}

// A file written before resolutions holds format 1 blocks: they read as they were, and an open one is continued.
TEST_F(SqliteHistoryTest, Format1BlocksOfAnOlderFileStillReadAndGrow) {
  const std::string path = file("old.sqlite");
  const std::vector<HistorySample> first = {{"s", "v", 1784080800000000, 21.5}};
  ASSERT_TRUE(open(path)->append(first));
  // The open block replaced by one the format 1 encoder wrote (8 samples, -0.0 and a NaN among them).
  static const unsigned char kFormat1[] = {
      0x01, 0x01, 0x00, 0x08, 0x00, 0x06, 0x56, 0x9c, 0xae, 0x55, 0xa8, 0x00, 0x40, 0x35, 0x80, 0x00,
      0x00, 0x00, 0x00, 0x00, 0xf0, 0x00, 0x7a, 0x12, 0x02, 0x73, 0xe2, 0x0e, 0x83, 0xc4, 0x87, 0xf9,
      0xbe, 0x1f, 0x6b, 0x01, 0xbf, 0xff, 0xdc, 0x18, 0x5f, 0xfe, 0xf0, 0x1c, 0x22, 0x26, 0x06, 0x04,
      0x2f, 0xfe, 0x7d, 0xf8, 0xd8, 0xf2, 0x03, 0x83, 0xeb, 0xe3, 0xee, 0x43, 0xc8, 0x80, 0x07, 0x59,
      0xc0,
  };
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "UPDATE blocks SET data=?, t_last=1784080865002106, count=8", -1, &st, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(st, 1, kFormat1, sizeof kFormat1, SQLITE_STATIC);
  EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
  sqlite3_finalize(st);
  sqlite3_close(db);

  SqliteHistoryOptions o;
  o.resolutions = {{"v", 0.1}};
  auto store = openSqliteHistory(path, o);
  ASSERT_TRUE(store.isOk()) << store.status().toString();
  const std::vector<HistorySample> next = {{"s", "v", 1784080866000000, 1.23456}};
  ASSERT_TRUE((*store)->append(next));
  auto rows = (*store)->range("s", "v", 0, 1784080900000000, 100);
  ASSERT_TRUE(rows.isOk()) << rows.status().toString();
  ASSERT_EQ(rows->size(), 9u);
  EXPECT_EQ((*rows)[2].value, 21.75);
  EXPECT_TRUE(std::isnan((*rows)[3].value));
  EXPECT_TRUE(std::signbit((*rows)[4].value));  // -0.0: the old samples stay exact
  EXPECT_EQ((*rows)[7].value, 1.0000000000000001e+300);
  EXPECT_EQ((*rows)[8].value, 1.23456);  // the old block goes on lossless; the resolution applies from the next
}

}  // namespace
}  // namespace gt::connectors
