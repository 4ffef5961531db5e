#pragma once
// Internal to connectors: a SUB socket as a CURVE *server* that admits the publishers of an allow-list
// (docs/security.md) - the twin's key pair, a ZAP handler (ZapAuthenticator) with a domain, the socket options, a
// socket monitor for handshakes that fail before ZAP, and the per-message check of the sender's key ("User-Id")
// against the current list. Used by the twin's ingest (ZmqIngest) and the recorder (FeedCapture), so that both
// subscribe the same way, with the same audit lines.
//
// Threads:
//   setUp(), setUpUnauthenticated(), release(), destructor
//                                    the owning thread (before the socket binds or connects: without a ZAP handler
//                                    libzmq would admit every CURVE client; release before zmq_ctx_term).
//   admittedEntry(), admitted(), readMonitor()
//                                    the receiving thread (it owns the socket and the monitor; not thread-safe).
//   stats()                          any thread.

#include <zmq.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "audit_throttle.hpp"
#include "connection_limit.hpp"
#include "greentwin/connectors/zap_authenticator.hpp"
#include "greentwin/core/status.hpp"

namespace gt::connectors::detail {

struct CurveServerSettings {
  std::string serverKeyFile;  // the twin's key file with its secret (`greentwin keys server`)
  std::string allowListFile;  // the admitted publishers (`greentwin keys allow|revoke`)
  std::string zapDomain;      // ZMQ_ZAP_DOMAIN; audit lines' source=
  // The handler of a shared context (the caller's); nullptr: start one in `context` (which must have none yet).
  std::shared_ptr<ZapAuthenticator> authenticator;
  // The end of the "holds no secret key" error: who needs the key pair (the twin's ingest words it its own way).
  std::string keyPairNeed = "a CURVE server needs the twin's own key pair";
  // The most connections the socket holds after their handshake (ZAP refuses more; counted through the monitor).
  // 0: no cap.
  std::size_t maxConnections = 0;
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
  // Instead of setUp, for a socket WITHOUT CURVE (NULL) in a context whose ZAP handler is shared: libzmq then asks
  // that handler about this socket too, so its domain is added admitting NULL (each connection audited) and set as
  // ZMQ_ZAP_DOMAIN. No monitor, no key check (admitted*() must not be called).
  Status setUpUnauthenticated(void* socket, std::string zapDomain, std::shared_ptr<ZapAuthenticator> shared);
  // Closes the monitor, removes the domain, lets go of the authenticator. Idempotent.
  void release();

  void* monitor() const { return monitor_; }
  const std::string& domain() const { return settings_.zapDomain; }
  ZapDomainStats stats() const;
  // The audit logger, for the caller's own audit lines (the ingest's publisher-id check); nullptr before set-up.
  std::shared_ptr<spdlog::logger> auditLog() const { return authenticator_ ? authenticator_->auditLog() : nullptr; }

  // Receiving thread: the allow-list entry the sender `key` (userIdOf) is admitted with now, or nullptr when it is
  // no longer admitted (then audited: "AUDIT drop", once per minute per key). Cached per key until the allow-list
  // changes (one hash lookup per message); the pointer stays valid until the next call.
  const AllowListEntry* admittedEntry(std::string_view key);
  // Receiving thread: whether the sender `key` is still admitted (admittedEntry, for callers that need no entry).
  bool admitted(std::string_view key) { return admittedEntry(key) != nullptr; }
  // Receiving thread: who sent a message that came from a feed proxy's key (docs/security.md "Fan-in through a
  // proxy"): its 4th frame is the key the proxy admitted the publisher with, and that key's entry here decides, as if
  // the publisher had connected directly. `fourth`: the message's 4th frame (nullptr when it has none).
  struct Attestation {
    const AllowListEntry* entry = nullptr;  // the publisher's entry; nullptr: refused, or not admitted here
    std::string_view key;                   // the attested key (into `fourth`)
    const char* refusal = nullptr;          // why the message attests no publisher (not 4 frames, a bad key, a proxy);
                                            // nullptr with no entry: the key is not admitted here (audited as a drop)
  };
  Attestation attestedSender(std::size_t frameCount, zmq_msg_t* fourth);
  // Receiving thread: reads the pending monitor events; each handshake failure before ZAP is audited ("AUDIT
  // refuse ... peer=- endpoint=..."). Returns how many there were. Every event also goes to the connection cap.
  std::uint64_t readMonitor();
  // Any thread: the connections established now as the monitor counted them (with a cap; 0 without).
  std::size_t establishedConnections() const { return connections_ ? connections_->established() : 0; }

 private:
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  CurveServerSettings settings_;
  std::shared_ptr<ZapAuthenticator> authenticator_;
  bool domainAdded_ = false;
  void* monitor_ = nullptr;
  std::shared_ptr<ConnectionLimit> connections_;  // maxConnections > 0; shared with the ZAP handler's domain
  // Receiving thread only.
  std::uint64_t generation_ = 0;
  // Per key: its admitted entry, nullopt when not admitted.
  std::unordered_map<std::string, std::optional<AllowListEntry>, StringHash, std::equal_to<>> admittedKeys_;
  AuditThrottle throttle_{60};
};

}  // namespace gt::connectors::detail
