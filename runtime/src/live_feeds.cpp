// The twin's live feeds (live_feeds.hpp). A zmq source records into its own FeedHealth (on its ingest thread);
// plugin sources record into pluginHealth() (twin_plugins.cpp). Any thread may read feed health: FeedHealth and the
// ingest counters are thread-safe.
#include "greentwin/runtime/live_feeds.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <unordered_map>

namespace gt::runtime {

LiveFeeds::LiveFeeds() = default;

LiveFeeds::~LiveFeeds() { ingests_.clear(); }

void LiveFeeds::startZmqSource(const SourceConfig& sc, const Config& config) {
  SourceFeeds& feeds = sourceFeeds_.emplace_back();
  SourceState state{sc.id, sc.endpoint, Status::ok()};
  connectors::ZmqIngestConfig ic;
  ic.endpoint = sc.endpoint;
  ic.bind = sc.bind;
  ic.topicPrefixes = sc.topics;
  ic.rateLimitUpdatesPerSecond = sc.rateLimit;
  // docs/security.md: CURVE + the allow-list unless the config says security = "none". Each source owns its
  // context, hence its own ZAP handler; its id is the ZAP domain (source= in audit lines).
  if (sc.security == "none") {
    ic.security.mode = connectors::IngestSecurity::Unauthenticated;
    spdlog::warn("source '{}': security = \"none\": UNAUTHENTICATED, anyone who can reach {} can feed the twin "
                 "(for a local demo only; docs/security.md)", sc.id, sc.endpoint);
  } else {
    ic.security.mode = connectors::IngestSecurity::Curve;
    ic.security.serverKeyFile = config.resolvePath(sc.serverKey);
    ic.security.allowListFile = config.resolvePath(sc.allowedKeys);
    ic.security.zapDomain = sc.id;
  }
  feeds.health = std::make_unique<FeedHealth>(pluginHealth_.config());
  auto ingest = std::make_unique<connectors::ZmqIngest>(ic, channel_, *feeds.health, directory_);
  state.status = ingest->start();
  if (state.status.isOk()) {
    spdlog::info("source '{}': listening on {}", sc.id, ingest->endpoint());
    state.endpoint = ingest->endpoint();
    feeds.ingest = ingest.get();
    ingests_.push_back(std::move(ingest));
  } else {
    spdlog::error("source '{}' ({}): {}", sc.id, sc.endpoint, state.status.message());
  }
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
  const TimePoint now = wallNow();  // receive times are wall times
  std::vector<PublisherHealth> all = pluginHealth_.snapshot(now);
  for (const SourceFeeds& feeds : sourceFeeds_) {
    if (!feeds.health) continue;
    for (PublisherHealth& p : feeds.health->snapshot(now)) all.push_back(std::move(p));
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
    source.endpoint = sc.type == "zmq" ? sc.endpoint : std::string();
    if (i < sourceStates_.size()) {
      source.status = sourceStates_[i].status;
      if (sc.type == "zmq") source.endpoint = sourceStates_[i].endpoint;
    }
    source.curve = sc.type == "zmq" && sc.security != "none";
    if (feeds.ingest != nullptr) source.ingest = feeds.ingest->stats();
    if (feeds.health) source.publishers = feeds.health->snapshot(now);
    if (!feeds.pluginPublisher.empty()) pluginSourceOf.emplace(feeds.pluginPublisher, out.size());
    out.push_back(std::move(source));
  }
  FeedSource unclaimed;
  for (PublisherHealth& p : pluginHealth_.snapshot(now)) {
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
