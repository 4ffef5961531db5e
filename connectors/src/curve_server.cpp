// A SUB socket as a CURVE server with a ZAP allow-list (see curve_server.hpp). The audit lines and their wording
// are those of the twin's ingest (docs/security.md "The audit log").
#include "curve_server.hpp"

#include <spdlog/spdlog.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "greentwin/connectors/curve_keys.hpp"

namespace gt::connectors::detail {

namespace {

std::string zmqError(std::string_view what) { return std::string(what) + ": " + zmq_strerror(zmq_errno()); }

// Why a handshake failed before ZAP, from a monitor event's value.
std::string handshakeFailure(std::uint16_t event, std::uint32_t value) {
  if (event == ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL) {
    switch (value) {
      case ZMQ_PROTOCOL_ERROR_ZMTP_MECHANISM_MISMATCH:
        return "mechanism mismatch: the publisher does not use CURVE";
      case ZMQ_PROTOCOL_ERROR_ZMTP_CRYPTOGRAPHIC:
        return "CURVE cryptographic error: the publisher uses another server public key";
      default: {
        char buf[64];
        std::snprintf(buf, sizeof buf, "protocol error 0x%08x", value);
        return buf;
      }
    }
  }
  // No detail: the peer hung up first (it saw the mismatch too), e.g. a NULL publisher or another server key.
  return std::string("handshake failed (") + std::strerror(static_cast<int>(value)) +
         "): the peer gave up, typically a publisher without CURVE or with another server public key";
}

}  // namespace

std::string_view userIdOf(zmq_msg_t& frame) {
  const char* userId = zmq_msg_gets(&frame, "User-Id");
  return userId != nullptr ? std::string_view(userId) : std::string_view();
}

Status CurveServer::setUp(void* context, void* socket, CurveServerSettings settings, const void* monitorTag) {
  if (authenticator_) return Status(ErrorCode::InvalidArgument, "CURVE server: already set up");
  settings_ = std::move(settings);
  if (settings_.serverKeyFile.empty()) {
    return Status(ErrorCode::InvalidArgument,
                  "CURVE source without a server key file (the twin's key pair; `greentwin keys server`)");
  }
  if (settings_.allowListFile.empty()) {
    return Status(ErrorCode::InvalidArgument,
                  "CURVE source without an allow-list file (the admitted publishers; `greentwin keys allow`)");
  }
  auto serverKey = readKeyFile(settings_.serverKeyFile);
  if (!serverKey) return Status(serverKey.status().code(), "server key: " + serverKey.status().message());
  if (!serverKey->hasSecret()) {
    return Status(ErrorCode::InvalidArgument, "server key: '" + settings_.serverKeyFile +
                                                  "' holds no secret key (a public-only file); " +
                                                  settings_.keyPairNeed + " (`greentwin keys server`)");
  }
  if (settings_.authenticator) {
    authenticator_ = settings_.authenticator;
  } else {
    authenticator_ = std::make_shared<ZapAuthenticator>(context);
    if (Status s = authenticator_->start(); !s) {
      authenticator_.reset();
      return s;
    }
  }
  if (settings_.maxConnections > 0) connections_ = std::make_shared<ConnectionLimit>(settings_.maxConnections);
  if (Status s = authenticator_->addDomain(settings_.zapDomain, ZapPolicy{settings_.allowListFile, false, connections_});
      !s) {
    return Status(s.code(), "allowed keys: " + s.message());
  }
  domainAdded_ = true;

  const int on = 1;
  const std::string& secret = serverKey->secretKey;
  if (zmq_setsockopt(socket, ZMQ_CURVE_SERVER, &on, sizeof on) != 0 ||
      zmq_setsockopt(socket, ZMQ_CURVE_SECRETKEY, secret.c_str(), secret.size() + 1) != 0 ||
      zmq_setsockopt(socket, ZMQ_ZAP_DOMAIN, settings_.zapDomain.data(), settings_.zapDomain.size()) != 0) {
    return Status(ErrorCode::Unsupported, zmqError("CURVE socket options (libzmq without CURVE?)"));
  }
  // Handshakes that fail before ZAP (a NULL publisher, a wrong server key) are only visible to a socket monitor.
  char address[96];
  std::snprintf(address, sizeof address, "inproc://greentwin.curve-monitor.%p", monitorTag);
  // With a connection cap, also the events it counts connections by.
  const int events = ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                     (connections_ ? ConnectionLimit::kMonitorEvents : 0);
  if (zmq_socket_monitor(socket, address, events) != 0) {
    return Status(ErrorCode::IoError, zmqError("zmq_socket_monitor"));
  }
  monitor_ = zmq_socket(context, ZMQ_PAIR);
  if (monitor_ == nullptr || zmq_connect(monitor_, address) != 0) {
    return Status(ErrorCode::IoError, zmqError("monitor socket"));
  }
  const int linger = 0;
  zmq_setsockopt(monitor_, ZMQ_LINGER, &linger, sizeof linger);
  return Status::ok();
}

Status CurveServer::setUpUnauthenticated(void* socket, std::string zapDomain,
                                         std::shared_ptr<ZapAuthenticator> shared) {
  if (authenticator_) return Status(ErrorCode::InvalidArgument, "CURVE server: already set up");
  if (!shared) return Status(ErrorCode::InvalidArgument, "unauthenticated ZAP domain: no shared authenticator");
  settings_ = CurveServerSettings{};
  settings_.zapDomain = std::move(zapDomain);
  authenticator_ = std::move(shared);
  if (Status s = authenticator_->addDomain(settings_.zapDomain, ZapPolicy{{}, true}); !s) return s;
  domainAdded_ = true;
  if (zmq_setsockopt(socket, ZMQ_ZAP_DOMAIN, settings_.zapDomain.data(), settings_.zapDomain.size()) != 0) {
    return Status(ErrorCode::IoError, zmqError("ZMQ_ZAP_DOMAIN"));
  }
  return Status::ok();
}

void CurveServer::release() {
  connections_.reset();
  if (monitor_ != nullptr) {
    zmq_close(monitor_);
    monitor_ = nullptr;
  }
  if (authenticator_ && domainAdded_) authenticator_->removeDomain(settings_.zapDomain);
  domainAdded_ = false;
  authenticator_.reset();
}

ZapDomainStats CurveServer::stats() const {
  return authenticator_ ? authenticator_->stats(settings_.zapDomain) : ZapDomainStats{};
}

const AllowListEntry* CurveServer::admittedEntry(std::string_view key) {
  const std::uint64_t generation = authenticator_->generation();
  if (generation != generation_) {
    admittedKeys_.clear();
    generation_ = generation;
  }
  auto it = admittedKeys_.find(key);
  if (it == admittedKeys_.end()) {
    it = admittedKeys_.emplace(std::string(key), authenticator_->admittedEntry(settings_.zapDomain, key)).first;
  }
  if (it->second) return &*it->second;
  if (auto repeats = throttle_.pass("drop|" + std::string(key))) {
    authenticator_->auditLog()->warn(
        "AUDIT drop source={} key={} name={} reason=\"key no longer admitted: messages from this connected "
        "publisher are dropped\"{}",
        settings_.zapDomain, key.empty() ? "-" : key,
        key.empty() ? "-" : authenticator_->nameOf(settings_.zapDomain, key), repeatNote(*repeats));
  }
  return nullptr;
}

CurveServer::Attestation CurveServer::attestedSender(std::size_t frameCount, zmq_msg_t* fourth) {
  if (frameCount != 4 || fourth == nullptr) {
    return {nullptr, {}, "a proxy's message is 4 frames: topic, envelope, payload, the publisher's key"};
  }
  const auto attested = std::string_view(static_cast<const char*>(zmq_msg_data(fourth)), zmq_msg_size(fourth));
  if (!validateZ85Key(attested).isOk()) return {nullptr, {}, "the attested publisher key is not 40 Z85 characters"};
  const AllowListEntry* entry = admittedEntry(attested);
  if (entry == nullptr) return {nullptr, attested, nullptr};
  if (entry->proxy) return {nullptr, attested, "a proxy may not attest another proxy's key"};
  return {entry, attested, nullptr};
}

std::uint64_t CurveServer::readMonitor() {
  if (monitor_ == nullptr) return 0;
  std::uint64_t failures = 0;
  zmq_msg_t event;
  zmq_msg_t address;
  zmq_msg_init(&event);
  zmq_msg_init(&address);
  // Monitor events: [uint16 event, uint32 value][endpoint].
  while (zmq_msg_recv(&event, monitor_, ZMQ_DONTWAIT) >= 0) {
    if (zmq_msg_more(&event) == 0 || zmq_msg_recv(&address, monitor_, 0) < 0) continue;
    if (zmq_msg_size(&event) < 6) continue;
    std::uint16_t id = 0;
    std::uint32_t value = 0;
    std::memcpy(&id, zmq_msg_data(&event), sizeof id);
    std::memcpy(&value, static_cast<const char*>(zmq_msg_data(&event)) + 2, sizeof value);
    if (connections_) connections_->onEvent(id);
    // The failures before ZAP are audited here; ZAP audits its own refusals (FAILED_AUTH).
    if (id != ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL && id != ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL) continue;
    const std::string reason = handshakeFailure(id, value);
    const std::string endpoint(static_cast<const char*>(zmq_msg_data(&address)), zmq_msg_size(&address));
    if (auto repeats = throttle_.pass("handshake|" + endpoint + "|" + reason)) {
      authenticator_->auditLog()->warn(
          "AUDIT refuse source={} peer=- endpoint={} mechanism=? key=- name=- reason=\"{}\"{}", settings_.zapDomain,
          endpoint, reason, repeatNote(*repeats));
    }
    ++failures;
  }
  zmq_msg_close(&event);
  zmq_msg_close(&address);
  return failures;
}

}  // namespace gt::connectors::detail
