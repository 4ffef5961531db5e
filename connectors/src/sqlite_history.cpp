// SQLite (WAL) backend of HistoryStore. See history_store.hpp and docs/time-series.md "Compact history".
//
// Schema (version kSqliteHistorySchemaVersion, in PRAGMA user_version; PRAGMA application_id marks the file as a
// GreenTwin history so that another application's SQLite file is refused rather than written into):
//   entities(id INTEGER PRIMARY KEY, name TEXT UNIQUE)      stable entity ids, interned
//   attributes(id INTEGER PRIMARY KEY, name TEXT UNIQUE)    attribute names, interned
//   series(id INTEGER PRIMARY KEY, entity_id, attribute_id, rolled_until) UNIQUE(entity_id, attribute_id)
//                                                           rolled_until: history_series_writer.hpp
//   blocks(series_id, level, t_first, t_last, count, data) PRIMARY KEY(series_id, level, t_first)
//     + INDEX blocks_by_start(level, t_first)               compressed blocks: sqlite_history_blocks.hpp
//                                                           A rowid table: WITHOUT ROWID keeps whole rows in the
//                                                           key's b-tree, so blocks of ~800 bytes were copied into
//                                                           its interior pages and spilled to overflow pages half
//                                                           empty (15.5 against 10.3 bytes a sample in
//                                                           bench/history_bench.cpp). Files made with WITHOUT ROWID
//                                                           read and write the same.
//   history_meta(key, value)                                'epoch': bumped by every write transaction, so a
//                                                           writer knows when another connection changed blocks
//                                                           its cached open blocks came from
//   staged(group_id, seq, data) PRIMARY KEY(group_id, seq)  (version 3) samples appended to stored open blocks,
//     WITHOUT ROWID                                         a row per group of series per commit (seq: the
//                                                           commit's epoch): sqlite_history_blocks.hpp
// Version 1 (a row per sample in samples(entity_id, attribute_id, t, value)) is migrated when opened; version 2
// (nothing staged) gets the staged table.

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "history_buckets.hpp"
#include "sqlite_history_blocks.hpp"
#include "history_series_writer.hpp"
#include "sqlite_support.hpp"

namespace gt::connectors {
namespace {

using sqlite::ResetGuard;
using Stmt = sqlite::Statement;
using sqlite_history::Point;
using history_blocks::TimedValue;

constexpr int kRetentionBlocksPerTransaction = 256;
// Commits whose samples are staged before the writer packs them into their blocks (sqlite_history_blocks.hpp), and
// the samples staged at most: a read of one series decodes at most kPackCommits rows of its group.
constexpr int kPackCommits = 16;
constexpr std::size_t kPackSamples = 4'000'000;

const char* const kCreateV2 =
    "CREATE TABLE IF NOT EXISTS entities(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS attributes(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE series(id INTEGER PRIMARY KEY, entity_id INTEGER NOT NULL, attribute_id INTEGER NOT NULL,"
    " rolled_until INTEGER NOT NULL, UNIQUE(entity_id, attribute_id));"
    "CREATE TABLE blocks(series_id INTEGER NOT NULL, level INTEGER NOT NULL, t_first INTEGER NOT NULL,"
    " t_last INTEGER NOT NULL, count INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(series_id, level, t_first));"
    "CREATE INDEX blocks_by_start ON blocks(level, t_first);"
    "CREATE TABLE history_meta(key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO history_meta(key, value) VALUES('epoch', 0);";
const char* const kCreateStaged =
    "CREATE TABLE IF NOT EXISTS staged(group_id INTEGER NOT NULL, seq INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(group_id, seq)) WITHOUT ROWID;";

class SqliteHistory final : public HistoryStore {
 public:
  SqliteHistory(std::string path, const SqliteHistoryOptions& options)
      : path_(std::move(path)), resolutions_(options.resolutions),
        writer_(blocks_, std::clamp<std::size_t>(options.blockPoints, 2, 4096),
                std::clamp<std::size_t>(options.blockBytes, 64, 65536)) {}
  ~SqliteHistory() override {
    // Statements first: sqlite3_close refuses while statements are alive.
    for (Stmt* st : {&insertEntity_, &insertAttribute_, &findEntity_, &findAttribute_, &insertSeries_,
                     &findSeries_, &rolledUntil_, &epoch_, &bumpEpoch_, &begin_, &beginRead_, &commit_,
                     &rollback_}) {
      st->reset();
    }
    blocks_.finalize();
    if (db_ != nullptr) sqlite3_close(db_);
  }

