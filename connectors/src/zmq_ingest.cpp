#include "greentwin/connectors/zmq_ingest.hpp"

#include <pthread.h>
#include <zmq.h>

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <functional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "audit_throttle.hpp"
#include "curve_server.hpp"
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

struct TokenBucket {
  double tokens = 0;
  double last = 0;
};

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

std::uint64_t ZmqIngestStats::rejectTotal() const {
  std::uint64_t total = wrongFrameCount;
  for (auto c : rejects) total += c;
  return total;
}

ZmqIngest::ZmqIngest(ZmqIngestConfig config, UpdateChannel& channel, FeedHealth& health, EntityDirectory& directory)
    : config_(std::move(config)), channel_(channel), health_(health), directory_(directory) {}

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
  const int hwm = std::max(0, config_.receiveHighWaterMark);
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

ZmqIngestStats ZmqIngest::stats() const {
  ZmqIngestStats s;
  constexpr auto r = std::memory_order_relaxed;
  s.messages = counters_.messages.load(r);
  s.accepted = counters_.accepted.load(r);
  s.updates = counters_.updates.load(r);
  s.wrongFrameCount = counters_.wrongFrameCount.load(r);
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) s.rejects[i] = counters_.rejects[i].load(r);
  s.duplicates = counters_.duplicates.load(r);
  s.old = counters_.old.load(r);
  s.rateLimitedMessages = counters_.rateLimitedMessages.load(r);
  s.rateLimitedUpdates = counters_.rateLimitedUpdates.load(r);
  s.unknownEntities = counters_.unknownEntities.load(r);
  s.unknownAttributes = counters_.unknownAttributes.load(r);
  s.receiveErrors = counters_.receiveErrors.load(r);
  s.handshakeFailures = counters_.handshakeFailures.load(r);
  s.revokedMessages = counters_.revokedMessages.load(r);
  s.wrongPublisher = counters_.wrongPublisher.load(r);
  if (curve_ && config_.security.mode == IngestSecurity::Curve) {
    const ZapDomainStats z = curve_->stats();
    s.authAdmitted = z.admitted;
    s.authRefused = z.refused;
  }
  return s;
}

namespace {

// The string table of the last binary message and its directory lookups. Publishers usually send the same table
// in message after message (the same entities and attributes, in the same order), so comparing the bytes (a few
// ns per string) replaces two hash lookups per string while the table and the directory snapshot stay the same.
struct ResolvedStringTable {
  std::uint64_t snapshotVersion = ~std::uint64_t{0};
  std::uint64_t viewGeneration = ~std::uint64_t{0};  // MessageView::tableGeneration the lookups were made for
  std::string bytes;                // the strings, concatenated
  std::vector<std::size_t> ends;    // end offset in `bytes` of each string
  std::vector<std::uint32_t> entityOf;     // per string: its entity index, or kUnmapped
  std::vector<std::uint32_t> attributeOf;  // per string: its attribute id, or kUnmapped
  // The envelope interval last noted for the table's entities (per-sample stale rule); 0: not noted yet.
  Duration notedInterval = 0;

  bool matches(std::uint64_t version, const std::vector<std::string_view>& strings) const {
    if (version != snapshotVersion || strings.size() != ends.size()) return false;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < strings.size(); ++i) {
      const std::string_view kept(bytes.data() + begin, ends[i] - begin);
      if (kept != strings[i]) return false;
      begin = ends[i];
    }
    return true;
  }
  // Every string is looked up as an entity and as an attribute: which role a string plays is only known per
  // record, and the records are checked and mapped in one pass (decodeDeferredRecords).
  void reset(std::uint64_t version, const std::vector<std::string_view>& strings, const DirectorySnapshot& dir) {
    snapshotVersion = version;
    bytes.clear();
    ends.clear();
    entityOf.clear();
    attributeOf.clear();
    notedInterval = 0;
    for (std::string_view text : strings) {
      bytes.append(text);
      ends.push_back(bytes.size());
      entityOf.push_back(dir.findEntity(text).value_or(kUnmapped));
      attributeOf.push_back(dir.findAttribute(text).value_or(kUnmapped));
    }
  }
};

}  // namespace

