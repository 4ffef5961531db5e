// The twin's history (issue 4 "History"; docs/time-series.md "History and playback"): every applied live batch
// also goes to a background HistoryWriter (the update thread never waits on SQLite), and while the clock is not
// live values come from windows of the history file read by a background HistoryPlayback thread.
//
// The rule valueStore() implements: clock live -> the live (in-memory) store. Clock paused or in playback -> the
// playback store, which holds the history window around the clock's time, as soon as a window covering the frame's
// time has loaded; until then (the first frames after a seek) the live store. So playback always shows what was
// recorded, whether or not the memory store still holds that time.

#include <spdlog/spdlog.h>

#include <filesystem>

#include "greentwin/connectors/history_config.hpp"
#include "greentwin/runtime/twin.hpp"
#include "history_playback.hpp"

namespace gt::runtime {
namespace {

// A window reaches this far either side of the clock's time; a new one is read when the clock comes within a
// quarter window of an edge (or leaves it), so a playback at 60x reads one window every ~15 wall seconds.
constexpr Duration kPlaybackHalfWindow = 30 * 60 * kMicrosPerSecond;
constexpr Duration kPlaybackMargin = kPlaybackHalfWindow / 2;
// At most this many samples per series in one window (1 Hz over the window is 3600): memory stays bounded.
constexpr std::size_t kPlaybackMaxRowsPerSeries = 8192;
// Times within this of when a window was read may have gained samples since; such a window is re-read this often.
constexpr Duration kPlaybackRecent = 60 * kMicrosPerSecond;
constexpr Duration kPlaybackRefresh = 2 * kMicrosPerSecond;

bool wellInside(const TimeRange& window, TimePoint t) {
  return t >= window.begin + kPlaybackMargin && t <= window.end - kPlaybackMargin;
}

}  // namespace

// Owning thread, from create(): opens the writer's store and the playback reader. A file that cannot be opened is
// an error shown in the status bar; the twin runs on without history.
void Twin::startHistory() {
  const connectors::HistoryConfig& hc = connectors::historyConfig(config_);
  if (hc.path.empty()) return;
  historyPath_ = config_.resolvePath(hc.path);
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::path(historyPath_).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  auto store = connectors::openSqliteHistory(historyPath_);
  if (!store) {
    historyOpenStatus_ = store.status();
    spdlog::error("history: {}", historyOpenStatus_.message());
    return;
  }
  connectors::HistoryWriterOptions wo;
  wo.flushInterval = std::chrono::milliseconds(hc.flushMs);
  historyWriter_ = std::make_unique<connectors::HistoryWriter>(std::move(*store), wo);
  HistoryPlaybackOptions po;
  po.retention = static_cast<Duration>(hc.retentionDays * 86400.0 * 1e6);
  po.maxRowsPerSeries = kPlaybackMaxRowsPerSeries;
  auto playback = HistoryPlayback::open(historyPath_, po, directory_);
  if (!playback) {
    historyOpenStatus_ = playback.status();
    spdlog::error("history playback: {}", historyOpenStatus_.message());
    return;
  }
  playback_ = std::move(*playback);
  spdlog::info("history: {} (retention {} days)", historyPath_, hc.retentionDays);
}

// Update thread: the batch just applied, as stable ids, handed to the writer (a move into its queue).
void Twin::recordHistory(std::span<const SampleUpdate> batch) {
  if (!historyWriter_ || batch.empty()) return;
  // The writer thread resolves ids and names (the update thread only copies the samples): refresh its tables
  // when entities or attributes were added.
  const AttributeRegistry& attributes = entities_.attributes();
  if (!historyNames_ || historyNames_->entityIds.size() != entities_.size() ||
      historyNames_->attributeNames.size() != attributes.size()) {
    auto names = std::make_shared<connectors::HistoryNames>();
    names->entityIds.reserve(entities_.size());
    for (std::size_t i = 0; i < entities_.size(); ++i) {
      const Entity* entity = entities_.get(static_cast<EntityIndex>(i));
      names->entityIds.push_back(entity != nullptr ? entity->id : std::string());
    }
    names->attributeNames.reserve(attributes.size());
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      const AttributeInfo* info = attributes.info(static_cast<AttributeId>(i));
      names->attributeNames.push_back(info != nullptr ? info->name : std::string());
    }
    historyNames_ = std::move(names);
  }
  historyWriter_->submit(std::vector<SampleUpdate>(batch.begin(), batch.end()), historyNames_);
}

