// Feed capture (SUB socket -> recording) and replay (recording -> XPUB socket). See feed_recording.hpp.
#include <zmq.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <span>

#include <spdlog/spdlog.h>

#include "audit_throttle.hpp"
#include "curve_server.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/connectors/feed_recording.hpp"
#include "greentwin/core/log.hpp"

namespace gt::connectors {

namespace {

using SteadyClock = std::chrono::steady_clock;

std::string zmqError(const std::string& what) { return what + ": " + zmq_strerror(zmq_errno()); }

std::string lastEndpoint(void* socket) {
  char buffer[512] = {};
  std::size_t size = sizeof buffer;
  if (zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, buffer, &size) != 0) return {};
  return buffer;
}

}  // namespace

// ---- FeedCapture ----

FeedCapture::FeedCapture(FeedCaptureConfig config) : config_(std::move(config)) {}

FeedCapture::~FeedCapture() {
  join();
  release();
  if (ownsContext_ && context_ != nullptr) zmq_ctx_term(context_);
}

// Owning thread: the socket, then the CURVE pieces (the authenticator must be gone before zmq_ctx_term).
void FeedCapture::release() {
  if (socket_ != nullptr) zmq_close(socket_);
  socket_ = nullptr;
  curve_.reset();
}

Status FeedCapture::start() {
  if (thread_.joinable() || socket_ != nullptr) return Status(ErrorCode::InvalidArgument, "capture already started");
  const FeedCaptureConfig::Security& sec = config_.security;
  // The keys are checked before the file is created, so a mistyped option does not leave an empty recording.
  if (sec.mode == RecordingSecurity::Curve && (sec.serverKeyFile.empty() || sec.allowListFile.empty())) {
    return Status(ErrorCode::InvalidArgument,
                  std::string("recording a CURVE source needs ") +
                      (sec.serverKeyFile.empty() ? "the server key file (the twin's key pair with its secret)"
                                                 : "the allow-list file (the admitted publishers)") +
                      "; to record an unauthenticated (NULL) feed, set the security mode to none explicitly");
  }
  context_ = config_.zmqContext;
  if (context_ == nullptr) {
    context_ = zmq_ctx_new();
    if (context_ == nullptr) return Status(ErrorCode::IoError, zmqError("zmq_ctx_new"));
    ownsContext_ = true;
  }
  socket_ = zmq_socket(context_, ZMQ_SUB);
  if (socket_ == nullptr) return Status(ErrorCode::IoError, zmqError("zmq_socket"));
  auto fail = [this](Status s) {
    release();
    return s;
  };
  if (sec.mode == RecordingSecurity::Curve) {
    curve_ = std::make_unique<detail::CurveServer>();
    detail::CurveServerSettings settings{sec.serverKeyFile, sec.allowListFile, sec.zapDomain, nullptr};
    settings.maxConnections = config_.maxConnections;
    if (Status s = curve_->setUp(context_, socket_, std::move(settings), this); !s) return fail(s);
  } else {
    logger()->warn("recording without authentication (security none): anyone who can reach {} is recorded",
                   config_.endpoint);
  }
  auto recorder = FeedRecorder::create(config_.outPath, wallNow(), sec.mode);
  if (!recorder) return fail(recorder.status());
  recorder_ = std::move(*recorder);
  const int linger = 0;
  zmq_setsockopt(socket_, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(socket_, ZMQ_RCVHWM, &config_.receiveHighWaterMark, sizeof config_.receiveHighWaterMark);
  // A frame larger than a record cannot be recorded: libzmq drops the connection that sends one before buffering it.
  const std::int64_t maxFrame = kMaxRecordBytes;
  zmq_setsockopt(socket_, ZMQ_MAXMSGSIZE, &maxFrame, sizeof maxFrame);
  const int handshakeMs = std::max(0, config_.handshakeTimeoutMs);  // an idle connection is closed after this
  zmq_setsockopt(socket_, ZMQ_HANDSHAKE_IVL, &handshakeMs, sizeof handshakeMs);
  if (config_.topicPrefixes.empty()) {
    zmq_setsockopt(socket_, ZMQ_SUBSCRIBE, "", 0);
  } else {
    for (const std::string& t : config_.topicPrefixes) zmq_setsockopt(socket_, ZMQ_SUBSCRIBE, t.data(), t.size());
  }
  const int rc = config_.bind ? zmq_bind(socket_, config_.endpoint.c_str())
                              : zmq_connect(socket_, config_.endpoint.c_str());
  if (rc != 0) {
    return fail(Status(ErrorCode::IoError,
                       zmqError(std::string(config_.bind ? "cannot bind " : "cannot connect ") + config_.endpoint)));
  }
  boundEndpoint_ = lastEndpoint(socket_);
  if (boundEndpoint_.empty()) boundEndpoint_ = config_.endpoint;
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

void FeedCapture::stop() { stopping_.store(true); }

void FeedCapture::join() {
  stop();
  if (thread_.joinable()) thread_.join();
}

FeedCaptureStats FeedCapture::stats() const {
  constexpr auto r = std::memory_order_relaxed;
  FeedCaptureStats s;
  s.messages = messages_.load(r);
  s.bytes = bytes_.load(r);
  s.receiveErrors = receiveErrors_.load(r);
  s.handshakeFailures = handshakeFailures_.load(r);
  s.revokedMessages = revokedMessages_.load(r);
  s.unrecordable = unrecordable_.load(r);
  s.unattestedMessages = unattestedMessages_.load(r);
  if (curve_) {
    const ZapDomainStats z = curve_->stats();
    s.authAdmitted = z.admitted;
    s.authRefused = z.refused;
  }
  return s;
}

Status FeedCapture::result() const { return finished_.load() ? result_ : Status::ok(); }

// The capture thread: owns the socket and the recorder.
void FeedCapture::run() {
  const auto started = SteadyClock::now();
  const auto deadline = started + std::chrono::microseconds(config_.maxDuration);
  std::vector<zmq_msg_t> parts;
  std::vector<std::span<const std::byte>> views;
  void* const monitor = curve_ ? curve_->monitor() : nullptr;
  detail::AuditThrottle dropLog(60);  // the unrecordable-message warning, once a minute with a count
  Status result;
  while (!stopping_.load(std::memory_order_relaxed)) {
    if (config_.maxDuration > 0 && SteadyClock::now() >= deadline) break;
    if (config_.maxMessages > 0 && messages_.load(std::memory_order_relaxed) >= config_.maxMessages) break;
    std::array<zmq_pollitem_t, 2> items{{{socket_, 0, ZMQ_POLLIN, 0}, {monitor, 0, ZMQ_POLLIN, 0}}};
    int timeout = config_.pollTimeoutMs;
    if (config_.maxDuration > 0) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now()).count();
      timeout = static_cast<int>(std::clamp<long long>(left + 1, 0, timeout));
    }
    const int polled = zmq_poll(items.data(), monitor != nullptr ? 2 : 1, timeout);
    if (polled < 0) {
      if (zmq_errno() != EINTR) receiveErrors_.fetch_add(1, std::memory_order_relaxed);
      continue;
    }
    if (polled == 0) continue;
    if (monitor != nullptr && (items[1].revents & ZMQ_POLLIN) != 0) {
      // Handshakes that failed before ZAP: audited by readMonitor, counted after the audit line.
      handshakeFailures_.fetch_add(curve_->readMonitor(), std::memory_order_relaxed);
    }
    if ((items[0].revents & ZMQ_POLLIN) == 0) continue;
    // Every message ready now, without blocking.
    while (!stopping_.load(std::memory_order_relaxed)) {
      if (config_.maxMessages > 0 && messages_.load(std::memory_order_relaxed) >= config_.maxMessages) break;
      parts.clear();
      int more = 1;
      bool failed = false;
      while (more != 0) {
        parts.emplace_back();
        zmq_msg_init(&parts.back());
        if (zmq_msg_recv(&parts.back(), socket_, parts.size() == 1 ? ZMQ_DONTWAIT : 0) < 0) {
          if (zmq_errno() != EAGAIN && zmq_errno() != EINTR) receiveErrors_.fetch_add(1, std::memory_order_relaxed);
          failed = true;
          break;
        }
        more = zmq_msg_more(&parts.back());
      }
      // The receive time is taken once the whole message is in, like the ingest's.
      const TimePoint wall = wallNow();
      const Duration offset =
          std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - started).count();
      // CURVE: the key the sender was admitted with; a key revoked since its handshake gets nothing recorded.
      std::string_view key = !failed && curve_ ? detail::userIdOf(parts.front()) : std::string_view();
      const AllowListEntry* sender = !failed && curve_ ? curve_->admittedEntry(key) : nullptr;
      std::size_t frames = parts.size();
      bool unattested = false;
      if (sender != nullptr && sender->proxy) {
        // Behind a feed proxy: the publisher's own 3-frame message under the key the proxy attests (its 4th frame),
        // as the twin's ingest takes it, so that the recording replays like one made without the proxy.
        const detail::CurveServer::Attestation attested =
            curve_->attestedSender(parts.size(), parts.size() == 4 ? &parts[3] : nullptr);
        sender = attested.entry;
        key = attested.key;
        frames = 3;
        unattested = attested.refusal != nullptr;
      }
      if (!failed && curve_ && unattested) {
        if (auto repeats = dropLog.pass("unattested")) {
          logger()->warn("recorder {}: a feed proxy's message of {} frames attests no publisher: not recorded{}",
                         config_.endpoint, parts.size(), detail::repeatNote(*repeats));
        }
        unattestedMessages_.fetch_add(1, std::memory_order_relaxed);
      } else if (!failed && curve_ && sender == nullptr) {
        revokedMessages_.fetch_add(1, std::memory_order_relaxed);
      } else if (!failed) {
        views.clear();
        std::uint64_t size = 0;
        for (auto& m : std::span(parts).first(frames)) {
          views.emplace_back(static_cast<const std::byte*>(zmq_msg_data(&m)), zmq_msg_size(&m));
          size += zmq_msg_size(&m);
        }
        if (parts.size() > kMaxRecordFrames) {
          // Cannot be recorded as is: keep the first frames so the incident is still visible in the file.
          views.resize(kMaxRecordFrames);
        }
        result = recorder_->write(wall, offset, views, key);
        if (result.isOk()) {
          messages_.fetch_add(1, std::memory_order_relaxed);
          bytes_.fetch_add(size, std::memory_order_relaxed);
        } else if (result.code() == ErrorCode::InvalidArgument) {
          // This message cannot be a record (over kMaxRecordBytes): dropped and counted, the recording goes on.
          // Only a failed write (IoError) ends it.
          if (auto repeats = dropLog.pass("unrecordable")) {
            logger()->warn("recorder {}: message of {} frames, {} bytes not recorded: {}{}", config_.endpoint,
                           parts.size(), size, result.message(), detail::repeatNote(*repeats));
          }
          unrecordable_.fetch_add(1, std::memory_order_relaxed);
          result = Status::ok();
        }
      }
      for (auto& m : parts) zmq_msg_close(&m);
      if (failed || !result.isOk()) break;
    }
    if (!result.isOk()) break;
  }
  result_ = result;
  finished_.store(true);
}

