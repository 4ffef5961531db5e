// The wall's lead end of the frame sync (wall_sync.hpp): a PUB for frames and releases, a ROUTER for the swap
// barrier's "ready" messages, both CURVE servers admitting the wall's allow-list through one ZapAuthenticator.
// Owning thread only (the render loop); libzmq's I/O thread and the ZAP handler's thread run inside.
#include <zmq.h>

#include <algorithm>
#include <array>
#include <chrono>

#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/connectors/zap_authenticator.hpp"
#include "greentwin/core/log.hpp"
#include "greentwin/wall/wall_sync.hpp"
#include "wall_sync_support.hpp"

namespace gt::wall {

namespace {

constexpr int kSendHwm = 64;        // frames queued per follower before PUB drops (about a second at 60 Hz)
constexpr int kBarrierHwm = 1024;   // ready messages queued at the lead

std::string lastEndpoint(void* socket) {
  char buf[256] = {};
  std::size_t size = sizeof buf;
  if (zmq_getsockopt(socket, ZMQ_LAST_ENDPOINT, buf, &size) != 0) return {};
  return buf;
}

}  // namespace

// Destruction order matters: sockets close before the authenticator stops, the authenticator before the context
// terminates (ZapAuthenticator's contract).
struct WallLead::Impl {
  void* context = nullptr;
  std::unique_ptr<connectors::ZapAuthenticator> zap;
  void* pub = nullptr;
  void* router = nullptr;
  std::string zapDomain;

  ~Impl() {
    if (pub != nullptr) zmq_close(pub);
    if (router != nullptr) zmq_close(router);
    if (zap) {
      zap->removeDomain(zapDomain);
      zap.reset();
    }
    if (context != nullptr) zmq_ctx_term(context);
  }

  // CURVE server options with the lead's secret, and the ZAP domain of the allow-list.
  Status secure(void* socket, const std::string& secret) const {
    const int on = 1;
    if (zmq_setsockopt(socket, ZMQ_CURVE_SERVER, &on, sizeof on) != 0 ||
        zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, secret.c_str(), secret.size() + 1) != 0 ||
        zmq_setsockopt(socket, ZMQ_ZAP_DOMAIN, zapDomain.data(), zapDomain.size()) != 0) {
      return Status(ErrorCode::Unsupported, detail::zmqError("CURVE server options (libzmq without CURVE?)"));
    }
    return Status::ok();
  }

  Status bind(void* socket, const std::string& endpoint, const char* what) const {
    if (endpoint.empty()) return Status(ErrorCode::InvalidArgument, std::string("wall lead: no ") + what + " endpoint");
    if (detail::bindRetrying(socket, endpoint) != 0) {
      const int err = zmq_errno();
      const ErrorCode code = (err == EINVAL || err == EPROTONOSUPPORT || err == ENOCOMPATPROTO)
                                 ? ErrorCode::InvalidArgument
                                 : ErrorCode::IoError;
      return Status(code, std::string("wall lead: cannot bind the ") + what + " endpoint '" + endpoint +
                              "': " + zmq_strerror(err));
    }
    return Status::ok();
  }
};

