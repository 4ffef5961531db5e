// The lead's control endpoint (see control_server.hpp): a ROUTER socket on its own thread and ZeroMQ context.
#include "greentwin/wall/control_server.hpp"

#include <fmt/format.h>
#include <zmq.h>

#include <algorithm>
#include <cstring>

#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/connectors/zap_authenticator.hpp"
#include "greentwin/core/log.hpp"
#include "greentwin/wall/wall_file.hpp"
#include "wall_sync_support.hpp"

namespace gt::wall {
namespace {

using detail::zmqError;

constexpr const char* kZapDomain = "wall-control";
constexpr const char* kWakeEndpoint = "inproc://greentwin.wall-control.wake";
// Frames over this are dropped by libzmq unread (and the peer disconnected); up to it they get a clear error.
constexpr std::int64_t kMaxFrameBytes = 64 * 1024;
constexpr std::size_t kMaxFrames = 8;  // a ROUTER envelope: [routing id][""][request]; more is not a request

std::string frameText(zmq_msg_t& frame) {
  return std::string(static_cast<const char*>(zmq_msg_data(&frame)), zmq_msg_size(&frame));
}

}  // namespace

struct ControlServer::InFlight {
  std::uint64_t id = 0;
  std::vector<std::string> envelope;  // the frames before the request, sent back before the reply
  std::chrono::steady_clock::time_point deadline;
  std::string command;  // its name, for the timeout message
};

ControlServerOptions controlServerOptions(const WallConfig& wall) {
  ControlServerOptions o;
  o.endpoint = wall.controlEndpoint;
  o.security = wall.security;
  o.leadKeyFile = wall.resolvePath(wall.leadKey);
  o.allowListFile = wall.resolvePath(wall.allowedKeys);
  return o;
}

ControlServer::ControlServer(ControlServerOptions options) : options_(std::move(options)) {}

ControlServer::~ControlServer() { stop(); }

Status ControlServer::start() {
  if (context_ != nullptr) return Status(ErrorCode::InvalidArgument, "wall control: already started");
  const bool curve = options_.security == "curve";
  if (!curve && options_.security != "none") {
    return Status(ErrorCode::InvalidArgument,
                  "wall control: security must be \"curve\" or \"none\", got \"" + options_.security + "\"");
  }
  connectors::KeyPair leadKey;
  if (curve && (options_.leadKeyFile.empty() || options_.allowListFile.empty())) {
    return Status(ErrorCode::InvalidArgument,
                  "wall control: CURVE needs the lead's key file (wall.lead_key) and the allow-list of operator keys "
                  "(wall.allowed_keys)");
  }
  if (curve) {
    auto key = connectors::readKeyFile(options_.leadKeyFile);
    if (!key) return Status(key.status().code(), "wall control: lead key: " + key.status().message());
    if (!key->hasSecret()) {
      return Status(ErrorCode::InvalidArgument, "wall control: lead key '" + options_.leadKeyFile +
                                                    "' holds no secret key; the lead needs its key pair");
    }
    leadKey = std::move(*key);
  }
  context_ = zmq_ctx_new();
  auto fail = [this](Status s) {
    stop();
    return s;
  };
  if (curve) {
    // The handler before the socket: without one libzmq admits every CURVE client.
    authenticator_ = std::make_unique<connectors::ZapAuthenticator>(context_);
    if (Status s = authenticator_->start(); !s) return fail(Status(s.code(), "wall control: " + s.message()));
    if (Status s = authenticator_->addDomain(kZapDomain, connectors::ZapPolicy{options_.allowListFile, false}); !s) {
      return fail(Status(s.code(), "wall control: allowed keys: " + s.message()));
    }
  }
  socket_ = zmq_socket(context_, ZMQ_ROUTER);
  const int linger = 0;
  zmq_setsockopt(socket_, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(socket_, ZMQ_MAXMSGSIZE, &kMaxFrameBytes, sizeof kMaxFrameBytes);
  if (curve) {
    const int on = 1;
    if (zmq_setsockopt(socket_, ZMQ_CURVE_SERVER, &on, sizeof on) != 0 ||
        zmq_setsockopt(socket_, ZMQ_CURVE_SECRETKEY, leadKey.secretKey.c_str(), leadKey.secretKey.size() + 1) != 0 ||
        zmq_setsockopt(socket_, ZMQ_ZAP_DOMAIN, kZapDomain, std::strlen(kZapDomain)) != 0) {
      return fail(Status(ErrorCode::Unsupported, zmqError("wall control: CURVE socket options")));
    }
  }
  if (detail::bindRetrying(socket_, options_.endpoint) != 0) {
    return fail(Status(ErrorCode::IoError, zmqError("wall control: cannot bind '" + options_.endpoint + "'")));
  }
  char bound[256] = {};
  std::size_t boundSize = sizeof bound;
  zmq_getsockopt(socket_, ZMQ_LAST_ENDPOINT, bound, &boundSize);
  boundEndpoint_ = bound;
  wakeRecv_ = zmq_socket(context_, ZMQ_PAIR);
  wakeSend_ = zmq_socket(context_, ZMQ_PAIR);
  zmq_setsockopt(wakeRecv_, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(wakeSend_, ZMQ_LINGER, &linger, sizeof linger);
  if (zmq_bind(wakeRecv_, kWakeEndpoint) != 0 || zmq_connect(wakeSend_, kWakeEndpoint) != 0) {
    return fail(Status(ErrorCode::Internal, zmqError("wall control: wake-up pair")));
  }
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
  spdlog::info("wall control: listening on {} ({})", boundEndpoint_, curve ? "CURVE" : "no security");
  return Status::ok();
}

void ControlServer::stop() {
  if (thread_.joinable()) {
    stopping_ = true;
    wake();
    thread_.join();
  }
  for (void** s : {&socket_, &wakeRecv_, &wakeSend_}) {
    if (*s != nullptr) zmq_close(*s);
    *s = nullptr;
  }
  authenticator_.reset();  // before the context ends (it owns a socket of it)
  if (context_ != nullptr) zmq_ctx_term(context_);
  context_ = nullptr;
  inFlight_.clear();
  const std::lock_guard lock(mutex_);
  pending_.clear();
  taken_.clear();
  outbox_.clear();
}

void ControlServer::wake() {
  const std::lock_guard lock(mutex_);
  if (wakeSend_ != nullptr) zmq_send(wakeSend_, "", 0, ZMQ_DONTWAIT);
}

std::vector<PendingCommand> ControlServer::takePending() {
  const std::lock_guard lock(mutex_);
  std::vector<PendingCommand> out(std::make_move_iterator(pending_.begin()), std::make_move_iterator(pending_.end()));
  pending_.clear();
  for (const PendingCommand& c : out) taken_.push_back(c.id);
  return out;
}

bool ControlServer::reply(std::uint64_t id, std::string replyText) {
  const std::lock_guard lock(mutex_);
  const auto it = std::find(taken_.begin(), taken_.end(), id);
  if (it == taken_.end()) return false;
  taken_.erase(it);
  outbox_.emplace_back(id, std::move(replyText));
  if (wakeSend_ != nullptr) zmq_send(wakeSend_, "", 0, ZMQ_DONTWAIT);
  return true;
}

ControlServer::Stats ControlServer::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

// Server thread.
void ControlServer::run() {
  while (!stopping_.load()) {
    int timeoutMs = 200;
    const auto now = std::chrono::steady_clock::now();
    for (const auto& f : inFlight_) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(f->deadline - now).count();
      timeoutMs = std::clamp(static_cast<int>(left) + 1, 0, timeoutMs);
    }
    zmq_pollitem_t items[]{{socket_, 0, ZMQ_POLLIN, 0}, {wakeRecv_, 0, ZMQ_POLLIN, 0}};
    if (zmq_poll(items, 2, timeoutMs) < 0 && zmq_errno() != EINTR) break;
    if ((items[1].revents & ZMQ_POLLIN) != 0) {
      char drain[1];
      while (zmq_recv(wakeRecv_, drain, sizeof drain, ZMQ_DONTWAIT) >= 0) {
      }
    }
    if (stopping_.load()) break;
    // A bounded batch per turn, so that replies and expiries are never starved by a flood.
    for (int i = 0; i < 64 && (items[0].revents & ZMQ_POLLIN) != 0; ++i) {
      int events = 0;
      std::size_t size = sizeof events;
      zmq_getsockopt(socket_, ZMQ_EVENTS, &events, &size);
      if ((events & ZMQ_POLLIN) == 0) break;
      handleRequest();
    }
    flushOutbox();
    expire(std::chrono::steady_clock::now());
  }
}

// Server thread: one multi-part message [routing id][...][request].
void ControlServer::handleRequest() {
  std::vector<std::string> frames;
  std::string userId;
  zmq_msg_t frame;
  zmq_msg_init(&frame);
  int more = 1;
  while (more != 0) {
    if (zmq_msg_recv(&frame, socket_, ZMQ_DONTWAIT) < 0) break;
    more = zmq_msg_more(&frame);
    if (frames.size() < kMaxFrames) frames.push_back(frameText(frame));
    if (more == 0) {
      const char* user = zmq_msg_gets(&frame, "User-Id");
      if (user != nullptr) userId = user;
    }
  }
  zmq_msg_close(&frame);
  if (frames.size() < 2) return;  // nothing to answer to
  std::string request = std::move(frames.back());
  frames.pop_back();
  {
    const std::lock_guard lock(mutex_);
    ++stats_.requests;
  }
  auto refuse = [&](const std::string& message) {
    {
      const std::lock_guard lock(mutex_);
      ++stats_.refused;
    }
    sendReply(frames, errorReply(message));
  };
  if (frames.size() > 2 || (frames.size() == 2 && !frames[1].empty())) {
    refuse("a request is one frame (a REQ socket, or a DEALER sending an empty frame first)");
    return;
  }
  auto command = parseControlCommand(request);
  if (!command) {
    refuse(command.status().message());
    return;
  }
  if (inFlight_.size() >= options_.maxInFlight) {
    refuse("busy: " + std::to_string(inFlight_.size()) + " commands are waiting for the lead; try again");
    return;
  }
  auto f = std::make_unique<InFlight>();
  f->id = nextId_++;
  f->envelope = std::move(frames);
  f->deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(options_.answerTimeoutMs);
  f->command = commandName(*command);
  const std::string from = senderName(userId);
  auditLogger()->info("AUDIT control source={} name={} cmd={} request={}", kZapDomain, from, f->command,
                      encodeControlCommand(*command));
  {
    const std::lock_guard lock(mutex_);
    pending_.push_back(PendingCommand{f->id, std::move(*command), from});
  }
  inFlight_.push_back(std::move(f));
}

std::string ControlServer::senderName(const std::string& userId) const {
  if (userId.empty() || !authenticator_) return "-";
  const std::string name = authenticator_->nameOf(kZapDomain, userId);
  return name.empty() ? userId : name;
}

// Server thread.
void ControlServer::sendReply(const std::vector<std::string>& envelope, const std::string& text) {
  for (const std::string& part : envelope) zmq_send(socket_, part.data(), part.size(), ZMQ_SNDMORE | ZMQ_DONTWAIT);
  zmq_send(socket_, text.data(), text.size(), ZMQ_DONTWAIT);
}

// Server thread: the loop's answers.
void ControlServer::flushOutbox() {
  std::vector<std::pair<std::uint64_t, std::string>> out;
  {
    const std::lock_guard lock(mutex_);
    out.swap(outbox_);
  }
  for (auto& [id, text] : out) {
    const auto it = std::find_if(inFlight_.begin(), inFlight_.end(), [id](const auto& f) { return f->id == id; });
    if (it == inFlight_.end()) continue;
    sendReply((*it)->envelope, text);
    inFlight_.erase(it);
  }
}

// Server thread: commands past their deadline. One still queued is withdrawn (never applied late).
void ControlServer::expire(std::chrono::steady_clock::time_point now) {
  for (auto it = inFlight_.begin(); it != inFlight_.end();) {
    InFlight& f = **it;
    if (f.deadline > now) {
      ++it;
      continue;
    }
    bool wasTaken = false;
    bool answered = false;
    {
      const std::lock_guard lock(mutex_);
      const auto queued =
          std::find_if(pending_.begin(), pending_.end(), [&f](const PendingCommand& c) { return c.id == f.id; });
      if (queued != pending_.end()) {
        pending_.erase(queued);
      } else if (const auto taken = std::find(taken_.begin(), taken_.end(), f.id); taken != taken_.end()) {
        taken_.erase(taken);
        wasTaken = true;
      } else {
        answered = true;  // the reply is in the outbox: the next flush sends it
      }
      if (!answered) ++stats_.expired;
    }
    if (answered) {
      ++it;
      continue;
    }
    const std::string seconds = fmt::format("{:g}", options_.answerTimeoutMs / 1000.0);
    sendReply(f.envelope, errorReply(wasTaken ? "the lead took '" + f.command + "' but did not answer within " +
                                                    seconds + " s; it may have been applied"
                                              : "the lead's frame loop did not take '" + f.command + "' within " +
                                                    seconds + " s; it was not applied"));
    it = inFlight_.erase(it);
  }
}

}  // namespace gt::wall
