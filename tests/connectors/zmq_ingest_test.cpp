// ZmqIngest over real sockets on loopback (tcp://127.0.0.1, ephemeral ports) and inproc: publish → channel →
// drain → TimeSeriesStore. Every wait is a bounded wait-for-condition; PUB/SUB's slow joiner is handled by
// publishing warm-up messages until the first one arrives. The data-path tests run unauthenticated (said
// explicitly); the CURVE tests at the end use real key pairs, an allow-list file and capture the audit log.

#include "greentwin/connectors/zmq_ingest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zmq.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/core/log.hpp"
#include "greentwin/core/time_series.hpp"
#include "security_test_support.hpp"

namespace gt::connectors {
namespace {

using Clock = std::chrono::steady_clock;

bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::milliseconds(3000)) {
  const auto deadline = Clock::now() + timeout;
  while (!pred()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

struct Pub {
  void* ctx = nullptr;
  bool ownsCtx = false;
  void* sock = nullptr;
  explicit Pub(void* sharedCtx = nullptr) : ctx(sharedCtx) {
    if (ctx == nullptr) {
      ctx = zmq_ctx_new();
      ownsCtx = true;
    }
    sock = zmq_socket(ctx, ZMQ_PUB);
    const int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
  }
  ~Pub() {
    zmq_close(sock);
    if (ownsCtx) zmq_ctx_term(ctx);
  }
  Pub(const Pub&) = delete;
  Pub& operator=(const Pub&) = delete;
  std::string bindEphemeral() {
    EXPECT_EQ(zmq_bind(sock, "tcp://127.0.0.1:*"), 0);
    char buf[256] = {};
    std::size_t size = sizeof buf;
    zmq_getsockopt(sock, ZMQ_LAST_ENDPOINT, buf, &size);
    return buf;
  }
  void sendFrame(const std::vector<std::byte>& f, bool more) {
    zmq_send(sock, f.data(), f.size(), more ? ZMQ_SNDMORE : 0);
  }
  void send(const WireFrames& w) {
    sendFrame(w.topic, true);
    sendFrame(w.envelope, true);
    sendFrame(w.payload, false);
  }
  // CURVE client options; call before connecting.
  void curve(const std::string& serverPublicKey, const KeyPair& keys) {
    zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, serverPublicKey.c_str(), serverPublicKey.size() + 1);
    zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, keys.publicKey.c_str(), keys.publicKey.size() + 1);
    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, keys.secretKey.c_str(), keys.secretKey.size() + 1);
  }
  void sendRaw(const std::vector<std::string>& frames) {
    for (std::size_t i = 0; i < frames.size(); ++i) {
      zmq_send(sock, frames[i].data(), frames[i].size(), i + 1 < frames.size() ? ZMQ_SNDMORE : 0);
    }
  }
};

ZmqIngestConfig cfg(std::string endpoint, bool bind, const std::function<void(ZmqIngestConfig&)>& more = {}) {
  ZmqIngestConfig c;
  c.endpoint = std::move(endpoint);
  c.bind = bind;
  c.security.mode = IngestSecurity::Unauthenticated;
  if (more) more(c);
  return c;
}

const TimePoint kT0 = (wallNow() / kMicrosPerSecond - 3600) * kMicrosPerSecond;  // an hour ago, whole second

Message makeMessage(const std::string& publisher, std::uint64_t seq, TimePoint t,
                    std::vector<std::pair<std::string, double>> values, const std::string& attribute = "pm25") {
  Message m;
  m.topic = "air.station";
  m.envelope.publisherId = publisher;
  m.envelope.sequence = seq;
  m.envelope.sourceTime = t;
  m.envelope.schemaId = "air.station";
  for (auto& [id, v] : values) {
    Update u;
    u.entityId = id;
    u.attribute = attribute;
    u.value = v;
    m.updates.push_back(u);
  }
  return m;
}

WireFrames encode(const Message& m, bool binary) {
  auto r = binary ? encodeBinary(m) : encodeJson(m);
  EXPECT_TRUE(r.isOk());
  return *r;
}

class ZmqIngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(entities.add("station/" + std::to_string(i), "air_station").isOk());
    pm25 = *entities.attributes().intern("pm25", "ug/m3");
    directory.publishFrom(entities);
  }

  std::unique_ptr<ZmqIngest> makeIngest(ZmqIngestConfig config) {
    auto ingest = std::make_unique<ZmqIngest>(std::move(config), channel, health, directory);
    const Status s = ingest->start();
    EXPECT_TRUE(s.isOk()) << s.toString();
    return ingest;
  }

  // Publishes warm-up messages (publisher `id`, station/9) until the ingest has accepted one; then empties the
  // channel. Sequence numbers continue in `seq`.
  void warmUp(Pub& pub, ZmqIngest& ingest, const std::string& id = "warmup") {
    const std::uint64_t before = ingest.stats().accepted;
    std::uint64_t seq = 1;
    ASSERT_TRUE(waitFor([&] {
      pub.send(encode(makeMessage(id, seq++, kT0 - kMicrosPerSecond, {{"station/9", 0.0}}), false));
      return waitFor([&] { return ingest.stats().accepted > before; }, std::chrono::milliseconds(20));
    }));
    drainAll();
    store = TimeSeriesStore{};
  }

  void drainAll() {
    std::vector<SampleUpdate> out;
    channel.drain(out);
    store.append(out);
  }

  EntityStore entities;
  AttributeId pm25 = 0;
  EntityDirectory directory;
  UpdateChannel channel{100000};
  FeedHealth health;
  TimeSeriesStore store;
};


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

// ---- security (CURVE + ZAP allow-list) ---------------------------------------------------------------------

using testing::CaptureSink;
using testing::newKeys;

// A twin key pair, an allow-list admitting `listed`, and the "audit" logger captured for the test's duration.
class ZmqIngestCurveTest : public ZmqIngestTest {
 protected:
  void SetUp() override {
    ZmqIngestTest::SetUp();
    dir = testing::testFolder("ingest_curve");
    serverKeyFile = (dir / "twin.key").string();
    allowListFile = (dir / "allowed.toml").string();
    ASSERT_TRUE(writeKeyFile(serverKeyFile, twin));
    testing::writeAllowList(allowListFile, {listed}, {"warmup", "p1", "a"});
    sink = std::make_shared<CaptureSink>();
    spdlog::drop(kAuditLoggerName);
    spdlog::register_logger(std::make_shared<spdlog::logger>(kAuditLoggerName, sink));
  }
  void TearDown() override { spdlog::drop(kAuditLoggerName); }

  ZmqIngestConfig curveConfig(const std::string& domain = "air") {
    ZmqIngestConfig c;
    c.endpoint = "tcp://127.0.0.1:*";
    c.bind = true;
    c.security.mode = IngestSecurity::Curve;
    c.security.serverKeyFile = serverKeyFile;
    c.security.allowListFile = allowListFile;
    c.security.zapDomain = domain;
    return c;
  }

  std::filesystem::path dir;
  std::string serverKeyFile;
  std::string allowListFile;
  KeyPair twin = newKeys("twin");
  KeyPair listed = newKeys("listed-feed");
  KeyPair stranger = newKeys("stranger");
  std::shared_ptr<CaptureSink> sink;
};

