#pragma once
// The baseline of bench/history_bench.cpp: the history as it was before issue 15 (schema version 1), one SQLite row
// per sample in samples(entity_id, attribute_id, t, value) WITHOUT ROWID keyed (entity, attribute, t), WAL with
// synchronous=NORMAL, names interned into entities / attributes and cached, each batch inserted in key order in
// one transaction (as connectors/src/sqlite_history.cpp did at 04667a7^). A HistoryStore, so that the same
// HistoryWriter drives it in the same run as the compact store.
//
// Threads: one thread at a time (the writer's, then the bench's main thread).

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "greentwin/connectors/history_store.hpp"

namespace gt::bench {

class RowHistory final : public connectors::HistoryStore {
 public:
  // Creates the file's schema (the file must not exist). An error leaves `status()` failed.
  explicit RowHistory(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        nullptr) != SQLITE_OK) {
      fail("cannot open");
      return;
    }
    if (!exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
              "CREATE TABLE entities(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
              "CREATE TABLE attributes(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
              "CREATE TABLE samples(entity_id INTEGER NOT NULL, attribute_id INTEGER NOT NULL, t INTEGER NOT NULL,"
              " value REAL, PRIMARY KEY(entity_id, attribute_id, t)) WITHOUT ROWID;")) {
      return;
    }
    prepare(insert_, "INSERT OR REPLACE INTO samples(entity_id, attribute_id, t, value) VALUES(?,?,?,?)");
    prepare(insertEntity_, "INSERT OR IGNORE INTO entities(name) VALUES(?)");
    prepare(insertAttribute_, "INSERT OR IGNORE INTO attributes(name) VALUES(?)");
    prepare(findEntity_, "SELECT id FROM entities WHERE name=?");
    prepare(findAttribute_, "SELECT id FROM attributes WHERE name=?");
    prepare(range_, "SELECT t, value FROM samples WHERE entity_id=? AND attribute_id=? AND t>=? AND t<=? ORDER BY t");
  }
  ~RowHistory() override {
    for (sqlite3_stmt* st : {insert_, insertEntity_, insertAttribute_, findEntity_, findAttribute_, range_}) {
      sqlite3_finalize(st);
    }
    sqlite3_close(db_);
  }

  const Status& status() const { return status_; }

  Status append(std::span<const connectors::HistorySample> batch) override {
    if (!status_) return status_;
    if (!exec("BEGIN IMMEDIATE")) return status_;
    rows_.clear();
    rows_.reserve(batch.size());
    for (const connectors::HistorySample& h : batch) {
      rows_.push_back({intern(insertEntity_, findEntity_, entityIds_, h.entityId),
                       intern(insertAttribute_, findAttribute_, attributeIds_, h.attribute), h.time, h.value});
    }
    std::stable_sort(rows_.begin(), rows_.end(), [](const Row& x, const Row& y) {
      return std::tie(x.entity, x.attribute, x.time) < std::tie(y.entity, y.attribute, y.time);
    });
    for (const Row& r : rows_) {
      sqlite3_bind_int64(insert_, 1, r.entity);
      sqlite3_bind_int64(insert_, 2, r.attribute);
      sqlite3_bind_int64(insert_, 3, r.time);
      if (std::isnan(r.value)) {
        sqlite3_bind_null(insert_, 4);
      } else {
        sqlite3_bind_double(insert_, 4, r.value);
      }
      if (sqlite3_step(insert_) != SQLITE_DONE) fail("cannot insert a sample");
      sqlite3_reset(insert_);
    }
    if (status_) exec("COMMIT");
    return status_;
  }

  // What playback of a day read from this table: every row of the series in [t0, t1], here into the means of
  // `width` buckets starting at t0 (the same answer summary() gives from the 1 min rollups). Appends (bucket start,
  // mean) pairs to `out`; returns the rows read.
  std::size_t bucketMeans(const std::string& entityId, const std::string& attribute, TimePoint t0, TimePoint t1,
                          Duration width, std::vector<std::pair<TimePoint, double>>& out) {
    const sqlite3_int64 e = intern(insertEntity_, findEntity_, entityIds_, entityId);
    const sqlite3_int64 a = intern(insertAttribute_, findAttribute_, attributeIds_, attribute);
    sqlite3_bind_int64(range_, 1, e);
    sqlite3_bind_int64(range_, 2, a);
    sqlite3_bind_int64(range_, 3, t0);
    sqlite3_bind_int64(range_, 4, t1);
    std::size_t rows = 0;
    TimePoint bucket = 0;
    double sum = 0;
    std::size_t count = 0;
    while (sqlite3_step(range_) == SQLITE_ROW) {
      ++rows;
      const TimePoint t = sqlite3_column_int64(range_, 0);
      const TimePoint b = t0 + (t - t0) / width * width;
      if (count > 0 && b != bucket) {
        out.emplace_back(bucket, sum / static_cast<double>(count));
        sum = 0;
        count = 0;
      }
      bucket = b;
      if (sqlite3_column_type(range_, 1) != SQLITE_NULL) {
        sum += sqlite3_column_double(range_, 1);
        ++count;
      }
    }
    if (count > 0) out.emplace_back(bucket, sum / static_cast<double>(count));
    sqlite3_reset(range_);
    return rows;
  }

  Result<std::vector<connectors::HistorySample>> range(const std::string&, const std::string&, TimePoint, TimePoint,
                                                       std::size_t) override {
    return Status(ErrorCode::Unsupported, "the row baseline reads through bucketMeans()");
  }
  Status applyRetention(TimePoint) override { return Status(ErrorCode::Unsupported, "not in the baseline"); }

 private:
  struct Row {
    sqlite3_int64 entity;
    sqlite3_int64 attribute;
    TimePoint time;
    double value;
  };

  void fail(const char* what) {
    if (status_) status_ = Status(ErrorCode::IoError, std::string("row baseline: ") + what + ": " + sqlite3_errmsg(db_));
  }
  bool exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
    return status_.isOk();
  }
  void prepare(sqlite3_stmt*& st, const char* sql) {
    if (status_ && sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, nullptr) != SQLITE_OK) fail(sql);
  }
  sqlite3_int64 intern(sqlite3_stmt* insert, sqlite3_stmt* find, std::unordered_map<std::string, sqlite3_int64>& cache,
                       const std::string& name) {
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    sqlite3_bind_text(insert, 1, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(insert) != SQLITE_DONE) fail("cannot intern a name");
    sqlite3_reset(insert);
    sqlite3_bind_text(find, 1, name.data(), static_cast<int>(name.size()), SQLITE_TRANSIENT);
    sqlite3_int64 id = -1;
    if (sqlite3_step(find) == SQLITE_ROW) id = sqlite3_column_int64(find, 0);
    sqlite3_reset(find);
    cache.emplace(name, id);
    return id;
  }

  sqlite3* db_ = nullptr;
  Status status_;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* insertEntity_ = nullptr;
  sqlite3_stmt* insertAttribute_ = nullptr;
  sqlite3_stmt* findEntity_ = nullptr;
  sqlite3_stmt* findAttribute_ = nullptr;
  sqlite3_stmt* range_ = nullptr;
  std::unordered_map<std::string, sqlite3_int64> entityIds_;
  std::unordered_map<std::string, sqlite3_int64> attributeIds_;
  std::vector<Row> rows_;
};

}  // namespace gt::bench
