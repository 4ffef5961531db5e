#pragma once
// The history store (DESIGN.md "How data flows" step 2, "Scale"; issue 4 "History"): every live sample, persisted
// for playback, behind an interface so that a PostgreSQL/TimescaleDB backend can follow for sites that outgrow
// one machine. The embedded backend is SQLite in WAL mode (openSqliteHistory).
//
// Samples carry STABLE string ids (the entity id of the source data, the attribute name): EntityIndex and
// AttributeId are dense per-process indices and are never persisted. Callers translate at the boundary.
//
// Semantics every backend keeps:
//   - append(batch) is all-or-nothing: one transaction. Once it returns ok, the batch survives a kill -9 of the
//     process (SQLite: WAL, synchronous=NORMAL — durable against a process crash; an OS crash or power loss may
//     lose the last transactions, never corrupt the file).
//   - a sample with the same (entity, attribute, time) as a stored one replaces its value (like TimeSeriesStore).
//   - NaN values are stored as "no value" (SQL NULL) and read back as quiet NaN.
//   - range() returns ascending time, t0 <= time <= t1, at most maxRows rows (the first ones).
//
// Threads: one HistoryStore object is used by one thread at a time (HistoryWriter owns one on its thread).
// Playback opens a second store on the same file: WAL lets readers run while the writer commits.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt::connectors {

struct HistorySample {
  std::string entityId;   // stable entity id (e.g. "station-017"), not an EntityIndex
  std::string attribute;  // attribute name (e.g. "pm25"), not an AttributeId
  TimePoint time = 0;     // µs since the epoch
  double value = 0;

  friend bool operator==(const HistorySample&, const HistorySample&) = default;
};

// One stored series (stable ids).
struct HistorySeries {
  std::string entityId;
  std::string attribute;
  friend bool operator==(const HistorySeries&, const HistorySeries&) = default;
};

class HistoryStore {
 public:
  virtual ~HistoryStore() = default;
  HistoryStore() = default;
  HistoryStore(const HistoryStore&) = delete;
  HistoryStore& operator=(const HistoryStore&) = delete;

  // Writes the batch in one transaction. An empty batch is ok and writes nothing. On error nothing of the batch
  // is stored.
  virtual Status append(std::span<const HistorySample> batch) = 0;

  // Samples of one series with t0 <= time <= t1, ascending, at most maxRows. An unknown entity or attribute,
  // t1 < t0 or maxRows == 0 give an empty vector (not an error).
  virtual Result<std::vector<HistorySample>> range(const std::string& entityId, const std::string& attribute,
                                                   TimePoint t0, TimePoint t1, std::size_t maxRows) = 0;

  // Deletes every sample with time < olderThan (all series). Callers run it periodically (e.g. hourly) with
  // now - configured retention; the SQLite backend scans the table, so it is not for the per-frame path.
  virtual Status applyRetention(TimePoint olderThan) = 0;

  // Every series with at least one stored sample, ordered by the backend's internal keys (playback asks which
  // series exist when the twin restarts with an empty memory store). SQLite: one index seek per series, not a
  // scan of the samples. Backends that cannot list give Unsupported (the default).
  virtual Result<std::vector<HistorySeries>> series();
};

enum class HistoryOpenCheck {
  None,   // trust the file (fastest open)
  Quick,  // PRAGMA quick_check: catches truncated/damaged files at open; reads the whole file (~1 s per GB)
  Full,   // PRAGMA integrity_check: also checks index contents; slower
};

struct SqliteHistoryOptions {
  int busyTimeoutMs = 5000;                       // wait this long for another connection's write lock
  HistoryOpenCheck openCheck = HistoryOpenCheck::Quick;
  bool create = true;                             // create the file (and schema) when missing
};

// Opens (or creates) a history database at `path`. Errors name the path:
//   IoError      the file cannot be opened / created, or is locked past busyTimeoutMs
//   ParseError   not an SQLite file, a corrupt or truncated one, or an SQLite database of another application
//   Unsupported  a GreenTwin history database of a newer schema version
Result<std::unique_ptr<HistoryStore>> openSqliteHistory(const std::string& path, SqliteHistoryOptions options = {});

// Opens the existing file at `path` (never creates it; recovers its WAL) and runs PRAGMA integrity_check: ok, or
// ParseError with SQLite's findings (or the open error).
// For tools and tests (e.g. after a kill -9 of the writer).
Status verifySqliteHistory(const std::string& path);

// The schema version this build writes and reads (PRAGMA user_version of the file).
inline constexpr int kSqliteHistorySchemaVersion = 1;
// PRAGMA application_id of a GreenTwin history file ('GTHS'): another application's SQLite file is refused.
inline constexpr int kSqliteHistoryApplicationId = 0x47544853;

}  // namespace gt::connectors
