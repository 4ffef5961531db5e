#pragma once
// The twin's history, one part the Twin owns (issue 4 "History"; docs/time-series.md "History and playback"):
// every applied live batch also goes to a background HistoryWriter (the update thread never waits on SQLite), and
// while the clock is not live values come from windows of the history file read by a background HistoryPlayback
// thread.
//
// The rule store() implements: clock live -> the live (in-memory) store (nullptr here). Clock paused or in playback
// -> the playback store, which holds the history window around the clock's time, as soon as a window covering the
// frame's time has loaded; until then (the first frames after a seek) the live store. So playback always shows
// what was recorded, whether or not the memory store still holds that time.
//
// Threads: everything here on the update thread; the writer and the playback reader run threads of their own.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "greentwin/connectors/history_config.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt::runtime {

class HistoryPlayback;  // history_playback.hpp

class History {
 public:
  History();
  ~History();  // stops the playback reader and the writer (which commits what it holds)
  History(const History&) = delete;
  History& operator=(const History&) = delete;

  // Opens the writer's store and the playback reader for [history] (no path: no history). A file that cannot be
  // opened is an error kept for status(); the twin runs on without history. `directory` must outlive this object.
  void start(const connectors::HistoryConfig& config, const std::string& path, const EntityDirectory& directory);
  bool enabled() const { return writer_ != nullptr; }

  // The batch just applied, handed to the writer (ids and names resolved on its thread through `entities`' tables).
  void record(std::span<const SampleUpdate> batch, const EntityStore& entities);

  // Once per frame, before the frame is built: keeps a window around the clock's time requested while the clock is
  // not live and swaps in the one that arrived. Attribute names the history knows that the twin does not are
  // registered in `attributes` (the window is then read again). Returns true when the store to read from changed
  // (a window swapped in, or a switch between live and playback).
  bool update(bool clockLive, TimePoint clockNow, TimePoint frameTime, AttributeRegistry& attributes);

  // The store values are read from at `frameTime`: the playback window, or nullptr for the live store.
  const TimeSeriesStore* store(bool clockLive, TimePoint frameTime) const;
  // True while the clock is not live and no window covering `t` has loaded (and the reader has not failed).
  bool waitingFor(bool clockLive, TimePoint t) const;

  struct Status {
    bool enabled = false;
    std::string path;
    gt::Status status;  // the open error, else the writer's or the reader's last error, else ok
    connectors::HistoryWriterStats writer;
    TimeRange window;   // the loaded window (when one is)
    bool windowLoaded = false;
    std::uint64_t windowSamples = 0;
    std::uint64_t windowsLoaded = 0;
  };
  Status status() const;

 private:
  gt::Status openStatus_;
  std::string path_;
  std::unique_ptr<connectors::HistoryWriter> writer_;
  std::unique_ptr<HistoryPlayback> playback_;
  std::shared_ptr<const connectors::HistoryNames> names_;  // id/name tables the writer resolves through
  TimeSeriesStore window_;         // the loaded history window
  bool loaded_ = false;
  bool pending_ = false;
  bool usingPlayback_ = false;     // what store() answered last frame, to report a switch
  TimeRange loadedRange_;
  TimeRange requestedRange_;
  std::uint64_t requestId_ = 0;
  TimePoint requestedAt_ = 0;      // wall time of the pending request
  TimePoint readAt_ = 0;           // wall time the loaded window was requested
  std::uint64_t windowSamples_ = 0;
  std::uint64_t windowsLoaded_ = 0;
};

}  // namespace gt::runtime
