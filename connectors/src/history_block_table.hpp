#pragma once
// Connectors-private: what the history backends (SQLite: sqlite_history*.cpp, PostgreSQL: pg_history*.cpp) share
// about their `blocks` table. A row is one compressed block (history_codec.hpp) of one series at one level:
//   level 0  raw samples, 1 column (the value)
//   level 1  1 min rollup points, 4 columns (min, max, mean, count); a point's time is its bucket's start
//   level 2  1 h rollup points, the same
// keyed (series, level, t_first) with t_last and count beside it, so a window read seeks to the blocks that
// overlap it and decodes only those. BlockTable is that table through one connection; the SeriesWriter
// (history_series_writer.hpp) writes series through it, whichever database holds it.
//
// Threads: the connection's thread (one HistoryStore is used by one thread at a time).

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "greentwin/connectors/history_codec.hpp"
#include "greentwin/connectors/history_store.hpp"

namespace gt::connectors::history_blocks {

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
// The points of one stored block with t0 <= t <= t1 appended to `out` (a block wholly inside decodes straight
// into it). Errors name `where`.
Status appendPointsIn(std::span<const std::uint8_t> data, TimePoint tFirst, TimePoint tLast, TimePoint t0,
                      TimePoint t1, int level, std::vector<Point>& out, const std::string& where);
// An empty block of a level for a series stored at `step` (0: lossless): raw blocks quantise their value at the
// step; rollup blocks their min and max at the step (stored samples: exact), their mean at a thousandth of it,
// and their count always at 1 (an integer: exact).
BlockEncoder newBlock(int level, double step);
// Encodes ascending points (at least one) of a level, as newBlock(level, step).
Result<BlockEncoder> encodePoints(std::span<const Point> points, int level, double step);

// A raw sample of one series.
struct TimedValue {
  TimePoint t = 0;
  double v = 0;
};

// A raw sample staged after its series' stored open block (BlockTable::stage).
struct StagedSample {
  std::int64_t series = 0;
  TimePoint t = 0;
  double v = 0;
};

// A block's key, as retention lists them.
struct BlockKey {
  std::int64_t series = 0;
  TimePoint tFirst = 0;
  TimePoint tLast = 0;
};

// The blocks of one database through one connection, and each series' rolled_until mark.
class BlockTable {
 public:
  virtual ~BlockTable() = default;
  BlockTable() = default;
  BlockTable(const BlockTable&) = delete;
  BlockTable& operator=(const BlockTable&) = delete;

  // Writes the block under (series, level, its first time), replacing a block of that key.
  virtual Status put(std::int64_t series, int level, const BlockEncoder& block) = 0;
  // Writes the series' open raw block after `added` (its newest points, as it reads them back) were appended to it
  // since it was last written or put here. A backend may store only those (PostgreSQL stages them as rows,
  // pg_history_blocks.hpp); reads through the table still see the whole block. By default: put(series, 0, block).
  virtual Status putOpen(std::int64_t series, const BlockEncoder& block, std::span<const TimedValue> added) {
    (void)added;
    return put(series, 0, block);
  }
  // Whether putOpen() takes an open block whose written bytes are detached (BlockEncoder::detachWritten: the store
  // keeps them, the writer holds only the block's tail in memory). By default not: the block is whole.
  virtual bool takesDetachedOpenBlocks() const { return false; }
  // Whether stage() takes the samples appended to a series' stored open block instead of the block being written
  // again every commit (SQLite: sqlite_history_blocks.hpp "Staged samples"). By default not.
  virtual bool stagesSamples() const { return false; }
  // Records `added`, appended to the series' open block after its stored version (ascending, later than every
  // stored block of the series); reads of the raw level add them to the block until it is written again.
  virtual Status stage(std::int64_t series, std::span<const TimedValue> added) {
    (void)series;
    (void)added;
    return {ErrorCode::Unsupported, where() + ": this history store does not stage samples"};
  }
  // A hint before a write touches series it has not read yet: a backend may read their rolled_until and newest raw
  // block in one go, so that the rolledUntil() and last(series, 0) that follow for each cost no round trip
  // (PostgreSQL). Writes to a series drop what was read ahead for it. By default nothing.
  virtual Status prefetch(std::span<const std::int64_t> series) {
    (void)series;
    return Status::ok();
  }
  virtual Status remove(std::int64_t series, int level, TimePoint tFirst) = 0;
  // The newest block of the series at the level; the one starting at or before t; the first starting after t.
  virtual Result<std::optional<StoredBlock>> last(std::int64_t series, int level) = 0;
  virtual Result<std::optional<StoredBlock>> atOrBefore(std::int64_t series, int level, TimePoint t) = 0;
  virtual Result<std::optional<StoredBlock>> firstAfter(std::int64_t series, int level, TimePoint t) = 0;
  virtual Result<std::optional<StoredBlock>> get(std::int64_t series, int level, TimePoint tFirst) = 0;
  virtual Result<std::optional<TimePoint>> earliest(std::int64_t series, int level) = 0;
  // The points with t0 <= t <= t1, ascending, from the blocks that overlap [t0, t1] (only those are decoded); it
  // stops once `out` holds `limit` points (a few more may be there: the caller cuts).
  virtual Status points(std::int64_t series, int level, TimePoint t0, TimePoint t1, std::vector<Point>& out,
                        std::size_t limit = std::numeric_limits<std::size_t>::max()) = 0;
  // The points in the blocks overlapping [t0, t1] (an upper bound of the points in the range), summed block by
  // block in time order until the sum exceeds `limit`.
  virtual Result<std::int64_t> countIn(std::int64_t series, int level, TimePoint t0, TimePoint t1,
                                       std::int64_t limit = std::numeric_limits<std::int64_t>::max()) = 0;
  // Retention: up to `limit` blocks of the level starting before `cutoff`, oldest first (from an index).
  virtual Status startingBefore(int level, TimePoint cutoff, int limit, std::vector<BlockKey>& out) = 0;
  // The series' rolled_until: every raw sample before it is in the rollups.
  virtual Result<TimePoint> rolledUntil(std::int64_t series) = 0;
  virtual Status setRolledUntil(std::int64_t series, TimePoint t) = 0;
  // What errors name (the file, the database).
  virtual const std::string& where() const = 0;
};

}  // namespace gt::connectors::history_blocks
