// The twin's running figures as JSON lines (viewer/src/stats_log.hpp; bench/soak reads them): the frame-time
// percentiles of the frames given, the channel's and the store's counters after samples arrive, a line each interval,
// and the errors.
#include "stats_log.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <numeric>

#include "../support/small_city.hpp"
#include "../support/test_folder.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

using nlohmann::json;

class StatsLogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gt::testing::writeSmallCity(folder_, 4, false);
    auto config = runtime::loadConfig(folder_.file("greentwin.toml"));
    ASSERT_TRUE(config) << config.status().message();
    auto twin = runtime::Twin::create(std::move(*config), {}, runtime::LoadMode::Synchronous);
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin);
  }
  gt::testing::TestFolder folder_{"stats_log"};
  std::unique_ptr<runtime::Twin> twin_;
};

TEST_F(StatsLogTest, ALineHoldsTheFramePercentilesAndTheCounters) {
  // 100 frames of 1..100 ms: p50 50, p99 99, max 100.
  std::vector<double> ms(100);
  std::iota(ms.begin(), ms.end(), 1.0);
  std::reverse(ms.begin(), ms.end());
  const auto entity = twin_->entities().find("city/b1");
  ASSERT_TRUE(entity.has_value());
  const AttributeId load = *twin_->entities().attributes().intern("load_kw", "kW");
  const TimePoint t = wallNow();
  const std::vector<SampleUpdate> batch{{*entity, load, t - 2 * kMicrosPerSecond, 1.0},
                                        {*entity, load, t - kMicrosPerSecond, 2.0}, {*entity, load, t, 3.0}};
  twin_->liveChannel().push(batch);
  twin_->update();

  const json j = json::parse(StatsLog::line(*twin_, ms, 12.5, 4321));
  EXPECT_EQ(j.at("frames"), 100);
  EXPECT_DOUBLE_EQ(j.at("frame_ms_p50").get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(j.at("frame_ms_p99").get<double>(), 99.0);
  EXPECT_DOUBLE_EQ(j.at("frame_ms_max").get<double>(), 100.0);
  EXPECT_DOUBLE_EQ(j.at("uptime_s").get<double>(), 12.5);
  EXPECT_EQ(j.at("rss_kb"), 4321);
  EXPECT_EQ(j.at("channel").at("pushed"), 3);
  EXPECT_EQ(j.at("channel").at("dropped"), 0);
  EXPECT_EQ(j.at("samples_applied").get<std::uint64_t>(), twin_->samplesApplied());
  EXPECT_GE(j.at("samples_applied").get<std::uint64_t>(), 1u);
  EXPECT_EQ(j.at("series").get<std::size_t>(), twin_->timeSeries().seriesCount());
  EXPECT_GE(j.at("series").get<std::size_t>(), 1u);  // city/b1's load_kw at least
  EXPECT_EQ(j.at("publishers"), 0);  // no zmq source in the small city
  EXPECT_FALSE(j.contains("history"));  // none configured
  EXPECT_GT(StatsLog::residentKb(), 1000);  // this test process holds megabytes
}

TEST_F(StatsLogTest, FramesWriteALineEachIntervalAndFlushTheRest) {
  const std::string path = folder_.file("stats.jsonl");
  auto log = StatsLog::open(path, 1.0);
  ASSERT_TRUE(log) << log.status().message();
  for (int i = 0; i < 20; ++i) (*log)->frame(*twin_, 0.125);  // 2.5 s: two lines, half an interval left
  (*log)->flush(*twin_);
  (*log)->flush(*twin_);  // nothing new: no line
  std::ifstream in(path);
  std::vector<json> lines;
  for (std::string text; std::getline(in, text);) lines.push_back(json::parse(text));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].at("frames"), 8);
  EXPECT_EQ(lines[1].at("frames"), 8);
  EXPECT_EQ(lines[2].at("frames"), 4);
  EXPECT_NEAR(lines[2].at("uptime_s").get<double>(), 2.5, 1e-9);
}

TEST_F(StatsLogTest, AnUnwritableFileOrAnIntervalOutOfRangeIsRefused) {
  const auto noFolder = StatsLog::open(folder_.file("missing/stats.jsonl"), 10);
  ASSERT_FALSE(noFolder);
  EXPECT_EQ(noFolder.status().code(), ErrorCode::IoError);
  EXPECT_NE(noFolder.status().message().find("missing/stats.jsonl"), std::string::npos);
  EXPECT_EQ(StatsLog::open(folder_.file("stats.jsonl"), 0.0).status().code(), ErrorCode::OutOfRange);
  EXPECT_EQ(StatsLog::open(folder_.file("stats.jsonl"), 7200).status().code(), ErrorCode::OutOfRange);
}

}  // namespace
}  // namespace gt::viewer
