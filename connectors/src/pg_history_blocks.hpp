#pragma once
// Connectors-private: the `blocks` table of the PostgreSQL history (schema in pg_history.cpp) through one
// connection. The same compressed blocks as the SQLite store (history_block_table.hpp), in a table partitioned
// twice: LIST on the level (blocks_l0, blocks_l1, blocks_l2), each of those RANGE on t_first in partitions of
// kPartitionWidth[level] (a day of raw blocks, a week of minute blocks, 13 weeks of hour blocks), created when a
// write first needs one and listed in history_partitions, so retention drops a level's partitions that lie wholly
// before its cut-off instead of deleting their rows.
//
// Writes are batched: put() keeps the block in memory (the last put of a key wins) and flush() writes all of them
// in one INSERT ... SELECT FROM unnest(arrays) ... ON CONFLICT DO UPDATE, binary; a read of a series and level with
// writes pending flushes first, so reads see the transaction's own writes. The caller flushes before it commits.
//
// Staged samples (docs/history.md "Writing, reading, several twins"): rewriting every open raw block each commit
// cost a new row version of ~0.5 KB per series per commit. So putOpen() of an open block whose stored version this
// connection wrote (same first time) appends only the new samples. They are sent at flush as one row per group of
// kStagedGroupSeries series ids (`staged_groups`: group_id = series_id / kStagedGroupSeries, a seq unique to the
// flush, and the samples as arrays series[], t[], v[]), by one binary COPY: a commit of a sweep sends ~n/32 rows,
// not n (a row per sample paid a primary-key entry each, most of a paced commit). The block itself is written
// again once kMaxStagedPerSeries samples are staged for it, or when it closes.
// Liveness: a staged sample is live while its time is after its series' `staged_after`, which every whole write
// of a raw block that may hold staged samples raises to the block's t_last (never lowers). Invariant, after every
// commit: a live staged sample is a raw sample in no stored block, later than every stored block of its series,
// whose newest stored block is open; every read of the raw level adds the live staged samples of the series
// (points, counts, the newest block), so readers and a writer that resumes see the whole open block. Dead samples
// cost space only: a row is deleted once every sample this connection staged in it is dead (counted here, per
// row); rows this connection does not know (another writer's, or its own before forget()) wait for foldStaged(),
// which retention runs, and which writes every live sample into its block and deletes every row.
//
// Threads: the connection's thread (one HistoryStore is used by one thread at a time).

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <unordered_set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "history_block_table.hpp"
#include "pg_support.hpp"

namespace gt::connectors::pg_history {

using history_blocks::Point;
using history_blocks::StoredBlock;

inline constexpr Duration kDay = 86'400 * kMicrosPerSecond;
// Samples staged for one open block before it is written again whole: a read of the series decodes at most this
// many rows beside its blocks.
inline constexpr std::size_t kMaxStagedPerSeries = 64;
// Series ids per row of staged_groups: a read of one series unnests its group's rows on the server (at most about
// this many samples per row) and returns only its own.
inline constexpr std::int64_t kStagedGroupSeries = 32;
// Range partitions of each level: one day of raw blocks, one week of 1 min rollups, 13 weeks of 1 h rollups.
// Multiples of an hour from the epoch, so a rollup point (stamped with its minute or hour) lies in the partition
// of its samples' time.
inline constexpr Duration kPartitionWidth[history_blocks::kLevels] = {kDay, 7 * kDay, 91 * kDay};

// A range partition of a level: its name and [from, to) (to saturates at the largest time).
struct Partition {
  std::string name;
  int level = 0;
  TimePoint from = 0;
  TimePoint to = 0;
};
// The partition of `level` that holds a block starting at t: "blocks_l0_20261205" (the UTC date its range starts).
Partition partitionFor(int level, TimePoint t);

class Blocks final : public history_blocks::BlockTable {
 public:
  explicit Blocks(pg::Connection& conn) : conn_(conn) {}

  Status put(std::int64_t series, int level, const BlockEncoder& block) override;
  Status putOpen(std::int64_t series, const BlockEncoder& block,
                 std::span<const history_blocks::TimedValue> added) override;
  // One statement for the series' rolled_until and newest raw block, one for their staged samples (per chunk).
  Status prefetch(std::span<const std::int64_t> series) override;
  Status remove(std::int64_t series, int level, TimePoint tFirst) override;
  Result<std::optional<StoredBlock>> last(std::int64_t series, int level) override;
  Result<std::optional<StoredBlock>> atOrBefore(std::int64_t series, int level, TimePoint t) override;
  Result<std::optional<StoredBlock>> firstAfter(std::int64_t series, int level, TimePoint t) override;
  Result<std::optional<StoredBlock>> get(std::int64_t series, int level, TimePoint tFirst) override;
  Result<std::optional<TimePoint>> earliest(std::int64_t series, int level) override;
  Status points(std::int64_t series, int level, TimePoint t0, TimePoint t1, std::vector<Point>& out,
                std::size_t limit = std::numeric_limits<std::size_t>::max()) override;
  Result<std::int64_t> countIn(std::int64_t series, int level, TimePoint t0, TimePoint t1,
                               std::int64_t limit = std::numeric_limits<std::int64_t>::max()) override;
  Status startingBefore(int level, TimePoint cutoff, int limit, std::vector<history_blocks::BlockKey>& out) override;
  Result<TimePoint> rolledUntil(std::int64_t series) override;
  Status setRolledUntil(std::int64_t series, TimePoint t) override;
  const std::string& where() const override { return conn_.where(); }

