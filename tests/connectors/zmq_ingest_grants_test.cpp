// Issue 15 over real CURVE sockets (the per-message rules themselves: message_ingest_test.cpp): an admitted key writes
// only the entities its allow-list entry grants, the rest of its message kept, the drop counted and audited once a
// minute per key; the entry's max_interval_s caps the declared interval; a reload of the list changes the grant
// without a restart.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zmq.h>

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

// One message of `publisher` setting load_kw of `entities` to `seq`.
void sendLoad(CurvePub& pub, const std::string& publisher, std::uint64_t seq,
              const std::vector<std::string>& entities, Duration interval = kMicrosPerSecond) {
  Message m;
  m.topic = "energy.building";
  m.envelope.publisherId = publisher;
  m.envelope.sequence = seq;
  m.envelope.sourceTime = kT0 + static_cast<TimePoint>(seq);
  m.envelope.declaredInterval = interval;
  m.envelope.schemaId = "energy.building";
  for (const std::string& id : entities) {
    Update u;
    u.entityId = id;
    u.attribute = "load_kw";
    u.value = static_cast<double>(seq);
    m.updates.push_back(u);
  }
  auto frames = encodeBinary(m);
  ASSERT_TRUE(frames.isOk());
  pub.sendFrames({frames->topic, frames->envelope, frames->payload});
}

class ZmqIngestGrantsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* id : {"energy/building/1", "energy/building/2", "air/station/1"}) {
      ASSERT_TRUE(entities.add(id, "thing").isOk());
    }
    ASSERT_TRUE(entities.attributes().intern("load_kw", "kW").isOk());
    directory.publishFrom(entities);
    dir = testing::testFolder("ingest_grants");
    ASSERT_TRUE(writeKeyFile((dir / "twin.key").string(), twin));
    allowList = (dir / "allowed.toml").string();
    writeList({"energy/building/*"});
    sink = std::make_shared<CaptureSink>();
    spdlog::drop(kAuditLoggerName);
    spdlog::register_logger(std::make_shared<spdlog::logger>(kAuditLoggerName, sink));
  }
  void TearDown() override { spdlog::drop(kAuditLoggerName); }

  void writeList(std::vector<std::string> granted) {
    AllowList list;
    ASSERT_TRUE(list.add(AllowListEntry{"energy-feed", feed.publicKey, wallNow(), std::nullopt, {"energy"},
                                        std::move(granted), 60 * kMicrosPerSecond, false}));
    ASSERT_TRUE(list.save(allowList));
  }

  std::vector<SampleUpdate> drain() {
    std::vector<SampleUpdate> out;
    channel.drain(out);
    return out;
  }

  EntityStore entities;
  EntityDirectory directory;
  UpdateChannel channel{10000};
  FeedHealth health;
  std::filesystem::path dir;
  std::string allowList;
  KeyPair twin = newKeys("twin");
  KeyPair feed = newKeys("energy-feed");
  std::shared_ptr<CaptureSink> sink;
};

TEST_F(ZmqIngestGrantsTest, AKeyWritesOnlyItsGrantedEntitiesAndTheDropIsAudited) {
  ZmqIngestConfig c;
  c.endpoint = "tcp://127.0.0.1:*";
  c.bind = true;
  c.security.serverKeyFile = (dir / "twin.key").string();
  c.security.allowListFile = allowList;
  c.security.zapDomain = "energy";
  ZmqIngest ingest(c, channel, health, directory);
  ASSERT_TRUE(ingest.start().isOk());
  CurvePub pub(twin.publicKey, feed, ingest.endpoint());
  std::uint64_t seq = 0;
  // Slow joiner: send until the first message is in.
  ASSERT_TRUE(waitFor([&] {
    sendLoad(pub, "energy", ++seq, {"energy/building/1", "air/station/1"}, 7 * 86400 * kMicrosPerSecond);
    return waitFor([&] { return ingest.stats().accepted > 0; }, std::chrono::milliseconds(20));
  }));
  const std::uint64_t first = ingest.stats().accepted;
  for (int i = 0; i < 3; ++i) {
    sendLoad(pub, "energy", ++seq, {"energy/building/1", "air/station/1"}, 7 * 86400 * kMicrosPerSecond);
  }
  // Every message: energy/building/1 kept, air/station/1 dropped and counted.
  ZmqIngestStats s;
  EXPECT_TRUE(waitFor([&] {
    s = ingest.stats();
    return s.accepted >= first + 3 && s.updates == s.accepted && s.ungrantedUpdates == s.accepted;
  })) << "accepted " << s.accepted << ", updates " << s.updates << ", ungranted " << s.ungrantedUpdates;
  for (const SampleUpdate& u : drain()) EXPECT_EQ(entities.get(u.entity)->id, "energy/building/1");
  // The key's max_interval_s (60 s) caps the week the message declares.
  EXPECT_EQ(health.health("energy", wallNow()).declaredInterval, 60 * kMicrosPerSecond);
  // One audit line a minute for the key, however many messages.
  EXPECT_EQ(sink->count({"AUDIT drop", "source=energy", "key=" + feed.publicKey, "name=energy-feed",
                         "publisher=energy", "entity=air/station/1", "may not write entity 'air/station/1'",
                         "granted: energy/building/*"}),
            1u)
      << ::testing::PrintToString(sink->lines());

  // Granting the station in the file takes effect without a restart.
  writeList({"energy/building/*", "air/station/*"});
  ASSERT_TRUE(waitFor([&] {
    sendLoad(pub, "energy", ++seq, {"air/station/1"});
    return waitFor([&] { return ingest.stats().updates > s.updates; }, std::chrono::milliseconds(20));
  }));
}

}  // namespace
}  // namespace gt::connectors
