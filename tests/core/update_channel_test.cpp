#include "greentwin/core/update_channel.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <thread>
#include <utility>
#include <vector>

namespace gt {
namespace {

SampleUpdate s(EntityIndex e, AttributeId a, TimePoint t, double v) { return {e, a, t, v}; }

void expectBalanced(const UpdateChannel& ch) {
  const UpdateChannelStats st = ch.stats();
  EXPECT_EQ(st.pushed, st.delivered + st.coalesced + st.dropped + ch.size());
}

TEST(UpdateChannel, FastPathKeepsArrivalOrder) {
  UpdateChannel ch(8);
  const std::vector<SampleUpdate> a{s(1, 0, 10, 1.0), s(2, 0, 10, 2.0), s(1, 0, 20, 3.0)};
  const std::vector<SampleUpdate> b{s(3, 1, 5, 4.0)};
  ch.push(a);
  ch.push(b);
  ch.push({});  // empty batches are ignored
  EXPECT_EQ(ch.size(), 4u);
  std::vector<SampleUpdate> out;
  ASSERT_EQ(ch.drain(out), 4u);
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0].value, 1.0);
  EXPECT_EQ(out[1].value, 2.0);
  EXPECT_EQ(out[2].value, 3.0);
  EXPECT_EQ(out[3].value, 4.0);
  const UpdateChannelStats st = ch.stats();
  EXPECT_EQ(st.pushed, 4u);
  EXPECT_EQ(st.delivered, 4u);
  EXPECT_EQ(st.coalesced, 0u);
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_EQ(st.highWater, 4u);
  EXPECT_EQ(st.pushes, 2u);
  EXPECT_EQ(st.drains, 1u);
  EXPECT_EQ(ch.size(), 0u);
  EXPECT_EQ(ch.drain(out), 0u);
  EXPECT_TRUE(out.empty());
}

TEST(UpdateChannel, CoalescesToLatestPerKeyAndCounts) {
  UpdateChannel ch(4);
  // Two keys, three samples each: 6 > capacity 4 -> coalesce.
  const std::vector<SampleUpdate> a{s(1, 0, 10, 1.0), s(2, 0, 10, 2.0), s(1, 0, 20, 3.0)};
  const std::vector<SampleUpdate> b{s(2, 0, 30, 4.0), s(1, 0, 15, 5.0) /* older than 20: discarded */,
                                    s(2, 0, 30, 6.0) /* same time, later arrival wins */};
  ch.push(a);
  ch.push(b);
  expectBalanced(ch);
  std::vector<SampleUpdate> out;
  ASSERT_EQ(ch.drain(out), 2u);
  // Slot order: the first arrival of each key (1 then 2).
  EXPECT_EQ(out[0].entity, 1u);
  EXPECT_EQ(out[0].time, 20);
  EXPECT_EQ(out[0].value, 3.0);
  EXPECT_EQ(out[1].entity, 2u);
  EXPECT_EQ(out[1].time, 30);
  EXPECT_EQ(out[1].value, 6.0);
  UpdateChannelStats st = ch.stats();
  EXPECT_EQ(st.pushed, 6u);
  EXPECT_EQ(st.coalesced, 4u);
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_EQ(st.delivered, 2u);
  EXPECT_EQ(st.overflows, 1u);
  EXPECT_LE(st.highWater, 4u);

  // After a drain the channel is back on the fast path: duplicates of a key are kept while there is room.
  const std::vector<SampleUpdate> c{s(1, 0, 40, 7.0), s(1, 0, 50, 8.0)};
  ch.push(c);
  ASSERT_EQ(ch.drain(out), 2u);
  EXPECT_EQ(out[0].value, 7.0);
  EXPECT_EQ(out[1].value, 8.0);
  st = ch.stats();
  EXPECT_EQ(st.coalesced, 4u);
  EXPECT_EQ(st.overflows, 1u);
  expectBalanced(ch);
}

TEST(UpdateChannel, AttributesAreDistinctKeys) {
  UpdateChannel ch(2);
  const std::vector<SampleUpdate> a{s(1, 0, 1, 1.0), s(1, 1, 1, 2.0), s(1, 0, 2, 3.0), s(1, 1, 2, 4.0)};
  ch.push(a);
  std::vector<SampleUpdate> out;
  ASSERT_EQ(ch.drain(out), 2u);
  EXPECT_EQ(out[0].attribute, 0u);
  EXPECT_EQ(out[0].value, 3.0);
  EXPECT_EQ(out[1].attribute, 1u);
  EXPECT_EQ(out[1].value, 4.0);
  EXPECT_EQ(ch.stats().dropped, 0u);
  EXPECT_EQ(ch.stats().coalesced, 2u);
}

