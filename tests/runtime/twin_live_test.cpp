// The twin with a live source: a publisher on loopback → ingest thread → channel → time-series store, applied
// once per update(); feed health and source errors visible to the UI.
#include <gtest/gtest.h>
#include <zmq.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "../support/demo_plugin_config.hpp"
#include "../support/loopback_publisher.hpp"
#include "../support/twin_test_setup.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/zmq_source.hpp"
#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/connectors/feed_attributes.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

// Security "none": the data path; CURVE is tested below and in connectors_zmq_ingest_curve_test.
Config realLayersWithSource(const std::string& endpoint, bool bind) {
  Config config = testing::demoRealLayers();
  SourceConfig source = testing::loopbackFeedSource("test-feed");
  editZmqOptions(source).endpoint = endpoint;
  editZmqOptions(source).bind = bind;
  config.sources = {source};
  return config;
}

// Runs `command` (a publisher process) while updating the twin until all 12 air-quality stations of the demo have a
// pm25 value, or 20 s; expects the publisher to exit 0 and every station to have a value.
void expectEveryStationFedBy(Twin& twin, const std::string& command) {
  int exitCode = -1;
  std::thread publisher([&] { exitCode = std::system(command.c_str()); });
  std::size_t stationsWithValues = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (stationsWithValues < 12 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    twin.update();
    const auto pm25 = twin.entities().attributes().find("pm25");
    if (!pm25) continue;
    stationsWithValues = 0;
    for (int i = 1; i <= 12; ++i) {
      char id[64];
      std::snprintf(id, sizeof id, "city-aq-stations/aq-%02d", i);
      const auto entity = twin.entities().find(id);
      if (entity && twin.timeSeries().latest(*entity, *pm25)) ++stationsWithValues;
    }
  }
  publisher.join();
  EXPECT_EQ(exitCode, 0) << command;
  EXPECT_EQ(stationsWithValues, 12u);
}

class Publisher : public testing::LoopbackPublisher {
 public:
  using LoopbackPublisher::LoopbackPublisher;

  void send(std::uint64_t sequence, TimePoint time, double pm25) {
    connectors::Message m;
    m.topic = "air.station";
    m.envelope.publisherId = "test-publisher";
    m.envelope.sequence = sequence;
    m.envelope.sourceTime = time;
    m.envelope.schemaId = "air.station";
    m.envelope.declaredInterval = kMicrosPerSecond;
    m.updates.push_back({"tongzhou-district/0", "pm25", pm25, "ug/m3", std::nullopt});
    publish(m);
  }

};

TEST(TwinLive, PublishedValuesReachTheStoreAndTheFeedIsLive) {
  auto twin = Twin::create(realLayersWithSource("tcp://127.0.0.1:*", true));
  ASSERT_TRUE(twin) << twin.status().message();
  ASSERT_EQ((*twin)->sources().size(), 1u);
  ASSERT_TRUE((*twin)->sources()[0].status.isOk()) << (*twin)->sources()[0].status.message();
  const std::string endpoint = (*twin)->sources()[0].endpoint;
  ASSERT_NE(endpoint.find("tcp://127.0.0.1:"), std::string::npos);
  const auto district = (*twin)->entities().find("tongzhou-district/0");
  ASSERT_TRUE(district.has_value());

  Publisher publisher(endpoint);
  const TimePoint t0 = wallNow();
  // PUB/SUB joins slowly and the attribute is new to the twin (its first samples are counted, then registered):
  // keep publishing until a value arrives, bounded.
  std::uint64_t sequence = 1;
  std::optional<AttributeId> pm25;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    publisher.send(sequence, t0 + static_cast<TimePoint>(sequence) * 1000, 35.0 + static_cast<double>(sequence));
    ++sequence;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    (*twin)->update();
    pm25 = (*twin)->entities().attributes().find("pm25");
    if (pm25 && (*twin)->timeSeries().latest(*district, *pm25)) break;
  }
  ASSERT_TRUE(pm25.has_value()) << "the feed's attribute was never registered";
  const auto latest = (*twin)->timeSeries().latest(*district, *pm25);
  ASSERT_TRUE(latest.has_value()) << "no published value reached the store";
  // The value at the sample's own time is what was published for that time.
  const auto seq = static_cast<double>((latest->sampleTime - t0) / 1000);
  EXPECT_DOUBLE_EQ(latest->value, 35.0 + seq);
  EXPECT_GT((*twin)->samplesApplied(), 0u);
  const auto health = (*twin)->feedHealth();
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].publisher, "test-publisher");
  EXPECT_EQ(health[0].state, FeedState::Live);
  EXPECT_EQ(health[0].gaps, 0u);
}