  // The write transaction's epoch (locked, unique among committed transactions): the base of its staged rows' seq.
  void beginCommit(std::int64_t epoch);
  // Writes the blocks put and the samples staged since the last flush (creating the partitions they need), raises
  // staged_after and deletes the rows whose samples are all dead. Inside the caller's transaction.
  Status flush();
  // Writes every live staged sample into its block and deletes every staged row (retention works on whole blocks).
  // Inside the caller's transaction.
  Status foldStaged();
  // Forgets the blocks and samples not flushed, the partitions known to exist and the staged rows counted (after a
  // rollback, or when another connection may have written).
  void forget();
  // The partitions of a level wholly before `cutoff`, oldest first (retention drops them).
  Result<std::vector<Partition>> partitionsBefore(int level, TimePoint cutoff);
  // Drops a partition (inside the caller's transaction); the number of blocks it held.
  Result<std::int64_t> drop(const Partition& p);
  // The raw blocks in a partition that are still open (at or after their series' rolled_until).
  Result<std::vector<history_blocks::BlockKey>> openBlocksIn(const Partition& p);

  // The raw points in [t0, t1] of many series at once (pg_history_window.cpp; playback's window): a statement for
  // the raw blocks overlapping it that start less than 6 h before t0; one (per 10,000) for the series without
  // such a block, reading the raw block before t0 and the first 1 min rollup; one for the live staged samples.
  // `staysRaw`: summary() of the series over the window reads the raw level — a raw block starts at or before t0,
  // or none does and no 1 min rollup lies in an earlier minute than its first raw block (summary() would give way
  // to the rollups only where retention took raw samples they still hold). Series with no entry, or staysRaw
  // false, need summary() itself.
  struct RawWindow {
    bool staysRaw = false;
    std::optional<TimePoint> firstBlock;  // the first raw block found starting after t0
    std::vector<Point> points;
  };
  Status rawWindows(std::span<const std::int64_t> series, TimePoint t0, TimePoint t1,
                    std::unordered_map<std::int64_t, RawWindow>& out);

 private:
  struct Key {
    std::int64_t series;
    int level;
    TimePoint tFirst;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const {
      return std::hash<std::int64_t>()(k.series * 1'000'003 + k.tFirst * 7 + k.level);
    }
  };
  struct Pending {
    TimePoint tLast = 0;
    std::int64_t count = 0;
    std::vector<std::uint8_t> data;
    bool unstage = false;  // raw: the block may hold staged samples; raise staged_after to its t_last once written
  };

  // What the database holds of a series' open raw block as this connection wrote it: its first time, its points
  // (stored and staged) and how many of them are staged.
  struct OpenBlock {
    TimePoint tFirst = 0;
    std::size_t count = 0;
    std::size_t staged = 0;
  };
  struct StagedSample {
    std::int64_t series;
    TimePoint t;
    double v;
  };
  // A staged row: (group_id, seq).
  using RowKey = std::pair<std::int64_t, std::int64_t>;
  // The samples of one series in one staged row, all dead once staged_after reaches tMax.
  struct StagedRun {
    RowKey row;
    std::size_t count = 0;
    TimePoint tMax = 0;
  };

  // What prefetch() read of a series, each part handed out once (rolledUntil(), last(series, 0)).
  struct ReadAhead {
    std::optional<TimePoint> rolledUntil;
    bool lastRead = false;  // `last` is the newest raw block (none: the series has no block)
    std::optional<StoredBlock> last;
  };
  // Drops what was read ahead of a series about to change.
  void dropReadAhead(std::int64_t series) {
    if (!readAhead_.empty()) readAhead_.erase(series);
  }

  // Sends the staged samples as rows of their groups (COPY) and counts them.
  Status sendStaged();
  // Raises staged_after of the series written whole with unstage, and deletes the rows left without live samples.
  Status releaseStaged();

  Status ensurePartition(int level, TimePoint tFirst);
  // Flushes when writes of this series and level are pending.
  Status flushFor(std::int64_t series, int level);
  static std::int64_t levelKey(std::int64_t series, int level) { return series * 4 + level; }
  // Appends the staged samples of `series` after `b` (when b is its newest block) to it.
  Status addStaged(std::int64_t series, StoredBlock& b);
  // Rows [first, end) (end -1: to the last).
  Status appendStaged(StoredBlock& b, const PGresult* r, int first, int end = -1);
  // One block by a statement of GT_BLOCK_COLUMNS; `stagedInResult`: its rows after the first are the block's staged
  // samples (else, at the raw level, they are read by a second statement).
  Result<std::optional<StoredBlock>> one(const char* name, const char* sql, std::int64_t series, int level,
                                         std::optional<TimePoint> t, bool stagedInResult = false);

  pg::Connection& conn_;
  std::unordered_map<Key, Pending, KeyHash> pending_;
  std::set<std::string> known_;  // partitions this connection created or saw in this transaction's past
  std::unordered_set<std::int64_t> pendingLevels_;  // levelKey() of every pending put and staged sample
  std::vector<StagedSample> staging_;               // staged samples not sent yet
  std::optional<std::int64_t> seqBase_;             // the transaction's epoch << 20 (beginCommit)
  std::int64_t flushes_ = 0;                        // flushes that sent staged rows in this transaction
  std::unordered_map<std::int64_t, OpenBlock> open_;
  std::map<RowKey, std::size_t> liveInRow_;                          // rows this connection sent: live samples
  std::unordered_map<std::int64_t, std::vector<StagedRun>> stagedIn_;  // per series: its runs in those rows
  std::unordered_map<std::int64_t, ReadAhead> readAhead_;              // prefetch(), until used or invalid
};

}  // namespace gt::connectors::pg_history
