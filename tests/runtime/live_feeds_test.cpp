// LiveFeeds' part in registering the attribute names feeds report (issue 15): within the [feeds] limits; and the
// feed health of polled plugin sources, judged up to the plugin host's last poll.
#include "greentwin/runtime/live_feeds.hpp"

#include <gtest/gtest.h>

#include <string>

#include "greentwin/runtime/config_loading.hpp"

namespace gt::runtime {
namespace {

TEST(LiveFeeds, RegistersTheReportedAttributeNamesWithinTheFeedsLimits) {
  auto config = parseConfigText("[feeds]\nmax_attribute_names = 3\nmax_attribute_name_bytes = 10\n", "test.toml");
  ASSERT_TRUE(config.isOk()) << config.status().message();
  LiveFeeds feeds;
  feeds.setAttributeLimits(connectors::feedsConfig(*config));
  EntityStore entities;
  ASSERT_TRUE(entities.attributes().intern("pm25", "ug/m3").isOk());
  // What an ingest thread reports: names its updates used that the directory does not have.
  for (const char* name : {"no2", "a_name_longer_than_ten", "o3", "co", "so2"}) {
    feeds.directory().reportUnknownAttribute(name);
  }
  feeds.registerNewAttributes(entities.attributes());
  EXPECT_EQ(entities.attributes().size(), 3u);
  EXPECT_TRUE(entities.attributes().find("no2").has_value());
  EXPECT_TRUE(entities.attributes().find("o3").has_value());
  EXPECT_FALSE(entities.attributes().find("a_name_longer_than_ten").has_value());
  EXPECT_FALSE(entities.attributes().find("co").has_value());
  EXPECT_EQ(feeds.refusedAttributeNames(), 3u);
  // Refused names reported again are refused again (their updates stay dropped as unknown).
  feeds.directory().reportUnknownAttribute("co");
  feeds.registerNewAttributes(entities.attributes());
  EXPECT_EQ(entities.attributes().size(), 3u);
  EXPECT_EQ(feeds.refusedAttributeNames(), 4u);
}

PublisherHealth healthOf(const std::vector<PublisherHealth>& all, const std::string& publisher) {
  for (const PublisherHealth& p : all) {
    if (p.publisher == publisher) return p;
  }
  ADD_FAILURE() << "no publisher " << publisher;
  return {};
}

// A polled plugin source can push only when the host polls it: while the twin's update thread is busy (a long KPI,
// a render on a machine short of CPU) its silence is the twin's, not the source's, and it stays LIVE; once the host
// no longer polls it (its plugin disabled) it goes STALE like any silent feed. A source with a thread of its own is
// judged by wall time throughout.
TEST(LiveFeeds, APolledPluginSourceIsJudgedUpToTheHostsLastPoll) {
  LiveFeeds feeds;
  const TimePoint t0 = 1'800'000'000'000'000;
  const Duration second = kMicrosPerSecond;
  const std::string polled = "plugin:energy/energy";
  const std::string threaded = "plugin:sim/feed";
  (void)feeds.pluginHealth().record(polled, 1, t0, t0, second, 0);    // the heartbeat of a poll at t0
  (void)feeds.pluginHealth().record(threaded, 1, t0, t0, second, 5);  // a push from its own thread
  feeds.notePluginPoll(t0, {polled});
  // Ten seconds on, no poll since (the update thread was busy all along).
  const auto later = feeds.feedHealth(t0 + 10 * second);
  EXPECT_EQ(healthOf(later, polled).state, FeedState::Live);
  EXPECT_EQ(healthOf(later, threaded).state, FeedState::Stale);
  // Polled again without its source (its plugin was disabled): silent since t0, so STALE.
  feeds.notePluginPoll(t0 + 10 * second, {});
  EXPECT_EQ(healthOf(feeds.feedHealth(t0 + 10 * second), polled).state, FeedState::Stale);
  // The feed sources' view says the same.
  feeds.notePluginPoll(t0, {polled});
  const auto sources = feeds.feedSources({}, t0 + 10 * second);
  ASSERT_FALSE(sources.empty());
  EXPECT_EQ(healthOf(sources.back().publishers, polled).state, FeedState::Live);
}

}  // namespace
}  // namespace gt::runtime
