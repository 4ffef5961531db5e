// greentwin-sim: publishes realistic live feeds for the demo twin over the wire protocol (docs/simulator.md):
// air quality per station, building and substation electricity, road link traffic and buses, forest stands.
//
//   greentwin-sim --endpoint tcp://127.0.0.1:5560 [--bind] [--config assets/demo/greentwin.toml]
//                 [--domains air,energy,traffic,forest,water] [--rate N | --interval-s S] [--encoding json|binary]
//                 [--start ISO --speed F] [--duration S] [--publisher-id ID] [--seed N]
//                 [--server-key Z85|FILE --key-file FILE] [--report]
//
// Exit status: 0 done (duration reached or interrupted); 1 bad arguments, config, data or socket.

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <sstream>
#include <string>

#include "greentwin/core/config.hpp"
#include "greentwin/sim/feeds.hpp"
#include "greentwin/sim/publisher.hpp"
#include "greentwin/sim/sweep_recorder.hpp"
#include "greentwin/sim/world.hpp"

namespace {

std::atomic<bool> gStop{false};
static_assert(std::atomic<bool>::is_always_lock_free);
extern "C" void onSignal(int) { gStop.store(true); }

// The demo config: $GREENTWIN_ASSETS, else an installed tree beside this executable, else the source tree.
std::string defaultConfigPath(const char* argv0) {
  namespace fs = std::filesystem;
  if (const char* env = std::getenv("GREENTWIN_ASSETS"); env != nullptr && *env != '\0') {
    return (fs::path(env) / "demo" / "greentwin.toml").string();
  }
  std::error_code ec;
  const fs::path exe = fs::canonical(fs::path(argv0), ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "greentwin" / "demo" / "greentwin.toml";
    if (fs::exists(installed, ec)) return installed.string();
  }
  return std::string(GT_ASSETS_SOURCE_DIR) + "/demo/greentwin.toml";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"greentwin-sim: realistic live feeds (air, energy, traffic, forest) for the GreenTwin demo"};
  gt::sim::PublishOptions options;
  std::string configPath, domainsText = "air,energy,traffic,forest,water", encoding = "binary", start, serverKey, keyFile;
  double rate = 0, interval = 0;
  std::uint64_t seed = 1;
  bool report = false;
  app.add_option("--endpoint", options.endpoint, "ZeroMQ endpoint to connect to (or bind with --bind)")
      ->capture_default_str();
  app.add_flag("--bind", options.bind, "bind the PUB socket (the twin's source then connects)");
  app.add_option("--config", configPath, "twin config whose layers give the entities (default: the bundled demo)");
  app.add_option("--domains", domainsText, "comma-separated: air,energy,traffic,forest,water")->capture_default_str();
  auto* rateOpt = app.add_option("--rate", rate, "updates per second over all domains (1 .. 1e7)")
                      ->check(CLI::Range(1.0, 1e7));
  app.add_option("--interval-s", interval, "publish every entity every S seconds (default 5)")
      ->check(CLI::Range(0.01, 86400.0))
      ->excludes(rateOpt);
  app.add_option("--encoding", encoding, "payload encoding")->check(CLI::IsMember({"json", "binary"}))
      ->capture_default_str();
  app.add_option("--start", start, "simulated start time, ISO 8601 (\"2026-07-15T06:00:00+08:00\"); default: now");
  app.add_option("--speed", options.speed, "simulated seconds per wall second")->check(CLI::Range(0.001, 1e6));
  app.add_option("--duration", options.durationS, "wall seconds to run; 0 = until interrupted")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--max-updates", options.maxUpdates, "stop after this many updates; 0 = no limit");
  app.add_option("--publisher-id", options.publisherId, "publisher id prefix; each domain is <id>-<domain>")
      ->capture_default_str();
  app.add_option("--seed", seed, "random seed (the same seed gives the same values at the same time)")
      ->capture_default_str();
  app.add_option("--max-updates-per-message", options.maxUpdatesPerMessage, "batch size")
      ->check(CLI::Range(1, 100000))->capture_default_str();
  app.add_option("--server-key", serverKey, "CURVE: the twin's public key, Z85 or a key file");
  app.add_option("--key-file", keyFile, "CURVE: this publisher's key file (public and secret)");
  app.add_flag("--report", report, "print a summary line (updates, messages, updates/s) at the end");
  std::string recordPath;
  int sweeps = 2;
  auto* recordOpt = app.add_option("--record", recordPath,
                                   "write sweeps straight to this feed recording instead of publishing (with --start, "
                                   "--sweeps, --interval-s), for greentwin render --replay");
  app.add_option("--sweeps", sweeps, "with --record: how many sweeps, --interval-s apart (default 2)")
      ->check(CLI::Range(1, 1000))
      ->needs(recordOpt);
  recordOpt->excludes(rateOpt);
  CLI11_PARSE(app, argc, argv);

