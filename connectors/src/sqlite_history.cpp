// SQLite (WAL) backend of HistoryStore. See history_store.hpp.
//
// Schema (version kSqliteHistorySchemaVersion, in PRAGMA user_version; PRAGMA application_id marks the file as a
// GreenTwin history so that another application's SQLite file is refused rather than written into):
//   entities(id INTEGER PRIMARY KEY, name TEXT UNIQUE)      stable entity ids, interned
//   attributes(id INTEGER PRIMARY KEY, name TEXT UNIQUE)    attribute names, interned
//   samples(entity_id, attribute_id, t, value) PRIMARY KEY(entity_id, attribute_id, t) WITHOUT ROWID
// The samples key clusters each series on disk, so range() is one B-tree seek and a sequential scan.

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "sqlite_support.hpp"

namespace gt::connectors {
namespace {

constexpr int kApplicationId = kSqliteHistoryApplicationId;

using sqlite::ResetGuard;
using Stmt = sqlite::Statement;

class SqliteHistory final : public HistoryStore {
 public:
  explicit SqliteHistory(std::string path) : path_(std::move(path)) {}
  ~SqliteHistory() override {
    // Statements first: sqlite3_close refuses while statements are alive.
    insertSample_.reset();
    insertEntity_.reset();
    insertAttribute_.reset();
    findEntity_.reset();
    findAttribute_.reset();
    selectRange_.reset();
    deleteOld_.reset();
    nextSeries_.reset();
    begin_.reset();
    commit_.reset();
    rollback_.reset();
    if (db_ != nullptr) sqlite3_close(db_);
  }

  Status open(const SqliteHistoryOptions& options) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (options.create) flags |= SQLITE_OPEN_CREATE;
    const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) return error(rc, "cannot open");
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, options.busyTimeoutMs);

