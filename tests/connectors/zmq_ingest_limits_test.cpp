// ZmqIngest's limits (issue 15), over real sockets on loopback: a message of more than 3 frames is dropped, counted
// and audited and nothing else is lost; the receive high-water mark follows the per-publisher byte budget; an idle
// connection is closed after the handshake timeout; a CURVE source holds at most maxConnections connections.
// (zmq_ingest_test.cpp has the data path, zmq_ingest_curve_test.cpp the allow-list.)

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
#include <zmq.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/log.hpp"
#include "curve_pub.hpp"
#include "security_test_support.hpp"

namespace gt::connectors {
namespace {

using testing::CaptureSink;
using testing::CurvePub;
using testing::newKeys;
using testing::waitFor;

const TimePoint kT0 = (wallNow() / kMicrosPerSecond - 3600) * kMicrosPerSecond;  // an hour ago, whole second

WireFrames encoded(const std::string& publisher, std::uint64_t seq, const std::string& station, double value) {
  Message m;
  m.topic = "air.station";
  m.envelope.publisherId = publisher;
  m.envelope.sequence = seq;
  m.envelope.sourceTime = kT0;
  m.envelope.schemaId = "air.station";
  m.updates.push_back({station, "pm25", value, "ug/m3", std::nullopt});
  auto r = encodeJson(m);
  EXPECT_TRUE(r.isOk());
  return *r;
}

class ZmqIngestLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(entities.add("station/" + std::to_string(i), "air_station").isOk());
    ASSERT_TRUE(entities.attributes().intern("pm25", "ug/m3").isOk());
    directory.publishFrom(entities);
    dir = testing::testFolder("ingest_limits");
    serverKeyFile = (dir / "twin.key").string();
    allowListFile = (dir / "allowed.toml").string();
    ASSERT_TRUE(writeKeyFile(serverKeyFile, twin));
    testing::writeAllowList(allowListFile, {listed}, {"p1", "p2", "p3", "p4"});
    sink = std::make_shared<CaptureSink>();
    spdlog::drop(kAuditLoggerName);
    spdlog::register_logger(std::make_shared<spdlog::logger>(kAuditLoggerName, sink));
  }
  void TearDown() override { spdlog::drop(kAuditLoggerName); }

  std::unique_ptr<ZmqIngest> start(const std::function<void(ZmqIngestConfig&)>& more = {}) {
    ZmqIngestConfig c;
    c.endpoint = "tcp://127.0.0.1:*";
    c.bind = true;
    c.security.mode = IngestSecurity::Curve;
    c.security.serverKeyFile = serverKeyFile;
    c.security.allowListFile = allowListFile;
    c.security.zapDomain = "air";
    if (more) more(c);
    auto ingest = std::make_unique<ZmqIngest>(c, channel, health, directory);
    const Status s = ingest->start();
    EXPECT_TRUE(s.isOk()) << s.toString();
    return ingest;
  }

  // Sends `publisher`'s messages (seq from `seq`) until the ingest has accepted one more than before.
  void sendUntilAccepted(CurvePub& pub, ZmqIngest& ingest, const std::string& publisher, std::uint64_t& seq) {
    const std::uint64_t before = ingest.stats().accepted;
    ASSERT_TRUE(waitFor([&] {
      const WireFrames w = encoded(publisher, seq++, "station/3", 0.0);
      pub.sendFrames({w.topic, w.envelope, w.payload});
      return waitFor([&] { return ingest.stats().accepted > before; }, std::chrono::milliseconds(20));
    }));
  }

  EntityStore entities;
  EntityDirectory directory;
  UpdateChannel channel{100000};
  FeedHealth health;
  std::filesystem::path dir;
  std::string serverKeyFile;
  std::string allowListFile;
  KeyPair twin = newKeys("twin");
  KeyPair listed = newKeys("listed-feed");
  std::shared_ptr<CaptureSink> sink;
};

// A listed key sends a message of 10 frames between good ones: it is dropped, counted (wrongFrameCount and
// tooManyFrames) and audited with the key, its frame count and bytes; its own next message and another
// connection's message still get in.
TEST_F(ZmqIngestLimitsTest, AMessageWithTooManyFramesIsDroppedCountedAndAudited) {
  auto ingest = start();
  CurvePub a(twin.publicKey, listed, ingest->endpoint());
  CurvePub b(twin.publicKey, listed, ingest->endpoint());
  std::uint64_t seqA = 1;
  std::uint64_t seqB = 1;
  sendUntilAccepted(a, *ingest, "p1", seqA);
  sendUntilAccepted(b, *ingest, "p2", seqB);
  const ZmqIngestStats before = ingest->stats();

  const WireFrames bad = encoded("p1", seqA++, "station/1", 1.0);
  std::vector<std::vector<std::byte>> frames{bad.topic, bad.envelope, bad.payload};
  for (int i = 0; i < 7; ++i) frames.emplace_back(1000, std::byte{0x41});
  a.sendFrames(frames);
  const WireFrames goodA = encoded("p1", seqA++, "station/1", 2.0);
  a.sendFrames({goodA.topic, goodA.envelope, goodA.payload});
  const WireFrames goodB = encoded("p2", seqB++, "station/2", 3.0);
  b.sendFrames({goodB.topic, goodB.envelope, goodB.payload});

  ASSERT_TRUE(waitFor([&] { return ingest->stats().accepted >= before.accepted + 2; }));
  const ZmqIngestStats s = ingest->stats();
  EXPECT_EQ(s.wrongFrameCount, before.wrongFrameCount + 1);
  EXPECT_EQ(s.tooManyFrames, before.tooManyFrames + 1);
  EXPECT_EQ(s.accepted, before.accepted + 2);
  std::vector<SampleUpdate> got;
  channel.drain(got);
  std::vector<double> values;
  for (const SampleUpdate& u : got) {
    if (u.entity != 3) values.push_back(u.value);  // station/3: the warm-up messages
  }
  EXPECT_THAT(values, ::testing::UnorderedElementsAre(2.0, 3.0));
  const std::uint64_t bytes = bad.topic.size() + bad.envelope.size() + bad.payload.size() + 7000;
  EXPECT_EQ(sink->count({"AUDIT drop", "source=air", "key=" + listed.publicKey, "name=listed-feed", "frames=10",
                         "bytes=" + std::to_string(bytes), "a message is 3 frames"}),
            1u);
}

