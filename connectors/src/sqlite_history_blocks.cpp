// The blocks table of the SQLite history. See sqlite_history_blocks.hpp.

#include "sqlite_history_blocks.hpp"

#include <cmath>
#include <limits>
#include <utility>

namespace gt::connectors::sqlite_history {

using sqlite::ResetGuard;

HistoryBucket toBucket(const Point& p, int level) {
  if (level == 0) {
    const double v = p.v[0];
    return {p.t, v, v, v, std::isnan(v) ? 0u : 1u};
  }
  return {p.t, p.v[0], p.v[1], p.v[2], static_cast<std::uint64_t>(p.v[3])};
}

Point fromBucket(const HistoryBucket& b) { return {b.time, {b.min, b.max, b.mean, static_cast<double>(b.count)}}; }

Status decodePoints(std::span<const std::uint8_t> data, int level, std::vector<Point>& out, double* step) {
  auto decoder = BlockDecoder::open(data);
  if (!decoder) return decoder.status();
  if (step != nullptr) *step = decoder->step(0);
  if (decoder->columns() != columnsOf(level)) {
    return {ErrorCode::ParseError, "history block of level " + std::to_string(level) + " has " +
                                       std::to_string(decoder->columns()) + " columns"};
  }
  Point p;
  const std::span<double> values(p.v.data(), static_cast<std::size_t>(decoder->columns()));
  out.reserve(out.size() + decoder->count());
  while (decoder->next(p.t, values)) out.push_back(p);
  return decoder->status();
}

BlockEncoder newBlock(int level, double step) {
  // The mean at a thousandth of the step: merging partial buckets re-rounds it, and those errors must stay far
  // below the samples' own half step (min and max are stored samples: exact at the step).
  const double steps[] = {step, step, step * 1e-3, 1.0};
  return BlockEncoder(columnsOf(level), std::span<const double>(steps, level == 0 ? 1 : 4));
}

Result<BlockEncoder> encodePoints(std::span<const Point> points, int level, double step) {
  BlockEncoder e = newBlock(level, step);
  const auto columns = static_cast<std::size_t>(columnsOf(level));
  for (const Point& p : points) {
    if (Status s = e.append(p.t, std::span<const double>(p.v.data(), columns)); !s) return s;
  }
  return e;
}

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
  };
  for (const auto& [st, sql] : all) {
    if (Status s = sqlite::preparePersistent(db_, path_, *st, sql); !s) return s;
  }
  return Status::ok();
}

void Blocks::finalize() {
  for (sqlite::Statement* st : {&put_, &remove_, &last_, &atOrBefore_, &firstAfter_, &earliest_, &keyAtOrBefore_,
                                &range_, &count_, &startingBefore_, &get_}) {
    st->reset();
  }
}

Status Blocks::put(sqlite3_int64 series, int level, const BlockEncoder& block) {
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

Status Blocks::remove(sqlite3_int64 series, int level, TimePoint tFirst) {
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

Result<std::optional<StoredBlock>> Blocks::one(const sqlite::Statement& stmt, sqlite3_int64 series, int level,
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

Result<std::optional<StoredBlock>> Blocks::last(sqlite3_int64 series, int level) {
  return one(last_, series, level, std::nullopt);
}
Result<std::optional<StoredBlock>> Blocks::atOrBefore(sqlite3_int64 series, int level, TimePoint t) {
  return one(atOrBefore_, series, level, t);
}
Result<std::optional<StoredBlock>> Blocks::firstAfter(sqlite3_int64 series, int level, TimePoint t) {
  return one(firstAfter_, series, level, t);
}
Result<std::optional<StoredBlock>> Blocks::get(sqlite3_int64 series, int level, TimePoint tFirst) {
  return one(get_, series, level, tFirst);
}

Result<std::optional<TimePoint>> Blocks::earliest(sqlite3_int64 series, int level) {
  sqlite3_stmt* st = earliest_.get();
  ResetGuard guard(st);
  sqlite3_bind_int64(st, 1, series);
  sqlite3_bind_int(st, 2, level);
  const int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<TimePoint>{};
  if (rc != SQLITE_ROW) return error(rc, "cannot read a history block");
  return std::optional<TimePoint>{sqlite3_column_int64(st, 0)};
}

Result<TimePoint> Blocks::lowerBound(sqlite3_int64 series, int level, TimePoint t0) {
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

Status Blocks::points(sqlite3_int64 series, int level, TimePoint t0, TimePoint t1, std::vector<Point>& out,
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
  std::vector<Point> block;
  while (out.size() < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(st, 3));
    const auto size = static_cast<std::size_t>(sqlite3_column_bytes(st, 3));
    const bool inside = sqlite3_column_int64(st, 0) >= t0 && sqlite3_column_int64(st, 1) <= t1;
    if (inside) {
      // The common case of a window read: every point is wanted, decode straight into the result.
      if (Status s = decodePoints({data, size}, level, out); !s) return {s.code(), path_ + ": " + s.message()};
      continue;
    }
    block.clear();
    if (Status s = decodePoints({data, size}, level, block); !s) return {s.code(), path_ + ": " + s.message()};
    for (const Point& p : block) {
      if (p.t >= t0 && p.t <= t1) out.push_back(p);
    }
  }
  return rc == SQLITE_DONE || rc == SQLITE_ROW || rc == 0 ? Status::ok() : error(rc, "cannot read history blocks");
}

Result<std::int64_t> Blocks::countIn(sqlite3_int64 series, int level, TimePoint t0, TimePoint t1,
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

}  // namespace gt::connectors::sqlite_history
