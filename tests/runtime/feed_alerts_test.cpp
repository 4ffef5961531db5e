// Feed alerts (runtime/feed_alerts.hpp; docs/alerts.md "Feed alerts"): which alerts a feed-health snapshot raises
// and clears, without sockets — snapshots are built by hand, times are given. Expected texts and times are worked
// out by hand from the rules in the header.
#include "greentwin/runtime/feed_alerts.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "greentwin/runtime/alert_log.hpp"

namespace gt::runtime {
namespace {

constexpr Duration kS = kMicrosPerSecond;
constexpr TimePoint kT0 = 1'764'144'000 * kS;  // 2025-11-26T08:00:00Z

PublisherHealth pub(std::string id, FeedState state, TimePoint lastSeen, TimePoint now, Duration interval) {
  PublisherHealth p;
  p.publisher = std::move(id);
  p.state = state;
  p.lastSeen = lastSeen;
  p.sinceLastSeen = lastSeen == kNoTime ? 0 : now - lastSeen;
  p.declaredInterval = interval;
  return p;
}

using Kind = FeedAlertChange::Kind;

TEST(FeedAlerts, LiveToStaleRaisesOneWarningWithTheSilenceAndTheInterval) {
  FeedAlerts alerts;
  const TimePoint lastSeen = kT0 - 1 * kS;
  std::vector<PublisherHealth> live{pub("sim-air-1", FeedState::Live, lastSeen, kT0, 15 * kS)};
  EXPECT_TRUE(alerts.evaluate(live, kT0).empty());

  // 47 s after its last message, with 15 s declared: STALE since lastSeen + 2 x 15 s.
  const TimePoint now = lastSeen + 47 * kS;
  std::vector<PublisherHealth> stale{pub("sim-air-1", FeedState::Stale, lastSeen, now, 15 * kS)};
  const auto changes = alerts.evaluate(stale, now);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::Raise);
  const AlertRaise& a = changes[0].alert;
  EXPECT_EQ(a.source, "feeds");
  EXPECT_EQ(a.key, "sim-air-1");
  EXPECT_EQ(a.severity, AlertSeverity::Warning);
  EXPECT_EQ(a.entityId, "");
  EXPECT_EQ(a.messageEn,
            "Feed sim-air-1 is stale: nothing for 47 s (expected every 15 s); its values are drawn as stale");
  EXPECT_EQ(a.messageZh, "数据源 sim-air-1 已停滞：47 秒未收到数据（应每 15 秒一次）；其数值按过期显示");
  EXPECT_EQ(a.timeUs, lastSeen + 30 * kS);
  EXPECT_EQ(alerts.raisedCount(), 1u);
}

TEST(FeedAlerts, StayingStaleDoesNotRaiseAgainAndLiveAgainClears) {
  FeedAlerts alerts;
  const TimePoint lastSeen = kT0;
  std::vector<PublisherHealth> s1{pub("p", FeedState::Stale, lastSeen, kT0 + 3 * kS, kS)};
  ASSERT_EQ(alerts.evaluate(s1, kT0 + 3 * kS).size(), 1u);  // first seen STALE: raised
  for (int i = 4; i < 10; ++i) {
    std::vector<PublisherHealth> s{pub("p", FeedState::Stale, lastSeen, kT0 + i * kS, kS)};
    EXPECT_TRUE(alerts.evaluate(s, kT0 + i * kS).empty()) << "second " << i;
  }
  EXPECT_EQ(alerts.raisedCount(), 1u);

  // A message at T0 + 10.2 s; judged at T0 + 10.5 s: cleared at the message's time.
  std::vector<PublisherHealth> back{pub("p", FeedState::Live, kT0 + 10'200'000, kT0 + 10'500'000, kS)};
  const auto cleared = alerts.evaluate(back, kT0 + 10'500'000);
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_EQ(cleared[0].kind, Kind::Clear);
  EXPECT_EQ(cleared[0].alert.source, "feeds");
  EXPECT_EQ(cleared[0].alert.key, "p");
  EXPECT_EQ(cleared[0].alert.timeUs, kT0 + 10'200'000);
  EXPECT_EQ(alerts.raisedCount(), 0u);
  EXPECT_TRUE(alerts.evaluate(back, kT0 + 10'600'000).empty());  // still LIVE: nothing

  // Quiet again: a new raise (a new occurrence in the log), timed 2 x 1 s after the last message.
  std::vector<PublisherHealth> again{pub("p", FeedState::Stale, kT0 + 10'200'000, kT0 + 13 * kS, kS)};
  const auto raised = alerts.evaluate(again, kT0 + 13 * kS);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].kind, Kind::Raise);
  EXPECT_EQ(raised[0].alert.timeUs, kT0 + 12'200'000);
  EXPECT_EQ(raised[0].alert.messageEn,
            "Feed p is stale: nothing for 2.8 s (expected every 1 s); its values are drawn as stale");
}

