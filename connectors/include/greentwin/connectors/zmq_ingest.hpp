#pragma once
// The live-feed ingest path (DESIGN.md "How data flows", step 2; issue 4 "Ingest path"): one ZeroMQ SUB socket,
// one thread. Each multipart message [topic][envelope][payload] is decoded and validated (wire_protocol.hpp),
// sequence-checked per publisher (FeedHealth), rate-limited per publisher, its updates resolved to
// (EntityIndex, AttributeId) through the EntityDirectory snapshot, and pushed as ONE batch into the UpdateChannel.
//
// Security (docs/security.md): by default the socket is a CURVE server (ZMQ_CURVE_SERVER, the twin's secret key,
// ZMQ_ZAP_DOMAIN) and a ZapAuthenticator admits the publishers in an allow-list file. ZAP runs only at a handshake,
// so each message's "User-Id" (the sender's key, set by the authenticator) is also checked against the current list:
// a publisher revoked while connected gets nothing more in (counted in revokedMessages). Handshakes that fail before
// ZAP (a NULL publisher at a CURVE source, a wrong server key) are seen through a socket monitor, counted in
// handshakeFailures and written to the audit log. Unauthenticated (NULL) only when the config says so.
// All of that is connectors/src/curve_server.* (shared with the recorder); the ingest adds the publisher-id check.
//
// Threads:
//   constructor, start(), endpoint()   the owning thread. start() creates, configures and binds/connects the socket
//                                      on the calling thread (so bind errors and the bound endpoint are known on
//                                      return), then hands the socket to the ingest thread.
//   the ingest thread                  owns the socket from then on; it alone calls decodeMessageView,
//                                      FeedHealth::record, EntityDirectory::reportUnknown*, UpdateChannel::push
//                                      (steps 1 to 6 below: connectors/src/message_ingest.*, the per-message
//                                      path shared with the offline loader, recording_loader.hpp).
//   stop()                             any thread: sets a flag; the ingest thread sees it within pollTimeoutMs.
//   destructor                         the owning thread: stop(), join, close the socket (linger 0), and terminate
//                                      the context when it created it.
//   stats()                            any thread (atomic counters, relaxed; each counter is exact, the set is not
//                                      one atomic snapshot).
//
// A binding SUB must be polled before data flows (libzmq issue 2267): the thread polls (zmq_poll with
// pollTimeoutMs) from the start and then reads every message ready without blocking.
//
// Per message, in this order:
//   0. CURVE: the sender's key (User-Id) no longer admitted → counted in revokedMessages, dropped.
//   0b. CURVE: the sender's entry is a proxy (AllowListEntry::proxy, `greentwin-feed proxy`): the message must be
//       4 frames, the 4th the publisher key the proxy admitted the sender with; that key must be admitted here and
//       not be a proxy itself, and its entry then stands for the sender in every step below (publisher ids,
//       entities, max_interval_s, its rate bucket). Otherwise counted in unattestedMessages (a key not admitted
//       here: revokedMessages), audited, dropped.
//   1. not exactly 3 frames                → counted in wrongFrameCount, dropped; more than 3 also counted in
//                                            tooManyFrames and audited (the sender's key, frames, bytes).
//   2. decodeMessageView rejects           → counted by reason (rejects), dropped (same checks as decodeMessage).
//   2b. CURVE: the envelope's publisher id is not one the sender's key may use (AllowListEntry::mayPublishAs) →
//       counted in wrongPublisher, audited, dropped — before it can touch that publisher's sequence or health.
//   3. FeedHealth::record: Duplicate / Old → counted (duplicates / old), dropped. Gaps are counted there.
//   4. rate limit (per sender, token bucket of updates: the CURVE key, else the peer address, so rotating publisher
//      ids gets no fresh tokens; at most MessageIngest::kMaxRateBuckets senders, the least recently seen evicted):
//      a message whose updates exceed the sender's tokens is dropped whole, counted in rateLimitedMessages /
//      rateLimitedUpdates. The sequence check runs before it, so a rate-limited message is not a gap (gaps are
//      what the network lost).
//   4b. CURVE: updates of entities the key's allow-list entry does not grant (AllowListEntry::mayWrite) are dropped,
//      counted in ungrantedUpdates and audited (a line per key a minute); the rest of the message is kept. So are
//      updates stamped earlier than now minus the entry's max_backfill_s (its grant in time). The declared interval
//      is capped by the entry's max_interval_s as well as the source's.
//   5. each update: entity id and attribute name looked up in the snapshot; an unknown one is dropped, counted
//      (unknownEntities / unknownAttributes, checked in that order) and reported to the directory.
//      Binary payloads are not copied: the updates are views into the received payload frame, and each distinct
//      string of the payload's string table is looked up in the snapshot at most once per message.
//   6. the resolved updates (time: the update's own, else the envelope's source time) → UpdateChannel::push.
//      Before them, the entities whose declared interval changed go to UpdateChannel::noteIntervals; the update
//      thread notes them in the twin's StaleRule, which judges whether a sample is still live.
// Note the fairness: libzmq fair-queues reads across connected publishers (pipes), and the rate limit keeps a
// flooding publisher's updates from filling the channel; its messages are still received and decoded.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/connectors/zap_authenticator.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/update_channel.hpp"

