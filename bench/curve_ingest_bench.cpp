// CURVE cost on the live path (issue 4 part 3, docs/security.md): ZmqIngest over tcp loopback with CURVE + the ZAP
// allow-list (and the per-message User-Id check) against the same ingest unauthenticated, in the same run.
// Binary payloads of 1000 updates per message, 2000 messages; the channel is large enough that nothing is dropped,
// and rates are updates / (first send → last update counted). Best of 3 each. Prints:
//   BENCH curve_ingest_updates_per_s <v> updates/s target >=1000000
//   BENCH curve_ingest_vs_plain <curve/plain> x target >=0.5 (no target in the issue: encryption may at most halve
//   the rate; on 2 shared cores the publisher's and the twin's I/O threads encrypt/decrypt on the same CPUs)

#include <zmq.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.hpp"
#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"

namespace {

using namespace gt;
using namespace gt::connectors;
using Clock = std::chrono::steady_clock;

constexpr int kEntities = 1000;
constexpr int kMessages = 2000;

WireFrames makeFrames(std::uint64_t seq) {
  Message m;
  m.topic = "energy.building";
  m.envelope.publisherId = "bench";
  m.envelope.sequence = seq;
  m.envelope.sourceTime = wallNow() - 3600 * kMicrosPerSecond;
  m.envelope.schemaId = "energy.building";
  for (int i = 0; i < kEntities; ++i) {
    m.updates.push_back(Update{"building/" + std::to_string(i), "power_kw", double(i), "", std::nullopt});
  }
  return *encodeBinary(m);
}

void sendFrames(void* sock, const WireFrames& f) {
  zmq_send(sock, f.topic.data(), f.topic.size(), ZMQ_SNDMORE);
  zmq_send(sock, f.envelope.data(), f.envelope.size(), ZMQ_SNDMORE);
  zmq_send(sock, f.payload.data(), f.payload.size(), 0);
}

struct Keys {
  KeyPair twin = *generateKeyPair("twin");
  KeyPair feed = *generateKeyPair("bench-feed");
  std::string serverKeyFile;
  std::string allowListFile;
};

// updates/s through one ingest; 0 if not everything arrived.
double run(bool curve, const Keys& keys, const std::vector<WireFrames>& data) {
  EntityStore entities;
  for (int i = 0; i < kEntities; ++i) (void)entities.add("building/" + std::to_string(i), "building");
  (void)entities.attributes().intern("power_kw", "kW");
  EntityDirectory directory;
  directory.publishFrom(entities);
  UpdateChannel channel(std::size_t{kMessages + 8} * kEntities);
  FeedHealth health;
  ZmqIngestConfig config;
  config.endpoint = "tcp://127.0.0.1:*";
  config.bind = true;
  config.receiveHighWaterMark = 0;
  config.security.mode = curve ? IngestSecurity::Curve : IngestSecurity::Unauthenticated;
  config.security.serverKeyFile = keys.serverKeyFile;
  config.security.allowListFile = keys.allowListFile;
  ZmqIngest ingest(config, channel, health, directory);
  if (!ingest.start()) return 0;

  void* ctx = zmq_ctx_new();
  void* pub = zmq_socket(ctx, ZMQ_PUB);
  const int zero = 0;
  zmq_setsockopt(pub, ZMQ_SNDHWM, &zero, sizeof zero);
  zmq_setsockopt(pub, ZMQ_LINGER, &zero, sizeof zero);
  if (curve) {
    zmq_setsockopt(pub, ZMQ_CURVE_SERVERKEY, keys.twin.publicKey.c_str(), 41);
    zmq_setsockopt(pub, ZMQ_CURVE_PUBLICKEY, keys.feed.publicKey.c_str(), 41);
    zmq_setsockopt(pub, ZMQ_CURVE_SECRETKEY, keys.feed.secretKey.c_str(), 41);
  }
  zmq_connect(pub, ingest.endpoint().c_str());
  // Warm-up: sequence 1 until one arrives (the slow joiner), then the timed messages.
  const auto warmDeadline = Clock::now() + std::chrono::seconds(10);
  while (ingest.stats().accepted == 0 && Clock::now() < warmDeadline) {
    sendFrames(pub, data[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::uint64_t before = ingest.stats().updates;
  const std::uint64_t expected = before + std::uint64_t{kMessages} * kEntities;
  const auto t0 = Clock::now();
  for (int i = 1; i <= kMessages; ++i) sendFrames(pub, data[static_cast<std::size_t>(i)]);
  const auto deadline = t0 + std::chrono::seconds(60);
  std::vector<SampleUpdate> drained;
  while (ingest.stats().updates < expected && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(16'667));  // drain once per frame, as the twin does
    drained.clear();
    channel.drain(drained);
  }
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const bool complete = ingest.stats().updates >= expected;
  zmq_close(pub);
  zmq_ctx_term(ctx);
  return complete ? static_cast<double>(kMessages) * kEntities / secs : 0.0;
}

}  // namespace

int main() {
  const auto dir = std::filesystem::temp_directory_path() / "greentwin_curve_bench";
  std::filesystem::remove_all(dir);
  Keys keys;
  keys.serverKeyFile = (dir / "twin.key").string();
  keys.allowListFile = (dir / "allowed.toml").string();
  AllowList list;
  if (!writeKeyFile(keys.serverKeyFile, keys.twin) || !list.add("bench-feed", keys.feed.publicKey, wallNow(), {"bench"}) ||
      !list.save(keys.allowListFile)) {
    std::fprintf(stderr, "cannot write the bench's key files in %s\n", dir.c_str());
    return 1;
  }
  std::vector<WireFrames> data;
  for (int i = 0; i <= kMessages; ++i) data.push_back(makeFrames(static_cast<std::uint64_t>(i) + 1));
  double plain = 0;
  double curve = 0;
  for (int rep = 0; rep < 3; ++rep) {  // interleaved, so drift in machine load hits both
    plain = std::max(plain, run(false, keys, data));
    curve = std::max(curve, run(true, keys, data));
  }
  std::printf("plain %.0f updates/s, curve %.0f updates/s\n", plain, curve);
  gt::bench::printBench("curve_ingest_updates_per_s", curve, "updates/s", false, 1e6, "%.0f");
  gt::bench::printBench("curve_ingest_vs_plain", plain > 0 ? curve / plain : 0.0, "x", false, 0.5);
  std::filesystem::remove_all(dir);
  return 0;
}
