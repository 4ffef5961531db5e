// The history store and its background writer: round trip, range queries, retention, the writer's counters, a
// writer process killed with SIGKILL mid-ingest and the series list against every backend (SQLite files and
// PostgreSQL, HistoryStoreTest/*); damaged and missing SQLite files, and the writer's queue on a fake store.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "history_backend.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;

class HistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("gt_history_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
};

std::unique_ptr<HistoryStore> openOrDie(const std::string& path, SqliteHistoryOptions options = {}) {
  auto r = openSqliteHistory(path, options);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  if (!r) return nullptr;
  return std::move(r).value();
}

// The cases that hold for every backend: against SQLite and PostgreSQL (history_backend.hpp).
class HistoryStoreTest : public testing::HistoryBackendTest {};
INSTANTIATE_TEST_SUITE_P(Backends, HistoryStoreTest,
                         ::testing::Values(testing::HistoryBackend::Sqlite, testing::HistoryBackend::Postgres),
                         testing::backendName);

std::vector<HistorySample> makeBatch(std::uint64_t k, std::size_t n) {
  std::vector<HistorySample> b;
  b.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    b.push_back({"dev" + std::to_string(k % 5), "power", static_cast<TimePoint>(k * 1000 + i),
                 static_cast<double>(k)});
  }
  return b;
}

