// The per-message ingest path (connectors/src/message_ingest.cpp) driven directly, without sockets: the entity
// grant of the sender's allow-list entry (updates outside it dropped, counted and handed to the gate's audit, the
// rest of the message kept), the per-key cap on the declared interval, and the rate limit per sender (not per
// publisher id) with its bounded table of token buckets.

#include "message_ingest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/core/entity.hpp"

namespace gt::connectors {
namespace {

using detail::MessageIngest;
using detail::MessageOutcome;

const TimePoint kNow = (wallNow() / kMicrosPerSecond) * kMicrosPerSecond;
const TimePoint kT0 = kNow - 3600 * kMicrosPerSecond;

// The sender's allow-list entry as ZmqIngest's gate applies it; the audit calls are recorded.
class EntryGate final : public detail::PublisherGate {
 public:
  explicit EntryGate(AllowListEntry e) : entry(std::move(e)) {}
  bool mayPublishAs(std::string_view publisherId) override { return entry.mayPublishAs(publisherId); }
  bool writesAnyEntity() const override { return entry.writesAnyEntity(); }
  bool mayWrite(std::string_view entityId) const override { return entry.mayWrite(entityId); }
  void ungranted(std::string_view publisherId, std::string_view entityId, std::uint64_t count) override {
    audits.emplace_back(std::string(publisherId), std::string(entityId), count);
  }
  Duration maxDeclaredInterval() const override { return entry.maxInterval; }
  Duration maxBackfill() const override { return entry.maxBackfill; }
  void tooOld(std::string_view publisherId, std::uint64_t count, TimePoint oldest) override {
    oldAudits.emplace_back(std::string(publisherId), count, oldest);
  }

  AllowListEntry entry;
  std::vector<std::tuple<std::string, std::string, std::uint64_t>> audits;
  std::vector<std::tuple<std::string, std::uint64_t, TimePoint>> oldAudits;
};

AllowListEntry entryFor(std::string name, std::vector<std::string> entities, Duration maxInterval = 0) {
  AllowListEntry e;
  e.name = std::move(name);
  e.entities = std::move(entities);
  e.maxInterval = maxInterval;
  return e;
}

Message message(const std::string& publisher, std::uint64_t seq, const std::vector<std::string>& entities,
                Duration interval = kMicrosPerSecond) {
  Message m;
  m.topic = "energy.building";
  m.envelope.publisherId = publisher;
  m.envelope.sequence = seq;
  m.envelope.sourceTime = kT0 + static_cast<TimePoint>(seq) * 1000;
  m.envelope.declaredInterval = interval;
  m.envelope.schemaId = "energy.building";
  double v = 1;
  for (const std::string& id : entities) {
    Update u;
    u.entityId = id;
    u.attribute = "load_kw";
    u.value = v++;
    m.updates.push_back(u);
  }
  return m;
}

class MessageIngestTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    for (const char* id : {"energy/building/1", "energy/building/2", "air/station/1"}) {
      ASSERT_TRUE(entities.add(id, "thing").isOk());
    }
    ASSERT_TRUE(entities.attributes().intern("load_kw", "kW").isOk());
    directory.publishFrom(entities);
  }

  std::unique_ptr<MessageIngest> makeIngest(double rate = 0, double burstSeconds = 1) {
    return std::make_unique<MessageIngest>(
        detail::MessageIngestSettings{DecodeLimits{}, rate, burstSeconds},
        [this](std::span<const SampleUpdate> batch) { samples.insert(samples.end(), batch.begin(), batch.end()); },
        [this](std::span<const EntityIndex> noted, Duration interval) {
          for (EntityIndex e : noted) intervals.emplace_back(e, interval);
        },
        health, directory);
  }

  MessageOutcome send(MessageIngest& ingest, const Message& m, detail::PublisherGate* gate, double t = 0,
                      std::string_view rateKey = {}, bool binary = false) {
    auto frames = binary ? encodeBinary(m) : encodeJson(m);
    EXPECT_TRUE(frames.isOk()) << frames.status().toString();
    kept.push_back(*frames);  // the views stay valid until the next handle()
    const WireFrames& f = kept.back();
    return ingest.handle(3, f.topic, f.envelope, f.payload, kNow, t, gate, rateKey);
  }

  std::vector<std::string> sampleEntities() const {
    std::vector<std::string> out;
    for (const SampleUpdate& s : samples) out.push_back(entities.get(s.entity)->id);
    return out;
  }

  EntityStore entities;
  EntityDirectory directory;
  FeedHealth health;
  std::vector<SampleUpdate> samples;
  std::vector<std::pair<EntityIndex, Duration>> intervals;
  std::vector<WireFrames> kept;
};

