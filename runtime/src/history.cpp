#include "history.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>

#include "greentwin/connectors/pg_history.hpp"
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

History::History() = default;
History::~History() = default;

void History::start(const connectors::HistoryConfig& config, const std::string& path, const EntityDirectory& directory) {
  if (!config.enabled()) return;
  const bool postgres = config.store == connectors::HistoryBackendKind::Postgresql;
  // What the status bar and the log name: the file, or the database (never the conninfo: it may hold a password).
  path_ = postgres ? connectors::describePgHistory(config.url) : path;
  if (!postgres) {
    std::error_code ec;
    const std::filesystem::path parent = std::filesystem::path(path_).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  }
  // The writer's store and playback's: two connections (SQLite: WAL lets playback read while the writer commits;
  // PostgreSQL: two sessions, as any other twin reading the same database).
  const auto openStore = [&](bool playback) -> Result<std::unique_ptr<connectors::HistoryStore>> {
    if (postgres) {
      connectors::PgHistoryOptions po;
      po.resolutions.insert(config.resolutions.begin(), config.resolutions.end());
      return connectors::openPgHistory(config.url, po);
    }
    connectors::SqliteHistoryOptions so;
    so.resolutions.insert(config.resolutions.begin(), config.resolutions.end());
    if (playback) so.openCheck = connectors::HistoryOpenCheck::None;  // the writer's connection checked the file
    return connectors::openSqliteHistory(path_, so);
  };
  auto store = openStore(false);
  if (!store) {
    openStatus_ = store.status();
    spdlog::error("history: {}", openStatus_.message());
    return;
  }
  connectors::HistoryWriterOptions wo;
  wo.flushInterval = std::chrono::milliseconds(config.flushMs);
  writer_ = std::make_unique<connectors::HistoryWriter>(std::move(*store), wo);
  HistoryPlaybackOptions po;
  po.retention = static_cast<Duration>(config.retentionDays * 86400.0 * 1e6);
  po.retention1m = static_cast<Duration>(config.retention1mDays * 86400.0 * 1e6);
  po.retention1h = static_cast<Duration>(config.retention1hDays * 86400.0 * 1e6);
  po.maxRowsPerSeries = kPlaybackMaxRowsPerSeries;
  auto playbackStore = openStore(true);
  if (!playbackStore) {
    openStatus_ = playbackStore.status();
    spdlog::error("history playback: {}", openStatus_.message());
    return;
  }
  playback_ = HistoryPlayback::open(std::move(*playbackStore), po, directory);
  spdlog::info("history: {} (retention {} days)", path_, config.retentionDays);
}

void History::record(std::span<const SampleUpdate> batch, const EntityStore& entities) {
  if (!writer_ || batch.empty()) return;
  // The writer thread resolves ids and names (the update thread only copies the samples): refresh its tables
  // when entities or attributes were added.
  const AttributeRegistry& attributes = entities.attributes();
  if (!names_ || names_->entityIds.size() != entities.size() || names_->attributeNames.size() != attributes.size()) {
    auto names = std::make_shared<connectors::HistoryNames>();
    names->entityIds.reserve(entities.size());
    for (std::size_t i = 0; i < entities.size(); ++i) {
      const Entity* entity = entities.get(static_cast<EntityIndex>(i));
      names->entityIds.push_back(entity != nullptr ? entity->id : std::string());
    }
    names->attributeNames.reserve(attributes.size());
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      const AttributeInfo* info = attributes.info(static_cast<AttributeId>(i));
      names->attributeNames.push_back(info != nullptr ? info->name : std::string());
    }
    names_ = std::move(names);
  }
  writer_->submit(std::vector<SampleUpdate>(batch.begin(), batch.end()), names_);
}

bool History::update(bool clockLive, TimePoint clockNow, TimePoint frameTime, AttributeRegistry& attributes) {
  if (!playback_) return false;
  bool changed = false;
  bool askAgain = false;
  if (auto loaded = playback_->take(); loaded && loaded->requestId == requestId_) {
    pending_ = false;
    if (!loaded->unknownAttributes.empty()) {
      // Attribute names are schema: one the history knows is registered like one a feed uses; the window is
      // read again with the next snapshot (published at the top of the next frame).
      for (const std::string& name : loaded->unknownAttributes) {
        if (auto id = attributes.intern(name); !id) {
          spdlog::warn("history attribute '{}': {}", name, id.status().message());
        }
      }
      askAgain = true;
    } else {
      window_ = std::move(loaded->store);
      loadedRange_ = loaded->window;
      readAt_ = requestedAt_;
      windowSamples_ = loaded->samples;
      loaded_ = true;
      ++windowsLoaded_;
      changed = true;  // layers draw from the new window at once
      spdlog::debug("history window {} .. {}: {} series, {} samples, {} series of entities not loaded",
                    formatIsoTime(loaded->window.begin), formatIsoTime(loaded->window.end), loaded->series,
                    loaded->samples, loaded->unknownEntitySeries);
    }
  }
  if (clockLive) {
    if (usingPlayback_) changed = true;
    usingPlayback_ = false;
    return changed;
  }
  const TimePoint wall = wallNow();
  // A window read when its times were recent misses what was committed since: near that edge (playing back the
  // last minutes), read it again every kPlaybackRefresh.
  const bool stale = loaded_ && clockNow + kPlaybackRecent >= readAt_ && wall - readAt_ > kPlaybackRefresh;
  const bool loadedCovers = loaded_ && wellInside(loadedRange_, clockNow) && !stale;
  const bool pendingCovers = pending_ && wellInside(requestedRange_, clockNow);
  if (askAgain || (!loadedCovers && !pendingCovers)) {
    requestedRange_ = {clockNow - kPlaybackHalfWindow, clockNow + kPlaybackHalfWindow};
    requestedAt_ = wall;
    requestId_ = playback_->request(requestedRange_);
    pending_ = true;
  }
  const bool use = loaded_ && loadedRange_.contains(frameTime);
  if (use != usingPlayback_) changed = true;
  usingPlayback_ = use;
  return changed;
}

const TimeSeriesStore* History::store(bool clockLive, TimePoint frameTime) const {
  if (playback_ && !clockLive && loaded_ && loadedRange_.contains(frameTime)) return &window_;
  return nullptr;
}

bool History::waitingFor(bool clockLive, TimePoint t) const {
  return playback_ && !clockLive && playback_->lastError().isOk() && !(loaded_ && loadedRange_.contains(t));
}

History::Status History::status() const {
  Status s;
  s.enabled = !path_.empty();
  s.path = path_;
  s.status = openStatus_;
  if (writer_) {
    s.writer = writer_->stats();
    if (s.status.isOk()) s.status = writer_->lastError();
  }
  if (playback_ && s.status.isOk()) s.status = playback_->lastError();
  s.windowLoaded = loaded_;
  if (loaded_) s.window = loadedRange_;
  s.windowSamples = windowSamples_;
  s.windowsLoaded = windowsLoaded_;
  return s;
}

}  // namespace gt::runtime
