// The feed-health panel (issue 4): rows built from FeedHealth snapshots at known times (no clock), and the panel
// drawn headless over a twin with a real ZeroMQ source on loopback.
#include "feed_health_panel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <thread>

#include "golden_image.hpp"
#include "../support/loopback_publisher.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/zmq_source.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/viewer/app.hpp"

namespace gt::viewer {
namespace {

constexpr TimePoint kT0 = 1'764'000'000LL * kMicrosPerSecond;  // any fixed wall time
constexpr Duration kMs = 1000;

runtime::Twin::FeedSource source(const std::string& id, const std::string& type, std::vector<PublisherHealth> publishers) {
  runtime::Twin::FeedSource s;
  s.id = id;
  s.type = type;
  s.publishers = std::move(publishers);
  return s;
}

// Two sources: "sim" (zmq, CURVE) with a live, a stale and a never-seen publisher; "aqi" (a plugin source) with
// a live and a stale one. Every record's time is given; the view is taken at kT0 + 2 s.
struct Fixture {
  FeedHealth sim;
  FeedHealth plugins;
  TimePoint now = kT0 + 2000 * kMs;

  Fixture() {
    // "fast": 20 messages of 10 updates, every 100 ms from kT0, declared interval 100 ms: last seen 100 ms ago.
    for (std::uint64_t k = 0; k < 20; ++k) {
      const TimePoint t = kT0 + static_cast<Duration>(k) * 100 * kMs;
      sim.record("fast", k + 1, t, t, 100 * kMs, 10);
    }
    // "slow": one message 3.5 s before `now` with a declared interval of 1 s: STALE (3.5 s > 2 x 1 s); a gap of 4.
    sim.record("slow", 10, kT0 - 1600 * kMs, kT0 - 1600 * kMs, kMicrosPerSecond, 4);
    sim.record("slow", 15, kT0 - 1500 * kMs, kT0 - 1500 * kMs, kMicrosPerSecond, 4);
    sim.record("slow", 15, kT0 - 1500 * kMs, kT0 - 1500 * kMs, kMicrosPerSecond, 4);  // duplicate
    sim.expect("quiet", 5 * kMicrosPerSecond);                                         // NEVER_SEEN
    plugins.record("plugin:air_quality/aqi", 1, now - 500 * kMs, now - 500 * kMs, kMicrosPerSecond, 2);
    plugins.record("plugin:air_quality/old", 1, now - 150 * kMicrosPerSecond, now - 150 * kMicrosPerSecond, 0, 1);
  }

