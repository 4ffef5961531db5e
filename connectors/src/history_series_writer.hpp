#pragma once
// Connectors-private: how a history store writes one series through its BlockTable (SQLite or PostgreSQL;
// docs/history.md "Writing: the open block").
//
// Each series has at most one OPEN raw block: its newest samples, rewritten in place (same key) by every
// transaction that adds to it, so a committed sample is as durable as before (the row is in the WAL), and kept
// as a live encoder in memory so that adding a sample costs a few bit operations. Where the BlockTable takes it
// (SQLite: takesDetachedOpenBlocks), the encoder keeps only the block's unwritten tail once the block is stored,
// so the writer's memory does not grow with the open blocks (docs/history.md "Memory"); closing the block takes
// the rest back from the store. At `blockPoints` samples the block CLOSES: it stays as it is, its samples are
// rolled up into the 1 min and 1 h levels (partial buckets merged into the level's newest point, which may
// straddle two raw blocks) and the series' rolled_until mark moves past it. So every raw sample before rolled_until
// is in the rollups and every one at or after it is in the open block; readers add the open block to the rollups
// themselves.
//
// Samples before the series' newest time (late ones) are merged into the block that covers them, re-encoded; when
// that block was already rolled up, the 1 min buckets they touch are computed again from the raw samples and the
// 1 h buckets from the 1 min points. A sample with the time of a stored one never replaces it (recorded history is
// not rewritten, docs/history.md): it is left out and counted (notReplaced).
//
// Threads: the writer connection's thread, inside the transaction of HistoryStore::append.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/connectors/history_codec.hpp"
#include "history_block_table.hpp"

namespace gt::connectors::history_blocks {

class SeriesWriter {
 public:
  // A raw block at a resolution closes at `blockPoints` samples or once its encoded size reaches `blockBytes`,
  // whichever comes first; a raw block without one and rollup blocks at min(blockPoints, kRollupBlockPoints).
  SeriesWriter(BlockTable& blocks, std::size_t blockPoints, std::size_t blockBytes)
      : blocks_(blocks), blockPoints_(blockPoints), blockBytes_(blockBytes),
        rollupPoints_(std::min(blockPoints, kRollupBlockPoints)) {}
  static constexpr std::size_t kRollupBlockPoints = 120;

  // Inside the caller's transaction: the samples of one series, ascending with distinct times. `step`: the
  // series' declared resolution (0: lossless), for the blocks this write starts; a block already there keeps the
  // step it was started with (a changed resolution applies from the series' next block).
  Status write(std::int64_t series, std::span<const TimedValue> samples, double step = 0);
  // Before writes of these series (inside the transaction): the store reads ahead the state of those this writer
  // has not cached (BlockTable::prefetch).
  Status prepare(std::span<const std::int64_t> series);
  // Samples left out because a sample of the same series and time was already stored (all time, this connection;
  // counted inside transactions that may still roll back).
  std::uint64_t notReplaced() const { return notReplaced_; }
  void countNotReplaced(std::uint64_t n) { notReplaced_ += n; }
  // Forgets the cached state of every series: after a rollback, or when another connection changed the file.
  void forget() {
    states_.clear();
    stagedSeries_.clear();
  }
  // Staged samples (BlockTable::stagesSamples): a commit stages the samples it appends to a stored open block
  // instead of writing the block again. packStaged() writes every open block with staged samples whole (the store
  // then deletes its staged rows: they are all in blocks); foldStaged() writes staged samples found in the store
  // (committed by a writer whose state this one does not have: after forget(), or another connection's) into their
  // blocks, whole. Inside the caller's transaction.
  Status packStaged();
  Status foldStaged(std::span<const StagedSample> staged);
  bool hasStaged() const { return !stagedSeries_.empty(); }
  // Retention is about to delete or trim this raw block: when it is the series' open block (not rolled up yet),
  // its samples go into the rollups first and it becomes closed, so the coarser levels keep them.
  Status closeBeforeRetention(std::int64_t series, const StoredBlock& block);

 private:
  struct State {
    TimePoint rolledUntil = 0;
    std::optional<TimePoint> newest;  // the series' newest raw time
    double step = 0;                  // the resolution for new blocks (the last write's)
    BlockEncoder open{1};             // the open raw block (empty: none)
    bool dirty = false;               // open has samples not yet written
    std::vector<TimedValue> unsaved;  // those samples, as the block reads them back (BlockTable::putOpen)
    bool stored = false;              // the store holds a version of `open` (staging appends after it)
    bool staged = false;              // samples appended to `open` since that version are staged
  };
  Result<State*> state(std::int64_t series);
  // Stages the unsaved samples where the store takes them, else writes the block (writeOpen).
  Status saveOpen(std::int64_t series, State& s);
  Status writeOpen(std::int64_t series, State& s);
  Status closeOpen(std::int64_t series, State& s);
  // `step`: the raw samples' resolution, for rollup blocks this starts (those there keep theirs).
  Status rollUp(std::int64_t series, std::span<const Point> samples, double step);
  Status mergeLate(std::int64_t series, State& s, std::span<const TimedValue> late);
  Status recompute(std::int64_t series, TimePoint rolledUntil, std::vector<TimePoint>& minutes, double step);
  // `step`: for a new block (an existing one keeps its own).
  Status replacePoint(std::int64_t series, int level, const Point& p, bool erase, double step);
  Status rewrite(std::int64_t series, int level, std::optional<TimePoint> oldKey, std::span<const Point> points,
                 double step);

  BlockTable& blocks_;
  std::size_t blockPoints_;
  std::size_t blockBytes_;
  std::size_t rollupPoints_;
  std::unordered_map<std::int64_t, State> states_;
  std::vector<std::int64_t> stagedSeries_;  // series whose state has staged samples (packStaged)
  bool folding_ = false;                    // foldStaged(): blocks are written, not staged
  std::uint64_t notReplaced_ = 0;
};

// What both backends read and retire the same way, through their BlockTable:
//
// range() of one stored series (history_store.hpp): its raw samples in [t0, t1], at most maxRows, named as asked;
// `points` is the caller's buffer, reused between reads.
Result<std::vector<HistorySample>> readRange(BlockTable& blocks, std::int64_t series, const std::string& entityId,
                                             const std::string& attribute, TimePoint t0, TimePoint t1,
                                             std::size_t maxRows, std::vector<Point>& points);
// summary() of one stored series (history_store.hpp): the level the range needs, a coarser one where retention
// took its start, the open block added to rollup levels, regrouped into at most maxPoints buckets.
Result<HistorySummary> readSummary(BlockTable& blocks, std::int64_t series, TimePoint t0, TimePoint t1,
                                   std::size_t maxPoints);
// Retention of one block found by the index: deleted when wholly older than the cut-off, else re-encoded without
// its older points. An open raw block is rolled up first (the coarser levels keep its samples).
Status retireBlock(BlockTable& blocks, SeriesWriter& writer, int level, const BlockKey& key, TimePoint cutoff,
                   HistoryRetentionReport& report);

}  // namespace gt::connectors::history_blocks
