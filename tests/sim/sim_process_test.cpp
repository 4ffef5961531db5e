// The real greentwin-sim process on loopback: against a twin built from the demo config (every domain's entities
// receive values under the ids the twin registers), and against the ingest at --rate 100000 (counts, not timings).
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/zmq_source.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/runtime/twin.hpp"

extern char** environ;

namespace gt::viewer {
namespace {

// A child process, terminated (SIGTERM, then SIGKILL) and reaped when destroyed.
class Process {
 public:
  explicit Process(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
  }
  ~Process() {
    if (pid_ <= 0 || exited_) return;
    kill(pid_, SIGTERM);
    if (!waitExit(std::chrono::seconds(5))) {
      kill(pid_, SIGKILL);
      waitExit(std::chrono::seconds(5));
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  bool started() const { return pid_ > 0; }
  // Waits for the process to end; its exit status then in exitCode().
  bool waitExit(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!exited_ && std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        exitCode_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return exited_;
  }
  int exitCode() const { return exitCode_; }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int exitCode_ = -1;
};

TEST(SimProcess, FeedsEveryDomainOfTheDemoTwin) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  const std::set<std::string> keep = {"city-aq-stations", "city-buildings", "city-substations", "city-roads",
                                      "city-green-spaces", "fzk-haus", "water-dmas", "river-sections"};
  std::erase_if(config->layers, [&](const LayerConfig& l) { return !keep.contains(l.id); });
  SourceConfig source;
  source.id = "sim";
  source.type = "zmq";
  runtime::editZmqOptions(source).endpoint = "tcp://127.0.0.1:*";
  runtime::editZmqOptions(source).bind = true;
  runtime::editZmqOptions(source).security = "none";
  config->sources = {source};
  auto twin = runtime::Twin::create(*config);
  ASSERT_TRUE(twin) << twin.status().message();
  ASSERT_TRUE((*twin)->sources().at(0).status.isOk()) << (*twin)->sources()[0].status.message();

  Process sim({GT_SIM_EXE, "--endpoint", (*twin)->sources()[0].endpoint, "--config", runtime::demoConfigPath(),
               "--interval-s", "1", "--duration", "120", "--seed", "3"});
  ASSERT_TRUE(sim.started());

  // One attribute per domain, checked on every entity of its layer (kind = the layer id's last word).
  struct Check {
    const char* kind;
    const char* attribute;
    double lo, hi;
    std::size_t withValue = 0, total = 0;
  };
  std::vector<Check> checks = {{"stations", "pm25", 2, 600},        {"building", "load_kw", 0, 1e5},
                               {"substations", "net_mw", -1e4, 1e4}, {"roads", "speed_kmh", 0.1, 130},
                               {"spaces", "soil_moisture_pct", 3, 45},
                               // the demo's BIM model: load per storey (docs/bim.md "Storeys as entities")
                               {"storey", "load_kw", 0, 100},
                               // the water network: 24 h inflow per DMA, COD per river section
                               {"dmas", "inflow_24h_m3", 1e4, 1e6}, {"sections", "cod_mg_l", 1, 60}};
  auto allFed = [&] {
    bool all = true;
    for (Check& c : checks) {
      c.withValue = 0;
      const auto attribute = (*twin)->entities().attributes().find(c.attribute);
      const auto entities = (*twin)->entities().ofKind(c.kind);
      c.total = entities.size();
      if (!attribute) {
        all = false;
        continue;
      }
      for (const EntityIndex e : entities) {
        const auto sample = (*twin)->timeSeries().latest(e, *attribute);
        if (sample && sample->value >= c.lo && sample->value <= c.hi) ++c.withValue;
      }
      all = all && c.total > 0 && c.withValue == c.total;
    }
    return all;
  };
  // The sim reads the demo (a few seconds), then sweeps every entity each second; the first sweep introduces the
  // attribute names, the next ones reach the store.
  bool fed = false;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(90);
  while (!fed && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    (*twin)->update();
    fed = allFed();
  }
  for (const Check& c : checks) {
    EXPECT_GT(c.total, 0u) << c.kind;
    EXPECT_EQ(c.withValue, c.total) << c.kind << "." << c.attribute;
  }
  ASSERT_TRUE(fed);
  // One live publisher per domain, declaring the 1 s interval.
  std::set<std::string> publishers;
  for (const auto& h : (*twin)->feedHealth()) {
    publishers.insert(h.publisher);
    EXPECT_EQ(h.state, FeedState::Live) << h.publisher;
  }
  EXPECT_EQ(publishers, (std::set<std::string>{"greentwin-sim-air", "greentwin-sim-energy", "greentwin-sim-forest",
                                               "greentwin-sim-traffic", "greentwin-sim-water"}));
}

TEST(SimProcess, RateOfOneHundredThousandUpdatesPerSecondIsDelivered) {
  EntityStore entities;  // empty: every update is counted as an unknown entity, which is all this test needs
  EntityDirectory directory;
  directory.publishFrom(entities);
  UpdateChannel channel(1'000'000);
  FeedHealth health;
  connectors::ZmqIngestConfig config;
  config.endpoint = "tcp://127.0.0.1:*";
  config.bind = true;
  config.receiveHighWaterMark = 0;
  config.security.mode = connectors::IngestSecurity::Unauthenticated;
  connectors::ZmqIngest ingest(config, channel, health, directory);
  ASSERT_TRUE(ingest.start().isOk());
  auto delivered = [&] {
    const auto s = ingest.stats();
    return s.updates + s.unknownEntities + s.unknownAttributes;
  };

  Process sim({GT_SIM_EXE, "--endpoint", ingest.endpoint(), "--config", runtime::demoConfigPath(), "--domains", "energy",
               "--rate", "100000", "--duration", "3", "--encoding", "binary"});
  ASSERT_TRUE(sim.started());
  ASSERT_TRUE(sim.waitExit(std::chrono::seconds(120)));
  EXPECT_EQ(sim.exitCode(), 0);
  // 3 s at 100k/s is 300k updates; ask for at least 100k within a loose window.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (delivered() < 100'000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GE(delivered(), 100'000u);
  EXPECT_LE(delivered(), 310'000u);  // the rate is a rate, not a flood
  EXPECT_EQ(ingest.stats().rejectTotal(), 0u);
  const auto publishers = health.snapshot(wallNow());
  ASSERT_EQ(publishers.size(), 1u);
  EXPECT_EQ(publishers[0].publisher, "greentwin-sim-energy");
}

TEST(SimProcess, BadArgumentsAreClearErrors) {
  Process badDomain({GT_SIM_EXE, "--domains", "air,weather", "--duration", "1"});
  ASSERT_TRUE(badDomain.waitExit(std::chrono::seconds(30)));
  EXPECT_EQ(badDomain.exitCode(), 1);
  Process badConfig({GT_SIM_EXE, "--config", "/no/such/greentwin.toml", "--duration", "1"});
  ASSERT_TRUE(badConfig.waitExit(std::chrono::seconds(30)));
  EXPECT_EQ(badConfig.exitCode(), 1);
}

}  // namespace
}  // namespace gt::viewer
