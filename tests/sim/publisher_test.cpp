// The publishing engine against the real ingest path on loopback: values of every feed arrive, sequence numbers
// count per domain without gaps, the declared interval reaches feed health; CURVE key reading.
#include <gtest/gtest.h>
#include <zmq.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <fstream>
#include <thread>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/sim/publisher.hpp"

namespace gt::sim {
namespace {

// Two domains with fixed values so the test can check what arrives.
class ConstantFeed final : public Feed {
 public:
  ConstantFeed(std::string domain, std::vector<std::string> ids, double base)
      : Feed(domain, domain + ".test", std::move(ids), {{"a", "u"}, {"b", ""}}), base_(base) {}
  void prepare(TimePoint t) override { prepared_ = t; }
  void evaluate(TimePoint /*t*/, std::size_t i, std::span<double> out) const override {
    out[0] = base_ + static_cast<double>(i);
    out[1] = -base_;
  }
  TimePoint prepared_ = 0;

 private:
  double base_;
};

struct Receiver {
  EntityStore entities;
  EntityDirectory directory;
  UpdateChannel channel{1'000'000};
  FeedHealth health;
  std::unique_ptr<connectors::ZmqIngest> ingest;
  std::vector<SampleUpdate> received;

  explicit Receiver(const std::vector<std::string>& ids, connectors::ZmqIngestSecurity security = unauthenticated()) {
    for (const auto& id : ids) EXPECT_TRUE(entities.add(id, "test").isOk());
    EXPECT_TRUE(entities.attributes().intern("a", "u").isOk());
    EXPECT_TRUE(entities.attributes().intern("b", "").isOk());
    directory.publishFrom(entities);
    connectors::ZmqIngestConfig config;
    config.endpoint = "tcp://127.0.0.1:*";
    config.bind = true;
    config.security = std::move(security);
    ingest = std::make_unique<connectors::ZmqIngest>(config, channel, health, directory);
    EXPECT_TRUE(ingest->start().isOk());
  }
  void drain() { channel.drain(received); }
  static connectors::ZmqIngestSecurity unauthenticated() {
    connectors::ZmqIngestSecurity security;
    security.mode = connectors::IngestSecurity::Unauthenticated;
    return security;
  }
  bool waitForUpdates(std::uint64_t n, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (ingest->stats().updates < n && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return ingest->stats().updates >= n;
  }
};

std::vector<std::unique_ptr<Feed>> feeds(const std::vector<std::string>& airIds, const std::vector<std::string>& forestIds) {
  std::vector<std::unique_ptr<Feed>> out;
  out.push_back(std::make_unique<ConstantFeed>("air", airIds, 100.0));
  out.push_back(std::make_unique<ConstantFeed>("forest", forestIds, 200.0));
  return out;
}

TEST(SimPublisher, IntervalModeDeliversEveryEntityOfEveryFeedEachSweep) {
  const std::vector<std::string> air = {"s/1", "s/2", "s/3"}, forest = {"f/1", "f/2"};
  std::vector<std::string> all = air;
  all.insert(all.end(), forest.begin(), forest.end());
  Receiver rx(all);
  PublishOptions options;
  options.endpoint = rx.ingest->endpoint();
  options.intervalS = 0.1;
  options.durationS = 1.0;
  options.binary = false;  // JSON here; the process test uses binary
  options.maxUpdatesPerMessage = 4;  // two entities per message: several messages per sweep
  SimPublisher publisher(feeds(air, forest), options);
  ASSERT_TRUE(publisher.open().isOk());
  EXPECT_EQ(publisher.valuesPerSweep(), 10u);
  EXPECT_DOUBLE_EQ(publisher.declaredIntervalS(0), 0.1);
  auto stats = publisher.run();
  ASSERT_TRUE(stats) << stats.status().message();
  EXPECT_GE(stats->updates, 50u);  // about 10 sweeps of 10 values
  EXPECT_EQ(stats->dropped, 0u);

  EXPECT_TRUE(rx.waitForUpdates(stats->updates, std::chrono::seconds(5)));
  rx.drain();
  const auto a = *rx.entities.attributes().find("a");
  std::map<std::pair<EntityIndex, AttributeId>, double> last;
  for (const SampleUpdate& u : rx.received) last[{u.entity, u.attribute}] = u.value;
  EXPECT_EQ(last.size(), 10u);  // every (entity, attribute)
  EXPECT_DOUBLE_EQ(last.at({*rx.entities.find("s/3"), a}), 102.0);
  EXPECT_DOUBLE_EQ(last.at({*rx.entities.find("f/2"), a}), 201.0);
  // One publisher per domain, its sequence unbroken, its declared interval the sweep interval.
  const auto health = rx.health.snapshot(wallNow());
  ASSERT_EQ(health.size(), 2u);
  for (const auto& h : health) {
    EXPECT_TRUE(h.publisher == "greentwin-sim-air" || h.publisher == "greentwin-sim-forest") << h.publisher;
    EXPECT_EQ(h.gaps, 0u);
  }
  EXPECT_EQ(rx.ingest->stats().rejectTotal(), 0u);
}

TEST(SimPublisher, RateModeSpreadsTheRateOverFeedsAndStopsAtMaxUpdates) {
  const std::vector<std::string> air = {"s/1", "s/2", "s/3"}, forest = {"f/1"};
  std::vector<std::string> all = air;
  all.push_back("f/1");
  Receiver rx(all);
  PublishOptions options;
  options.endpoint = rx.ingest->endpoint();
  options.rate = 2000;
  options.maxUpdates = 1000;
  options.durationS = 10;
  SimPublisher publisher(feeds(air, forest), options);
  ASSERT_TRUE(publisher.open().isOk());
  // 8 values per sweep at 2000/s: 250 sweeps/s, so the air feed has 750 entities a second to send.
  EXPECT_NEAR(publisher.declaredIntervalS(0), 0.02, 1e-9);  // at least one tick
  auto stats = publisher.run();
  ASSERT_TRUE(stats) << stats.status().message();
  EXPECT_GE(stats->updates, 1000u);
  EXPECT_LE(stats->updates, 1000u + 8u);
  EXPECT_LT(stats->seconds, 5.0);
}

TEST(SimPublisher, BadEndpointIsAnErrorNamingIt) {
  PublishOptions options;
  options.endpoint = "tcp://no-such-host-at-all:notaport";
  options.bind = true;
  SimPublisher publisher(feeds({"s/1"}, {"f/1"}), options);
  const Status s = publisher.open();
  EXPECT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("no-such-host-at-all"), std::string::npos) << s.message();
}

TEST(CurveKey, ReadsZ85KeysAndKeyFilesAndRejectsBadOnes) {
  char publicKey[41], secretKey[41];
  ASSERT_EQ(zmq_curve_keypair(publicKey, secretKey), 0);
  auto direct = readCurveKey(publicKey, false);
  ASSERT_TRUE(direct) << direct.status().message();
  EXPECT_EQ(direct->publicKey, publicKey);

  const std::string path = std::string(GT_TEST_BINARY_DIR) + "/sim_client.key";
  {
    std::ofstream out(path);
    out << "# GreenTwin CURVE key - sim\nname = \"sim\"\npublic = \"" << publicKey << "\"\nsecret = \"" << secretKey
        << "\"\n";
  }
  std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  auto file = readCurveKey(path, true);
  ASSERT_TRUE(file) << file.status().message();
  EXPECT_EQ(file->publicKey, publicKey);
  EXPECT_EQ(file->secretKey, secretKey);

  const std::string publicOnly = std::string(GT_TEST_BINARY_DIR) + "/sim_server.key";
  {
    std::ofstream out(publicOnly);
    out << "name = \"twin\"\npublic = \"" << publicKey << "\"\n";
  }
  EXPECT_TRUE(readCurveKey(publicOnly, false));
  const auto noSecret = readCurveKey(publicOnly, true);
  ASSERT_FALSE(noSecret);
  EXPECT_NE(noSecret.status().message().find("no secret"), std::string::npos) << noSecret.status().message();
  const auto bad = readCurveKey("short-key", false);
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("Z85"), std::string::npos) << bad.status().message();
  EXPECT_FALSE(readCurveKey("/no/such/file.key", true));
}

TEST(SimPublisher, CurveNeedsTheClientKeyPair) {
  char publicKey[41], secretKey[41];
  ASSERT_EQ(zmq_curve_keypair(publicKey, secretKey), 0);
  PublishOptions options;
  options.endpoint = "tcp://127.0.0.1:*";
  options.bind = true;
  options.curveServerKey = publicKey;
  SimPublisher without(feeds({"s/1"}, {"f/1"}), options);
  EXPECT_FALSE(without.open().isOk());
  options.curvePublicKey = publicKey;
  options.curveSecretKey = secretKey;
  SimPublisher with(feeds({"s/1"}, {"f/1"}), options);
  EXPECT_TRUE(with.open().isOk());
}

// The publisher's --server-key / --key-file path against a CURVE source: an admitted key gets its values in, a key
// that is not on the allow-list gets nothing in.
TEST(SimPublisher, PublishesToACurveSourceWithAnAdmittedKey) {
  const std::string dir = std::string(GT_TEST_BINARY_DIR) + "/curve";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  auto twinKeys = connectors::generateKeyPair("twin");
  auto simKeys = connectors::generateKeyPair("sim");
  auto strangerKeys = connectors::generateKeyPair("stranger");
  ASSERT_TRUE(twinKeys && simKeys && strangerKeys);
  ASSERT_TRUE(connectors::writeKeyFile(dir + "/twin.key", *twinKeys).isOk());
  ASSERT_TRUE(connectors::writeKeyFile(dir + "/sim.key", *simKeys).isOk());
  connectors::AllowList allow;
  ASSERT_TRUE(allow.add("sim", simKeys->publicKey, wallNow(), {"greentwin-sim-*"}).isOk());
  ASSERT_TRUE(allow.save(dir + "/allow.toml").isOk());
  connectors::ZmqIngestSecurity security;
  security.mode = connectors::IngestSecurity::Curve;
  security.serverKeyFile = dir + "/twin.key";
  security.allowListFile = dir + "/allow.toml";
  Receiver rx({"s/1", "f/1"}, security);

  auto publishWith = [&](const connectors::KeyPair& client) {
    PublishOptions options;
    options.endpoint = rx.ingest->endpoint();
    options.intervalS = 0.05;
    options.durationS = 0.6;
    auto server = readCurveKey(dir + "/twin.key", false);  // the server key from a key file, as --server-key FILE
    EXPECT_TRUE(server) << server.status().message();
    options.curveServerKey = server->publicKey;
    options.curvePublicKey = client.publicKey;
    options.curveSecretKey = client.secretKey;
    SimPublisher publisher(feeds({"s/1"}, {"f/1"}), options);
    EXPECT_TRUE(publisher.open().isOk());
    auto stats = publisher.run();
    EXPECT_TRUE(stats && stats->updates > 0);
  };
  publishWith(*strangerKeys);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(rx.ingest->stats().updates, 0u) << "a key not on the allow-list got values in";
  publishWith(*simKeys);
  EXPECT_TRUE(rx.waitForUpdates(4, std::chrono::seconds(5)));
}

}  // namespace
}  // namespace gt::sim
