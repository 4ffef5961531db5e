// A follower's end of the frame sync (wall_sync.hpp): a SUB to the lead's PUB (frames and barrier releases) and,
// with a swap barrier, a DEALER to the lead's ROUTER ("ready"). CURVE clients with the node's key pair and the
// lead's public key. Owning thread only (the render loop); libzmq's I/O thread runs inside.
#include <zmq.h>

#include <algorithm>
#include <cstring>

#include "greentwin/core/log.hpp"
#include "greentwin/wall/wall_sync.hpp"
#include "wall_sync_support.hpp"

namespace gt::wall {

namespace {

constexpr int kReceiveHwm = 256;  // frames queued here; poll() drains them all and keeps the newest
// Ready messages queued for a connected lead. A HWM of 4 made a send fail with EAGAIN now and then at one message
// per frame (seen in the barrier test: libzmq returns a pipe's write credit in batches), which cost a barrier timeout.
constexpr int kReadyHwm = 1000;

Status connect(void* socket, const std::string& endpoint, const char* what) {
  if (endpoint.empty()) return Status(ErrorCode::InvalidArgument, std::string("wall follower: no ") + what +
                                                                       " endpoint");
  if (zmq_connect(socket, endpoint.c_str()) != 0) {
    return Status(ErrorCode::InvalidArgument, std::string("wall follower: cannot connect to the ") + what +
                                                  " endpoint '" + endpoint + "': " + zmq_strerror(zmq_errno()));
  }
  return Status::ok();
}

// The SUB's monitor, on an inproc endpoint of the follower's own context (so one name serves every follower).
constexpr const char* kMonitorEndpoint = "inproc://wall-follower-link";
constexpr int kMonitoredEvents =
    ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_DISCONNECTED | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH;

// Opens the SUB's monitor and connects a PAIR to it, before the SUB connects (events before the PAIR is there are
// lost).
Status watchLink(void* context, void* sub, void** monitor) {
  if (zmq_socket_monitor(sub, kMonitorEndpoint, kMonitoredEvents) != 0) {
    return Status(ErrorCode::IoError, detail::zmqError("wall follower: the sync socket's monitor"));
  }
  *monitor = zmq_socket(context, ZMQ_PAIR);
  const int linger = 0;
  if (*monitor == nullptr || zmq_setsockopt(*monitor, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
      zmq_connect(*monitor, kMonitorEndpoint) != 0) {
    return Status(ErrorCode::IoError, detail::zmqError("wall follower: connecting to the sync socket's monitor"));
  }
  return Status::ok();
}

}  // namespace

const char* toString(LeadLink link) {
  switch (link) {
    case LeadLink::Connecting:
      return "connecting";
    case LeadLink::Up:
      return "up";
    case LeadLink::Down:
      return "down";
    case LeadLink::Refused:
      return "refused";
  }
  return "?";
}

struct WallFollower::Impl {
  void* context = nullptr;
  void* sub = nullptr;
  void* dealer = nullptr;
  void* monitor = nullptr;  // PAIR: the SUB's connection events
  zmq_msg_t message;

