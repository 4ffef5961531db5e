#pragma once
// Feed fan-in across hosts (issue 15; `greentwin-feed proxy`, docs/security.md "Fan-in through a proxy"): publishers
// on many hosts connect to ONE proxy, which forwards every message to one or more twins.
//
//   publishers (PUB, CURVE clients) ──> [XSUB, binds, CURVE server + ZAP allow-list]  the proxy
//                                       [XPUB, connects to each twin, CURVE client]  ──> twins (SUB, bind as today)
//
// Front: the same CURVE server as a twin source (connectors/src/curve_server.*: the proxy's key pair, a ZAP handler
// with the allow-list file, the connection cap, the handshake timeout, the same AUDIT lines). Each message's sender
// key is checked against the current list (a key revoked while connected gets nothing more through).
// Back: the proxy connects to each twin as a CURVE client with its own key pair; each twin admits the proxy's public
// key in its allow-list with `proxy = true`. Every forwarded message carries a 4th frame, the key the proxy admitted
// the publisher with; the twin applies THAT key's entry of its own allow-list (publisher ids, entities,
// max_interval_s, rate bucket), so per-publisher grants hold behind the proxy (zmq_ingest.hpp step 0b).
// Subscriptions flow the other way: a twin's SUB subscribes at the XPUB, the proxy passes it to the XSUB, which
// passes it on to the publishers.
//
// Per message from the front, in this order (each outcome counted in FeedProxyStats; audited lines once a minute per
// key and kind, as the ingest's):
//   1. the sender's key no longer admitted → revokedMessages, audited ("AUDIT drop ... key no longer admitted").
//   2. not exactly 3 frames → wrongFrameCount (more than 3: also tooManyFrames), audited, dropped.
//   3. a frame over its DecodeLimits limit (topic, envelope, payload) → oversize, audited, dropped. (A frame over
//      maxPayloadBytes never arrives: ZMQ_MAXMSGSIZE closes that connection, as at a twin.)
//   4. forwarded to every twin with the sender's key as the 4th frame, through one XPUB per twin that does not drop
//      silently (ZMQ_XPUB_NODROP): when a twin's queue (sendHighWaterMark messages) is full, the proxy waits up to
//      sendTimeoutMs, then drops the message for that twin and counts it (droppedHighWaterMark, droppedPerTwin);
//      while that twin stays full, its later messages are dropped at once (counted) until one goes through again,
//      so one stuck twin neither slows the proxy to one message per timeout nor costs the other twins anything.
// The proxy does not decode envelopes or payloads: the twin does, with its own limits and grants.
//
// Threads:
//   constructor, start(), frontEndpoint()   the owning thread; start() sets up and binds/connects both sockets on it
//                                           (errors known on return), then hands them to the proxy thread.
//   the proxy thread                        owns both sockets and the monitors; logs the stats line every
//                                           statsIntervalMs.
//   stop()                                  any thread: the proxy thread sees it within pollTimeoutMs (or a send
//                                           timeout).
//   stats()                                 any thread (relaxed atomics; each exact, the set not one snapshot).
//   destructor                              the owning thread: stop(), join, close the sockets, terminate the context.

#include <atomic>
#include <deque>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/core/status.hpp"

