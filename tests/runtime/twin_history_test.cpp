// The twin's history against a real SQLite file: live batches applied by the twin reach the file through the
// background writer; a twin restarted on the same file with an empty memory store plays an hour ago back from it;
// retention runs in the background; a history file that cannot be opened is reported and the twin runs on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/connectors/history_config.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/connectors/history_store.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/layers/vector_layer.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;

bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::milliseconds(10000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class TwinHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gt_twin_history_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // The real (small) demo layers, no sources, history in the test's folder.
  Config config(double retentionDays = 30) {
    auto c = loadConfig(demoConfigPath());
    EXPECT_TRUE(c) << c.status().message();
    std::erase_if(c->layers, [](const LayerConfig& l) { return l.synthetic; });
    c->sources.clear();
    c->plugins.enabled.clear();
    connectors::HistoryConfig& history = connectors::editHistoryConfig(*c);
    history.path = (dir_ / "sub" / "history.sqlite").string();  // the folder is created
    history.retentionDays = retentionDays;
    history.flushMs = 20;
    return *c;
  }

  std::unique_ptr<Twin> makeTwin(Config c) {
    auto twin = Twin::create(std::move(c));
    EXPECT_TRUE(twin) << twin.status().message();
    return twin ? std::move(*twin) : nullptr;
  }

  // Pushes samples of `entity`.pm25 at the given times (value = f(i)) through the live channel, in batches of 10,
  // applying each batch with update(); waits until the writer has committed them all.
  void ingest(Twin& twin, EntityIndex entity, const std::vector<TimePoint>& times,
              const std::function<double(std::size_t)>& value) {
    const AttributeId pm25 = *twin.entities().attributes().intern("pm25", "ug/m3");
    const std::uint64_t before = twin.historyStatus().writer.writtenSamples;
    std::vector<SampleUpdate> batch;
    for (std::size_t i = 0; i < times.size(); ++i) {
      batch.push_back({entity, pm25, times[i], value(i)});
      if (batch.size() == 10 || i + 1 == times.size()) {
        twin.liveChannel().push(batch);
        batch.clear();
        twin.update();
      }
    }
    ASSERT_TRUE(waitFor([&] { return twin.historyStatus().writer.writtenSamples >= before + times.size(); }))
        << twin.historyStatus().writer.writtenSamples;
    EXPECT_TRUE(twin.historyStatus().status.isOk()) << twin.historyStatus().status.message();
    EXPECT_EQ(twin.historyStatus().writer.droppedSamples, 0u);
  }

  // Frames until the twin reads values from a loaded history window covering the clock's time.
  static bool playbackReady(Twin& twin) {
    return waitFor([&] {
      twin.beginFrame();
      twin.update();
      return twin.historyStatus().playback;
    });
  }

  fs::path dir_;
};

