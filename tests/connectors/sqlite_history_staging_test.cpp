// The SQLite history's staged samples (connectors/src/sqlite_history_blocks.hpp "Staged samples"): a commit stores
// the samples it adds to open blocks as rows of their series' group, and the writer packs them into the blocks
// every few commits. Readers on other connections see every committed sample before and after the pack; a writer
// that stopped leaves its staged rows to the next one, which folds them in; late samples, retention and a version 2
// file work with them.

#include <sqlite3.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/connectors/history_store.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;
constexpr TimePoint kSecond = kMicrosPerSecond;
constexpr int kSeries = 40;  // two groups of staged rows

class SqliteHistoryStagingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gt_sqlite_staging_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "history.sqlite").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::unique_ptr<HistoryStore> open(std::size_t blockPoints = 720) {
    SqliteHistoryOptions o;
    o.blockPoints = blockPoints;
    auto r = openSqliteHistory(path_, o);
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return r ? std::move(r).value() : nullptr;
  }

  // One sample of every series at k seconds.
  static std::vector<HistorySample> sweep(int k) {
    std::vector<HistorySample> out;
    for (int s = 0; s < kSeries; ++s) out.push_back({"e" + std::to_string(s), "v", k * kSecond, k + 0.5 * s});
    return out;
  }

  // An integer the file holds, read on a connection of its own.
  std::int64_t query(const std::string& sql) const {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path_.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sql << sqlite3_errmsg(db);
    std::int64_t v = -1;
    if (st != nullptr && sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
  }
  std::int64_t rawSamplesInBlocks() const {
    return query("SELECT coalesce(sum(count), 0) FROM blocks WHERE level = 0");
  }

  // Every series read through `store` holds the samples of sweeps 0 .. sweeps-1, exactly.
  static void expectSweeps(HistoryStore& store, int sweeps, const std::string& when) {
    for (int s : {0, 5, 31, 32, kSeries - 1}) {
      const std::string entity = "e" + std::to_string(s);
      auto got = store.range(entity, "v", 0, 1000 * kSecond, 10'000);
      ASSERT_TRUE(got.isOk()) << got.status().toString();
      ASSERT_EQ(got->size(), static_cast<std::size_t>(sweeps)) << entity << " " << when;
      for (int k = 0; k < sweeps; ++k) {
        EXPECT_EQ((*got)[k].time, k * kSecond) << entity << " " << when;
        EXPECT_EQ((*got)[k].value, k + 0.5 * s) << entity << " " << when;
      }
      auto minute = store.summary(entity, "v", 0, 60 * kSecond - 1, 1);
      ASSERT_TRUE(minute.isOk()) << minute.status().toString();
      ASSERT_EQ(minute->buckets.size(), 1u) << when;
      EXPECT_EQ(minute->buckets[0].count, static_cast<std::uint64_t>(sweeps)) << entity << " " << when;
    }
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(SqliteHistoryStagingTest, AnotherConnectionReadsStagedSamplesBeforeAndAfterThePack) {
  auto writer = open();
  auto reader = open();
  ASSERT_NE(writer, nullptr);
  ASSERT_NE(reader, nullptr);
  bool stagedSeen = false, packSeen = false;
  for (int k = 0; k < 40; ++k) {
    ASSERT_TRUE(writer->append(sweep(k))) << k;
    expectSweeps(*reader, k + 1, "after sweep " + std::to_string(k));
    const std::int64_t staged = query("SELECT count(*) FROM staged");
    const std::int64_t inBlocks = rawSamplesInBlocks();
    if (staged > 0) {
      stagedSeen = true;
      EXPECT_LT(inBlocks, kSeries * (k + 1));  // the blocks lack the staged samples
      EXPECT_EQ(query("SELECT count(DISTINCT group_id) FROM staged"), 2);
    } else if (k > 0) {
      packSeen = true;
      EXPECT_EQ(inBlocks, kSeries * (k + 1));  // packed: every sample in its block
    }
  }
  EXPECT_TRUE(stagedSeen);
  EXPECT_TRUE(packSeen);
  // The first sweep wrote every block whole (nothing is staged before a block is stored).
  EXPECT_GE(rawSamplesInBlocks(), kSeries);
}

TEST_F(SqliteHistoryStagingTest, AWriterThatStoppedLeavesItsStagedRowsToTheNextWhichFoldsThem) {
  {
    auto first = open();
    ASSERT_NE(first, nullptr);
    for (int k = 0; k < 5; ++k) ASSERT_TRUE(first->append(sweep(k)));
  }
  ASSERT_GT(query("SELECT count(*) FROM staged"), 0);
  ASSERT_LT(rawSamplesInBlocks(), kSeries * 5);
  auto second = open();
  ASSERT_NE(second, nullptr);
  expectSweeps(*second, 5, "before the second writer wrote");
  ASSERT_TRUE(second->append(sweep(5)));
  // The first writer's samples are in their blocks now; only the second's sweep is staged.
  EXPECT_EQ(rawSamplesInBlocks(), kSeries * 5);
  EXPECT_EQ(query("SELECT count(DISTINCT seq) FROM staged"), 1);
  expectSweeps(*second, 6, "after the second writer wrote");
  auto third = open();
  ASSERT_NE(third, nullptr);
  expectSweeps(*third, 6, "on a third connection");
}

TEST_F(SqliteHistoryStagingTest, ALateSampleAmongStagedSamplesJoinsItsBlock) {
  auto writer = open();
  ASSERT_NE(writer, nullptr);
  std::vector<TimePoint> times;
  for (int k = 0; k < 10; ++k) {
    ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"e", "v", 2 * k * kSecond, 1.0 * k}}));
    times.push_back(2 * k * kSecond);
  }
  ASSERT_GT(query("SELECT count(*) FROM staged"), 0);
  ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"e", "v", 9 * kSecond, 99.0}, {"e", "v", 20 * kSecond, 10.0}}));
  ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"e", "v", 22 * kSecond, 11.0}}));
  times.insert(times.begin() + 5, 9 * kSecond);
  times.push_back(20 * kSecond);
  times.push_back(22 * kSecond);
  auto reader = open();
  ASSERT_NE(reader, nullptr);
  for (HistoryStore* store : {writer.get(), reader.get()}) {
    auto got = store->range("e", "v", 0, 100 * kSecond, 100);
    ASSERT_TRUE(got.isOk()) << got.status().toString();
    ASSERT_EQ(got->size(), times.size());
    for (std::size_t i = 0; i < times.size(); ++i) EXPECT_EQ((*got)[i].time, times[i]) << i;
    EXPECT_EQ((*got)[5].value, 99.0);
    EXPECT_EQ(got->back().value, 11.0);
  }
}

