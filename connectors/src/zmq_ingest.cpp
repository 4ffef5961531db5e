#include "greentwin/connectors/zmq_ingest.hpp"

#include <zmq.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <functional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <utility>

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
  if (socket_ != nullptr) {
    zmq_close(socket_);
    socket_ = nullptr;
  }
  if (ownsContext_ && context_ != nullptr) zmq_ctx_term(context_);
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
    zmq_close(socket_);
    socket_ = nullptr;
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
  return s;
}

// The ingest thread.
void ZmqIngest::run() {
  constexpr auto relaxed = std::memory_order_relaxed;
  EntityDirectory::SnapshotCache snapshots(directory_);
  RejectCounters rejects;
  std::unordered_map<std::string, TokenBucket, StringHash, std::equal_to<>> buckets;
  std::vector<SampleUpdate> batch;  // reused: its capacity stays
  MessageView view;                 // reused: binary payloads decode into it without allocating
  // Binary payloads: per string-table index, the directory lookup of this message (kUnresolved until first use).
  // Each distinct string is looked up at most once per message, as an entity and/or as an attribute.
  constexpr std::uint32_t kUnresolved = 0xFFFFFFFFu;
  constexpr std::uint32_t kUnknown = 0xFFFFFFFEu;
  std::vector<std::uint32_t> entityOf;
  std::vector<std::uint32_t> attributeOf;
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

  auto handle = [&](std::size_t frameCount) {
    counters_.messages.fetch_add(1, relaxed);
    if (frameCount != 3) {
      counters_.wrongFrameCount.fetch_add(1, relaxed);
      return;
    }
    const TimePoint now = wallNow();
    const std::uint64_t rejectedBefore = rejects.total();
    // The frames stay alive (and unchanged) until the next receive(): the views in `view` point into them.
    const Status decoded = decodeMessageView(bytesOf(frames[0]), bytesOf(frames[1]), bytesOf(frames[2]),
                                             config_.limits, now, view, &rejects);
    if (!decoded.isOk()) {
      if (rejects.total() != rejectedBefore && rejects.last) {
        counters_.rejects[static_cast<std::size_t>(*rejects.last)].fetch_add(1, relaxed);
      }
      return;
    }
    const Envelope& env = view.envelope;
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
    const DirectorySnapshot& dir = snapshots.get();
    batch.clear();
    batch.reserve(updateCount);
    std::uint64_t unknownEntities = 0;
    std::uint64_t unknownAttributes = 0;
    if (env.encoding == PayloadEncoding::Binary) {
      // Resolve through the string table: each entry hashed at most once per message.
      entityOf.assign(view.strings.size(), kUnresolved);
      attributeOf.assign(view.strings.size(), kUnresolved);
      for (const BinaryRecord& r : view.records) {
        std::uint32_t& entity = entityOf[r.entity];
        if (entity == kUnresolved) entity = dir.findEntity(view.strings[r.entity]).value_or(kUnknown);
        if (entity == kUnknown) {
          ++unknownEntities;
          directory_.reportUnknownEntity(view.strings[r.entity]);
          continue;
        }
        std::uint32_t& attribute = attributeOf[r.attribute];
        if (attribute == kUnresolved) attribute = dir.findAttribute(view.strings[r.attribute]).value_or(kUnknown);
        if (attribute == kUnknown) {
          ++unknownAttributes;
          directory_.reportUnknownAttribute(view.strings[r.attribute]);
          continue;
        }
        batch.push_back(SampleUpdate{entity, attribute, r.time.value_or(env.sourceTime), r.value});
      }
    } else {
      // JSON: the materialised updates. Consecutive updates usually share the attribute: remember the last lookup.
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
        batch.push_back(SampleUpdate{*entity, *lastAttr, u.time.value_or(env.sourceTime), u.value});
      }
    }
    if (unknownEntities != 0) counters_.unknownEntities.fetch_add(unknownEntities, relaxed);
    if (unknownAttributes != 0) counters_.unknownAttributes.fetch_add(unknownAttributes, relaxed);
    if (!batch.empty()) channel_.push(batch);
    counters_.updates.fetch_add(batch.size(), relaxed);
    counters_.accepted.fetch_add(1, relaxed);
  };

  while (!stopping_.load(relaxed)) {
    zmq_pollitem_t item{socket_, 0, ZMQ_POLLIN, 0};
    const int rc = zmq_poll(&item, 1, config_.pollTimeoutMs);
    if (rc < 0) {
      if (zmq_errno() == ETERM) break;
      if (zmq_errno() != EINTR) counters_.receiveErrors.fetch_add(1, relaxed);
      continue;
    }
    if (rc == 0) continue;
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