TEST_P(HistoryStoreTest, RoundTripAndRangeQueries) {
  const std::string path = std::string("h.sqlite");
  {
    auto store = open(path);
    ASSERT_NE(store, nullptr);
    std::vector<HistorySample> batch;
    for (int i = 0; i < 100; ++i) {
      // Out of order on purpose: the result must still come back in time order.
      const TimePoint t = (i % 2 == 0 ? i : 99 - i + 1) * 1'000'000LL;
      batch.push_back({"station-1", "pm25", t, static_cast<double>(t) / 1e6});
      batch.push_back({"station-1", "pm10", t, -1.0});
      batch.push_back({"station-2", "pm25", t, 2.0});
    }
    ASSERT_TRUE(store->append(batch)) << "";
    // Recorded history is never rewritten: the same key again keeps the first value. NaN round-trips as NaN.
    const std::vector<HistorySample> update = {{"station-1", "pm25", 5'000'000, 55.5},
                                               {"station-3", "o3", 1, std::nan("")}};
    ASSERT_TRUE(store->append(update));
    ASSERT_TRUE(store->append({}));  // empty batch is ok
  }
  auto store = open(path);  // reopened: everything persisted
  ASSERT_NE(store, nullptr);

  auto all = store->range("station-1", "pm25", 0, 1'000'000'000, 1000);
  ASSERT_TRUE(all.isOk()) << all.status().toString();
  ASSERT_EQ(all->size(), 100u);
  for (std::size_t i = 0; i < all->size(); ++i) {
    EXPECT_EQ((*all)[i].time, static_cast<TimePoint>(i) * 1'000'000);
    EXPECT_EQ((*all)[i].entityId, "station-1");
    EXPECT_EQ((*all)[i].attribute, "pm25");
    EXPECT_DOUBLE_EQ((*all)[i].value, static_cast<double>(i));
  }

  auto window = store->range("station-1", "pm25", 10'000'000, 20'000'000, 1000);
  ASSERT_TRUE(window.isOk());
  ASSERT_EQ(window->size(), 11u);  // both ends inclusive
  EXPECT_EQ(window->front().time, 10'000'000);
  EXPECT_EQ(window->back().time, 20'000'000);

  auto limited = store->range("station-1", "pm25", 10'000'000, 20'000'000, 3);
  ASSERT_TRUE(limited.isOk());
  ASSERT_EQ(limited->size(), 3u);
  EXPECT_EQ(limited->back().time, 12'000'000);

  auto other = store->range("station-1", "pm10", 0, 1'000'000'000, 1000);
  ASSERT_TRUE(other.isOk());
  ASSERT_EQ(other->size(), 100u);
  EXPECT_DOUBLE_EQ(other->front().value, -1.0);

  auto nan = store->range("station-3", "o3", 0, 10, 10);
  ASSERT_TRUE(nan.isOk());
  ASSERT_EQ(nan->size(), 1u);
  EXPECT_TRUE(std::isnan(nan->front().value));

  for (auto r : {store->range("nobody", "pm25", 0, 1'000'000'000, 10),
                 store->range("station-1", "nothing", 0, 1'000'000'000, 10),
                 store->range("station-1", "pm25", 10, 5, 10), store->range("station-1", "pm25", 0, 10, 0)}) {
    ASSERT_TRUE(r.isOk());
    EXPECT_TRUE(r->empty());
  }
  if (!postgres()) {
    EXPECT_TRUE(verifySqliteHistory(location(path))) << verifySqliteHistory(location(path)).toString();
  }
}

// The store inserts a batch in key order (not arrival order): a key that appears several times in one batch must
// still end with the value that came last, as if inserted one by one.
TEST_P(HistoryStoreTest, SameKeyTwiceInOneBatchKeepsTheFirstValue) {
  const std::string path = std::string("dup.sqlite");
  auto store = open(path);
  ASSERT_NE(store, nullptr);
  std::vector<HistorySample> batch;
  const char* const entities[] = {"c", "a", "b"};
  for (int i = 0; i < 3000; ++i) {
    batch.push_back({entities[i % 3], "x", static_cast<TimePoint>(i % 7), static_cast<double>(i)});
  }
  ASSERT_TRUE(store->append(batch));
  for (int e = 0; e < 3; ++e) {
    auto rows = store->range(entities[e], "x", 0, 10, 100);
    ASSERT_TRUE(rows.isOk());
    ASSERT_EQ(rows->size(), 7u);
    for (const HistorySample& h : *rows) {
      // The first i < 3000 with i % 3 == e and i % 7 == t.
      int first = -1;
      for (int i = 0; i < 3000 && first < 0; ++i) {
        if (i % 3 == e && i % 7 == h.time) first = i;
      }
      EXPECT_EQ(h.value, static_cast<double>(first)) << entities[e] << " t=" << h.time;
    }
  }
  EXPECT_EQ(store->samplesNotReplaced(), 3000u - 3 * 7);
}

TEST_P(HistoryStoreTest, RetentionDeletesOnlyOlderRows) {
  auto store = open(std::string("r.sqlite"));
  ASSERT_NE(store, nullptr);
  std::vector<HistorySample> batch;
  for (TimePoint t = 0; t < 1000; ++t) {
    batch.push_back({"a", "x", t, 1.0});
    batch.push_back({"b", "y", t, 2.0});
  }
  ASSERT_TRUE(store->append(batch));
  ASSERT_TRUE(store->applyRetention(600));
  for (const auto& [e, a] : {std::pair{"a", "x"}, std::pair{"b", "y"}}) {
    auto r = store->range(e, a, 0, 10'000, 10'000);
    ASSERT_TRUE(r.isOk());
    ASSERT_EQ(r->size(), 400u);
    EXPECT_EQ(r->front().time, 600);
    EXPECT_EQ(r->back().time, 999);
  }
  ASSERT_TRUE(store->applyRetention(0));  // nothing older than 0: no change
  EXPECT_EQ(store->range("a", "x", 0, 10'000, 10'000)->size(), 400u);
  // Writing after retention works and interned ids survive.
  ASSERT_TRUE(store->append(std::vector<HistorySample>{{"a", "x", 5000, 3.0}}));
  EXPECT_EQ(store->range("a", "x", 0, 10'000, 10'000)->size(), 401u);
}

TEST_F(HistoryTest, GarbageFileGivesClearError) {
  const std::string path = file("garbage.sqlite");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 500; ++i) out << "this is not an SQLite database, just some text line " << i << "\n";
  }
  auto r = openSqliteHistory(path);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::ParseError) << r.status().toString();
  EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().toString();
  EXPECT_FALSE(verifySqliteHistory(path).isOk());
  // The file is left as it was (not overwritten with a new database).
  EXPECT_GT(fs::file_size(path), 10'000u);
}

TEST_F(HistoryTest, TruncatedDatabaseGivesClearError) {
  const std::string path = file("trunc.sqlite");
  {
    auto store = openOrDie(path);
    ASSERT_NE(store, nullptr);
    // Values that do not compress away (the blocks hold ~7 bytes a sample), so the file has pages to cut.
    for (std::uint64_t k = 1; k <= 40; ++k) {
      std::vector<HistorySample> batch = makeBatch(k, 500);
      for (std::size_t i = 0; i < batch.size(); ++i) batch[i].value = std::sqrt(static_cast<double>(k * 500 + i));
      ASSERT_TRUE(store->append(batch));
    }
  }  // closed: WAL checkpointed into the main file
  ASSERT_FALSE(fs::exists(path + "-wal"));
  const auto size = fs::file_size(path);
  ASSERT_GT(size, 100'000u);
  fs::resize_file(path, size / 2);

  auto r = openSqliteHistory(path);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::ParseError) << r.status().toString();
  EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().toString();
  const Status v = verifySqliteHistory(path);
  EXPECT_FALSE(v.isOk());
  EXPECT_NE(v.message().find(path), std::string::npos) << v.toString();

  // Header cut off: still an error, never a crash.
  fs::resize_file(path, 50);
  auto r2 = openSqliteHistory(path);
  ASSERT_FALSE(r2.isOk());
  EXPECT_NE(r2.status().message().find(path), std::string::npos) << r2.status().toString();
}

TEST_F(HistoryTest, MissingFileWithoutCreateIsIoError) {
  SqliteHistoryOptions o;
  o.create = false;
  const std::string path = file("missing.sqlite");
  auto r = openSqliteHistory(path, o);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::IoError);
  EXPECT_NE(r.status().message().find(path), std::string::npos);
  EXPECT_FALSE(fs::exists(path));
}

TEST_P(HistoryStoreTest, WriterWritesEverythingSubmitted) {
  const std::string path = std::string("w.sqlite");
  std::atomic<std::uint64_t> committed{0};
  {
    HistoryWriterOptions o;
    o.flushInterval = std::chrono::milliseconds(5);
    o.flushSamples = 1000;
    o.onCommit = [&](std::span<const std::uint64_t> seqs) { committed += seqs.size(); };
    HistoryWriter writer(open(path), o);
    for (std::uint64_t k = 1; k <= 200; ++k) {
      EXPECT_EQ(writer.submit(makeBatch(k, 50)), k);
      if (k % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_EQ(writer.submit({}), 0u);
    writer.stop();
    const auto s = writer.stats();
    EXPECT_EQ(s.submittedBatches, 200u);
    EXPECT_EQ(s.writtenBatches, 200u);
    EXPECT_EQ(s.writtenSamples, 200u * 50u);
    EXPECT_EQ(s.droppedBatches, 0u);
    EXPECT_EQ(s.errors, 0u);
    EXPECT_GE(s.commits, 1u);
    EXPECT_EQ(committed.load(), 200u);
    EXPECT_EQ(writer.submit(makeBatch(999, 3)), 0u);  // after stop: dropped, counted
    EXPECT_EQ(writer.stats().droppedBatches, 1u);
    EXPECT_EQ(writer.stats().droppedSamples, 3u);
  }
  auto store = open(path);
  ASSERT_NE(store, nullptr);
  for (std::uint64_t k = 1; k <= 200; ++k) {
    auto r = store->range("dev" + std::to_string(k % 5), "power", static_cast<TimePoint>(k * 1000),
                          static_cast<TimePoint>(k * 1000 + 999), 10'000);
    ASSERT_TRUE(r.isOk());
    ASSERT_EQ(r->size(), 50u) << "batch " << k;
    EXPECT_DOUBLE_EQ(r->front().value, static_cast<double>(k));
  }
}

// A store whose append blocks until released, or fails: to drive the writer's overflow and error paths.
class FakeStore : public HistoryStore {
 public:
  std::atomic<bool> release{false};
  std::atomic<bool> fail{false};
  std::atomic<std::size_t> appended{0};
  std::atomic<bool> entered{false};
  Status append(std::span<const HistorySample> batch) override {
    entered = true;
    while (!release.load()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    if (fail.load()) return {ErrorCode::IoError, "fake: disk full"};
    appended += batch.size();
    return Status::ok();
  }
  Result<std::vector<HistorySample>> range(const std::string&, const std::string&, TimePoint, TimePoint,
                                           std::size_t) override {
    return std::vector<HistorySample>{};
  }
  Status applyRetention(TimePoint) override { return Status::ok(); }
};

TEST_F(HistoryTest, WriterDropsOldestOnOverflowWithoutBlocking) {
  auto fake = std::make_unique<FakeStore>();
  FakeStore* raw = fake.get();
  HistoryWriterOptions o;
  o.maxQueuedBatches = 4;
  o.flushInterval = std::chrono::milliseconds(1);
  o.flushSamples = 1;
  HistoryWriter writer(std::move(fake), o);
  // The first batch is taken by the writer thread, which then blocks inside append.
  writer.submit(makeBatch(1, 10));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (!raw->entered.load() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_TRUE(raw->entered.load());
  const auto t0 = std::chrono::steady_clock::now();
  for (std::uint64_t k = 2; k <= 20; ++k) writer.submit(makeBatch(k, 10));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::milliseconds(200));  // never waited for the disk
  EXPECT_EQ(writer.stats().droppedBatches, 15u);  // 19 submitted while blocked, 4 kept
  EXPECT_EQ(writer.stats().droppedSamples, 150u);
  raw->release = true;
  writer.stop();
  const auto s = writer.stats();
  EXPECT_EQ(s.writtenBatches, 5u);
  EXPECT_EQ(s.writtenSamples, 50u);
  EXPECT_EQ(raw->appended.load(), 50u);
  EXPECT_EQ(s.errors, 0u);
}

TEST_F(HistoryTest, WriterCountsErrorsAndGoesOn) {
  auto fake = std::make_unique<FakeStore>();
  fake->release = true;
  fake->fail = true;
  FakeStore* raw = fake.get();
  HistoryWriterOptions o;
  o.flushInterval = std::chrono::milliseconds(1);
  o.flushSamples = 1;
  HistoryWriter writer(std::move(fake), o);
  writer.submit(makeBatch(1, 10));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  while (writer.stats().errors == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_EQ(writer.stats().errors, 1u);
  EXPECT_EQ(writer.stats().failedSamples, 10u);
  EXPECT_NE(writer.lastError().message().find("disk full"), std::string::npos);
  raw->fail = false;
  writer.submit(makeBatch(2, 7));
  writer.stop();
  EXPECT_EQ(writer.stats().writtenSamples, 7u);
  EXPECT_EQ(raw->appended.load(), 7u);
}

// Samples by index (what the twin's update thread submits) are written under their ids and names, resolved on
// the writer thread; a sample outside the name tables is counted as dropped, not written.
TEST_P(HistoryStoreTest, WriterResolvesIndexedSamplesThroughTheNameTables) {
  const std::string path = std::string("indexed.sqlite");
  auto names = std::make_shared<HistoryNames>();
  names->entityIds = {"station-001", "station-002"};
  names->attributeNames = {"pm25", "no2"};
  {
    HistoryWriter writer(open(path));
    std::vector<SampleUpdate> batch{{0, 0, 1'000'000, 35.5}, {1, 1, 2'000'000, 12.0}, {5, 0, 3'000'000, 1.0}};
    EXPECT_EQ(writer.submit(std::move(batch), names), 1u);
    writer.stop();
    EXPECT_EQ(writer.stats().writtenSamples, 2u);
    EXPECT_EQ(writer.stats().droppedSamples, 1u);
  }
  auto store = open(path);
  auto pm25 = store->range("station-001", "pm25", 0, 10'000'000, 10);
  ASSERT_TRUE(pm25.isOk());
  ASSERT_EQ(pm25->size(), 1u);
  EXPECT_EQ((*pm25)[0].time, 1'000'000);
  EXPECT_DOUBLE_EQ((*pm25)[0].value, 35.5);
  auto no2 = store->range("station-002", "no2", 0, 10'000'000, 10);
  ASSERT_TRUE(no2.isOk());
  ASSERT_EQ(no2->size(), 1u);
  EXPECT_DOUBLE_EQ((*no2)[0].value, 12.0);
}

// The child: writes batches through a HistoryWriter forever, reporting each committed batch number on the pipe.
[[noreturn]] void crashChild(Result<std::unique_ptr<HistoryStore>> r, int reportFd, std::uint64_t firstBatch) {
  if (!r) ::_exit(2);
  HistoryWriterOptions o;
  o.flushInterval = std::chrono::milliseconds(2);
  o.flushSamples = 400;
  o.maxQueuedBatches = 1'000'000;  // no overflow: every submitted batch is eventually committed or lost to the kill
  o.onCommit = [reportFd, firstBatch](std::span<const std::uint64_t> seqs) {
    for (const std::uint64_t seq : seqs) {
      const std::uint64_t batch = firstBatch + seq - 1;
      if (::write(reportFd, &batch, sizeof batch) != static_cast<ssize_t>(sizeof batch)) ::_exit(4);
    }
  };
  HistoryWriter writer(std::move(r).value(), o);
  for (std::uint64_t k = firstBatch;; ++k) {
    if (writer.submit(makeBatch(k, 50)) != k - firstBatch + 1) ::_exit(3);
    ::usleep(100);
  }
}

// SQLite: the file's WAL; PostgreSQL: the server rolls back the killed connection's open transaction.
TEST_P(HistoryStoreTest, KilledWriterLosesNothingCommittedAndNeverCorrupts) {
  const std::string path = "crash.sqlite";
  (void)location(path);  // before the fork: the child opens the same place
  std::vector<std::uint64_t> committed;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    const std::uint64_t firstBatch = 1 + static_cast<std::uint64_t>(round) * 1'000'000;
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      crashChild(tryOpen(path), fds[1], firstBatch);
    }
    ::close(fds[1]);
    // Let it commit for a while, then kill it mid-ingest; keep reading what it reported before it died.
    // (On a loaded machine the child's open and first commits can take most of that: the kill also waits for more
    // than 10 reported commits, up to 30 s.)
    const auto start = std::chrono::steady_clock::now();
    const auto killAt = start + std::chrono::milliseconds(300 + 100 * round);
    const auto giveUpAt = start + std::chrono::seconds(30);
    bool killed = false;
    std::size_t roundCommits = 0;
    char buf[8 * 512];
    std::size_t have = 0;
    for (;;) {
      const auto now = std::chrono::steady_clock::now();
      if (!killed && ((now >= killAt && roundCommits > 10) || now >= giveUpAt)) {
        ASSERT_EQ(::kill(pid, SIGKILL), 0);
        killed = true;
      }
      pollfd p{fds[0], POLLIN, 0};
      ::poll(&p, 1, 10);
      if ((p.revents & (POLLIN | POLLHUP)) == 0) continue;
      const ssize_t n = ::read(fds[0], buf + have, sizeof buf - have);
      if (n <= 0) {
        if (killed) break;  // EOF after the kill: the child is gone
        continue;
      }
      have += static_cast<std::size_t>(n);
      std::size_t used = 0;
      for (; used + 8 <= have; used += 8) {
        std::uint64_t b = 0;
        std::memcpy(&b, buf + used, 8);
        committed.push_back(b);
        ++roundCommits;
      }
      std::memmove(buf, buf + used, have - used);
      have -= used;
    }
    ::close(fds[0]);
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
        << "child exited on its own, status " << status;
    ASSERT_GT(roundCommits, 10u) << "round " << round;
    std::printf("round %d: %zu batches reported committed before the kill\n", round, roundCommits);

    // The history opens cleanly and holds every batch reported as committed.
    if (!postgres()) {
      const Status v = verifySqliteHistory(location(path));
      ASSERT_TRUE(v.isOk()) << v.toString();
    }
    auto store = open(path);
    ASSERT_NE(store, nullptr);
    for (const std::uint64_t k : committed) {
      auto r = store->range("dev" + std::to_string(k % 5), "power", static_cast<TimePoint>(k * 1000),
                            static_cast<TimePoint>(k * 1000 + 999), 10'000);
      ASSERT_TRUE(r.isOk()) << r.status().toString();
      ASSERT_EQ(r->size(), 50u) << "committed batch " << k << " missing after kill -9";
      ASSERT_DOUBLE_EQ(r->back().value, static_cast<double>(k));
    }
  }
}

// The series list playback starts from (a twin restarted with an empty memory store).
TEST_P(HistoryStoreTest, SeriesListsEveryStoredSeriesOnce) {
  auto store = open(std::string("series.sqlite"));
  ASSERT_NE(store, nullptr);
  auto empty = store->series();
  ASSERT_TRUE(empty.isOk()) << empty.status().toString();
  EXPECT_TRUE(empty->empty());
  std::vector<HistorySample> batch;
  for (int i = 0; i < 200; ++i) {
    batch.push_back({"station-" + std::to_string(i % 3), i % 2 == 0 ? "pm25" : "pm10", i * 1000LL, 1.0});
  }
  batch.push_back({"building/7", "power_kw", 5, 2.0});
  ASSERT_TRUE(store->append(batch));
  auto listed = store->series();
  ASSERT_TRUE(listed.isOk()) << listed.status().toString();
  std::vector<std::string> names;
  for (const HistorySeries& s : *listed) names.push_back(s.entityId + "|" + s.attribute);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"building/7|power_kw", "station-0|pm10", "station-0|pm25",
                                             "station-1|pm10", "station-1|pm25", "station-2|pm10",
                                             "station-2|pm25"}));
  // A series whose samples all fell to retention is gone from the list.
  ASSERT_TRUE(store->applyRetention(100));
  listed = store->series();
  ASSERT_TRUE(listed.isOk());
  EXPECT_EQ(listed->size(), 6u);
}

// summaries() — how playback reads a window of every series — gives each series exactly its own summary(): a dense
// series through the window, one starting inside it, a sparse one whose block began days before, one denser than
// maxPoints (regrouped), one not stored, samples still staged; before and after raw retention has taken the start
// of the window (then the rollups answer); windows wide enough for the rollups too.
TEST_P(HistoryStoreTest, SummariesOfEverySeriesEqualTheirOwnSummaries) {
  auto store = open(std::string("summaries.sqlite"));
  ASSERT_NE(store, nullptr);
  constexpr TimePoint kSec = kMicrosPerSecond;
  constexpr TimePoint kT0 = 1'784'044'800LL * kSec;  // a day's start (UTC+8)
  std::vector<HistorySample> all;
  for (TimePoint t = 0; t < 3 * 3600; t += 10) all.push_back({"dense", "kw", kT0 + t * kSec, 100.0 + std::sin(t * 0.01)});
  for (TimePoint t = 5400; t < 3 * 3600; t += 10) all.push_back({"late", "kw", kT0 + t * kSec, 0.5 * static_cast<double>(t)});
  for (TimePoint t = -2 * 86'400; t < 3 * 3600; t += 1200) all.push_back({"sparse", "kw", kT0 + t * kSec, static_cast<double>(t % 77)});
  for (TimePoint t = 3600 + 600; t < 3600 + 1800; t += 1) all.push_back({"fast", "kw", kT0 + t * kSec, static_cast<double>(t % 13)});
  std::stable_sort(all.begin(), all.end(), [](const HistorySample& x, const HistorySample& y) { return x.time < y.time; });
  for (std::size_t i = 0; i < all.size(); i += 40) {  // small commits: the newest samples stay staged
    const std::size_t n = std::min<std::size_t>(40, all.size() - i);
    ASSERT_TRUE(store->append(std::span<const HistorySample>(all).subspan(i, n)));
  }
  const std::vector<HistorySeries> list = {{"dense", "kw"}, {"late", "kw"}, {"nobody", "kw"}, {"sparse", "kw"}, {"fast", "kw"}};
  const auto same = [&](TimePoint t0, TimePoint t1, std::size_t maxPoints) {
    std::size_t visited = 0;
    Status s = store->summaries(list, t0, t1, maxPoints, [&](const HistorySeries& one, HistorySummary&& got) {
      EXPECT_EQ(one, list[visited]);
      auto want = store->summary(one.entityId, one.attribute, t0, t1, maxPoints);
      EXPECT_TRUE(want.isOk()) << want.status().toString();
      if (!want) return want.status();
      const std::string what = one.entityId + " over [" + std::to_string((t0 - kT0) / kSec) + ", " +
                               std::to_string((t1 - kT0) / kSec) + "] in " + std::to_string(maxPoints);
      EXPECT_EQ(got.level, want->level) << what;
      EXPECT_EQ(got.raw, want->raw) << what;
      EXPECT_EQ(got.bucketWidth, want->bucketWidth) << what;
      EXPECT_EQ(got.buckets.size(), want->buckets.size()) << what;
      for (std::size_t i = 0; i < std::min(got.buckets.size(), want->buckets.size()); ++i) {
        const HistoryBucket& g = got.buckets[i];
        const HistoryBucket& w = want->buckets[i];
        EXPECT_TRUE(g.time == w.time && g.count == w.count && g.min == w.min && g.max == w.max && g.mean == w.mean)
            << what << ", bucket " << i;
      }
      ++visited;
      return Status::ok();
    });
    EXPECT_TRUE(s) << s.toString();
    EXPECT_EQ(visited, list.size());
  };
  const auto windows = [&] {
    same(kT0 + 3600 * kSec, kT0 + 7200 * kSec, 8192);   // playback's hour: raw for all
    same(kT0 + 3600 * kSec, kT0 + 7200 * kSec, 500);    // "fast" is regrouped
    same(kT0 + 5000 * kSec, kT0 + 10'800 * kSec, 8192);  // "late" starts inside; the staged tail
    same(kT0 - 86'400 * kSec, kT0 + 10'800 * kSec, 500);  // over a minute a point: the rollups
  };
  windows();
  // Raw retention takes the first 1.5 h: the hour from 1 h is answered by the rollups where they reach further.
  ASSERT_TRUE(store->applyLevelRetention(HistoryCutoffs{kT0 + 5400 * kSec, kNoCutoff, kNoCutoff}));
  windows();
  // An error of the visitor stops it and is returned.
  std::size_t calls = 0;
  Status stopped = store->summaries(list, kT0, kT0 + 3600 * kSec, 8192, [&](const HistorySeries&, HistorySummary&&) {
    ++calls;
    return Status(ErrorCode::Internal, "enough");
  });
  EXPECT_FALSE(stopped);
  EXPECT_EQ(stopped.message(), "enough");
  EXPECT_EQ(calls, 1u);
}

}  // namespace
}  // namespace gt::connectors
