#pragma once
// The history store (DESIGN.md "How data flows" step 2, "Scale"; issue 4 "History"; issue 15 "Compact history"):
// every live sample, persisted for playback, behind an interface with two backends: the embedded one, SQLite in WAL
// mode (openSqliteHistory), and PostgreSQL for several twins reading one history (pg_history.hpp). Both keep each
// series in the same compressed blocks (history_codec.hpp) with 1 min and 1 h rollups (docs/history.md).
//
// Samples carry STABLE string ids (the entity id of the source data, the attribute name): EntityIndex and
// AttributeId are dense per-process indices and are never persisted. Callers translate at the boundary.
//
// Semantics every backend keeps:
//   - append(batch) is all-or-nothing: one transaction. Once it returns ok, the batch survives a kill -9 of the
//     process (SQLite: WAL, synchronous=NORMAL — durable against a process crash; an OS crash or power loss may
//     lose the last transactions, never corrupt the file).
//   - recorded history is never rewritten: a sample with the same (entity, attribute, time) as a stored one is left
//     out (counted in samplesNotReplaced), and of equal keys in one batch the first is kept. The store does not
//     know who sent a sample (publisher ids stop at the ingest), so the rule holds whoever sends it: another
//     publisher's value cannot replace a recorded one, nor can a replay or a correction (docs/history.md).
//   - NaN values are stored as "no value" and read back as quiet NaN; rollups leave them out.
//   - range() returns ascending time, t0 <= time <= t1, at most maxRows rows (the first ones).
//
// Threads: one HistoryStore object is used by one thread at a time (HistoryWriter owns one on its thread).
// Playback opens a second store on the same file (or database): WAL (MVCC) lets readers run while the writer commits.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
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

// The levels a series is kept at: the samples themselves, and their 1 min and 1 h rollups.
enum class HistoryLevel { Raw = 0, Minute = 1, Hour = 2 };
inline constexpr Duration kHistoryMinute = 60 * kMicrosPerSecond;
inline constexpr Duration kHistoryHour = 3600 * kMicrosPerSecond;

// The values of one bucket: min / max / mean of the (non-NaN) values whose time falls in [time, time + width).
// A raw sample is a bucket of count 1 (min = max = mean = its value; a NaN sample has NaN stats and count 0).
struct HistoryBucket {
  TimePoint time = 0;
  double min = 0;
  double max = 0;
  double mean = 0;
  std::uint64_t count = 0;
  friend bool operator==(const HistoryBucket&, const HistoryBucket&) = default;
};

struct HistorySummary {
  HistoryLevel level = HistoryLevel::Raw;  // the level that was read
  Duration bucketWidth = 0;                // 0: one bucket per raw sample (raw == true)
  bool raw = true;
  std::vector<HistoryBucket> buckets;      // ascending time; empty buckets are left out
};

// Cut-off times per level: everything older is deleted. kNoCutoff keeps the level whole.
inline constexpr TimePoint kNoCutoff = std::numeric_limits<TimePoint>::min();
struct HistoryCutoffs {
  TimePoint raw = kNoCutoff;
  TimePoint minute = kNoCutoff;
  TimePoint hour = kNoCutoff;
};

// What a retention run did (SQLite: blocks are whole compressed blocks of a series at one level).
struct HistoryRetentionReport {
  std::uint64_t blocksVisited = 0;  // blocks the index gave as starting before a cut-off (never a scan of all)
  std::uint64_t blocksDeleted = 0;  // wholly older: deleted
  std::uint64_t blocksTrimmed = 0;  // straddling a cut-off: re-encoded without the older points
  std::uint64_t transactions = 0;   // short write transactions it took (the writer waits at most one of them)
  std::uint64_t partitionsDropped = 0;  // PostgreSQL: time partitions wholly older, dropped (their blocks are
                                        // counted in blocksVisited and blocksDeleted); SQLite: 0
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

  // Deletes every sample with time < olderThan (all series, every level). Callers run it periodically (e.g.
  // hourly) with now - configured retention.
  virtual Status applyRetention(TimePoint olderThan) = 0;

  // Per-level retention: raw samples, 1 min and 1 h rollups each older than their cut-off are deleted. SQLite
  // finds them through an index on (level, block start) and deletes them in short transactions, so a writer on
  // another connection waits at most one of them. The default applies the raw cut-off through
  // applyRetention(olderThan) (a backend without rollups).
  virtual Result<HistoryRetentionReport> applyLevelRetention(const HistoryCutoffs& cutoffs);

