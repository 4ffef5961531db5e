// greentwin-feed: record a live feed to a file, replay it, describe it (docs/record-replay.md); fan feeds from many
// hosts into the twins (proxy; docs/security.md).
//
//   greentwin-feed record --endpoint tcp://127.0.0.1:5556 [--bind] [--topics air. ...] --out feed.gtrec
//                         [--duration S] [--max-messages N]
//                         (--server-key twin.key --allow-list allowed.toml [--source ID] | --security none)
//   greentwin-feed replay feed.gtrec --endpoint tcp://127.0.0.1:5556 [--bind] [--speed F | --fast] [--loop]
//                         [--server-key KEY --key-file FILE]   (CURVE, for a twin that requires it)
//   greentwin-feed info feed.gtrec
//   greentwin-feed proxy --bind tcp://0.0.0.0:5556 --server-key proxy.key --allow-list proxy-allowed.toml
//                        --twin tcp://twin-a:5556=twin-a.pub [--twin ...] [--client-key FILE] [--source proxy]
//                        [--max-connections N] [--handshake-timeout-ms MS] [--send-hwm N] [--send-timeout-ms MS]
//                        [--stats-interval S]     (fan-in across hosts; docs/security.md "Fan-in through a proxy")
//
// Exit status: 0 done; 1 an error (bad arguments, a file or socket that cannot be opened); 3 the recording is
// damaged (replay / info still used everything before the damage, and said where it is).

#include <CLI/CLI.hpp>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/feed_proxy.hpp"
#include "greentwin/connectors/feed_recording.hpp"