  spdlog::set_pattern("[%H:%M:%S.%e] [%^%l%$] greentwin-sim: %v");
  std::set<std::string> domains;
  std::stringstream list(domainsText);
  for (std::string d; std::getline(list, d, ',');) {
    if (d.empty()) continue;
    if (!gt::sim::allDomains().contains(d)) {
      std::fprintf(stderr, "greentwin-sim: unknown domain '%s' (known: air, energy, traffic, forest)\n", d.c_str());
      return 1;
    }
    domains.insert(d);
  }
  if (domains.empty()) {
    std::fprintf(stderr, "greentwin-sim: --domains names no domain\n");
    return 1;
  }
  options.rate = rate;
  options.intervalS = interval > 0 ? interval : 5.0;
  options.binary = encoding == "binary";
  if (!start.empty()) {
    auto t = gt::parseIsoTime(start);
    if (!t) {
      std::fprintf(stderr, "greentwin-sim: --start: %s\n", t.status().message().c_str());
      return 1;
    }
    options.simStart = *t;
  } else if (options.speed != 1.0) {
    options.simStart = gt::wallNow();
  }
  if (!serverKey.empty() || !keyFile.empty()) {
    if (serverKey.empty() || keyFile.empty()) {
      std::fprintf(stderr, "greentwin-sim: CURVE needs both --server-key and --key-file\n");
      return 1;
    }
    auto server = gt::sim::readCurveKey(serverKey, false);
    auto client = gt::sim::readCurveKey(keyFile, true);
    if (!server || !client) {
      std::fprintf(stderr, "greentwin-sim: %s\n", (!server ? server.status() : client.status()).message().c_str());
      return 1;
    }
    options.curveServerKey = server->publicKey;
    options.curvePublicKey = client->publicKey;
    options.curveSecretKey = client->secretKey;
  }

  if (configPath.empty()) configPath = defaultConfigPath(argv[0]);
  // The simulator reads the scene and the layers' sources: the common parts of the config (the twin checks the rest).
  auto config = gt::loadConfigFile(configPath, gt::ConfigSchema::commonOnly());
  if (!config) {
    std::fprintf(stderr, "greentwin-sim: %s\n", config.status().message().c_str());
    return 1;
  }
  auto loaded = gt::sim::loadWorld(*config, domains);
  if (!loaded) {
    std::fprintf(stderr, "greentwin-sim: %s\n", loaded.status().message().c_str());
    return 1;
  }
  for (const std::string& note : loaded->notes) spdlog::info("{}", note);
  auto feeds = gt::sim::makeFeeds(std::move(loaded->world), domains, seed);
  if (feeds.empty()) {
    std::fprintf(stderr, "greentwin-sim: the config '%s' has no entities for the domains asked for\n", configPath.c_str());
    return 1;
  }
  if (!recordPath.empty()) {  // no socket: the sweeps at the simulated times into a recording
    gt::sim::SweepRecordOptions record;
    record.path = recordPath;
    record.start = options.simStart.value_or(gt::wallNow());
    record.sweeps = sweeps;
    record.intervalS = options.intervalS;
    record.binary = options.binary;
    record.publisherId = options.publisherId;
    record.maxUpdatesPerMessage = options.maxUpdatesPerMessage;
    auto recorded = gt::sim::recordSweeps(feeds, record);
    if (!recorded) {
      std::fprintf(stderr, "greentwin-sim: --record: %s\n", recorded.status().message().c_str());
      return 1;
    }
    std::printf("greentwin-sim: recorded %llu updates in %llu messages (%d sweeps, %.0f s apart) to %s (%llu bytes)\n",
                static_cast<unsigned long long>(recorded->updates), static_cast<unsigned long long>(recorded->messages),
                sweeps, record.intervalS, recordPath.c_str(), static_cast<unsigned long long>(recorded->bytes));
    return 0;
  }
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);
  options.stopFlag = &gStop;
  gt::sim::SimPublisher publisher(std::move(feeds), options);
  if (gt::Status s = publisher.open(); !s) {
    std::fprintf(stderr, "greentwin-sim: %s\n", s.message().c_str());
    return 1;
  }
  spdlog::info("publishing {} values per sweep on {} ({}, {})", publisher.valuesPerSweep(), publisher.endpoint(),
               options.rate > 0 ? fmt::format("{} updates/s", options.rate)
                                : fmt::format("every {} s", options.intervalS),
               encoding);
  auto stats = publisher.run();
  if (!stats) {
    std::fprintf(stderr, "greentwin-sim: %s\n", stats.status().message().c_str());
    return 1;
  }
  if (report) {
    std::printf("greentwin-sim: %llu updates in %llu messages over %.2f s (%.0f updates/s), %llu dropped\n",
                static_cast<unsigned long long>(stats->updates), static_cast<unsigned long long>(stats->messages),
                stats->seconds, stats->updatesPerSecond(), static_cast<unsigned long long>(stats->dropped));
  }
  return 0;
}
