#include "greentwin/core/feed_health.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace gt {

namespace {

constexpr TimePoint kT0 = 1'795'680'000LL * kMicrosPerSecond;  // 2026-11-26T08:00:00Z
constexpr Duration kSec = kMicrosPerSecond;

TEST(FeedHealth, NeverSeenUntilFirstMessage) {
  FeedHealth fh;
  EXPECT_EQ(fh.state("air.sim", kT0), FeedState::NeverSeen);
  EXPECT_TRUE(fh.isStale("air.sim", kT0));
  EXPECT_TRUE(fh.snapshot(kT0).empty());
  fh.expect("air.sim", 5 * kSec);
  auto snap = fh.snapshot(kT0);
  ASSERT_EQ(snap.size(), 1u);
  EXPECT_EQ(snap[0].publisher, "air.sim");
  EXPECT_EQ(snap[0].state, FeedState::NeverSeen);
  EXPECT_EQ(snap[0].declaredInterval, 5 * kSec);
  EXPECT_EQ(snap[0].lastSeen, kNoTime);
  EXPECT_EQ(fh.record("air.sim", 7, kT0, kT0, 5 * kSec, 3), SequenceVerdict::Accept);
  EXPECT_EQ(fh.state("air.sim", kT0), FeedState::Live);
  EXPECT_FALSE(fh.isStale("air.sim", kT0));
  EXPECT_STREQ(toString(FeedState::NeverSeen), "NEVER_SEEN");
  EXPECT_STREQ(toString(FeedState::Live), "LIVE");
  EXPECT_STREQ(toString(FeedState::Stale), "STALE");
}

TEST(FeedHealth, GapsEqualSkippedSequenceNumbers) {
  FeedHealth fh;
  std::uint64_t skipped = 0;
  std::uint64_t seq = 100;
  TimePoint t = kT0;
  ASSERT_EQ(fh.record("energy", seq, t, t, kSec, 1), SequenceVerdict::Accept);
  // The publisher's own drop pattern: skip (i % 4) numbers before message i.
  for (int i = 1; i <= 200; ++i) {
    const std::uint64_t skip = static_cast<std::uint64_t>(i % 4);
    seq += skip + 1;
    skipped += skip;
    t += kSec / 10;
    ASSERT_EQ(fh.record("energy", seq, t, t, kSec, 1), SequenceVerdict::Accept);
  }
  const PublisherHealth h = fh.health("energy", t);
  EXPECT_EQ(h.gaps, skipped);
  EXPECT_EQ(h.messages, 201u);
  EXPECT_EQ(h.lastSequence, seq);
  EXPECT_EQ(h.duplicates, 0u);
  EXPECT_EQ(h.old, 0u);
}

TEST(FeedHealth, DuplicateAndOldAreRejectedAndCounted) {
  FeedHealth fh;
  TimePoint t = kT0;
  EXPECT_EQ(fh.record("p", 100, t, t, kSec, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.record("p", 101, kT0, t += 100'000, kSec, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.record("p", 101, kT0, t += 100'000, kSec, 1), SequenceVerdict::Duplicate);
  EXPECT_EQ(fh.record("p", 101, kT0, t += 100'000, kSec, 1), SequenceVerdict::Duplicate);
  EXPECT_EQ(fh.record("p", 90, kT0, t += 100'000, kSec, 1), SequenceVerdict::Old);
  EXPECT_EQ(fh.record("p", 50, kT0, t += 100'000, kSec, 1), SequenceVerdict::Old);  // decreasing: no restart run
  EXPECT_EQ(fh.record("p", 102, kT0, t += 100'000, kSec, 1), SequenceVerdict::Accept);
  const PublisherHealth h = fh.health("p", t);
  EXPECT_EQ(h.duplicates, 2u);
  EXPECT_EQ(h.old, 2u);
  EXPECT_EQ(h.gaps, 0u);
  EXPECT_EQ(h.restarts, 0u);
  EXPECT_EQ(h.messages, 3u);
  EXPECT_EQ(h.lastSequence, 102u);
  // Rejected messages do not refresh last seen.
  const TimePoint lastSeen = h.lastSeen;
  EXPECT_EQ(fh.record("p", 102, t, t + kSec, kSec, 1), SequenceVerdict::Duplicate);
  EXPECT_EQ(fh.health("p", t + kSec).lastSeen, lastSeen);
}

TEST(FeedHealth, StaleAfterTwoIntervalsLiveOnNextMessage) {
  FeedHealth fh;
  const Duration interval = 2 * kSec;
  ASSERT_EQ(fh.record("traffic", 1, kT0, kT0, interval, 10), SequenceVerdict::Accept);
  EXPECT_EQ(fh.state("traffic", kT0 + 2 * interval), FeedState::Live);  // exactly 2 intervals: still live
  EXPECT_EQ(fh.state("traffic", kT0 + 2 * interval + 1), FeedState::Stale);
  EXPECT_TRUE(fh.isStale("traffic", kT0 + 10 * kSec));
  const PublisherHealth h = fh.health("traffic", kT0 + 10 * kSec);
  EXPECT_EQ(h.state, FeedState::Stale);
  EXPECT_EQ(h.sinceLastSeen, 10 * kSec);
  ASSERT_EQ(fh.record("traffic", 2, kT0 + 10 * kSec, kT0 + 10 * kSec, interval, 10), SequenceVerdict::Accept);
  EXPECT_EQ(fh.state("traffic", kT0 + 10 * kSec), FeedState::Live);
  EXPECT_FALSE(fh.isStale("traffic", kT0 + 10 * kSec));
  // The declared interval follows the messages; <= 0 means the default (1 s).
  ASSERT_EQ(fh.record("traffic", 3, kT0 + 11 * kSec, kT0 + 11 * kSec, 0, 10), SequenceVerdict::Accept);
  EXPECT_EQ(fh.health("traffic", kT0 + 11 * kSec).declaredInterval, interval);
  ASSERT_EQ(fh.record("x", 1, kT0, kT0, 0, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.state("x", kT0 + 2 * kSec), FeedState::Live);
  EXPECT_EQ(fh.state("x", kT0 + 2 * kSec + 1), FeedState::Stale);
}

TEST(FeedHealth, RestartRules) {
  FeedHealth fh;
  TimePoint t = kT0;
  ASSERT_EQ(fh.record("p", 5000, t, t, kSec, 1), SequenceVerdict::Accept);
  // (a) back to a small number: restart, no gaps for the jump.
  EXPECT_EQ(fh.record("p", 0, kT0, t += kSec, kSec, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.record("p", 1, kT0, t += kSec, kSec, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.health("p", t).restarts, 1u);
  EXPECT_EQ(fh.health("p", t).gaps, 0u);
  // (b) a killed publisher comes back after being STALE with its first messages lost (seq 40, above the
  // small-number rule, below the last accepted 9000).
  EXPECT_EQ(fh.record("p", 9000, kT0, t += kSec, kSec, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.health("p", t).gaps, 8998u);
  t += 5 * kSec;  // silent for 5 intervals: STALE
  EXPECT_TRUE(fh.isStale("p", t));
  EXPECT_EQ(fh.record("p", 40, t, t, kSec, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.health("p", t).restarts, 2u);
  EXPECT_FALSE(fh.isStale("p", t));
  // (c) a live publisher whose new session starts high: three increasing older numbers confirm a restart.
  EXPECT_EQ(fh.record("p", 1000, kT0, t += 100'000, kSec, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.record("p", 500, kT0, t += 100'000, kSec, 1), SequenceVerdict::Old);
  EXPECT_EQ(fh.record("p", 501, kT0, t += 100'000, kSec, 1), SequenceVerdict::Old);
  EXPECT_EQ(fh.record("p", 502, kT0, t += 100'000, kSec, 1), SequenceVerdict::Accept);
  EXPECT_EQ(fh.record("p", 503, kT0, t += 100'000, kSec, 1), SequenceVerdict::Accept);
  const PublisherHealth h = fh.health("p", t);
  EXPECT_EQ(h.restarts, 3u);
  EXPECT_EQ(h.old, 2u);
  EXPECT_EQ(h.lastSequence, 503u);
}

TEST(FeedHealth, RatesOverTheWindow) {
  FeedHealth fh;  // 10 s window
  // 20 s of 10 messages/s, 50 updates each.
  std::uint64_t seq = 0;
  TimePoint t = kT0;
  for (int i = 0; i < 200; ++i) {
    t = kT0 + i * (kSec / 10);
    ASSERT_EQ(fh.record("air", seq++, t, t, kSec / 10, 50), SequenceVerdict::Accept);
  }
  PublisherHealth h = fh.health("air", t);
  EXPECT_NEAR(h.messageRate, 10.0, 0.6);
  EXPECT_NEAR(h.updateRate, 500.0, 30.0);
  EXPECT_EQ(h.messages, 200u);
  EXPECT_EQ(h.updates, 10'000u);
  // 2 s into a new publisher's life: its true rate, not a fifth of it.
  FeedHealth fresh;
  for (int i = 0; i < 20; ++i) {
    t = kT0 + i * (kSec / 10);
    ASSERT_EQ(fresh.record("air", static_cast<std::uint64_t>(i), t, t, kSec / 10, 1), SequenceVerdict::Accept);
  }
  EXPECT_NEAR(fresh.health("air", kT0 + 2 * kSec).messageRate, 10.0, 0.6);
  // Long after the last message the window is empty.
  h = fh.health("air", t + 60 * kSec);
  EXPECT_EQ(h.messageRate, 0.0);
  EXPECT_EQ(h.updateRate, 0.0);
  EXPECT_EQ(h.state, FeedState::Stale);
}

TEST(FeedHealth, SnapshotSortedAndIndependentPerPublisher) {
  FeedHealth fh;
  ASSERT_EQ(fh.record("traffic.b", 1, kT0, kT0, kSec, 1), SequenceVerdict::Accept);
  ASSERT_EQ(fh.record("air.a", 1, kT0, kT0, 10 * kSec, 1), SequenceVerdict::Accept);
  ASSERT_EQ(fh.record("air.a", 3, kT0, kT0 + kSec, 10 * kSec, 1), SequenceVerdict::Accept);
  fh.expect("forest.c", kSec);
  const auto snap = fh.snapshot(kT0 + 5 * kSec);
  ASSERT_EQ(snap.size(), 3u);
  EXPECT_EQ(snap[0].publisher, "air.a");
  EXPECT_EQ(snap[0].state, FeedState::Live);
  EXPECT_EQ(snap[0].gaps, 1u);
  EXPECT_EQ(snap[1].publisher, "forest.c");
  EXPECT_EQ(snap[1].state, FeedState::NeverSeen);
  EXPECT_EQ(snap[2].publisher, "traffic.b");
  EXPECT_EQ(snap[2].state, FeedState::Stale);
  EXPECT_EQ(snap[2].gaps, 0u);
}

// Issue 15: "publisher-id maps grow without bound". Past maxPublishers the publisher seen least recently makes room;
// announced (expected) publishers are never evicted.
TEST(FeedHealth, ThePublisherTableIsBoundedAndEvictsTheLeastRecentlySeen) {
  FeedHealthConfig config;
  config.maxPublishers = 3;
  FeedHealth h(config);
  h.expect("configured", kSec);
  h.record("a", 1, kT0, kT0, kSec, 1);
  h.record("b", 1, kT0, kT0 + 1, kSec, 1);
  h.record("c", 1, kT0, kT0 + 2, kSec, 1);
  h.record("a", 2, kT0, kT0 + 3, kSec, 1);  // "a" is now the most recently seen, "b" the least
  h.record("d", 1, kT0, kT0 + 4, kSec, 1);
  EXPECT_EQ(h.publisherCount(), 4u);  // three heard from, plus the configured one
  EXPECT_EQ(h.evictedPublishers(), 1u);
  EXPECT_EQ(h.health("b", kT0 + 4).messages, 0u);  // gone: reads as never seen
  EXPECT_EQ(h.health("a", kT0 + 4).messages, 2u);
  EXPECT_EQ(h.health("c", kT0 + 4).messages, 1u);
  // A flood of fresh ids keeps the table at its cap and never evicts the configured publisher.
  for (int i = 0; i < 1000; ++i) h.record("fresh-" + std::to_string(i), 1, kT0, kT0 + 10 + i, kSec, 1);
  EXPECT_EQ(h.publisherCount(), 4u);
  EXPECT_EQ(h.evictedPublishers(), 1001u);
  const auto snapshot = h.snapshot(kT0 + 2000);
  ASSERT_EQ(snapshot.size(), 4u);
  EXPECT_EQ(snapshot[0].publisher, "configured");
  EXPECT_EQ(snapshot[0].declaredInterval, kSec);
  // A publisher announced after it was heard from leaves the eviction order.
  h.expect("fresh-999", 0);
  for (int i = 0; i < 10; ++i) h.record("later-" + std::to_string(i), 1, kT0, kT0 + 3000 + i, kSec, 1);
  EXPECT_EQ(h.health("fresh-999", kT0 + 3000).messages, 1u);
  EXPECT_EQ(h.publisherCount(), 5u);
}

}  // namespace
}  // namespace gt
