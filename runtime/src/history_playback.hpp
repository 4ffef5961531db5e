#pragma once
// The history reader of the twin (issue 4 "History", docs/time-series.md "History and playback"): a background
// thread with its own connection to the history file. The update thread asks for a window of twin time; the
// thread reads every stored series in that window, resolves the stable ids through the EntityDirectory's current
// snapshot (the one the ingest threads use) and builds a complete TimeSeriesStore, which the update thread takes
// as a value and swaps in (O(1): installing a window never stalls a frame). A series with more samples in the
// window than maxRowsPerSeries is read through HistoryStore::summary: bucket means of the raw samples or of the
// 1 min / 1 h rollups over the whole window, rather than its first rows. The same thread applies the retention of
// each level periodically (in short transactions), so neither the update thread nor the writer waits for it long.
//
// Threads:
//   open(), destructor      the owning (update) thread; the destructor stops and joins.
//   request(), take()       the update thread.
//   lastError(), stats      any thread.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt::runtime {

struct PlaybackWindow {
  std::uint64_t requestId = 0;
  TimeRange window;
  TimeSeriesStore store;                       // the window's samples, resolved
  std::uint64_t samples = 0;
  std::uint64_t series = 0;                    // series resolved into the store
  std::uint64_t unknownEntitySeries = 0;       // series of entities not in the snapshot (no layer has them)
  std::vector<std::string> unknownAttributes;  // names not in the snapshot: register, republish, ask again
  Status status;  // a failed read: the series read before it are still there
};

struct HistoryPlaybackOptions {
  Duration retention = 0;                              // delete samples older than wall now - this; 0: never
  Duration retention1m = 0;                            // the same for the 1 min rollups
  Duration retention1h = 0;                            // and the 1 h rollups
  std::chrono::milliseconds retentionEvery{3'600'000};  // how often (the first run is at start)
  std::size_t maxRowsPerSeries = 8192;                 // per window; a denser series is read as rollup means
  std::chrono::milliseconds seriesRefresh{10'000};     // how long the list of stored series is reused
};

class HistoryPlayback {
 public:
  // Opens a second connection to the history file (the writer owns the first); errors name the path.
  // `directory` must outlive this object (its snapshot is read on the playback thread).
  static Result<std::unique_ptr<HistoryPlayback>> open(const std::string& path, HistoryPlaybackOptions options,
                                                       const EntityDirectory& directory);
  // The same on a store already opened (its own connection: a PostgreSQL history, docs/history.md).
  static std::unique_ptr<HistoryPlayback> open(std::unique_ptr<connectors::HistoryStore> store,
                                               HistoryPlaybackOptions options, const EntityDirectory& directory);
  ~HistoryPlayback();
  HistoryPlayback(const HistoryPlayback&) = delete;
  HistoryPlayback& operator=(const HistoryPlayback&) = delete;

  // Update thread: read this window next (replaces a request not yet started). Returns its id (1, 2, ...).
  std::uint64_t request(TimeRange window);
  // Update thread: the newest finished window, once.
  std::optional<PlaybackWindow> take();

  Status lastError() const;
  std::uint64_t windowsRead() const;
  std::uint64_t retentionRuns() const;

 private:
  HistoryPlayback(std::unique_ptr<connectors::HistoryStore> store, HistoryPlaybackOptions options,
                  const EntityDirectory& directory);
  void run();
  PlaybackWindow read(std::uint64_t id, TimeRange window);

  std::unique_ptr<connectors::HistoryStore> store_;  // the thread's
  HistoryPlaybackOptions options_;
  const EntityDirectory& directory_;
  std::vector<connectors::HistorySeries> seriesCache_;  // the thread's
  std::chrono::steady_clock::time_point seriesListedAt_{};

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;                      // guarded by mutex_
  std::optional<TimeRange> pending_;           // guarded by mutex_
  std::uint64_t nextId_ = 1;                   // guarded by mutex_
  std::uint64_t pendingId_ = 0;                // guarded by mutex_
  std::optional<PlaybackWindow> ready_;        // guarded by mutex_
  Status lastError_;                           // guarded by mutex_
  std::uint64_t windowsRead_ = 0;              // guarded by mutex_
  std::uint64_t retentionRuns_ = 0;            // guarded by mutex_
  std::thread thread_;
};

}  // namespace gt::runtime