// Update thread, once per frame: while the clock is not live, keeps a history window around the clock's time
// requested and swaps in the one that arrived (built on the playback thread).
void Twin::updatePlayback() {
  if (!playback_) return;
  // The playback thread resolves ids through the directory's snapshot: keep it current (layers that loaded,
  // attributes registered) even when no ingest runs.
  if (entities_.size() != publishedEntities_ || entities_.attributes().size() != publishedAttributes_) {
    directory_.publishFrom(entities_);
    publishedEntities_ = entities_.size();
    publishedAttributes_ = entities_.attributes().size();
  }
  bool askAgain = false;
  if (auto loaded = playback_->take(); loaded && loaded->requestId == playbackRequestId_) {
    playbackPending_ = false;
    if (!loaded->unknownAttributes.empty()) {
      // Attribute names are schema: one the history knows is registered like one a feed uses; the window is
      // read again with the next snapshot (published at the top of the next frame).
      for (const std::string& name : loaded->unknownAttributes) {
        if (auto id = entities_.attributes().intern(name); !id) {
          spdlog::warn("history attribute '{}': {}", name, id.status().message());
        }
      }
      askAgain = true;
    } else {
      playbackStore_ = std::move(loaded->store);
      playbackWindow_ = loaded->window;
      playbackReadAt_ = playbackRequestedAt_;
      playbackWindowSamples_ = loaded->samples;
      playbackLoaded_ = true;
      ++playbackWindowsLoaded_;
      liveDirty_ = true;  // recolour from the new values
      spdlog::debug("history window {} .. {}: {} series, {} samples, {} series of entities not loaded",
                    formatIsoTime(loaded->window.begin), formatIsoTime(loaded->window.end), loaded->series,
                    loaded->samples, loaded->unknownEntitySeries);
    }
  }
  if (clock_.isLive()) {
    if (usingPlayback_) liveDirty_ = true;
    usingPlayback_ = false;
    return;
  }
  const TimePoint t = clock_.now();
  const TimePoint wall = wallNow();
  // A window read when its times were recent misses what was committed since: near that edge (playing back the
  // last minutes), read it again every kPlaybackRefresh.
  const bool stale = playbackLoaded_ && t + kPlaybackRecent >= playbackReadAt_ && wall - playbackReadAt_ > kPlaybackRefresh;
  const bool loadedCovers = playbackLoaded_ && wellInside(playbackWindow_, t) && !stale;
  const bool pendingCovers = playbackPending_ && wellInside(playbackRequested_, t);
  if (askAgain || (!loadedCovers && !pendingCovers)) {
    playbackRequested_ = {t - kPlaybackHalfWindow, t + kPlaybackHalfWindow};
    playbackRequestedAt_ = wall;
    playbackRequestId_ = playback_->request(playbackRequested_);
    playbackPending_ = true;
  }
  const bool use = playbackLoaded_ && playbackWindow_.contains(frameTime_);
  if (use != usingPlayback_) liveDirty_ = true;
  usingPlayback_ = use;
}

const TimeSeriesStore& Twin::valueStore() const {
  if (playback_ && !clock_.isLive() && playbackLoaded_ && playbackWindow_.contains(frameTime_)) return playbackStore_;
  return timeSeries_;
}

Twin::HistoryStatus Twin::historyStatus() const {
  HistoryStatus s;
  s.enabled = !connectors::historyConfig(config_).path.empty();
  s.path = historyPath_;
  s.status = historyOpenStatus_;
  if (historyWriter_) {
    s.writer = historyWriter_->stats();
    if (s.status.isOk()) s.status = historyWriter_->lastError();
  }
  if (playback_ && s.status.isOk()) s.status = playback_->lastError();
  s.playback = &valueStore() == &playbackStore_;
  if (playbackLoaded_) s.window = playbackWindow_;
  s.windowSamples = playbackWindowSamples_;
  s.windowsLoaded = playbackWindowsLoaded_;
  return s;
}

}  // namespace gt::runtime