// The ingest thread.
void ZmqIngest::run() {
  pthread_setname_np(pthread_self(), "gt-ingest");  // visible in top -H and perf (Linux: at most 15 characters)
  constexpr auto relaxed = std::memory_order_relaxed;
  EntityDirectory::SnapshotCache snapshots(directory_);
  RejectCounters rejects;
  std::unordered_map<std::string, TokenBucket, StringHash, std::equal_to<>> buckets;
  std::vector<SampleUpdate> batch;  // reused: grows to the largest message, never shrinks
  MessageView view;                 // reused: binary payloads decode into it without allocating
  // Binary payloads: per string-table index, the directory lookups, kept while the next message's table is equal.
  ResolvedStringTable table;
  std::vector<UnmappedString> unmapped;  // reused: records naming an unknown entity or attribute
  const double rate = config_.rateLimitUpdatesPerSecond;
  const double burst = rate > 0 ? std::max(1.0, rate * std::max(0.0, config_.rateLimitBurstSeconds)) : 0.0;

  std::array<zmq_msg_t, 3> frames{};
  for (auto& f : frames) zmq_msg_init(&f);
  zmq_msg_t extra;
  zmq_msg_init(&extra);

  // Reads one multipart message without blocking. Returns the frame count (0: nothing ready / error).
  auto receive = [&]() -> std::size_t {
    std::size_t count = 0;
    for (;;) {
      zmq_msg_t& target = count < frames.size() ? frames[count] : extra;
      const int rc = zmq_msg_recv(&target, socket_, count == 0 ? ZMQ_DONTWAIT : 0);
      if (rc < 0) {
        if (zmq_errno() != EAGAIN && zmq_errno() != EINTR) counters_.receiveErrors.fetch_add(1, relaxed);
        return 0;  // (a multipart message arrives whole, so a part after the first never fails with EAGAIN)
      }
      ++count;
      if (zmq_msg_more(&target) == 0) return count;
    }
  };

  // CURVE: the allow-list entry the sender's key (its "User-Id") is admitted with now, for the revocation and
  // publisher-id checks (CurveServer::admittedEntry: cached per key, one hash lookup per message; audits a drop).
  detail::CurveServer* const curve = config_.security.mode == IngestSecurity::Curve ? curve_.get() : nullptr;
  const std::string& domain = config_.security.zapDomain;
  const AllowListEntry* sender = nullptr;  // the entry of the current message's key (CURVE only)
  std::string_view senderKey;              // its key; points into frames[0], alive until the next receive()
  detail::AuditThrottle throttle(60);      // the publisher-id audit lines (the drop lines are CurveServer's)
  auto senderAdmitted = [&](zmq_msg_t& first) -> bool {
    senderKey = detail::userIdOf(first);
    sender = curve->admittedEntry(senderKey);
    if (sender != nullptr) return true;
    counters_.revokedMessages.fetch_add(1, relaxed);  // after the audit line: whoever sees the count finds it
    return false;
  };

  auto handle = [&](std::size_t frameCount) {
    counters_.messages.fetch_add(1, relaxed);
    if (curve != nullptr && !senderAdmitted(frames[0])) return;
    if (frameCount != 3) {
      counters_.wrongFrameCount.fetch_add(1, relaxed);
      return;
    }
    const TimePoint now = wallNow();
    const std::uint64_t rejectedBefore = rejects.total();
    auto countReject = [&] {
      if (rejects.total() != rejectedBefore && rejects.last) {
        counters_.rejects[static_cast<std::size_t>(*rejects.last)].fetch_add(1, relaxed);
      }
    };
    // The frames stay alive (and unchanged) until the next receive(): the views in `view` point into them.
    // Binary records are checked and mapped to directory ids in one pass, straight into `batch`, before anything
    // counts the message as received (a rejected message touches no sequence, health or rate state).
    const Status decoded = decodeMessageView(bytesOf(frames[0]), bytesOf(frames[1]), bytesOf(frames[2]),
                                             config_.limits, now, view, &rejects, BinaryRecords::Defer);
    if (!decoded.isOk()) {
      countReject();
      return;
    }
    const DirectorySnapshot& dir = snapshots.get();
    std::size_t mapped = 0;
    if (view.envelope.encoding == PayloadEncoding::Binary) {
      // The decoder says when the table is the one it saw last (compared as bytes); otherwise compare strings.
      if (view.tableGeneration != table.viewGeneration || snapshots.version() != table.snapshotVersion) {
        if (!table.matches(snapshots.version(), view.strings)) table.reset(snapshots.version(), view.strings, dir);
        table.viewGeneration = view.tableGeneration;
      }
      if (batch.size() < view.deferredCount) batch.resize(view.deferredCount);
      const Result<std::size_t> written =
          decodeDeferredRecords(view, config_.limits, now, StringIdMap{table.entityOf, table.attributeOf}, batch,
                                unmapped, &rejects);
      if (!written) {
        countReject();
        return;
      }
      mapped = *written;
    }
    const Envelope& env = view.envelope;
    if (sender != nullptr && !sender->mayPublishAs(env.publisherId)) {
      if (auto repeats = throttle.pass("publisher|" + std::string(senderKey) + "|" + env.publisherId)) {
        curve->auditLog()->warn(
            "AUDIT drop source={} key={} name={} publisher={} reason=\"this key may not publish as '{}' (allowed: {})\"{}",
            domain, senderKey, sender->name, env.publisherId, env.publisherId,
            sender->publishers.empty() ? sender->name : fmt::format("{}", fmt::join(sender->publishers, ", ")),
            detail::repeatNote(*repeats));
      }
      counters_.wrongPublisher.fetch_add(1, relaxed);  // after the audit line
      return;
    }
    const std::size_t updateCount = view.updateCount();
    const SequenceVerdict verdict =
        health_.record(env.publisherId, env.sequence, env.sourceTime, now, env.declaredInterval, updateCount);
    if (verdict == SequenceVerdict::Duplicate) {
      counters_.duplicates.fetch_add(1, relaxed);
      return;
    }
    if (verdict == SequenceVerdict::Old) {
      counters_.old.fetch_add(1, relaxed);
      return;
    }
    if (rate > 0) {
      auto it = buckets.find(env.publisherId);
      const double t = monotonicSeconds();
      if (it == buckets.end()) it = buckets.emplace(env.publisherId, TokenBucket{burst, t}).first;
      TokenBucket& b = it->second;
      b.tokens = std::min(burst, b.tokens + (t - b.last) * rate);
      b.last = t;
      const auto n = static_cast<double>(updateCount);
      // A message larger than the bucket passes only when the bucket is full (then the bucket goes into debt).
      if (b.tokens < std::min(n, burst)) {
        counters_.rateLimitedMessages.fetch_add(1, relaxed);
        counters_.rateLimitedUpdates.fetch_add(updateCount, relaxed);
        return;
      }
      b.tokens -= n;
    }
    std::uint64_t unknownEntities = 0;
    std::uint64_t unknownAttributes = 0;
    std::size_t resolvedCount = 0;
    if (env.encoding == PayloadEncoding::Binary) {
      for (const UnmappedString& u : unmapped) {
        if (u.attribute) {
          ++unknownAttributes;
          directory_.reportUnknownAttribute(view.strings[u.string]);
        } else {
          ++unknownEntities;
          directory_.reportUnknownEntity(view.strings[u.string]);
        }
      }
      // The per-sample stale rule (issue 4) needs each entity's declared interval. Noted for every entity the
      // string table names, once per table, snapshot and interval, rather than once per record.
      if (table.notedInterval != env.declaredInterval) {
        for (const std::uint32_t entity : table.entityOf) {
          if (entity != kUnmapped) dir.noteInterval(entity, env.declaredInterval);
        }
        table.notedInterval = env.declaredInterval;
      }
      resolvedCount = mapped;
    } else {
      // JSON: the materialised updates. Consecutive updates usually share the attribute: remember the last lookup.
      if (batch.size() < view.jsonUpdates.size()) batch.resize(view.jsonUpdates.size());
      SampleUpdate* out = batch.data();
      std::string_view lastAttrName;
      std::optional<AttributeId> lastAttr;
      for (const Update& u : view.jsonUpdates) {
        const std::optional<EntityIndex> entity = dir.findEntity(u.entityId);
        if (!entity) {
          ++unknownEntities;
          directory_.reportUnknownEntity(u.entityId);
          continue;
        }
        if (lastAttrName.data() == nullptr || u.attribute != lastAttrName) {
          lastAttr = dir.findAttribute(u.attribute);
          lastAttrName = u.attribute;
        }
        if (!lastAttr) {
          ++unknownAttributes;
          directory_.reportUnknownAttribute(u.attribute);
          continue;
        }
        dir.noteInterval(*entity, env.declaredInterval);
        *out++ = SampleUpdate{*entity, *lastAttr, u.time.value_or(env.sourceTime), u.value};
      }
      resolvedCount = static_cast<std::size_t>(out - batch.data());
    }
    const std::span<const SampleUpdate> resolved(batch.data(), resolvedCount);
    if (unknownEntities != 0) counters_.unknownEntities.fetch_add(unknownEntities, relaxed);
    if (unknownAttributes != 0) counters_.unknownAttributes.fetch_add(unknownAttributes, relaxed);
    if (!resolved.empty()) channel_.push(resolved);
    counters_.updates.fetch_add(resolved.size(), relaxed);
    counters_.accepted.fetch_add(1, relaxed);
  };

  // CURVE: the handshake-failure events (PAIR socket); nullptr without CURVE.
  void* const monitor = curve != nullptr ? curve->monitor() : nullptr;
  while (!stopping_.load(relaxed)) {
    std::array<zmq_pollitem_t, 2> items{{{socket_, 0, ZMQ_POLLIN, 0}, {monitor, 0, ZMQ_POLLIN, 0}}};
    const int rc = zmq_poll(items.data(), monitor != nullptr ? 2 : 1, config_.pollTimeoutMs);
    if (rc < 0) {
      if (zmq_errno() == ETERM) break;
      if (zmq_errno() != EINTR) counters_.receiveErrors.fetch_add(1, relaxed);
      continue;
    }
    if (rc == 0) continue;
    if (monitor != nullptr && (items[1].revents & ZMQ_POLLIN) != 0) {
      // Handshakes that failed before ZAP: audited by readMonitor, counted after the audit lines.
      counters_.handshakeFailures.fetch_add(curve->readMonitor(), relaxed);
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
