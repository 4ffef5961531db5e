// ZmqIngest over real sockets on loopback (tcp://127.0.0.1, ephemeral ports) and inproc: publish → channel →
// drain → TimeSeriesStore. Every wait is a bounded wait-for-condition; PUB/SUB's slow joiner is handled by
// publishing warm-up messages until the first one arrives. These data-path tests run unauthenticated (said
// explicitly); zmq_ingest_curve_test.cpp has the CURVE allow-list, over the same fixture (zmq_ingest_fixture.hpp).

#include "greentwin/connectors/zmq_ingest.hpp"

#include <gtest/gtest.h>
#include <zmq.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/core/time_series.hpp"
#include "zmq_ingest_fixture.hpp"

namespace gt::connectors {
namespace {

using Clock = std::chrono::steady_clock;
using testing::cfg;
using testing::encode;
using testing::kT0;
using testing::makeMessage;
using testing::Pub;
using testing::waitFor;
using testing::ZmqIngestTest;

TEST_F(ZmqIngestTest, PublishToStoreJsonSubConnects) {
  Pub pub;
  const std::string ep = pub.bindEphemeral();
  auto ingest = makeIngest(cfg(ep, false));
  warmUp(pub, *ingest);
  pub.send(encode(makeMessage("p1", 1, kT0, {{"station/1", 12.5}, {"station/2", 7.25}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 3; }));
  drainAll();
  ASSERT_TRUE(store.valueAt(1, pm25, kT0).has_value());
  EXPECT_DOUBLE_EQ(store.valueAt(1, pm25, kT0)->value, 12.5);
  EXPECT_EQ(store.valueAt(1, pm25, kT0)->sampleTime, kT0);
  EXPECT_DOUBLE_EQ(store.valueAt(2, pm25, kT0)->value, 7.25);
  EXPECT_FALSE(store.valueAt(1, pm25, kT0 - 1).has_value());
}

TEST_F(ZmqIngestTest, PublishToStoreBinarySubConnects) {
  Pub pub;
  const std::string ep = pub.bindEphemeral();
  auto ingest = makeIngest(cfg(ep, false));
  warmUp(pub, *ingest);
  Message m = makeMessage("p1", 1, kT0, {{"station/3", 1.0}, {"station/4", 2.0}});
  m.updates[1].time = kT0 + 250'000;  // an update with its own time
  pub.send(encode(m, true));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 3; }));
  drainAll();
  EXPECT_DOUBLE_EQ(store.valueAt(3, pm25, kT0)->value, 1.0);
  EXPECT_FALSE(store.valueAt(4, pm25, kT0).has_value());
  EXPECT_DOUBLE_EQ(store.valueAt(4, pm25, kT0 + 250'000)->value, 2.0);
  EXPECT_EQ(store.valueAt(4, pm25, kT0 + 250'000)->sampleTime, kT0 + 250'000);
}

TEST_F(ZmqIngestTest, PublishToStoreJsonAndBinarySubBinds) {
  auto ingest = makeIngest(cfg("tcp://127.0.0.1:*", true));
  ASSERT_NE(ingest->endpoint().find("tcp://127.0.0.1:"), std::string::npos);
  ASSERT_EQ(ingest->endpoint().find('*'), std::string::npos);
  Pub pub;
  ASSERT_EQ(zmq_connect(pub.sock, ingest->endpoint().c_str()), 0);
  warmUp(pub, *ingest);
  pub.send(encode(makeMessage("p1", 1, kT0, {{"station/5", 42.0}}), false));
  pub.send(encode(makeMessage("p1", 2, kT0 + kMicrosPerSecond, {{"station/5", 43.0}}), true));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 3; }));
  drainAll();
  EXPECT_DOUBLE_EQ(store.valueAt(5, pm25, kT0)->value, 42.0);
  EXPECT_DOUBLE_EQ(store.valueAt(5, pm25, kT0 + kMicrosPerSecond)->value, 43.0);
  EXPECT_EQ(health.health("p1", wallNow()).gaps, 0u);
}

