// Plugin sources in the twin's feed health (issue 4): each started plugin source is a publisher
// "plugin:<plugin>/<source>", NEVER_SEEN until its first push, LIVE while it pushes and STALE once it stops, like a
// ZeroMQ publisher. Real plugins (tests/plugin_host/good_plugin.cpp) in a real twin; wall-time waits have deadlines.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>
#include <vector>

#include "../support/twin_test_setup.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

constexpr const char* kDistrict = "tongzhou-district/0";

Config demoWithSources(std::vector<SourceConfig> sources) {
  return testing::demoWithTestPlugins(GT_TEST_PLUGIN_DIR, {"good"}, std::move(sources));
}

SourceConfig source(const std::string& id, const std::string& type) {
  return testing::pluginSource(id, type, {{"entity", kDistrict, 0}});
}

std::optional<PublisherHealth> publisher(const Twin& twin, const std::string& id) {
  for (const PublisherHealth& p : twin.feedHealth()) {
    if (p.publisher == id) return p;
  }
  return std::nullopt;
}

// Frames (as the window runs them, 5 ms apart) until `done` or the deadline.
template <class Done>
bool runFrames(Twin& twin, Done done, std::chrono::seconds limit = std::chrono::seconds(20)) {
  return testing::runFrames(twin, done, limit, std::chrono::milliseconds(5));
}

TEST(PluginFeedHealth, APolledSourceIsAPublisherFromItsStartAndLiveOncePolled) {
  // Background loading: create() returns before any frame, so nothing has polled the source yet.
  auto created = Twin::create(demoWithSources({source("counter", "good.counter")}), {}, LoadMode::Background);
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  ASSERT_TRUE(twin.sources().at(0).status.isOk()) << twin.sources()[0].status.message();
  EXPECT_EQ(PluginHost::feedPublisher("good", "counter"), "plugin:good/counter");

  // Started, never polled yet: announced, NEVER_SEEN, with the polled interval (at least 1 s).
  auto before = publisher(twin, "plugin:good/counter");
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->state, FeedState::NeverSeen);
  EXPECT_EQ(before->declaredInterval, PluginHost::kMinPolledFeedInterval);

  // Every frame polls it and it pushes once per poll: one message per frame, counted in sequence (no gaps).
  ASSERT_TRUE(runFrames(twin, [&] {
    auto p = publisher(twin, "plugin:good/counter");
    return p && p->messages >= 5;
  }));
  const auto live = publisher(twin, "plugin:good/counter");
  EXPECT_EQ(live->state, FeedState::Live);
  EXPECT_EQ(live->gaps, 0u);
  EXPECT_EQ(live->duplicates + live->old + live->restarts, 0u);
  EXPECT_EQ(live->updates, live->messages);  // one sample per push_update
  EXPECT_GT(live->messageRate, 0.0);

  // The panel's grouping: the publisher belongs to its [[sources]] entry.
  const auto sources = twin.feedSources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].id, "counter");
  EXPECT_EQ(sources[0].type, "good.counter");
  EXPECT_FALSE(sources[0].ingest.has_value());
  ASSERT_EQ(sources[0].publishers.size(), 1u);
  EXPECT_EQ(sources[0].publishers[0].publisher, "plugin:good/counter");
}

// A source that pushes only when its inputs change (the air-quality AQI) declares its cadence with interval_s in its
// [[sources]] entry: feed health judges it by that, not by the poll period, and the key is not passed to the plugin.
// A polled source that derives values pushes only when its inputs change; polled without error it is alive: each
// poll without a push is an empty message, so it reads LIVE over seconds of quiet (STALE would call a running
// plugin dead), with no updates counted.
TEST(PluginFeedHealth, APolledSourceThatHasNothingToPushStaysLiveWhilePolled) {
  Config config = demoWithSources({});
  config.plugins.enabled = {"probe"};
  SourceConfig quiet;
  quiet.id = "quiet";
  quiet.type = "probe.features";
  quiet.options = {{"layer", "no-such-layer", 0}};  // it finds nothing and pushes nothing
  config.sources = {quiet};
  auto created = Twin::create(config);
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  ASSERT_TRUE(twin.sources().at(0).status.isOk()) << twin.sources()[0].status.message();
  const auto started = std::chrono::steady_clock::now();
  ASSERT_TRUE(runFrames(twin, [&] { return std::chrono::steady_clock::now() - started > std::chrono::seconds(3); }));
  const auto p = publisher(twin, "plugin:probe/quiet");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->state, FeedState::Live);
  EXPECT_GE(p->messages, 10u);
  EXPECT_EQ(p->updates, 0u);
  EXPECT_EQ(p->gaps, 0u);
}

