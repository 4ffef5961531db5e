// The Twin's feed health (issue 4, "Ingest path"): every source's publishers for the status bar and the
// feed-health panel. A source of a registered type (zmq) records into its own FeedHealth (on its ingest
// thread); plugin sources record into feedHealth_ (twin_plugins.cpp). Any thread may read: FeedHealth and the
// ingest counters are thread-safe.
#include <algorithm>
#include <unordered_map>

#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {

std::vector<PublisherHealth> Twin::feedHealth() const {
  const TimePoint now = wallNow();  // receive times are wall times
  std::vector<PublisherHealth> all = feedHealth_.snapshot(now);
  for (const SourceFeeds& feeds : sourceFeeds_) {
    const FeedHealth* health = feeds.source != nullptr ? feeds.source->health() : nullptr;
    if (health == nullptr) continue;
    for (PublisherHealth& p : health->snapshot(now)) all.push_back(std::move(p));
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const PublisherHealth& a, const PublisherHealth& b) { return a.publisher < b.publisher; });
  return all;
}

std::vector<Twin::FeedSource> Twin::feedSources(TimePoint now) const {
  std::vector<FeedSource> out;
  out.reserve(config_.sources.size() + 1);
  // Plugin publishers go to the source that claims them; the rest (pushes no single source could claim) last.
  std::unordered_map<std::string, std::size_t> pluginSourceOf;
  for (std::size_t i = 0; i < config_.sources.size() && i < sourceFeeds_.size(); ++i) {
    const SourceConfig& sc = config_.sources[i];
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
  for (PublisherHealth& p : feedHealth_.snapshot(now)) {
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