  Impl() { zmq_msg_init(&message); }
  ~Impl() {
    zmq_msg_close(&message);
    if (monitor != nullptr) zmq_close(monitor);
    if (sub != nullptr) zmq_close(sub);
    if (dealer != nullptr) zmq_close(dealer);
    if (context != nullptr) zmq_ctx_term(context);
  }
};

WallFollower::WallFollower(std::unique_ptr<Impl> impl, double leadLostAfterS)
    : impl_(std::move(impl)), leadLostAfterS_(leadLostAfterS), lastFrameSteadyNs_(detail::steadyNowNs()) {}
WallFollower::~WallFollower() = default;

Result<std::unique_ptr<WallFollower>> WallFollower::create(const WallSyncSettings& settings) {
  detail::ClientKeys node;
  std::string leadPublic;
  if (settings.curve) {
    auto pair = detail::keyPairFrom(settings.nodeKeyFile, "wall node key");
    if (!pair) return pair.status();
    node = *pair;
    auto lead = detail::publicKeyFrom(settings.leadKeyFile, "wall lead key");
    if (!lead) return lead.status();
    leadPublic = *lead;
  }
  auto impl = std::make_unique<Impl>();
  impl->context = zmq_ctx_new();
  if (impl->context == nullptr) return Status(ErrorCode::IoError, detail::zmqError("zmq_ctx_new"));
  impl->sub = zmq_socket(impl->context, ZMQ_SUB);
  if (impl->sub == nullptr) return Status(ErrorCode::IoError, detail::zmqError("SUB socket"));
  if (Status s = detail::setCommonOptions(impl->sub, kReceiveHwm, kReceiveHwm); !s) return s;
  if (zmq_setsockopt(impl->sub, ZMQ_SUBSCRIBE, "", 0) != 0) {
    return Status(ErrorCode::IoError, detail::zmqError("ZMQ_SUBSCRIBE"));
  }
  if (settings.curve) {
    if (Status s = detail::setCurveClient(impl->sub, node, leadPublic); !s) return s;
  }
  if (Status s = watchLink(impl->context, impl->sub, &impl->monitor); !s) return s;
  if (Status s = connect(impl->sub, settings.syncEndpoint, "sync"); !s) return s;
  if (!settings.barrierEndpoint.empty()) {
    impl->dealer = zmq_socket(impl->context, ZMQ_DEALER);
    if (impl->dealer == nullptr) return Status(ErrorCode::IoError, detail::zmqError("DEALER socket"));
    if (Status s = detail::setCommonOptions(impl->dealer, kReadyHwm, kReadyHwm); !s) return s;
    // IMMEDIATE: no queue for a lead that is not connected; a ready for a frame the lead never awaits is useless.
    const int immediate = 1;
    if (settings.nodeId.empty() ||
        zmq_setsockopt(impl->dealer, ZMQ_ROUTING_ID, settings.nodeId.data(), settings.nodeId.size()) != 0 ||
        zmq_setsockopt(impl->dealer, ZMQ_IMMEDIATE, &immediate, sizeof immediate) != 0) {
      return Status(ErrorCode::InvalidArgument, "wall follower: the node id '" + settings.nodeId +
                                                    "' cannot be the barrier's routing id (1..255 bytes)");
    }
    if (settings.curve) {
      if (Status s = detail::setCurveClient(impl->dealer, node, leadPublic); !s) return s;
    }
    if (Status s = connect(impl->dealer, settings.barrierEndpoint, "barrier"); !s) return s;
  }
  return std::unique_ptr<WallFollower>(new WallFollower(std::move(impl), settings.leadLostAfterS));
}

void WallFollower::handle(const std::uint8_t* data, std::size_t size) {
  if (auto holdMs = detail::decodeHold(data, size)) {
    const auto ms = static_cast<std::int64_t>(std::min<std::uint64_t>(*holdMs, kMaxLeadHoldS * 1000));
    holdUntilSteadyNs_ = detail::steadyNowNs() + ms * 1'000'000;
    return;
  }
  if (auto released = detail::decodeRelease(data, size)) {
    ++stats_.releases;
    released_ = anyRelease_ ? std::max(released_, *released) : *released;
    anyRelease_ = true;
    return;
  }
  if (isLayerLookMessage(data, size)) {
    handleLook(data, size);
    return;
  }
  FrameProblem problem = FrameProblem::None;
  auto frame = decodeFrameState(data, size, &problem);
  if (!frame) {
    refuse(problem, frame.status().message());
    return;
  }
  ++stats_.framesReceived;
  // A frame number going back means a restarted lead counting from the start: its releases start again too (else
  // the old lead's last release would let every frame of the new one pass the barrier unchecked).
  if (stats_.lastFrame && frame->frame < *stats_.lastFrame) anyRelease_ = false;
  stats_.lastFrame = frame->frame;
  lastFrameSteadyNs_ = detail::steadyNowNs();
  holdUntilSteadyNs_ = 0;  // a frame ends the hold
  pending_ = std::move(*frame);
}

void WallFollower::refuse(FrameProblem problem, const std::string& message) {
  ++stats_.malformed;
  // Once per kind: a broken lead sending 60 bad frames a second must not flood the log.
  auto& logged = loggedProblem_[static_cast<int>(problem) % kFrameProblemCount];
  if (!logged) {
    logged = true;
    spdlog::warn("wall: a message from the lead was refused ({}): {} (further ones of this kind are counted, "
                 "not logged)",
                 toString(problem), message);
  }
}

// A look replaces the one kept for its layer; the looks kept are bounded (kMaxFrameLayers layers, kMaxKeptLookBytes
// in all), so a lead sending looks of ever new layers cannot grow this node's memory without end.
void WallFollower::handleLook(const std::uint8_t* data, std::size_t size) {
  FrameProblem problem = FrameProblem::None;
  auto look = decodeLayerLook(data, size, &problem);
  if (!look) {
    refuse(problem, look.status().message());
    return;
  }
  const auto bytesOf = [](const LayerLook& l) {
    return l.layerId.size() + l.styleText.size() + l.filterText.size() + l.valuesAttribute.size() +
           l.values.size() * sizeof(double);
  };
  const auto kept = looks_.find(look->layerId);
  const std::size_t replaced = kept != looks_.end() ? bytesOf(kept->second) : 0;
  if ((kept == looks_.end() && looks_.size() >= kMaxFrameLayers) ||
      lookBytes_ - replaced + bytesOf(*look) > kMaxKeptLookBytes) {
    refuse(FrameProblem::BadValue, "wall layer look of '" + look->layerId + "': over the looks kept (" +
                                       std::to_string(kMaxFrameLayers) + " layers, " +
                                       std::to_string(kMaxKeptLookBytes) + " bytes)");
    return;
  }
  ++stats_.looksReceived;
  lookBytes_ = lookBytes_ - replaced + bytesOf(*look);
  const std::string id = look->layerId;
  looks_.insert_or_assign(id, std::move(*look));
}

const LayerLook* WallFollower::look(const std::string& layerId) const {
  const auto it = looks_.find(layerId);
  return it != looks_.end() ? &it->second : nullptr;
}

// Each event is two frames: 6 bytes (u16 event, u32 value, host order) and the endpoint. A closed connection counts
// only after a handshake succeeded: before that (the lead not up, a key it cannot read) nothing was up to lose.
void WallFollower::readLinkEvents() {
  for (;;) {
    zmq_msg_t head;
    zmq_msg_init(&head);
    if (zmq_msg_recv(&head, impl_->monitor, ZMQ_DONTWAIT) < 0) {
      zmq_msg_close(&head);
      return;
    }
    std::uint16_t event = 0;
    if (zmq_msg_size(&head) >= sizeof event) std::memcpy(&event, zmq_msg_data(&head), sizeof event);
    const bool more = zmq_msg_more(&head) != 0;
    zmq_msg_close(&head);
    if (more) {  // the endpoint: not needed (one lead)
      zmq_msg_t endpoint;
      zmq_msg_init(&endpoint);
      (void)zmq_msg_recv(&endpoint, impl_->monitor, 0);
      zmq_msg_close(&endpoint);
    }
    switch (event) {
      case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
        link_ = LeadLink::Up;
        break;
      case ZMQ_EVENT_DISCONNECTED:
        if (link_ == LeadLink::Up) {
          link_ = LeadLink::Down;
          ++stats_.disconnects;
          holdUntilSteadyNs_ = 0;  // a lead that held and then closed its connection is gone, not busy
        }
        break;
      case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
        link_ = LeadLink::Refused;
        ++stats_.refusals;
        break;
      default:
        break;
    }
  }
}

bool WallFollower::drain() {
  readLinkEvents();
  const auto before = stats_.framesReceived;
  zmq_msg_t& msg = impl_->message;
  while (zmq_msg_recv(&msg, impl_->sub, ZMQ_DONTWAIT) >= 0) {
    handle(static_cast<const std::uint8_t*>(zmq_msg_data(&msg)), zmq_msg_size(&msg));
  }
  return stats_.framesReceived != before;
}

std::optional<WallFrameState> WallFollower::poll(int timeoutMs) {
  drain();
  if (!pending_ && timeoutMs > 0) {
    const std::int64_t deadline = detail::steadyNowNs() + std::int64_t{timeoutMs} * 1'000'000;
    for (;;) {
      const std::int64_t leftNs = deadline - detail::steadyNowNs();
      if (leftNs <= 0) break;
      zmq_pollitem_t item{impl_->sub, 0, ZMQ_POLLIN, 0};
      const long leftMs = static_cast<long>((leftNs + 999'999) / 1'000'000);
      if (zmq_poll(&item, 1, leftMs) <= 0) break;
      if (drain() && pending_) break;  // a release alone does not end the wait for a frame
    }
  }
  readLinkEvents();  // a lead that went during the wait is known now, not a frame later
  std::optional<WallFrameState> out = std::move(pending_);
  pending_.reset();
  return out;
}

double WallFollower::sinceLastFrameS() const {
  return static_cast<double>(detail::steadyNowNs() - lastFrameSteadyNs_) / 1e9;
}

double WallFollower::holdRemainingS() const {
  return std::max(0.0, static_cast<double>(holdUntilSteadyNs_ - detail::steadyNowNs()) / 1e9);
}

// A closed connection is the lead gone; otherwise a hold counts as a sign of life: silence is counted from its end.
bool WallFollower::leadLost() const {
  if (link_ == LeadLink::Down) return true;
  if (holdRemainingS() > 0) return false;
  const std::int64_t since = std::max(lastFrameSteadyNs_, holdUntilSteadyNs_);
  return static_cast<double>(detail::steadyNowNs() - since) / 1e9 > leadLostAfterS_;
}

void WallFollower::sendReady(std::uint64_t frame) {
  if (impl_->dealer == nullptr) return;
  const auto bytes = detail::encodeReady(frame);
  // Not connected or the lead is not reading: the ready is dropped; the lead drops this node at its timeout and
  // takes it back at its next ready.
  if (zmq_send(impl_->dealer, bytes.data(), bytes.size(), ZMQ_DONTWAIT) < 0) {
    ++stats_.readyDropped;
  } else {
    ++stats_.readySent;
  }
}

bool WallFollower::waitForRelease(std::uint64_t frame, int timeoutMs) {
  if (impl_->dealer == nullptr) return true;
  const std::int64_t deadline = detail::steadyNowNs() + std::int64_t{std::max(0, timeoutMs)} * 1'000'000;
  for (;;) {
    drain();
    if (anyRelease_ && released_ >= frame) return true;
    const std::int64_t leftNs = deadline - detail::steadyNowNs();
    if (leftNs <= 0) return false;
    zmq_pollitem_t item{impl_->sub, 0, ZMQ_POLLIN, 0};
    (void)zmq_poll(&item, 1, static_cast<long>((leftNs + 999'999) / 1'000'000));
  }
}

}  // namespace gt::wall