namespace {

using namespace gt;
using namespace gt::connectors;

std::atomic<bool> gStop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

std::atomic<bool> gReport{false};  // SIGUSR1: print the proxy's counters now

extern "C" void onSignal(int) { gStop.store(true); }
extern "C" void onReport(int) { gReport.store(true); }

constexpr int kExitDamaged = 3;

int record(const FeedCaptureConfig& config) {
  FeedCapture capture(config);
  if (Status s = capture.start(); !s) {
    std::fprintf(stderr, "greentwin-feed record: %s\n", s.message().c_str());
    return 1;
  }
  std::fprintf(stderr, "recording %s (%s, security %s) to %s; Ctrl-C stops\n", capture.endpoint().c_str(),
               config.bind ? "bound" : "connected", toString(config.security.mode), config.outPath.c_str());
  auto lastReport = std::chrono::steady_clock::now();
  while (!capture.finished() && !gStop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (std::chrono::steady_clock::now() - lastReport > std::chrono::seconds(5)) {
      std::fprintf(stderr, "  %llu messages\n", static_cast<unsigned long long>(capture.stats().messages));
      lastReport = std::chrono::steady_clock::now();
    }
  }
  capture.join();
  const FeedCaptureStats stats = capture.stats();
  std::printf("recorded %llu messages (%llu bytes of frames) to %s\n",
              static_cast<unsigned long long>(stats.messages), static_cast<unsigned long long>(stats.bytes),
              config.outPath.c_str());
  if (stats.unrecordable > 0) {
    std::printf("not recorded: %llu messages too large for a record (over %u bytes); see the log\n",
                static_cast<unsigned long long>(stats.unrecordable), kMaxRecordBytes);
  }
  if (stats.unattestedMessages > 0) {
    std::printf("not recorded: %llu messages of a feed proxy that attest no publisher admitted here; see the log\n",
                static_cast<unsigned long long>(stats.unattestedMessages));
  }
  if (config.security.mode == RecordingSecurity::Curve) {
    std::printf("CURVE: %llu publishers admitted, %llu refused, %llu failed handshakes, %llu messages dropped (key "
                "revoked); see the AUDIT lines\n",
                static_cast<unsigned long long>(stats.authAdmitted), static_cast<unsigned long long>(stats.authRefused),
                static_cast<unsigned long long>(stats.handshakeFailures),
                static_cast<unsigned long long>(stats.revokedMessages));
  }
  if (Status s = capture.result(); !s) {
    std::fprintf(stderr, "greentwin-feed record: %s\n", s.message().c_str());
    return 1;
  }
  return 0;
}

int replay(const std::string& file, const FeedReplayConfig& config) {
  auto stats = replayFeed(file, config, &gStop, [&](const std::string& endpoint) {
    std::fprintf(stderr, "replaying %s on %s (%s)\n", file.c_str(), endpoint.c_str(),
                 config.bind ? "bound" : "connected");
  });
  if (!stats) {
    std::fprintf(stderr, "greentwin-feed replay: %s\n", stats.status().message().c_str());
    return 1;
  }
  if (config.waitForSubscriberMs > 0 && !stats->subscriberSeen) {
    std::fprintf(stderr, "warning: no subscriber within %d ms; sent anyway\n", config.waitForSubscriberMs);
  }
  std::printf("replayed %llu messages (%llu bytes, %llu passes) in %.3f s; recorded span %.3f s\n",
              static_cast<unsigned long long>(stats->messages), static_cast<unsigned long long>(stats->bytes),
              static_cast<unsigned long long>(stats->loops), stats->wallSeconds, toSeconds(stats->recordedSpan));
  if (!stats->damage.isOk()) {
    std::fprintf(stderr, "damaged recording: %s\n", stats->damage.message().c_str());
    return kExitDamaged;
  }
  return 0;
}

int info(const std::string& file) {
  auto summary = summarizeRecording(file);
  if (!summary) {
    std::fprintf(stderr, "greentwin-feed info: %s\n", summary.status().message().c_str());
    return 1;
  }
  const RecordingSummary& s = *summary;
  std::printf("file:       %s\n", file.c_str());
  std::printf("format:     GreenTwin feed recording v%u, created %s\n", s.version, formatIsoTime(s.createdAt).c_str());
  if (s.security == RecordingSecurity::Curve) {
    std::printf("security:   curve (publishers admitted by the allow-list; each message keeps its sender's key)\n");
  } else {
    std::printf("security:   none (unauthenticated source%s)\n", s.version < 2 ? "; format v1 records no keys" : "");
  }
  std::printf("messages:   %llu (%llu bytes of frames)\n", static_cast<unsigned long long>(s.records),
              static_cast<unsigned long long>(s.bytes));
  if (s.records > 0) {
    std::printf("received:   %s .. %s\n", formatIsoTime(s.firstReceive).c_str(), formatIsoTime(s.lastReceive).c_str());
  }
  std::printf("duration:   %.3f s\n", toSeconds(s.span));
  if (s.notThreeFrames > 0) {
    std::printf("not [topic][envelope][payload]: %llu\n", static_cast<unsigned long long>(s.notThreeFrames));
  }
  std::printf("topics:\n");
  for (const auto& [topic, n] : s.topics) std::printf("  %-32s %llu\n", topic.c_str(), static_cast<unsigned long long>(n));
  std::printf("publishers:\n");
  for (const auto& [publisher, n] : s.publishers) {
    std::printf("  %-32s %llu\n", publisher.c_str(), static_cast<unsigned long long>(n));
  }
  if (!s.publisherKeys.empty()) {
    std::printf("publisher keys (CURVE, as admitted):\n");
    for (const auto& [key, n] : s.publisherKeys) {
      std::printf("  %-42s %llu\n", key.c_str(), static_cast<unsigned long long>(n));
    }
  }
  if (!s.damage.isOk()) {
    std::printf("DAMAGED:    %s\n", s.damage.message().c_str());
    return kExitDamaged;
  }
  std::printf("integrity:  ok (every record's checksum matches)\n");
  return 0;
}

// --twin ENDPOINT=KEY: split at the first '=' (a Z85 key may hold '=', an endpoint does not).
Status parseTwins(const std::vector<std::string>& specs, std::vector<FeedProxyTwin>& twins) {
  for (const std::string& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size()) {
      return Status(ErrorCode::InvalidArgument, "--twin '" + spec +
                                                    "': expected ENDPOINT=KEY (the twin's endpoint, '=', its public "
                                                    "key in Z85 or its twin.pub file)");
    }
    twins.push_back({spec.substr(0, eq), spec.substr(eq + 1)});
  }
  return Status::ok();
}