// A publisher's values read LIVE for twice its declared interval: the ingest caps what a message declares
// (limits.maxDeclaredInterval), so a message claiming a week cannot keep its values live for two; below the cap the
// declared interval stands.
TEST_F(ZmqIngestTest, ADeclaredIntervalAboveTheCapIsTakenAsTheCap) {
  Pub pub;
  const std::string ep = pub.bindEphemeral();
  ZmqIngestConfig config = cfg(ep, false);
  config.limits.maxDeclaredInterval = 60 * kMicrosPerSecond;
  auto ingest = makeIngest(config);
  warmUp(pub, *ingest);
  Message week = makeMessage("forger", 1, kT0, {{"station/1", 999.0}});
  week.envelope.declaredInterval = 7 * 86400 * kMicrosPerSecond;
  pub.send(encode(week, false));
  Message modest = makeMessage("honest", 1, kT0, {{"station/2", 5.0}});
  modest.envelope.declaredInterval = 30 * kMicrosPerSecond;
  pub.send(encode(modest, false));
  ASSERT_TRUE(waitFor([&] { return health.health("honest", wallNow()).messages >= 1; }));
  EXPECT_EQ(health.health("forger", wallNow()).declaredInterval, 60 * kMicrosPerSecond);
  EXPECT_EQ(health.health("honest", wallNow()).declaredInterval, 30 * kMicrosPerSecond);
  // 2 x 60 s after its message the forger reads STALE, not after two weeks.
  const TimePoint seen = health.health("forger", wallNow()).lastSeen;
  EXPECT_EQ(health.state("forger", seen + 121 * kMicrosPerSecond), FeedState::Stale);
  EXPECT_EQ(ZmqIngestConfig{}.limits.maxDeclaredInterval, 3600 * kMicrosPerSecond);  // the default: 1 h
}

TEST_F(ZmqIngestTest, InprocWithSharedContext) {
  void* ctx = zmq_ctx_new();
  {
    Pub pub(ctx);
    ASSERT_EQ(zmq_bind(pub.sock, "inproc://feed"), 0);
    auto ingest = makeIngest(cfg("inproc://feed", false, [&](ZmqIngestConfig& c) { c.zmqContext = ctx; }));
    warmUp(pub, *ingest);
    pub.send(encode(makeMessage("p1", 1, kT0, {{"station/6", 6.5}}), true));
    ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 2; }));
    drainAll();
    EXPECT_DOUBLE_EQ(store.valueAt(6, pm25, kT0)->value, 6.5);
  }
  zmq_ctx_term(ctx);
}

TEST_F(ZmqIngestTest, TopicPrefixFilters) {
  Pub pub;
  const std::string ep = pub.bindEphemeral();
  auto ingest = makeIngest(cfg(ep, false, [](ZmqIngestConfig& c) { c.topicPrefixes = {"air."}; }));
  warmUp(pub, *ingest);
  Message energy = makeMessage("p1", 1, kT0, {{"station/1", 1.0}});
  energy.topic = "energy.building";
  pub.send(encode(energy, false));
  pub.send(encode(makeMessage("p1", 2, kT0, {{"station/2", 2.0}}), false));
  // Wait for the value itself: under load warm-up may have delivered more than one update (counts are not enough).
  ASSERT_TRUE(waitFor([&] {
    drainAll();
    return store.valueAt(2, pm25, kT0).has_value();
  }));
  EXPECT_FALSE(store.valueAt(1, pm25, kT0).has_value());
  EXPECT_DOUBLE_EQ(store.valueAt(2, pm25, kT0)->value, 2.0);
}