  // `upgrade`: create the schema of a new file, migrate an old one (verifySqliteHistory only checks).
  Status open(const SqliteHistoryOptions& options, bool upgrade = true) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) return error(rc, "cannot open");
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.busyTimeoutMs);

    // Only reads until the file is known to be ours: another application's database is refused as it was found
    // (not switched to WAL). The first read of a non-SQLite file fails here with SQLITE_NOTADB.
    if (options.openCheck != HistoryOpenCheck::None) {
      if (Status s = check(options.openCheck == HistoryOpenCheck::Full); !s) return s;
    }
    auto version = identify();
    if (!version) return version.status();
    if (Status s = exec("PRAGMA journal_mode=WAL", "cannot enable WAL"); !s) return s;
    if (Status s = exec("PRAGMA synchronous=NORMAL", "cannot set synchronous"); !s) return s;
    if (Status s = prepareAll(); !s) return s;
    if (*version != kSqliteHistorySchemaVersion && upgrade) return this->upgrade(*version);
    return Status::ok();
  }

  Status append(std::span<const HistorySample> batch) override {
    if (batch.empty()) return Status::ok();
    transient_ = false;
    if (Status s = step(begin_, "begin transaction"); !s) {
      transient_ = isBusy(sqlite3_errcode(db_));
      return s;
    }
    Status s = appendInTransaction(batch);
    if (s) s = bumpEpoch();
    if (s) s = step(commit_, "commit");
    if (!s) {
      transient_ = isBusy(sqlite3_errcode(db_));  // before ROLLBACK sets its own
      // A failed COMMIT may already have rolled back; ROLLBACK then fails harmlessly.
      (void)step(rollback_, "rollback");
      forgetAll();  // ids and open blocks cached in the rolled-back transaction are gone
    }
    return s;
  }

  bool lastFailureTransient() const override { return transient_; }
  std::uint64_t samplesNotReplaced() const override { return writer_.notReplaced(); }

  Result<std::vector<HistorySample>> range(const std::string& entityId, const std::string& attribute,
                                           TimePoint t0, TimePoint t1, std::size_t maxRows) override {
    std::vector<HistorySample> out;
    if (t1 < t0 || maxRows == 0) return out;
    ReadSnapshot snapshot(*this);
    if (!snapshot.status) return snapshot.status;
    auto series = findSeries(entityId, attribute);
    if (!series) return series.status();
    if (*series < 0) return out;
    return history_blocks::readRange(blocks_, *series, entityId, attribute, t0, t1, maxRows, points_);
  }

  Result<HistorySummary> summary(const std::string& entityId, const std::string& attribute, TimePoint t0,
                                 TimePoint t1, std::size_t maxPoints) override {
    HistorySummary out;
    if (t1 < t0 || maxPoints == 0) return out;
    ReadSnapshot snapshot(*this);
    if (!snapshot.status) return snapshot.status;
    auto series = findSeries(entityId, attribute);
    if (!series) return series.status();
    if (*series < 0) return out;
    return history_blocks::readSummary(blocks_, *series, t0, t1, maxPoints);
  }

  Status applyRetention(TimePoint olderThan) override {
    auto r = applyLevelRetention(HistoryCutoffs{olderThan, olderThan, olderThan});
    return r.status();
  }

  Result<HistoryRetentionReport> applyLevelRetention(const HistoryCutoffs& cutoffs) override {
    HistoryRetentionReport report;
    const TimePoint cut[sqlite_history::kLevels] = {cutoffs.raw, cutoffs.minute, cutoffs.hour};
    std::vector<sqlite_history::Blocks::Key> keys;
    for (int level = 0; level < sqlite_history::kLevels; ++level) {
      if (cut[level] == kNoCutoff) continue;
      // Short transactions of at most kRetentionBlocksPerTransaction blocks: the writer's connection waits for
      // one of them at most, never for the whole run.
      do {
        keys.clear();
        if (Status s = step(begin_, "begin retention"); !s) return s;
        Status s = blocks_.startingBefore(level, cut[level], kRetentionBlocksPerTransaction, keys);
        for (std::size_t i = 0; s && i < keys.size(); ++i) {
          s = history_blocks::retireBlock(blocks_, writer_, level, keys[i], cut[level], report);
        }
        if (s) s = bumpEpoch();
        if (s) s = step(commit_, "commit retention");
        if (!s) {
          (void)step(rollback_, "rollback");
          forgetAll();
          return s;
        }
        ++report.transactions;
        report.blocksVisited += keys.size();
      } while (keys.size() == static_cast<std::size_t>(kRetentionBlocksPerTransaction));
    }
    writer_.forget();
    return report;
  }

  Result<std::vector<HistorySeries>> series() override {
    Stmt st;
    int rc = sqlite3_prepare_v2(db_,
                                "SELECT e.name, a.name FROM series s JOIN entities e ON e.id = s.entity_id"
                                " JOIN attributes a ON a.id = s.attribute_id"
                                " WHERE EXISTS(SELECT 1 FROM blocks b WHERE b.series_id = s.id) ORDER BY s.id",
                                -1, st.out(), nullptr);
    if (rc != SQLITE_OK) return error(rc, "cannot list series");
    std::vector<HistorySeries> out;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      const auto* e = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
      const auto* a = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1));
      out.push_back({e != nullptr ? e : "", a != nullptr ? a : ""});
    }
    if (rc != SQLITE_DONE) return error(rc, "cannot list series");
    return out;
  }

  Status check(bool full) {
    Stmt st;
    const char* sql = full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)";
    int rc = sqlite3_prepare_v2(db_, sql, -1, st.out(), nullptr);
    if (rc != SQLITE_OK) return error(rc, "integrity check failed");
    std::string findings;
    while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 0));
      const std::string line = text != nullptr ? text : "";
      if (line == "ok") continue;
      if (!findings.empty()) findings += "; ";
      findings += line;
    }
    if (rc != SQLITE_DONE) return error(rc, "integrity check failed");
    if (!findings.empty()) {
      return {ErrorCode::ParseError, path_ + ": history database is corrupt: " + findings};
    }
    return Status::ok();
  }

 private:
  // A read transaction for the length of one read: range() and summary() see one commit of the writer, never
  // half of a block closing.
  struct ReadSnapshot {
    explicit ReadSnapshot(SqliteHistory& h) : history(h), status(h.step(h.beginRead_, "begin read")) {}
    ~ReadSnapshot() {
      if (status) (void)history.step(history.commit_, "end read");
    }
    SqliteHistory& history;
    Status status;
  };

  static bool isBusy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }
  Status error(int rc, const std::string& what) const { return sqlite::error(db_, path_, rc, what); }
  Status exec(const char* sql, const char* what) { return sqlite::exec(db_, path_, sql, what); }
  Result<sqlite3_int64> queryInt(const char* sql) { return sqlite::queryInt(db_, path_, sql); }

  // The schema version of a GreenTwin history (0 for an empty file), or why the file is refused. Reads only.
  Result<int> identify() {
    auto tables = queryInt("SELECT count(*) FROM sqlite_schema");
    if (!tables) return tables.status();
    auto appId = queryInt("PRAGMA application_id");
    if (!appId) return appId.status();
    auto version = queryInt("PRAGMA user_version");
    if (!version) return version.status();
    if (*tables == 0 && *appId == 0) return 0;
    if (*appId != kSqliteHistoryApplicationId) {
      return Status(ErrorCode::ParseError, path_ + ": an SQLite database, but not a GreenTwin history database");
    }
    if (*version > kSqliteHistorySchemaVersion) {
      return Status(ErrorCode::Unsupported, path_ + ": history schema version " + std::to_string(*version) +
                                                " is newer than this build reads (" +
                                                std::to_string(kSqliteHistorySchemaVersion) + ")");
    }
    if (*version != 1 && *version != 2 && *version != kSqliteHistorySchemaVersion) {
      return Status(ErrorCode::ParseError, path_ + ": unknown history schema version " + std::to_string(*version));
    }
    return static_cast<int>(*version);
  }

  // A new file (version 0) gets the schema; a version 1 file is migrated. One write transaction, so two
  // connections opening the same file do not both do it.
  Status upgrade(int found) {
    if (Status s = step(begin_, "begin transaction"); !s) return s;
    Status s = upgradeInTransaction();
    if (s) s = step(commit_, "commit");
    if (!s) {
      (void)step(rollback_, "rollback");
      forgetAll();
      return {s.code(), (found == 1 ? "cannot migrate the history to blocks: " : "cannot create the history: ") +
                            s.message()};
    }
    return prepareAll();  // the statements were prepared against the old schema
  }

  Status upgradeInTransaction() {
    // Again inside the transaction: another connection may have done it meanwhile.
    auto version = queryInt("PRAGMA user_version");
    if (!version) return version.status();
    if (*version == kSqliteHistorySchemaVersion) return Status::ok();
    if (*version != 2) {
      if (Status s = exec(kCreateV2, "cannot create the history schema"); !s) return s;
    }
    if (Status s = exec(kCreateStaged, "cannot create the history schema"); !s) return s;
    if (Status s = prepareAll(); !s) return s;
    if (*version == 1) {
      if (Status s = migrateSamples(); !s) return s;
    }
    const std::string pragmas = "PRAGMA application_id=" + std::to_string(kSqliteHistoryApplicationId) +
                                ";PRAGMA user_version=" + std::to_string(kSqliteHistorySchemaVersion) + ";";
    return exec(pragmas.c_str(), "cannot mark the history schema");
  }

  // Version 1's rows, series by series in time order, into blocks and rollups; then the table goes.
  Status migrateSamples() {
    Stmt next, rows;
    int rc = sqlite3_prepare_v2(db_,
                                "SELECT entity_id, attribute_id FROM samples WHERE (entity_id, attribute_id) > (?, ?)"
                                " ORDER BY entity_id, attribute_id LIMIT 1",
                                -1, next.out(), nullptr);
    if (rc == SQLITE_OK) {
      rc = sqlite3_prepare_v2(db_,
                              "SELECT t, value FROM samples WHERE entity_id=? AND attribute_id=? ORDER BY t", -1,
                              rows.out(), nullptr);
    }
    if (rc != SQLITE_OK) return error(rc, "cannot read the version 1 samples");
    sqlite3_int64 e = std::numeric_limits<sqlite3_int64>::min();
    sqlite3_int64 a = std::numeric_limits<sqlite3_int64>::min();
    std::vector<TimedValue> values;
    for (;;) {
      {
        ResetGuard guard(next.get());
        sqlite3_bind_int64(next.get(), 1, e);
        sqlite3_bind_int64(next.get(), 2, a);
        rc = sqlite3_step(next.get());
        if (rc == SQLITE_DONE) break;
        if (rc != SQLITE_ROW) return error(rc, "cannot read the version 1 samples");
        e = sqlite3_column_int64(next.get(), 0);
        a = sqlite3_column_int64(next.get(), 1);
      }
      values.clear();
      ResetGuard guard(rows.get());
      sqlite3_bind_int64(rows.get(), 1, e);
      sqlite3_bind_int64(rows.get(), 2, a);
      while ((rc = sqlite3_step(rows.get())) == SQLITE_ROW) {
        const bool null = sqlite3_column_type(rows.get(), 1) == SQLITE_NULL;
        values.push_back({sqlite3_column_int64(rows.get(), 0),
                          null ? std::numeric_limits<double>::quiet_NaN() : sqlite3_column_double(rows.get(), 1)});
      }
      if (rc != SQLITE_DONE) return error(rc, "cannot read the version 1 samples");
      auto series = internSeries(e, a);
      if (!series) return series.status();
      if (Status s = writer_.write(*series, values); !s) return s;
    }
    return exec("DROP TABLE samples", "cannot drop the version 1 samples");
  }

  Status prepare(Stmt& st, const char* sql) { return sqlite::preparePersistent(db_, path_, st, sql); }

  // Prepared once the schema is there (statements on missing tables fail to prepare: skipped until then).
  Status prepareAll() {
    auto version = queryInt("PRAGMA user_version");
    if (!version) return version.status();
    const std::pair<Stmt*, const char*> always[] = {
        {&begin_, "BEGIN IMMEDIATE"}, {&beginRead_, "BEGIN"}, {&commit_, "COMMIT"}, {&rollback_, "ROLLBACK"}};
    for (const auto& [st, sql] : always) {
      if (Status s = prepare(*st, sql); !s) return s;
    }
    auto tables = queryInt("SELECT count(*) FROM sqlite_schema WHERE name IN ('blocks', 'staged')");
    if (!tables) return tables.status();
    if (*tables < 2) return Status::ok();
    const std::pair<Stmt*, const char*> all[] = {
        {&insertEntity_, "INSERT OR IGNORE INTO entities(name) VALUES(?)"},
        {&insertAttribute_, "INSERT OR IGNORE INTO attributes(name) VALUES(?)"},
        {&findEntity_, "SELECT id FROM entities WHERE name=?"},
        {&findAttribute_, "SELECT id FROM attributes WHERE name=?"},
        {&insertSeries_, "INSERT OR IGNORE INTO series(entity_id, attribute_id, rolled_until) VALUES(?, ?, ?)"},
        {&findSeries_, "SELECT id FROM series WHERE entity_id=? AND attribute_id=?"},
        {&rolledUntil_, "SELECT rolled_until FROM series WHERE id=?"},
        {&epoch_, "SELECT value FROM history_meta WHERE key='epoch'"},
        {&bumpEpoch_, "UPDATE history_meta SET value=value+1 WHERE key='epoch'"},
    };
    for (const auto& [st, sql] : all) {
      if (Status s = prepare(*st, sql); !s) return s;
    }
    return blocks_.prepare(db_, path_);
  }

  Status step(const Stmt& st, const char* what) {
    ResetGuard guard(st.get());
    const int rc = sqlite3_step(st.get());
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return error(rc, what);
    return Status::ok();
  }

  void forgetAll() {
    entityIds_.clear();
    attributeIds_.clear();
    stepByAttribute_.clear();
    seriesIds_.clear();
    writer_.forget();
    blocks_.discardStaging();
    foldNeeded_ = true;
    epochKnown_ = false;
  }

  // Inside a write transaction: when another connection wrote since this one's last commit, the open blocks
  // cached by the writer may be stale (retention trimmed them, another writer added to them): forgotten.
  Status checkEpoch() {
    sqlite3_stmt* st = epoch_.get();
    ResetGuard guard(st);
    const int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) return error(rc == SQLITE_DONE ? SQLITE_INTERNAL : rc, "cannot read the history epoch");
    const sqlite3_int64 epoch = sqlite3_column_int64(st, 0);
    if (!epochKnown_ || epoch != epoch_value_) {
      writer_.forget();
      foldNeeded_ = true;  // staged samples this writer does not know may be there
    }
    seq_ = epoch;  // unique to this transaction once it commits (it bumps the epoch)
    return Status::ok();
  }

  // Inside a write transaction: the staged rows this connection's writer does not know, written into their blocks.
  Status foldStaged() {
    staged_.clear();
    if (Status s = blocks_.readStaged(staged_); !s) return s;
    if (!staged_.empty()) {
      if (Status s = writer_.foldStaged(staged_); !s) return s;
      if (Status s = blocks_.clearStaged(); !s) return s;
    }
    foldNeeded_ = false;
    commitsStaged_ = 0;
    stagedSincePack_ = 0;
    return Status::ok();
  }

  // At the end of a write transaction: this commit's staged samples written as rows, or every staged sample
  // packed into its block (kPackCommits).
  Status finishStaging() {
    if (!writer_.hasStaged()) return Status::ok();
    if (++commitsStaged_ < kPackCommits && stagedSincePack_ + blocks_.stagingSize() < kPackSamples) {
      stagedSincePack_ += blocks_.stagingSize();
      return blocks_.flushStaging(seq_);
    }
    if (Status s = writer_.packStaged(); !s) return s;
    blocks_.discardStaging();
    if (Status s = blocks_.clearStaged(); !s) return s;
    commitsStaged_ = 0;
    stagedSincePack_ = 0;
    return Status::ok();
  }

  Status bumpEpoch() {
    if (Status s = step(bumpEpoch_, "cannot bump the history epoch"); !s) return s;
    sqlite3_stmt* st = epoch_.get();
    ResetGuard guard(st);
    const int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) return error(rc == SQLITE_DONE ? SQLITE_INTERNAL : rc, "cannot read the history epoch");
    epoch_value_ = sqlite3_column_int64(st, 0);
    epochKnown_ = true;
    return Status::ok();
  }

  // A name's id, or -1 when it is not stored. Cached (only found ids are cached).
  Result<sqlite3_int64> lookup(const Stmt& find, std::unordered_map<std::string, sqlite3_int64>& cache,
                               const std::string& name) {
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    sqlite3_stmt* st = find.get();
    ResetGuard guard(st);
    sqlite3_bind_text(st, 1, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return sqlite3_int64{-1};
    if (rc != SQLITE_ROW) return error(rc, "id lookup failed");
    const sqlite3_int64 id = sqlite3_column_int64(st, 0);
    cache.emplace(name, id);
    return id;
  }

  // A name's id, inserting it when new (inside the caller's transaction).
  Result<sqlite3_int64> intern(const Stmt& insert, const Stmt& find,
                               std::unordered_map<std::string, sqlite3_int64>& cache, const std::string& name) {
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    {
      sqlite3_stmt* st = insert.get();
      ResetGuard guard(st);
      sqlite3_bind_text(st, 1, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
      const int rc = sqlite3_step(st);
      if (rc != SQLITE_DONE) return error(rc, "cannot intern '" + name + "'");
    }
    auto id = lookup(find, cache, name);
    if (id && *id < 0) return Status{ErrorCode::Internal, path_ + ": interned '" + name + "' not found"};
    return id;
  }

  Result<sqlite3_int64> seriesId(sqlite3_int64 entity, sqlite3_int64 attribute, bool create) {
    const auto key = std::pair{entity, attribute};
    if (auto it = seriesIds_.find(key); it != seriesIds_.end()) return it->second;
    if (create) {
      sqlite3_stmt* st = insertSeries_.get();
      ResetGuard guard(st);
      sqlite3_bind_int64(st, 1, entity);
      sqlite3_bind_int64(st, 2, attribute);
      sqlite3_bind_int64(st, 3, std::numeric_limits<sqlite3_int64>::min());  // nothing rolled up yet
      const int rc = sqlite3_step(st);
      if (rc != SQLITE_DONE) return error(rc, "cannot add a series");
    }
    sqlite3_stmt* st = findSeries_.get();
    ResetGuard guard(st);
    sqlite3_bind_int64(st, 1, entity);
    sqlite3_bind_int64(st, 2, attribute);
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_DONE) return sqlite3_int64{-1};
    if (rc != SQLITE_ROW) return error(rc, "series lookup failed");
    const sqlite3_int64 id = sqlite3_column_int64(st, 0);
    seriesIds_.emplace(key, id);
    return id;
  }
  Result<sqlite3_int64> internSeries(sqlite3_int64 entity, sqlite3_int64 attribute) {
    return seriesId(entity, attribute, true);
  }

  // The series' id, or -1 when the entity, the attribute or the series is not stored.
  Result<sqlite3_int64> findSeries(const std::string& entityId, const std::string& attribute) {
    auto e = lookup(findEntity_, entityIds_, entityId);
    if (!e) return e.status();
    auto a = lookup(findAttribute_, attributeIds_, attribute);
    if (!a) return a.status();
    if (*e < 0 || *a < 0) return sqlite3_int64{-1};
    return seriesId(*e, *a, false);
  }

  // The declared resolution of an attribute (its id in this file, its name), 0 when it has none.
  double stepOf(sqlite3_int64 attributeId, const std::string& name) {
    if (resolutions_.empty()) return 0;
    if (auto it = stepByAttribute_.find(attributeId); it != stepByAttribute_.end()) return it->second;
    const auto declared = resolutions_.find(name);
    const double step = declared != resolutions_.end() && isQuantisingStep(declared->second) ? declared->second : 0;
    stepByAttribute_.emplace(attributeId, step);
    return step;
  }

  // The batch grouped by series in time order (stable: of equal times the first one in the batch is kept, the
  // others counted as not replacing it, as a later batch's would be), each series written by the SeriesWriter.
  Status appendInTransaction(std::span<const HistorySample> batch) {
    if (Status s = checkEpoch(); !s) return s;
    if (foldNeeded_) {
      if (Status s = foldStaged(); !s) return s;
    }
    rows_.clear();
    rows_.reserve(batch.size());
    for (const HistorySample& h : batch) {
      if (h.entityId.size() > 65536 || h.attribute.size() > 65536) {
        return {ErrorCode::InvalidArgument, path_ + ": entity id or attribute name longer than 64 KiB"};
      }
      auto e = intern(insertEntity_, findEntity_, entityIds_, h.entityId);
      if (!e) return e.status();
      auto a = intern(insertAttribute_, findAttribute_, attributeIds_, h.attribute);
      if (!a) return a.status();
      auto series = internSeries(*e, *a);
      if (!series) return series.status();
      rows_.push_back({*series, {h.time, h.value}, stepOf(*a, h.attribute)});
    }
    std::stable_sort(rows_.begin(), rows_.end(), [](const Row& x, const Row& y) {
      return std::tie(x.series, x.sample.t) < std::tie(y.series, y.sample.t);
    });
    std::size_t i = 0;
    while (i < rows_.size()) {
      values_.clear();
      const sqlite3_int64 series = rows_[i].series;
      for (; i < rows_.size() && rows_[i].series == series; ++i) {
        if (!values_.empty() && values_.back().t == rows_[i].sample.t) {
          writer_.countNotReplaced(1);
        } else {
          values_.push_back(rows_[i].sample);
        }
      }
      if (Status s = writer_.write(series, values_, rows_[i - 1].step); !s) return s;
    }
    return finishStaging();
  }

  struct Row {
    sqlite3_int64 series;
    TimedValue sample;
    double step;  // the attribute's declared resolution (0: lossless)
  };
  struct PairHash {
    std::size_t operator()(const std::pair<sqlite3_int64, sqlite3_int64>& p) const {
      return std::hash<sqlite3_int64>()(p.first * 1'000'003 + p.second);
    }
  };

  std::string path_;
  std::unordered_map<std::string, double> resolutions_;        // attribute name -> step (options)
  std::unordered_map<sqlite3_int64, double> stepByAttribute_;  // the same by the file's attribute id (cache)
  sqlite3* db_ = nullptr;
  sqlite_history::Blocks blocks_;
  history_blocks::SeriesWriter writer_;
  Stmt insertEntity_, insertAttribute_, findEntity_, findAttribute_, insertSeries_, findSeries_, rolledUntil_,
      epoch_, bumpEpoch_;
  Stmt begin_, beginRead_, commit_, rollback_;
  std::unordered_map<std::string, sqlite3_int64> entityIds_;
  std::unordered_map<std::string, sqlite3_int64> attributeIds_;
  std::unordered_map<std::pair<sqlite3_int64, sqlite3_int64>, sqlite3_int64, PairHash> seriesIds_;
  sqlite3_int64 epoch_value_ = 0;
  bool epochKnown_ = false;
  sqlite3_int64 seq_ = 0;          // the write transaction's staged rows' seq (its epoch before the bump)
  bool foldNeeded_ = true;         // staged rows this writer does not know may be in the file
  int commitsStaged_ = 0;          // commits since the last pack that staged samples
  std::size_t stagedSincePack_ = 0;  // samples those commits staged
  std::vector<history_blocks::StagedSample> staged_;  // foldStaged(): the rows' samples (reused)
  bool transient_ = false;          // the last failed append() waited past the busy timeout
  std::vector<Row> rows_;           // append(): the batch by series, sorted (reused: its capacity stays)
  std::vector<TimedValue> values_;  // append(): one series' samples
  std::vector<Point> points_;       // reads: decoded points (reused)
};

}  // namespace

Result<std::unique_ptr<HistoryStore>> openSqliteHistory(const std::string& path, SqliteHistoryOptions options) {
  auto store = std::make_unique<SqliteHistory>(path, options);
  if (Status s = store->open(options); !s) return s;
  return std::unique_ptr<HistoryStore>(std::move(store));
}

Status verifySqliteHistory(const std::string& path) {
  SqliteHistoryOptions options;
  options.create = false;
  options.openCheck = HistoryOpenCheck::Full;
  auto store = std::make_unique<SqliteHistory>(path, options);
  return store->open(options, false);
}

}  // namespace gt::connectors
