// The twin's alert log. See alert_log.hpp.

#include "greentwin/runtime/alert_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <tuple>

#include "alert_writer.hpp"
#include "greentwin/connectors/pg_history.hpp"

namespace gt::runtime {
namespace {

Status checkText(const char* what, const std::string& text, std::size_t limit) {
  if (text.size() <= limit) return Status::ok();
  return {ErrorCode::InvalidArgument, std::string("alert ") + what + " is " + std::to_string(text.size()) +
                                          " bytes, more than the " + std::to_string(limit) + " allowed"};
}

Status checkSourceKey(const std::string& source, const std::string& key) {
  if (source.empty()) return {ErrorCode::InvalidArgument, "alert source (plugin id) is empty"};
  if (key.empty()) return {ErrorCode::InvalidArgument, "alert key is empty (source '" + source + "')"};
  if (Status s = checkText("source", source, AlertLog::kMaxSourceBytes); !s) return s;
  return checkText("key", key, AlertLog::kMaxKeyBytes);
}

spdlog::level::level_enum levelOf(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::Critical:
      return spdlog::level::err;
    case AlertSeverity::Warning:
      return spdlog::level::warn;
    case AlertSeverity::Info:
      break;
  }
  return spdlog::level::info;
}

// "energy/overload/sub-12 [critical] entity sub-12: Substation sub-12 at 124% of rating"
void logAlert(spdlog::level::level_enum level, const char* what, const Alert& a) {
  spdlog::log(level, "alert {}: {}/{} [{}]{}{}: {}", what, a.source, a.key, toString(a.severity),
              a.entityId.empty() ? "" : " entity ", a.entityId, a.messageEn);
}

}  // namespace

AlertLog::AlertLog() : AlertLog(Options{}) {}

AlertLog::AlertLog(Options options) : options_(options) {}

AlertLog::~AlertLog() = default;

// ---- any thread -----------------------------------------------------------------------------------------------

Status AlertLog::raise(AlertRaise alert) {
  if (Status s = checkSourceKey(alert.source, alert.key); !s) return s;
  if (!alertSeverityFromInt(static_cast<int>(alert.severity))) {
    return {ErrorCode::InvalidArgument, "alert " + alert.source + "/" + alert.key + ": unknown severity " +
                                            std::to_string(static_cast<int>(alert.severity))};
  }
  for (const auto& [what, text, limit] : {std::tuple{"entity id", &alert.entityId, kMaxEntityIdBytes},
                                          std::tuple{"message_zh", &alert.messageZh, kMaxMessageBytes},
                                          std::tuple{"message_en", &alert.messageEn, kMaxMessageBytes}}) {
    if (Status s = checkText(what, *text, limit); !s) {
      return {s.code(), s.message() + " (" + alert.source + "/" + alert.key + ")"};
    }
  }
  std::lock_guard lock(queueMutex_);
  if (queue_.size() >= options_.maxQueued) {
    return {ErrorCode::OutOfRange, "alert " + alert.source + "/" + alert.key + " refused: " +
                                       std::to_string(queue_.size()) + " alert calls wait for the update thread"};
  }
  queue_.push_back({false, std::move(alert)});
  return Status::ok();
}

Status AlertLog::clear(const std::string& source, const std::string& key, TimePoint timeUs) {
  if (Status s = checkSourceKey(source, key); !s) return s;
  std::lock_guard lock(queueMutex_);
  if (queue_.size() >= options_.maxQueued) {
    return {ErrorCode::OutOfRange, "alert clear " + source + "/" + key + " refused: " + std::to_string(queue_.size()) +
                                       " alert calls wait for the update thread"};
  }
  Pending p;
  p.isClear = true;
  p.alert.source = source;
  p.alert.key = key;
  p.alert.timeUs = timeUs;
  queue_.push_back(std::move(p));
  return Status::ok();
}

// ---- update thread --------------------------------------------------------------------------------------------

std::size_t AlertLog::apply() {
  std::vector<Pending> work;
  {
    std::lock_guard lock(queueMutex_);
    work.swap(queue_);
  }
  for (Pending& p : work) {
    if (p.isClear) {
      applyClear(p.alert);
    } else {
      applyRaise(p.alert);
    }
  }
  evictCleared();
  return work.size();
}

