#include "greentwin/runtime/zmq_source.hpp"

#include <spdlog/spdlog.h>

namespace gt::runtime {

namespace {

constexpr std::string_view kKeys[]{"endpoint", "bind",       "topics",       "rate_limit",
                                   "security", "server_key", "allowed_keys", "max_interval_s",
                                   "max_connections", "handshake_timeout_s", "receive_buffer_mb"};
constexpr std::string_view kSecurity[]{"curve", "none"};

class ZmqSource : public LiveSource {
 public:
  ZmqSource(const SourceConfig& config, const SourceContext& context)
      : options_(zmqOptions(config)), health_(context.health) {
    connectors::ZmqIngestConfig ic;
    ic.endpoint = options_.endpoint;
    ic.bind = options_.bind;
    ic.topicPrefixes = options_.topics;
    ic.rateLimitUpdatesPerSecond = options_.rateLimit;
    ic.limits.maxDeclaredInterval = static_cast<Duration>(options_.maxIntervalS * kMicrosPerSecond);
    // Issue 15: connections and the memory one publisher may pin (docs/security.md).
    ic.maxConnections = static_cast<std::size_t>(options_.maxConnections);
    ic.handshakeTimeoutMs = static_cast<int>(options_.handshakeTimeoutS * 1000.0);
    ic.maxBufferedBytes = static_cast<std::uint64_t>(options_.receiveBufferMb * 1024.0 * 1024.0);
    // docs/security.md: CURVE + the allow-list unless the config says security = "none". Each source owns its
    // context, hence its own ZAP handler; its id is the ZAP domain (source= in audit lines).
    if (options_.security == "none") {
      ic.security.mode = connectors::IngestSecurity::Unauthenticated;
      spdlog::warn("source '{}': security = \"none\": UNAUTHENTICATED, anyone who can reach {} can feed the twin "
                   "(for a local demo only; docs/security.md)", config.id, options_.endpoint);
    } else {
      ic.security.mode = connectors::IngestSecurity::Curve;
      ic.security.serverKeyFile = context.config.resolvePath(options_.serverKey);
      ic.security.allowListFile = context.config.resolvePath(options_.allowedKeys);
      ic.security.zapDomain = config.id;
    }
    ingest_ = std::make_unique<connectors::ZmqIngest>(ic, context.channel, health_, context.directory);
  }

  Status start() override {
    Status s = ingest_->start();
    started_ = s.isOk();
    return s;
  }
  std::string endpoint() const override { return started_ ? ingest_->endpoint() : options_.endpoint; }
  bool secure() const override { return options_.security != "none"; }
  const FeedHealth* health() const override { return &health_; }
  std::optional<connectors::ZmqIngestStats> ingestStats() const override {
    if (!started_) return std::nullopt;
    return ingest_->stats();
  }

 private:
  ZmqSourceOptions options_;
  FeedHealth health_;  // this source's publishers (sequences are per source and publisher); the ingest records here
  std::unique_ptr<connectors::ZmqIngest> ingest_;  // declared after health_: its thread stops first
  bool started_ = false;
};

}  // namespace

SourceOptionsParser zmqSourceOptionsParser() {
  SourceOptionsParser parser;
  parser.keys.assign(std::begin(kKeys), std::end(kKeys));
  parser.parse = [](const ConfigTable& t) -> std::shared_ptr<const SourceOptions> {
    auto source = std::make_shared<ZmqSourceOptions>();
    t.readString("endpoint", source->endpoint);
    t.readBool("bind", source->bind);
    t.readStringArray("topics", source->topics);
    t.readDouble("rate_limit", source->rateLimit, 0.0, 1e9);
    t.readDouble("max_interval_s", source->maxIntervalS, 1.0, 604800.0);
    t.readInt("max_connections", source->maxConnections, 1, 100000);
    t.readDouble("handshake_timeout_s", source->handshakeTimeoutS, 0.1, 300.0);
    t.readDouble("receive_buffer_mb", source->receiveBufferMb, 1.0, 65536.0);
    // CURVE unless the file says "none" (docs/security.md): a secure source needs the twin's key and the list.
    t.readString("security", source->security, kSecurity);
    t.readString("server_key", source->serverKey);
    t.readString("allowed_keys", source->allowedKeys);
    if (source->security == "curve") {
      using KeyValue = std::pair<std::string_view, const std::string*>;
      for (const auto& [key, value] :
           {KeyValue{"server_key", &source->serverKey}, KeyValue{"allowed_keys", &source->allowedKeys}}) {
        if (!value->empty() || (t.has(key) && !t.stringValue(key))) continue;  // set, or a type error already
        t.errorAt(key, ErrorCode::InvalidArgument,
                  "'" + t.path() + "' uses security = \"curve\"" + (t.has("security") ? "" : " (the default)") +
                      " and needs '" + std::string(key) + "' (" +
                      (key == "server_key" ? "the twin's key file: `greentwin keys server`"
                                           : "the allow-list of publisher keys: `greentwin keys allow`") +
                      "), or security = \"none\" for an unauthenticated local demo");
      }
    }
    return source;
  };
  return parser;
}

std::unique_ptr<LiveSource> createZmqSource(const SourceConfig& config, const SourceContext& context) {
  return std::make_unique<ZmqSource>(config, context);
}

}  // namespace gt::runtime