// Issue 15: a feed adds attribute names only within [feeds]; here "pm25" is longer than the 3 bytes allowed, so it is
// never registered and its updates stay dropped and counted as unknown attributes.
TEST(TwinLive, AFeedAddsNoAttributeNameBeyondTheFeedsLimits) {
  Config config = realLayersWithSource("tcp://127.0.0.1:*", true);
  editConfigSection<connectors::FeedsConfig>(config, connectors::kFeedsSection).maxAttributeNameBytes = 3;
  auto twin = Twin::create(config);
  ASSERT_TRUE(twin) << twin.status().message();
  ASSERT_TRUE((*twin)->sources()[0].status.isOk()) << (*twin)->sources()[0].status.message();
  Publisher publisher((*twin)->sources()[0].endpoint);
  const TimePoint t0 = wallNow();
  std::uint64_t unknown = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  for (std::uint64_t sequence = 1; unknown < 20 && std::chrono::steady_clock::now() < deadline; ++sequence) {
    publisher.send(sequence, t0 + static_cast<TimePoint>(sequence) * 1000, 1.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    (*twin)->update();
    const auto sources = (*twin)->feedSources();
    if (!sources.empty() && sources[0].ingest) unknown = sources[0].ingest->unknownAttributes;
  }
  EXPECT_GE(unknown, 20u);  // many updates (and frames of the twin) later ...
  EXPECT_FALSE((*twin)->entities().attributes().find("pm25").has_value());  // ... still not registered
}

TEST(TwinLive, ASourceThatCannotStartIsReportedAndTheTwinRunsOn) {
  auto twin = Twin::create(realLayersWithSource("tcp://not-an-address:99999", true));
  ASSERT_TRUE(twin) << twin.status().message();
  ASSERT_EQ((*twin)->sources().size(), 1u);
  EXPECT_FALSE((*twin)->sources()[0].status.isOk());
  EXPECT_EQ((*twin)->layers().size(), 3u);
  (*twin)->update();  // no ingest running: nothing to apply, no crash
  EXPECT_EQ((*twin)->samplesApplied(), 0u);
}

// Any language can feed the twin: the example Python publisher (Debian's python3-zmq) against a twin that binds.
TEST(TwinLive, ThePythonExamplePublisherFeedsEveryAirQualityStation) {
  auto config = loadConfig(demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.id != "city-aq-stations"; });
  SourceConfig source = testing::loopbackFeedSource("python");
  config->sources = {source};
  auto twin = Twin::create(*config);
  ASSERT_TRUE(twin) << twin.status().message();
  ASSERT_TRUE((*twin)->sources().at(0).status.isOk());
  const std::string command = std::string(GT_PYTHON) + " " + GT_TEST_SOURCE_DIR +
                              "/examples/publishers/air_quality_publisher.py --connect --endpoint " +
                              (*twin)->sources()[0].endpoint + " --interval 0.05 --count 80";
  // The attribute names arrive with the first messages (registered then), the values with the next ones.
  expectEveryStationFedBy(**twin, command);
  const auto health = (*twin)->feedHealth();
  ASSERT_EQ(health.size(), 1u);
  EXPECT_EQ(health[0].publisher, "py-air-quality");
  EXPECT_EQ(health[0].gaps, 0u);
}

// docs/security.md end to end: a CURVE source (the default) with key files made by the connectors' key API; the
// example Python publisher gets nothing in without keys, and feeds every station with its key file.
TEST(TwinLive, ThePythonPublisherFeedsACurveSourceOnlyWithAnAdmittedKey) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "twin_live_curve";
  fs::remove_all(dir);
  fs::create_directories(dir);
  auto twinKeys = connectors::generateKeyPair("twin");
  auto feedKeys = connectors::generateKeyPair("py-air");
  ASSERT_TRUE(twinKeys && feedKeys);
  connectors::KeyPair twinPublic = *twinKeys;
  twinPublic.secretKey.clear();
  ASSERT_TRUE(connectors::writeKeyFile((dir / "twin.key").string(), *twinKeys));
  ASSERT_TRUE(connectors::writeKeyFile((dir / "twin.pub").string(), twinPublic));
  ASSERT_TRUE(connectors::writeKeyFile((dir / "py-air.key").string(), *feedKeys));
  connectors::AllowList allowed;
  ASSERT_TRUE(allowed.add("py-air", feedKeys->publicKey, wallNow(), {"py-air-quality"}));
  ASSERT_TRUE(allowed.save((dir / "allowed.toml").string()));

  auto config = loadConfig(demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.id != "city-aq-stations"; });
  SourceConfig source;
  source.id = "python-curve";
  source.type = "zmq";
  editZmqOptions(source).endpoint = "tcp://127.0.0.1:*";
  editZmqOptions(source).bind = true;
  editZmqOptions(source).serverKey = (dir / "twin.key").string();  // security = "curve" is the default
  editZmqOptions(source).allowedKeys = (dir / "allowed.toml").string();
  config->sources = {source};
  auto twin = Twin::create(*config);
  ASSERT_TRUE(twin) << twin.status().message();
  ASSERT_TRUE((*twin)->sources().at(0).status.isOk()) << (*twin)->sources()[0].status.message();
  const std::string base = std::string(GT_PYTHON) + " " + GT_TEST_SOURCE_DIR +
                           "/examples/publishers/air_quality_publisher.py --connect --endpoint " +
                           (*twin)->sources()[0].endpoint + " --interval 0.05";

  // Without keys (plain ZeroMQ): refused at the handshake, nothing arrives.
  ASSERT_EQ(std::system((base + " --count 10").c_str()), 0);
  for (int i = 0; i < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    (*twin)->update();
  }
  EXPECT_TRUE((*twin)->feedHealth().empty());
  EXPECT_EQ((*twin)->samplesApplied(), 0u);

  // With its admitted key: every station gets values.
  const std::string command = base + " --count 80 --server-key " + (dir / "twin.pub").string() + " --key-file " +
                              (dir / "py-air.key").string();
  expectEveryStationFedBy(**twin, command);

  // A public-only file where the publisher's own pair belongs is a clear error, not a silent plain connection.
  const std::string wrong = base + " --count 1 --server-key " + (dir / "twin.pub").string() + " --key-file " +
                            (dir / "twin.pub").string() + " 2>&1";
  FILE* p = popen(wrong.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string output;
  char buf[256];
  while (std::fgets(buf, sizeof buf, p) != nullptr) output += buf;
  EXPECT_NE(pclose(p), 0);
  EXPECT_NE(output.find("twin.pub: 'secret' is missing"), std::string::npos) << output;
}

}  // namespace
}  // namespace gt::runtime
