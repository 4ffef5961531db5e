#pragma once
// An operator's client of the lead's control endpoint (docs/wall.md "Control"; `greentwin ctl`): sends one request
// and waits for its reply. With CURVE it holds the operator's key pair (admitted in the lead's allow-list) and the
// lead's public key; the lead refuses an unknown key during the handshake, which the client sees only as silence,
// so a timeout says what to check.
//
// Threads: one thread at a time per client (a ZeroMQ socket is not thread-safe).

#include <memory>
#include <string>
#include <string_view>

#include "greentwin/core/status.hpp"
#include "greentwin/wall/control_protocol.hpp"

namespace gt::wall {

struct WallConfig;

struct ControlClientOptions {
  std::string endpoint = "tcp://127.0.0.1:7711";
  std::string security = "curve";  // "curve" or "none"
  std::string clientKeyFile;       // curve: the operator's key file, with its secret
  std::string leadKeyFile;         // curve: the lead's key file (its public key is used; a public-only file will do)
};

// The wall file's control endpoint and lead key; the operator's key file is the caller's.
ControlClientOptions controlClientOptions(const WallConfig& wall, std::string clientKeyFile);

class ControlClient {
 public:
  // Reads the key files (errors name the file) and connects (ZeroMQ connects in the background: an absent lead
  // shows as a timeout of send()).
  static Result<std::unique_ptr<ControlClient>> connect(ControlClientOptions options);
  ~ControlClient();
  ControlClient(const ControlClient&) = delete;
  ControlClient& operator=(const ControlClient&) = delete;

  // Sends one request (its text as is: the lead checks it) and waits up to `timeoutMs` for the reply. Errors: IoError
  // "no answer from the lead at ENDPOINT within N ms ..." (then the socket is renewed, so a late reply is never read
  // as the next request's), ParseError for a reply that is not a control reply. An {"ok":false} reply is a value.
  Result<ControlReply> send(std::string_view request, int timeoutMs);
  Result<ControlReply> send(const ControlCommand& command, int timeoutMs) {
    return send(encodeControlCommand(command), timeoutMs);
  }

 private:
  ControlClient() = default;
  Status openSocket();
  void closeSocket();

  ControlClientOptions options_;
  std::string clientPublic_;
  std::string clientSecret_;
  std::string leadPublic_;
  void* context_ = nullptr;
  void* socket_ = nullptr;
};

}  // namespace gt::wall