  std::vector<runtime::Twin::FeedSource> sources() const {
    auto s = source("sim", "zmq", sim.snapshot(now));
    s.curve = true;
    connectors::ZmqIngestStats stats;
    stats.authRefused = 3;
    stats.handshakeFailures = 1;
    stats.revokedMessages = 2;
    stats.rateLimitedMessages = 7;
    stats.rejects[static_cast<std::size_t>(connectors::RejectReason::Truncated)] = 4;
    stats.wrongFrameCount = 1;
    stats.unknownEntities = 9;
    s.ingest = stats;
    return {s, source("aqi", "air_quality.aqi", plugins.snapshot(now))};
  }
};

TEST(FeedHealthPanel, RowsCarryStateCountersAgeAndInterval) {
  Fixture f;
  const FeedHealthView view = buildFeedHealthView(f.sources());
  ASSERT_EQ(view.rows.size(), 5u);
  EXPECT_EQ(view.live, 2u);
  EXPECT_EQ(view.stale, 2u);
  EXPECT_EQ(view.neverSeen, 1u);
  auto find = [&view](const std::string& publisher) -> const FeedHealthRow& {
    for (const FeedHealthRow& r : view.rows) {
      if (r.publisher == publisher) return r;
    }
    ADD_FAILURE() << "no row for " << publisher;
    return view.rows.front();
  };

  const FeedHealthRow& fast = find("fast");
  EXPECT_EQ(fast.source, "sim");
  EXPECT_EQ(fast.state, FeedState::Live);
  EXPECT_TRUE(fast.seen);
  EXPECT_EQ(fast.age, 100 * kMs);  // last at kT0 + 1.9 s
  EXPECT_EQ(fast.interval, 100 * kMs);
  // 20 messages since it was first seen 2 s ago: 10 msg/s, 100 updates/s.
  EXPECT_NEAR(fast.messageRate, 10.0, 1e-9);
  EXPECT_NEAR(fast.updateRate, 100.0, 1e-9);
  EXPECT_EQ(fast.messages, 20u);
  EXPECT_EQ(fast.gaps, 0u);

  const FeedHealthRow& slow = find("slow");
  EXPECT_EQ(slow.state, FeedState::Stale);
  EXPECT_EQ(slow.age, 3500 * kMs);
  EXPECT_EQ(slow.interval, kMicrosPerSecond);
  EXPECT_EQ(slow.gaps, 4u);  // 11..14 skipped
  EXPECT_EQ(slow.duplicates, 1u);
  EXPECT_NEAR(slow.messageRate, 2.0 / 3.6, 1e-9);  // 2 accepted since first seen 3.6 s ago

  const FeedHealthRow& quiet = find("quiet");
  EXPECT_EQ(quiet.state, FeedState::NeverSeen);
  EXPECT_FALSE(quiet.seen);
  EXPECT_EQ(quiet.interval, 5 * kMicrosPerSecond);
  EXPECT_EQ(quiet.messageRate, 0.0);

  const FeedHealthRow& old = find("plugin:air_quality/old");
  EXPECT_EQ(old.source, "aqi");
  EXPECT_EQ(old.state, FeedState::Stale);
  EXPECT_EQ(old.interval, kMicrosPerSecond);  // none declared: FeedHealth's default
}

TEST(FeedHealthPanel, StaleRowsComeFirstThenNeverSeenThenLive) {
  Fixture f;
  const FeedHealthView view = buildFeedHealthView(f.sources());
  std::vector<std::pair<std::string, std::string>> order;
  for (const FeedHealthRow& r : view.rows) order.emplace_back(r.source, r.publisher);
  const std::vector<std::pair<std::string, std::string>> expected{
      {"aqi", "plugin:air_quality/old"},  // STALE, by source id then publisher id
      {"sim", "slow"},
      {"sim", "quiet"},                   // NEVER_SEEN
      {"aqi", "plugin:air_quality/aqi"},  // LIVE
      {"sim", "fast"},
  };
  EXPECT_EQ(order, expected);
}

TEST(FeedHealthPanel, LaterTimeTurnsALivePublisherStale) {
  Fixture f;
  f.now = kT0 + 2100 * kMs;  // "fast" last seen 200 ms ago = 2 x 100 ms: still LIVE
  auto view = buildFeedHealthView(f.sources());
  EXPECT_EQ(view.rows.back().publisher, "fast");
  EXPECT_EQ(view.rows.back().state, FeedState::Live);
  f.now = kT0 + 2101 * kMs;  // one millisecond later: STALE, and sorted up with the other stale rows
  view = buildFeedHealthView(f.sources());
  EXPECT_EQ(view.stale, 3u);
  EXPECT_EQ(view.rows[1].publisher, "fast");  // between ("aqi", "plugin:air_quality/old") and ("sim", "slow")
  EXPECT_EQ(view.rows[1].state, FeedState::Stale);
}

TEST(FeedHealthPanel, SourceRowsCarryTheIngestRefusals) {
  Fixture f;
  const FeedHealthView view = buildFeedHealthView(f.sources());
  ASSERT_EQ(view.sources.size(), 2u);
  const FeedSourceRow& sim = view.sources[0];
  EXPECT_EQ(sim.id, "sim");
  EXPECT_TRUE(sim.curve);
  EXPECT_TRUE(sim.hasIngest);
  EXPECT_EQ(sim.authRefused, 3u);
  EXPECT_EQ(sim.handshakeFailures, 1u);
  EXPECT_EQ(sim.revokedMessages, 2u);
  EXPECT_EQ(sim.rateLimitedMessages, 7u);
  EXPECT_EQ(sim.rejected, 5u);  // 4 truncated + 1 wrong frame count
  EXPECT_EQ(sim.rejects[static_cast<std::size_t>(connectors::RejectReason::Truncated)], 4u);
  EXPECT_EQ(sim.unknownEntities, 9u);
  EXPECT_EQ(sim.publishers, 3u);
  const FeedSourceRow& aqi = view.sources[1];
  EXPECT_EQ(aqi.type, "air_quality.aqi");
  EXPECT_FALSE(aqi.hasIngest);
  EXPECT_FALSE(aqi.curve);
}

TEST(FeedHealthPanel, AgesAndIntervalsReadAsText) {
  FeedHealthRow row;
  EXPECT_EQ(formatFeedAge(row, Language::English), "never");
  EXPECT_EQ(formatFeedAge(row, Language::Chinese), "从未");
  row.seen = true;
  row.age = 3700 * kMs;
  EXPECT_EQ(formatFeedAge(row, Language::English), "3.7 s ago");
  EXPECT_EQ(formatFeedAge(row, Language::Chinese), "3.7 秒前");
  row.age = 250 * kMs;
  EXPECT_EQ(formatFeedAge(row, Language::English), "0.2 s ago");
  row.age = 42 * kMicrosPerSecond + 900 * kMs;
  EXPECT_EQ(formatFeedAge(row, Language::English), "42 s ago");
  row.age = 150 * kMicrosPerSecond;
  EXPECT_EQ(formatFeedAge(row, Language::English), "2 min ago");
  row.age = 3 * 3600 * kMicrosPerSecond;
  EXPECT_EQ(formatFeedAge(row, Language::English), "3 h ago");
  EXPECT_EQ(formatFeedInterval(250 * kMs), "250 ms");
  EXPECT_EQ(formatFeedInterval(kMicrosPerSecond), "1 s");
  EXPECT_EQ(formatFeedInterval(1500 * kMs), "1.5 s");
  EXPECT_EQ(formatFeedInterval(300 * kMicrosPerSecond), "5 min");
  EXPECT_STREQ(feedStateText(FeedState::Stale, Language::English), "STALE");
  EXPECT_STREQ(feedStateText(FeedState::NeverSeen, Language::English), "NEVER SEEN");
  EXPECT_STREQ(feedStateText(FeedState::Live, Language::Chinese), "在线");
}

// ---- headless: the panel over a twin fed by a real publisher on loopback ----

class Publisher : public testing::LoopbackPublisher {
 public:
  using LoopbackPublisher::LoopbackPublisher;

