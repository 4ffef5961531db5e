// The feed proxy (feed_proxy.hpp, issue 15 deliverable 3) over real CURVE sockets on loopback: three publishers, one
// proxy and two twins that are the twin's real ingest (ZmqIngest) - every message arrives at both, counts exact; the
// publisher's own allow-list entry still applies at the twins behind the proxy (entity grants, publisher ids); an
// unknown key is refused at the proxy and a key the twin does not list is dropped there; malformed messages are
// counted and audited and the proxy keeps forwarding; a twin whose queue stays full costs counted drops, not silent
// ones; bad key files, allow-lists and endpoints are named errors.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <zmq.h>

#include <fcntl.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "greentwin/connectors/feed_proxy.hpp"
#include "greentwin/connectors/feed_recording.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
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
constexpr int kBuildings = 3;

std::string building(int i) { return "energy/building/" + std::to_string(i); }

// One message of `publisher` setting load_kw of `entities` to `seq`.
void sendLoad(CurvePub& pub, const std::string& publisher, std::uint64_t seq,
              const std::vector<std::string>& entities) {
  Message m;
  m.topic = "energy.building";
  m.envelope.publisherId = publisher;
  m.envelope.sequence = seq;
  m.envelope.sourceTime = kT0 + static_cast<TimePoint>(seq);
  m.envelope.declaredInterval = kMicrosPerSecond;
  m.envelope.schemaId = "energy.building";
  for (const std::string& id : entities) m.updates.push_back(Update{id, "load_kw", static_cast<double>(seq), {}, {}});
  auto frames = encodeBinary(m);
  ASSERT_TRUE(frames.isOk());
  pub.sendFrames({frames->topic, frames->envelope, frames->payload});
}

std::vector<std::byte> bytes(std::size_t n, char c = 'x') { return std::vector<std::byte>(n, std::byte(c)); }

// A twin: its own directory, channel, health and a real ingest binding a CURVE SUB, as a zmq source does.
struct Twin {
  EntityStore entities;
  EntityDirectory directory;
  UpdateChannel channel{200000};
  FeedHealth health;
  std::unique_ptr<ZmqIngest> ingest;
  std::map<std::pair<std::string, double>, int> seen;  // (entity, value) -> how often it arrived

  Twin(const std::string& domain, const std::string& keyFile, const std::string& allowList) {
    for (int i = 1; i <= kBuildings; ++i) EXPECT_TRUE(entities.add(building(i), "thing").isOk());
    EXPECT_TRUE(entities.attributes().intern("load_kw", "kW").isOk());
    directory.publishFrom(entities);
    ZmqIngestConfig c;
    c.endpoint = "tcp://127.0.0.1:*";
    c.bind = true;
    c.security.serverKeyFile = keyFile;
    c.security.allowListFile = allowList;
    c.security.zapDomain = domain;
    ingest = std::make_unique<ZmqIngest>(c, channel, health, directory);
    EXPECT_TRUE(ingest->start().isOk());
  }
  void drain() {
    std::vector<SampleUpdate> out;
    channel.drain(out);
    for (const SampleUpdate& u : out) ++seen[{entities.get(u.entity)->id, u.value}];
  }
  bool has(const std::string& entity, std::uint64_t seq) {
    drain();
    return seen.count({entity, static_cast<double>(seq)}) != 0;
  }
};

class FeedProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::testFolder("feed_proxy");
    for (const auto& [k, file] : {std::pair{&twinKey, "twin.key"}, {&proxyKey, "proxy.key"}}) {
      ASSERT_TRUE(writeKeyFile((dir / file).string(), *k));
    }
    // The proxy admits the three publishers and `notAtTwins`; each twin admits the proxy (as a proxy) and the
    // three publishers, the third granted only its own building.
    testing::writeAllowList(path("proxy-allowed.toml"), {pubs[0], pubs[1], pubs[2], notAtTwins});
    AllowList twinList;
    AllowListEntry proxyEntry{"feed-proxy", proxyKey.publicKey, wallNow(), std::nullopt, {}, {}, 0, true};
    ASSERT_TRUE(twinList.add(proxyEntry));
    for (int i = 0; i < 3; ++i) {
      std::vector<std::string> granted;
      if (i == 2) granted = {building(3)};
      ASSERT_TRUE(twinList.add(AllowListEntry{pubs[i].name, pubs[i].publicKey, wallNow(), std::nullopt, {},
                                              granted, 0, false}));
    }
    ASSERT_TRUE(twinList.save(path("twin-allowed.toml")));
    sink = std::make_shared<CaptureSink>();
    spdlog::drop(kAuditLoggerName);
    spdlog::register_logger(std::make_shared<spdlog::logger>(kAuditLoggerName, sink));
    for (const char* domain : {"twin-a", "twin-b"}) {
      twins.push_back(std::make_unique<Twin>(domain, path("twin.key"), path("twin-allowed.toml")));
    }
  }
  void TearDown() override {
    proxy.reset();
    twins.clear();
    spdlog::drop(kAuditLoggerName);
  }
  std::string path(const std::string& name) const { return (dir / name).string(); }

  FeedProxyConfig proxyConfig() const {
    FeedProxyConfig c;
    c.frontEndpoint = "tcp://127.0.0.1:*";
    c.serverKeyFile = path("proxy.key");
    c.allowListFile = path("proxy-allowed.toml");
    for (const auto& t : twins) c.twins.push_back({t->ingest->endpoint(), twinKey.publicKey});
    c.statsIntervalMs = 0;
    return c;
  }
  void startProxy(FeedProxyConfig c) {
    proxy = std::make_unique<FeedProxy>(std::move(c));
    Status s = proxy->start();
    ASSERT_TRUE(s.isOk()) << s.message();
  }
  std::unique_ptr<CurvePub> publisher(const KeyPair& keys) {
    return std::make_unique<CurvePub>(proxyKey.publicKey, keys, proxy->frontEndpoint());
  }
  // Sends `entity` from `pub` until both twins have it: subscriptions have reached the publisher through the proxy.
  void warmUp(CurvePub& pub, const std::string& name, std::uint64_t& seq, const std::string& entity) {
    ASSERT_TRUE(waitFor([&] {
      sendLoad(pub, name, ++seq, {entity});
      const std::uint64_t sent = seq;
      return waitFor([&] { return twins[0]->has(entity, sent) && twins[1]->has(entity, sent); },
                     std::chrono::milliseconds(30));
    }, std::chrono::milliseconds(10000))) << name << " never reached both twins";
  }

  std::filesystem::path dir;
  KeyPair twinKey = newKeys("twin");
  KeyPair proxyKey = newKeys("feed-proxy");
  std::vector<KeyPair> pubs{newKeys("feed-1"), newKeys("feed-2"), newKeys("feed-3")};
  KeyPair notAtTwins = newKeys("feed-x");
  std::shared_ptr<CaptureSink> sink;
  std::vector<std::unique_ptr<Twin>> twins;
  std::unique_ptr<FeedProxy> proxy;
};