TEST(PluginFeedHealth, ADeclaredIntervalReplacesThePollPeriod) {
  SourceConfig counter = source("counter", "good.counter");
  counter.intervalS = 30.0;
  auto created = Twin::create(demoWithSources({counter}));
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  ASSERT_TRUE(twin.sources().at(0).status.isOk()) << twin.sources()[0].status.message();
  ASSERT_TRUE(runFrames(twin, [&] {
    auto p = publisher(twin, "plugin:good/counter");
    return p && p->messages >= 5;
  }));
  const auto p = publisher(twin, "plugin:good/counter");
  EXPECT_EQ(p->declaredInterval, 30 * kMicrosPerSecond);
  EXPECT_EQ(p->state, FeedState::Live);
}

TEST(PluginFeedHealth, AThreadedSourceThatStopsPushingTurnsStale) {
  auto created = Twin::create(demoWithSources({source("ticker", "good.threaded")}));
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  ASSERT_TRUE(twin.sources().at(0).status.isOk()) << twin.sources()[0].status.message();

  // Its thread pushes every 2 ms: LIVE, interval FeedHealth's default (the ABI declares none).
  ASSERT_TRUE(runFrames(twin, [&] {
    auto p = publisher(twin, "plugin:good/ticker");
    return p && p->state == FeedState::Live && p->messages >= 20;
  }));
  EXPECT_EQ(publisher(twin, "plugin:good/ticker")->declaredInterval, FeedHealthConfig{}.defaultInterval);

  // The plugin is disabled: its source is stopped and pushes nothing more. Within 2 x 1 s it is STALE.
  twin.plugins().disable("good", "stopped by the test");
  const std::uint64_t messagesAtStop = publisher(twin, "plugin:good/ticker")->messages;
  const auto stoppedAt = std::chrono::steady_clock::now();
  ASSERT_TRUE(runFrames(twin, [&] { return publisher(twin, "plugin:good/ticker")->state == FeedState::Stale; },
                        std::chrono::seconds(10)));
  const auto took = std::chrono::steady_clock::now() - stoppedAt;
  EXPECT_GE(took, std::chrono::milliseconds(1500)) << "STALE before 2 x its interval of silence";
  const auto stale = publisher(twin, "plugin:good/ticker");
  EXPECT_EQ(stale->messages, messagesAtStop);
  EXPECT_GT(stale->sinceLastSeen, 2 * kMicrosPerSecond);
  EXPECT_EQ(stale->gaps + stale->duplicates + stale->old, 0u);
  // Still listed under its source, so the panel shows which source went quiet.
  const auto sources = twin.feedSources();
  ASSERT_EQ(sources.size(), 1u);
  ASSERT_EQ(sources[0].publishers.size(), 1u);
  EXPECT_EQ(sources[0].publishers[0].state, FeedState::Stale);
}