// ---- replay ----

Result<FeedReplayStats> replayFeed(const std::string& path, const FeedReplayConfig& config,
                                   const std::atomic<bool>* stop,
                                   const std::function<void(const std::string&)>& onBound) {
  if (!config.asFastAsPossible && !(config.speed > 0 && config.speed <= 1e6)) {
    return Status(ErrorCode::InvalidArgument, "replay speed must be > 0 (use asFastAsPossible for no pacing)");
  }
  auto reader = FeedRecordingReader::open(path);
  if (!reader) return reader.status();

  void* context = config.zmqContext != nullptr ? config.zmqContext : zmq_ctx_new();
  const bool ownsContext = config.zmqContext == nullptr;
  void* socket = zmq_socket(context, ZMQ_XPUB);
  struct Cleanup {
    void* socket;
    void* context;
    bool ownsContext;
    ~Cleanup() {
      if (socket != nullptr) zmq_close(socket);
      if (ownsContext) zmq_ctx_term(context);
    }
  } cleanup{socket, context, ownsContext};
  if (socket == nullptr) return Status(ErrorCode::IoError, zmqError("zmq_socket"));
  const int linger = 2000;  // let the last messages go out when the replay ends
  zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(socket, ZMQ_SNDHWM, &config.sendHighWaterMark, sizeof config.sendHighWaterMark);
  const int nodrop = config.noDrop ? 1 : 0;
  zmq_setsockopt(socket, ZMQ_XPUB_NODROP, &nodrop, sizeof nodrop);
  const int sendTimeoutMs = 50;  // a blocked send re-checks `stop` this often
  zmq_setsockopt(socket, ZMQ_SNDTIMEO, &sendTimeoutMs, sizeof sendTimeoutMs);
  if (!config.serverKey.empty() || !config.keyFile.empty()) {
    if (config.serverKey.empty() || config.keyFile.empty()) {
      return Status(ErrorCode::InvalidArgument, "CURVE needs both the server key and a key file");
    }
    // The server key: Z85 text, else a key file to read the public key from.
    std::string serverPublic = config.serverKey;
    if (!validateZ85Key(serverPublic).isOk()) {
      auto server = readKeyFile(config.serverKey);
      if (!server) return Status(server.status().code(), "server key: " + server.status().message());
      serverPublic = server->publicKey;
    }
    auto own = readKeyFile(config.keyFile);
    if (!own) return own.status();
    if (!own->hasSecret()) {
      return Status(ErrorCode::InvalidArgument, "key file '" + config.keyFile + "' has no secret key");
    }
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVERKEY, serverPublic.c_str(), kZ85KeyLength) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_PUBLICKEY, own->publicKey.c_str(), kZ85KeyLength) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, own->secretKey.c_str(), kZ85KeyLength) != 0) {
      return Status(ErrorCode::Unsupported, zmqError("CURVE keys"));
    }
  }
  const int rc = config.bind ? zmq_bind(socket, config.endpoint.c_str()) : zmq_connect(socket, config.endpoint.c_str());
  if (rc != 0) {
    return Status(ErrorCode::IoError,
                  zmqError(std::string(config.bind ? "cannot bind " : "cannot connect ") + config.endpoint));
  }
  if (onBound) {
    const std::string bound = lastEndpoint(socket);
    onBound(bound.empty() ? config.endpoint : bound);
  }
  auto stopped = [stop] { return stop != nullptr && stop->load(std::memory_order_relaxed); };

  FeedReplayStats stats;
  // XPUB hands subscriptions up as messages: the first one means a subscriber is connected and will get what
  // is sent next (a plain PUB would drop everything sent before the subscription arrived).
  auto drainSubscriptions = [&](int timeoutMs) {
    zmq_pollitem_t item{socket, 0, ZMQ_POLLIN, 0};
    while (zmq_poll(&item, 1, timeoutMs) > 0) {
      zmq_msg_t m;
      zmq_msg_init(&m);
      if (zmq_msg_recv(&m, socket, ZMQ_DONTWAIT) >= 0 && zmq_msg_size(&m) > 0 &&
          *static_cast<const unsigned char*>(zmq_msg_data(&m)) == 1) {
        stats.subscriberSeen = true;
      }
      zmq_msg_close(&m);
      timeoutMs = 0;
    }
  };
  if (config.waitForSubscriberMs > 0) {
    const auto deadline = SteadyClock::now() + std::chrono::milliseconds(config.waitForSubscriberMs);
    while (!stats.subscriberSeen && !stopped() && SteadyClock::now() < deadline) drainSubscriptions(50);
  }

  const auto started = SteadyClock::now();
  RecordedMessage m;
  while (!stopped()) {
    // One pass. Pacing restarts per pass: message i goes out at passStart + (offset_i - offset_0) / speed.
    const auto passStart = SteadyClock::now();
    bool first = true;
    Duration firstOffset = 0;
    std::uint64_t sentThisPass = 0;
    while (!stopped() && (*reader)->next(m)) {
      if (first) {
        firstOffset = m.receiveOffset;
        first = false;
      }
      const Duration relative = std::max<Duration>(0, m.receiveOffset - firstOffset);
      stats.recordedSpan = std::max(stats.recordedSpan, relative);
      if (!config.asFastAsPossible) {
        const auto due = passStart + std::chrono::microseconds(
                                         static_cast<std::int64_t>(static_cast<double>(relative) / config.speed));
        while (!stopped()) {
          const auto now = SteadyClock::now();
          if (now >= due) break;
          std::this_thread::sleep_for(std::min<SteadyClock::duration>(due - now, std::chrono::milliseconds(50)));
        }
      }
      for (std::size_t i = 0; i < m.frames.size() && !stopped();) {
        const int flags = i + 1 < m.frames.size() ? ZMQ_SNDMORE : 0;
        if (zmq_send(socket, m.frames[i].data(), m.frames[i].size(), flags) >= 0) {
          ++i;
        } else if (zmq_errno() != EAGAIN && zmq_errno() != EINTR) {
          return Status(ErrorCode::IoError, zmqError("send"));
        }
      }
      if (m.frames.empty()) continue;  // nothing to send for an empty record
      ++stats.messages;
      ++sentThisPass;
      for (const auto& f : m.frames) stats.bytes += f.size();
      drainSubscriptions(0);
    }
    stats.damage = (*reader)->damage();
    if (stopped()) break;
    ++stats.loops;
    if (!config.loop || sentThisPass == 0) break;
    auto again = FeedRecordingReader::open(path);
    if (!again) return again.status();
    reader = std::move(again);
  }
  stats.wallSeconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
  return stats;
}

}  // namespace gt::connectors
