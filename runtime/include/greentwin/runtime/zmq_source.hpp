#pragma once
// The "zmq" source type: a ZeroMQ SUB socket speaking the wire protocol (docs/protocol.md) through the connectors'
// ZmqIngest, on its own thread. Its [[sources]] keys (endpoint, bind, topics, rate_limit, security, server_key,
// allowed_keys; docs/config.md, docs/security.md) are read here, registered with the type (source_registry.hpp).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/runtime/source_registry.hpp"

namespace gt::runtime {

inline constexpr std::string_view kZmqSourceType = "zmq";

struct ZmqSourceOptions : SourceOptions {
  std::string endpoint;  // e.g. "tcp://127.0.0.1:5556"
  bool bind = false;     // true: the twin binds and publishers connect; false: it connects to a binding PUB
  std::vector<std::string> topics;  // topic prefixes to subscribe to; empty = every topic
  double rateLimit = 0;             // updates per second per publisher; 0 = no limit
  // The longest send interval a publisher may declare (seconds): its values read LIVE for twice it, so a message
  // declaring more is taken as declaring this (a day-long statistics feed sets 86400). docs/security.md
  double maxIntervalS = 3600;
  // Issue 15 (docs/security.md): CURVE: the most connections held after their handshake (ZAP refuses more);
  // a connection that has not finished its handshake within handshakeTimeoutS is closed; at most receiveBufferMb
  // of complete messages are queued per publisher connection (the receive high-water mark follows from it).
  int maxConnections = 64;
  double handshakeTimeoutS = 5.0;
  double receiveBufferMb = 256.0;
  // docs/security.md. "curve" (the default): CURVE encryption, only publishers in `allowedKeys` get in; "none":
  // unauthenticated, anyone who reaches the endpoint (a local demo only; the twin warns at start).
  std::string security = "curve";
  std::string serverKey;    // curve: the twin's key file (public + secret), relative to the config file
  std::string allowedKeys;  // curve: the allow-list file, relative to the config file
};

// A zmq source's options (the defaults when it has none).
inline const ZmqSourceOptions& zmqOptions(const SourceConfig& source) {
  return sourceOptions<ZmqSourceOptions>(source);
}
// A copy the caller may change, now the source's own (tests, tools building a config in code).
inline ZmqSourceOptions& editZmqOptions(SourceConfig& source) { return editSourceOptions<ZmqSourceOptions>(source); }

// Reads the keys above; a CURVE source (the default) must name both key files.
SourceOptionsParser zmqSourceOptionsParser();

// The source for a [[sources]] entry of type "zmq" (not started). Owning thread.
std::unique_ptr<LiveSource> createZmqSource(const SourceConfig& config, const SourceContext& context);

}  // namespace gt::runtime
