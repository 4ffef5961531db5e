// The blocks table of the SQLite history. See sqlite_history_blocks.hpp.

#include "sqlite_history_blocks.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "history_staged_rows.hpp"

namespace gt::connectors::sqlite_history {

using sqlite::ResetGuard;

Status Blocks::prepare(sqlite3* db, const std::string& path) {
  db_ = db;
  path_ = path;
  constexpr const char* kColumns = "SELECT t_first, t_last, count, data FROM blocks WHERE series_id=?1 AND level=?2";
  const std::string last = std::string(kColumns) + " ORDER BY t_first DESC LIMIT 1";
  const std::string atOrBefore = std::string(kColumns) + " AND t_first<=?3 ORDER BY t_first DESC LIMIT 1";
  const std::string firstAfter = std::string(kColumns) + " AND t_first>?3 ORDER BY t_first LIMIT 1";
  const std::string range = std::string(kColumns) + " AND t_first>=?3 AND t_first<=?4 ORDER BY t_first";
  const std::string get = std::string(kColumns) + " AND t_first=?3";
  const std::pair<sqlite::Statement*, const char*> all[] = {
      // An upsert, not INSERT OR REPLACE: a block written again (the open block, every commit) keeps its rowid and
      // its place, so the indexes are left alone and the space it had is reused; a replaced row moved to the end
      // and left a hole behind each time (12 against 9.8 bytes a sample over 30 min of sweeps).
      {&put_,
       "INSERT INTO blocks(series_id, level, t_first, t_last, count, data) VALUES(?,?,?,?,?,?)"
       " ON CONFLICT(series_id, level, t_first) DO UPDATE SET t_last=excluded.t_last, count=excluded.count,"
       " data=excluded.data"},
      // ?1 header, ?2 header size, ?3 detached bytes, ?4 tail; the stored row must hold the detached bytes. SQLite's
      // || makes TEXT of its BLOB operands (the same bytes): the CAST stores a BLOB again, whose length() and
      // substr() count bytes.
      {&putTail_,
       "UPDATE blocks SET data = CAST(?1 || substr(data, ?2 + 1, ?3) || ?4 AS BLOB), t_last=?5, count=?6"
       " WHERE series_id=?7 AND level=0 AND t_first=?8 AND length(data) >= ?2 + ?3"},
      {&remove_, "DELETE FROM blocks WHERE series_id=? AND level=? AND t_first=?"},
      {&last_, last.c_str()},
      {&atOrBefore_, atOrBefore.c_str()},
      {&firstAfter_, firstAfter.c_str()},
      {&earliest_, "SELECT t_first FROM blocks WHERE series_id=? AND level=? ORDER BY t_first LIMIT 1"},
      {&keyAtOrBefore_,
       "SELECT t_first, t_last FROM blocks WHERE series_id=? AND level=? AND t_first<=? ORDER BY t_first DESC LIMIT 1"},
      {&range_, range.c_str()},
      {&count_, "SELECT count FROM blocks WHERE series_id=? AND level=? AND t_first>=? AND t_first<=? ORDER BY t_first"},
      {&startingBefore_,
       "SELECT series_id, t_first, t_last FROM blocks WHERE level=? AND t_first<? ORDER BY t_first LIMIT ?"},
      {&get_, get.c_str()},
      {&rolledUntil_, "SELECT rolled_until FROM series WHERE id=?"},
      {&setRolledUntil_, "UPDATE series SET rolled_until=? WHERE id=?"},
      {&newestEnd_, "SELECT t_last FROM blocks WHERE series_id=? AND level=0 ORDER BY t_first DESC LIMIT 1"},
      {&insertStaged_, "INSERT INTO staged(group_id, seq, data) VALUES(?,?,?)"},
      {&stagedOfGroup_, "SELECT data FROM staged WHERE group_id=? ORDER BY seq"},
      {&allStaged_, "SELECT group_id, data FROM staged ORDER BY seq, group_id"},
      {&clearStaged_, "DELETE FROM staged"},
  };
  for (const auto& [st, sql] : all) {
    if (Status s = sqlite::preparePersistent(db_, path_, *st, sql); !s) return s;
  }
  return Status::ok();
}

void Blocks::finalize() {
  for (sqlite::Statement* st : {&put_, &putTail_, &remove_, &last_, &atOrBefore_, &firstAfter_, &earliest_,
                                &keyAtOrBefore_, &range_, &count_, &startingBefore_, &get_, &rolledUntil_,
                                &setRolledUntil_, &newestEnd_, &insertStaged_, &stagedOfGroup_, &allStaged_,
                                &clearStaged_}) {
    st->reset();
  }
}

Status Blocks::put(std::int64_t series, int level, const BlockEncoder& block) {
  if (block.detachedBytes() > 0) {
    return {ErrorCode::Internal, path_ + ": a history block with detached bytes was written whole"};
  }
  const std::vector<std::uint8_t> bytes = block.bytes();
  sqlite3_stmt* st = put_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  sqlite3_bind_int(st, 2, level);
  sqlite3_bind_int64(st, 3, block.firstTime());
  sqlite3_bind_int64(st, 4, block.lastTime());
  sqlite3_bind_int64(st, 5, static_cast<sqlite3_int64>(block.count()));
  sqlite3_bind_blob(st, 6, bytes.data(), static_cast<int>(bytes.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(st);
  return rc == SQLITE_DONE ? Status::ok() : error(rc, "cannot write a history block");
}

Status Blocks::putOpen(std::int64_t series, const BlockEncoder& block,
                       std::span<const history_blocks::TimedValue> added) {
  (void)added;
  if (block.detachedBytes() == 0) return put(series, 0, block);
  const std::vector<std::uint8_t> header = block.header();
  const std::vector<std::uint8_t> tail = block.tailBytes();
  sqlite3_stmt* st = putTail_.get();
  ResetGuard guard(st);
  // An empty blob binds as NULL through a null pointer, and NULL || x is NULL: bind a zero-length blob instead.
  static constexpr std::uint8_t kNone = 0;
  sqlite3_bind_blob(st, 1, header.data(), static_cast<int>(header.size()), SQLITE_STATIC);
  sqlite3_bind_int64(st, 2, static_cast<sqlite3_int64>(block.headerSize()));
  sqlite3_bind_int64(st, 3, static_cast<sqlite3_int64>(block.detachedBytes()));
  sqlite3_bind_blob(st, 4, tail.empty() ? &kNone : tail.data(), static_cast<int>(tail.size()), SQLITE_STATIC);
  sqlite3_bind_int64(st, 5, block.lastTime());
  sqlite3_bind_int64(st, 6, static_cast<sqlite3_int64>(block.count()));
  sqlite3_bind_int64(st, 7, series);
  sqlite3_bind_int64(st, 8, block.firstTime());
  const int rc = sqlite3_step(st);
  if (rc != SQLITE_DONE) return error(rc, "cannot write a history block");
  if (sqlite3_changes(db_) != 1) {
    return {ErrorCode::ParseError, path_ + ": the open history block of series " + std::to_string(series) +
                                       " is missing or shorter than written"};
  }
  return Status::ok();
}

Status Blocks::stage(std::int64_t series, std::span<const history_blocks::TimedValue> added) {
  for (const history_blocks::TimedValue& x : added) staging_.push_back({series, x.t, x.v});
  return Status::ok();
}

Status Blocks::flushStaging(std::int64_t seq) {
  // A commit's series arrive ascending (the store sorts its batch), so each group's samples are one run; a stable
  // sort keeps every series' samples in order where they do not.
  std::stable_sort(staging_.begin(), staging_.end(), [](const auto& x, const auto& y) {
    return history_blocks::stagedGroupOf(x.series) < history_blocks::stagedGroupOf(y.series);
  });
  std::size_t i = 0;
  while (i < staging_.size()) {
    const std::int64_t group = history_blocks::stagedGroupOf(staging_[i].series);
    std::size_t end = i;
    while (end < staging_.size() && history_blocks::stagedGroupOf(staging_[end].series) == group) ++end;
    row_.clear();
    history_blocks::encodeStagedRow(group, std::span(staging_).subspan(i, end - i), row_);
    sqlite3_stmt* st = insertStaged_.get();
    ResetGuard guard(st);
    sqlite3_bind_int64(st, 1, group);
    sqlite3_bind_int64(st, 2, seq);
    sqlite3_bind_blob(st, 3, row_.data(), static_cast<int>(row_.size()), SQLITE_STATIC);
    if (const int rc = sqlite3_step(st); rc != SQLITE_DONE) return error(rc, "cannot stage history samples");
    i = end;
  }
  staging_.clear();
  return Status::ok();
}

Status Blocks::readStaged(std::vector<history_blocks::StagedSample>& out) {
  sqlite3_stmt* st = allStaged_.get();
  ResetGuard guard(st);
  int rc = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 1));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(st, 1));
    if (Status s = history_blocks::decodeStagedRow({data, size}, sqlite3_column_int64(st, 0), out, path_); !s) {
      return s;
    }
  }
  return rc == SQLITE_DONE ? Status::ok() : error(rc, "cannot read staged history samples");
}

