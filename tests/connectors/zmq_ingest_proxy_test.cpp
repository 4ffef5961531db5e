// The ingest's side of feed fan-in (zmq_ingest.hpp step 0b, docs/security.md "Fan-in through a proxy") over real
// CURVE sockets: only a key marked `proxy = true` may attest a publisher key as a 4th frame; the attested key must be
// admitted by the twin's own list and not be a proxy; a proxy's message without a valid attestation is counted,
// audited and dropped; an ordinary publisher cannot attest anyone (its 4-frame message is a wrong frame count).
// The test plays the proxy with a plain CURVE PUB holding the proxy's key.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zmq.h>

#include <cstring>
#include <string>
#include <vector>

#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/log.hpp"
#include "curve_pub.hpp"
#include "security_test_support.hpp"

namespace gt::connectors {
namespace {

using testing::CaptureSink;
using testing::CurvePub;
using testing::newKeys;
using testing::waitFor;

const TimePoint kT0 = (wallNow() / kMicrosPerSecond - 3600) * kMicrosPerSecond;

std::vector<std::byte> textFrame(const std::string& s) {
  std::vector<std::byte> out(s.size());
  std::memcpy(out.data(), s.data(), s.size());
  return out;
}

class ZmqIngestProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(entities.add("energy/building/1", "thing").isOk());
    ASSERT_TRUE(entities.attributes().intern("load_kw", "kW").isOk());
    directory.publishFrom(entities);
    dir = testing::testFolder("ingest_proxy");
    ASSERT_TRUE(writeKeyFile((dir / "twin.key").string(), twin));
    AllowList list;
    ASSERT_TRUE(list.add(AllowListEntry{"feed-proxy", proxy.publicKey, wallNow(), std::nullopt, {}, {}, 0, true}));
    ASSERT_TRUE(list.add(AllowListEntry{"feed-1", feed.publicKey, wallNow(), std::nullopt, {}, {}, 0, false}));
    ASSERT_TRUE(list.save((dir / "allowed.toml").string()));
    sink = std::make_shared<CaptureSink>();
    spdlog::drop(kAuditLoggerName);
    spdlog::register_logger(std::make_shared<spdlog::logger>(kAuditLoggerName, sink));
    ZmqIngestConfig c;
    c.endpoint = "tcp://127.0.0.1:*";
    c.bind = true;
    c.security.serverKeyFile = (dir / "twin.key").string();
    c.security.allowListFile = (dir / "allowed.toml").string();
    c.security.zapDomain = "energy";
    ingest = std::make_unique<ZmqIngest>(c, channel, health, directory);
    ASSERT_TRUE(ingest->start().isOk());
  }
  void TearDown() override {
    ingest.reset();
    spdlog::drop(kAuditLoggerName);
  }

  // [topic][envelope][payload] of feed-1 (publisher id "feed-1"), then `extra` frames.
  void send(CurvePub& pub, std::uint64_t seq, const std::vector<std::string>& extra) {
    Message m;
    m.topic = "energy.building";
    m.envelope.publisherId = "feed-1";
    m.envelope.sequence = seq;
    m.envelope.sourceTime = kT0 + static_cast<TimePoint>(seq);
    m.envelope.declaredInterval = kMicrosPerSecond;
    m.envelope.schemaId = "energy.building";
    m.updates.push_back(Update{"energy/building/1", "load_kw", static_cast<double>(seq), {}, {}});
    auto frames = encodeBinary(m);
    ASSERT_TRUE(frames.isOk());
    std::vector<std::vector<std::byte>> all{frames->topic, frames->envelope, frames->payload};
    for (const std::string& e : extra) all.push_back(textFrame(e));
    pub.sendFrames(all);
  }

  EntityStore entities;
  EntityDirectory directory;
  UpdateChannel channel{10000};
  FeedHealth health;
  std::filesystem::path dir;
  KeyPair twin = newKeys("twin");
  KeyPair proxy = newKeys("feed-proxy");
  KeyPair feed = newKeys("feed-1");
  std::shared_ptr<CaptureSink> sink;
  std::unique_ptr<ZmqIngest> ingest;
};

TEST_F(ZmqIngestProxyTest, OnlyAProxyKeyMayAttestAnAdmittedPublisherKey) {
  CurvePub asProxy(twin.publicKey, proxy, ingest->endpoint());
  std::uint64_t seq = 0;
  // A valid attestation: feed-1's message through the proxy is accepted under feed-1's entry.
  ASSERT_TRUE(waitFor([&] {
    send(asProxy, ++seq, {feed.publicKey});
    return waitFor([&] { return ingest->stats().accepted > 0; }, std::chrono::milliseconds(20));
  }));
  ZmqIngestStats before = ingest->stats();
  EXPECT_EQ(before.proxiedMessages, before.accepted);

  send(asProxy, ++seq, {});                  // no attestation
  send(asProxy, ++seq, {"not a key"});       // not 40 Z85 characters
  send(asProxy, ++seq, {proxy.publicKey});   // a proxy attesting a proxy
  KeyPair stranger = newKeys("stranger");
  send(asProxy, ++seq, {stranger.publicKey});  // a key this twin does not admit
  send(asProxy, ++seq, {feed.publicKey});      // valid again: proves the ones above were read
  ZmqIngestStats s;
  ASSERT_TRUE(waitFor([&] {
    s = ingest->stats();
    return s.accepted == before.accepted + 1;
  }));
  EXPECT_EQ(s.unattestedMessages, 3u);
  EXPECT_EQ(s.revokedMessages, 1u);
  EXPECT_EQ(s.proxiedMessages, s.accepted);
  EXPECT_EQ(s.wrongFrameCount, 0u);
  EXPECT_EQ(sink->count({"AUDIT drop", "source=energy", "key=" + proxy.publicKey, "name=feed-proxy", "frames=3",
                         "a proxy's message is 4 frames"}),
            1u)
      << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(sink->count({"AUDIT drop", "key=" + proxy.publicKey, "not 40 Z85 characters"}), 1u);
  EXPECT_EQ(sink->count({"AUDIT drop", "key=" + proxy.publicKey, "may not attest another proxy's key"}), 1u);
  EXPECT_EQ(sink->count({"AUDIT drop", "key=" + stranger.publicKey, "no longer admitted"}), 1u);
}

TEST_F(ZmqIngestProxyTest, AnOrdinaryPublisherCannotAttestAnotherKey) {
  CurvePub direct(twin.publicKey, feed, ingest->endpoint());
  std::uint64_t seq = 0;
  ASSERT_TRUE(waitFor([&] {
    send(direct, ++seq, {});
    return waitFor([&] { return ingest->stats().accepted > 0; }, std::chrono::milliseconds(20));
  }));
  const ZmqIngestStats before = ingest->stats();
  send(direct, ++seq, {proxy.publicKey});  // feed-1 is no proxy: a 4-frame message is a wrong frame count
  send(direct, ++seq, {});
  ZmqIngestStats s;
  ASSERT_TRUE(waitFor([&] {
    s = ingest->stats();
    return s.accepted == before.accepted + 1;
  }));
  EXPECT_EQ(s.wrongFrameCount, 1u);
  EXPECT_EQ(s.tooManyFrames, 1u);
  EXPECT_EQ(s.proxiedMessages, 0u);
  EXPECT_EQ(s.unattestedMessages, 0u);
}

}  // namespace
}  // namespace gt::connectors
