// A past moment without a window (issue 11, "headless at any time"): a feed recording loaded straight into the
// twin's value store through the live ingest's own per-message path (connectors/recording_loader.hpp), and a wait
// until the values the clock's time needs are there (the layers loaded; with a [history] file, the playback window
// around the time). What `greentwin render --replay FILE --time T` and goldens of the live twin are made from.
//
// Update thread (both run the loader / pump update() on the calling thread).

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <thread>

#include "greentwin/connectors/recording_loader.hpp"
#include "greentwin/runtime/twin.hpp"
#include "history.hpp"
#include "vehicle_claims.hpp"

namespace gt::runtime {

Result<connectors::RecordingLoadStats> Twin::replayRecording(const std::string& path, TimePoint until) {
  connectors::RecordingLoadOptions options;
  options.until = until;
  // New attribute names and vehicles under claimed prefixes become known only when the update thread registers them
  // (as live): dry passes register what the recording names, then one real pass applies every sample. A scratch
  // FeedHealth for the dry passes, so the real pass sees each sequence number once.
  constexpr int kMaxDryPasses = 3;
  for (int pass = 0; pass < kMaxDryPasses; ++pass) {
    feeds_->publish(entities_, true);
    FeedHealth scratch(feeds_->pluginHealth().config());
    auto dry = connectors::loadRecording(path, feeds_->directory(), scratch, [](std::span<const SampleUpdate>) {},
                                         options);
    if (!dry) return dry.status();
    const std::size_t entitiesBefore = entities_.size();
    const std::size_t attributesBefore = entities_.attributes().size();
    feeds_->registerNewAttributes(entities_.attributes());  // within the [feeds] limits, as live
    vehicles_->admit();  // ids a vehicles layer claims become entities
    if (entities_.size() == entitiesBefore && entities_.attributes().size() == attributesBefore) break;
  }
  feeds_->publish(entities_, true);
  options.intervals = [this](std::span<const EntityIndex> entities, Duration interval) {
    for (EntityIndex e : entities) stale_.noteInterval(e, interval);
  };
  auto stats = connectors::loadRecording(
      path, feeds_->directory(), feeds_->pluginHealth(),
      [this](std::span<const SampleUpdate> batch) {
        timeSeries_.append(batch);
        samplesApplied_ += batch.size();
      },
      options);
  if (!stats) return stats.status();
  spdlog::info("replay {}: {} messages, {} samples applied{}{}", path, stats->messages, stats->samples,
               stats->refused() ? fmt::format(", {} messages refused", stats->refused()) : "",
               stats->damage.isOk() ? "" : ", " + stats->damage.message());
  return stats;
}

Status Twin::waitForValues(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    update(std::numeric_limits<std::size_t>::max());
    const bool historyPending = history_->waitingFor(clock_.isLive(), clock_.now());
    if (!loading() && !historyPending) return settlePluginValues(deadline);
    if (std::chrono::steady_clock::now() > deadline) {
      return Status(ErrorCode::Internal, historyPending ? "the history window for the clock's time did not load in time"
                                                        : "layers still loading after the time limit");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

// Plugins derive values over several frames (a big layer in chunks a frame, each push applied on the next frame),
// and start only when they have looked up their layers' features (which they retry every few seconds while a layer
// is not there yet): frames at the clock's time until no value arrived for kQuiet and kQuietFrames frames running, so
// a render at T shows what the plugins derive from the values at T. Without active plugins nothing derives: no frames. Live feeds never go
// quiet: after at most kSettleLimit (or the caller's deadline) the render goes ahead with what is there.
Status Twin::settlePluginValues(std::chrono::steady_clock::time_point deadline) {
  constexpr auto kSettleLimit = std::chrono::seconds(20);
  deadline = std::min(deadline, std::chrono::steady_clock::now() + kSettleLimit);
  const auto plugins = pluginHost_->plugins();
  if (std::none_of(plugins.begin(), plugins.end(), [](const PluginInfo& p) { return p.state == PluginState::Active; })) {
    return Status::ok();
  }
  constexpr int kQuietFrames = 8;
  constexpr auto kQuiet = std::chrono::milliseconds(2500);
  int quiet = 0;
  auto quietSince = std::chrono::steady_clock::now();
  std::uint64_t seen = valuesVersion_;
  while (quiet < kQuietFrames || std::chrono::steady_clock::now() - quietSince < kQuiet) {
    beginFrame();
    update(std::numeric_limits<std::size_t>::max());
    if (valuesVersion_ != seen) {
      quiet = 0;
      quietSince = std::chrono::steady_clock::now();
    } else {
      ++quiet;
    }
    seen = valuesVersion_;
    if (std::chrono::steady_clock::now() > deadline) {
      spdlog::info("values still arriving after the wait for plugins to derive theirs: drawn as they are");
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return Status::ok();
}

}  // namespace gt::runtime
