#pragma once
// The twin's live feeds, one part the Twin owns (issue 4 "Ingest path"; docs/protocol.md): the [[sources]] (sources
// of a registered type — zmq: one ZmqIngest thread each, zmq_source.hpp; plugin sources are started by the plugin
// host and recorded here), the bounded
// UpdateChannel they all push into, the EntityDirectory they resolve names through, and feed health per source and
// publisher. The update thread drains the channel once per frame (drain()).
//
// Threads: construction, start, publish and drain on the update thread; the ingest threads use the channel, the
// directory and their FeedHealth (thread-safe); feedHealth() and sources() may be read from any thread.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "greentwin/connectors/feed_attributes.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/stale_rule.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/update_channel.hpp"
#include "greentwin/runtime/source_registry.hpp"

namespace gt::runtime {

// A configured source as the status bar sees it.
struct SourceState {
  std::string id;
  std::string endpoint;
  Status status;  // why it is not running, or ok
};

// The feed-health panel's input: a [[sources]] entry with its publishers.
struct FeedSource {
  std::string id;
  std::string type;      // a registered source type ("zmq") or the plugin source type
  std::string endpoint;  // a registered type's: the bound or connected endpoint
  Status status;         // why it is not running, or ok
  bool curve = false;    // a source whose publishers are authenticated (zmq: CURVE)
  bool plugin = true;    // started by a plugin (no endpoint or security of its own), not a registered type
  std::optional<connectors::ZmqIngestStats> ingest;  // a zmq source that started: its counters
  std::vector<PublisherHealth> publishers;
};

class LiveFeeds {
 public:
  static constexpr std::size_t kChannelCapacity = std::size_t{1} << 20;

  LiveFeeds();
  ~LiveFeeds();  // stops the ingest threads before the channel, health and directory they use
  LiveFeeds(const LiveFeeds&) = delete;
  LiveFeeds& operator=(const LiveFeeds&) = delete;

  // Creates and starts a [[sources]] entry of a registered type (paths resolved against `config`); a source that
  // cannot start is kept with its error.
  void startSource(const SourceConfig& source, const SourceRegistry::Type& type, const Config& config);
  // A plugin source's entry (started by the plugin host): its status, and its publisher for feed health ("" when
  // it did not start).
  void addPluginSource(const SourceConfig& source, Status status, const std::string& publisher, Duration interval);

  UpdateChannel& channel() { return channel_; }
  EntityDirectory& directory() { return directory_; }
  const EntityDirectory& directory() const { return directory_; }
  // Plugin sources' publishers (PluginServices::recordFeed) and replayed recordings record here.
  FeedHealth& pluginHealth() { return pluginHealth_; }

  // The attribute names the feeds reported unknown since the last call, registered in `attributes` within the
  // [feeds] limits (setAttributeLimits; the others refused, counted and logged: feed_attributes.hpp). Update thread.
  void registerNewAttributes(AttributeRegistry& attributes) {
    attributeGate_.admit(attributes, directory_.takeUnknownAttributes());
  }
  void setAttributeLimits(const connectors::FeedsConfig& limits) { attributeGate_.setLimits(limits); }
  std::uint64_t refusedAttributeNames() const { return attributeGate_.refusedNames(); }

  // Republishes the directory from `entities` when entities or attributes were added since the last publish (or
  // always with force). Update thread.
  void publish(const EntityStore& entities, bool force = false);
  // True when anything may push: an ingest runs or samples wait (plugin sources are the caller's to know).
  bool active() const { return !sources_.empty() || channel_.size() != 0; }
  // The samples that arrived since the last drain (valid until the next), after noting the declared intervals that
  // came with them in `stale`. Update thread.
  std::span<const SampleUpdate> drain(StaleRule& stale);
  std::uint64_t samplesDrained() const { return samplesDrained_; }

  // The plugin host has just polled its polled sources (update thread, after PluginHost::poll; `when` a wall time):
  // `publishers` are those of the polled sources of active plugins. A polled source can push only when it is polled,
  // so its silence is judged up to the host's last poll, not up to now: a twin whose update thread is busy (a long
  // KPI computation, a render on a machine short of CPU) does not make its plugins' feeds read STALE. A polled source
  // no longer polled (its plugin disabled) drops out of `publishers` and is judged at `now` again, as any feed.
  void notePluginPoll(TimePoint when, std::vector<std::string> publishers);

  // Every publisher of every source (zmq publishers by their envelope id, plugin sources as
  // "plugin:<plugin>/<source>"), sorted by publisher id, at wall time (or at `now`, a wall time: receive times are).
  std::vector<PublisherHealth> feedHealth() const;
  std::vector<PublisherHealth> feedHealth(TimePoint now) const;
  const std::vector<SourceState>& sources() const { return sourceStates_; }
  // Each [[sources]] entry with its publishers at `now`, in config order; publishers no source claims in a last entry.
  std::vector<FeedSource> feedSources(const std::vector<SourceConfig>& configured, TimePoint now) const;

 private:
  // Per [[sources]] entry, in config order: a source of a registered type (sources_ owns it; it keeps its own
  // FeedHealth: sequences are per source and publisher), or a plugin source's publisher.
  struct SourceFeeds {
    const LiveSource* source = nullptr;
    std::string pluginPublisher;
  };
  // pluginHealth_'s publishers as of `now`, the polled ones as of the last poll when that is earlier.
  std::vector<PublisherHealth> pluginSnapshot(TimePoint now) const;

  UpdateChannel channel_{kChannelCapacity};
  FeedHealth pluginHealth_;
  mutable std::mutex pollMu_;  // feedHealth() may be read from any thread
  TimePoint lastPluginPoll_ = kNoTime;
  std::unordered_set<std::string> polledPublishers_;
  std::vector<SourceFeeds> sourceFeeds_;
  EntityDirectory directory_;
  connectors::FeedAttributeGate attributeGate_;
  std::size_t publishedEntities_ = 0;
  std::size_t publishedAttributes_ = 0;
  bool published_ = false;
  std::vector<SampleUpdate> drained_;
  std::vector<IntervalNote> intervalNotes_;
  std::uint64_t samplesDrained_ = 0;
  std::vector<SourceState> sourceStates_;
  std::vector<std::unique_ptr<LiveSource>> sources_;  // last: destroyed first (their threads stop)
};

}  // namespace gt::runtime