int proxy(FeedProxyConfig config) {
  FeedProxy feedProxy(config);
  if (Status s = feedProxy.start(); !s) {
    std::fprintf(stderr, "greentwin-feed proxy: %s\n", s.message().c_str());
    return 1;
  }
  std::fprintf(stderr, "proxy: publishers connect to %s (CURVE, allow-list %s); forwarding to %zu twin%s; Ctrl-C "
               "stops, SIGUSR1 prints the counters\n",
               feedProxy.frontEndpoint().c_str(), config.allowListFile.c_str(), config.twins.size(),
               config.twins.size() == 1 ? "" : "s");
  while (!gStop.load()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (gReport.exchange(false)) {
      std::printf("proxy: %s\n", formatFeedProxyStats(feedProxy.stats()).c_str());
      std::fflush(stdout);
    }
  }
  feedProxy.join();
  std::printf("proxy stopped: %s\n", formatFeedProxyStats(feedProxy.stats()).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"greentwin-feed: record a GreenTwin live feed to a file, replay it, describe it, or proxy it"};
  app.require_subcommand(1);

  FeedCaptureConfig capture;
  double durationS = 0;
  CLI::App* rec = app.add_subcommand("record", "record every message a SUB socket receives, byte for byte");
  rec->add_option("--endpoint", capture.endpoint, "where to connect (or bind with --bind)")->required();
  rec->add_flag("--bind", capture.bind, "bind the SUB socket (publishers connect to it)");
  rec->add_option("--topics", capture.topicPrefixes, "topic prefixes to record (default: everything)");
  rec->add_option("-o,--out", capture.outPath, "recording file to write (replaced if it exists)")->required();
  rec->add_option("--duration", durationS, "stop after this many seconds")->check(CLI::NonNegativeNumber);
  rec->add_option("--max-messages", capture.maxMessages, "stop after this many messages");
  // Security: like a twin source (docs/security.md), CURVE unless "none" is said explicitly.
  std::string security = "curve";
  rec->add_option("--security", security, "curve (default: publishers need a key in the allow-list) or none")
      ->check(CLI::IsMember({"curve", "none"}));
  rec->add_option("--server-key", capture.security.serverKeyFile,
                  "CURVE: the twin's key file WITH its secret (publishers already use its public key)");
  rec->add_option("--allow-list,--allowed-keys", capture.security.allowListFile,
                  "CURVE: the allow-list of publisher keys (as the source's allowed_keys)");
  rec->add_option("--source", capture.security.zapDomain, "CURVE: the ZAP domain, source= in the AUDIT lines")
      ->capture_default_str();

  std::string file;
  FeedReplayConfig replayConfig;
  double waitS = 5.0;
  CLI::App* rep = app.add_subcommand("replay", "publish a recording again, in real time or faster");
  rep->add_option("file", file, "recording file")->required()->check(CLI::ExistingFile);
  rep->add_option("--endpoint", replayConfig.endpoint, "where to connect (or bind with --bind)")->required();
  rep->add_flag("--bind", replayConfig.bind, "bind the PUB socket (subscribers connect to it)");
  auto* speed = rep->add_option("--speed", replayConfig.speed, "speed factor: 2 = twice real time (default 1)")
                    ->check(CLI::Range(1e-3, 1e6));
  rep->add_flag("--fast", replayConfig.asFastAsPossible, "as fast as possible, order kept")->excludes(speed);
  rep->add_flag("--loop", replayConfig.loop, "start again at the end, until Ctrl-C");
  rep->add_option("--wait-subscriber", waitS, "seconds to wait for a subscriber before sending (default 5)")
      ->check(CLI::NonNegativeNumber);
  auto* serverKey = rep->add_option("--server-key", replayConfig.serverKey,
                                    "CURVE: the twin's public key (40 Z85 characters or a key file)");
  auto* keyFile = rep->add_option("--key-file", replayConfig.keyFile,
                                  "CURVE: this publisher's key file (with its secret; allowed by the twin)");
  serverKey->needs(keyFile);
  keyFile->needs(serverKey);

  FeedProxyConfig proxyConfig;
  std::vector<std::string> twinSpecs;
  double statsIntervalS = 60;
  CLI::App* prx = app.add_subcommand("proxy", "fan publishers on many hosts into one or more twins (XSUB/XPUB, CURVE "
                                              "on both sides)");
  prx->add_option("--bind", proxyConfig.frontEndpoint, "where publishers connect, e.g. tcp://0.0.0.0:5556")
      ->required();
  prx->add_option("--server-key", proxyConfig.serverKeyFile,
                  "the proxy's key file WITH its secret (publishers use its public key as their server key)")
      ->required();
  prx->add_option("--allow-list,--allowed-keys", proxyConfig.allowListFile,
                  "the publishers admitted at the proxy (`greentwin keys allow`)")
      ->required();
  prx->add_option("--twin", twinSpecs,
                  "ENDPOINT=KEY: a twin's zmq source endpoint and its public key (Z85 or its twin.pub file); "
                  "repeatable")
      ->required();
  prx->add_option("--client-key", proxyConfig.clientKeyFile,
                  "the key file the proxy reaches the twins with (default: --server-key); its public key goes into "
                  "each twin's allow-list with `greentwin keys allow ... --proxy`");
  prx->add_option("--source", proxyConfig.zapDomain, "the ZAP domain, source= in the AUDIT lines")
      ->capture_default_str();
  prx->add_option("--max-connections", proxyConfig.maxConnections, "publisher connections held at most (0: no cap)")
      ->capture_default_str();
  prx->add_option("--handshake-timeout-ms", proxyConfig.handshakeTimeoutMs,
                  "a connection that has not completed its handshake within this is closed")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  prx->add_option("--send-hwm", proxyConfig.sendHighWaterMark, "messages queued per twin")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  prx->add_option("--send-timeout-ms", proxyConfig.sendTimeoutMs,
                  "how long a twin's full queue may hold a message back before it is dropped (counted)")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  prx->add_option("--stats-interval", statsIntervalS, "seconds between the counters' log lines (0: none; default 60)")
      ->check(CLI::NonNegativeNumber);

  CLI::App* inf = app.add_subcommand("info", "counts, duration, topics, publishers and integrity of a recording");
  inf->add_option("file", file, "recording file")->required();

  CLI11_PARSE(app, argc, argv);
  std::signal(SIGINT, onSignal);
  std::signal(SIGTERM, onSignal);

  if (rec->parsed()) {
    capture.maxDuration = seconds(durationS);
    if (security == "none") {
      if (!capture.security.serverKeyFile.empty() || !capture.security.allowListFile.empty()) {
        std::fprintf(stderr, "greentwin-feed record: --server-key / --allow-list are for --security curve\n");
        return 1;
      }
      capture.security.mode = RecordingSecurity::None;  // FeedCapture logs a warning naming the endpoint
    } else if (capture.security.serverKeyFile.empty() || capture.security.allowListFile.empty()) {
      std::fprintf(stderr,
                   "greentwin-feed record: the source is CURVE by default (docs/security.md): give --server-key "
                   "<the twin's key file, with its secret> and --allow-list <allowed publishers>, or record an "
                   "unauthenticated feed with --security none\n");
      return 1;
    }
    return record(capture);
  }
  if (prx->parsed()) {
    std::signal(SIGUSR1, onReport);
    if (Status s = parseTwins(twinSpecs, proxyConfig.twins); !s) {
      std::fprintf(stderr, "greentwin-feed proxy: %s\n", s.message().c_str());
      return 1;
    }
    proxyConfig.statsIntervalMs = static_cast<int>(statsIntervalS * 1000);
    return proxy(std::move(proxyConfig));
  }
  if (rep->parsed()) {
    replayConfig.waitForSubscriberMs = static_cast<int>(waitS * 1000);
    return replay(file, replayConfig);
  }
  return info(file);
}
