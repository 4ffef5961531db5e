#pragma once
// The twin's alert log (docs/alerts.md): what plugins raise and clear through the SDK (Host::raiseAlert /
// clearAlert), kept with its lifecycle for the alerts panel and the wall, logged, and kept in history.
//
// Lifecycle of an alert (source = plugin id, key unique within the source):
//   raise (source, key) not active       -> a new entry (a new occurrence; its own id), unacknowledged
//   raise (source, key) active           -> updated in place (severity, entity, messages); a HIGHER severity makes it
//                                           unacknowledged again (an escalation); the same contents change nothing
//   clear (source, key) active           -> clearedUs set; the entry leaves active() for recent()
//   clear of a key that is not active    -> ignored (plugins may clear defensively)
//   acknowledge(id)                      -> acknowledged, ackUs (active or cleared entries; once)
// Memory is bounded: active entries are all kept (up to Options::maxActive), cleared ones up to
// Options::maxRecent (the oldest cleared leave first).
//
// Threads: raise() and clear() from ANY thread (plugin threads): they check their input, then queue under a mutex
// and return. apply(), acknowledge() and every query are for the update thread: apply() (Twin::beginFrame) moves
// what was queued into the log, logs it with spdlog and hands the events to the history writer, which commits
// them on its own thread (a frame never waits on disk). events() and the persistence status: any thread.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/connectors/alert_store.hpp"
#include "greentwin/core/alert.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt::runtime {

class AlertWriter;  // alert_writer.hpp (runtime-private): the history writer thread

// AlertRaise (core/alert.hpp): a raise as a plugin gives it (the SDK's gt_alert, with the plugin's id as source).

// One entry of the log: one occurrence of (source, key).
struct Alert {
  std::uint64_t id = 0;  // stable while the twin runs (not across restarts); never reused
  std::string source;
  std::string key;
  AlertSeverity severity = AlertSeverity::Warning;
  std::string entityId;
  std::string messageZh;
  std::string messageEn;
  TimePoint raisedUs = 0;                // when it began (the first raise's time)
  TimePoint updatedUs = 0;               // the last raise's time
  std::optional<TimePoint> clearedUs;    // set: cleared
  bool acknowledged = false;
  std::optional<TimePoint> ackUs;        // set while acknowledged
  std::uint32_t occurrences = 1;         // this is the n-th occurrence of (source, key) the log knows of
  std::uint64_t version = 0;             // AlertLog::changes() when this entry last changed
  bool active() const { return !clearedUs.has_value(); }
};

// Active unacknowledged alerts per severity (indexed by AlertSeverity): what the wall and the menu bar show.
struct AlertCounts {
  std::array<std::size_t, kAlertSeverityCount> bySeverity{};
  std::size_t total() const { return bySeverity[0] + bySeverity[1] + bySeverity[2]; }
  std::size_t operator[](AlertSeverity s) const { return bySeverity[static_cast<std::size_t>(s)]; }
};

// The history side (docs/alerts.md "History table").
struct AlertPersistenceStatus {
  bool enabled = false;       // a history database is open for alerts
  Status status;              // the open error, else the writer's last error, else ok
  std::uint64_t written = 0;  // events committed
  std::uint64_t failed = 0;   // events in failed transactions (lost)
  std::uint64_t dropped = 0;  // events dropped because the writer's queue was full
};

class AlertLog {
 public:
  // Input limits (bytes, UTF-8): longer input is refused, not cut.
  static constexpr std::size_t kMaxSourceBytes = 128;
  static constexpr std::size_t kMaxKeyBytes = 256;
  static constexpr std::size_t kMaxEntityIdBytes = 256;
  static constexpr std::size_t kMaxMessageBytes = 2048;

  struct Options {
    std::size_t maxRecent = 1000;     // cleared entries kept (the oldest cleared leave first)
    std::size_t maxActive = 10'000;   // a raise of a new key beyond this is refused at apply() (logged once)
    std::size_t maxQueued = 10'000;   // raise()/clear() waiting for apply(); beyond: refused (OutOfRange)
    std::size_t maxJournal = 10'000;  // events kept in memory for events() when no history database is open
  };

  AlertLog();
  explicit AlertLog(Options options);
  ~AlertLog();  // the history writer commits what it holds
  AlertLog(const AlertLog&) = delete;
  AlertLog& operator=(const AlertLog&) = delete;

