#include "greentwin/connectors/zmq_ingest.hpp"

#include <pthread.h>
#include <zmq.h>

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "audit_throttle.hpp"
#include "greentwin/connectors/audit_text.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "curve_server.hpp"
#include "message_ingest.hpp"
#include "greentwin/core/log.hpp"
#include "greentwin/core/time.hpp"

namespace gt::connectors {

namespace {

std::string zmqError(std::string_view what) {
  return std::string(what) + ": " + zmq_strerror(zmq_errno());
}

std::span<const std::byte> bytesOf(zmq_msg_t& msg) {
  return {static_cast<const std::byte*>(zmq_msg_data(&msg)), zmq_msg_size(&msg)};
}

// Monotonic seconds, for the token buckets (the wall clock may jump).
double monotonicSeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

std::uint64_t ZmqIngestStats::rejectTotal() const {
  std::uint64_t total = wrongFrameCount;
  for (auto c : rejects) total += c;
  return total;
}

ZmqIngest::ZmqIngest(ZmqIngestConfig config, UpdateChannel& channel, FeedHealth& health, EntityDirectory& directory)
    : config_(std::move(config)),
      messages_(std::make_unique<detail::MessageIngest>(
          detail::MessageIngestSettings{config_.limits, config_.rateLimitUpdatesPerSecond,
                                        config_.rateLimitBurstSeconds},
          // The ingest thread: each accepted message's resolved samples, as one batch.
          [&channel](std::span<const SampleUpdate> batch) { channel.push(batch); },
          // ...and before it, the declared intervals that changed (the update thread notes them in its stale rule).
          [&channel](std::span<const EntityIndex> entities, Duration interval) {
            channel.noteIntervals(entities, interval);
          },
          health, directory)) {}

ZmqIngest::~ZmqIngest() {
  join();
  releaseSockets();
  if (ownsContext_ && context_ != nullptr) zmq_ctx_term(context_);
}

// Owning thread: closes the socket, then the CURVE pieces: the monitor, the ZAP domain and the authenticator (which
// must be gone before zmq_ctx_term).
void ZmqIngest::releaseSockets() {
  if (socket_ != nullptr) {
    zmq_close(socket_);
    socket_ = nullptr;
  }
  curve_.reset();
}

// Owning thread, from start(): everything CURVE needs before the socket binds or connects. Without a ZAP handler
// libzmq would admit every CURVE client, so the authenticator and the domain come first.
Status ZmqIngest::setUpCurve() {
  const ZmqIngestSecurity& sec = config_.security;
  if (sec.authenticator && config_.zmqContext == nullptr) {
    return Status(ErrorCode::InvalidArgument,
                  "security.authenticator belongs to a shared context: set zmqContext to that context too");
  }
  curve_ = std::make_unique<detail::CurveServer>();
  detail::CurveServerSettings settings{sec.serverKeyFile, sec.allowListFile, sec.zapDomain, sec.authenticator};
  settings.keyPairNeed = "the twin needs its own key pair";
  settings.maxConnections = config_.maxConnections;
  return curve_->setUp(context_, socket_, std::move(settings), this);
}

Status ZmqIngest::start() {
  if (thread_.joinable() || socket_ != nullptr) return Status(ErrorCode::InvalidArgument, "ZmqIngest: already started");
  if (config_.zmqContext != nullptr) {
    context_ = config_.zmqContext;
  } else {
    context_ = zmq_ctx_new();
    if (context_ == nullptr) return Status(ErrorCode::IoError, zmqError("zmq_ctx_new"));
    ownsContext_ = true;
  }
  socket_ = zmq_socket(context_, ZMQ_SUB);
  if (socket_ == nullptr) return Status(ErrorCode::IoError, zmqError("zmq_socket(SUB)"));

  const int linger = 0;
  const int hwm = effectiveReceiveHighWaterMark(config_);
  const int handshakeMs = std::max(0, config_.handshakeTimeoutMs);
  const auto maxFrame = static_cast<std::int64_t>(
      std::max({config_.limits.maxPayloadBytes, config_.limits.maxEnvelopeBytes, config_.limits.maxTopicBytes}));
  auto fail = [this](std::string_view what) {
    Status s = Status(ErrorCode::IoError, zmqError(what));
    releaseSockets();
    return s;
  };
  if (zmq_setsockopt(socket_, ZMQ_LINGER, &linger, sizeof linger) != 0) return fail("ZMQ_LINGER");
  if (zmq_setsockopt(socket_, ZMQ_RCVHWM, &hwm, sizeof hwm) != 0) return fail("ZMQ_RCVHWM");
  if (zmq_setsockopt(socket_, ZMQ_MAXMSGSIZE, &maxFrame, sizeof maxFrame) != 0) return fail("ZMQ_MAXMSGSIZE");
  if (zmq_setsockopt(socket_, ZMQ_HANDSHAKE_IVL, &handshakeMs, sizeof handshakeMs) != 0) {
    return fail("ZMQ_HANDSHAKE_IVL");
  }
  if (config_.topicPrefixes.empty()) {
    if (zmq_setsockopt(socket_, ZMQ_SUBSCRIBE, "", 0) != 0) return fail("ZMQ_SUBSCRIBE");
  } else {
    for (const auto& prefix : config_.topicPrefixes) {
      if (zmq_setsockopt(socket_, ZMQ_SUBSCRIBE, prefix.data(), prefix.size()) != 0) return fail("ZMQ_SUBSCRIBE");
    }
  }
  if (config_.security.mode == IngestSecurity::Curve) {
    if (Status s = setUpCurve(); !s) {
      releaseSockets();
      return s;
    }
  } else if (config_.security.authenticator) {
    // An unauthenticated socket in a context whose ZAP handler is shared: its domain admits NULL (audited).
    curve_ = std::make_unique<detail::CurveServer>();
    if (Status s = curve_->setUpUnauthenticated(socket_, config_.security.zapDomain, config_.security.authenticator);
        !s) {
      releaseSockets();
      return s;
    }
  }
  const int rc = config_.bind ? zmq_bind(socket_, config_.endpoint.c_str())
                              : zmq_connect(socket_, config_.endpoint.c_str());
  if (rc != 0) return fail(std::string(config_.bind ? "zmq_bind " : "zmq_connect ") + config_.endpoint);

  char last[512] = {};
  std::size_t lastSize = sizeof last;
  if (zmq_getsockopt(socket_, ZMQ_LAST_ENDPOINT, last, &lastSize) == 0 && last[0] != '\0') {
    boundEndpoint_ = last;
  } else {
    boundEndpoint_ = config_.endpoint;
  }
  // Thread creation is a full barrier: the socket migrates to the ingest thread safely.
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void ZmqIngest::stop() { stopping_.store(true, std::memory_order_relaxed); }

void ZmqIngest::join() {
  stop();
  if (thread_.joinable()) thread_.join();
}

int ZmqIngest::effectiveReceiveHighWaterMark(const ZmqIngestConfig& config) {
  using U = std::uint64_t;
  const int configured = std::max(0, config.receiveHighWaterMark);
  if (config.maxBufferedBytes == 0) return configured;
  const DecodeLimits& l = config.limits;
  const U largestMessage = std::max<U>(1, U{l.maxTopicBytes} + U{l.maxEnvelopeBytes} + U{l.maxPayloadBytes});
  const U byBytes = std::max<U>(1, config.maxBufferedBytes / largestMessage);
  const U bound = configured == 0 ? byBytes : std::min<U>(byBytes, static_cast<U>(configured));
  return static_cast<int>(std::min<U>(bound, static_cast<U>(std::numeric_limits<int>::max())));
}

ZmqIngestStats ZmqIngest::stats() const {
  ZmqIngestStats s;
  constexpr auto r = std::memory_order_relaxed;
  const detail::MessageIngestCounters& c = messages_->counters();
  detail::copyMessageCounts(c, s);
  s.revokedMessages = revokedMessages_.load(r);
  s.messages += s.revokedMessages;  // a revoked sender's message never reaches messages_
  s.updates = c.updates.load(r);
  s.receiveErrors = receiveErrors_.load(r);
  s.handshakeFailures = handshakeFailures_.load(r);
  s.wrongPublisher = c.wrongPublisher.load(r);
  s.tooManyFrames = tooManyFrames_.load(r);
  s.ungrantedUpdates = c.ungrantedUpdates.load(r);
  s.proxiedMessages = proxiedMessages_.load(r);
  s.unattestedMessages = unattestedMessages_.load(r);
  s.messages += s.unattestedMessages;  // nor does a proxy's message without a valid attestation
  if (curve_ && config_.security.mode == IngestSecurity::Curve) {
    const ZapDomainStats z = curve_->stats();
    s.authAdmitted = z.admitted;
    s.authRefused = z.refused;
    s.connectionLimited = z.connectionLimited;
    s.connections = curve_->establishedConnections();
  }
  return s;
}

namespace {

// CURVE: the publisher-id binding of the current message's sender (AllowListEntry::mayPublishAs), audited when
// it refuses. The ingest thread.
class SenderGate final : public detail::PublisherGate {
 public:
  SenderGate(detail::CurveServer& curve, const std::string& domain) : curve_(curve), domain_(domain) {}

  void setSender(const AllowListEntry* sender, std::string_view key) {
    sender_ = sender;
    key_ = key;
  }
  bool mayPublishAs(std::string_view publisherId) override {
    if (sender_->mayPublishAs(publisherId)) return true;
    if (auto repeats = throttle_.pass("publisher|" + std::string(key_) + "|" + std::string(publisherId))) {
      curve_.auditLog()->warn(
          "AUDIT drop source={} key={} name={} publisher={} reason=\"this key may not publish as '{}' "
          "(allowed: {})\"{}",
          domain_, key_, sender_->name, auditValue(publisherId), auditValue(publisherId),
          sender_->publishers.empty() ? sender_->name : fmt::format("{}", fmt::join(sender_->publishers, ", ")),
          detail::repeatNote(*repeats));
    }
    return false;
  }
  bool writesAnyEntity() const override { return sender_->writesAnyEntity(); }
  bool mayWrite(std::string_view entityId) const override { return sender_->mayWrite(entityId); }
  Duration maxDeclaredInterval() const override { return sender_->maxInterval; }
  Duration maxBackfill() const override { return sender_->maxBackfill; }
  // Updates older than the key's max_backfill_s: one audit line per key a minute.
  void tooOld(std::string_view publisherId, std::uint64_t count, TimePoint oldest) override {
    if (auto repeats = throttle_.pass("backfill|" + std::string(key_))) {
      curve_.auditLog()->warn(
          "AUDIT drop source={} key={} name={} publisher={} updates={} oldest={} reason=\"older than this key's "
          "max_backfill_s ({} s) allows\"{}",
          domain_, key_, sender_->name, auditValue(publisherId), count, formatIsoTime(oldest),
          sender_->maxBackfill / kMicrosPerSecond, detail::repeatNote(*repeats));
    }
  }
  // Updates outside the key's entity grant: one audit line per key a minute (whatever entities it names).
  void ungranted(std::string_view publisherId, std::string_view entityId, std::uint64_t count) override {
    if (auto repeats = throttle_.pass("entity|" + std::string(key_))) {
      curve_.auditLog()->warn(
          "AUDIT drop source={} key={} name={} publisher={} entity={} updates={} reason=\"this key may not write "
          "entity '{}' (granted: {})\"{}",
          domain_, key_, sender_->name, auditValue(publisherId), auditValue(entityId), count, auditValue(entityId),
          fmt::format("{}", fmt::join(sender_->entities, ", ")), detail::repeatNote(*repeats));
    }
  }

 private:
  detail::CurveServer& curve_;
  const std::string& domain_;
  const AllowListEntry* sender_ = nullptr;  // the entry of the current message's key
  std::string_view key_;                    // its key; points into the first frame, alive until the next receive
  detail::AuditThrottle throttle_{60};      // the publisher-id audit lines (the drop lines are CurveServer's)
};

}  // namespace

// The ingest thread.
void ZmqIngest::run() {
  pthread_setname_np(pthread_self(), "gt-ingest");  // visible in top -H and perf (Linux: at most 15 characters)
  constexpr auto relaxed = std::memory_order_relaxed;
  detail::MessageIngest& messages = *messages_;

  // [topic][envelope][payload], and from a proxy key (AllowListEntry::proxy) the attested publisher key.
  std::array<zmq_msg_t, 4> frames{};
  for (auto& f : frames) zmq_msg_init(&f);
  zmq_msg_t extra;
  zmq_msg_init(&extra);

  // Reads one multipart message without blocking. Returns the frame count (0: nothing ready / error); its size in
  // bytes goes to `messageBytes`. Frames after the fourth are read into `extra` one by one and released (libzmq holds
  // the whole message already: it delivers a message only once its last frame has arrived).
  std::uint64_t messageBytes = 0;
  auto receive = [&]() -> std::size_t {
    std::size_t count = 0;
    messageBytes = 0;
    for (;;) {
      zmq_msg_t& target = count < frames.size() ? frames[count] : extra;
      const int rc = zmq_msg_recv(&target, socket_, count == 0 ? ZMQ_DONTWAIT : 0);
      if (rc < 0) {
        if (zmq_errno() != EAGAIN && zmq_errno() != EINTR) receiveErrors_.fetch_add(1, relaxed);
        return 0;  // (a multipart message arrives whole, so a part after the first never fails with EAGAIN)
      }
      ++count;
      messageBytes += zmq_msg_size(&target);
      if (zmq_msg_more(&target) == 0) return count;
    }
  };
  // More frames than the protocol's 3: the sender is buggy or probing how much the twin buffers. Audited (the
  // sender's key; once a minute per key with a count), then dropped as a wrong frame count.
  detail::AuditThrottle framesThrottle(60);
  auto auditTooManyFrames = [&](std::size_t frameCount, std::string_view key, const AllowListEntry* sender) {
    const std::string keyText = key.empty() ? "-" : std::string(key);
    if (auto repeats = framesThrottle.pass("frames|" + keyText)) {
      const auto log = curve_ ? curve_->auditLog() : auditLogger();
      log->warn("AUDIT drop source={} key={} name={} frames={} bytes={} reason=\"a message is 3 frames (topic, "
                "envelope, payload)\"{}",
                config_.security.zapDomain, keyText, sender != nullptr ? sender->name : "-", frameCount, messageBytes,
                detail::repeatNote(*repeats));
    }
    tooManyFrames_.fetch_add(1, relaxed);  // after the audit line
  };

  // CURVE: the allow-list entry the sender's key (its "User-Id") is admitted with now, for the revocation and
  // publisher-id checks (CurveServer::admittedEntry: cached per key, one hash lookup per message; audits a drop).
  detail::CurveServer* const curve = config_.security.mode == IngestSecurity::Curve ? curve_.get() : nullptr;
  std::optional<SenderGate> gate;
  if (curve != nullptr) gate.emplace(*curve, config_.security.zapDomain);

  // A message from a proxy key that does not attest an admitted, non-proxy publisher key: audited (once a minute
  // per proxy key and reason), counted in unattestedMessages, dropped.
  detail::AuditThrottle attestThrottle(60);
  auto refuseAttestation = [&](std::string_view proxyKey, const std::string& proxyName, std::size_t frameCount,
                               const char* reason) {
    if (auto repeats = attestThrottle.pass("attest|" + std::string(proxyKey) + "|" + reason)) {
      curve_->auditLog()->warn("AUDIT drop source={} key={} name={} frames={} reason=\"{}\"{}",
                               config_.security.zapDomain, proxyKey, proxyName, frameCount, reason,
                               detail::repeatNote(*repeats));
    }
    unattestedMessages_.fetch_add(1, relaxed);
  };

  auto handle = [&](std::size_t frameCount) {
    std::string_view senderKey;
    const AllowListEntry* sender = nullptr;
    // The rate limit's bucket: the sender's CURVE key, else its peer address (one shared bucket without one).
    std::string_view rateKey;
    if (curve != nullptr) {
      senderKey = detail::userIdOf(frames[0]);
      sender = curve->admittedEntry(senderKey);
      if (sender == nullptr) {
        revokedMessages_.fetch_add(1, relaxed);  // after the audit line: whoever sees the count finds it
        return;
      }
      if (sender->proxy) {
        // A feed proxy (docs/security.md "Fan-in through a proxy"): the 4th frame is the key the proxy admitted the
        // publisher with; that key's own entry of this list decides everything below, as if it had connected here.
        const std::string proxyName = sender->name;  // the entry pointer is valid only until the next lookup
        const detail::CurveServer::Attestation attested =
            curve->attestedSender(frameCount, frameCount == 4 ? &frames[3] : nullptr);
        if (attested.refusal != nullptr) return refuseAttestation(senderKey, proxyName, frameCount, attested.refusal);
        if (attested.entry == nullptr) {  // not admitted here: audited and dropped as revoked
          revokedMessages_.fetch_add(1, relaxed);
          return;
        }
        sender = attested.entry;
        proxiedMessages_.fetch_add(1, relaxed);
        senderKey = attested.key;
        frameCount = 3;
      }
      gate->setSender(sender, senderKey);
      rateKey = senderKey;
    } else if (messages.rateLimited()) {
      const char* peer = zmq_msg_gets(&frames[0], "Peer-Address");
      if (peer != nullptr) rateKey = peer;
    }
    if (frameCount > 3) auditTooManyFrames(frameCount, senderKey, sender);
    // The frames stay alive (and unchanged) until the next receive(), as messages.handle() needs.
    messages.handle(frameCount, bytesOf(frames[0]), bytesOf(frames[1]), bytesOf(frames[2]), wallNow(),
                    messages.rateLimited() ? monotonicSeconds() : 0.0, gate ? &*gate : nullptr, rateKey);
  };

  // CURVE: the handshake-failure events (PAIR socket); nullptr without CURVE.
  void* const monitor = curve != nullptr ? curve->monitor() : nullptr;
  while (!stopping_.load(relaxed)) {
    std::array<zmq_pollitem_t, 2> items{{{socket_, 0, ZMQ_POLLIN, 0}, {monitor, 0, ZMQ_POLLIN, 0}}};
    const int rc = zmq_poll(items.data(), monitor != nullptr ? 2 : 1, config_.pollTimeoutMs);
    if (rc < 0) {
      if (zmq_errno() == ETERM) break;
      if (zmq_errno() != EINTR) receiveErrors_.fetch_add(1, relaxed);
      continue;
    }
    if (rc == 0) continue;
    if (monitor != nullptr && (items[1].revents & ZMQ_POLLIN) != 0) {
      // Handshakes that failed before ZAP: audited by readMonitor, counted after the audit lines.
      handshakeFailures_.fetch_add(curve->readMonitor(), relaxed);
    }
    // Everything ready, a bounded number at a time so stop() is still noticed under a flood.
    for (int i = 0; i < 1024 && !stopping_.load(relaxed); ++i) {
      const std::size_t n = receive();
      if (n == 0) break;
      handle(n);
    }
  }
  for (auto& f : frames) zmq_msg_close(&f);
  zmq_msg_close(&extra);
}

}  // namespace gt::connectors
