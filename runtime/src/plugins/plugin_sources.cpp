// Plugin sources: creating and starting a source for a [[sources]] entry of a plugin type, polling the polled ones
// each frame, stopping and destroying them when their plugin is disabled; and each running source's identity for
// feed health (its publisher, expected interval, and which source a push is attributed to).
//
// Threads: the host's calls into a source (create, start, poll, stop, destroy) run on the update thread, inside a
// SourceCallbackScope so that pushes made during them are that source's. A source with its own thread (no poll)
// pushes from there through host_api.cpp, which reads the record's feeds under feedMu; they are changed here under
// the same mutex.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <utility>

#include "plugin_host_internal.hpp"

namespace gt::runtime {

using detail::guardedCall;
using detail::SourceCallbackScope;

namespace {

// The source whose callback runs on this thread now (SourceCallbackScope).
thread_local const PluginHost::Record* tCallbackRecord = nullptr;
thread_local PluginHost::SourceFeed* tCallbackFeed = nullptr;

}  // namespace

namespace detail {

SourceCallbackScope::SourceCallbackScope(const PluginHost::Record* record, PluginHost::SourceFeed* feed)
    : record_(tCallbackRecord), feed_(tCallbackFeed) {
  tCallbackRecord = record;
  tCallbackFeed = feed;
}

SourceCallbackScope::~SourceCallbackScope() {
  tCallbackRecord = record_;
  tCallbackFeed = feed_;
}

PluginHost::SourceFeed* callbackFeed(const PluginHost::Record& record) {
  return tCallbackRecord == &record ? tCallbackFeed : nullptr;
}

}  // namespace detail

bool PluginHost::providesSourceType(const std::string& type) const {
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_source_type* s : r->sourceTypes) {
      if (type == s->id) return true;
    }
  }
  return false;
}

std::vector<std::string> PluginHost::sourceTypes() const {
  std::vector<std::string> out;
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_source_type* s : r->sourceTypes) out.emplace_back(s->id);
  }
  return out;
}

Status PluginHost::startSource(const SourceConfig& config) {
  Record* record = nullptr;
  const gt_source_type* type = nullptr;
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_source_type* s : r->sourceTypes) {
      if (config.type == s->id) {
        record = r.get();
        type = s;
      }
    }
    if (type != nullptr) break;
  }
  if (type == nullptr) {
    return Status(ErrorCode::NotFound, "no active plugin provides source type '" + config.type + "'");
  }
  std::vector<gt_key_value> options;
  options.reserve(config.options.size());
  for (const ConfigValue& v : config.options) options.push_back(gt_key_value{sizeof(gt_key_value), v.key.c_str(), v.value.c_str()});
  std::vector<const gt_key_value*> optionPtrs;
  for (const gt_key_value& kv : options) optionPtrs.push_back(&kv);

  auto source = std::make_unique<RunningSource>();
  source->record = record;
  source->type = type;
  source->id = config.id;
  source->feed = std::make_shared<SourceFeed>();
  source->feed->publisher = feedPublisher(record->info.id, config.id);
  source->feed->sourceId = config.id;
  source->feed->type = config.type;
  source->feed->polled = type->poll != nullptr;
  source->feed->declared = config.intervalS > 0;
  source->feed->interval = source->feed->declared ? static_cast<Duration>(config.intervalS * kMicrosPerSecond)
                           : source->feed->polled ? kMinPolledFeedInterval
                                                  : 0;
  std::string failure;
  auto fail = [&](const std::string& message) { failure = message; };
  const gt_status created = guardedCall(
      *record, "source '" + config.id + "' create",
      [&] {
        const SourceCallbackScope scope(record, source->feed.get());
        return type->create(type->user, config.id.c_str(), optionPtrs.data(),
                            static_cast<std::uint32_t>(optionPtrs.size()), &source->state);
      },
      fail, {GT_ERR_INVALID_ARGUMENT});
  if (created == GT_ERR_INVALID_ARGUMENT) {  // bad options: this source is refused, the plugin stays
    const std::string why = record->takeLastError();
    return Status(ErrorCode::InvalidArgument, "source '" + config.id + "': " + (why.empty() ? "options refused" : why));
  }
  if (created != GT_OK) {
    disableRecord(*record, failure);
    return Status(ErrorCode::Internal, "plugin '" + record->info.id + "' disabled: " + failure);
  }
  RunningSource& s = *source;
  {
    std::lock_guard lock(record->feedMu);
    record->feeds.push_back(s.feed);
  }
  sources_.push_back(std::move(source));
  const gt_status started = guardedCall(
      *record, "source '" + config.id + "' start",
      [&] {
        const SourceCallbackScope scope(record, s.feed.get());
        return s.type->start(s.state);
      },
      fail);
  if (started != GT_OK) {
    // start failed: the source never ran; the plugin is disabled (which destroys its sources).
    disableRecord(*record, failure);
    return Status(ErrorCode::Internal, "plugin '" + record->info.id + "' disabled: " + failure);
  }
  s.started = true;
  return Status::ok();
}

