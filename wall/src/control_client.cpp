#include "greentwin/wall/control_client.hpp"

#include <zmq.h>

#include <chrono>
#include <vector>

#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/wall/wall_file.hpp"

namespace gt::wall {
namespace {

std::string zmqError(const std::string& what) { return what + ": " + zmq_strerror(zmq_errno()); }

}  // namespace

ControlClientOptions controlClientOptions(const WallConfig& wall, std::string clientKeyFile) {
  ControlClientOptions o;
  o.endpoint = wall.controlEndpoint;
  o.security = wall.security;
  o.clientKeyFile = std::move(clientKeyFile);
  o.leadKeyFile = wall.resolvePath(wall.leadKey);
  return o;
}

Result<std::unique_ptr<ControlClient>> ControlClient::connect(ControlClientOptions options) {
  std::unique_ptr<ControlClient> client(new ControlClient());
  if (options.security == "curve") {
    if (options.clientKeyFile.empty()) {
      return Status(ErrorCode::InvalidArgument,
                    "the wall uses CURVE: an operator key file is needed (`greentwin keys generate NAME`, admitted "
                    "in the wall's allowed_keys with `greentwin keys allow`)");
    }
    auto mine = connectors::readKeyFile(options.clientKeyFile);
    if (!mine) return Status(mine.status().code(), "operator key: " + mine.status().message());
    if (!mine->hasSecret()) {
      return Status(ErrorCode::InvalidArgument,
                    "operator key: '" + options.clientKeyFile + "' holds no secret key (a public-only file)");
    }
    auto lead = connectors::readKeyFile(options.leadKeyFile);
    if (!lead) return Status(lead.status().code(), "lead key: " + lead.status().message());
    client->clientPublic_ = mine->publicKey;
    client->clientSecret_ = mine->secretKey;
    client->leadPublic_ = lead->publicKey;
  } else if (options.security != "none") {
    return Status(ErrorCode::InvalidArgument,
                  "security must be \"curve\" or \"none\", got \"" + options.security + "\"");
  }
  client->options_ = std::move(options);
  client->context_ = zmq_ctx_new();
  if (Status s = client->openSocket(); !s) return s;
  return client;
}

ControlClient::~ControlClient() {
  closeSocket();
  if (context_ != nullptr) zmq_ctx_term(context_);
}

Status ControlClient::openSocket() {
  // DEALER rather than REQ: a REQ socket that timed out cannot send again; this one is renewed instead.
  socket_ = zmq_socket(context_, ZMQ_DEALER);
  const int linger = 0;
  zmq_setsockopt(socket_, ZMQ_LINGER, &linger, sizeof linger);
  if (options_.security == "curve") {
    if (zmq_setsockopt(socket_, ZMQ_CURVE_SERVERKEY, leadPublic_.c_str(), leadPublic_.size() + 1) != 0 ||
        zmq_setsockopt(socket_, ZMQ_CURVE_PUBLICKEY, clientPublic_.c_str(), clientPublic_.size() + 1) != 0 ||
        zmq_setsockopt(socket_, ZMQ_CURVE_SECRETKEY, clientSecret_.c_str(), clientSecret_.size() + 1) != 0) {
      return Status(ErrorCode::Unsupported, zmqError("CURVE socket options"));
    }
  }
  if (zmq_connect(socket_, options_.endpoint.c_str()) != 0) {
    return Status(ErrorCode::InvalidArgument, zmqError("cannot connect to '" + options_.endpoint + "'"));
  }
  return Status::ok();
}

void ControlClient::closeSocket() {
  if (socket_ != nullptr) zmq_close(socket_);
  socket_ = nullptr;
}

Result<ControlReply> ControlClient::send(std::string_view request, int timeoutMs) {
  if (socket_ == nullptr) {
    if (Status s = openSocket(); !s) return s;
  }
  // [""][request], as a REQ socket sends it; the lead answers [""][reply].
  if (zmq_send(socket_, "", 0, ZMQ_SNDMORE) < 0 || zmq_send(socket_, request.data(), request.size(), 0) < 0) {
    return Status(ErrorCode::IoError, zmqError("cannot send to '" + options_.endpoint + "'"));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    zmq_pollitem_t item{socket_, 0, ZMQ_POLLIN, 0};
    const int polled = left > 0 ? zmq_poll(&item, 1, static_cast<long>(left)) : 0;
    if (polled < 0 && zmq_errno() == EINTR) continue;
    if (polled <= 0 || (item.revents & ZMQ_POLLIN) == 0) {
      closeSocket();  // a late reply must not answer the next request
      std::string why = "no answer from the lead at " + options_.endpoint + " within " + std::to_string(timeoutMs) +
                        " ms: is the lead running";
      why +=
          options_.security == "curve" ? ", is this operator key in its allowed_keys and is the lead key right?" : "?";
      return Status(ErrorCode::IoError, why);
    }
    std::vector<std::string> frames;
    zmq_msg_t frame;
    zmq_msg_init(&frame);
    int more = 1;
    while (more != 0 && zmq_msg_recv(&frame, socket_, 0) >= 0) {
      more = zmq_msg_more(&frame);
      frames.emplace_back(static_cast<const char*>(zmq_msg_data(&frame)), zmq_msg_size(&frame));
    }
    zmq_msg_close(&frame);
    if (frames.size() == 2 && frames[0].empty()) return parseControlReply(frames[1]);
    // Anything else is not the lead's reply; keep waiting for it.
  }
}

}  // namespace gt::wall