TEST(FeedAlerts, NeverSeenDoesNotRaiseWithinItsGrace) {
  FeedAlerts alerts;  // grace 60 s
  for (int s : {0, 1, 30, 60}) {
    std::vector<PublisherHealth> never{pub("plugin:good/counter", FeedState::NeverSeen, kNoTime, 0, kS)};
    EXPECT_TRUE(alerts.evaluate(never, kT0 + s * kS).empty()) << s << " s after it was first listed";
  }
  EXPECT_EQ(alerts.raisedCount(), 0u);
  // Heard from before the grace ran out: LIVE, never raised, nothing to clear.
  std::vector<PublisherHealth> live{pub("plugin:good/counter", FeedState::Live, kT0 + 60 * kS, kT0 + 60 * kS, kS)};
  EXPECT_TRUE(alerts.evaluate(live, kT0 + 60 * kS).empty());
}

TEST(FeedAlerts, AnAnnouncedPublisherSilentPastItsGraceRaisesOnceAndItsFirstMessageClears) {
  FeedAlerts alerts;
  std::vector<PublisherHealth> never{pub("plugin:good/counter", FeedState::NeverSeen, kNoTime, 0, kS)};
  EXPECT_TRUE(alerts.evaluate(never, kT0).empty());
  const auto changes = alerts.evaluate(never, kT0 + 61 * kS);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, Kind::Raise);
  EXPECT_EQ(changes[0].alert.key, "plugin:good/counter");
  EXPECT_EQ(changes[0].alert.severity, AlertSeverity::Warning);
  EXPECT_EQ(changes[0].alert.messageEn,
            "Feed plugin:good/counter has sent nothing in the 61 s since it was started (expected every 1 s); it "
            "has no live values");
  EXPECT_EQ(changes[0].alert.messageZh,
            "数据源 plugin:good/counter 启动 61 秒以来未发送任何数据（应每 1 秒一次）；没有实时数值");
  EXPECT_EQ(changes[0].alert.timeUs, kT0 + 61 * kS);
  EXPECT_TRUE(alerts.evaluate(never, kT0 + 90 * kS).empty());

  std::vector<PublisherHealth> live{pub("plugin:good/counter", FeedState::Live, kT0 + 95 * kS, kT0 + 95 * kS, kS)};
  const auto cleared = alerts.evaluate(live, kT0 + 95 * kS);
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_EQ(cleared[0].kind, Kind::Clear);
  EXPECT_EQ(cleared[0].alert.timeUs, kT0 + 95 * kS);
}

TEST(FeedAlerts, ALongIntervalStretchesTheNeverSeenGrace) {
  FeedAlerts alerts;  // 2 x 60 s = 120 s > the 60 s grace
  std::vector<PublisherHealth> never{pub("slow", FeedState::NeverSeen, kNoTime, 0, 60 * kS)};
  EXPECT_TRUE(alerts.evaluate(never, kT0).empty());
  EXPECT_TRUE(alerts.evaluate(never, kT0 + 120 * kS).empty());
  const auto changes = alerts.evaluate(never, kT0 + 150 * kS);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].alert.messageEn,
            "Feed slow has sent nothing in the 2.5 min since it was started (expected every 60 s); it has no live "
            "values");
}

