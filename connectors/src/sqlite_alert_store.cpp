// SQLite backend of AlertStore: the `alerts` table of the history database. See alert_store.hpp.
//
// Schema (alerts table version kAlertTableVersion, in schema_parts):
//   schema_parts(part TEXT PRIMARY KEY, version INTEGER)        one row per independently versioned part
//   alerts(seq INTEGER PRIMARY KEY, t, kind, source, key, severity, entity_id, message_zh, message_en,
//          raised_us, logged_us)                                 one row per event, in append order (seq)
//   alerts_by_time ON alerts(t, seq)                             range() is one index seek and a scan

#include <sqlite3.h>

#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/connectors/alert_store.hpp"
#include "greentwin/connectors/history_store.hpp"
#include "sqlite_support.hpp"

namespace gt::connectors {
namespace {

using sqlite::ResetGuard;
using Stmt = sqlite::Statement;

std::string columnText(sqlite3_stmt* st, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(st, column));
  return text != nullptr ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(st, column))) : std::string();
}

void bindText(sqlite3_stmt* st, int index, const std::string& text) {
  sqlite3_bind_text(st, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
}

class SqliteAlertStore final : public AlertStore {
 public:
  explicit SqliteAlertStore(std::string path) : path_(std::move(path)) {}
  ~SqliteAlertStore() override {
    // Statements first: sqlite3_close refuses while statements are alive.
    insert_.reset();
    select_.reset();
    deleteOld_.reset();
    if (db_ != nullptr) sqlite3_close(db_);
  }

  Status open(int busyTimeoutMs) {
    // Never created here: the history store creates (and checks) the file.
    const int rc = sqlite3_open_v2(path_.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) return error(rc, "cannot open");
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busyTimeoutMs);
    auto appId = queryInt("PRAGMA application_id");
    if (!appId) return appId.status();
    if (*appId != kSqliteHistoryApplicationId) {
      return {ErrorCode::ParseError, path_ + ": not a GreenTwin history database (no alerts table written)"};
    }
    if (Status s = ensureTable(); !s) return s;
    return prepareAll();
  }

  Status append(std::span<const AlertEvent> events) override {
    if (events.empty()) return Status::ok();
    if (Status s = exec("BEGIN IMMEDIATE", "begin transaction"); !s) return s;
    Status s = Status::ok();
    sqlite3_stmt* st = insert_.get();
    for (const AlertEvent& e : events) {
      ResetGuard guard(st);
      sqlite3_bind_int64(st, 1, e.timeUs);
      sqlite3_bind_text(st, 2, toString(e.kind), -1, SQLITE_STATIC);
      bindText(st, 3, e.source);
      bindText(st, 4, e.key);
      sqlite3_bind_int(st, 5, static_cast<int>(e.severity));
      bindText(st, 6, e.entityId);
      bindText(st, 7, e.messageZh);
      bindText(st, 8, e.messageEn);
      sqlite3_bind_int64(st, 9, e.raisedUs);
      sqlite3_bind_int64(st, 10, e.loggedUs);
      if (const int rc = sqlite3_step(st); rc != SQLITE_DONE) {
        s = error(rc, "cannot insert alert event");
        break;
      }
    }
    if (s) s = exec("COMMIT", "commit");
    if (!s) (void)exec("ROLLBACK", "rollback");  // a failed COMMIT may have rolled back already: harmless
    return s;
  }

  Result<std::vector<AlertEvent>> range(TimePoint t0, TimePoint t1, std::size_t maxRows) override {
    std::vector<AlertEvent> out;
    if (t1 < t0 || maxRows == 0) return out;
    sqlite3_stmt* st = select_.get();
    ResetGuard guard(st);
    sqlite3_bind_int64(st, 1, t0);
    sqlite3_bind_int64(st, 2, t1);
    const auto limit = maxRows > static_cast<std::size_t>(std::numeric_limits<sqlite3_int64>::max())
                           ? std::numeric_limits<sqlite3_int64>::max()
                           : static_cast<sqlite3_int64>(maxRows);
    sqlite3_bind_int64(st, 3, limit);
    int rc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      AlertEvent e;
      e.timeUs = sqlite3_column_int64(st, 0);
      const std::string kind = columnText(st, 1);
      const auto k = alertEventKindFromString(kind);
      const auto severity = alertSeverityFromInt(sqlite3_column_int(st, 4));
      if (!k || !severity) {
        return Status{ErrorCode::ParseError, path_ + ": alerts row " + std::to_string(sqlite3_column_int64(st, 10)) +
                                                 " has an unknown kind '" + kind + "' or severity " +
                                                 std::to_string(sqlite3_column_int(st, 4))};
      }
      e.kind = *k;
      e.source = columnText(st, 2);
      e.key = columnText(st, 3);
      e.severity = *severity;
      e.entityId = columnText(st, 5);
      e.messageZh = columnText(st, 6);
      e.messageEn = columnText(st, 7);
      e.raisedUs = sqlite3_column_int64(st, 8);
      e.loggedUs = sqlite3_column_int64(st, 9);
      out.push_back(std::move(e));
    }
    if (rc != SQLITE_DONE) return error(rc, "alerts range query failed");
    return out;
  }

  Status applyRetention(TimePoint olderThan) override {
    sqlite3_stmt* st = deleteOld_.get();
    ResetGuard guard(st);
    sqlite3_bind_int64(st, 1, olderThan);
    if (const int rc = sqlite3_step(st); rc != SQLITE_DONE) return error(rc, "alerts retention delete failed");
    return Status::ok();
  }

 private:
  Status error(int rc, const std::string& what) const { return sqlite::error(db_, path_, rc, what); }
  Status exec(const char* sql, const char* what) { return sqlite::exec(db_, path_, sql, what); }
  // The first column of the first row (0 when there is no row).
  Result<sqlite3_int64> queryInt(const char* sql) { return sqlite::queryInt(db_, path_, sql); }

  // Creates the table (first open of a file) or checks its version, in one write transaction so that two
  // connections opening the same new file do not both create it.
  Status ensureTable() {
    if (Status s = exec("BEGIN IMMEDIATE", "begin transaction"); !s) return s;
    Status s = ensureTableInTransaction();
    if (s) s = exec("COMMIT", "commit");
    if (!s) (void)exec("ROLLBACK", "rollback");
    return s;
  }

  Status ensureTableInTransaction() {
    if (Status s = exec("CREATE TABLE IF NOT EXISTS schema_parts(part TEXT PRIMARY KEY, version INTEGER NOT NULL)"
                        " WITHOUT ROWID",
                        "cannot create schema_parts");
        !s) {
      return s;
    }
    auto version = queryInt("SELECT version FROM schema_parts WHERE part='alerts'");
    if (!version) return version.status();
    if (*version == 0) {
      const std::string sql =
          "CREATE TABLE alerts(seq INTEGER PRIMARY KEY, t INTEGER NOT NULL, kind TEXT NOT NULL,"
          " source TEXT NOT NULL, key TEXT NOT NULL, severity INTEGER NOT NULL, entity_id TEXT NOT NULL,"
          " message_zh TEXT NOT NULL, message_en TEXT NOT NULL, raised_us INTEGER NOT NULL,"
          " logged_us INTEGER NOT NULL);"
          "CREATE INDEX alerts_by_time ON alerts(t, seq);"
          "INSERT INTO schema_parts(part, version) VALUES('alerts', " + std::to_string(kAlertTableVersion) + ");";
      return exec(sql.c_str(), "cannot create the alerts table");
    }
    if (*version > kAlertTableVersion) {
      return {ErrorCode::Unsupported, path_ + ": alerts table version " + std::to_string(*version) +
                                          " is newer than this build reads (" + std::to_string(kAlertTableVersion) +
                                          ")"};
    }
    if (*version != kAlertTableVersion) {
      return {ErrorCode::ParseError, path_ + ": unknown alerts table version " + std::to_string(*version)};
    }
    return Status::ok();
  }

  Status prepare(Stmt& st, const char* sql) { return sqlite::preparePersistent(db_, path_, st, sql); }

  Status prepareAll() {
    const std::pair<Stmt*, const char*> all[] = {
        {&insert_,
         "INSERT INTO alerts(t, kind, source, key, severity, entity_id, message_zh, message_en, raised_us,"
         " logged_us) VALUES(?,?,?,?,?,?,?,?,?,?)"},
        {&select_,
         "SELECT t, kind, source, key, severity, entity_id, message_zh, message_en, raised_us, logged_us, seq"
         " FROM alerts WHERE t>=? AND t<=? ORDER BY t, seq LIMIT ?"},
        {&deleteOld_, "DELETE FROM alerts WHERE t<?"},
    };
    for (const auto& [st, sql] : all) {
      if (Status s = prepare(*st, sql); !s) return s;
    }
    return Status::ok();
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  Stmt insert_, select_, deleteOld_;
};

}  // namespace

Result<std::unique_ptr<AlertStore>> openSqliteAlertStore(const std::string& path, int busyTimeoutMs) {
  auto store = std::make_unique<SqliteAlertStore>(path);
  if (Status s = store->open(busyTimeoutMs); !s) return s;
  return std::unique_ptr<AlertStore>(std::move(store));
}

}  // namespace gt::connectors
