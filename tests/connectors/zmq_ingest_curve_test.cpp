// ZmqIngest's CURVE security over real sockets on loopback: real key pairs, an allow-list file, the ZAP handler
// and the captured audit log - who is admitted, refused, dropped or revoked while running, and the errors named at
// start. The data path without CURVE is zmq_ingest_test.cpp; both use the fixture in zmq_ingest_fixture.hpp.

#include "greentwin/connectors/zmq_ingest.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <zmq.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/log.hpp"
#include "security_test_support.hpp"
#include "zmq_ingest_fixture.hpp"

namespace gt::connectors {
namespace {

using testing::CaptureSink;
using testing::encode;
using testing::kT0;
using testing::makeMessage;
using testing::newKeys;
using testing::Pub;
using testing::waitFor;
using testing::ZmqIngestTest;

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