TEST_F(FeedProxyTest, ThreePublishersOneProxyTwoTwinsNothingLost) {
  startProxy(proxyConfig());
  std::vector<std::unique_ptr<CurvePub>> sockets;
  std::vector<std::uint64_t> seq(3, 0);
  for (int i = 0; i < 3; ++i) sockets.push_back(publisher(pubs[i]));
  for (int i = 0; i < 3; ++i) warmUp(*sockets[i], pubs[i].name, seq[i], building(i + 1));
  const std::vector<std::uint64_t> first{seq[0] + 1, seq[1] + 1, seq[2] + 1};
  constexpr std::uint64_t kPerPublisher = 300;
  for (std::uint64_t n = 0; n < kPerPublisher; ++n) {
    for (int i = 0; i < 3; ++i) sendLoad(*sockets[i], pubs[i].name, ++seq[i], {building(i + 1)});
  }
  // Every message of every publisher at both twins, each exactly once.
  for (const auto& twin : twins) {
    auto countSent = [&] {
      twin->drain();
      std::uint64_t n = 0;
      for (int i = 0; i < 3; ++i) {
        for (std::uint64_t s = first[i]; s < first[i] + kPerPublisher; ++s) {
          n += twin->seen.count({building(i + 1), static_cast<double>(s)});
        }
      }
      return n;
    };
    std::uint64_t arrived = 0;
    EXPECT_TRUE(waitFor([&] { return (arrived = countSent()) == 3 * kPerPublisher; }, std::chrono::seconds(20)))
        << arrived << " of " << 3 * kPerPublisher;
    for (const auto& [what, times] : twin->seen) EXPECT_EQ(times, 1) << what.first << " " << what.second;
    for (int i = 0; i < 3; ++i) {
      const PublisherHealth h = twin->health.health(pubs[i].name, wallNow());
      EXPECT_EQ(h.gaps, 0u) << pubs[i].name;
      EXPECT_EQ(h.lastSequence, seq[i]) << pubs[i].name;
    }
    const ZmqIngestStats s = twin->ingest->stats();
    EXPECT_EQ(s.proxiedMessages, s.accepted);
    EXPECT_EQ(s.unattestedMessages + s.revokedMessages + s.wrongFrameCount + s.ungrantedUpdates, 0u);
  }
  const FeedProxyStats p = proxy->stats();
  EXPECT_EQ(p.droppedHighWaterMark, 0u);
  EXPECT_EQ(p.forwarded, p.received);
  EXPECT_GE(p.forwarded, 3 * kPerPublisher);
  EXPECT_EQ(p.authAdmitted, 3u);
  EXPECT_GE(p.twinHandshakes, 2u);
}

TEST_F(FeedProxyTest, ARecorderBehindTheProxyRecordsEachPublishersOwnMessages) {
  // greentwin-feed record in a twin's place behind the proxy, with the twin's key and allow-list (the proxy admitted
  // as a proxy): each message is recorded as its publisher's own 3 frames under the publisher's key, so the
  // recording replays into a twin like one made without the proxy.
  FeedCaptureConfig rc;
  rc.endpoint = "tcp://127.0.0.1:*";
  rc.bind = true;
  rc.outPath = path("behind-proxy.gtrec");
  rc.security.serverKeyFile = path("twin.key");
  rc.security.allowListFile = path("twin-allowed.toml");
  rc.security.zapDomain = "recorder-behind-proxy";
  FeedCapture capture(rc);
  ASSERT_TRUE(capture.start().isOk());
  FeedProxyConfig c = proxyConfig();
  c.twins.push_back({capture.endpoint(), twinKey.publicKey});
  startProxy(std::move(c));
  auto pub = publisher(pubs[0]);
  std::uint64_t seq = 0;
  warmUp(*pub, pubs[0].name, seq, building(1));
  constexpr std::uint64_t kMessages = 50;
  for (std::uint64_t n = 0; n < kMessages; ++n) sendLoad(*pub, pubs[0].name, ++seq, {building(1)});
  ASSERT_TRUE(waitFor([&] { return capture.stats().messages >= kMessages; }, std::chrono::seconds(20)))
      << capture.stats().messages;
  // The publisher's warm-up messages and the 50 sent after it, all recorded (the recorder subscribes like a twin).
  capture.stop();
  capture.join();
  ASSERT_TRUE(capture.result().isOk()) << capture.result().message();
  EXPECT_EQ(capture.stats().unattestedMessages, 0u);
  EXPECT_EQ(capture.stats().revokedMessages, 0u);
  auto reader = FeedRecordingReader::open(rc.outPath);
  ASSERT_TRUE(reader) << reader.status().message();
  RecordedMessage m;
  std::uint64_t records = 0;
  while ((*reader)->next(m)) {
    ++records;
    ASSERT_EQ(m.frames.size(), 3u) << "record " << records;
    EXPECT_EQ(m.publisherKey, pubs[0].publicKey) << "record " << records;
    const auto decoded = decodeMessage(m.frames[0], m.frames[1], m.frames[2], DecodeLimits{}, wallNow());
    ASSERT_TRUE(decoded) << decoded.status().message();
    EXPECT_EQ(decoded->envelope.publisherId, pubs[0].name);
  }
  EXPECT_TRUE((*reader)->damage().isOk());
  EXPECT_EQ(records, capture.stats().messages);
  EXPECT_GE(records, kMessages);
}

