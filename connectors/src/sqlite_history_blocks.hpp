#pragma once
// Connectors-private: the `blocks` table of the SQLite history (schema in sqlite_history.cpp) through one
// connection's prepared statements. A row is one compressed block (history_codec.hpp) of one series at one level:
//   level 0  raw samples, 1 column (the value)
//   level 1  1 min rollup points, 4 columns (min, max, mean, count); a point's time is its bucket's start
//   level 2  1 h rollup points, the same
// keyed (series_id, level, t_first) with t_last and count beside it, so a window read seeks to the blocks that
// overlap it and decodes only those; an index on (level, t_first) lets retention find old blocks without a scan.
//
// Threads: the connection's thread (one HistoryStore is used by one thread at a time).

#include <sqlite3.h>

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "greentwin/connectors/history_codec.hpp"
#include "greentwin/connectors/history_store.hpp"
#include "sqlite_support.hpp"

namespace gt::connectors::sqlite_history {

inline constexpr int kLevels = 3;
inline constexpr Duration kLevelWidth[kLevels] = {0, kHistoryMinute, kHistoryHour};
inline int columnsOf(int level) { return level == 0 ? 1 : 4; }

// A decoded point: a raw sample (v[0]) or a rollup point (min, max, mean, count).
struct Point {
  TimePoint t = 0;
  std::array<double, 4> v{};
};
HistoryBucket toBucket(const Point& p, int level);
Point fromBucket(const HistoryBucket& b);

struct StoredBlock {
  TimePoint tFirst = 0;
  TimePoint tLast = 0;
  std::int64_t count = 0;
  std::vector<std::uint8_t> data;
};

// Appends a block's points to `out`; a damaged block is a ParseError. `step`: set to the block's resolution (0:
// lossless).
Status decodePoints(std::span<const std::uint8_t> data, int level, std::vector<Point>& out, double* step = nullptr);
// An empty block of a level for a series stored at `step` (0: lossless): raw blocks quantise their value at the
// step; rollup blocks their min and max at the step (stored samples: exact), their mean at a thousandth of it,
// and their count always at 1 (an integer: exact).
BlockEncoder newBlock(int level, double step);
// Encodes ascending points (at least one) of a level, as newBlock(level, step).
Result<BlockEncoder> encodePoints(std::span<const Point> points, int level, double step);

class Blocks {
 public:
  Status prepare(sqlite3* db, const std::string& path);
  void finalize();  // before sqlite3_close

  Status put(sqlite3_int64 series, int level, const BlockEncoder& block);
  Status remove(sqlite3_int64 series, int level, TimePoint tFirst);
  // The newest block of the series at the level; the one starting at or before t; the first starting after t.
  Result<std::optional<StoredBlock>> last(sqlite3_int64 series, int level);
  Result<std::optional<StoredBlock>> atOrBefore(sqlite3_int64 series, int level, TimePoint t);
  Result<std::optional<StoredBlock>> firstAfter(sqlite3_int64 series, int level, TimePoint t);
  Result<std::optional<TimePoint>> earliest(sqlite3_int64 series, int level);
  // The points with t0 <= t <= t1, ascending, from the blocks that overlap [t0, t1] (only those are decoded); it
  // stops once `out` holds `limit` points (a few more may be there: the caller cuts).
  Status points(sqlite3_int64 series, int level, TimePoint t0, TimePoint t1, std::vector<Point>& out,
                std::size_t limit = std::numeric_limits<std::size_t>::max());
  // The points in the blocks overlapping [t0, t1] (an upper bound of the points in the range), summed block by
  // block in time order until the sum exceeds `limit`: whether a range holds more than a chart's points is known
  // after a few blocks, where a day at 1 s has 720.
  Result<std::int64_t> countIn(sqlite3_int64 series, int level, TimePoint t0, TimePoint t1,
                               std::int64_t limit = std::numeric_limits<std::int64_t>::max());
  // Retention: up to `limit` blocks of the level starting before `cutoff`, oldest first (from the index).
  struct Key {
    sqlite3_int64 series = 0;
    TimePoint tFirst = 0;
    TimePoint tLast = 0;
  };
  Status startingBefore(int level, TimePoint cutoff, int limit, std::vector<Key>& out);
  Result<std::optional<StoredBlock>> get(sqlite3_int64 series, int level, TimePoint tFirst);

  Status error(int rc, const std::string& what) const { return sqlite::error(db_, path_, rc, what); }

 private:
  Result<std::optional<StoredBlock>> one(const sqlite::Statement& st, sqlite3_int64 series, int level,
                                         std::optional<TimePoint> t);
  // The lowest t_first a block overlapping [t0, ...] can have.
  Result<TimePoint> lowerBound(sqlite3_int64 series, int level, TimePoint t0);

  sqlite3* db_ = nullptr;
  std::string path_;
  sqlite::Statement put_, remove_, last_, atOrBefore_, firstAfter_, earliest_, keyAtOrBefore_, range_, count_,
      startingBefore_, get_;
};

}  // namespace gt::connectors::sqlite_history