TEST(UpdateChannel, NoDropWhileDistinctKeysFit) {
  UpdateChannel ch(100);
  std::vector<SampleUpdate> batch;
  for (int round = 0; round < 50; ++round) {
    batch.clear();
    for (EntityIndex e = 0; e < 100; ++e) batch.push_back(s(e, 0, round, round * 1000.0 + e));
    ch.push(batch);
  }
  std::vector<SampleUpdate> out;
  ASSERT_EQ(ch.drain(out), 100u);
  for (EntityIndex e = 0; e < 100; ++e) {
    EXPECT_EQ(out[e].entity, e);
    EXPECT_EQ(out[e].time, 49);
    EXPECT_EQ(out[e].value, 49 * 1000.0 + e);
  }
  const UpdateChannelStats st = ch.stats();
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_EQ(st.coalesced, 4900u);
  EXPECT_EQ(st.highWater, 100u);
}

TEST(UpdateChannel, DropsOldestOnlyWhenDistinctKeysExceedCapacity) {
  UpdateChannel ch(3);
  const std::vector<SampleUpdate> a{s(1, 0, 1, 1.0), s(2, 0, 1, 2.0), s(3, 0, 1, 3.0)};
  ch.push(a);
  // Key 2 again: coalesced (no drop). Then keys 4 and 5: two drops of the oldest arrivals (keys 1 and 2).
  const std::vector<SampleUpdate> b{s(2, 0, 2, 22.0), s(4, 0, 1, 4.0), s(5, 0, 1, 5.0)};
  ch.push(b);
  EXPECT_EQ(ch.size(), 3u);
  expectBalanced(ch);
  std::vector<SampleUpdate> out;
  ASSERT_EQ(ch.drain(out), 3u);
  EXPECT_EQ(out[0].entity, 3u);
  EXPECT_EQ(out[1].entity, 4u);
  EXPECT_EQ(out[2].entity, 5u);
  const UpdateChannelStats st = ch.stats();
  EXPECT_EQ(st.pushed, 6u);
  EXPECT_EQ(st.coalesced, 1u);
  EXPECT_EQ(st.dropped, 2u);
  EXPECT_EQ(st.delivered, 3u);
  EXPECT_EQ(st.highWater, 3u);
}

TEST(UpdateChannel, ManyDropsKeepTheNewestKeys) {
  UpdateChannel ch(10);
  std::vector<SampleUpdate> batch;
  for (EntityIndex e = 0; e < 1000; ++e) batch.push_back(s(e, 0, 1, e));
  ch.push(batch);
  // A key already buffered after many drops still coalesces into its slot.
  const std::vector<SampleUpdate> again{s(995, 0, 2, -1.0)};
  ch.push(again);
  std::vector<SampleUpdate> out;
  ASSERT_EQ(ch.drain(out), 10u);
  for (std::size_t i = 0; i < 10; ++i) EXPECT_EQ(out[i].entity, 990 + i);
  EXPECT_EQ(out[5].value, -1.0);
  const UpdateChannelStats st = ch.stats();
  EXPECT_EQ(st.dropped, 990u);
  EXPECT_EQ(st.coalesced, 1u);
  expectBalanced(ch);
}

TEST(UpdateChannel, CapacityIsAtLeastOne) {
  UpdateChannel ch(0);
  EXPECT_EQ(ch.capacity(), 1u);
  const std::vector<SampleUpdate> a{s(1, 0, 1, 1.0), s(1, 0, 2, 2.0)};
  ch.push(a);
  std::vector<SampleUpdate> out;
  ASSERT_EQ(ch.drain(out), 1u);
  EXPECT_EQ(out[0].value, 2.0);
}

