#pragma once
// The ZAP handler (ZeroMQ RFC 27) that decides which publishers a CURVE source admits (docs/security.md).
//
// libzmq asks the ZAP handler of the socket's *context* ("inproc://zeromq.zap.01", one per context) during each
// handshake. This class binds that endpoint in a given context and answers on its own thread:
//   - CURVE, key admitted by the domain's allow-list      -> 200, user id = the key (Z85)
//   - CURVE, key unknown or revoked                        -> 400
//   - NULL                                                 -> 200 only if the domain allows unauthenticated peers
//   - PLAIN, GSSAPI, an unknown domain, a malformed request -> 400
// Each decision is counted per domain and written to the "audit" logger (gt::auditLogger()) with the peer address,
// mechanism, key, name, decision and reason; repeats of the same line (a refused publisher reconnects every 100 ms)
// are folded into one line per minute with a count.
//
// Domains: each socket that uses the handler sets ZMQ_ZAP_DOMAIN; addDomain() gives the domain its policy (its
// allow-list file and whether NULL is admitted). One authenticator per context serves any number of domains, so
// sockets sharing a context share its authenticator (ZmqIngestConfig::security.authenticator).
//
// The allow-list is re-read when its file changes (stat: inode, size, mtime, ctime), checked on every CURVE request
// and at least every reloadIntervalMs, so `greentwin keys revoke` refuses new connections at once. A handshake is
// the only time ZAP runs: for publishers already connected, the ingest checks each message's "User-Id" against
// admits() (cheaply, through generation()). An allow-list that cannot be parsed keeps the last good list (logged);
// a deleted one admits nobody.
//
// Threads:
//   constructor, start(), destructor   the owning thread (start binds on it, so an error is known on return).
//   addDomain, removeDomain, admits, generation, stats, reloadNow   any thread (a mutex; admits is for cache misses).
//   the handler thread                 owns the ZAP socket; answers requests, re-reads changed allow-lists.
// The context must outlive the authenticator; destroy the authenticator before zmq_ctx_term.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/core/status.hpp"

namespace spdlog {
class logger;
}

namespace gt::connectors {

namespace detail {
class ConnectionLimit;  // connectors/src/connection_limit.hpp
}

struct ZapPolicy {
  std::string allowListPath;  // CURVE public keys admitted; empty: none
  bool allowNull = false;     // NULL mechanism admitted (only for an explicitly unauthenticated source)
  // The domain's cap on established connections (its socket monitor keeps the count): a handshake that would pass
  // it is refused (400, audited, counted in connectionLimited). nullptr: no cap.
  std::shared_ptr<detail::ConnectionLimit> connections = nullptr;
};

struct ZapDomainStats {
  std::uint64_t admitted = 0;           // 200 replies
  std::uint64_t refused = 0;            // 400 replies (connectionLimited included)
  std::uint64_t reloads = 0;            // allow-list re-reads that changed the list (the first load not counted)
  std::uint64_t connectionLimited = 0;  // handshakes refused because the domain held its most connections
};

struct ZapAuthenticatorOptions {
  int reloadIntervalMs = 500;               // how often the allow-list files are checked for changes
  int auditRepeatWindowSeconds = 60;        // identical audit lines within this window are counted, not written
  std::shared_ptr<spdlog::logger> audit;    // nullptr: gt::auditLogger() at start()
};

class ZapAuthenticator {
 public:
  static constexpr const char* kEndpoint = "inproc://zeromq.zap.01";

  // `context`: a libzmq context (void* from zmq_ctx_new).
  explicit ZapAuthenticator(void* context, ZapAuthenticatorOptions options = {});
  ~ZapAuthenticator();
  ZapAuthenticator(const ZapAuthenticator&) = delete;
  ZapAuthenticator& operator=(const ZapAuthenticator&) = delete;

  // Owning thread, once: binds the ZAP endpoint (an error if the context already has a ZAP handler) and starts the
  // thread. Bind sockets that need it only after this: without a handler libzmq admits every CURVE client.
  Status start();

  // Any thread. Loads the allow-list now (an error names the file; the domain is then not added). An existing domain
  // is an error. Add the domain before the socket using it binds or connects.
  Status addDomain(const std::string& domain, ZapPolicy policy);
  void removeDomain(const std::string& domain);

  // Any thread: whether `publicKey` (Z85) is admitted in `domain` now.
  bool admits(const std::string& domain, std::string_view publicKey) const;
  // Any thread: the admitted entry holding `publicKey` in `domain` now (a copy), or nullopt.
  std::optional<AllowListEntry> admittedEntry(const std::string& domain, std::string_view publicKey) const;
  // The name under which `publicKey` is (or was last) listed in `domain`; empty if never.
  std::string nameOf(const std::string& domain, std::string_view publicKey) const;
  // Any thread: increases whenever an allow-list's contents change (a cache of admits() is valid while it holds).
  std::uint64_t generation() const { return generation_.load(std::memory_order_acquire); }
  ZapDomainStats stats(const std::string& domain) const;
  // Any thread: re-reads the allow-lists whose files changed, now.
  void reloadNow();

  // The audit logger in use (for the ingest's own audit lines about the same domains).
  std::shared_ptr<spdlog::logger> auditLog() const { return audit_; }

 private:
  struct Domain;
  void run();
  void reloadChanged(bool force);
  bool reloadDomain(const std::string& name, Domain& d, bool force);  // caller holds mutex_

  void* context_;
  ZapAuthenticatorOptions options_;
  std::shared_ptr<spdlog::logger> audit_;
  void* socket_ = nullptr;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> generation_{1};
  std::thread thread_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::unique_ptr<Domain>> domains_;
};

}  // namespace gt::connectors