TEST_F(ZmqIngestTest, GapCountEqualsSkippedSequenceNumbers) {
  Pub pub;
  const std::string ep = pub.bindEphemeral();
  auto ingest = makeIngest(cfg(ep, false));
  warmUp(pub, *ingest);
  std::uint64_t skipped = 0;
  std::uint64_t sent = 0;
  std::uint64_t seq = 100;
  for (int i = 0; i < 40; ++i) {
    if (i % 7 == 3) {
      seq += 2;  // the publisher deliberately drops two sequence numbers
      skipped += 2;
    }
    pub.send(encode(makeMessage("gappy", seq++, kT0 + i * kMicrosPerSecond, {{"station/1", double(i)}}), i % 2 == 0));
    ++sent;
  }
  ASSERT_TRUE(waitFor([&] { return health.health("gappy", wallNow()).messages == sent; }));
  EXPECT_EQ(health.health("gappy", wallNow()).gaps, skipped);
  EXPECT_GT(skipped, 0u);
  // A duplicate and an old sequence number are dropped and counted.
  pub.send(encode(makeMessage("gappy", seq - 1, kT0 + 99 * kMicrosPerSecond, {{"station/1", -1.0}}), false));
  pub.send(encode(makeMessage("gappy", seq - 30, kT0 + 99 * kMicrosPerSecond, {{"station/1", -1.0}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().duplicates == 1 && ingest->stats().old == 1; }));
  drainAll();
  EXPECT_FALSE(store.valueAt(1, pm25, kT0 + 99 * kMicrosPerSecond)->value < 0);
}

TEST_F(ZmqIngestTest, MalformedMessagesAreCountedAndTheNextGoodOneFlows) {
  auto ingest = makeIngest(cfg("tcp://127.0.0.1:*", true));
  Pub pub;
  ASSERT_EQ(zmq_connect(pub.sock, ingest->endpoint().c_str()), 0);
  warmUp(pub, *ingest);
  const WireFrames good = encode(makeMessage("p1", 1, kT0, {{"station/7", 77.0}}), false);
  const std::string topic(reinterpret_cast<const char*>(good.topic.data()), good.topic.size());
  const std::string env(reinterpret_cast<const char*>(good.envelope.data()), good.envelope.size());
  pub.sendRaw({topic, env});                                  // two frames
  pub.sendRaw({topic, env, "{}", "extra"});                   // four frames
  pub.sendRaw({topic, "{not json", "{}"});                    // bad envelope
  pub.sendRaw({"nosuchdomain.x", env, "{\"updates\":[]}"});  // unknown topic
  pub.send(good);
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 2; }));
  const ZmqIngestStats s = ingest->stats();
  EXPECT_EQ(s.wrongFrameCount, 2u);
  EXPECT_EQ(s.reject(RejectReason::MalformedJson), 1u);
  EXPECT_EQ(s.reject(RejectReason::UnknownTopic), 1u);
  EXPECT_EQ(s.rejectTotal(), 4u);
  drainAll();
  EXPECT_DOUBLE_EQ(store.valueAt(7, pm25, kT0)->value, 77.0);
}

TEST_F(ZmqIngestTest, UnknownEntityAndAttributeAreCountedNotRegistered) {
  Pub pub;
  const std::string ep = pub.bindEphemeral();
  auto ingest = makeIngest(cfg(ep, false));
  warmUp(pub, *ingest);
  pub.send(encode(makeMessage("p1", 1, kT0, {{"station/999", 1.0}, {"station/8", 8.0}, {"ghost", 2.0}}), true));
  pub.send(encode(makeMessage("p1", 2, kT0, {{"station/8", 3.0}}, "no_such_attr"), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().accepted >= 3; }));
  const ZmqIngestStats s = ingest->stats();
  EXPECT_EQ(s.unknownEntities, 2u);
  EXPECT_EQ(s.unknownAttributes, 1u);
  EXPECT_EQ(directory.unknownEntities(), (std::vector<std::string>{"station/999", "ghost"}));
  EXPECT_EQ(directory.unknownAttributes(), (std::vector<std::string>{"no_such_attr"}));
  EXPECT_EQ(directory.stats().unknownEntityUpdates, 2u);
  EXPECT_EQ(entities.size(), 10u);  // nothing registered
  drainAll();
  EXPECT_DOUBLE_EQ(store.valueAt(8, pm25, kT0)->value, 8.0);
}