  // ---- any thread ----
  // Checks and queues a raise: InvalidArgument for an empty source or key, an unknown severity, a text over its
  // limit; OutOfRange when maxQueued are waiting. A refused call changes nothing else.
  Status raise(AlertRaise alert);
  // Checks and queues a clear of (source, key) at timeUs (the same checks on source and key).
  Status clear(const std::string& source, const std::string& key, TimePoint timeUs);

  // ---- update thread ----
  // Applies what was queued, in call order; returns how many calls were applied.
  std::size_t apply();
  // Acknowledges entry `id` at timeUs: NotFound for an unknown (or evicted) id; acknowledging an acknowledged entry
  // is ok and changes nothing.
  Status acknowledge(std::uint64_t id, TimePoint timeUs);

  // Active entries, most severe first, then newest raise first (then highest id).
  std::vector<Alert> active() const;
  // Cleared entries, most recently cleared first.
  std::vector<Alert> recent() const;
  const Alert* find(std::uint64_t id) const;
  std::size_t activeCount() const { return activeCount_; }
  AlertCounts unacknowledged() const;
  // Bumped by every change of the log (a raise, an update, a clear, an acknowledgement, an eviction).
  std::uint64_t changes() const { return changes_; }

  // ---- history ----
  // Opens the alerts table of the history database at `path` (alert_store.hpp) and a writer thread that commits
  // the events every flushInterval; events older than now - retention are deleted hourly (0: keep all). An error is
  // returned, logged, and kept for persistenceStatus(); the log then runs in memory only. Update thread, once.
  struct PersistenceOptions {
    std::chrono::milliseconds flushInterval{200};
    Duration retention = 30LL * 86400 * kMicrosPerSecond;
  };
  Status openHistory(const std::string& path, PersistenceOptions options);
  // The same in a PostgreSQL history ([history] store = "postgresql"; `conninfo` its url), beside its samples.
  Status openPgHistory(const std::string& conninfo, PersistenceOptions options);
  // The same with given stores (tests: a failing disk): `writer` for the writer thread, `reader` for events().
  void openHistory(std::unique_ptr<connectors::AlertStore> writer, std::unique_ptr<connectors::AlertStore> reader,
                   PersistenceOptions options);
  // Blocks until every event handed to the writer so far is committed (or failed). Tests and shutdown.
  void flushHistory();
  AlertPersistenceStatus persistenceStatus() const;

  // The events with t0 <= timeUs <= t1, in time order, at most maxRows: from the history database when one is open
  // (events of the last flush interval may not be committed yet), else from the in-memory journal (the last
  // maxJournal events). Reads the disk: not for the per-frame path. Any thread.
  Result<std::vector<AlertEvent>> events(TimePoint t0, TimePoint t1, std::size_t maxRows = 100'000) const;

 private:
  struct Pending {
    bool isClear = false;
    AlertRaise alert;  // a clear uses source, key, timeUs
  };
  using SourceKey = std::pair<std::string, std::string>;

  void applyRaise(AlertRaise& raise);
  void applyClear(const AlertRaise& clear);
  void record(const Alert& alert, AlertEventKind kind, TimePoint timeUs);
  void evictCleared();

  Options options_;
  // Queue filled by raise()/clear() (any thread), drained by apply().
  mutable std::mutex queueMutex_;
  std::vector<Pending> queue_;  // guarded by queueMutex_

  // The log (update thread).
  std::map<std::uint64_t, Alert> entries_;         // by id
  std::map<SourceKey, std::uint64_t> latest_;      // (source, key) -> its newest entry (active or cleared)
  std::deque<std::uint64_t> clearedOrder_;         // ids of cleared entries, oldest cleared first
  std::size_t activeCount_ = 0;
  std::uint64_t nextId_ = 1;
  std::uint64_t changes_ = 0;
  bool warnedActiveLimit_ = false;

  // In-memory journal of events (events() without history); guarded by journalMutex_.
  mutable std::mutex journalMutex_;
  std::deque<AlertEvent> journal_;

  // History: the writer thread and a reader for events() (guarded by readerMutex_).
  std::unique_ptr<AlertWriter> writer_;
  mutable std::mutex readerMutex_;
  std::unique_ptr<connectors::AlertStore> reader_;
  Status openStatus_;
};

}  // namespace gt::runtime