    // The first read of the file: a non-SQLite file fails here with SQLITE_NOTADB.
    if (Status s = exec("PRAGMA journal_mode=WAL", "cannot enable WAL"); !s) return s;
    if (Status s = exec("PRAGMA synchronous=NORMAL", "cannot set synchronous"); !s) return s;
    if (options.openCheck != HistoryOpenCheck::None) {
      if (Status s = check(options.openCheck == HistoryOpenCheck::Full); !s) return s;
    }
    if (Status s = ensureSchema(); !s) return s;
    return prepareAll();
  }

  Status append(std::span<const HistorySample> batch) override {
    if (batch.empty()) return Status::ok();
    if (Status s = step(begin_, "begin transaction"); !s) return s;
    Status s = appendInTransaction(batch);
    if (s) s = step(commit_, "commit");
    if (!s) {
      // A failed COMMIT may already have rolled back; ROLLBACK then fails harmlessly.
      (void)step(rollback_, "rollback");
      // Ids interned in the rolled-back transaction are gone: forget the cached ones.
      entityIds_.clear();
      attributeIds_.clear();
    }
    return s;
  }

  Result<std::vector<HistorySample>> range(const std::string& entityId, const std::string& attribute,
                                           TimePoint t0, TimePoint t1, std::size_t maxRows) override {
    std::vector<HistorySample> out;
    if (t1 < t0 || maxRows == 0) return out;
    auto e = lookup(findEntity_, entityIds_, entityId);
    if (!e) return e.status();
    auto a = lookup(findAttribute_, attributeIds_, attribute);
    if (!a) return a.status();
    if (*e < 0 || *a < 0) return out;

    sqlite3_stmt* st = selectRange_.get();
    ResetGuard guard(st);
    sqlite3_bind_int64(st, 1, *e);
    sqlite3_bind_int64(st, 2, *a);
    sqlite3_bind_int64(st, 3, t0);
    sqlite3_bind_int64(st, 4, t1);
    const auto limit = maxRows > static_cast<std::size_t>(std::numeric_limits<sqlite3_int64>::max())
                           ? std::numeric_limits<sqlite3_int64>::max()
                           : static_cast<sqlite3_int64>(maxRows);
    sqlite3_bind_int64(st, 5, limit);
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      HistorySample h;
      h.entityId = entityId;
      h.attribute = attribute;
      h.time = sqlite3_column_int64(st, 0);
      h.value = sqlite3_column_type(st, 1) == SQLITE_NULL ? std::numeric_limits<double>::quiet_NaN()
                                                          : sqlite3_column_double(st, 1);
      out.push_back(std::move(h));
    }
    if (rc != SQLITE_DONE) return error(rc, "range query failed");
    return out;
  }

  Status applyRetention(TimePoint olderThan) override {
    sqlite3_stmt* st = deleteOld_.get();
    ResetGuard guard(st);
    sqlite3_bind_int64(st, 1, olderThan);
    const int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE) return error(rc, "retention delete failed");
    return Status::ok();
  }

  Result<std::vector<HistorySeries>> series() override {
    std::unordered_map<sqlite3_int64, std::string> entityNames;
    std::unordered_map<sqlite3_int64, std::string> attributeNames;
    for (auto [sql, names] : {std::pair{"SELECT id, name FROM entities", &entityNames},
                              std::pair{"SELECT id, name FROM attributes", &attributeNames}}) {
      Stmt st;
      int rc = sqlite3_prepare_v2(db_, sql, -1, st.out(), nullptr);
      if (rc != SQLITE_OK) return error(rc, "cannot list series");
      while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st.get(), 1));
        names->emplace(sqlite3_column_int64(st.get(), 0), text != nullptr ? text : "");
      }
      if (rc != SQLITE_DONE) return error(rc, "cannot list series");
    }
    // Skip scan: the next (entity, attribute) key after the previous one is one seek in the samples key, so the
    // cost grows with the number of series, not of samples.
    std::vector<HistorySeries> out;
    sqlite3_stmt* st = nextSeries_.get();
    sqlite3_int64 e = std::numeric_limits<sqlite3_int64>::min();
    sqlite3_int64 a = std::numeric_limits<sqlite3_int64>::min();
    while (true) {
      ResetGuard guard(st);
      sqlite3_bind_int64(st, 1, e);
      sqlite3_bind_int64(st, 2, a);
      const int rc = sqlite3_step(st);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) return error(rc, "cannot list series");
      e = sqlite3_column_int64(st, 0);
      a = sqlite3_column_int64(st, 1);
      const auto en = entityNames.find(e);
      const auto an = attributeNames.find(a);
      if (en != entityNames.end() && an != attributeNames.end()) out.push_back({en->second, an->second});
    }
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
  Status error(int rc, const std::string& what) const { return sqlite::error(db_, path_, rc, what); }
  Status exec(const char* sql, const char* what) { return sqlite::exec(db_, path_, sql, what); }
  Result<sqlite3_int64> pragmaInt(const char* sql) { return sqlite::queryInt(db_, path_, sql); }

  Status ensureSchema() {
    auto tables = pragmaInt("SELECT count(*) FROM sqlite_schema");
    if (!tables) return tables.status();
    auto appId = pragmaInt("PRAGMA application_id");
    if (!appId) return appId.status();
    auto version = pragmaInt("PRAGMA user_version");
    if (!version) return version.status();

    if (*tables == 0 && *appId == 0) {
      const std::string sql =
          "BEGIN IMMEDIATE;"
          "CREATE TABLE entities(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
          "CREATE TABLE attributes(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
          "CREATE TABLE samples(entity_id INTEGER NOT NULL, attribute_id INTEGER NOT NULL, t INTEGER NOT NULL,"
          " value REAL, PRIMARY KEY(entity_id, attribute_id, t)) WITHOUT ROWID;"
          "PRAGMA application_id=" + std::to_string(kApplicationId) + ";"
          "PRAGMA user_version=" + std::to_string(kSqliteHistorySchemaVersion) + ";"
          "COMMIT;";
      const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr);
      if (rc != SQLITE_OK) {
        Status s = error(rc, "cannot create the history schema");
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        return s;
      }
      return Status::ok();
    }
    if (*appId != kApplicationId) {
      return {ErrorCode::ParseError, path_ + ": an SQLite database, but not a GreenTwin history database"};
    }
    if (*version > kSqliteHistorySchemaVersion) {
      return {ErrorCode::Unsupported, path_ + ": history schema version " + std::to_string(*version) +
                                          " is newer than this build reads (" +
                                          std::to_string(kSqliteHistorySchemaVersion) + ")"};
    }
    if (*version != kSqliteHistorySchemaVersion) {
      return {ErrorCode::ParseError, path_ + ": unknown history schema version " + std::to_string(*version)};
    }
    return Status::ok();
  }

  Status prepare(Stmt& st, const char* sql) { return sqlite::preparePersistent(db_, path_, st, sql); }

  Status prepareAll() {
    const std::pair<Stmt*, const char*> all[] = {
        {&insertSample_, "INSERT OR REPLACE INTO samples(entity_id, attribute_id, t, value) VALUES(?,?,?,?)"},
        {&insertEntity_, "INSERT OR IGNORE INTO entities(name) VALUES(?)"},
        {&insertAttribute_, "INSERT OR IGNORE INTO attributes(name) VALUES(?)"},
        {&findEntity_, "SELECT id FROM entities WHERE name=?"},
        {&findAttribute_, "SELECT id FROM attributes WHERE name=?"},
        {&selectRange_,
         "SELECT t, value FROM samples WHERE entity_id=? AND attribute_id=? AND t>=? AND t<=? ORDER BY t LIMIT ?"},
        {&deleteOld_, "DELETE FROM samples WHERE t<?"},
        {&nextSeries_,
         "SELECT entity_id, attribute_id FROM samples WHERE (entity_id, attribute_id) > (?, ?)"
         " ORDER BY entity_id, attribute_id LIMIT 1"},
        {&begin_, "BEGIN IMMEDIATE"},
        {&commit_, "COMMIT"},
        {&rollback_, "ROLLBACK"},
    };
    for (const auto& [st, sql] : all) {
      if (Status s = prepare(*st, sql); !s) return s;
    }
    return Status::ok();
  }

  Status step(const Stmt& st, const char* what) {
    ResetGuard guard(st.get());
    const int rc = sqlite3_step(st.get());
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return error(rc, what);
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

  // The rows are inserted in key order (entity, attribute, t), not in arrival order. A batch holds a few samples
  // of every series (one per frame); in arrival order each insert lands on another series' tail leaf page, so a
  // transaction touching more leaves than the page cache holds spills and re-reads pages for every sample (the
  // writer then spent its time in pread/pwrite, and slowed badly when the machine was busy). In key order each
  // leaf is read and dirtied once per transaction and the B-tree descents share their path. The sort is stable:
  // for equal keys the last sample in the batch still wins (INSERT OR REPLACE), as in arrival order.
  Status appendInTransaction(std::span<const HistorySample> batch) {
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
      rows_.push_back({*e, *a, h.time, h.value});
    }
    std::stable_sort(rows_.begin(), rows_.end(), [](const Row& x, const Row& y) {
      return std::tie(x.entity, x.attribute, x.time) < std::tie(y.entity, y.attribute, y.time);
    });
    sqlite3_stmt* st = insertSample_.get();
    for (const Row& r : rows_) {
      ResetGuard guard(st);
      sqlite3_bind_int64(st, 1, r.entity);
      sqlite3_bind_int64(st, 2, r.attribute);
      sqlite3_bind_int64(st, 3, r.time);
      if (std::isnan(r.value)) {
        sqlite3_bind_null(st, 4);
      } else {
        sqlite3_bind_double(st, 4, r.value);
      }
      const int rc = sqlite3_step(st);
      if (rc != SQLITE_DONE) return error(rc, "cannot insert sample");
    }
    return Status::ok();
  }

  struct Row {
    sqlite3_int64 entity;
    sqlite3_int64 attribute;
    TimePoint time;
    double value;
  };

  std::string path_;
  sqlite3* db_ = nullptr;
  Stmt insertSample_, insertEntity_, insertAttribute_, findEntity_, findAttribute_, selectRange_, deleteOld_,
      nextSeries_;
  Stmt begin_, commit_, rollback_;
  std::unordered_map<std::string, sqlite3_int64> entityIds_;
  std::unordered_map<std::string, sqlite3_int64> attributeIds_;
  std::vector<Row> rows_;  // append(): the batch by ids, sorted (reused: its capacity stays)
};

}  // namespace

Result<std::vector<HistorySeries>> HistoryStore::series() {
  return Status(ErrorCode::Unsupported, "this history backend cannot list its series");
}

Result<std::unique_ptr<HistoryStore>> openSqliteHistory(const std::string& path, SqliteHistoryOptions options) {
  auto store = std::make_unique<SqliteHistory>(path);
  if (Status s = store->open(options); !s) return s;
  return std::unique_ptr<HistoryStore>(std::move(store));
}

Status verifySqliteHistory(const std::string& path) {
  SqliteHistoryOptions options;
  options.create = false;
  options.openCheck = HistoryOpenCheck::Full;
  auto store = std::make_unique<SqliteHistory>(path);
  return store->open(options);
}

}  // namespace gt::connectors