TEST_F(TwinHistoryTest, LiveSamplesReachTheFileAndARestartedTwinPlaysAnHourAgoBack) {
  const TimePoint t0 = (wallNow() / kMicrosPerSecond - 3600) * kMicrosPerSecond;  // an hour ago
  std::vector<TimePoint> times;
  for (int i = 0; i < 120; ++i) times.push_back(t0 + i * 10 * kMicrosPerSecond);  // 20 min, every 10 s
  auto value = [](std::size_t i) { return 100.0 + static_cast<double>(i); };
  {
    auto twin = makeTwin(config());
    ASSERT_NE(twin, nullptr);
    const auto district = twin->entities().find("tongzhou-district/0");
    ASSERT_TRUE(district);
    ingest(*twin, *district, times, value);
    EXPECT_EQ(twin->samplesApplied(), 120u);
    EXPECT_TRUE(twin->historyStatus().enabled);
    EXPECT_FALSE(twin->historyStatus().playback);  // live
  }
  // In the file, read with a connection of our own.
  {
    auto store = connectors::openSqliteHistory((dir_ / "sub" / "history.sqlite").string());
    ASSERT_TRUE(store) << store.status().message();
    auto rows = (*store)->range("tongzhou-district/0", "pm25", t0, t0 + 3600 * kMicrosPerSecond, 1000);
    ASSERT_TRUE(rows);
    ASSERT_EQ(rows->size(), 120u);
    for (std::size_t i = 0; i < rows->size(); ++i) {
      EXPECT_EQ((*rows)[i].time, times[i]);
      EXPECT_EQ((*rows)[i].value, value(i));
    }
  }

  // A new twin on the same file: nothing in memory, the attribute not even registered.
  auto twin = makeTwin(config());
  ASSERT_NE(twin, nullptr);
  const auto district = twin->entities().find("tongzhou-district/0");
  ASSERT_TRUE(district);
  EXPECT_FALSE(twin->entities().attributes().find("pm25").has_value());
  EXPECT_EQ(twin->samplesApplied(), 0u);

  twin->clock().seek(t0 + 605 * kMicrosPerSecond);  // from live: paused there
  ASSERT_TRUE(playbackReady(*twin)) << twin->historyStatus().status.message();
  const auto pm25 = twin->entities().attributes().find("pm25");
  ASSERT_TRUE(pm25.has_value()) << "the history's attribute was not registered";
  auto v = twin->sampleValue(*district, *pm25, twin->frameTime());
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->value, 160.0);  // the sample at t0 + 600 s
  EXPECT_EQ(v->sampleTime, t0 + 600 * kMicrosPerSecond);
  EXPECT_TRUE(twin->historyStatus().window.contains(twin->frameTime()));
  EXPECT_EQ(twin->historyStatus().windowSamples, 120u);
  EXPECT_EQ(twin->timeSeries().totalSamples(), 0u);  // the memory store was never filled

  // Playback moves through the window.
  twin->clock().seek(t0 + 1195 * kMicrosPerSecond);
  twin->beginFrame();
  twin->update();
  v = twin->sampleValue(*district, *pm25, twin->frameTime());
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->value, 219.0);

  // Back to live: the live (empty) store again.
  twin->clock().goLive();
  twin->beginFrame();
  twin->update();
  EXPECT_FALSE(twin->historyStatus().playback);
  EXPECT_FALSE(twin->sampleValue(*district, *pm25, twin->frameTime()).has_value());

  // Far before the recorded data: a new window, with no value in it.
  const std::uint64_t windows = twin->historyStatus().windowsLoaded;
  twin->clock().seek(t0 - 3 * 3600 * kMicrosPerSecond);
  ASSERT_TRUE(waitFor([&] {
    twin->beginFrame();
    twin->update();
    return twin->historyStatus().windowsLoaded > windows && twin->historyStatus().playback;
  }));
  EXPECT_FALSE(twin->sampleValue(*district, *pm25, twin->frameTime()).has_value());
}

// Headless at any time (issue 11): a render at a past T with a [history] file draws what the window would show at T —
// it waits for the playback window, then the layers draw the history's values in their live classes.
TEST_F(TwinHistoryTest, AHeadlessRenderAtAPastTimeDrawsTheHistorysLiveColours) {
  const TimePoint t0 = (wallNow() / kMicrosPerSecond - 3600) * kMicrosPerSecond;
  std::vector<TimePoint> times;
  for (int i = 0; i < 60; ++i) times.push_back(t0 + i * 10 * kMicrosPerSecond);
  Config c = config();
  for (LayerConfig& l : c.layers) {
    if (l.id != "tongzhou-district") continue;
    l.style.colorMode = "graduated";
    l.style.colorBy = "pm25";
    l.style.breaks = {35, 75, 115, 150, 250};
    l.style.colors = {"#00e400", "#ffff00", "#ff7e00", "#ff0000", "#99004c", "#7e0023"};
  }
  {
    auto twin = makeTwin(c);
    ASSERT_NE(twin, nullptr);
    ingest(*twin, *twin->entities().find("tongzhou-district/0"), times, [](std::size_t i) { return 100.0 + i; });
  }
  auto twin = makeTwin(c);
  ASSERT_NE(twin, nullptr);
  const EntityIndex district = *twin->entities().find("tongzhou-district/0");
  viewer::RenderRequest request;
  request.width = 320;
  request.height = 180;
  request.drawUi = true;
  request.selected = district;
  request.time = t0 + 301 * kMicrosPerSecond;  // 1 s after the sample of 130 at t0 + 300 s
  auto image = viewer::renderOffscreen(*twin, request);
  ASSERT_TRUE(image) << image.status().message();
  EXPECT_TRUE(twin->historyStatus().playback);
  EXPECT_EQ(twin->frameTime(), *request.time);
  const auto* layer = dynamic_cast<layers::VectorLayer*>(twin->findLayer("tongzhou-district"));
  ASSERT_NE(layer, nullptr);
  const auto slot = layer->slotOfEntity(district);
  ASSERT_TRUE(slot);
  EXPECT_EQ(layer->slotState(*slot), layers::SlotState::Live);
  EXPECT_EQ(layer->drawnColor(*slot), layers::parseColor("#ff0000").value());  // 130: the 115-150 class
}