// libzmq's high-water mark counts complete messages per connection: with a byte budget it becomes the budget over
// the largest message the limits allow, so one publisher's queued messages stay within the budget.
TEST_F(ZmqIngestLimitsTest, TheReceiveHighWaterMarkFollowsTheByteBudget) {
  ZmqIngestConfig c;
  EXPECT_EQ(ZmqIngest::effectiveReceiveHighWaterMark(c), 1000);  // no budget: as configured
  c.maxBufferedBytes = 256ull << 20;
  const std::uint64_t largest = std::uint64_t{c.limits.maxTopicBytes} + c.limits.maxEnvelopeBytes +
                                c.limits.maxPayloadBytes;
  EXPECT_EQ(ZmqIngest::effectiveReceiveHighWaterMark(c), static_cast<int>((256ull << 20) / largest));
  EXPECT_LE(static_cast<std::uint64_t>(ZmqIngest::effectiveReceiveHighWaterMark(c)) * largest, c.maxBufferedBytes);
  c.limits.maxPayloadBytes = 64 * 1024;  // small messages: the configured mark is the lower one
  EXPECT_EQ(ZmqIngest::effectiveReceiveHighWaterMark(c), 1000);
  c.receiveHighWaterMark = 0;  // "no limit" still keeps to the budget
  EXPECT_EQ(ZmqIngest::effectiveReceiveHighWaterMark(c),
            static_cast<int>((256ull << 20) / (c.limits.maxTopicBytes + c.limits.maxEnvelopeBytes + 64 * 1024)));
  c.maxBufferedBytes = 1;  // at least one message
  EXPECT_EQ(ZmqIngest::effectiveReceiveHighWaterMark(c), 1);
}

// A TCP connection that never speaks ZMTP is closed by the ingest after the handshake timeout (libzmq's default
// would keep it, and its file descriptor, for 30 s). The 10 s receive timeout stands for "still open".
TEST_F(ZmqIngestLimitsTest, AnIdleConnectionIsClosedAfterTheHandshakeTimeout) {
  auto ingest = start([](ZmqIngestConfig& c) { c.handshakeTimeoutMs = 300; });
  const std::string endpoint = ingest->endpoint();  // tcp://127.0.0.1:PORT
  const int port = std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  timeval timeout{10, 0};
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), 0);
  char buffer[256];
  ssize_t n = 0;
  int error = 0;
  do {  // the greeting's first bytes arrive, then the end of the connection
    n = ::recv(fd, buffer, sizeof buffer, 0);
    error = n < 0 ? errno : 0;
  } while (n > 0);
  ::close(fd);
  EXPECT_TRUE(n == 0 || error == ECONNRESET) << "the idle connection was still open after 10 s (errno " << error
                                             << ")";
  EXPECT_TRUE(waitFor([&] { return ingest->stats().handshakeFailures >= 1; }));  // audited as a failed handshake
}

// With maxConnections = 2, a third listed publisher's handshake is refused (audited, counted); once one of the two
// has gone, a new one gets in.
TEST_F(ZmqIngestLimitsTest, ACurveSourceHoldsAtMostMaxConnections) {
  auto ingest = start([](ZmqIngestConfig& c) { c.maxConnections = 2; });
  auto first = std::make_unique<CurvePub>(twin.publicKey, listed, ingest->endpoint());
  CurvePub second(twin.publicKey, listed, ingest->endpoint());
  ASSERT_TRUE(waitFor([&] { return ingest->stats().connections == 2; })) << ingest->stats().connections;
  EXPECT_EQ(ingest->stats().authAdmitted, 2u);

  auto third = std::make_unique<CurvePub>(twin.publicKey, listed, ingest->endpoint());
  ASSERT_TRUE(waitFor([&] { return ingest->stats().connectionLimited >= 1; }));
  EXPECT_EQ(ingest->stats().authAdmitted, 2u);
  EXPECT_GE(ingest->stats().authRefused, 1u);
  EXPECT_EQ(sink->count({"AUDIT refuse", "source=air", "key=" + listed.publicKey,
                         "connection limit: this source already holds its 2 connections"}),
            1u);
  std::uint64_t seq = 1;
  sendUntilAccepted(second, *ingest, "p2", seq);  // the admitted ones still flow

  third.reset();  // (so that it cannot take the place freed next)
  first.reset();  // one connection goes: a place is free again
  ASSERT_TRUE(waitFor([&] { return ingest->stats().connections <= 1; })) << ingest->stats().connections;
  CurvePub fourth(twin.publicKey, listed, ingest->endpoint());
  ASSERT_TRUE(waitFor([&] { return ingest->stats().authAdmitted >= 3; }));
  std::uint64_t seq4 = 1;
  sendUntilAccepted(fourth, *ingest, "p4", seq4);
  EXPECT_LE(ingest->stats().connections, 2u);
}

}  // namespace
}  // namespace gt::connectors