// Issue 15: "any admitted key may write any entity". JSON (false) and binary (true) payloads.
TEST_P(MessageIngestTest, AKeyWritesOnlyTheEntitiesItIsGranted) {
  const bool binary = GetParam();
  auto ingest = makeIngest();
  EntryGate gate(entryFor("energy", {"energy/building/*"}));
  const Message m = message("energy", 1,
                            {"energy/building/1", "air/station/1", "energy/building/2", "air/unknown", "air/station/1"});
  ASSERT_EQ(send(*ingest, m, &gate, 0, {}, binary), MessageOutcome::Accepted);
  // The granted updates are kept, the others dropped and counted; an ungranted unknown id is not reported either.
  EXPECT_EQ(sampleEntities(), (std::vector<std::string>{"energy/building/1", "energy/building/2"}));
  EXPECT_EQ(ingest->counters().ungrantedUpdates.load(), 3u);
  EXPECT_EQ(ingest->counters().unknownEntities.load(), 0u);
  EXPECT_TRUE(directory.unknownEntities().empty());
  ASSERT_EQ(gate.audits.size(), 1u);  // one call per message, naming the first entity dropped and the count
  EXPECT_EQ(gate.audits[0], std::make_tuple(std::string("energy"), std::string("air/station/1"), std::uint64_t{3}));
  // The declared interval is noted only for the entities the key may write.
  for (const auto& [entity, interval] : intervals) EXPECT_NE(entities.get(entity)->id, "air/station/1");
  EXPECT_EQ(intervals.size(), 2u);

  // The same message from a key without `entities` (any entity, the default) is applied whole.
  samples.clear();
  EntryGate open(entryFor("open", {}));
  ASSERT_EQ(send(*ingest, message("open", 1, {"energy/building/1", "air/station/1"}), &open, 0, {}, binary),
            MessageOutcome::Accepted);
  EXPECT_EQ(sampleEntities(), (std::vector<std::string>{"energy/building/1", "air/station/1"}));
  EXPECT_EQ(ingest->counters().ungrantedUpdates.load(), 3u);
  EXPECT_TRUE(open.audits.empty());

  // A message with nothing granted is still accepted (its publisher's health counts it), with no samples.
  samples.clear();
  ASSERT_EQ(send(*ingest, message("energy", 2, {"air/station/1"}), &gate, 0, {}, binary), MessageOutcome::Accepted);
  EXPECT_TRUE(samples.empty());
  EXPECT_EQ(ingest->counters().ungrantedUpdates.load(), 4u);
}

// Issue 15: "may declare an interval of a week so that a forged value reads LIVE for two weeks" - capped by the
// source (1 h by default) and, lower, by the key's own max_interval_s.
TEST_P(MessageIngestTest, TheDeclaredIntervalIsCappedByTheKeysMaxInterval) {
  auto ingest = makeIngest();
  EntryGate gate(entryFor("energy", {}, 60 * kMicrosPerSecond));
  ASSERT_EQ(send(*ingest, message("energy", 1, {"energy/building/1"}, 6 * 86400 * kMicrosPerSecond), &gate, 0, {},
                 GetParam()),
            MessageOutcome::Accepted);
  ASSERT_EQ(intervals.size(), 1u);
  EXPECT_EQ(intervals[0].second, 60 * kMicrosPerSecond);
  EXPECT_EQ(health.health("energy", kNow).declaredInterval, 60 * kMicrosPerSecond);
  // Without the key's cap: the source's (1 h).
  EntryGate open(entryFor("open", {}));
  ASSERT_EQ(send(*ingest, message("open", 1, {"energy/building/2"}, 6 * 86400 * kMicrosPerSecond), &open, 0, {},
                 GetParam()),
            MessageOutcome::Accepted);
  EXPECT_EQ(health.health("open", kNow).declaredInterval, 3600 * kMicrosPerSecond);
}