Status Blocks::clearStaged() {
  sqlite3_stmt* st = clearStaged_.get();
  ResetGuard guard(st);
  const int rc = sqlite3_step(st);
  return rc == SQLITE_DONE ? Status::ok() : error(rc, "cannot delete staged history samples");
}

Status Blocks::liveStaged(std::int64_t series, TimePoint t0, TimePoint t1) {
  stagedOut_.clear();
  // Live: later than the series' newest stored raw block and not before its rolled_until (sqlite_history_blocks.hpp).
  auto rolled = rolledUntil(series);
  if (!rolled) return rolled.status();
  TimePoint after = *rolled == std::numeric_limits<TimePoint>::min() ? *rolled : *rolled - 1;
  {
    sqlite3_stmt* st = newestEnd_.get();
    ResetGuard guard(st);
    sqlite3_bind_int64(st, 1, series);
    const int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
      after = std::max<TimePoint>(after, sqlite3_column_int64(st, 0));
    } else if (rc != SQLITE_DONE) {
      return error(rc, "cannot read a history block");
    }
  }
  const std::int64_t group = history_blocks::stagedGroupOf(series);
  sqlite3_stmt* st = stagedOfGroup_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, group);
  std::vector<history_blocks::StagedSample> rowSamples;
  int rc = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 0));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(st, 0));
    rowSamples.clear();
    if (Status s = history_blocks::decodeStagedRow({data, size}, group, rowSamples, path_); !s) return s;
    for (const auto& x : rowSamples) {
      // Ascending: every staged sample of a series is later than those staged before it.
      if (x.series != series || x.t <= after) continue;
      after = x.t;
      if (x.t >= t0 && x.t <= t1) stagedOut_.push_back(x);
    }
  }
  return rc == SQLITE_DONE ? Status::ok() : error(rc, "cannot read staged history samples");
}