  void send(const std::string& publisher, std::uint64_t sequence, Duration interval) {
    connectors::Message m;
    m.topic = "air.station";
    m.envelope.publisherId = publisher;
    m.envelope.sequence = sequence;
    m.envelope.sourceTime = wallNow();
    m.envelope.schemaId = "air.station";
    m.envelope.declaredInterval = interval;
    m.updates.push_back({"tongzhou-district/0", "pm25", 30.0, "ug/m3", std::nullopt});
    publish(m);
  }

};

TEST(FeedHealthPanel, DrawnHeadlessOverATwinWithALiveAndAStalePublisher) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.synthetic; });
  SourceConfig sc;
  sc.id = "loopback";
  sc.type = "zmq";
  runtime::editZmqOptions(sc).endpoint = "tcp://127.0.0.1:*";
  runtime::editZmqOptions(sc).bind = true;
  runtime::editZmqOptions(sc).security = "none";
  config->sources = {sc};
  config->clock.mode = "paused";
  auto created = runtime::Twin::create(*config);
  ASSERT_TRUE(created) << created.status().message();
  runtime::Twin& twin = **created;
  ASSERT_TRUE(twin.sources().at(0).status.isOk()) << twin.sources()[0].status.message();

  // "station-fast" keeps publishing (1 s interval) from its own thread until the end; "station-gone" sends until
  // both are seen, then stops: with a 100 ms interval it is STALE 200 ms later.
  Publisher publisher(twin.sources()[0].endpoint);
  std::atomic<bool> stop{false};
  std::atomic<bool> goneStops{false};
  std::thread sender([&] {
    std::uint64_t seq = 1;
    while (!stop.load()) {
      publisher.send("station-fast", seq, kMicrosPerSecond);
      if (!goneStops.load()) publisher.send("station-gone", seq, 100 * kMs);
      ++seq;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
  const auto states = [&twin] {
    std::map<std::string, FeedState> out;
    for (const PublisherHealth& p : twin.feedHealth()) out[p.publisher] = p.state;
    return out;
  };
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (states().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  goneStops = true;
  deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (states()["station-gone"] != FeedState::Stale && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_EQ(states()["station-gone"], FeedState::Stale);
  ASSERT_EQ(states()["station-fast"], FeedState::Live);

  // The panel's rows for this twin: the source's two publishers, the stale one first.
  const FeedHealthView view = buildFeedHealthView(twin.feedSources());
  ASSERT_EQ(view.rows.size(), 2u);
  EXPECT_EQ(view.rows[0].publisher, "station-gone");
  EXPECT_EQ(view.rows[0].source, "loopback");
  EXPECT_EQ(view.rows[1].publisher, "station-fast");
  ASSERT_EQ(view.sources.size(), 1u);
  EXPECT_TRUE(view.sources[0].hasIngest);
  EXPECT_FALSE(view.sources[0].curve);

  RenderRequest request;
  request.width = 1280;
  request.height = 720;
  request.language = Language::English;
  request.feedHealthPanel = true;
  auto withPanel = renderOffscreen(twin, request);
  request.language = Language::Chinese;
  auto withPanelZh = renderOffscreen(twin, request);
  request.feedHealthPanel = false;
  auto without = renderOffscreen(twin, request);
  stop = true;
  sender.join();
  ASSERT_TRUE(withPanel) << withPanel.status().message();
  ASSERT_TRUE(withPanelZh && without);
  ASSERT_TRUE(writePng(**withPanel, std::string(GT_TEST_BINARY_DIR) + "/feed_health_panel_en.png"));
  ASSERT_TRUE(writePng(**withPanelZh, std::string(GT_TEST_BINARY_DIR) + "/feed_health_panel_zh.png"));
  // The panel covers a good part of the lower middle of the screen; closed, nothing of it is drawn.
  const auto cmp = testing::compareImages(**withPanelZh, **without, 24);
  EXPECT_GT(cmp.differingPixels, 20000);
  // Red text: the STALE row (state, age) draws pixels in the stale colour where the scene has none such.
  std::size_t red = 0;
  const osg::Image& image = **withPanel;
  for (int y = 0; y < image.t(); ++y) {
    for (int x = 0; x < image.s(); ++x) {
      const unsigned char* p = image.data(static_cast<unsigned>(x), static_cast<unsigned>(y));
      red += p[0] > 200 && p[1] < 140 && p[2] < 130 ? 1 : 0;
    }
  }
  EXPECT_GT(red, 30u);
}

}  // namespace
}  // namespace gt::viewer
