// Simulator benchmark (docs/simulator.md "Throughput"): greentwin-sim's engine publishing the demo's 60,000
// buildings (energy.building, 3 values each: models evaluated, binary messages of 4000 updates encoded and sent)
// as fast as it can over ZeroMQ tcp loopback to a SUB socket that receives every message. Prints:
//   BENCH sim_updates_per_s <v> updates/s target >=100000
// Rate: updates received / (first message received -> last received); the SUB has an unlimited HWM and the PUB a
// large one, so nothing is dropped (a drop would show as fewer updates received than sent). Best of 3.

#include <zmq.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>

#include "bench_support.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/sim/feeds.hpp"
#include "greentwin/sim/publisher.hpp"
#include "greentwin/sim/world.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr std::uint64_t kUpdates = 1'500'000;

// Receives until `expected` updates arrived or nothing came for 2 s; returns (updates, seconds first -> last).
std::pair<std::uint64_t, double> receive(void* sub, std::uint64_t expected) {
  std::uint64_t updates = 0;
  Clock::time_point first{}, last{};
  zmq_msg_t frame;
  zmq_msg_init(&frame);
  int part = 0;
  while (updates < expected) {
    zmq_pollitem_t item{sub, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, 2000) <= 0) break;
    while (zmq_msg_recv(&frame, sub, ZMQ_DONTWAIT) >= 0) {
      if (part == 2 && zmq_msg_size(&frame) >= 16) {  // binary payload: N records at offset 12 (docs/protocol.md)
        std::uint32_t n = 0;
        std::memcpy(&n, static_cast<const char*>(zmq_msg_data(&frame)) + 12, sizeof n);
        updates += n;
        last = Clock::now();
        if (first == Clock::time_point{}) first = last;
      }
      part = zmq_msg_more(&frame) ? part + 1 : 0;
    }
  }
  zmq_msg_close(&frame);
  return {updates, std::chrono::duration<double>(last - first).count()};
}

}  // namespace

int main() {
  const std::string configPath = std::string(GT_SOURCE_DIR) + "/assets/demo/greentwin.toml";
  auto config = gt::loadConfigFile(configPath, gt::ConfigSchema::commonOnly());  // the parts the simulator reads
  if (!config) {
    std::fprintf(stderr, "sim_bench: %s\n", config.status().message().c_str());
    return 1;
  }
  double best = 0;
  for (int run = 0; run < 3; ++run) {
    auto loaded = gt::sim::loadWorld(*config, {"energy"});
    if (!loaded) {
      std::fprintf(stderr, "sim_bench: %s\n", loaded.status().message().c_str());
      return 1;
    }
    loaded->world.substations.clear();  // buildings only: one feed, a steady stream
    auto feeds = gt::sim::makeFeeds(std::move(loaded->world), {"energy"}, 1);

    void* ctx = zmq_ctx_new();
    void* sub = zmq_socket(ctx, ZMQ_SUB);
    const int unlimited = 0;
    zmq_setsockopt(sub, ZMQ_RCVHWM, &unlimited, sizeof unlimited);
    zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "", 0);
    zmq_bind(sub, "tcp://127.0.0.1:*");
    char endpoint[256];
    std::size_t size = sizeof endpoint;
    zmq_getsockopt(sub, ZMQ_LAST_ENDPOINT, endpoint, &size);

    gt::sim::PublishOptions options;
    options.endpoint = endpoint;
    options.unthrottled = true;
    options.maxUpdates = kUpdates;
    options.sendHighWaterMark = 0;  // unlimited: measure throughput, not drops
    options.connectDelayS = 0.5;
    gt::sim::PublishStats stats;
    std::pair<std::uint64_t, double> got{0, 0};
    {
      gt::sim::SimPublisher publisher(std::move(feeds), options);
      if (gt::Status s = publisher.open(); !s) {
        std::fprintf(stderr, "sim_bench: %s\n", s.message().c_str());
        return 1;
      }
      std::thread receiver([&] { got = receive(sub, kUpdates); });
      auto result = publisher.run();
      receiver.join();
      if (!result) {
        std::fprintf(stderr, "sim_bench: %s\n", result.status().message().c_str());
        return 1;
      }
      stats = *result;
    }
    zmq_close(sub);
    std::fprintf(stderr, "run %d: sent %llu updates (%.0f/s), received %llu in %.3f s\n", run,
                 static_cast<unsigned long long>(stats.updates), stats.updatesPerSecond(),
                 static_cast<unsigned long long>(got.first), got.second);
    if (got.first >= stats.updates && got.second > 0) best = std::max(best, static_cast<double>(got.first) / got.second);
    zmq_ctx_term(ctx);
  }
  gt::bench::printBench("sim_updates_per_s", best, "updates/s", false, 100000, "%.0f");
  return 0;
}
