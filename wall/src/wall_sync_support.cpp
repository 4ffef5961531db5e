// Shared pieces of the wall's lead and followers (wall_sync_support.hpp) and the settings from a wall file.
#include "wall_sync_support.hpp"

#include <zmq.h>

#include <cerrno>
#include <chrono>
#include <thread>

#include "byte_codec.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/core/log.hpp"
#include "greentwin/wall/wall_sync.hpp"

namespace gt::wall {
namespace detail {
namespace {

constexpr std::uint16_t kControlVersion = 1;
constexpr std::size_t kControlBytes = 4 + 2 + 8;

std::vector<std::uint8_t> encodeControl(std::string_view magic, std::uint64_t frame) {
  ByteWriter w;
  w.raw(magic);
  w.u16(kControlVersion);
  w.u64(frame);
  return w.take();
}

std::optional<std::uint64_t> decodeControl(std::string_view magic, const std::uint8_t* data, std::size_t size) {
  if (data == nullptr || size != kControlBytes) return std::nullopt;
  ByteReader r(data, size);
  if (r.raw(4, "magic") != magic) return std::nullopt;
  if (r.u16("version") != kControlVersion) return std::nullopt;
  const std::uint64_t frame = r.u64("frame");
  return r.ok() ? std::optional<std::uint64_t>(frame) : std::nullopt;
}

}  // namespace

std::vector<std::uint8_t> encodeReady(std::uint64_t frame) { return encodeControl("GTWB", frame); }
std::optional<std::uint64_t> decodeReady(const std::uint8_t* data, std::size_t size) {
  return decodeControl("GTWB", data, size);
}
std::vector<std::uint8_t> encodeRelease(std::uint64_t frame) { return encodeControl("GTWR", frame); }
std::optional<std::uint64_t> decodeRelease(const std::uint8_t* data, std::size_t size) {
  return decodeControl("GTWR", data, size);
}

std::vector<std::uint8_t> encodeHold(std::uint64_t holdMs) { return encodeControl("GTWH", holdMs); }
std::optional<std::uint64_t> decodeHold(const std::uint8_t* data, std::size_t size) {
  return decodeControl("GTWH", data, size);
}

std::string zmqError(const std::string& what) { return what + ": " + zmq_strerror(zmq_errno()); }

int bindRetrying(void* socket, const std::string& endpoint) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(kBindRetryS);
  bool told = false;
  for (;;) {
    const int rc = zmq_bind(socket, endpoint.c_str());
    if (rc == 0 || zmq_errno() != EADDRINUSE || std::chrono::steady_clock::now() >= until) return rc;
    if (!told) {
      told = true;
      spdlog::warn("wall: '{}' is in use (a node that stopped a moment ago?); trying again for up to {:.0f} s",
                   endpoint, kBindRetryS);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

Status setCommonOptions(void* socket, int sendHwm, int receiveHwm) {
  const int linger = 0;
  const int heartbeatIvl = 1000;
  const int heartbeatTimeout = 3000;
  // A frame is at most kMaxFrameStateBytes; a peer sending more is disconnected before the bytes are buffered.
  const std::int64_t maxMessage = static_cast<std::int64_t>(kMaxFrameStateBytes) + 64;
  if (zmq_setsockopt(socket, ZMQ_LINGER, &linger, sizeof linger) != 0 ||
      zmq_setsockopt(socket, ZMQ_SNDHWM, &sendHwm, sizeof sendHwm) != 0 ||
      zmq_setsockopt(socket, ZMQ_RCVHWM, &receiveHwm, sizeof receiveHwm) != 0 ||
      zmq_setsockopt(socket, ZMQ_HEARTBEAT_IVL, &heartbeatIvl, sizeof heartbeatIvl) != 0 ||
      zmq_setsockopt(socket, ZMQ_HEARTBEAT_TIMEOUT, &heartbeatTimeout, sizeof heartbeatTimeout) != 0 ||
      zmq_setsockopt(socket, ZMQ_MAXMSGSIZE, &maxMessage, sizeof maxMessage) != 0) {
    return Status(ErrorCode::IoError, zmqError("wall socket options"));
  }
  return Status::ok();
}

Result<std::string> publicKeyFrom(const std::string& keyFile, const std::string& role) {
  if (keyFile.empty()) return Status(ErrorCode::InvalidArgument, role + ": no key file given");
  auto keys = connectors::readKeyFile(keyFile);
  if (!keys) return Status(keys.status().code(), role + ": " + keys.status().message());
  return keys->publicKey;
}

Result<ClientKeys> keyPairFrom(const std::string& keyFile, const std::string& role) {
  if (keyFile.empty()) return Status(ErrorCode::InvalidArgument, role + ": no key file given");
  auto keys = connectors::readKeyFile(keyFile);
  if (!keys) return Status(keys.status().code(), role + ": " + keys.status().message());
  if (!keys->hasSecret()) {
    return Status(ErrorCode::InvalidArgument, role + ": '" + keyFile +
                                                  "' holds no secret key (a public-only file); this node needs its "
                                                  "own key pair (`greentwin keys generate`)");
  }
  return ClientKeys{keys->publicKey, keys->secretKey};
}

Status setCurveClient(void* socket, const ClientKeys& node, const std::string& leadPublic) {
  if (zmq_setsockopt(socket, ZMQ_CURVE_SERVERKEY, leadPublic.c_str(), leadPublic.size() + 1) != 0 ||
      zmq_setsockopt(socket, ZMQ_CURVE_PUBLICKEY, node.publicKey.c_str(), node.publicKey.size() + 1) != 0 ||
      zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, node.secretKey.c_str(), node.secretKey.size() + 1) != 0) {
    return Status(ErrorCode::Unsupported, zmqError("CURVE client options (libzmq without CURVE?)"));
  }
  return Status::ok();
}

std::int64_t steadyNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t systemNowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace detail

WallSyncSettings leadSyncSettings(const WallConfig& config) {
  WallSyncSettings s;
  s.syncEndpoint = config.syncEndpoint;
  if (config.swapBarrier) s.barrierEndpoint = config.barrierEndpoint;
  s.curve = config.security == "curve";
  s.leadKeyFile = config.resolvePath(config.leadKey);
  s.allowListFile = config.resolvePath(config.allowedKeys);
  if (const WallNode* lead = config.leadNode()) s.nodeId = lead->id;
  s.leadLostAfterS = config.leadLostAfterS;
  return s;
}

Result<WallSyncSettings> followerSyncSettings(const WallConfig& config, const std::string& nodeId) {
  const WallNode* node = config.findNode(nodeId);
  if (node == nullptr) return Status(ErrorCode::NotFound, "the wall has no node '" + nodeId + "'");
  if (node->lead) return Status(ErrorCode::InvalidArgument, "node '" + nodeId + "' is the lead, not a follower");
  WallSyncSettings s = leadSyncSettings(config);
  s.allowListFile.clear();
  s.nodeKeyFile = config.resolvePath(node->key);
  s.nodeId = nodeId;
  return s;
}

}  // namespace gt::wall
