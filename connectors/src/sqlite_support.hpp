#pragma once
// What the SQLite stores of connectors/ share (connectors-private): an owning prepared statement, a guard that
// resets one on scope exit, SQLite result codes as ErrorCodes, and errors that name the file, what was being done
// and SQLite's message. Used by sqlite_history.cpp (samples) and sqlite_alert_store.cpp (alerts), which keep their
// tables in the same file.

#include <sqlite3.h>

#include <string>

#include "greentwin/core/status.hpp"

namespace gt::connectors::sqlite {

// A prepared statement, finalized when it goes (or on reset()).
class Statement {
 public:
  Statement() = default;
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  sqlite3_stmt** out() { return &stmt_; }
  sqlite3_stmt* get() const { return stmt_; }
  void reset() {
    sqlite3_finalize(stmt_);
    stmt_ = nullptr;
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a prepared statement (and its bindings) on scope exit, so an early return leaves it reusable.
class ResetGuard {
 public:
  explicit ResetGuard(sqlite3_stmt* s) : s_(s) {}
  ~ResetGuard() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;

 private:
  sqlite3_stmt* s_;
};

// A damaged or foreign file is a ParseError, a file that cannot be used now an IoError, the rest Internal.
inline ErrorCode codeFor(int rc) {
  switch (rc & 0xff) {
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
    case SQLITE_FORMAT:
      return ErrorCode::ParseError;
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return ErrorCode::IoError;
    default:
      return ErrorCode::Internal;
  }
}

// "<path>: <what>: <SQLite's message>" with the code's ErrorCode. `db` may be null (an open that failed).
inline Status error(sqlite3* db, const std::string& path, int rc, const std::string& what) {
  const char* msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return {codeFor(rc), path + ": " + what + ": " + (msg != nullptr ? msg : sqlite3_errstr(rc))};
}

inline Status exec(sqlite3* db, const std::string& path, const char* sql, const char* what) {
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
  return rc == SQLITE_OK ? Status::ok() : error(db, path, rc, what);
}

// The first column of the first row as an integer (0 when there is no row): a PRAGMA, a count.
inline Result<sqlite3_int64> queryInt(sqlite3* db, const std::string& path, const char* sql) {
  Statement st;
  int rc = sqlite3_prepare_v2(db, sql, -1, st.out(), nullptr);
  if (rc != SQLITE_OK) return error(db, path, rc, std::string("cannot read ") + sql);
  rc = sqlite3_step(st.get());
  if (rc == SQLITE_ROW) return sqlite3_column_int64(st.get(), 0);
  if (rc == SQLITE_DONE) return sqlite3_int64{0};
  return error(db, path, rc, std::string("cannot read ") + sql);
}

// Prepares a statement kept for the connection's life.
inline Status preparePersistent(sqlite3* db, const std::string& path, Statement& st, const char* sql) {
  st.reset();
  const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st.out(), nullptr);
  return rc == SQLITE_OK ? Status::ok() : error(db, path, rc, std::string("cannot prepare ") + sql);
}

}  // namespace gt::connectors::sqlite