std::size_t PluginHost::runningSources() const { return sources_.size(); }

std::string PluginHost::feedPublisher(std::string_view pluginId, std::string_view sourceId) {
  return "plugin:" + std::string(pluginId) + "/" + std::string(sourceId);
}

std::vector<PluginSourceFeed> PluginHost::sourceFeeds() const {
  std::vector<PluginSourceFeed> out;
  out.reserve(sources_.size());
  for (const auto& s : sources_) {
    out.push_back({s->feed->sourceId, s->record->info.id, s->feed->type, s->feed->publisher, s->feed->polled,
                   s->feed->interval.load(std::memory_order_relaxed)});
  }
  return out;
}

void PluginHost::poll(TimePoint clockNow) {
  for (auto& r : records_) {
    if (r->info.state == PluginState::Active && r->failed.load(std::memory_order_acquire)) {
      std::string message;
      {
        std::lock_guard lock(r->errorMu);
        message = r->failMessage;
      }
      disableRecord(*r, "reported a failure: " + message);
    }
  }
  // A failing poll disables its plugin, which erases that plugin's sources: poll from a list taken first and skip
  // sources whose plugin is no longer active (records are never erased, so their pointers stay valid).
  // A polled source is expected to push about once per poll: the poll period (wall time) is its feed interval.
  const auto now = std::chrono::steady_clock::now();
  Duration period = 0;
  if (lastPoll_ != std::chrono::steady_clock::time_point{}) {
    period = std::chrono::duration_cast<std::chrono::microseconds>(now - lastPoll_).count();
  }
  lastPoll_ = now;
  std::vector<std::pair<Record*, RunningSource*>> polled;
  for (const auto& s : sources_) {
    if (s->type->poll != nullptr) polled.emplace_back(s->record, s.get());
  }
  for (auto [record, source] : polled) {
    if (record->info.state != PluginState::Active) continue;
    if (!source->feed->declared) {
      source->feed->interval.store(std::max(period, kMinPolledFeedInterval), std::memory_order_relaxed);
    }
    std::uint64_t before = 0;
    {
      std::lock_guard lock(record->feedMu);
      before = source->feed->sequence;
    }
    // Under the watchdog: the call owns copies of what it uses (it may outlive this frame if abandoned).
    const bool ok = GT_OK == detail::watchedCall(
        *record, "source '" + source->id + "' poll",
        [record = record, feed = source->feed, type = source->type, state = source->state, clockNow] {
          const SourceCallbackScope scope(record, feed.get());
          return type->poll(state, clockNow);
        },
        [&](const std::string& m) { disableRecord(*record, m); });
    // A polled source that derives values pushes only when its inputs changed; polled without error it is alive, so
    // a poll without a push counts as an empty message (a heartbeat) for feed health: it reads LIVE while it runs and
    // STALE only when it stops being polled (its plugin disabled), not whenever its inputs are quiet.
    if (ok && record->info.state == PluginState::Active) {
      std::lock_guard lock(record->feedMu);
      if (source->feed->sequence == before) {
        services_.recordFeed(source->feed->publisher, ++source->feed->sequence,
                             source->feed->interval.load(std::memory_order_relaxed), 0);
      }
    }
  }
}

void PluginHost::stopSources(Record& record) {
  for (auto it = sources_.begin(); it != sources_.end();) {
    RunningSource& s = **it;
    if (s.record != &record) {
      ++it;
      continue;
    }
    // Failures while shutting a failed plugin down are only logged. A hung plugin's sources are left as they are:
    // stopping one would wait on what its hung call holds.
    if (record.hung.load(std::memory_order_acquire)) {
      spdlog::warn("plugin '{}': source '{}' left running (the plugin is hung)", record.info.id, s.id);
    } else {
      try {
        const SourceCallbackScope scope(&record, s.feed.get());
        if (s.started) (void)s.type->stop(s.state);
        s.type->destroy(s.state);
      } catch (...) {
        spdlog::error("plugin '{}': source '{}' threw while stopping", record.info.id, s.id);
      }
    }
    {
      std::lock_guard lock(record.feedMu);
      std::erase(record.feeds, s.feed);
    }
    it = sources_.erase(it);
  }
}

}  // namespace gt::runtime