TEST_F(ZmqIngestCurveTest, TheCurveAllowListAdmitsTheListedKeyAndRefusesOthers) {
  auto ingest = makeIngest(curveConfig());
  Pub bad;
  bad.curve(twin.publicKey, stranger);
  ASSERT_EQ(zmq_connect(bad.sock, ingest->endpoint().c_str()), 0);
  ASSERT_TRUE(waitFor([&] { return ingest->stats().authRefused >= 1; }));

  Pub good;
  good.curve(twin.publicKey, listed);
  ASSERT_EQ(zmq_connect(good.sock, ingest->endpoint().c_str()), 0);
  warmUp(good, *ingest);
  for (std::uint64_t i = 1; i <= 20; ++i) {
    bad.send(encode(makeMessage("intruder", i, kT0, {{"station/1", 666.0}}), false));
  }
  good.send(encode(makeMessage("p1", 1, kT0, {{"station/2", 7.5}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 2; }));
  // The listed key's update went through after the intruder's 20 were sent on their (refused) connection.
  drainAll();
  EXPECT_DOUBLE_EQ(store.valueAt(2, pm25, kT0)->value, 7.5);
  EXPECT_FALSE(store.valueAt(1, pm25, kT0).has_value());
  EXPECT_EQ(health.health("intruder", wallNow()).messages, 0u);
  const ZmqIngestStats s = ingest->stats();
  EXPECT_EQ(s.authAdmitted, 1u);
  EXPECT_GE(s.authRefused, 1u);
  EXPECT_EQ(s.revokedMessages, 0u);
  EXPECT_EQ(sink->count({"AUDIT refuse", "source=air", "peer=127.0.0.1", "mechanism=CURVE",
                         "key=" + stranger.publicKey, "key not in allow-list"}),
            1u);
  EXPECT_EQ(sink->count({"AUDIT admit", "source=air", "key=" + listed.publicKey, "name=listed-feed"}), 1u);
}

// An admitted key sends only as the publisher ids its allow-list entry names: claiming another publisher's id is
// dropped before it touches that publisher's sequence numbers or health, counted and audited.
TEST_F(ZmqIngestCurveTest, AnAdmittedKeyCannotSendAsAnotherPublisher) {
  auto ingest = makeIngest(curveConfig());
  Pub pub;
  pub.curve(twin.publicKey, listed);
  ASSERT_EQ(zmq_connect(pub.sock, ingest->endpoint().c_str()), 0);
  warmUp(pub, *ingest);
  for (std::uint64_t i = 1; i <= 5; ++i) pub.send(encode(makeMessage("p2", i, kT0, {{"station/1", 66.0}}), false));
  pub.send(encode(makeMessage("p1", 1, kT0, {{"station/2", 7.5}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 2; }));  // warm-up + p1 (in order after the p2s)
  drainAll();
  EXPECT_DOUBLE_EQ(store.valueAt(2, pm25, kT0)->value, 7.5);
  EXPECT_FALSE(store.valueAt(1, pm25, kT0).has_value());
  EXPECT_EQ(ingest->stats().wrongPublisher, 5u);
  EXPECT_EQ(health.health("p2", wallNow()).messages, 0u);
  EXPECT_EQ(sink->count({"AUDIT drop", "source=air", "key=" + listed.publicKey, "name=listed-feed", "publisher=p2",
                         "may not publish as 'p2'", "allowed: warmup, p1, a"}),
            1u)
      << ::testing::PrintToString(sink->lines());

  // Widening the entry in the file takes effect without a restart (the allow-list is re-read).
  testing::writeAllowList(allowListFile, {listed}, {"warmup", "p1", "p2"});
  std::uint64_t seq = 6;
  ASSERT_TRUE(waitFor([&] {
    pub.send(encode(makeMessage("p2", seq++, kT0 + 1, {{"station/3", 3.0}}), false));
    return health.health("p2", wallNow()).messages >= 1;
  }));
}

// The publisher id comes from the message: in the audit line it is escaped, so a newline in it cannot forge a line
// of its own (nor a space a key=value pair).
TEST_F(ZmqIngestCurveTest, APublisherIdCannotForgeAnAuditLine) {
  auto ingest = makeIngest(curveConfig());
  Pub pub;
  pub.curve(twin.publicKey, listed);
  ASSERT_EQ(zmq_connect(pub.sock, ingest->endpoint().c_str()), 0);
  warmUp(pub, *ingest);
  const std::string forged = "p9\nAUDIT admit source=air key=FORGED name=\"x\"";
  pub.send(encode(makeMessage(forged, 1, kT0, {{"station/1", 66.0}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().wrongPublisher >= 1; }));
  const std::vector<std::string> lines = sink->lines();
  std::size_t drops = 0;
  for (const std::string& line : lines) {
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_NE(line.rfind("AUDIT admit source=air key=FORGED", 0), 0u) << line;
    if (line.find("AUDIT drop") == std::string::npos) continue;
    ++drops;
    EXPECT_NE(line.find("publisher=p9\\x0aAUDIT\\x20admit\\x20source=air\\x20key=FORGED\\x20name=\\\"x\\\""),
              std::string::npos)
        << line;
  }
  EXPECT_EQ(drops, 1u) << ::testing::PrintToString(lines);
}

TEST_F(ZmqIngestCurveTest, ANullPublisherGetsNothingInWhenCurveIsOn) {
  auto ingest = makeIngest(curveConfig());
  Pub plain;  // NULL mechanism
  ASSERT_EQ(zmq_connect(plain.sock, ingest->endpoint().c_str()), 0);
  ASSERT_TRUE(waitFor([&] { return ingest->stats().handshakeFailures >= 1; }));
  for (std::uint64_t i = 1; i <= 20; ++i) plain.send(encode(makeMessage("plain", i, kT0, {{"station/1", 1.0}}), false));
  // A listed publisher's message after them arrives; none of the NULL publisher's did.
  Pub good;
  good.curve(twin.publicKey, listed);
  ASSERT_EQ(zmq_connect(good.sock, ingest->endpoint().c_str()), 0);
  warmUp(good, *ingest);
  EXPECT_EQ(health.health("plain", wallNow()).messages, 0u);
  EXPECT_EQ(ingest->stats().messages, ingest->stats().accepted);  // only the warm-up messages arrived
  // The twin sees the mismatch, or the publisher hanging up after seeing it first (libzmq reports no detail then).
  const std::size_t refusals = sink->count({"AUDIT refuse", "source=air", "endpoint=" + ingest->endpoint()});
  EXPECT_GE(refusals, 1u);
  EXPECT_EQ(sink->count({"AUDIT refuse", "mechanism mismatch: the publisher does not use CURVE"}) +
                sink->count({"AUDIT refuse", "the peer gave up, typically a publisher without CURVE"}),
            refusals)
      << ::testing::PrintToString(sink->lines());
}

TEST_F(ZmqIngestCurveTest, AWrongServerKeyIsRefusedAndAudited) {
  auto ingest = makeIngest(curveConfig());
  Pub confused;
  confused.curve(newKeys("other-twin").publicKey, listed);  // a listed key, but aimed at another twin
  ASSERT_EQ(zmq_connect(confused.sock, ingest->endpoint().c_str()), 0);
  ASSERT_TRUE(waitFor([&] { return ingest->stats().handshakeFailures >= 1; }));
  EXPECT_GE(sink->count({"AUDIT refuse", "CURVE cryptographic error"}), 1u);
  EXPECT_EQ(ingest->stats().authAdmitted, 0u);
}

TEST_F(ZmqIngestCurveTest, RevokeWhileRunningStopsTheConnectedPublisherAndRefusesNewConnections) {
  auto ingest = makeIngest(curveConfig());
  Pub pub;
  pub.curve(twin.publicKey, listed);
  ASSERT_EQ(zmq_connect(pub.sock, ingest->endpoint().c_str()), 0);
  warmUp(pub, *ingest);
  pub.send(encode(makeMessage("p1", 1, kT0, {{"station/1", 1.0}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 2; }));

  testing::revokeInFile(allowListFile, "listed-feed");
  // The same, still-connected publisher keeps sending: once the reload is seen its messages are dropped.
  std::uint64_t seq = 2;
  ASSERT_TRUE(waitFor([&] {
    pub.send(encode(makeMessage("p1", seq++, kT0 + 1, {{"station/3", 3.0}}), false));
    return ingest->stats().revokedMessages >= 1;
  }));
  const std::uint64_t updatesAfterRevoke = ingest->stats().updates;
  for (int i = 0; i < 20; ++i) pub.send(encode(makeMessage("p1", seq++, kT0 + 2, {{"station/4", 4.0}}), false));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().revokedMessages >= 21; }));
  EXPECT_EQ(ingest->stats().updates, updatesAfterRevoke);
  drainAll();
  EXPECT_FALSE(store.valueAt(4, pm25, kT0 + 2).has_value());
  EXPECT_EQ(sink->count({"AUDIT drop", "source=air", "key=" + listed.publicKey, "name=listed-feed"}), 1u);

  // A new connection with the revoked key is refused at the handshake; the ingest was never restarted.
  const std::uint64_t refusedBefore = ingest->stats().authRefused;
  Pub again;
  again.curve(twin.publicKey, listed);
  ASSERT_EQ(zmq_connect(again.sock, ingest->endpoint().c_str()), 0);
  ASSERT_TRUE(waitFor([&] { return ingest->stats().authRefused > refusedBefore; }));
  EXPECT_GE(sink->count({"AUDIT refuse", "key=" + listed.publicKey, "key revoked at"}), 1u);
  EXPECT_TRUE(ingest->running());
}

TEST_F(ZmqIngestCurveTest, CurveIsTheDefaultAndMissingOrBadKeysAreNamedAtStart) {
  auto startError = [&](ZmqIngestConfig c) {
    ZmqIngest ingest(std::move(c), channel, health, directory);
    const Status s = ingest.start();
    EXPECT_FALSE(s);
    return s.message();
  };
  ZmqIngestConfig defaults;
  defaults.endpoint = "tcp://127.0.0.1:*";
  defaults.bind = true;
  EXPECT_THAT(startError(defaults), ::testing::HasSubstr("CURVE source without a server key file"));

  ZmqIngestConfig missing = curveConfig();
  missing.security.serverKeyFile = (dir / "nope.key").string();
  EXPECT_THAT(startError(missing), ::testing::HasSubstr("nope.key' does not exist"));

  KeyPair publicOnly = twin;
  publicOnly.secretKey.clear();
  ZmqIngestConfig noSecret = curveConfig();
  noSecret.security.serverKeyFile = (dir / "public-only.key").string();
  ASSERT_TRUE(writeKeyFile(noSecret.security.serverKeyFile, publicOnly));
  EXPECT_THAT(startError(noSecret), ::testing::HasSubstr("public-only.key' holds no secret key"));

  ZmqIngestConfig badList = curveConfig();
  badList.security.allowListFile = (dir / "nope.toml").string();
  EXPECT_THAT(startError(badList), ::testing::HasSubstr("nope.toml"));

  std::ofstream(dir / "short.key") << "name = \"twin\"\npublic = \"abc\"\n";
  ZmqIngestConfig shortKey = curveConfig();
  shortKey.security.serverKeyFile = (dir / "short.key").string();
  EXPECT_THAT(startError(shortKey), ::testing::HasSubstr("short.key:2: public key: a CURVE key is 40 Z85 characters"));
}

TEST_F(ZmqIngestCurveTest, SocketsSharingAContextShareOneAuthenticatorWithTheirOwnDomains) {
  void* ctx = zmq_ctx_new();
  {
    auto auth = std::make_shared<ZapAuthenticator>(ctx);
    ASSERT_TRUE(auth->start());
    const std::string otherList = (dir / "other.toml").string();
    const KeyPair otherFeed = newKeys("other-feed");
    testing::writeAllowList(otherList, {otherFeed}, {"b"});
    ZmqIngestConfig a = curveConfig("feed-a");
    a.zmqContext = ctx;
    a.security.authenticator = auth;
    ZmqIngestConfig b = curveConfig("feed-b");
    b.zmqContext = ctx;
    b.security.authenticator = auth;
    b.security.allowListFile = otherList;
    auto ingestA = makeIngest(a);
    auto ingestB = makeIngest(b);
    // Without the shared authenticator, a second handler in the same context is refused with a clear error.
    ZmqIngestConfig c = curveConfig("feed-c");
    c.zmqContext = ctx;
    ZmqIngest third(c, channel, health, directory);
    EXPECT_THAT(third.start().message(), ::testing::HasSubstr("already has a ZAP handler"));

    Pub listedAtB;  // listed for A only
    listedAtB.curve(twin.publicKey, listed);
    ASSERT_EQ(zmq_connect(listedAtB.sock, ingestB->endpoint().c_str()), 0);
    ASSERT_TRUE(waitFor([&] { return ingestB->stats().authRefused >= 1; }));
    Pub pubA;
    pubA.curve(twin.publicKey, listed);
    ASSERT_EQ(zmq_connect(pubA.sock, ingestA->endpoint().c_str()), 0);
    warmUp(pubA, *ingestA, "a");
    Pub pubB;
    pubB.curve(twin.publicKey, otherFeed);
    ASSERT_EQ(zmq_connect(pubB.sock, ingestB->endpoint().c_str()), 0);
    warmUp(pubB, *ingestB, "b");
    EXPECT_EQ(ingestA->stats().authRefused, 0u);
    EXPECT_EQ(ingestB->stats().authAdmitted, 1u);
    EXPECT_EQ(sink->count({"AUDIT refuse", "source=feed-b", "key=" + listed.publicKey}), 1u);
  }
  zmq_ctx_term(ctx);
}

}  // namespace
}  // namespace gt::connectors
