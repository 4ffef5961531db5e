// Feed fan-in cost (issue 15, docs/security.md "Fan-in through a proxy"): a CURVE publisher → FeedProxy → a CURVE
// ZmqIngest, against the same publisher connected to the same kind of ingest directly, in the same run. Binary
// payloads of 100 updates per message, 10000 messages; no high-water mark anywhere, so nothing is dropped, and rates
// are messages / (first send → last message accepted). Best of 3 each, interleaved. Prints:
//   BENCH proxy_forward_msgs_per_s <v> msgs/s target >=10000
//   BENCH proxy_vs_direct <proxy/direct> x target >=0.5 (no target in the issue: the proxy adds a CURVE decrypt and
//   encrypt and a hop; on 2 shared cores the publisher's, the proxy's and the twin's threads share the CPUs)

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
#include "greentwin/connectors/feed_proxy.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"

namespace {

using namespace gt;
using namespace gt::connectors;
using Clock = std::chrono::steady_clock;

constexpr int kEntities = 100;
constexpr int kMessages = 10000;

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
  KeyPair proxy = *generateKeyPair("feed-proxy");
  KeyPair feed = *generateKeyPair("bench-feed");
  std::filesystem::path dir;
  std::string file(const char* name) const { return (dir / name).string(); }
};

// messages/s into one ingest, directly or through a proxy; 0 if not everything arrived.
double run(bool throughProxy, const Keys& keys, const std::vector<WireFrames>& data) {
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
  config.security.serverKeyFile = keys.file("twin.key");
  config.security.allowListFile = keys.file("twin-allowed.toml");
  ZmqIngest ingest(config, channel, health, directory);
  if (!ingest.start()) return 0;
  std::unique_ptr<FeedProxy> proxy;
  std::string endpoint = ingest.endpoint();
  std::string serverKey = keys.twin.publicKey;
  if (throughProxy) {
    FeedProxyConfig p;
    p.frontEndpoint = "tcp://127.0.0.1:*";
    p.serverKeyFile = keys.file("proxy.key");
    p.allowListFile = keys.file("proxy-allowed.toml");
    p.twins = {{ingest.endpoint(), keys.twin.publicKey}};
    p.receiveHighWaterMark = 0;
    p.sendHighWaterMark = 0;
    p.statsIntervalMs = 0;
    proxy = std::make_unique<FeedProxy>(p);
    if (!proxy->start()) return 0;
    endpoint = proxy->frontEndpoint();
    serverKey = keys.proxy.publicKey;
  }

  void* ctx = zmq_ctx_new();
  void* pub = zmq_socket(ctx, ZMQ_PUB);
  const int zero = 0;
  zmq_setsockopt(pub, ZMQ_SNDHWM, &zero, sizeof zero);
  zmq_setsockopt(pub, ZMQ_LINGER, &zero, sizeof zero);
  zmq_setsockopt(pub, ZMQ_CURVE_SERVERKEY, serverKey.c_str(), kZ85KeyLength + 1);
  zmq_setsockopt(pub, ZMQ_CURVE_PUBLICKEY, keys.feed.publicKey.c_str(), kZ85KeyLength + 1);
  zmq_setsockopt(pub, ZMQ_CURVE_SECRETKEY, keys.feed.secretKey.c_str(), kZ85KeyLength + 1);
  zmq_connect(pub, endpoint.c_str());
  // Warm-up: sequence 1 until one arrives (subscriptions reach the publisher, through the proxy too).
  const auto warmDeadline = Clock::now() + std::chrono::seconds(10);
  while (ingest.stats().accepted == 0 && Clock::now() < warmDeadline) {
    sendFrames(pub, data[0]);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::uint64_t expected = ingest.stats().accepted + kMessages;
  const auto t0 = Clock::now();
  for (int i = 1; i <= kMessages; ++i) sendFrames(pub, data[static_cast<std::size_t>(i)]);
  const auto deadline = t0 + std::chrono::seconds(60);
  std::vector<SampleUpdate> drained;
  while (ingest.stats().accepted < expected && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::microseconds(16'667));  // drain once per frame, as the twin does
    drained.clear();
    channel.drain(drained);
  }
  const double secs = std::chrono::duration<double>(Clock::now() - t0).count();
  const bool complete = ingest.stats().accepted >= expected;
  zmq_close(pub);
  zmq_ctx_term(ctx);
  return complete ? kMessages / secs : 0.0;
}

}  // namespace

int main() {
  Keys keys;
  keys.dir = std::filesystem::temp_directory_path() / "greentwin_proxy_bench";
  std::filesystem::remove_all(keys.dir);
  AllowList proxyList;
  AllowList twinList;
  const bool written =
      writeKeyFile(keys.file("twin.key"), keys.twin) && writeKeyFile(keys.file("proxy.key"), keys.proxy) &&
      proxyList.add("bench-feed", keys.feed.publicKey, wallNow(), {"bench"}) &&
      proxyList.save(keys.file("proxy-allowed.toml")) &&
      twinList.add(AllowListEntry{"feed-proxy", keys.proxy.publicKey, wallNow(), std::nullopt, {}, {}, 0, true}) &&
      twinList.add("bench-feed", keys.feed.publicKey, wallNow(), {"bench"}) &&
      twinList.save(keys.file("twin-allowed.toml"));
  if (!written) {
    std::fprintf(stderr, "cannot write the bench's key files in %s\n", keys.dir.c_str());
    return 1;
  }
  std::vector<WireFrames> data;
  for (int i = 0; i <= kMessages; ++i) data.push_back(makeFrames(static_cast<std::uint64_t>(i) + 1));
  double direct = 0;
  double proxied = 0;
  for (int rep = 0; rep < 3; ++rep) {  // interleaved, so drift in machine load hits both
    direct = std::max(direct, run(false, keys, data));
    proxied = std::max(proxied, run(true, keys, data));
  }
  std::printf("direct %.0f msgs/s, through the proxy %.0f msgs/s (%d updates a message)\n", direct, proxied,
              kEntities);
  gt::bench::printBench("proxy_forward_msgs_per_s", proxied, "msgs/s", false, 1e4, "%.0f");
  gt::bench::printBench("proxy_vs_direct", direct > 0 ? proxied / direct : 0.0, "x", false, 0.5);
  std::filesystem::remove_all(keys.dir);
  return 0;
}