namespace gt::connectors {

namespace detail {
class CurveServer;    // connectors/src/curve_server.hpp: the CURVE server set-up, shared with the recorder
class MessageIngest;  // connectors/src/message_ingest.hpp: steps 1 to 6, shared with loadRecording
}

enum class IngestSecurity {
  Curve,            // CURVE encryption; only publishers whose public key is in the allow-list get in
  Unauthenticated,  // NULL mechanism: anyone who can reach the endpoint (a local demo; the config must say so)
};

struct ZmqIngestSecurity {
  IngestSecurity mode = IngestSecurity::Curve;
  std::string serverKeyFile;            // Curve: the twin's key file with its secret (`greentwin keys server`)
  std::string allowListFile;            // Curve: the admitted publishers (`greentwin keys allow|revoke`)
  std::string zapDomain = "greentwin";  // distinct for each socket sharing an authenticator; audit lines' source=
  // Only with a shared zmqContext that already has a ZAP handler: that authenticator (else the ingest starts its
  // own in its context). The ingest adds its zapDomain to it and removes it when destroyed.
  std::shared_ptr<ZapAuthenticator> authenticator;
};

struct ZmqIngestConfig {
  std::string endpoint;  // "tcp://127.0.0.1:5556", "tcp://127.0.0.1:*" (bind), "inproc://name"
  bool bind = false;     // true: the SUB binds (publishers connect); false: it connects to a binding PUB
  std::vector<std::string> topicPrefixes;  // ZMQ_SUBSCRIBE prefixes; empty: everything
  // ZMQ_RCVHWM: complete messages queued per publisher connection (libzmq counts messages, not frames); 0: no
  // limit. Capped by maxBufferedBytes when that is set.
  int receiveHighWaterMark = 1000;
  // The most bytes of complete messages one publisher connection may have queued: the high-water mark becomes at
  // most this / the largest message the limits allow (3 frames at their limits), at least 1. 0: no byte bound.
  // (libzmq buffers a message's frames until its last one arrives: ZMQ_MAXMSGSIZE bounds each frame, nothing bounds
  // their number; such a message is dropped, counted in tooManyFrames and audited. docs/security.md)
  std::uint64_t maxBufferedBytes = 0;
  DecodeLimits limits;                     // ZMQ_MAXMSGSIZE = the largest frame limit (maxPayloadBytes)
  // ZMQ_HANDSHAKE_IVL: a connection that has not completed its handshake within this is closed (libzmq's default
  // is 30 s, during which an idle connection holds a file descriptor). 0: no limit.
  int handshakeTimeoutMs = 5000;
  // CURVE: the most connections the source holds after their handshake; the ZAP handler refuses more (audited,
  // counted in connectionLimited). 0: no cap.
  std::size_t maxConnections = 64;
  double rateLimitUpdatesPerSecond = 0;    // per sender (CURVE key, else peer address); <= 0: no limit
  double rateLimitBurstSeconds = 1.0;      // bucket size = rate x this (at least one message's updates pass
                                           // when the bucket is full)
  int pollTimeoutMs = 50;                  // how soon stop() is noticed
  // A libzmq context (void* from zmq_ctx_new) to share, e.g. for inproc endpoints; nullptr: the ingest creates
  // and terminates its own. A shared context must outlive the ZmqIngest.
  void* zmqContext = nullptr;
  ZmqIngestSecurity security;  // CURVE unless set to Unauthenticated
};

struct ZmqIngestStats {
  std::uint64_t messages = 0;            // multipart messages received (every outcome below included)
  std::uint64_t accepted = 0;            // messages whose updates went to the channel (possibly none resolved)
  std::uint64_t updates = 0;             // updates pushed into the channel
  std::uint64_t wrongFrameCount = 0;     // messages with other than 3 frames
  std::uint64_t tooManyFrames = 0;       // ... of them, those with more than 3 (audited)
  std::array<std::uint64_t, kRejectReasonCount> rejects{};  // decode rejections by RejectReason
  std::uint64_t duplicates = 0;          // FeedHealth Duplicate
  std::uint64_t old = 0;                 // FeedHealth Old
  std::uint64_t rateLimitedMessages = 0;
  std::uint64_t rateLimitedUpdates = 0;
  std::uint64_t unknownEntities = 0;     // updates dropped for an entity id not in the directory
  std::uint64_t unknownAttributes = 0;   // updates dropped for an attribute name not in the directory
  std::uint64_t receiveErrors = 0;       // zmq_poll / zmq_msg_recv errors other than EAGAIN / EINTR
  // Security (CURVE sources; zero otherwise).
  std::uint64_t authAdmitted = 0;        // handshakes the ZAP handler admitted for this source
  std::uint64_t authRefused = 0;         // handshakes it refused (unknown or revoked key, NULL at a CURVE source)
  std::uint64_t handshakeFailures = 0;   // handshakes failed before ZAP (mechanism mismatch, wrong server key)
  std::uint64_t revokedMessages = 0;     // messages dropped because the sender's key is no longer admitted
  std::uint64_t wrongPublisher = 0;      // CURVE: messages whose publisher id the sender's key may not use
  std::uint64_t connectionLimited = 0;   // CURVE: handshakes refused at maxConnections (also in authRefused)
  std::uint64_t connections = 0;         // CURVE with a cap: connections established now (socket monitor)
  std::uint64_t ungrantedUpdates = 0;    // CURVE: updates the sender's key may not write: entity or time (dropped)
  std::uint64_t proxiedMessages = 0;     // CURVE: messages from a proxy key with a valid attested publisher key
  std::uint64_t unattestedMessages = 0;  // CURVE: messages from a proxy key without one (dropped, audited)

