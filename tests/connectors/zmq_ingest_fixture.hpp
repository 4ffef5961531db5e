#pragma once
// Shared by the ingest tests that publish over loopback and inproc (zmq_ingest_test: the data path;
// zmq_ingest_curve_test: the CURVE allow-list): a PUB socket, a config helper, messages and their encoding, and the
// fixture that owns the ingest's channel, feed health, entity directory and the store the tests drain into.

#include <gtest/gtest.h>
#include <zmq.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/time_series.hpp"
#include "security_test_support.hpp"

namespace gt::connectors::testing {

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

inline ZmqIngestConfig cfg(std::string endpoint, bool bind, const std::function<void(ZmqIngestConfig&)>& more = {}) {
  ZmqIngestConfig c;
  c.endpoint = std::move(endpoint);
  c.bind = bind;
  c.security.mode = IngestSecurity::Unauthenticated;
  if (more) more(c);
  return c;
}

inline const TimePoint kT0 = (wallNow() / kMicrosPerSecond - 3600) * kMicrosPerSecond;  // an hour ago, whole second

inline Message makeMessage(const std::string& publisher, std::uint64_t seq, TimePoint t,
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

inline WireFrames encode(const Message& m, bool binary) {
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

}  // namespace gt::connectors::testing