void AlertLog::applyRaise(AlertRaise& r) {
  const SourceKey sk{r.source, r.key};
  const auto latest = latest_.find(sk);
  Alert* current = nullptr;
  if (latest != latest_.end()) {
    if (auto it = entries_.find(latest->second); it != entries_.end()) current = &it->second;
  }
  if (current != nullptr && current->active()) {
    // An update in place; the same contents again (plugins re-raise every poll) change nothing.
    if (current->severity == r.severity && current->entityId == r.entityId && current->messageZh == r.messageZh &&
        current->messageEn == r.messageEn) {
      return;
    }
    const bool escalated = r.severity > current->severity;
    current->severity = r.severity;
    current->entityId = std::move(r.entityId);
    current->messageZh = std::move(r.messageZh);
    current->messageEn = std::move(r.messageEn);
    current->updatedUs = r.timeUs;
    if (escalated) {
      current->acknowledged = false;
      current->ackUs.reset();
    }
    current->version = ++changes_;
    if (escalated) {
      logAlert(levelOf(current->severity), "escalated", *current);
    } else {
      logAlert(spdlog::level::debug, "updated", *current);
    }
    record(*current, AlertEventKind::Update, r.timeUs);
    return;
  }
  if (activeCount_ >= options_.maxActive) {
    if (!warnedActiveLimit_) {
      spdlog::warn("alert {}/{} refused: {} alerts are active, the most the log keeps (further refusals not logged)",
                   r.source, r.key, activeCount_);
      warnedActiveLimit_ = true;
    }
    return;
  }
  // A new occurrence (a key never seen, or raised again after a clear).
  Alert a;
  a.id = nextId_++;
  a.source = std::move(r.source);
  a.key = std::move(r.key);
  a.severity = r.severity;
  a.entityId = std::move(r.entityId);
  a.messageZh = std::move(r.messageZh);
  a.messageEn = std::move(r.messageEn);
  a.raisedUs = r.timeUs;
  a.updatedUs = r.timeUs;
  a.occurrences = current != nullptr ? current->occurrences + 1 : 1;
  a.version = ++changes_;
  ++activeCount_;
  latest_[sk] = a.id;
  const Alert& stored = entries_.emplace(a.id, std::move(a)).first->second;
  logAlert(levelOf(stored.severity), "raised", stored);
  record(stored, AlertEventKind::Raise, stored.raisedUs);
}

void AlertLog::applyClear(const AlertRaise& c) {
  const auto latest = latest_.find(SourceKey{c.source, c.key});
  if (latest == latest_.end()) {
    spdlog::debug("alert clear {}/{}: not raised (ignored)", c.source, c.key);
    return;
  }
  const auto it = entries_.find(latest->second);
  if (it == entries_.end() || !it->second.active()) {
    spdlog::debug("alert clear {}/{}: not active (ignored)", c.source, c.key);
    return;
  }
  Alert& a = it->second;
  a.clearedUs = c.timeUs;
  a.version = ++changes_;
  --activeCount_;
  clearedOrder_.push_back(a.id);
  logAlert(spdlog::level::info, "cleared", a);
  record(a, AlertEventKind::Clear, c.timeUs);
}

Status AlertLog::acknowledge(std::uint64_t id, TimePoint timeUs) {
  const auto it = entries_.find(id);
  if (it == entries_.end()) return {ErrorCode::NotFound, "no alert " + std::to_string(id) + " in the log"};
  Alert& a = it->second;
  if (a.acknowledged) return Status::ok();
  a.acknowledged = true;
  a.ackUs = timeUs;
  a.version = ++changes_;
  logAlert(spdlog::level::info, "acknowledged", a);
  record(a, AlertEventKind::Acknowledge, timeUs);
  return Status::ok();
}

// Cleared entries beyond maxRecent leave, the oldest cleared first; (source, key) forgets an entry that leaves.
void AlertLog::evictCleared() {
  while (clearedOrder_.size() > options_.maxRecent) {
    const std::uint64_t id = clearedOrder_.front();
    clearedOrder_.pop_front();
    const auto it = entries_.find(id);
    if (it == entries_.end()) continue;
    const auto latest = latest_.find(SourceKey{it->second.source, it->second.key});
    if (latest != latest_.end() && latest->second == id) latest_.erase(latest);
    entries_.erase(it);
    ++changes_;
  }
}

void AlertLog::record(const Alert& a, AlertEventKind kind, TimePoint timeUs) {
  AlertEvent e;
  e.timeUs = timeUs;
  e.kind = kind;
  e.source = a.source;
  e.key = a.key;
  e.severity = a.severity;
  e.entityId = a.entityId;
  e.messageZh = a.messageZh;
  e.messageEn = a.messageEn;
  e.raisedUs = a.raisedUs;
  e.loggedUs = wallNow();
  if (writer_) {
    writer_->submit(std::move(e));
    return;
  }
  std::lock_guard lock(journalMutex_);
  journal_.push_back(std::move(e));
  while (journal_.size() > options_.maxJournal) journal_.pop_front();
}

