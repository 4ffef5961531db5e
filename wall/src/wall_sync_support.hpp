#pragma once
// Internal to greentwin_wall: what the lead and the followers share — the barrier's two small messages, socket
// options, key loading and error wording. Plain functions: any thread (a socket only on its owner's).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt::wall::detail {

// "GTWB" u16 version u64 frame: a follower is ready to show the frame (DEALER -> ROUTER).
std::vector<std::uint8_t> encodeReady(std::uint64_t frame);
std::optional<std::uint64_t> decodeReady(const std::uint8_t* data, std::size_t size);
// "GTWR" u16 version u64 frame: the lead released the frame (PUB, beside the frames).
std::vector<std::uint8_t> encodeRelease(std::uint64_t frame);
std::optional<std::uint64_t> decodeRelease(const std::uint8_t* data, std::size_t size);
// "GTWH" u16 version u64 milliseconds: the lead is busy (a screenshot) and sends no frame for up to this long; its
// last frame stays current (PUB, beside the frames).
std::vector<std::uint8_t> encodeHold(std::uint64_t holdMs);
std::optional<std::uint64_t> decodeHold(const std::uint8_t* data, std::size_t size);

// "what: <zmq_strerror(errno)>".
std::string zmqError(const std::string& what);

// zmq_bind, tried again every 100 ms for up to kBindRetryS while the address is in use: a lead restarted at once
// after a crash (systemd, kill -9) finds its ports held until the kernel has torn the old process down, which takes
// seconds on a loaded machine. Returns zmq_bind's result (errno as it left it).
inline constexpr double kBindRetryS = 10.0;
int bindRetrying(void* socket, const std::string& endpoint);

// Options every wall socket gets: no linger, heartbeats (1 s, 3 s timeout), the high-water marks.
Status setCommonOptions(void* socket, int sendHwm, int receiveHwm);

// A key file's public key (any key file) or its secret (one with a secret; `who` names the role in the error).
Result<std::string> publicKeyFrom(const std::string& keyFile, const std::string& role);
struct ClientKeys {
  std::string publicKey;
  std::string secretKey;
};
Result<ClientKeys> keyPairFrom(const std::string& keyFile, const std::string& role);

// Sets CURVE client options: the node's pair and the lead's public key.
Status setCurveClient(void* socket, const ClientKeys& node, const std::string& leadPublic);

// Steady clock now in ns.
std::int64_t steadyNowNs();
std::int64_t systemNowNs();

}  // namespace gt::wall::detail