TEST_F(FeedProxyTest, APublishersOwnGrantsStillApplyAtTheTwinsBehindTheProxy) {
  startProxy(proxyConfig());
  auto third = publisher(pubs[2]);  // granted building 3 only, at the twins
  std::uint64_t seq = 0;
  warmUp(*third, pubs[2].name, seq, building(3));
  sendLoad(*third, pubs[2].name, ++seq, {building(1), building(3)});
  const std::uint64_t mixed = seq;
  // Sending as another publisher's id is refused too (its own entry's `publishers`).
  sendLoad(*third, pubs[0].name, 1000, {building(3)});
  for (const auto& twin : twins) {
    EXPECT_TRUE(waitFor([&] { return twin->has(building(3), mixed) && twin->ingest->stats().wrongPublisher == 1; }));
    EXPECT_FALSE(twin->has(building(1), mixed)) << "an ungranted entity reached the twin through the proxy";
    EXPECT_EQ(twin->ingest->stats().ungrantedUpdates, 1u);
    EXPECT_FALSE(twin->has(building(3), 1000));
  }
  // The twins' audit lines name the publisher's key, not the proxy's.
  EXPECT_EQ(sink->count({"AUDIT drop", "source=twin-a", "key=" + pubs[2].publicKey, "may not write entity"}), 1u)
      << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(sink->count({"AUDIT drop", "source=twin-b", "key=" + pubs[2].publicKey, "may not publish as"}), 1u);
}

TEST_F(FeedProxyTest, AnUnknownKeyIsRefusedAtTheProxyAndAKeyTheTwinDoesNotListAtTheTwin) {
  startProxy(proxyConfig());
  auto first = publisher(pubs[0]);
  std::uint64_t seq = 0;
  warmUp(*first, pubs[0].name, seq, building(1));
  KeyPair stranger = newKeys("stranger");
  auto unknown = publisher(stranger);
  auto unlisted = publisher(notAtTwins);  // admitted by the proxy, not by the twins
  EXPECT_TRUE(waitFor([&] { return proxy->stats().authRefused >= 1 && proxy->stats().authAdmitted >= 2; }));
  EXPECT_GE(sink->count({"AUDIT refuse", "source=proxy", "key=" + stranger.publicKey, "not in allow-list"}), 1u);
  // feed-x sends as itself until the twins have dropped one of its messages each.
  std::uint64_t xseq = 0;
  EXPECT_TRUE(waitFor([&] {
    sendLoad(*unlisted, notAtTwins.name, ++xseq, {building(2)});
    sendLoad(*unknown, stranger.name, xseq, {building(2)});
    return waitFor([&] {
      return twins[0]->ingest->stats().revokedMessages > 0 && twins[1]->ingest->stats().revokedMessages > 0;
    }, std::chrono::milliseconds(30));
  }));
  for (const auto& twin : twins) {
    twin->drain();
    for (const auto& [what, times] : twin->seen) EXPECT_NE(what.first, building(2)) << "a refused key got in";
  }
  EXPECT_GE(sink->count({"AUDIT drop", "source=twin-a", "key=" + notAtTwins.publicKey, "no longer admitted"}), 1u);
}

TEST_F(FeedProxyTest, MalformedMessagesAreCountedAuditedAndTheProxyKeepsForwarding) {
  startProxy(proxyConfig());
  auto first = publisher(pubs[0]);
  std::uint64_t seq = 0;
  warmUp(*first, pubs[0].name, seq, building(1));
  first->sendFrames({bytes(10), bytes(10)});
  for (int i = 0; i < 3; ++i) first->sendFrames({bytes(10), bytes(10), bytes(10), bytes(10), bytes(10)});
  first->sendFrames({bytes(10), bytes(5000), bytes(10)});  // an envelope over its 4096 bytes
  sendLoad(*first, pubs[0].name, ++seq, {building(1)});
  for (const auto& twin : twins) EXPECT_TRUE(waitFor([&] { return twin->has(building(1), seq); }));
  const FeedProxyStats p = proxy->stats();
  EXPECT_EQ(p.wrongFrameCount, 4u);
  EXPECT_EQ(p.tooManyFrames, 3u);
  EXPECT_EQ(p.oversize, 1u);
  EXPECT_EQ(p.received, p.forwarded + 5);
  // Audited once a minute per key and kind.
  EXPECT_EQ(sink->count({"AUDIT drop", "source=proxy", "key=" + pubs[0].publicKey, "frames=5", "3 frames"}), 1u)
      << ::testing::PrintToString(sink->lines());
  EXPECT_EQ(sink->count({"AUDIT drop", "source=proxy", "frames=2", "3 frames"}), 1u);
  EXPECT_EQ(sink->count({"AUDIT drop", "source=proxy", "oversize: frames of 10, 5000, 10 bytes"}), 1u);
  for (const auto& twin : twins) EXPECT_EQ(twin->ingest->stats().rejectTotal(), 0u);
}