std::vector<Alert> AlertLog::active() const {
  std::vector<Alert> out;
  out.reserve(activeCount_);
  for (const auto& [id, a] : entries_) {
    if (a.active()) out.push_back(a);
  }
  std::sort(out.begin(), out.end(), [](const Alert& x, const Alert& y) {
    return std::tuple(x.severity, x.raisedUs, x.id) > std::tuple(y.severity, y.raisedUs, y.id);
  });
  return out;
}

std::vector<Alert> AlertLog::recent() const {
  std::vector<Alert> out;
  out.reserve(clearedOrder_.size());
  for (auto it = clearedOrder_.rbegin(); it != clearedOrder_.rend(); ++it) {
    if (const auto e = entries_.find(*it); e != entries_.end()) out.push_back(e->second);
  }
  return out;
}

const Alert* AlertLog::find(std::uint64_t id) const {
  const auto it = entries_.find(id);
  return it != entries_.end() ? &it->second : nullptr;
}

AlertCounts AlertLog::unacknowledged() const {
  AlertCounts counts;
  for (const auto& [id, a] : entries_) {
    if (a.active() && !a.acknowledged) ++counts.bySeverity[static_cast<std::size_t>(a.severity)];
  }
  return counts;
}

// ---- history --------------------------------------------------------------------------------------------------

Status AlertLog::openHistory(const std::string& path, PersistenceOptions options) {
  auto writer = connectors::openSqliteAlertStore(path);
  auto reader = writer ? connectors::openSqliteAlertStore(path) : writer.status();
  if (!writer || !reader) {
    openStatus_ = !writer ? writer.status() : reader.status();
    spdlog::error("alert history: {} (alerts are kept in memory only)", openStatus_.message());
    return openStatus_;
  }
  openHistory(std::move(*writer), std::move(*reader), options);
  spdlog::info("alert history: {}", path);
  return Status::ok();
}

Status AlertLog::openPgHistory(const std::string& conninfo, PersistenceOptions options) {
  auto writer = connectors::openPgAlertStore(conninfo);
  auto reader = writer ? connectors::openPgAlertStore(conninfo) : writer.status();
  if (!writer || !reader) {
    openStatus_ = !writer ? writer.status() : reader.status();
    spdlog::error("alert history: {} (alerts are kept in memory only)", openStatus_.message());
    return openStatus_;
  }
  openHistory(std::move(*writer), std::move(*reader), options);
  spdlog::info("alert history: {}", connectors::describePgHistory(conninfo));
  return Status::ok();
}

void AlertLog::openHistory(std::unique_ptr<connectors::AlertStore> writer,
                           std::unique_ptr<connectors::AlertStore> reader, PersistenceOptions options) {
  AlertWriter::Options wo;
  wo.flushInterval = options.flushInterval;
  wo.retention = options.retention;
  writer_ = std::make_unique<AlertWriter>(std::move(writer), wo);
  std::lock_guard lock(readerMutex_);
  reader_ = std::move(reader);
  openStatus_ = Status::ok();
}

void AlertLog::flushHistory() {
  if (writer_) writer_->flush();
}

AlertPersistenceStatus AlertLog::persistenceStatus() const {
  AlertPersistenceStatus s;
  s.enabled = writer_ != nullptr;
  s.status = openStatus_;
  if (writer_) {
    const AlertWriter::Stats w = writer_->stats();
    s.written = w.written;
    s.failed = w.failed;
    s.dropped = w.dropped;
    if (s.status) s.status = writer_->lastError();
  }
  return s;
}

Result<std::vector<AlertEvent>> AlertLog::events(TimePoint t0, TimePoint t1, std::size_t maxRows) const {
  {
    std::lock_guard lock(readerMutex_);
    if (reader_) return reader_->range(t0, t1, maxRows);
  }
  std::vector<AlertEvent> out;
  if (t1 < t0) return out;
  std::lock_guard lock(journalMutex_);
  for (const AlertEvent& e : journal_) {
    if (e.timeUs >= t0 && e.timeUs <= t1) out.push_back(e);
  }
  // The journal is in apply order; the history's order is time, then append order.
  std::stable_sort(out.begin(), out.end(), [](const AlertEvent& a, const AlertEvent& b) { return a.timeUs < b.timeUs; });
  if (out.size() > maxRows) out.resize(maxRows);
  return out;
}

}  // namespace gt::runtime