// The twin raises a feed alert (docs/alerts.md "Feed alerts") when the stopped source turns STALE: a warning from
// source "feeds" keyed by the publisher id, timed 2 x its interval after its last message; once, not per check.
TEST(PluginFeedHealth, AThreadedSourceThatStopsPushingRaisesOneFeedAlert) {
  auto created = Twin::create(demoWithSources({source("ticker", "good.threaded")}));
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  ASSERT_TRUE(twin.sources().at(0).status.isOk()) << twin.sources()[0].status.message();
  const auto feedAlerts = [&] {
    std::vector<Alert> out;
    for (const Alert& a : twin.alerts().active()) {
      if (a.source == "feeds") out.push_back(a);
    }
    return out;
  };
  ASSERT_TRUE(runFrames(twin, [&] {
    auto p = publisher(twin, "plugin:good/ticker");
    return p && p->state == FeedState::Live && p->messages >= 20;
  }));
  EXPECT_TRUE(feedAlerts().empty());

  twin.plugins().disable("good", "stopped by the test");
  ASSERT_TRUE(runFrames(twin, [&] { return !feedAlerts().empty(); }, std::chrono::seconds(10)));
  const auto stale = publisher(twin, "plugin:good/ticker");
  ASSERT_TRUE(stale.has_value());
  EXPECT_EQ(stale->state, FeedState::Stale);
  const std::vector<Alert> raised = feedAlerts();
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].key, "plugin:good/ticker");
  EXPECT_EQ(raised[0].severity, AlertSeverity::Warning);
  EXPECT_EQ(raised[0].entityId, "");
  EXPECT_EQ(raised[0].raisedUs, stale->lastSeen + 2 * kMicrosPerSecond);
  EXPECT_TRUE(raised[0].messageEn.starts_with("Feed plugin:good/ticker is stale: nothing for ")) << raised[0].messageEn;
  EXPECT_TRUE(raised[0].messageEn.ends_with(" (expected every 1 s); its values are drawn as stale"))
      << raised[0].messageEn;
  EXPECT_TRUE(raised[0].messageZh.starts_with("数据源 plugin:good/ticker 已停滞：")) << raised[0].messageZh;

  // Still STALE over the next checks (one a second): the same alert, not raised again.
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(1300);
  while (std::chrono::steady_clock::now() < until) {
    twin.beginFrame();
    twin.update();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::vector<Alert> after = feedAlerts();
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0].id, raised[0].id);
  EXPECT_EQ(after[0].updatedUs, raised[0].updatedUs);
  for (const Alert& a : twin.alerts().recent()) EXPECT_NE(a.source, "feeds") << a.key << " was cleared";
}

TEST(PluginFeedHealth, PushesArePerSourceWithAPolledAndAThreadedSourceOfOnePlugin) {
  auto created = Twin::create(demoWithSources({source("counter", "good.counter"), source("ticker", "good.threaded")}));
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  // The counter's pushes happen in its poll (update thread), the ticker's on its own thread: each is its own.
  ASSERT_TRUE(runFrames(twin, [&] {
    auto c = publisher(twin, "plugin:good/counter");
    auto t = publisher(twin, "plugin:good/ticker");
    return c && t && c->messages >= 5 && t->messages >= 20;
  }));
  EXPECT_FALSE(publisher(twin, "plugin:good").has_value()) << "a push was not attributed to its source";
  for (const char* id : {"plugin:good/counter", "plugin:good/ticker"}) {
    const auto p = publisher(twin, id);
    EXPECT_EQ(p->state, FeedState::Live) << id;
    EXPECT_EQ(p->gaps + p->duplicates + p->old, 0u) << id;
  }
}

TEST(PluginFeedHealth, TwoThreadedSourcesOfOnePluginShareAPluginWidePublisher) {
  // The ABI's push functions do not say which source pushes: two threaded sources of one plugin cannot be told
  // apart, so their pushes go to "plugin:good", in one sequence (no gaps or duplicates), in an entry of no source.
  auto created = Twin::create(demoWithSources({source("t1", "good.threaded"), source("t2", "good.threaded")}));
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  ASSERT_TRUE(runFrames(twin, [&] {
    auto p = publisher(twin, "plugin:good");
    return p && p->messages >= 40;
  }));
  const auto shared = publisher(twin, "plugin:good");
  EXPECT_EQ(shared->gaps + shared->duplicates + shared->old, 0u);
  // t1 ran alone for a moment (its pushes then were its own); t2 never did.
  EXPECT_EQ(publisher(twin, "plugin:good/t2")->state, FeedState::NeverSeen);
  const auto sources = twin.feedSources();
  ASSERT_EQ(sources.size(), 3u);
  EXPECT_EQ(sources[2].id, "");
  ASSERT_EQ(sources[2].publishers.size(), 1u);
  EXPECT_EQ(sources[2].publishers[0].publisher, "plugin:good");
}

}  // namespace
}  // namespace gt::runtime