Status Blocks::remove(std::int64_t series, int level, TimePoint tFirst) {
  sqlite3_stmt* st = remove_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  sqlite3_bind_int(st, 2, level);
  sqlite3_bind_int64(st, 3, tFirst);
  const int rc = sqlite3_step(st);
  return rc == SQLITE_DONE ? Status::ok() : error(rc, "cannot delete a history block");
}

namespace {

StoredBlock readRow(sqlite3_stmt* st) {
  StoredBlock b;
  b.tFirst = sqlite3_column_int64(st, 0);
  b.tLast = sqlite3_column_int64(st, 1);
  b.count = sqlite3_column_int64(st, 2);
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 3));
  const int size = sqlite3_column_bytes(st, 3);
  if (data != nullptr && size > 0) b.data.assign(data, data + size);
  return b;
}

}  // namespace

Result<std::optional<StoredBlock>> Blocks::one(const sqlite::Statement& stmt, std::int64_t series, int level,
                                               std::optional<TimePoint> t) {
  sqlite3_stmt* st = stmt.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  sqlite3_bind_int(st, 2, level);
  if (t) sqlite3_bind_int64(st, 3, *t);
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<StoredBlock>{};
  if (rc != SQLITE_ROW) return error(rc, "cannot read a history block");
  return std::optional<StoredBlock>{readRow(st)};
}

Result<std::optional<StoredBlock>> Blocks::last(std::int64_t series, int level) {
  return one(last_, series, level, std::nullopt);
}
Result<std::optional<StoredBlock>> Blocks::atOrBefore(std::int64_t series, int level, TimePoint t) {
  return one(atOrBefore_, series, level, t);
}
Result<std::optional<StoredBlock>> Blocks::firstAfter(std::int64_t series, int level, TimePoint t) {
  return one(firstAfter_, series, level, t);
}
Result<std::optional<StoredBlock>> Blocks::get(std::int64_t series, int level, TimePoint tFirst) {
  return one(get_, series, level, tFirst);
}