// Blocks of 4 samples, one sample a commit: the samples staged before a block closed are in it (dead). Retention
// deleting the closed blocks must not bring them back.
TEST_F(SqliteHistoryStagingTest, SamplesStagedBeforeTheirBlockClosedStayDeadAfterRetentionDeletesIt) {
  auto writer = open(4);
  ASSERT_NE(writer, nullptr);
  for (int k = 0; k < 8; ++k) {
    ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"e", "v", k * kSecond, 1.0 * k}}));
  }
  ASSERT_GT(query("SELECT count(*) FROM staged"), 0);
  auto other = open(4);
  ASSERT_NE(other, nullptr);
  auto before = other->range("e", "v", 0, 100 * kSecond, 100);
  ASSERT_TRUE(before.isOk());
  EXPECT_EQ(before->size(), 8u);
  auto report = other->applyLevelRetention(HistoryCutoffs{8 * kSecond, kNoCutoff, kNoCutoff});
  ASSERT_TRUE(report.isOk()) << report.status().toString();
  for (HistoryStore* store : {other.get(), writer.get()}) {
    auto after = store->range("e", "v", 0, 100 * kSecond, 100);
    ASSERT_TRUE(after.isOk());
    EXPECT_TRUE(after->empty()) << after->size() << " raw samples came back";
    auto minute = store->summary("e", "v", 0, 60 * kSecond - 1, 1);  // the rollups keep them
    ASSERT_TRUE(minute.isOk());
    ASSERT_EQ(minute->buckets.size(), 1u);
    EXPECT_EQ(minute->buckets[0].count, 8u);
  }
  // The writer goes on after the other connection's retention.
  ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"e", "v", 8 * kSecond, 8.0}}));
  ASSERT_TRUE(writer->append(std::vector<HistorySample>{{"e", "v", 9 * kSecond, 9.0}}));
  auto last = other->range("e", "v", 0, 100 * kSecond, 100);
  ASSERT_TRUE(last.isOk());
  ASSERT_EQ(last->size(), 2u);
  EXPECT_EQ(last->back().value, 9.0);
}

TEST_F(SqliteHistoryStagingTest, AVersionTwoFileGetsTheStagedTable) {
  {
    auto store = open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->append(sweep(0)));  // new blocks are written whole: nothing staged yet
  }
  ASSERT_EQ(query("SELECT count(*) FROM staged"), 0);
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "DROP TABLE staged; PRAGMA user_version=2;", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  ASSERT_TRUE(verifySqliteHistory(path_));
  EXPECT_EQ(query("SELECT user_version FROM pragma_user_version"), 2);  // verifying does not upgrade
  auto store = open();
  ASSERT_NE(store, nullptr);
  EXPECT_EQ(query("SELECT user_version FROM pragma_user_version"), kSqliteHistorySchemaVersion);
  for (int k = 1; k < 4; ++k) ASSERT_TRUE(store->append(sweep(k)));
  EXPECT_GT(query("SELECT count(*) FROM staged"), 0);
  expectSweeps(*store, 4, "after the upgrade");
}

}  // namespace
}  // namespace gt::connectors
