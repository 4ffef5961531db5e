#pragma once
// Connectors-private: the `blocks` table of the SQLite history (schema in sqlite_history.cpp) through one
// connection's prepared statements (history_block_table.hpp: what a block is, the levels). An index on
// (level, t_first) lets retention find old blocks without a scan.
//
// Staged samples (docs/history.md "Writing: staged samples"): rewriting every open block each commit wrote its page
// again for every sample (about 200 bytes written a sample). So a commit stages the samples it appends to stored
// open blocks: stage() collects them and flushStaging() writes them as one row of `staged` per group of
// kStagedGroupSeries series (history_staged_rows.hpp), about 10 bytes a sample. Every kPackCommits commits the
// writer packs: it writes those blocks whole and clearStaged() deletes every row. Invariant, after every commit: a
// staged sample later than its series' newest stored raw block and not before its rolled_until is a raw sample in
// no block (live); any other is in a block already, or was (dead: rolled_until keeps it dead when retention
// deletes that block). Reads of the raw level (points, countIn) add the live samples of the series' group rows. A writer that starts, or lost its state (a rollback, another connection's commit), first
// folds every staged row into its blocks (readStaged, SeriesWriter::foldStaged, clearStaged).
//
// Threads: the connection's thread (one HistoryStore is used by one thread at a time).

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "history_block_table.hpp"
#include "sqlite_support.hpp"

namespace gt::connectors::sqlite_history {

using history_blocks::columnsOf;
using history_blocks::decodePoints;
using history_blocks::encodePoints;
using history_blocks::fromBucket;
using history_blocks::kLevels;
using history_blocks::kLevelWidth;
using history_blocks::newBlock;
using history_blocks::Point;
using history_blocks::StoredBlock;
using history_blocks::toBucket;

class Blocks final : public history_blocks::BlockTable {
 public:
  using Key = history_blocks::BlockKey;
  Status prepare(sqlite3* db, const std::string& path);
  void finalize();  // before sqlite3_close

  Status put(std::int64_t series, int level, const BlockEncoder& block) override;
  // An open block with detached bytes (BlockEncoder::detachWritten) is written as its header, the stored stream's
  // detached bytes and its tail, in one UPDATE: SQLite reads the row's page for the update anyway, so the writer
  // need not hold the block in memory (docs/history.md "Memory").
  Status putOpen(std::int64_t series, const BlockEncoder& block,
                 std::span<const history_blocks::TimedValue> added) override;
  bool takesDetachedOpenBlocks() const override { return true; }
  bool stagesSamples() const override { return true; }
  Status stage(std::int64_t series, std::span<const history_blocks::TimedValue> added) override;
  // Writes the samples staged since the last flush as rows of commit `seq` (unique among committed transactions).
  Status flushStaging(std::int64_t seq);
  // Forgets the samples staged and not flushed (the writer packed them into blocks, or the transaction rolls back).
  void discardStaging() { staging_.clear(); }
  std::size_t stagingSize() const { return staging_.size(); }
  // Every staged row's samples, oldest commit first; and deleting every row.
  Status readStaged(std::vector<history_blocks::StagedSample>& out);
  Status clearStaged();
  Status remove(std::int64_t series, int level, TimePoint tFirst) override;
  Result<std::optional<StoredBlock>> last(std::int64_t series, int level) override;
  Result<std::optional<StoredBlock>> atOrBefore(std::int64_t series, int level, TimePoint t) override;
  Result<std::optional<StoredBlock>> firstAfter(std::int64_t series, int level, TimePoint t) override;
  Result<std::optional<StoredBlock>> get(std::int64_t series, int level, TimePoint tFirst) override;
  Result<std::optional<TimePoint>> earliest(std::int64_t series, int level) override;
  Status points(std::int64_t series, int level, TimePoint t0, TimePoint t1, std::vector<Point>& out,
                std::size_t limit = std::numeric_limits<std::size_t>::max()) override;
  // Whether a range holds more than a chart's points is known after a few blocks, where a day at 1 s has 720.
  Result<std::int64_t> countIn(std::int64_t series, int level, TimePoint t0, TimePoint t1,
                               std::int64_t limit = std::numeric_limits<std::int64_t>::max()) override;
  Status startingBefore(int level, TimePoint cutoff, int limit, std::vector<Key>& out) override;
  Result<TimePoint> rolledUntil(std::int64_t series) override;
  Status setRolledUntil(std::int64_t series, TimePoint t) override;
  const std::string& where() const override { return path_; }

  Status error(int rc, const std::string& what) const { return sqlite::error(db_, path_, rc, what); }

 private:
  Result<std::optional<StoredBlock>> one(const sqlite::Statement& st, std::int64_t series, int level,
                                         std::optional<TimePoint> t);
  // The lowest t_first a block overlapping [t0, ...] can have.
  Result<TimePoint> lowerBound(std::int64_t series, int level, TimePoint t0);
  // The series' live staged samples with t0 <= t <= t1, ascending, into stagedOut_.
  Status liveStaged(std::int64_t series, TimePoint t0, TimePoint t1);

  sqlite3* db_ = nullptr;
  std::string path_;
  sqlite::Statement put_, putTail_, remove_, last_, atOrBefore_, firstAfter_, earliest_, keyAtOrBefore_, range_,
      count_, startingBefore_, get_, rolledUntil_, setRolledUntil_, newestEnd_, insertStaged_, stagedOfGroup_,
      allStaged_, clearStaged_;
  std::vector<history_blocks::StagedSample> staging_;     // staged, not flushed (series ascending per commit)
  std::vector<history_blocks::StagedSample> stagedOut_;   // reads: decoded rows (reused)
  std::vector<std::uint8_t> row_;                         // flushStaging(): one row's bytes (reused)
};

}  // namespace gt::connectors::sqlite_history
