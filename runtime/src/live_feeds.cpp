// The twin's live feeds (live_feeds.hpp). A source of a registered type (zmq) records into its own FeedHealth (on
// its ingest thread);
// plugin sources record into pluginHealth() (twin_plugins.cpp). Any thread may read feed health: FeedHealth and the
// ingest counters are thread-safe.
#include "greentwin/runtime/live_feeds.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>

namespace gt::runtime {

LiveFeeds::LiveFeeds() = default;

LiveFeeds::~LiveFeeds() { sources_.clear(); }

void LiveFeeds::startSource(const SourceConfig& sc, const SourceRegistry::Type& type, const Config& config) {
  SourceFeeds& feeds = sourceFeeds_.emplace_back();
  std::unique_ptr<LiveSource> source = type.factory(sc, SourceContext{channel_, directory_, pluginHealth_.config(), config});
  SourceState state{sc.id, source->endpoint(), source->start()};
  if (state.status.isOk()) {
    // Neutral wording: a source binds or connects to its endpoint as its own settings say.
    spdlog::info("source '{}': receiving on {}", sc.id, source->endpoint());
    state.endpoint = source->endpoint();
  } else {
    spdlog::error("source '{}' ({}): {}", sc.id, state.endpoint, state.status.message());
  }
  feeds.source = source.get();
  sources_.push_back(std::move(source));
  sourceStates_.push_back(std::move(state));
}

void LiveFeeds::addPluginSource(const SourceConfig& source, Status status, const std::string& publisher,
                                Duration interval) {
  SourceFeeds& feeds = sourceFeeds_.emplace_back();
  if (status.isOk() && !publisher.empty()) {
    // Feed health: the source is a publisher from now on (NEVER_SEEN until its first push, STALE when it stops).
    pluginHealth_.expect(publisher, interval);
    feeds.pluginPublisher = publisher;
  }
  sourceStates_.push_back({source.id, source.type, std::move(status)});
}

void LiveFeeds::publish(const EntityStore& entities, bool force) {
  if (!force && published_ && entities.size() == publishedEntities_ &&
      entities.attributes().size() == publishedAttributes_) {
    return;
  }
  directory_.publishFrom(entities);
  publishedEntities_ = entities.size();
  publishedAttributes_ = entities.attributes().size();
  published_ = true;
}

std::span<const SampleUpdate> LiveFeeds::drain(StaleRule& stale) {
  // Declared intervals first (the ingest notes them before the samples they came with).
  if (channel_.drainIntervals(intervalNotes_) != 0) stale.noteIntervals(intervalNotes_);
  drained_.clear();
  samplesDrained_ += channel_.drain(drained_);
  return drained_;
}

std::vector<PublisherHealth> LiveFeeds::feedHealth() const {
  return feedHealth(wallNow());  // receive times are wall times
}

void LiveFeeds::notePluginPoll(TimePoint when, std::vector<std::string> publishers) {
  std::lock_guard lock(pollMu_);
  lastPluginPoll_ = when;
  polledPublishers_.clear();
  for (std::string& p : publishers) polledPublishers_.insert(std::move(p));
}

std::vector<PublisherHealth> LiveFeeds::pluginSnapshot(TimePoint now) const {
  std::vector<PublisherHealth> all = pluginHealth_.snapshot(now);
  std::lock_guard lock(pollMu_);
  if (polledPublishers_.empty() || lastPluginPoll_ == kNoTime || lastPluginPoll_ >= now) return all;
  for (PublisherHealth& p : all) {
    if (p.state == FeedState::Stale && polledPublishers_.contains(p.publisher)) {
      p = pluginHealth_.health(p.publisher, lastPluginPoll_);
    }
  }
  return all;
}

std::vector<PublisherHealth> LiveFeeds::feedHealth(TimePoint now) const {
  std::vector<PublisherHealth> all = pluginSnapshot(now);
  for (const SourceFeeds& feeds : sourceFeeds_) {
    const FeedHealth* health = feeds.source != nullptr ? feeds.source->health() : nullptr;
    if (health == nullptr) continue;
    for (PublisherHealth& p : health->snapshot(now)) all.push_back(std::move(p));
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const PublisherHealth& a, const PublisherHealth& b) { return a.publisher < b.publisher; });
  return all;
}

std::vector<FeedSource> LiveFeeds::feedSources(const std::vector<SourceConfig>& configured, TimePoint now) const {
  std::vector<FeedSource> out;
  out.reserve(configured.size() + 1);
  // Plugin publishers go to the source that claims them; the rest (pushes no single source could claim) last.
  std::unordered_map<std::string, std::size_t> pluginSourceOf;
  for (std::size_t i = 0; i < configured.size() && i < sourceFeeds_.size(); ++i) {
    const SourceConfig& sc = configured[i];
    const SourceFeeds& feeds = sourceFeeds_[i];
    FeedSource source;
    source.id = sc.id;
    source.type = sc.type;
    if (i < sourceStates_.size()) source.status = sourceStates_[i].status;
    if (feeds.source != nullptr) {  // a registered type's (plugin sources have no endpoint of their own)
      source.plugin = false;
      source.endpoint = feeds.source->endpoint();
      source.curve = feeds.source->secure();
      source.ingest = feeds.source->ingestStats();
      if (const FeedHealth* health = feeds.source->health()) source.publishers = health->snapshot(now);
    }
    if (!feeds.pluginPublisher.empty()) pluginSourceOf.emplace(feeds.pluginPublisher, out.size());
    out.push_back(std::move(source));
  }
  FeedSource unclaimed;
  for (PublisherHealth& p : pluginSnapshot(now)) {
    auto it = pluginSourceOf.find(p.publisher);
    (it != pluginSourceOf.end() ? out[it->second] : unclaimed).publishers.push_back(std::move(p));
  }
  if (!unclaimed.publishers.empty()) {
    unclaimed.type = "plugin";
    out.push_back(std::move(unclaimed));
  }
  return out;
}

}  // namespace gt::runtime