  // A series over [t0, t1] for a chart or a long playback, in at most maxPoints buckets: the raw samples when
  // no more than maxPoints lie in the range; otherwise the range is cut into maxPoints equal-width buckets
  // (starting at t0) filled from the coarsest level whose own width fits a bucket (1 h, 1 min, else raw) — so a
  // day reads about 1440 minute points, not 86,400 samples; when that level's own points are no more than
  // maxPoints they come as they are (bucketWidth = the level's). A rollup point counts in the bucket where its own
  // bucket starts. A level whose retention removed the start of the range gives way to a coarser one that still
  // holds it. Unknown series, t1 < t0 or maxPoints == 0 give an empty summary. The default reads range() (a
  // backend without rollups).
  virtual Result<HistorySummary> summary(const std::string& entityId, const std::string& attribute, TimePoint t0,
                                         TimePoint t1, std::size_t maxPoints);

  // True when the last append() that failed did so for a passing reason — another connection held the write lock
  // past the busy timeout — so that trying the same batch again later may succeed (HistoryWriter then keeps it).
  // Default: false (every failure is final).
  virtual bool lastFailureTransient() const { return false; }

  // Samples left out because one of the same series and time was already recorded (or earlier in its batch), all
  // time on this store object. Default 0.
  virtual std::uint64_t samplesNotReplaced() const { return 0; }

  // Every series with at least one stored sample, ordered by the backend's internal keys (playback asks which
  // series exist when the twin restarts with an empty memory store). SQLite: one index seek per series, not a
  // scan of the samples. Backends that cannot list give Unsupported (the default).
  virtual Result<std::vector<HistorySeries>> series();

  // summary() of each of `series` over [t0, t1], at most maxPoints points each, handed to `visit` in list order
  // (an empty summary too); the first error of a read or of `visit` stops it and is returned. Playback reads a
  // window of every series this way. The default calls summary() per series; PostgreSQL reads the raw samples of a
  // short window for all of them in a few statements (one summary() costs it several round trips).
  using SummaryVisitor = std::function<Status(const HistorySeries&, HistorySummary&&)>;
  virtual Status summaries(std::span<const HistorySeries> series, TimePoint t0, TimePoint t1, std::size_t maxPoints,
                           const SummaryVisitor& visit);
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
  // A series' raw block at a declared resolution closes at blockPoints samples (2..4096) or once it is blockBytes
  // long (64..65536), whichever comes first: about 500 samples (fewer, larger rows: less of SQLite's per-row and
  // index overhead). A raw block without a resolution, and rollup blocks, close at min(blockPoints, 120) points
  // (or blockBytes).
  std::size_t blockPoints = 720;
  std::size_t blockBytes = 768;
  // Declared resolutions (docs/history.md "Resolutions"): attribute name -> step (finite, > 0). A sample of such
  // an attribute is stored as round(value / step) and reads back within half a step of what was written (NaN and
  // +-inf exactly); other attributes (and steps that are not finite and > 0) are stored exactly.
  std::unordered_map<std::string, double> resolutions;
};

// Opens (or creates) a history database at `path`. Errors name the path:
//   IoError      the file cannot be opened / created, or is locked past busyTimeoutMs
//   ParseError   not an SQLite file, a corrupt or truncated one, or an SQLite database of another application
//                (left exactly as it was: it is only read before it is refused, never switched to WAL)
//   Unsupported  a GreenTwin history database of a newer schema version
// A history of schema version 1 (one row per sample, before issue 15) is migrated to blocks in one transaction
// when opened (about 1 s per million samples); its freed pages are reused by new blocks.
Result<std::unique_ptr<HistoryStore>> openSqliteHistory(const std::string& path, SqliteHistoryOptions options = {});

// Opens the existing file at `path` (never creates it; recovers its WAL) and runs PRAGMA integrity_check: ok, or
// ParseError with SQLite's findings (or the open error).
// For tools and tests (e.g. after a kill -9 of the writer).
Status verifySqliteHistory(const std::string& path);

// The schema version this build writes and reads (PRAGMA user_version of the file). 1: a row per sample (read
// only to migrate it); 2: compressed blocks per series and level; 3: and samples staged after the open blocks.
inline constexpr int kSqliteHistorySchemaVersion = 3;
// PRAGMA application_id of a GreenTwin history file ('GTHS'): another application's SQLite file is refused.
inline constexpr int kSqliteHistoryApplicationId = 0x47544853;

}  // namespace gt::connectors
