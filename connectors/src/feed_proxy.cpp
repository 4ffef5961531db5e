// Feed fan-in: XSUB (CURVE server, ZAP allow-list) -> XPUB (CURVE client of each twin). See feed_proxy.hpp.
#include "greentwin/connectors/feed_proxy.hpp"

#include <pthread.h>
#include <zmq.h>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>
#include <vector>

#include "audit_throttle.hpp"
#include "curve_server.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/core/log.hpp"

namespace gt::connectors {

namespace {

std::string zmqError(std::string_view what) { return std::string(what) + ": " + zmq_strerror(zmq_errno()); }

std::string lastEndpoint(void* socket, const std::string& fallback) {
  char last[512] = {};
  std::size_t size = sizeof last;
  if (zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, last, &size) == 0 && last[0] != '\0') return last;
  return fallback;
}

// A twin's public key: 40 Z85 characters as given, else the public key of the key file it names.
Result<std::string> twinPublicKey(const FeedProxyTwin& twin) {
  if (twin.serverKey.empty()) {
    return Status(ErrorCode::InvalidArgument, "twin " + twin.endpoint +
                                                  ": no server key (the twin's public key, 40 Z85 characters, or "
                                                  "its twin.pub file)");
  }
  if (validateZ85Key(twin.serverKey).isOk()) return twin.serverKey;
  auto file = readKeyFile(twin.serverKey);
  if (!file) return Status(file.status().code(), "twin " + twin.endpoint + ": server key: " + file.status().message());
  return file->publicKey;
}

}  // namespace

struct FeedProxy::Counters {
  std::atomic<std::uint64_t> received{0}, forwarded{0}, wrongFrameCount{0}, tooManyFrames{0}, oversize{0},
      revokedMessages{0}, droppedHighWaterMark{0}, subscriptions{0}, receiveErrors{0}, sendErrors{0},
      handshakeFailures{0}, twinHandshakes{0}, twinHandshakeFailures{0};
};

std::string formatFeedProxyStats(const FeedProxyStats& s) {
  return fmt::format(
      "received={} forwarded={} dropped_hwm={} wrong_frames={} too_many_frames={} oversize={} revoked={} "
      "subscriptions={} publishers_admitted={} publishers_refused={} handshake_failures={} connection_limited={} "
      "connections={} twin_handshakes={} twin_handshake_failures={} receive_errors={} send_errors={}",
      s.received, s.forwarded, s.droppedHighWaterMark, s.wrongFrameCount, s.tooManyFrames, s.oversize,
      s.revokedMessages, s.subscriptions, s.authAdmitted, s.authRefused, s.handshakeFailures, s.connectionLimited,
      s.connections, s.twinHandshakes, s.twinHandshakeFailures, s.receiveErrors, s.sendErrors);
}

FeedProxy::FeedProxy(FeedProxyConfig config)
    : config_(std::move(config)), counters_(std::make_unique<Counters>()) {}

FeedProxy::~FeedProxy() {
  join();
  releaseSockets();
  if (context_ != nullptr) zmq_ctx_term(context_);
}

void FeedProxy::releaseSockets() {
  if (front_ != nullptr) zmq_close(front_);
  front_ = nullptr;
  for (Back& b : backs_) {
    if (b.socket != nullptr) zmq_close(b.socket);
    if (b.monitor != nullptr) zmq_close(b.monitor);
  }
  backs_.clear();
  curve_.reset();  // the front monitor, the ZAP domain and handler: before zmq_ctx_term
}

void FeedProxy::stop() { stopping_.store(true, std::memory_order_relaxed); }

void FeedProxy::join() {
  stop();
  if (thread_.joinable()) thread_.join();
}