TEST(FeedAlerts, ManyPublishersRaiseAndClearEachInPublisherOrder) {
  FeedAlerts alerts;
  std::vector<PublisherHealth> snapshot;
  for (int i = 0; i < 100; ++i) {
    snapshot.push_back(pub(fmt::format("pub-{:03d}", i), FeedState::Live, kT0, kT0, kS));
  }
  EXPECT_TRUE(alerts.evaluate(snapshot, kT0).empty());
  // Every third one stops: 34 of them (0, 3, ..., 99).
  for (int i = 0; i < 100; i += 3) {
    snapshot[i] = pub(fmt::format("pub-{:03d}", i), FeedState::Stale, kT0, kT0 + 5 * kS, kS);
  }
  const auto raised = alerts.evaluate(snapshot, kT0 + 5 * kS);
  ASSERT_EQ(raised.size(), 34u);
  for (std::size_t k = 0; k < raised.size(); ++k) {
    EXPECT_EQ(raised[k].kind, Kind::Raise);
    EXPECT_EQ(raised[k].alert.key, fmt::format("pub-{:03d}", 3 * k));
  }
  EXPECT_EQ(alerts.raisedCount(), 34u);
  EXPECT_TRUE(alerts.evaluate(snapshot, kT0 + 6 * kS).empty());
  for (int i = 0; i < 100; ++i) {
    snapshot[i] = pub(fmt::format("pub-{:03d}", i), FeedState::Live, kT0 + 7 * kS, kT0 + 7 * kS, kS);
  }
  const auto cleared = alerts.evaluate(snapshot, kT0 + 7 * kS);
  ASSERT_EQ(cleared.size(), 34u);
  for (const FeedAlertChange& c : cleared) EXPECT_EQ(c.kind, Kind::Clear);
  EXPECT_EQ(alerts.raisedCount(), 0u);
}

TEST(FeedAlerts, OneIdOnTwoSourcesIsJudgedByTheWorstAndAPublisherThatLeavesIsCleared) {
  FeedAlerts alerts;
  std::vector<PublisherHealth> both{pub("dup", FeedState::Live, kT0 + 4 * kS, kT0 + 4 * kS, kS),
                                    pub("dup", FeedState::Stale, kT0, kT0 + 4 * kS, kS)};
  const auto raised = alerts.evaluate(both, kT0 + 4 * kS);
  ASSERT_EQ(raised.size(), 1u);
  EXPECT_EQ(raised[0].alert.messageEn,
            "Feed dup is stale: nothing for 4 s (expected every 1 s); its values are drawn as stale");
  EXPECT_TRUE(alerts.evaluate(both, kT0 + 5 * kS).empty());
  // LIVE beside NEVER_SEEN: judged LIVE, so no "sent nothing" alert however long the other stays unheard.
  FeedAlerts other;
  std::vector<PublisherHealth> liveAndNever{pub("twin", FeedState::NeverSeen, kNoTime, 0, kS),
                                            pub("twin", FeedState::Live, kT0 + 99 * kS, kT0 + 99 * kS, kS)};
  EXPECT_TRUE(other.evaluate(liveAndNever, kT0).empty());
  EXPECT_TRUE(other.evaluate(liveAndNever, kT0 + 100 * kS).empty());
  EXPECT_EQ(other.raisedCount(), 0u);
  const auto cleared = alerts.evaluate(std::vector<PublisherHealth>{}, kT0 + 6 * kS);
  ASSERT_EQ(cleared.size(), 1u);
  EXPECT_EQ(cleared[0].kind, Kind::Clear);
  EXPECT_EQ(cleared[0].alert.key, "dup");
  EXPECT_EQ(cleared[0].alert.timeUs, kT0 + 6 * kS);
  EXPECT_EQ(alerts.raisedCount(), 0u);
}