WallLead::WallLead(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
WallLead::~WallLead() = default;

Result<std::unique_ptr<WallLead>> WallLead::create(const WallSyncSettings& settings) {
  auto impl = std::make_unique<Impl>();
  impl->zapDomain = settings.zapDomain;
  std::string secret;
  if (settings.curve) {
    // The key and the list are checked before anything binds, so a misconfigured lead never opens a port.
    if (settings.leadKeyFile.empty()) {
      return Status(ErrorCode::InvalidArgument, "wall lead: no lead key file (wall.lead_key)");
    }
    auto keys = connectors::readKeyFile(settings.leadKeyFile);
    if (!keys) return Status(keys.status().code(), "wall lead key: " + keys.status().message());
    if (!keys->hasSecret()) {
      return Status(ErrorCode::InvalidArgument, "wall lead key: '" + settings.leadKeyFile +
                                                    "' holds no secret key (a public-only file); the lead needs "
                                                    "its key pair (`greentwin keys server`)");
    }
    if (settings.allowListFile.empty()) {
      return Status(ErrorCode::InvalidArgument, "wall lead: no allow-list (wall.allowed_keys)");
    }
    secret = keys->secretKey;
  }
  impl->context = zmq_ctx_new();
  if (impl->context == nullptr) return Status(ErrorCode::IoError, detail::zmqError("zmq_ctx_new"));
  if (settings.curve) {
    // Without a ZAP handler libzmq would admit every CURVE client: the handler and the domain come first.
    impl->zap = std::make_unique<connectors::ZapAuthenticator>(impl->context);
    if (Status s = impl->zap->start(); !s) return s;
    if (Status s = impl->zap->addDomain(impl->zapDomain, connectors::ZapPolicy{settings.allowListFile, false}); !s) {
      impl->zap.reset();
      return Status(s.code(), "wall allowed keys: " + s.message());
    }
  }
  impl->pub = zmq_socket(impl->context, ZMQ_PUB);
  if (impl->pub == nullptr) return Status(ErrorCode::IoError, detail::zmqError("PUB socket"));
  if (Status s = detail::setCommonOptions(impl->pub, kSendHwm, kSendHwm); !s) return s;
  if (settings.curve) {
    if (Status s = impl->secure(impl->pub, secret); !s) return s;
  }
  if (Status s = impl->bind(impl->pub, settings.syncEndpoint, "sync"); !s) return s;

  std::string barrierEndpoint;
  if (!settings.barrierEndpoint.empty()) {
    impl->router = zmq_socket(impl->context, ZMQ_ROUTER);
    if (impl->router == nullptr) return Status(ErrorCode::IoError, detail::zmqError("ROUTER socket"));
    if (Status s = detail::setCommonOptions(impl->router, kBarrierHwm, kBarrierHwm); !s) return s;
    // A restarted follower reconnects with the same routing id while its old pipe may linger: the new one wins.
    const int handover = 1;
    if (zmq_setsockopt(impl->router, ZMQ_ROUTER_HANDOVER, &handover, sizeof handover) != 0) {
      return Status(ErrorCode::IoError, detail::zmqError("ZMQ_ROUTER_HANDOVER"));
    }
    if (settings.curve) {
      if (Status s = impl->secure(impl->router, secret); !s) return s;
    }
    if (Status s = impl->bind(impl->router, settings.barrierEndpoint, "barrier"); !s) return s;
    barrierEndpoint = lastEndpoint(impl->router);
  }
  const std::string syncEndpoint = lastEndpoint(impl->pub);
  auto lead = std::unique_ptr<WallLead>(new WallLead(std::move(impl)));
  lead->syncEndpoint_ = syncEndpoint;
  lead->barrierEndpoint_ = barrierEndpoint;
  return lead;
}

Status WallLead::publish(const WallFrameState& state) {
  WallFrameState stamped = state;
  stamped.sentSteadyNs = detail::steadyNowNs();
  stamped.sentSystemNs = detail::systemNowNs();
  auto bytes = encodeFrameState(stamped);
  if (!bytes) return bytes.status();
  return publishEncoded(*bytes);
}

Status WallLead::publishLook(const LayerLook& look) {
  auto bytes = encodeLayerLook(look);
  if (!bytes) return bytes.status();
  if (zmq_send(impl_->pub, bytes->data(), bytes->size(), ZMQ_DONTWAIT) < 0) {
    ++stats_.sendFailures;
    return Status(ErrorCode::IoError, detail::zmqError("wall lead: publishing the look of '" + look.layerId + "'"));
  }
  ++stats_.looksPublished;
  return Status::ok();
}

Status WallLead::publishEncoded(const std::vector<std::uint8_t>& bytes) {
  // PUB never blocks (it drops per peer at the HWM); DONTWAIT makes sure of it.
  if (zmq_send(impl_->pub, bytes.data(), bytes.size(), ZMQ_DONTWAIT) < 0) {
    ++stats_.sendFailures;
    return Status(ErrorCode::IoError, detail::zmqError("wall lead: publish"));
  }
  ++stats_.published;
  return Status::ok();
}

// Reads the ROUTER for up to `timeoutMs` (the first wait only; then drains what is queued). Each ready message
// joins its node (if it is current: for the awaited frame or later) and raises its ready frame.
void WallLead::readBarrier(int timeoutMs) {
  zmq_pollitem_t item{impl_->router, 0, ZMQ_POLLIN, 0};
  if (zmq_poll(&item, 1, timeoutMs) <= 0) return;
  for (;;) {
    zmq_msg_t id;
    zmq_msg_init(&id);
    if (zmq_msg_recv(&id, impl_->router, ZMQ_DONTWAIT) < 0) {
      zmq_msg_close(&id);
      return;
    }
    const std::string node(static_cast<const char*>(zmq_msg_data(&id)), zmq_msg_size(&id));
    zmq_msg_close(&id);
    // The body: one frame expected; any further parts are read and make the message malformed.
    std::optional<std::uint64_t> frame;
    int parts = 0;
    int more = 1;
    std::size_t moreSize = sizeof more;
    zmq_getsockopt(impl_->router, ZMQ_RCVMORE, &more, &moreSize);
    while (more != 0) {
      zmq_msg_t body;
      zmq_msg_init(&body);
      if (zmq_msg_recv(&body, impl_->router, 0) < 0) {
        zmq_msg_close(&body);
        break;
      }
      ++parts;
      frame = detail::decodeReady(static_cast<const std::uint8_t*>(zmq_msg_data(&body)), zmq_msg_size(&body));
      zmq_msg_close(&body);
      moreSize = sizeof more;
      zmq_getsockopt(impl_->router, ZMQ_RCVMORE, &more, &moreSize);
    }
    ++stats_.barrierMessages;
    if (parts != 1 || !frame || node.empty()) {
      ++stats_.barrierMalformed;
      continue;
    }
    BarrierNode& n = barrier_[node];
    n.lastReady = std::max(n.lastReady, *frame);
    if (!n.active && *frame >= awaiting_) {
      n.active = true;
      spdlog::info("wall: node '{}' joined the swap barrier at frame {}", node, *frame);
    }
  }
}

BarrierOutcome WallLead::waitForBarrier(std::uint64_t frame, int timeoutMs) {
  BarrierOutcome out;
  if (impl_->router == nullptr) return out;
  awaiting_ = frame;
  const auto start = std::chrono::steady_clock::now();
  const auto deadline = start + std::chrono::milliseconds(std::max(0, timeoutMs));
  auto allReady = [&] {
    return std::all_of(barrier_.begin(), barrier_.end(),
                       [frame](const auto& kv) { return !kv.second.active || kv.second.lastReady >= frame; });
  };
  readBarrier(0);
  while (!allReady()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    readBarrier(static_cast<int>(left.count()));
  }
  for (auto& [node, n] : barrier_) {
    if (!n.active) continue;
    if (n.lastReady >= frame) {
      out.ready.push_back(node);
    } else {
      // Missed the timeout: out of the barrier until it catches up, so it costs the wall this one timeout.
      n.active = false;
      out.dropped.push_back(node);
      spdlog::warn("wall: node '{}' missed the swap barrier for frame {} ({} ms); dropped until it is ready again",
                   node, frame, timeoutMs);
    }
  }
  out.complete = out.dropped.empty();
  if (!out.complete) ++stats_.barrierTimeouts;
  out.waitedMs = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  const auto release = detail::encodeRelease(frame);
  if (zmq_send(impl_->pub, release.data(), release.size(), ZMQ_DONTWAIT) < 0) ++stats_.sendFailures;
  return out;
}

Status WallLead::announceHold(double seconds) {
  if (!(seconds >= 0 && seconds <= kMaxLeadHoldS)) {
    return Status(ErrorCode::OutOfRange, "wall lead: a hold of " + std::to_string(seconds) + " s is outside 0.." +
                                             std::to_string(static_cast<int>(kMaxLeadHoldS)) + " s");
  }
  const auto hold = detail::encodeHold(static_cast<std::uint64_t>(seconds * 1000.0));
  if (zmq_send(impl_->pub, hold.data(), hold.size(), ZMQ_DONTWAIT) < 0) {
    ++stats_.sendFailures;
    return Status(ErrorCode::IoError, detail::zmqError("wall lead: announcing a hold"));
  }
  return Status::ok();
}

std::vector<std::string> WallLead::barrierNodes() const {
  std::vector<std::string> nodes;
  for (const auto& [node, n] : barrier_) {
    if (n.active) nodes.push_back(node);
  }
  return nodes;
}

}  // namespace gt::wall