Result<std::optional<TimePoint>> Blocks::earliest(std::int64_t series, int level) {
  sqlite3_stmt* st = earliest_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  sqlite3_bind_int(st, 2, level);
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<TimePoint>{};
  if (rc != SQLITE_ROW) return error(rc, "cannot read a history block");
  return std::optional<TimePoint>{sqlite3_column_int64(st, 0)};
}

Result<TimePoint> Blocks::lowerBound(std::int64_t series, int level, TimePoint t0) {
  // Blocks of a series do not overlap: only the last block starting at or before t0 can reach into the range.
  sqlite3_stmt* st = keyAtOrBefore_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  sqlite3_bind_int(st, 2, level);
  sqlite3_bind_int64(st, 3, t0);
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return t0;
  if (rc != SQLITE_ROW) return error(rc, "cannot read a history block");
  return sqlite3_column_int64(st, 1) >= t0 ? sqlite3_column_int64(st, 0) : t0;
}

Status Blocks::points(std::int64_t series, int level, TimePoint t0, TimePoint t1, std::vector<Point>& out,
                      std::size_t limit) {
  auto lower = lowerBound(series, level, t0);
  if (!lower) return lower.status();
  sqlite3_stmt* st = range_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  sqlite3_bind_int(st, 2, level);
  sqlite3_bind_int64(st, 3, *lower);
  sqlite3_bind_int64(st, 4, t1);
  int rc = 0;
  while (out.size() < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 3));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(st, 3));
    if (Status s = history_blocks::appendPointsIn({data, size}, sqlite3_column_int64(st, 0),
                                                  sqlite3_column_int64(st, 1), t0, t1, level, out, path_);
        !s) {
      return s;
    }
  }
  if (rc != SQLITE_DONE && rc != SQLITE_ROW && rc != 0) return error(rc, "cannot read history blocks");
  if (level != 0 || out.size() >= limit) return Status::ok();
  // The staged samples follow every block of the series.
  if (Status s = liveStaged(series, t0, t1); !s) return s;
  for (const auto& x : stagedOut_) {
    if (out.size() >= limit) break;
    Point p;
    p.t = x.t;
    p.v[0] = x.v;
    out.push_back(p);
  }
  return Status::ok();
}

Result<std::int64_t> Blocks::countIn(std::int64_t series, int level, TimePoint t0, TimePoint t1,
                                     std::int64_t limit) {
  auto lower = lowerBound(series, level, t0);
  if (!lower) return lower.status();
  sqlite3_stmt* st = count_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  sqlite3_bind_int(st, 2, level);
  sqlite3_bind_int64(st, 3, *lower);
  sqlite3_bind_int64(st, 4, t1);
  std::int64_t sum = 0;
  int rc = 0;
  while (sum <= limit && (rc = sqlite3_step(st)) == SQLITE_ROW) sum += sqlite3_column_int64(st, 0);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return error(rc, "cannot count history blocks");
  if (level == 0 && sum <= limit) {
    if (Status s = liveStaged(series, t0, t1); !s) return s;
    sum += static_cast<std::int64_t>(stagedOut_.size());
  }
  return sum;
}

Status Blocks::startingBefore(int level, TimePoint cutoff, int limit, std::vector<Key>& out) {
  sqlite3_stmt* st = startingBefore_.get();
  ResetGuard guard(st);
  sqlite3_bind_int(st, 1, level);
  sqlite3_bind_int64(st, 2, cutoff);
  sqlite3_bind_int(st, 3, limit);
  int rc = 0;
  while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
    out.push_back({sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2)});
  }
  return rc == SQLITE_DONE ? Status::ok() : error(rc, "cannot list old history blocks");
}

Result<TimePoint> Blocks::rolledUntil(std::int64_t series) {
  sqlite3_stmt* st = rolledUntil_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  const int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) return error(rc == SQLITE_DONE ? SQLITE_INTERNAL : rc, "cannot read a series");
  return sqlite3_column_int64(st, 0);
}

Status Blocks::setRolledUntil(std::int64_t series, TimePoint t) {
  sqlite3_stmt* st = setRolledUntil_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, t);
  sqlite3_bind_int64(st, 2, series);
  const int rc = sqlite3_step(st);
  return rc == SQLITE_DONE ? Status::ok() : error(rc, "cannot update a series");
}

}  // namespace gt::connectors::sqlite_history