TEST(FeedAlerts, KeysAreTheIdWhenTheLogTakesItElseASafeIdAndAHash) {
  EXPECT_EQ(feedAlertKey("sim-air-1"), "sim-air-1");
  EXPECT_EQ(feedAlertKey("空气站/1"), "空气站/1");
  EXPECT_EQ(feedAlertKey(""), "(empty)");
  EXPECT_EQ(feedAlertKey("a\nb"), "a?b~e5beb1190415e670");         // FNV-1a 64 of the raw bytes
  EXPECT_EQ(feedAlertKey(std::string("\xff")), "?~af64724c8602eb6e");  // not UTF-8
  EXPECT_EQ(feedAlertKey(std::string(256, 'x')), std::string(256, 'x'));  // exactly the limit: as it is
  const std::string k300 = feedAlertKey(std::string(300, 'x'));
  const std::string k301 = feedAlertKey(std::string(301, 'x'));
  EXPECT_EQ(k300.size(), 256u);
  EXPECT_EQ(k300.substr(0, 240), std::string(239, 'x') + "~");
  EXPECT_NE(k300, k301);
  // 100 three-byte characters: cut at a character boundary, 79 of them (237 bytes) and the hash.
  std::string wide;
  for (int i = 0; i < 100; ++i) wide += "数";
  const std::string kw = feedAlertKey(wide);
  EXPECT_EQ(kw.size(), 237u + 17u);
  EXPECT_EQ(kw.substr(0, 237), wide.substr(0, 237));
  EXPECT_EQ(kw[237], '~');

  // The display id in messages: cut to 120 bytes with "...".
  EXPECT_EQ(feedAlertDisplayId(std::string(200, 'y')), std::string(120, 'y') + "...");
  EXPECT_EQ(feedAlertDisplayId("a\tb"), "a?b");
}

TEST(FeedAlerts, DurationsReadInSecondsMinutesAndHours) {
  EXPECT_EQ(feedAlertDurationEn(kS / 2), "0.5 s");
  EXPECT_EQ(feedAlertDurationEn(4 * kS), "4 s");
  EXPECT_EQ(feedAlertDurationEn(47'300'000), "47 s");
  EXPECT_EQ(feedAlertDurationEn(119 * kS), "119 s");
  EXPECT_EQ(feedAlertDurationEn(150 * kS), "2.5 min");
  EXPECT_EQ(feedAlertDurationEn(600 * kS), "10 min");
  EXPECT_EQ(feedAlertDurationEn(2 * 3600 * kS), "2 h");
  EXPECT_EQ(feedAlertDurationEn(-kS), "0 s");
  EXPECT_EQ(feedAlertDurationZh(47 * kS), "47 秒");
  EXPECT_EQ(feedAlertDurationZh(600 * kS), "10 分钟");
  EXPECT_EQ(feedAlertDurationZh(3 * 3600 * kS), "3 小时");
}

// What evaluate() gives is what the alert log takes, even for an id the log would refuse as a key.
TEST(FeedAlerts, TheChangesApplyToTheAlertLog) {
  FeedAlerts feed;
  AlertLog log;
  const std::string hostile = std::string(400, 'z') + "\x01";
  std::vector<PublisherHealth> stale{pub("sim-air-1", FeedState::Stale, kT0, kT0 + 47 * kS, 15 * kS),
                                     pub(hostile, FeedState::Stale, kT0, kT0 + 47 * kS, 15 * kS)};
  for (FeedAlertChange& c : feed.evaluate(stale, kT0 + 47 * kS)) {
    ASSERT_EQ(c.kind, Kind::Raise);
    ASSERT_TRUE(log.raise(c.alert)) << c.alert.key;
  }
  EXPECT_EQ(log.apply(), 2u);
  const std::vector<Alert> active = log.active();
  ASSERT_EQ(active.size(), 2u);
  EXPECT_EQ(log.unacknowledged()[AlertSeverity::Warning], 2u);

  std::vector<PublisherHealth> live{pub("sim-air-1", FeedState::Live, kT0 + 50 * kS, kT0 + 50 * kS, 15 * kS),
                                    pub(hostile, FeedState::Stale, kT0, kT0 + 50 * kS, 15 * kS)};
  for (FeedAlertChange& c : feed.evaluate(live, kT0 + 50 * kS)) {
    ASSERT_EQ(c.kind, Kind::Clear);
    ASSERT_TRUE(log.clear(c.alert.source, c.alert.key, c.alert.timeUs));
  }
  EXPECT_EQ(log.apply(), 1u);
  ASSERT_EQ(log.active().size(), 1u);
  EXPECT_EQ(log.active()[0].key.size(), AlertLog::kMaxKeyBytes);
  ASSERT_EQ(log.recent().size(), 1u);
  EXPECT_EQ(log.recent()[0].key, "sim-air-1");
  EXPECT_EQ(log.recent()[0].clearedUs.value_or(0), kT0 + 50 * kS);
}

}  // namespace
}  // namespace gt::runtime
