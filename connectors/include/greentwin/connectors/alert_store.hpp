#pragma once
// The alert events of the twin's alert log, kept in the history database (docs/alerts.md "History table"): an
// `alerts` table beside the samples of history_store.hpp, in the same SQLite file, so one [history] path keeps
// both. Behind an interface like HistoryStore (a server backend can follow; tests fake a failing disk).
//
// The table has its own schema version, in the row ('alerts', version) of the table schema_parts, checked like the
// file's PRAGMA user_version: a newer version is refused (Unsupported), an unknown one is a ParseError. The file's
// user_version stays the samples' (kSqliteHistorySchemaVersion), so a build without alerts still opens the file.
//
// Semantics:
//   - append(events) is all-or-nothing: one transaction (WAL; durable against a process crash like the samples).
//   - range() returns the events with t0 <= time <= t1 in time order, events of the same time in append order, at
//     most maxRows (the first ones).
// Threads: one object is used by one thread at a time; a writer and a reader open two objects on the same file.

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/alert.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt::connectors {

class AlertStore {
 public:
  virtual ~AlertStore() = default;
  AlertStore() = default;
  AlertStore(const AlertStore&) = delete;
  AlertStore& operator=(const AlertStore&) = delete;

  // Writes the events in one transaction; on error none of them is stored. An empty span writes nothing.
  virtual Status append(std::span<const AlertEvent> events) = 0;
  // Events with t0 <= timeUs <= t1 (see above). t1 < t0 or maxRows == 0: empty (not an error).
  virtual Result<std::vector<AlertEvent>> range(TimePoint t0, TimePoint t1, std::size_t maxRows) = 0;
  // Deletes the events with timeUs < olderThan.
  virtual Status applyRetention(TimePoint olderThan) = 0;
};

// The alerts table version this build writes and reads (schema_parts row 'alerts').
inline constexpr int kAlertTableVersion = 1;

// Opens the alerts table of the GreenTwin history database at `path`, creating the table when the file has none.
// The file itself must exist and be a GreenTwin history (openSqliteHistory creates it). Errors name the path:
//   IoError      the file cannot be opened (missing, unreadable, locked past busyTimeoutMs)
//   ParseError   not a GreenTwin history database, or an unknown alerts table version
//   Unsupported  an alerts table of a newer version
Result<std::unique_ptr<AlertStore>> openSqliteAlertStore(const std::string& path, int busyTimeoutMs = 5000);

// The same table beside a PostgreSQL history ([history] store = "postgresql"): in the connection's current schema,
// which must hold a GreenTwin history already (openPgHistory creates it). Versioned in schema_parts as above; the
// strings are stored as bytes. Errors name the database (never its password):
//   IoError      cannot connect (also later: a lost connection; the next call connects again)
//   ParseError   the schema is not a GreenTwin history, or an unknown alerts table version
//   Unsupported  an alerts table of a newer version
Result<std::unique_ptr<AlertStore>> openPgAlertStore(const std::string& conninfo);

}  // namespace gt::connectors