  std::uint64_t reject(RejectReason r) const { return rejects[static_cast<std::size_t>(r)]; }
  std::uint64_t rejectTotal() const;
};

class ZmqIngest {
 public:
  // The channel, health and directory must outlive this object; they are used from the ingest thread.
  // Unknown entity ids / attribute names are reported to `directory` (reportUnknown*), never registered.
  ZmqIngest(ZmqIngestConfig config, UpdateChannel& channel, FeedHealth& health, EntityDirectory& directory);
  ~ZmqIngest();

  ZmqIngest(const ZmqIngest&) = delete;
  ZmqIngest& operator=(const ZmqIngest&) = delete;

  // Owning thread, once. Creates the socket, sets its options (CURVE: reads the server key and the allow-list, starts
  // or joins the ZAP handler), binds or connects, starts the thread. An error (bad endpoint, address in use, a
  // missing or bad key file or allow-list, named) is returned and no thread is started.
  Status start();
  // Any thread. Idempotent. The thread exits within pollTimeoutMs; the destructor joins it.
  void stop();
  // Owning thread: stop() and join now (the destructor does this too).
  void join();

  // After start(): the actual endpoint (ZMQ_LAST_ENDPOINT), e.g. "tcp://127.0.0.1:41235" for a "...:*" bind.
  const std::string& endpoint() const { return boundEndpoint_; }
  bool running() const { return thread_.joinable() && !stopping_.load(std::memory_order_relaxed); }

  ZmqIngestStats stats() const;

  // The ZMQ_RCVHWM start() sets: receiveHighWaterMark, capped by maxBufferedBytes / the largest message.
  static int effectiveReceiveHighWaterMark(const ZmqIngestConfig& config);

 private:
  void run();
  Status setUpCurve();  // start(): key, authenticator, domain, socket options, monitor (through curve_)
  void releaseSockets();

  ZmqIngestConfig config_;
  void* context_ = nullptr;
  bool ownsContext_ = false;
  void* socket_ = nullptr;
  // CURVE: the server set-up, handshake monitor and per-key check. Unauthenticated with a shared authenticator:
  // only its NULL-admitting ZAP domain. nullptr otherwise.
  std::unique_ptr<detail::CurveServer> curve_;
  std::string boundEndpoint_;
  // Steps 1 to 6 and their counters; used by the ingest thread after start(), its counters read by stats().
  std::unique_ptr<detail::MessageIngest> messages_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;

  // The socket's own counters (the per-message ones are messages_'s).
  std::atomic<std::uint64_t> receiveErrors_{0}, handshakeFailures_{0}, revokedMessages_{0}, tooManyFrames_{0},
      proxiedMessages_{0}, unattestedMessages_{0};
};

}  // namespace gt::connectors