namespace gt::connectors {

namespace detail {
class CurveServer;
}

struct FeedProxyTwin {
  std::string endpoint;   // where the twin's zmq source binds, e.g. "tcp://twin-a.lan:5556"
  std::string serverKey;  // the twin's public key: 40 Z85 characters, or its key file (twin.pub)
};

struct FeedProxyConfig {
  std::string frontEndpoint;           // the XSUB binds here: "tcp://0.0.0.0:5556", "tcp://127.0.0.1:*"
  std::string serverKeyFile;           // the proxy's own key pair WITH its secret (`greentwin keys server`)
  std::string allowListFile;           // the publishers admitted at the front (`greentwin keys allow|revoke`)
  std::string zapDomain = "proxy";     // audit lines' source=
  std::string clientKeyFile;           // the key pair it reaches the twins with; empty: serverKeyFile
  std::vector<FeedProxyTwin> twins;    // at least one
  DecodeLimits limits;                 // the frame size limits checked before forwarding (the twins' defaults)
  int receiveHighWaterMark = 1000;     // ZMQ_RCVHWM of the XSUB: messages queued per publisher connection
  int sendHighWaterMark = 1000;        // ZMQ_SNDHWM of the XPUB: messages queued per twin
  int sendTimeoutMs = 1000;            // how long a full twin may hold a message back before it is dropped
  int handshakeTimeoutMs = 5000;       // ZMQ_HANDSHAKE_IVL on both sides; 0: no limit
  std::size_t maxConnections = 64;     // publisher connections after their handshake; 0: no cap
  int pollTimeoutMs = 50;              // how soon stop() is noticed
  int statsIntervalMs = 60000;         // a stats log line this often (the "greentwin" logger); 0: none
};

struct FeedProxyStats {
  std::uint64_t received = 0;              // multipart messages read from the front (every outcome below)
  std::uint64_t forwarded = 0;             // messages handed to the XPUB (every subscribed twin gets them)
  std::uint64_t wrongFrameCount = 0;       // not 3 frames (dropped)
  std::uint64_t tooManyFrames = 0;         // ... of them, more than 3 (audited)
  std::uint64_t oversize = 0;              // a frame over its limit (dropped, audited)
  std::uint64_t revokedMessages = 0;       // the sender's key no longer admitted (dropped)
  std::uint64_t droppedHighWaterMark = 0;  // (message, twin) pairs dropped: the twin's queue stayed full
  std::vector<std::uint64_t> droppedPerTwin;  // ... per twin, in the order of FeedProxyConfig::twins
  std::uint64_t subscriptions = 0;         // subscription messages passed from the twins to the publishers
  std::uint64_t receiveErrors = 0;         // zmq errors other than EAGAIN / EINTR on receive
  std::uint64_t sendErrors = 0;            // zmq errors on send other than the high-water mark
  // The front's CURVE server (as ZmqIngestStats).
  std::uint64_t authAdmitted = 0;
  std::uint64_t authRefused = 0;
  std::uint64_t handshakeFailures = 0;     // publisher handshakes failed before ZAP
  std::uint64_t connectionLimited = 0;
  std::uint64_t connections = 0;           // publisher connections established now (with a cap)
  // The back side.
  std::uint64_t twinHandshakes = 0;        // handshakes completed with twins (reconnects included)
  std::uint64_t twinHandshakeFailures = 0; // a twin refused the proxy (its key not admitted, a wrong twin key)
};

// One line: "received=... forwarded=... dropped_hwm=... ..." (the stats log line and the CLI's report).
std::string formatFeedProxyStats(const FeedProxyStats& stats);

class FeedProxy {
 public:
  explicit FeedProxy(FeedProxyConfig config);
  ~FeedProxy();
  FeedProxy(const FeedProxy&) = delete;
  FeedProxy& operator=(const FeedProxy&) = delete;

  // Owning thread, once. Reads the key files and the allow-list, starts the ZAP handler, binds the front, connects
  // the back to every twin, starts the thread. Errors name the problem (a bad key file, allow-list or endpoint, no
  // twin); then no thread is started.
  Status start();
  void stop();
  void join();
  bool running() const { return thread_.joinable() && !stopping_.load(std::memory_order_relaxed); }

  // After start(): the front's actual endpoint (ZMQ_LAST_ENDPOINT), e.g. "tcp://127.0.0.1:41235" for "...:*".
  const std::string& frontEndpoint() const { return frontEndpoint_; }
  FeedProxyStats stats() const;

 private:
  struct Counters;
  Status setUpFront();
  Status setUpBack();
  void run();
  void releaseSockets();

  FeedProxyConfig config_;
  void* context_ = nullptr;
  struct Back {
    std::string endpoint;
    void* socket = nullptr;   // XPUB, connected to this twin only
    void* monitor = nullptr;  // its handshake events
    bool congested = false;   // the proxy thread: its queue was full at the last message
    std::atomic<std::uint64_t> dropped{0};
  };
  void* front_ = nullptr;  // XSUB
  std::deque<Back> backs_;  // one per twin (a deque: Back holds an atomic, and its elements never move)
  std::unique_ptr<detail::CurveServer> curve_;
  std::unique_ptr<Counters> counters_;
  std::string frontEndpoint_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace gt::connectors