TEST_F(TwinHistoryTest, RetentionDeletesOldSamplesInTheBackground) {
  const TimePoint now = wallNow();
  const std::vector<TimePoint> old{now - 3 * 86400 * kMicrosPerSecond, now - 2 * 86400 * kMicrosPerSecond};
  const std::vector<TimePoint> recent{now - 3600 * kMicrosPerSecond};
  {
    auto twin = makeTwin(config(0));  // keep everything
    ASSERT_NE(twin, nullptr);
    const auto district = twin->entities().find("tongzhou-district/0");
    ASSERT_TRUE(district);
    ingest(*twin, *district, old, [](std::size_t) { return 1.0; });
    ingest(*twin, *district, recent, [](std::size_t) { return 2.0; });
  }
  auto store = connectors::openSqliteHistory((dir_ / "sub" / "history.sqlite").string());
  ASSERT_TRUE(store);
  auto count = [&](TimePoint a, TimePoint b) {
    auto rows = (*store)->range("tongzhou-district/0", "pm25", a, b, 100);
    return rows ? rows->size() : 999u;
  };
  ASSERT_EQ(count(now - 4 * 86400 * kMicrosPerSecond, now), 3u);
  auto twin = makeTwin(config(1));  // one day: the restarted twin's first retention run deletes the old two
  ASSERT_NE(twin, nullptr);
  EXPECT_TRUE(waitFor([&] { return count(now - 4 * 86400 * kMicrosPerSecond, now - 86400 * kMicrosPerSecond) == 0; }));
  EXPECT_EQ(count(now - 2 * 3600 * kMicrosPerSecond, now), 1u);
}

TEST_F(TwinHistoryTest, AHistoryFileThatCannotOpenIsReportedAndTheTwinRunsOn) {
  Config c = config();
  fs::create_directories(dir_ / "not-a-file.sqlite");
  connectors::editHistoryConfig(c).path = (dir_ / "not-a-file.sqlite").string();
  auto twin = makeTwin(c);
  ASSERT_NE(twin, nullptr);
  const auto status = twin->historyStatus();
  EXPECT_TRUE(status.enabled);
  EXPECT_FALSE(status.status.isOk());
  EXPECT_NE(status.status.message().find("not-a-file.sqlite"), std::string::npos) << status.status.message();
  EXPECT_GT(twin->layers().size(), 0u);
  twin->update();  // no writer, no playback: nothing to do, no crash
  twin->clock().seek(wallNow() - 3600 * kMicrosPerSecond);
  twin->beginFrame();
  twin->update();
  EXPECT_FALSE(twin->historyStatus().playback);
}

// The twin's alert log (alert_log.hpp): a raise from another thread is applied by beginFrame(); with [history] its
// events go to the alerts table of the same file, where a restarted twin reads them back.
TEST_F(TwinHistoryTest, AlertsAreAppliedEachFrameAndKeptInTheHistoryFile) {
  const TimePoint t0 = (wallNow() / kMicrosPerSecond - 600) * kMicrosPerSecond;
  {
    auto twin = makeTwin(config());
    ASSERT_NE(twin, nullptr);
    AlertRaise raise;
    raise.source = "energy";
    raise.key = "overload/tongzhou-district/0";
    raise.severity = AlertSeverity::Critical;
    raise.entityId = "tongzhou-district/0";
    raise.messageZh = "过载";
    raise.messageEn = "overload";
    raise.timeUs = t0;
    std::thread plugin([&] { ASSERT_TRUE(twin->alerts().raise(raise)); });
    plugin.join();
    // The plugin's alerts only: the twin raises its own too (an indicator off track, twin_indicators.cpp).
    const auto energyAlerts = [&twin] {
      std::size_t n = 0;
      for (const Alert& a : twin->alerts().active()) n += a.source == "energy" ? 1 : 0;
      return n;
    };
    EXPECT_EQ(energyAlerts(), 0u);
    twin->beginFrame();
    ASSERT_EQ(energyAlerts(), 1u);
    EXPECT_EQ(twin->alerts().unacknowledged()[AlertSeverity::Critical], 1u);
    ASSERT_TRUE(twin->alerts().clear("energy", raise.key, t0 + 60 * kMicrosPerSecond));
    twin->beginFrame();
    EXPECT_EQ(energyAlerts(), 0u);
    EXPECT_TRUE(twin->alerts().persistenceStatus().enabled);
  }  // the writer commits what it holds
  auto twin = makeTwin(config());
  ASSERT_NE(twin, nullptr);
  auto events = twin->alerts().events(t0, t0 + 60 * kMicrosPerSecond);
  ASSERT_TRUE(events) << events.status().message();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, AlertEventKind::Raise);
  EXPECT_EQ((*events)[0].entityId, "tongzhou-district/0");
  EXPECT_EQ((*events)[1].kind, AlertEventKind::Clear);
  EXPECT_EQ((*events)[1].timeUs, t0 + 60 * kMicrosPerSecond);
}

}  // namespace
}  // namespace gt::runtime