// 4 producers x 100k samples each, a consumer draining concurrently. Each producer owns its keys and sends each
// key's samples with increasing times. Checks: the counters balance, per key the delivered times increase, and
// the last delivered sample of every key is the last one its producer pushed (no key loses its latest value).
TEST(UpdateChannel, MultiProducerStress) {
  constexpr int kProducers = 4;
  constexpr int kPerProducer = 100'000;
  constexpr EntityIndex kKeysPerProducer = 200;
  constexpr int kBatch = 250;
  UpdateChannel ch(1024);  // 4 x 200 = 800 distinct keys fit: coalescing, never dropping
  std::atomic<int> done{0};

  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&ch, &done, p] {
      std::vector<SampleUpdate> batch;
      batch.reserve(kBatch);
      for (int i = 0; i < kPerProducer; ++i) {
        const auto e = static_cast<EntityIndex>(p * 1000) + static_cast<EntityIndex>(i) % kKeysPerProducer;
        batch.push_back({e, static_cast<AttributeId>(p), i, static_cast<double>(i)});
        if (batch.size() == kBatch) {
          ch.push(batch);
          batch.clear();
        }
      }
      if (!batch.empty()) ch.push(batch);
      done.fetch_add(1);
    });
  }

  std::map<std::pair<EntityIndex, AttributeId>, TimePoint> last;
  std::map<std::pair<EntityIndex, AttributeId>, double> lastValue;
  std::uint64_t received = 0;
  bool ordered = true;
  std::vector<SampleUpdate> out;
  auto consume = [&] {
    ch.drain(out);
    received += out.size();
    for (const SampleUpdate& u : out) {
      const auto key = std::make_pair(u.entity, u.attribute);
      const auto it = last.find(key);
      if (it != last.end() && u.time <= it->second) ordered = false;
      last[key] = u.time;
      lastValue[key] = u.value;
    }
  };
  while (done.load() < kProducers) {
    consume();
    std::this_thread::yield();
  }
  for (auto& t : producers) t.join();
  consume();

  const UpdateChannelStats st = ch.stats();
  EXPECT_EQ(st.pushed, std::uint64_t{kProducers} * kPerProducer);
  EXPECT_EQ(st.delivered, received);
  EXPECT_EQ(st.delivered + st.coalesced + st.dropped, st.pushed);
  EXPECT_EQ(st.dropped, 0u);
  EXPECT_LE(st.highWater, 1024u);
  EXPECT_EQ(ch.size(), 0u);
  EXPECT_TRUE(ordered);
  ASSERT_EQ(last.size(), std::size_t{kProducers} * kKeysPerProducer);
  for (int p = 0; p < kProducers; ++p) {
    for (EntityIndex k = 0; k < kKeysPerProducer; ++k) {
      // The last i with i % kKeysPerProducer == k.
      const int lastI = kPerProducer - static_cast<int>(kKeysPerProducer) + static_cast<int>(k);
      const auto key = std::make_pair(static_cast<EntityIndex>(p * 1000) + k, static_cast<AttributeId>(p));
      EXPECT_EQ(last[key], lastI);
      EXPECT_EQ(lastValue[key], static_cast<double>(lastI));
    }
  }
}

}  // namespace
}  // namespace gt

namespace gt {
namespace {

// Interval notes past capacity are folded per entity with the effect of their order: a plain note replaces, an
// at-least note only lengthens (IntervalNote::atLeast); what the StaleRule then notes is what it would have noted
// from every note in turn.
TEST(UpdateChannel, IntervalNotesPastCapacityFoldPerEntityInOrder) {
  UpdateChannel ch(4);
  const std::vector<EntityIndex> one{1}, two{2}, three{3};
  ch.noteIntervals(one, 15, false);
  ch.noteIntervals(one, 1, true);    // a plugin on entity 1: keeps 15
  ch.noteIntervals(two, 60, true);
  ch.noteIntervals(two, 5, false);   // the feed's own 5 replaces the plugin's 60
  ch.noteIntervals(three, 2, true);  // past capacity: folded
  ch.noteIntervals(three, 7, true);
  std::vector<IntervalNote> notes;
  ch.drainIntervals(notes);
  StaleRule rule;
  rule.noteIntervals(notes);
  EXPECT_EQ(rule.declaredInterval(1), 15);
  EXPECT_EQ(rule.declaredInterval(2), 5);
  EXPECT_EQ(rule.declaredInterval(3), 7);
  EXPECT_LE(notes.size(), 5u);  // compacted: at most one per entity plus the newest
}

}  // namespace
}  // namespace gt