// Issue 15: "any admitted key may write any entity, at any past time". A key's max_backfill_s bounds how far
// before now its updates may lie: older ones are dropped, counted with the ungranted updates and audited.
TEST_P(MessageIngestTest, AKeyWritesNoFurtherBackThanItsMaxBackfill) {
  auto ingest = makeIngest();
  AllowListEntry entry = entryFor("energy", {});
  entry.maxBackfill = 600 * kMicrosPerSecond;
  EntryGate gate(entry);
  Message m = message("energy", 1, {"energy/building/1", "energy/building/2", "air/station/1"});
  m.envelope.sourceTime = kNow - 30 * kMicrosPerSecond;
  m.updates[0].time = kNow - 60 * kMicrosPerSecond;    // within the 10 minutes
  m.updates[1].time = kNow - 1200 * kMicrosPerSecond;  // 20 minutes back: dropped
  m.updates[2].time = kNow - 7200 * kMicrosPerSecond;  // 2 hours back: dropped
  ASSERT_EQ(send(*ingest, m, &gate, 0, {}, GetParam()), MessageOutcome::Accepted);
  EXPECT_EQ(sampleEntities(), (std::vector<std::string>{"energy/building/1"}));
  EXPECT_EQ(ingest->counters().ungrantedUpdates.load(), 2u);
  EXPECT_EQ(ingest->counters().updates.load(), 1u);
  ASSERT_EQ(gate.oldAudits.size(), 1u);  // one call per message: the count and the oldest time
  EXPECT_EQ(gate.oldAudits[0], std::make_tuple(std::string("energy"), std::uint64_t{2}, kNow - 7200 * kMicrosPerSecond));
  EXPECT_TRUE(gate.audits.empty());  // not an entity grant

  // Without max_backfill_s any past time is accepted, as before (recorded history is still never rewritten).
  samples.clear();
  EntryGate open(entryFor("open", {}));
  Message old = message("open", 1, {"energy/building/2"});
  old.updates[0].time = kNow - 7 * 86400 * kMicrosPerSecond;
  ASSERT_EQ(send(*ingest, old, &open, 0, {}, GetParam()), MessageOutcome::Accepted);
  EXPECT_EQ(sampleEntities(), (std::vector<std::string>{"energy/building/2"}));
  EXPECT_EQ(ingest->counters().ungrantedUpdates.load(), 2u);
  EXPECT_TRUE(open.oldAudits.empty());
}

INSTANTIATE_TEST_SUITE_P(JsonAndBinary, MessageIngestTest, ::testing::Bool());

// Issue 15: "the rate limit is per publisher id, so rotating ids bypasses it". The bucket is the sender's.
TEST_F(MessageIngestTest, TheRateLimitIsPerSenderSoRotatingIdsGetNoFreshTokens) {
  auto ingest = makeIngest(10, 1);  // 10 updates a second, a bucket of 10
  const std::vector<std::string> five(5, "energy/building/1");
  EXPECT_EQ(send(*ingest, message("id-1", 1, five), nullptr, 0, "key-a"), MessageOutcome::Accepted);
  EXPECT_EQ(send(*ingest, message("id-2", 1, five), nullptr, 0, "key-a"), MessageOutcome::Accepted);
  EXPECT_EQ(send(*ingest, message("id-3", 1, five), nullptr, 0, "key-a"), MessageOutcome::RateLimited);
  EXPECT_EQ(send(*ingest, message("id-4", 1, five), nullptr, 0, "key-a"), MessageOutcome::RateLimited);
  // Another sender has its own bucket.
  EXPECT_EQ(send(*ingest, message("id-5", 1, five), nullptr, 0, "key-b"), MessageOutcome::Accepted);
  // Half a second later the first sender has 5 tokens again.
  EXPECT_EQ(send(*ingest, message("id-6", 1, five), nullptr, 0.5, "key-a"), MessageOutcome::Accepted);
  EXPECT_EQ(ingest->counters().rateLimitedMessages.load(), 2u);
  EXPECT_EQ(ingest->rateBucketCount(), 2u);
}

// Issue 15: "rate-limit buckets grow without bound". At most kMaxRateBuckets; the least recently seen goes.
TEST_F(MessageIngestTest, RateBucketsAreBoundedAndTheLeastRecentlySeenSenderMakesRoom) {
  auto ingest = makeIngest(1, 1);  // a bucket of one update
  const std::vector<std::string> one{"energy/building/1"};
  std::uint64_t seq = 0;
  EXPECT_EQ(send(*ingest, message("p", ++seq, one), nullptr, 0.0, "oldest"), MessageOutcome::Accepted);
  EXPECT_EQ(send(*ingest, message("p", ++seq, one), nullptr, 0.0, "recent"), MessageOutcome::Accepted);
  EXPECT_EQ(send(*ingest, message("p", ++seq, one), nullptr, 0.1, "recent"), MessageOutcome::RateLimited);
  for (std::size_t i = 0; i + 2 < MessageIngest::kMaxRateBuckets + 1; ++i) {
    send(*ingest, message("p", ++seq, one), nullptr, 0.2, "sender-" + std::to_string(i));
  }
  EXPECT_EQ(ingest->rateBucketCount(), MessageIngest::kMaxRateBuckets);
  // "recent" kept its empty bucket; "oldest" was evicted and starts again with a full one.
  EXPECT_EQ(send(*ingest, message("p", ++seq, one), nullptr, 0.3, "recent"), MessageOutcome::RateLimited);
  EXPECT_EQ(send(*ingest, message("p", ++seq, one), nullptr, 0.3, "oldest"), MessageOutcome::Accepted);
  EXPECT_EQ(ingest->rateBucketCount(), MessageIngest::kMaxRateBuckets);
}

}  // namespace
}  // namespace gt::connectors
