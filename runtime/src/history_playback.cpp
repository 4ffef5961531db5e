#include "history_playback.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace gt::runtime {

Result<std::unique_ptr<HistoryPlayback>> HistoryPlayback::open(const std::string& path,
                                                               HistoryPlaybackOptions options,
                                                               const EntityDirectory& directory) {
  connectors::SqliteHistoryOptions so;
  so.openCheck = connectors::HistoryOpenCheck::None;  // the writer's connection checked the file already
  auto store = connectors::openSqliteHistory(path, so);
  if (!store) return store.status();
  return open(std::move(*store), options, directory);
}

std::unique_ptr<HistoryPlayback> HistoryPlayback::open(std::unique_ptr<connectors::HistoryStore> store,
                                                       HistoryPlaybackOptions options,
                                                       const EntityDirectory& directory) {
  return std::unique_ptr<HistoryPlayback>(new HistoryPlayback(std::move(store), options, directory));
}

HistoryPlayback::HistoryPlayback(std::unique_ptr<connectors::HistoryStore> store, HistoryPlaybackOptions options,
                                 const EntityDirectory& directory)
    : store_(std::move(store)), options_(options), directory_(directory) {
  thread_ = std::thread([this] { run(); });
}

HistoryPlayback::~HistoryPlayback() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::uint64_t HistoryPlayback::request(TimeRange window) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(mutex_);
    pending_ = window;
    pendingId_ = id = nextId_++;
  }
  wake_.notify_all();
  return id;
}

std::optional<PlaybackWindow> HistoryPlayback::take() {
  std::lock_guard lock(mutex_);
  std::optional<PlaybackWindow> out = std::move(ready_);
  ready_.reset();
  return out;
}

Status HistoryPlayback::lastError() const {
  std::lock_guard lock(mutex_);
  return lastError_;
}

std::uint64_t HistoryPlayback::windowsRead() const {
  std::lock_guard lock(mutex_);
  return windowsRead_;
}

std::uint64_t HistoryPlayback::retentionRuns() const {
  std::lock_guard lock(mutex_);
  return retentionRuns_;
}

// The playback thread.
PlaybackWindow HistoryPlayback::read(std::uint64_t id, TimeRange window) {
  PlaybackWindow out;
  out.requestId = id;
  out.window = window;
  out.store = TimeSeriesStore(RetentionPolicy{std::max<std::size_t>(options_.maxRowsPerSeries, 1), 0});
  const std::shared_ptr<const DirectorySnapshot> snapshot = directory_.snapshot();
  const auto now = std::chrono::steady_clock::now();
  if (seriesCache_.empty() || now - seriesListedAt_ > options_.seriesRefresh) {
    auto listed = store_->series();
    if (!listed) {
      out.status = listed.status();
      return out;
    }
    seriesCache_ = std::move(*listed);
    seriesListedAt_ = now;
  }
  // The series of entities and attributes the twin knows, read together (HistoryStore::summaries: PostgreSQL reads
  // the window of all of them in a few statements).
  std::vector<connectors::HistorySeries> known;
  std::vector<std::pair<EntityIndex, AttributeId>> keys;
  for (const connectors::HistorySeries& s : seriesCache_) {
    const auto entity = snapshot->findEntity(s.entityId);
    if (!entity) {
      ++out.unknownEntitySeries;
      continue;
    }
    const auto attribute = snapshot->findAttribute(s.attribute);
    if (!attribute) {
      if (std::find(out.unknownAttributes.begin(), out.unknownAttributes.end(), s.attribute) ==
          out.unknownAttributes.end()) {
        out.unknownAttributes.push_back(s.attribute);
      }
      continue;
    }
    known.push_back(s);
    keys.emplace_back(*entity, *attribute);
  }
  std::size_t next = 0;
  out.status = store_->summaries(
      known, window.begin, window.end, options_.maxRowsPerSeries,
      [&](const connectors::HistorySeries&, connectors::HistorySummary&& rows) {
        const auto [entity, attribute] = keys[next++];
        if (rows.buckets.empty()) return Status::ok();
        // Raw: the samples. Else one value per bucket, its mean, at the bucket's start (a step plays it from there).
        for (const connectors::HistoryBucket& b : rows.buckets) out.store.append(entity, attribute, b.time, b.mean);
        out.samples += rows.buckets.size();
        ++out.series;
        return Status::ok();
      });
  return out;
}

void HistoryPlayback::run() {
  auto nextRetention = std::chrono::steady_clock::now();
  const bool retains = options_.retention > 0 || options_.retention1m > 0 || options_.retention1h > 0;
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (pending_) {
      const TimeRange window = *pending_;
      const std::uint64_t id = pendingId_;
      pending_.reset();
      lock.unlock();
      PlaybackWindow result = read(id, window);
      lock.lock();
      if (!result.status.isOk()) {
        spdlog::warn("history playback: {}", result.status.message());
        lastError_ = result.status;
      }
      ++windowsRead_;
      ready_ = std::move(result);
      continue;
    }
    if (retains && std::chrono::steady_clock::now() >= nextRetention) {
      lock.unlock();
      const TimePoint now = wallNow();
      const auto cutoff = [now](Duration keep) { return keep > 0 ? now - keep : connectors::kNoCutoff; };
      const connectors::HistoryCutoffs cutoffs{cutoff(options_.retention), cutoff(options_.retention1m),
                                               cutoff(options_.retention1h)};
      const auto r = store_->applyLevelRetention(cutoffs);
      lock.lock();
      ++retentionRuns_;
      if (!r) {
        spdlog::warn("history retention: {}", r.status().message());
        lastError_ = r.status();
      } else {
        spdlog::debug("history retention: {} blocks deleted, {} trimmed in {} transactions", r->blocksDeleted,
                      r->blocksTrimmed, r->transactions);
      }
      nextRetention = std::chrono::steady_clock::now() + options_.retentionEvery;
      continue;
    }
    if (retains) {
      wake_.wait_until(lock, nextRetention, [this] { return stopping_ || pending_.has_value(); });
    } else {
      wake_.wait(lock, [this] { return stopping_ || pending_.has_value(); });
    }
  }
}

}  // namespace gt::runtime