// Binary payloads resolve through the string table (views into the frame). The results must be those of the
// per-update path: repeated strings, mixed attributes, unknown names counted per update, and each message's table
// resolved on its own (the same index names different strings in consecutive messages).
TEST_F(ZmqIngestTest, BinaryStringTableResolutionGivesPerUpdateResults) {
  const AttributeId no2 = *entities.attributes().intern("no2", "ug/m3");
  directory.publishFrom(entities);
  Pub pub;
  const std::string ep = pub.bindEphemeral();
  auto ingest = makeIngest(cfg(ep, false));
  warmUp(pub, *ingest);

  Message m1 = makeMessage("p1", 1, kT0, {{"station/1", 1.0}, {"ghost", 9.0}, {"station/1", 2.0}, {"station/2", 3.0},
                                          {"ghost", 9.5}, {"pm25", 7.0}});
  m1.updates[2].attribute = "no2";
  m1.updates[2].time = kT0 + 5;
  m1.updates[3].attribute = "bogus";
  Update extra;
  extra.entityId = "station/2";
  extra.attribute = "no2";
  extra.value = 4.0;
  extra.unit = "ug/m3";
  m1.updates.push_back(extra);
  // Index 0 of this table is "station/3", not "station/1".
  Message m2 = makeMessage("p1", 2, kT0 + 10, {{"station/3", 30.0}, {"station/1", 10.0}, {"bogus", 1.0}}, "no2");
  pub.send(encode(m1, true));
  pub.send(encode(m2, true));
  // m2 carries the last unknown entity and arrives after m1 (one pipe, in order).
  ASSERT_TRUE(waitFor([&] { return ingest->stats().unknownEntities >= 4; }));
  const ZmqIngestStats s = ingest->stats();
  EXPECT_EQ(s.unknownEntities, 3u + 1u);   // ghost x2, pm25 (an attribute name, not an entity); bogus
  EXPECT_EQ(s.unknownAttributes, 1u);      // bogus (as an attribute)
  EXPECT_EQ(directory.unknownEntities(), (std::vector<std::string>{"ghost", "pm25", "bogus"}));
  EXPECT_EQ(directory.unknownAttributes(), (std::vector<std::string>{"bogus"}));
  EXPECT_EQ(directory.stats().unknownEntityUpdates, 4u);
  EXPECT_EQ(directory.stats().unknownAttributeUpdates, 1u);
  drainAll();
  EXPECT_DOUBLE_EQ(store.valueAt(1, pm25, kT0)->value, 1.0);
  EXPECT_DOUBLE_EQ(store.valueAt(1, no2, kT0 + 5)->value, 2.0);
  EXPECT_DOUBLE_EQ(store.valueAt(2, no2, kT0)->value, 4.0);
  EXPECT_FALSE(store.valueAt(2, pm25, kT0 + 100).has_value());
  EXPECT_DOUBLE_EQ(store.valueAt(3, no2, kT0 + 10)->value, 30.0);
  EXPECT_DOUBLE_EQ(store.valueAt(1, no2, kT0 + 10)->value, 10.0);
}