// Owning thread: the XSUB as a CURVE server, exactly as a twin source's SUB (CurveServer), bound.
Status FeedProxy::setUpFront() {
  front_ = zmq_socket(context_, ZMQ_XSUB);
  if (front_ == nullptr) return Status(ErrorCode::IoError, zmqError("zmq_socket(XSUB)"));
  const int linger = 0;
  const int hwm = std::max(0, config_.receiveHighWaterMark);
  const int handshakeMs = std::max(0, config_.handshakeTimeoutMs);
  const DecodeLimits& l = config_.limits;
  const auto maxFrame = static_cast<std::int64_t>(std::max({l.maxPayloadBytes, l.maxEnvelopeBytes, l.maxTopicBytes}));
  if (zmq_setsockopt(front_, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
      zmq_setsockopt(front_, ZMQ_RCVHWM, &hwm, sizeof hwm) != 0 ||
      zmq_setsockopt(front_, ZMQ_MAXMSGSIZE, &maxFrame, sizeof maxFrame) != 0 ||
      zmq_setsockopt(front_, ZMQ_HANDSHAKE_IVL, &handshakeMs, sizeof handshakeMs) != 0) {
    return Status(ErrorCode::IoError, zmqError("front socket options"));
  }
  curve_ = std::make_unique<detail::CurveServer>();
  detail::CurveServerSettings settings{config_.serverKeyFile, config_.allowListFile, config_.zapDomain, nullptr};
  settings.keyPairNeed = "the proxy needs its own key pair";
  settings.maxConnections = config_.maxConnections;
  if (Status s = curve_->setUp(context_, front_, std::move(settings), this); !s) return s;
  if (zmq_bind(front_, config_.frontEndpoint.c_str()) != 0) {
    return Status(ErrorCode::IoError, zmqError("cannot bind the front endpoint " + config_.frontEndpoint));
  }
  frontEndpoint_ = lastEndpoint(front_, config_.frontEndpoint);
  return Status::ok();
}

// Owning thread: the XPUB as a CURVE client of every twin (each with its own server key), without silent drops.
Status FeedProxy::setUpBack() {
  if (config_.twins.empty()) {
    return Status(ErrorCode::InvalidArgument, "no twin to forward to (give at least one twin endpoint and key)");
  }
  const std::string& keyFile = config_.clientKeyFile.empty() ? config_.serverKeyFile : config_.clientKeyFile;
  auto own = readKeyFile(keyFile);
  if (!own) return Status(own.status().code(), "client key: " + own.status().message());
  if (!own->hasSecret()) {
    return Status(ErrorCode::InvalidArgument, "client key: '" + keyFile +
                                                  "' holds no secret key (a public-only file); the proxy needs its "
                                                  "own key pair to reach the twins (`greentwin keys generate`)");
  }
  std::vector<std::string> twinKeys;
  for (const FeedProxyTwin& twin : config_.twins) {
    auto key = twinPublicKey(twin);
    if (!key) return key.status();
    twinKeys.push_back(*key);
  }
  const int linger = 0;
  const int hwm = std::max(0, config_.sendHighWaterMark);
  const int on = 1;  // NODROP: EAGAIN at the high-water mark instead of a silent drop (counted); IMMEDIATE: a
                     // twin's pipe (and its subscriptions) exists only while it is connected, so a twin that is
                     // down holds nothing back
  const int sendTimeout = std::max(0, config_.sendTimeoutMs);
  const int handshakeMs = std::max(0, config_.handshakeTimeoutMs);
  // The twins' handshakes, to log a twin that refuses the proxy (its key not admitted there, a wrong twin key).
  const int events = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL |
                     ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;
  for (std::size_t i = 0; i < config_.twins.size(); ++i) {
    // One XPUB per twin: a twin whose queue is full loses (and counts) only its own messages.
    Back& b = backs_.emplace_back();
    b.endpoint = config_.twins[i].endpoint;
    b.socket = zmq_socket(context_, ZMQ_XPUB);
    if (b.socket == nullptr) return Status(ErrorCode::IoError, zmqError("zmq_socket(XPUB)"));
    if (zmq_setsockopt(b.socket, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
        zmq_setsockopt(b.socket, ZMQ_SNDHWM, &hwm, sizeof hwm) != 0 ||
        zmq_setsockopt(b.socket, ZMQ_XPUB_NODROP, &on, sizeof on) != 0 ||
        zmq_setsockopt(b.socket, ZMQ_IMMEDIATE, &on, sizeof on) != 0 ||
        zmq_setsockopt(b.socket, ZMQ_SNDTIMEO, &sendTimeout, sizeof sendTimeout) != 0 ||
        zmq_setsockopt(b.socket, ZMQ_HANDSHAKE_IVL, &handshakeMs, sizeof handshakeMs) != 0 ||
        zmq_setsockopt(b.socket, ZMQ_CURVE_SERVERKEY, twinKeys[i].c_str(), kZ85KeyLength) != 0 ||
        zmq_setsockopt(b.socket, ZMQ_CURVE_PUBLICKEY, own->publicKey.c_str(), kZ85KeyLength) != 0 ||
        zmq_setsockopt(b.socket, ZMQ_CURVE_SECRETKEY, own->secretKey.c_str(), kZ85KeyLength) != 0) {
      return Status(ErrorCode::IoError, zmqError("twin socket options"));
    }
    char address[112];
    std::snprintf(address, sizeof address, "inproc://greentwin.proxy-twin-monitor.%p.%zu", static_cast<void*>(this), i);
    if (zmq_socket_monitor(b.socket, address, events) != 0) return Status(ErrorCode::IoError, zmqError("monitor"));
    b.monitor = zmq_socket(context_, ZMQ_PAIR);
    if (b.monitor == nullptr || zmq_connect(b.monitor, address) != 0) {
      return Status(ErrorCode::IoError, zmqError("monitor socket"));
    }
    zmq_setsockopt(b.monitor, ZMQ_LINGER, &linger, sizeof linger);
    if (zmq_connect(b.socket, b.endpoint.c_str()) != 0) {
      return Status(ErrorCode::InvalidArgument, zmqError("cannot connect to the twin " + b.endpoint));
    }
  }
  return Status::ok();
}

Status FeedProxy::start() {
  if (thread_.joinable() || context_ != nullptr) {
    return Status(ErrorCode::InvalidArgument, "FeedProxy: already started");
  }
  context_ = zmq_ctx_new();
  if (context_ == nullptr) return Status(ErrorCode::IoError, zmqError("zmq_ctx_new"));
  Status s = setUpBack();
  if (s) s = setUpFront();
  if (!s) {
    releaseSockets();
    return s;
  }
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

FeedProxyStats FeedProxy::stats() const {
  constexpr auto r = std::memory_order_relaxed;
  const Counters& c = *counters_;
  FeedProxyStats s;
  s.received = c.received.load(r);
  s.forwarded = c.forwarded.load(r);
  s.wrongFrameCount = c.wrongFrameCount.load(r);
  s.tooManyFrames = c.tooManyFrames.load(r);
  s.oversize = c.oversize.load(r);
  s.revokedMessages = c.revokedMessages.load(r);
  s.droppedHighWaterMark = c.droppedHighWaterMark.load(r);
  for (const Back& b : backs_) s.droppedPerTwin.push_back(b.dropped.load(r));
  s.subscriptions = c.subscriptions.load(r);
  s.receiveErrors = c.receiveErrors.load(r);
  s.sendErrors = c.sendErrors.load(r);
  s.handshakeFailures = c.handshakeFailures.load(r);
  s.twinHandshakes = c.twinHandshakes.load(r);
  s.twinHandshakeFailures = c.twinHandshakeFailures.load(r);
  if (curve_) {
    const ZapDomainStats z = curve_->stats();
    s.authAdmitted = z.admitted;
    s.authRefused = z.refused;
    s.connectionLimited = z.connectionLimited;
    s.connections = curve_->establishedConnections();
  }
  return s;
}

// The proxy thread: owns both sockets and the monitors.
void FeedProxy::run() {
  pthread_setname_np(pthread_self(), "gt-feed-proxy");
  constexpr auto relaxed = std::memory_order_relaxed;
  Counters& c = *counters_;
  const auto audit = curve_->auditLog();
  const std::string& domain = config_.zapDomain;
  detail::AuditThrottle throttle(60);

  std::array<zmq_msg_t, 3> frames{};
  for (auto& f : frames) zmq_msg_init(&f);
  zmq_msg_t extra;
  zmq_msg_init(&extra);
  std::uint64_t messageBytes = 0;
  // One multipart message without blocking (a message arrives whole); its frame count, 0 when none.
  auto receive = [&]() -> std::size_t {
    std::size_t count = 0;
    messageBytes = 0;
    for (;;) {
      zmq_msg_t& target = count < frames.size() ? frames[count] : extra;
      if (zmq_msg_recv(&target, front_, count == 0 ? ZMQ_DONTWAIT : 0) < 0) {
        const int e = zmq_errno();
        if (e != EAGAIN && e != EINTR && e != ETERM) c.receiveErrors.fetch_add(1, relaxed);
        return 0;
      }
      ++count;
      messageBytes += zmq_msg_size(&target);
      if (zmq_msg_more(&target) == 0) return count;
    }
  };
  auto auditDrop = [&](std::string_view key, const AllowListEntry& sender, std::size_t frameCount,
                       const std::string& reason) {
    // One line a minute per key and kind (fewer frames, more frames, oversize), with the count of the others.
    const char* kind = frameCount < 3 ? "fewer" : frameCount > 3 ? "more" : "size";
    if (auto repeats = throttle.pass("drop|" + std::string(key) + "|" + kind)) {
      audit->warn("AUDIT drop source={} key={} name={} frames={} bytes={} reason=\"{}\"{}", domain, key, sender.name,
                  frameCount, messageBytes, reason, detail::repeatNote(*repeats));
    }
  };
  // To each twin: copies of the frames (zmq_msg_copy shares the data) and the sender's key.
  std::array<zmq_msg_t, 3> copies{};
  for (auto& m : copies) zmq_msg_init(&m);
  auto sendTo = [&](Back& b, std::string_view key) {
    for (std::size_t i = 0; i < frames.size(); ++i) zmq_msg_copy(&copies[i], &frames[i]);
    // While the twin's queue stays full, later messages are dropped at once instead of each waiting sendTimeoutMs.
    if (zmq_msg_send(&copies[0], b.socket, ZMQ_SNDMORE | (b.congested ? ZMQ_DONTWAIT : 0)) < 0) {
      if (zmq_errno() == EAGAIN) {
        if (!b.congested) {
          logger()->warn("feed proxy: the queue to the twin at {} is full ({} messages) for {} ms: dropping its "
                         "messages until it drains (counted in dropped_hwm)",
                         b.endpoint, config_.sendHighWaterMark, config_.sendTimeoutMs);
        }
        b.congested = true;
        b.dropped.fetch_add(1, relaxed);
        c.droppedHighWaterMark.fetch_add(1, relaxed);
      } else if (zmq_errno() != ETERM) {
        c.sendErrors.fetch_add(1, relaxed);
      }
      return;
    }
    b.congested = false;
    // The rest cannot meet the high-water mark: libzmq counts whole messages and admitted the first frame.
    if (zmq_msg_send(&copies[1], b.socket, ZMQ_SNDMORE) < 0 || zmq_msg_send(&copies[2], b.socket, ZMQ_SNDMORE) < 0 ||
        zmq_send(b.socket, key.data(), key.size(), 0) < 0) {
      c.sendErrors.fetch_add(1, relaxed);
    }
  };
  auto forward = [&](std::string_view key) {
    for (Back& b : backs_) sendTo(b, key);
    c.forwarded.fetch_add(1, relaxed);
  };
  const DecodeLimits& limits = config_.limits;
  auto handle = [&](std::size_t frameCount) {
    c.received.fetch_add(1, relaxed);
    const std::string_view key = detail::userIdOf(frames[0]);
    const AllowListEntry* sender = curve_->admittedEntry(key);  // audits a drop when not admitted
    if (sender == nullptr) {
      c.revokedMessages.fetch_add(1, relaxed);
      return;
    }
    if (frameCount != 3) {
      auditDrop(key, *sender, frameCount, "a message is 3 frames (topic, envelope, payload)");
      if (frameCount > 3) c.tooManyFrames.fetch_add(1, relaxed);
      c.wrongFrameCount.fetch_add(1, relaxed);
      return;
    }
    const std::size_t topic = zmq_msg_size(&frames[0]);
    const std::size_t envelope = zmq_msg_size(&frames[1]);
    const std::size_t payload = zmq_msg_size(&frames[2]);
    if (topic > limits.maxTopicBytes || envelope > limits.maxEnvelopeBytes || payload > limits.maxPayloadBytes) {
      auditDrop(key, *sender, frameCount,
                fmt::format("oversize: frames of {}, {}, {} bytes; the limits are {}, {}, {}", topic, envelope, payload,
                            limits.maxTopicBytes, limits.maxEnvelopeBytes, limits.maxPayloadBytes));
      c.oversize.fetch_add(1, relaxed);
      return;
    }
    forward(key);
  };
  // Subscriptions from the twins (XPUB) to the publishers (XSUB): one frame each.
  zmq_msg_t subscription;
  zmq_msg_init(&subscription);
  auto passSubscriptions = [&](Back& b) {
    while (zmq_msg_recv(&subscription, b.socket, ZMQ_DONTWAIT) >= 0) {
      if (zmq_msg_send(&subscription, front_, 0) >= 0) {
        c.subscriptions.fetch_add(1, relaxed);
      } else {
        c.sendErrors.fetch_add(1, relaxed);
      }
    }
  };
  auto readBackMonitor = [&](Back& b) {
    zmq_msg_t event, address;
    zmq_msg_init(&event);
    zmq_msg_init(&address);
    while (zmq_msg_recv(&event, b.monitor, ZMQ_DONTWAIT) >= 0) {
      if (zmq_msg_more(&event) == 0 || zmq_msg_recv(&address, b.monitor, 0) < 0) continue;
      if (zmq_msg_size(&event) < 6) continue;
      std::uint16_t id = 0;
      std::memcpy(&id, zmq_msg_data(&event), sizeof id);
      const std::string twin(static_cast<const char*>(zmq_msg_data(&address)), zmq_msg_size(&address));
      if (id == ZMQ_EVENT_HANDSHAKE_SUCCEEDED) {
        c.twinHandshakes.fetch_add(1, relaxed);
        logger()->info("feed proxy: connected to the twin at {}", twin);
        continue;
      }
      c.twinHandshakeFailures.fetch_add(1, relaxed);
      if (throttle.pass("twin|" + twin)) {
        logger()->error("feed proxy: the twin at {} refused the proxy's handshake: is the proxy's public key in its "
                        "allow-list (with proxy = true), and is the twin's public key the right one?",
                        twin);
      }
    }
    zmq_msg_close(&event);
    zmq_msg_close(&address);
  };

  using Clock = std::chrono::steady_clock;
  auto nextStats = Clock::now() + std::chrono::milliseconds(config_.statsIntervalMs);
  void* const frontMonitor = curve_->monitor();
  // [front, front monitor, then per twin: its XPUB (subscriptions), its monitor]
  std::vector<zmq_pollitem_t> items;
  while (!stopping_.load(relaxed)) {
    items.clear();
    items.push_back({front_, 0, ZMQ_POLLIN, 0});
    items.push_back({frontMonitor, 0, ZMQ_POLLIN, 0});
    for (const Back& b : backs_) {
      items.push_back({b.socket, 0, ZMQ_POLLIN, 0});
      items.push_back({b.monitor, 0, ZMQ_POLLIN, 0});
    }
    const int rc = zmq_poll(items.data(), static_cast<int>(items.size()), config_.pollTimeoutMs);
    if (rc < 0) {
      if (zmq_errno() == ETERM) break;
      if (zmq_errno() != EINTR) c.receiveErrors.fetch_add(1, relaxed);
      continue;
    }
    if ((items[1].revents & ZMQ_POLLIN) != 0) c.handshakeFailures.fetch_add(curve_->readMonitor(), relaxed);
    for (std::size_t i = 0; i < backs_.size(); ++i) {
      if ((items[2 + 2 * i + 1].revents & ZMQ_POLLIN) != 0) readBackMonitor(backs_[i]);
      if ((items[2 + 2 * i].revents & ZMQ_POLLIN) != 0) passSubscriptions(backs_[i]);
    }
    if ((items[0].revents & ZMQ_POLLIN) != 0) {
      for (int i = 0; i < 1024 && !stopping_.load(relaxed); ++i) {
        const std::size_t n = receive();
        if (n == 0) break;
        handle(n);
      }
    }
    if (config_.statsIntervalMs > 0 && Clock::now() >= nextStats) {
      logger()->info("feed proxy: {}", formatFeedProxyStats(stats()));
      nextStats = Clock::now() + std::chrono::milliseconds(config_.statsIntervalMs);
    }
  }
  for (auto& f : frames) zmq_msg_close(&f);
  zmq_msg_close(&extra);
  zmq_msg_close(&subscription);
  for (auto& m : copies) zmq_msg_close(&m);
}

}  // namespace gt::connectors
