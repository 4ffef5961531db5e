#include "greentwin/connectors/zap_authenticator.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <zmq.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <vector>

#include "audit_throttle.hpp"
#include "connection_limit.hpp"
#include "greentwin/core/log.hpp"

namespace gt::connectors {

namespace {

// What a stat says about a file; any difference means "re-read it" (a rename gives a new inode).
struct FileStamp {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  off_t size = 0;
  std::int64_t mtimeNs = 0;
  std::int64_t ctimeNs = 0;
  friend bool operator==(const FileStamp&, const FileStamp&) = default;
};

FileStamp stampOf(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return {};
  return FileStamp{true,
                   st.st_dev,
                   st.st_ino,
                   st.st_size,
                   static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec,
                   static_cast<std::int64_t>(st.st_ctim.tv_sec) * 1000000000 + st.st_ctim.tv_nsec};
}

std::string frameText(zmq_msg_t& m) { return {static_cast<const char*>(zmq_msg_data(&m)), zmq_msg_size(&m)}; }

}  // namespace

struct ZapAuthenticator::Domain {
  struct Counters {
    std::atomic<std::uint64_t> admitted{0}, refused{0}, reloads{0}, connectionLimited{0};
  };
  ZapPolicy policy;
  std::shared_ptr<const AllowList> list;  // guarded by mutex_
  FileStamp stamp;                        // guarded by mutex_
  // Shared so the handler thread can count a decision after writing its audit line without holding the mutex.
  std::shared_ptr<Counters> counters = std::make_shared<Counters>();
};

ZapAuthenticator::ZapAuthenticator(void* context, ZapAuthenticatorOptions options)
    : context_(context), options_(std::move(options)) {}

ZapAuthenticator::~ZapAuthenticator() {
  stopping_.store(true, std::memory_order_relaxed);
  if (thread_.joinable()) thread_.join();
  if (socket_ != nullptr) zmq_close(socket_);
}

Status ZapAuthenticator::start() {
  if (socket_ != nullptr) return Status(ErrorCode::InvalidArgument, "ZapAuthenticator: already started");
  audit_ = options_.audit ? options_.audit : auditLogger();
  socket_ = zmq_socket(context_, ZMQ_REP);
  if (socket_ == nullptr) {
    return Status(ErrorCode::IoError, std::string("ZAP handler: zmq_socket(REP): ") + zmq_strerror(zmq_errno()));
  }
  const int linger = 0;
  zmq_setsockopt(socket_, ZMQ_LINGER, &linger, sizeof linger);
  if (zmq_bind(socket_, kEndpoint) != 0) {
    const int err = zmq_errno();
    zmq_close(socket_);
    socket_ = nullptr;
    if (err == EADDRINUSE) {
      return Status(ErrorCode::InvalidArgument, std::string("this ZeroMQ context already has a ZAP handler (") +
                                                    kEndpoint + " is bound); share that authenticator");
    }
    return Status(ErrorCode::IoError, std::string("ZAP handler: bind ") + kEndpoint + ": " + zmq_strerror(err));
  }
  thread_ = std::thread([this] { run(); });
  return Status::ok();
}

Status ZapAuthenticator::addDomain(const std::string& domain, ZapPolicy policy) {
  if (domain.empty() || domain.size() > 254) {
    return Status(ErrorCode::InvalidArgument, "a ZAP domain is 1 to 254 characters");
  }
  auto d = std::make_unique<Domain>();
  d->policy = std::move(policy);
  d->list = std::make_shared<const AllowList>();
  if (!d->policy.allowListPath.empty()) {
    d->stamp = stampOf(d->policy.allowListPath);
    auto list = AllowList::load(d->policy.allowListPath);
    if (!list) return list.status();
    d->list = std::make_shared<const AllowList>(std::move(*list));
  }
  std::lock_guard lock(mutex_);
  if (domains_.contains(domain)) {
    return Status(ErrorCode::InvalidArgument, "ZAP domain '" + domain + "' is already in use in this context");
  }
  domains_.emplace(domain, std::move(d));
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return Status::ok();
}

void ZapAuthenticator::removeDomain(const std::string& domain) {
  std::lock_guard lock(mutex_);
  domains_.erase(domain);
  generation_.fetch_add(1, std::memory_order_acq_rel);
}

bool ZapAuthenticator::admits(const std::string& domain, std::string_view publicKey) const {
  std::lock_guard lock(mutex_);
  auto it = domains_.find(domain);
  return it != domains_.end() && it->second->list->findAdmitted(publicKey) != nullptr;
}

std::optional<AllowListEntry> ZapAuthenticator::admittedEntry(const std::string& domain,
                                                             std::string_view publicKey) const {
  std::lock_guard lock(mutex_);
  auto it = domains_.find(domain);
  if (it == domains_.end()) return std::nullopt;
  const AllowListEntry* e = it->second->list->findAdmitted(publicKey);
  return e != nullptr ? std::optional<AllowListEntry>(*e) : std::nullopt;
}

std::string ZapAuthenticator::nameOf(const std::string& domain, std::string_view publicKey) const {
  std::lock_guard lock(mutex_);
  auto it = domains_.find(domain);
  if (it == domains_.end()) return {};
  const AllowListEntry* e = it->second->list->findAny(publicKey);
  return e != nullptr ? e->name : std::string();
}

ZapDomainStats ZapAuthenticator::stats(const std::string& domain) const {
  std::lock_guard lock(mutex_);
  auto it = domains_.find(domain);
  if (it == domains_.end()) return {};
  constexpr auto r = std::memory_order_relaxed;
  const Domain::Counters& c = *it->second->counters;
  return {c.admitted.load(r), c.refused.load(r), c.reloads.load(r), c.connectionLimited.load(r)};
}

void ZapAuthenticator::reloadNow() { reloadChanged(false); }

void ZapAuthenticator::reloadChanged(bool force) {
  std::lock_guard lock(mutex_);
  for (auto& [name, d] : domains_) reloadDomain(name, *d, force);
}

// Caller holds mutex_. True when the list changed.
bool ZapAuthenticator::reloadDomain(const std::string& name, Domain& d, bool force) {
  if (d.policy.allowListPath.empty()) return false;
  const FileStamp stamp = stampOf(d.policy.allowListPath);
  if (!force && stamp == d.stamp) return false;
  d.stamp = stamp;
  if (!stamp.exists) {
    // Fail closed: a list that disappeared admits nobody.
    audit_->error("AUDIT allow-list source={} file={} is missing: no CURVE publisher is admitted until it returns",
                  name, d.policy.allowListPath);
    d.list = std::make_shared<const AllowList>();
  } else {
    auto list = AllowList::load(d.policy.allowListPath);
    if (!list) {
      audit_->error("AUDIT allow-list source={} not reloaded, keeping the previous list: {}", name,
                    list.status().message());
      return false;
    }
    std::size_t admitted = 0;
    for (const auto& e : list->entries()) admitted += e.admitted() ? 1 : 0;
    audit_->info("AUDIT allow-list source={} file={} reloaded: {} admitted, {} revoked", name,
                 d.policy.allowListPath, admitted, list->entries().size() - admitted);
    d.list = std::make_shared<const AllowList>(std::move(*list));
  }
  d.counters->reloads.fetch_add(1, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_acq_rel);
  return true;
}

// The handler thread.
void ZapAuthenticator::run() {
  using Clock = std::chrono::steady_clock;
  detail::AuditThrottle throttle(options_.auditRepeatWindowSeconds);
  const auto interval = std::chrono::milliseconds(std::max(1, options_.reloadIntervalMs));
  auto nextCheck = Clock::now() + interval;
  std::vector<std::string> frames;
  zmq_msg_t part;
  zmq_msg_init(&part);

  auto reply = [&](const std::string& requestId, const char* code, const std::string& text,
                   const std::string& userId) {
    const std::array<std::string, 6> out{"1.0", requestId, code, text, userId, ""};
    for (std::size_t i = 0; i < out.size(); ++i) {
      zmq_send(socket_, out[i].data(), out[i].size(), i + 1 < out.size() ? ZMQ_SNDMORE : 0);
    }
  };

  while (!stopping_.load(std::memory_order_relaxed)) {
    zmq_pollitem_t item{socket_, 0, ZMQ_POLLIN, 0};
    const int timeout = static_cast<int>(std::min<std::int64_t>(100, interval.count()));
    const int rc = zmq_poll(&item, 1, timeout);
    if (Clock::now() >= nextCheck) {
      reloadChanged(false);
      nextCheck = Clock::now() + interval;
    }
    if (rc < 0 && zmq_errno() == ETERM) break;
    if (rc <= 0) continue;

    frames.clear();
    bool more = true;
    while (more) {
      if (zmq_msg_recv(&part, socket_, 0) < 0) break;
      frames.push_back(frameText(part));
      more = zmq_msg_more(&part) != 0;
    }
    if (more) continue;  // receive failed mid-message (context terminating)
    if (frames.size() < 6 || frames[0] != "1.0") {
      // libzmq never sends these; answer so the REP socket stays in step.
      reply(frames.size() > 1 ? frames[1] : std::string(), "500", "malformed ZAP request", "");
      audit_->error("AUDIT refuse malformed ZAP request ({} frames)", frames.size());
      continue;
    }
    const std::string& requestId = frames[1];
    const std::string& domainName = frames[2];
    const std::string& peer = frames[3];
    const std::string& mechanism = frames[5];

    std::string key = "-";
    std::string keyName = "-";
    std::string reason;
    bool admit = false;
    std::string userId;
    bool connectionLimited = false;
    Domain* domain = nullptr;
    std::shared_ptr<Domain::Counters> counters;
    {
      std::lock_guard lock(mutex_);
      auto it = domains_.find(domainName);
      if (it != domains_.end()) domain = it->second.get();
      if (domain == nullptr) {
        reason = "no source uses this ZAP domain";
      } else if (mechanism == "CURVE") {
        if (frames.size() < 7 || frames[6].size() != 32) {
          reason = "malformed CURVE credentials";
        } else {
          std::array<char, 41> z85{};
          zmq_z85_encode(z85.data(), reinterpret_cast<const std::uint8_t*>(frames[6].data()), 32);
          key = z85.data();
          reloadDomain(domainName, *domain, false);  // a cheap stat: a revocation applies to this very handshake
          if (const AllowListEntry* e = domain->list->findAdmitted(key)) {
            admit = true;
            keyName = e->name;
            userId = key;
            reason = "key in allow-list";
          } else if (const AllowListEntry* old = domain->list->findAny(key)) {
            keyName = old->name;
            reason = "key revoked at " + formatIsoTime(old->revoked.value_or(0));
          } else {
            reason = "key not in allow-list";
          }
        }
      } else if (mechanism == "NULL") {
        admit = domain->policy.allowNull;
        reason = admit ? "unauthenticated source (security = \"none\")" : "NULL mechanism: this source requires CURVE";
      } else {
        reason = "mechanism " + mechanism + " not supported (CURVE only)";
      }
      // The source's connection cap (issue 15): an admissible handshake is refused while the source holds its most.
      if (admit && domain->policy.connections && !domain->policy.connections->tryAdmit()) {
        admit = false;
        userId.clear();
        connectionLimited = true;
        reason = "connection limit: this source already holds its " +
                 std::to_string(domain->policy.connections->max()) + " connections";
      }
      if (domain != nullptr) counters = domain->counters;
    }

    const char* decision = admit ? "admit" : "refuse";
    const std::string kind = std::string(decision) + '|' + domainName + '|' + peer + '|' + mechanism + '|' + key +
                             '|' + reason;
    if (auto repeats = throttle.pass(kind)) {
      const auto level = admit ? spdlog::level::info : spdlog::level::warn;
      audit_->log(level, "AUDIT {} source={} peer={} mechanism={} key={} name={} reason=\"{}\"{}", decision,
                  domainName, peer.empty() ? "-" : peer, mechanism, key, keyName, reason, detail::repeatNote(*repeats));
    }
    // Counted after the audit line is written: whoever sees the count finds the line.
    if (counters) (admit ? counters->admitted : counters->refused).fetch_add(1, std::memory_order_relaxed);
    if (counters && connectionLimited) counters->connectionLimited.fetch_add(1, std::memory_order_relaxed);
    reply(requestId, admit ? "200" : "400", admit ? "OK" : reason, userId);
  }
  zmq_msg_close(&part);
}

}  // namespace gt::connectors