TEST_F(ZmqIngestTest, NewSnapshotIsPickedUp) {
  Pub pub;
  const std::string ep = pub.bindEphemeral();
  auto ingest = makeIngest(cfg(ep, false));
  warmUp(pub, *ingest);
  pub.send(encode(makeMessage("p1", 1, kT0, {{"late/1", 1.0}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().unknownEntities == 1; }));
  // The update thread registers what was reported and publishes a new snapshot.
  for (const auto& id : directory.takeUnknownEntities()) ASSERT_TRUE(entities.add(id, "late").isOk());
  directory.publishFrom(entities);
  pub.send(encode(makeMessage("p1", 2, kT0, {{"late/1", 5.0}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 2; }));
  drainAll();
  EXPECT_DOUBLE_EQ(store.valueAt(10, pm25, kT0)->value, 5.0);
}

TEST_F(ZmqIngestTest, RateLimitDropsFloodButNotTheOtherPublisher) {
  ZmqIngestConfig config = cfg("tcp://127.0.0.1:*", true);
  config.receiveHighWaterMark = 0;
  config.rateLimitUpdatesPerSecond = 1000;
  config.rateLimitBurstSeconds = 0.5;  // bucket of 500 updates
  auto ingest = makeIngest(config);
  Pub flooder;
  Pub polite;
  // Without CURVE the bucket is the peer's address: the polite publisher connects from another loopback address.
  const std::string port = ingest->endpoint().substr(ingest->endpoint().rfind(':') + 1);
  ASSERT_EQ(zmq_connect(flooder.sock, ingest->endpoint().c_str()), 0);
  ASSERT_EQ(zmq_connect(polite.sock, ("tcp://127.0.0.2:0;127.0.0.1:" + port).c_str()), 0);
  warmUp(flooder, *ingest, "warm-flood");
  warmUp(polite, *ingest, "warm-polite");

  std::vector<std::pair<std::string, double>> hundred;
  for (int i = 0; i < 100; ++i) hundred.emplace_back("station/" + std::to_string(i % 5), double(i));
  const auto start = Clock::now();
  constexpr int kFloodMessages = 200;  // 20000 updates, far beyond 1000/s
  for (int i = 0; i < kFloodMessages; ++i) {
    flooder.send(encode(makeMessage("flood", std::uint64_t(i) + 1, kT0 + i, hundred), true));
    if (i % 40 == 0) {
      const int k = i / 40;
      polite.send(encode(makeMessage("polite", std::uint64_t(k) + 1, kT0 + k * kMicrosPerSecond,
                                     {{"station/5", double(k)}, {"station/6", double(k)}}),
                         false));
    }
  }
  ASSERT_TRUE(waitFor([&] {
    return health.health("flood", wallNow()).messages == kFloodMessages &&
           health.health("polite", wallNow()).messages == 5;
  }));
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  const ZmqIngestStats s = ingest->stats();
  const std::uint64_t floodApplied = std::uint64_t{kFloodMessages} * 100 - s.rateLimitedUpdates;
  EXPECT_GT(s.rateLimitedMessages, 0u);
  EXPECT_LE(static_cast<double>(floodApplied), 500.0 + 1000.0 * elapsed + 100.0);
  EXPECT_EQ(s.rateLimitedUpdates % 100, 0u);  // whole messages
  drainAll();
  for (int k = 0; k < 5; ++k) {  // every polite update arrived
    const TimePoint t = kT0 + k * kMicrosPerSecond;
    ASSERT_TRUE(store.valueAt(5, pm25, t).has_value());
    EXPECT_EQ(store.valueAt(5, pm25, t)->sampleTime, t);
    EXPECT_DOUBLE_EQ(store.valueAt(6, pm25, t)->value, double(k));
  }
}

TEST_F(ZmqIngestTest, StartFailsOnBadEndpointAndStopIsPrompt) {
  ZmqIngest bad(cfg("tcp://not an endpoint", true), channel, health, directory);
  EXPECT_FALSE(bad.start().isOk());
  auto ingest = makeIngest(cfg("tcp://127.0.0.1:*", true, [](ZmqIngestConfig& c) { c.pollTimeoutMs = 20; }));
  const auto t0 = Clock::now();
  ingest->join();
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(1));
}

}  // namespace
}  // namespace gt::connectors
