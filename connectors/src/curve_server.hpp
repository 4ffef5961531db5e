#pragma once
// Internal to connectors: a SUB socket as a CURVE *server* that admits the publishers of an allow-list
// (docs/security.md) - the twin's key pair, a ZAP handler (ZapAuthenticator) with a domain, the socket options, a
// socket monitor for handshakes that fail before ZAP, and the per-message check of the sender's key ("User-Id")
// against the current list. Written for the recorder (FeedCapture) so that it subscribes exactly the way the twin's
// ingest does, with the same audit lines; ZmqIngest has the same logic inline and can move to this.
//
// Threads:
//   setUp(), release(), destructor   the owning thread (setUp before the socket binds or connects: without a ZAP
//                                    handler libzmq would admit every CURVE client; release before zmq_ctx_term).
//   admitted(), readMonitor()        the receiving thread (it owns the socket and the monitor; not thread-safe).
//   stats()                          any thread.

#include <zmq.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>

#include "audit_throttle.hpp"
#include "greentwin/connectors/zap_authenticator.hpp"
#include "greentwin/core/status.hpp"

namespace gt::connectors::detail {

struct CurveServerSettings {
  std::string serverKeyFile;  // the twin's key file with its secret (`greentwin keys server`)
  std::string allowListFile;  // the admitted publishers (`greentwin keys allow|revoke`)
  std::string zapDomain;      // ZMQ_ZAP_DOMAIN; audit lines' source=
  // The handler of a shared context (the caller's); nullptr: start one in `context` (which must have none yet).
  std::shared_ptr<ZapAuthenticator> authenticator;
};

// The sender's key of a received frame (its "User-Id" property, set by the ZAP handler); empty when none.
std::string_view userIdOf(zmq_msg_t& frame);

class CurveServer {
 public:
  CurveServer() = default;
  ~CurveServer() { release(); }
  CurveServer(const CurveServer&) = delete;
  CurveServer& operator=(const CurveServer&) = delete;

  // Reads and checks the server key file (it must hold the secret), starts or joins the ZAP handler, adds the
  // domain with its allow-list, sets ZMQ_CURVE_SERVER / ZMQ_CURVE_SECRETKEY / ZMQ_ZAP_DOMAIN on `socket` and
  // starts a monitor. Errors name the missing or bad file. `monitorTag` makes the monitor's inproc name unique.
  Status setUp(void* context, void* socket, CurveServerSettings settings, const void* monitorTag);
  // Closes the monitor, removes the domain, lets go of the authenticator. Idempotent.
  void release();

  void* monitor() const { return monitor_; }
  const std::string& domain() const { return settings_.zapDomain; }
  ZapDomainStats stats() const;

  // Receiving thread: whether the sender `key` (userIdOf) is still admitted. Cached per key until the allow-list
  // changes (one hash lookup per message). A refused key is audited ("AUDIT drop", once per minute per key).
  bool admitted(std::string_view key);
  // Receiving thread: reads the pending monitor events; each handshake failure is audited ("AUDIT refuse ...
  // peer=- endpoint=..."). Returns how many there were.
  std::uint64_t readMonitor();

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  CurveServerSettings settings_;
  std::shared_ptr<ZapAuthenticator> authenticator_;
  bool domainAdded_ = false;
  void* monitor_ = nullptr;
  // Receiving thread only.
  std::uint64_t generation_ = 0;
  std::unordered_map<std::string, bool, StringHash, std::equal_to<>> admittedKeys_;
  AuditThrottle throttle_{60};
};

}  // namespace gt::connectors::detail
