// The history reader of the twin (runtime/src/history_playback.*): a window of a series denser than
// maxRowsPerSeries is played as bucket means over the whole window, from the 1 min rollups (also where retention
// already took the raw samples), while a window that fits comes back as the samples themselves; series of
// entities the directory does not know are counted and skipped.
#include "../../runtime/src/history_playback.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/history_store.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;
constexpr TimePoint kSecond = kMicrosPerSecond;

class HistoryPlaybackTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gt_history_playback_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "history.sqlite").string();
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // The playback thread's answer to one request (it reads in the background; a few seconds at most here).
  static PlaybackWindow readWindow(HistoryPlayback& playback, TimeRange window) {
    const std::uint64_t id = playback.request(window);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      if (auto w = playback.take(); w && w->requestId == id) return std::move(*w);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ADD_FAILURE() << "no window read";
    PlaybackWindow none;
    return none;
  }

  fs::path dir_;
  std::string path_;
};

// Sample k (one a second from 0) of "b1": (k % 60) + 100 (k / 60), so minute m holds 100m .. 100m + 59, mean
// 100m + 29.5; "b2" has 10 samples of 7.0 from 4000 s; "gone" belongs to no entity the twin knows.
std::vector<connectors::HistorySample> recorded() {
  std::vector<connectors::HistorySample> out;
  for (int k = 0; k < 7200; ++k) {
    out.push_back({"b1", "load_kw", k * kSecond, static_cast<double>(k % 60 + 100 * (k / 60))});
  }
  for (int k = 4000; k < 4010; ++k) out.push_back({"b2", "load_kw", k * kSecond, 7.0});
  out.push_back({"gone", "load_kw", 5000 * kSecond, 1.0});
  return out;
}

TEST_F(HistoryPlaybackTest, ADenseWindowIsPlayedAsBucketMeansOfTheRollups) {
  {
    connectors::SqliteHistoryOptions blocksOf120;  // raw blocks of 120 samples, whatever their size in bytes
    blocksOf120.blockPoints = 120;
    blocksOf120.blockBytes = 65536;
    auto store = connectors::openSqliteHistory(path_, blocksOf120);
    ASSERT_TRUE(store.isOk()) << store.status().toString();
    ASSERT_TRUE((*store)->append(recorded()));
    // The raw samples of the first hour go (blocks of 120: blocks 0..29 end before 3600 s); the 1 min and 1 h
    // rollups keep them.
    connectors::HistoryCutoffs cut;
    cut.raw = 3600 * kSecond;
    auto report = (*store)->applyLevelRetention(cut);
    ASSERT_TRUE(report.isOk()) << report.status().toString();
    ASSERT_EQ(report->blocksDeleted, 30u);
    auto raw = (*store)->range("b1", "load_kw", 0, 3599 * kSecond, 10);
    ASSERT_TRUE(raw.isOk());
    ASSERT_TRUE(raw->empty());
  }
  EntityDirectory directory;
  auto snapshot = std::make_shared<DirectorySnapshot>();
  snapshot->addEntity("b1", 0);
  snapshot->addEntity("b2", 1);
  snapshot->addAttribute("load_kw", 0);
  directory.publish(snapshot);

  HistoryPlaybackOptions options;
  options.maxRowsPerSeries = 60;
  auto playback = HistoryPlayback::open(path_, options, directory);
  ASSERT_TRUE(playback.isOk()) << playback.status().toString();

  // Two hours in at most 60 values: (7200 s - 1 µs) / 60 + 1 µs = 120 s buckets, filled from the 1 min level
  // (120 points > 60: two minutes a bucket). Bucket j holds minutes 2j and 2j + 1: mean 200j + 79.5.
  PlaybackWindow w = readWindow(**playback, {0, 7200 * kSecond - 1});
  ASSERT_TRUE(w.status.isOk()) << w.status.toString();
  EXPECT_EQ(w.series, 2u);
  EXPECT_EQ(w.unknownEntitySeries, 1u);
  EXPECT_EQ(w.samples, 60u + 10u);
  ASSERT_EQ(w.store.sampleCount(0, 0), 60u);
  for (int j : {0, 1, 29, 30, 59}) {  // the first hour from the rollups only, the second from either
    auto v = w.store.valueAt(0, 0, j * 120 * kSecond);
    ASSERT_TRUE(v.has_value()) << j;
    EXPECT_EQ(v->sampleTime, j * 120 * kSecond) << j;
    EXPECT_DOUBLE_EQ(v->value, 200.0 * j + 79.5) << j;
  }
  // The sparse series: its samples as they are.
  ASSERT_EQ(w.store.sampleCount(1, 0), 10u);
  EXPECT_EQ(w.store.span(1, 0)->begin, 4000 * kSecond);
  EXPECT_EQ(w.store.valueAt(1, 0, 4009 * kSecond)->value, 7.0);

  // A window that fits: the raw samples (k = 3600 .. 3629: 6000 .. 6029).
  w = readWindow(**playback, {3600 * kSecond, 3629 * kSecond});
  ASSERT_TRUE(w.status.isOk()) << w.status.toString();
  ASSERT_EQ(w.store.sampleCount(0, 0), 30u);
  EXPECT_EQ(w.store.valueAt(0, 0, 3600 * kSecond)->value, 6000.0);
  EXPECT_EQ(w.store.valueAt(0, 0, 3629 * kSecond)->value, 6029.0);
  EXPECT_EQ(w.store.valueAt(0, 0, 3615 * kSecond)->sampleTime, 3615 * kSecond);
}

}  // namespace
}  // namespace gt::runtime