TEST_F(FeedProxyTest, ATwinThatDoesNotReadCostsCountedDropsNotSilentOnes) {
  // A bare CURVE SUB that binds and stops reading once subscribed (no ZAP handler in its context: it admits any key).
  void* ctx = zmq_ctx_new();
  void* sub = zmq_socket(ctx, ZMQ_SUB);
  const int on = 1, one = 1, linger = 0;
  zmq_setsockopt(sub, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(sub, ZMQ_RCVHWM, &one, sizeof one);
  zmq_setsockopt(sub, ZMQ_CURVE_SERVER, &on, sizeof on);
  zmq_setsockopt(sub, ZMQ_CURVE_SECRETKEY, twinKey.secretKey.c_str(), kZ85KeyLength);
  zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
  ASSERT_EQ(zmq_bind(sub, "tcp://127.0.0.1:*"), 0);
  char endpoint[256] = {};
  std::size_t size = sizeof endpoint;
  zmq_getsockopt(sub, ZMQ_LAST_ENDPOINT, endpoint, &size);
  FeedProxyConfig c = proxyConfig();
  c.twins = {{endpoint, twinKey.publicKey}};
  c.sendHighWaterMark = 2;
  c.sendTimeoutMs = 20;
  startProxy(c);
  // A binding SUB sends its subscription only once polled (libzmq issue 2267).
  ASSERT_TRUE(waitFor([&] {
    zmq_pollitem_t item{sub, 0, ZMQ_POLLIN, 0};
    zmq_poll(&item, 1, 5);
    return proxy->stats().subscriptions >= 1;
  }));
  auto first = publisher(pubs[0]);
  ASSERT_TRUE(waitFor([&] {
    first->sendFrames({bytes(10), bytes(10), bytes(10)});
    return waitFor([&] { return proxy->stats().forwarded > 0; }, std::chrono::milliseconds(20));
  }));
  // 64 MiB in 1 MiB messages: more than the socket buffers between the proxy and a twin that reads nothing.
  for (int i = 0; i < 64; ++i) first->sendFrames({bytes(10), bytes(100), bytes(1 << 20)});
  FeedProxyStats p;
  EXPECT_TRUE(waitFor([&] {
    p = proxy->stats();
    return p.received == p.forwarded && p.forwarded > 64 && p.droppedHighWaterMark > 0;
  }, std::chrono::seconds(20))) << formatFeedProxyStats(p);
  ASSERT_EQ(p.droppedPerTwin.size(), 1u);
  EXPECT_EQ(p.droppedPerTwin[0], p.droppedHighWaterMark);
  proxy.reset();
  zmq_close(sub);
  zmq_ctx_term(ctx);
}

// The front is the twin's CURVE server: a key revoked in the proxy's list while connected gets nothing more through,
// and handshakes past max_connections are refused.
TEST_F(FeedProxyTest, RevocationWhileConnectedAndTheConnectionCapHoldAtTheProxy) {
  FeedProxyConfig c = proxyConfig();
  c.maxConnections = 1;
  startProxy(c);
  auto first = publisher(pubs[0]);
  std::uint64_t seq = 0;
  warmUp(*first, pubs[0].name, seq, building(1));
  auto second = publisher(pubs[1]);  // over the cap of 1
  EXPECT_TRUE(waitFor([&] { return proxy->stats().connectionLimited >= 1; })) << formatFeedProxyStats(proxy->stats());
  EXPECT_GE(sink->count({"AUDIT refuse", "source=proxy", "key=" + pubs[1].publicKey, "connection limit"}), 1u);

  testing::revokeInFile(path("proxy-allowed.toml"), pubs[0].name);
  EXPECT_TRUE(waitFor([&] {
    sendLoad(*first, pubs[0].name, ++seq, {building(1)});
    return waitFor([&] { return proxy->stats().revokedMessages > 0; }, std::chrono::milliseconds(30));
  }));
  const FeedProxyStats before = proxy->stats();
  for (int i = 0; i < 5; ++i) sendLoad(*first, pubs[0].name, ++seq, {building(1)});
  EXPECT_TRUE(waitFor([&] { return proxy->stats().revokedMessages >= before.revokedMessages + 5; }));
  const std::uint64_t forwarded = before.forwarded;
  EXPECT_EQ(proxy->stats().forwarded, forwarded);
  EXPECT_FALSE(twins[0]->has(building(1), seq));
  EXPECT_GE(sink->count({"AUDIT drop", "source=proxy", "key=" + pubs[0].publicKey, "no longer admitted"}), 1u);
}

// A twin whose allow-list lacks the proxy's key refuses its handshake: counted at the proxy (and logged there), audited
// at the twin; the other twin is served as usual.
TEST_F(FeedProxyTest, ATwinThatDoesNotAdmitTheProxyIsCountedAndTheOtherStillServed) {
  testing::writeAllowList(path("no-proxy.toml"), {pubs[0]});
  Twin refusing("twin-c", path("twin.key"), path("no-proxy.toml"));
  FeedProxyConfig c = proxyConfig();
  c.twins = {{refusing.ingest->endpoint(), twinKey.publicKey}, {twins[0]->ingest->endpoint(), twinKey.publicKey}};
  startProxy(c);
  EXPECT_TRUE(waitFor([&] { return proxy->stats().twinHandshakeFailures >= 1; }))
      << formatFeedProxyStats(proxy->stats());
  EXPECT_GE(sink->count({"AUDIT refuse", "source=twin-c", "key=" + proxyKey.publicKey, "not in allow-list"}), 1u);
  auto first = publisher(pubs[0]);
  std::uint64_t seq = 0;
  ASSERT_TRUE(waitFor([&] {
    sendLoad(*first, pubs[0].name, ++seq, {building(1)});
    return waitFor([&] { return twins[0]->has(building(1), seq); }, std::chrono::milliseconds(30));
  }));
  EXPECT_EQ(refusing.ingest->stats().accepted, 0u);
}

TEST_F(FeedProxyTest, BadKeysAllowListsAndEndpointsAreNamedErrors) {
  auto startError = [](FeedProxyConfig c) {
    FeedProxy p(std::move(c));
    Status s = p.start();
    EXPECT_FALSE(s.isOk());
    EXPECT_FALSE(p.running());
    return s.message();
  };
  FeedProxyConfig c = proxyConfig();
  c.serverKeyFile = path("missing.key");
  EXPECT_THAT(startError(c), ::testing::HasSubstr("missing.key"));
  c = proxyConfig();
  ASSERT_TRUE(writeKeyFile(path("proxy.pub"), KeyPair{"feed-proxy", proxyKey.publicKey, ""}));
  c.serverKeyFile = path("proxy.pub");
  EXPECT_THAT(startError(c), ::testing::HasSubstr("holds no secret key"));
  c = proxyConfig();
  {
    std::ofstream(path("bad-allowed.toml")) << "[[publisher]]\nname = \"a\"\npublik = \"x\"\n";
  }
  c.allowListFile = path("bad-allowed.toml");
  EXPECT_THAT(startError(c), ::testing::AllOf(::testing::HasSubstr("bad-allowed.toml"),
                                              ::testing::HasSubstr("unknown key 'publisher.publik'")));
  c = proxyConfig();
  c.frontEndpoint = "tcp://not an endpoint";
  EXPECT_THAT(startError(c), ::testing::HasSubstr("cannot bind the front endpoint tcp://not an endpoint"));
  c = proxyConfig();
  c.twins[0].endpoint = "nonsense://x";
  EXPECT_THAT(startError(c), ::testing::HasSubstr("cannot connect to the twin nonsense://x"));
  c = proxyConfig();
  c.twins[1].serverKey = "short";
  EXPECT_THAT(startError(c), ::testing::HasSubstr("server key"));
  c = proxyConfig();
  c.twins.clear();
  EXPECT_THAT(startError(c), ::testing::HasSubstr("no twin"));
}

// A free loopback TCP port (bound and released; the tool binds it next).
int freePort() {
  void* ctx = zmq_ctx_new();
  void* probe = zmq_socket(ctx, ZMQ_PUB);
  EXPECT_EQ(zmq_bind(probe, "tcp://127.0.0.1:*"), 0);
  char ep[256] = {};
  std::size_t size = sizeof ep;
  zmq_getsockopt(probe, ZMQ_LAST_ENDPOINT, ep, &size);
  zmq_close(probe);
  zmq_ctx_term(ctx);
  const std::string text(ep);
  return std::stoi(text.substr(text.rfind(':') + 1));
}

std::string readFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The command as a user runs it: forwards from a publisher to both twins (one twin's key given as its .pub file, the
// other's as Z85), prints its counters on SIGUSR1 and again when SIGTERM stops it (exit 0); bad input is a named
// error with exit status 1.
TEST_F(FeedProxyTest, GreenTwinFeedProxyCommand) {
  const std::string tool = GT_FEED_TOOL;
  ASSERT_TRUE(writeKeyFile(path("twin.pub"), KeyPair{"twin", twinKey.publicKey, ""}));
  const std::string front = "tcp://127.0.0.1:" + std::to_string(freePort());
  const std::string log = path("proxy.log");
  std::vector<std::string> args{tool, "proxy", "--bind", front, "--server-key", path("proxy.key"),
                                "--allow-list", path("proxy-allowed.toml"),
                                "--twin", twins[0]->ingest->endpoint() + "=" + path("twin.pub"),
                                "--twin", twins[1]->ingest->endpoint() + "=" + twinKey.publicKey};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = 0;
  ASSERT_EQ(posix_spawn(&pid, tool.c_str(), &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);

  CurvePub pub(proxyKey.publicKey, pubs[0], front);
  std::uint64_t seq = 0;
  warmUp(pub, pubs[0].name, seq, building(1));
  ::kill(pid, SIGUSR1);
  EXPECT_TRUE(waitFor([&] { return readFile(log).find("proxy: received=") != std::string::npos; }))
      << readFile(log);
  ::kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << readFile(log);
  std::string out = readFile(log);
  EXPECT_THAT(out, ::testing::HasSubstr("proxy stopped: received="));
  EXPECT_THAT(out, ::testing::HasSubstr("dropped_hwm=0"));
  EXPECT_THAT(out, ::testing::HasSubstr("publishers_admitted=1"));

  auto run = [](const std::string& command, std::string& output) {
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    output.clear();
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) output.append(buffer, n);
    const int st = ::pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  };
  // Arguments in single quotes: Z85 keys hold shell characters (& < > ( ) ...), never a quote.
  auto q = [](const std::string& a) { return "'" + a + "'"; };
  const std::string common = tool + " proxy --bind " + front + " --allow-list " + q(path("proxy-allowed.toml"));
  const std::string twinArg = " --twin " + q("tcp://127.0.0.1:1=" + twinKey.publicKey);
  EXPECT_EQ(run(common + " --server-key " + q(path("nope.key")) + twinArg, out), 1);
  EXPECT_THAT(out, ::testing::HasSubstr("nope.key"));
  EXPECT_EQ(run(common + " --server-key " + q(path("proxy.key")) + " --twin tcp://127.0.0.1:1", out), 1);
  EXPECT_THAT(out, ::testing::HasSubstr("expected ENDPOINT=KEY"));
  const std::string badTwinKey = " --twin " + q("tcp://127.0.0.1:1=" + path("nope.pub"));
  EXPECT_EQ(run(common + " --server-key " + q(path("proxy.key")) + badTwinKey, out), 1);
  EXPECT_THAT(out, ::testing::HasSubstr("twin tcp://127.0.0.1:1: server key"));
}

}  // namespace
}  // namespace gt::connectors
