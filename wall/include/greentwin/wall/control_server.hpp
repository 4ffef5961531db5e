#pragma once
// The lead node's control endpoint (docs/wall.md "Control"): a ZeroMQ ROUTER socket that operators' clients
// (`greentwin ctl`, ControlClient, any REQ or DEALER socket) send control_protocol.hpp requests to.
//
// Security: with "curve" the socket is a CURVE server holding the lead's secret key, and a ZAP handler of the
// server's own ZeroMQ context admits only the public keys of the allow-list (`greentwin keys allow`; re-read when
// the file changes, every decision in the audit log). A refused key's requests are never read: its client times
// out. "none" is a plain socket for a local trial.
//
// Applying a command: a valid request is queued; the lead's frame loop drains the queue on its update thread
// (takePending), applies each command there and answers it (reply), so an "ok" means the command was applied.
// Invalid requests are answered at once by the server's thread with the parse error. A command not answered within
// `answerTimeoutMs` gets an error reply: "not applied" if the loop never took it (it is then dropped from the queue,
// so it is never applied late), "may have been applied" if it was taken but not answered. At most `maxInFlight`
// requests wait at once; more are answered "busy".
//
// Threads:
//   start(), stop(), destructor    the owning thread.
//   takePending(), reply()         any thread (a mutex); in the viewer the update thread.
//   the server thread              owns the ROUTER socket: reads requests, sends replies, expires late ones.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/wall/control_protocol.hpp"

namespace gt::connectors {
class ZapAuthenticator;
}

namespace gt::wall {

struct WallConfig;

struct ControlServerOptions {
  std::string endpoint = "tcp://127.0.0.1:7711";  // bound; "tcp://127.0.0.1:*" picks a free port (boundEndpoint)
  std::string security = "curve";                 // "curve" or "none"
  std::string leadKeyFile;                        // curve: the lead's key file, with its secret
  std::string allowListFile;                      // curve: the admitted operator keys
  // A queued command not answered by then gets an error reply. Long enough for a screenshot, which the lead renders
  // (the whole canvas) before it answers.
  int answerTimeoutMs = 30000;
  std::size_t maxInFlight = 32;                   // queued + taken, not yet answered
};

// The options of the wall file's control endpoint (paths resolved against the file's folder).
ControlServerOptions controlServerOptions(const WallConfig& wall);

// One queued command and the handle to answer it with.
struct PendingCommand {
  std::uint64_t id = 0;  // the handle for reply()
  ControlCommand command;
  std::string from;  // the operator: its allow-list name, "-" without CURVE
};

class ControlServer {
 public:
  explicit ControlServer(ControlServerOptions options);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

  // Reads the lead's key and the allow-list, binds the endpoint and starts the thread. Errors name the file or the
  // endpoint (a port in use).
  Status start();
  // Stops the thread and closes the socket; unanswered requests get no reply. Idempotent.
  void stop();
  // The endpoint as bound (the port chosen for "tcp://HOST:*").
  const std::string& boundEndpoint() const { return boundEndpoint_; }

  // The commands queued since the last call, oldest first.
  std::vector<PendingCommand> takePending();
  // Answers command `id` with a reply text (okReply / errorReply). False when the id is not waiting any more
  // (already answered, or expired with an error reply).
  bool reply(std::uint64_t id, std::string replyText);

  // Counters since start (any thread).
  struct Stats {
    std::uint64_t requests = 0;  // requests read
    std::uint64_t refused = 0;   // answered with a parse error or "busy"
    std::uint64_t expired = 0;   // answered with the timeout error
  };
  Stats stats() const;

 private:
  struct InFlight;
  void run();
  void handleRequest();
  void sendReply(const std::vector<std::string>& envelope, const std::string& text);
  void flushOutbox();
  void expire(std::chrono::steady_clock::time_point now);
  std::string senderName(const std::string& userId) const;
  void wake();

  ControlServerOptions options_;
  std::string boundEndpoint_;
  void* context_ = nullptr;
  void* socket_ = nullptr;    // ROUTER; the server thread's after start()
  void* wakeRecv_ = nullptr;  // PAIR; the server thread's
  void* wakeSend_ = nullptr;  // PAIR; used under mutex_
  std::unique_ptr<connectors::ZapAuthenticator> authenticator_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};

  // Server thread only.
  std::vector<std::unique_ptr<InFlight>> inFlight_;
  std::uint64_t nextId_ = 1;

  mutable std::mutex mutex_;  // guards the members below and wakeSend_
  std::deque<PendingCommand> pending_;
  std::vector<std::uint64_t> taken_;  // ids taken by the loop and not answered yet
  std::vector<std::pair<std::uint64_t, std::string>> outbox_;
  Stats stats_;
};

}  // namespace gt::wall
