#pragma once
// The twin's state as the viewer holds it: config, geo frame, entities, time series, the one clock, and the
// layers with the scene graph they build. Created and changed on the update/render thread only; layer data
// is read and built on the loader's worker thread and merged here.

#include <osg/Group>
#include <osg/ref_ptr>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "greentwin/core/bim_placements.hpp"
#include "greentwin/core/clock.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/dynamic_entities.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/update_channel.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/layer_registry.hpp"
#include "greentwin/layers/style.hpp"
#include "greentwin/runtime/layer_loader.hpp"
#include "greentwin/runtime/plugin_host.hpp"
#include "greentwin/runtime/source_registry.hpp"

namespace gt::layers {
class FieldLayer;  // field_layer.hpp
}

namespace gt::runtime {

// A [plugins] folders entry naming the folder the in-tree plugins are built and installed to (twin_plugins.cpp).
inline constexpr std::string_view kBuiltinPluginFolder = "@builtin";
std::string builtinPluginDirectory();

class HistoryPlayback;  // history_playback.hpp (viewer-private)

enum class LoadMode {
  Synchronous,  // create() returns with every layer loaded (tests, headless tools)
  Background,   // create() returns at once; layers arrive over the next frames (the window)
};

// Map labels of one layer: where each labelled entity's label goes and which properties hold its text.
struct LabelSet {
  std::string layerId;
  int priority = 0;
  std::string attributeZh;
  std::string attributeEn;
  struct Anchor {
    EntityIndex entity;
    Vec3d position;
    float extentM;  // size of the feature on the ground (sqrt of area, or length); 0 for points
  };
  std::vector<Anchor> anchors;
};

class Twin {
 public:
  // Vertices attached to the scene per frame while a load merges (a city's worth takes a few dozen frames).
  static constexpr std::size_t kDefaultMergeBudget = 400'000;

  // Builds the twin from a config. Only an unusable geo frame is fatal; a layer that fails to load is kept with
  // its error status (shown in the UI) and the rest of the twin runs on.
  static Result<std::unique_ptr<Twin>> create(Config config, Clock::WallSource wall = {},
                                              LoadMode mode = LoadMode::Synchronous);
  ~Twin();

  const Config& config() const { return config_; }
  const GeoFrame& geoFrame() const { return geoFrame_; }
  EntityStore& entities() { return entities_; }
  const EntityStore& entities() const { return entities_; }
  TimeSeriesStore& timeSeries() { return timeSeries_; }
  Clock& clock() { return clock_; }
  const Clock& clock() const { return clock_; }
  // Reads the clock once for the frame about to be drawn; every layer and panel then uses frameTime(), so
  // nothing in one frame sees two different times.
  // Live-coloured layers and fields are brought to the new time here (and after update() applied samples).
  void beginFrame() {
    frameTime_ = clock_.now();
    refreshLiveLayers();
  }
  TimePoint frameTime() const { return frameTime_; }

  // Live feeds: per publisher health (rate, gaps, last seen, STALE) and each configured source's status.
  // Every publisher of every source (zmq publishers by their envelope id, plugin sources as
  // "plugin:<plugin>/<source>"), sorted by publisher id, at wall time (times are receive times).
  std::vector<PublisherHealth> feedHealth() const;
  struct SourceState {
    std::string id;
    std::string endpoint;
    Status status;  // why it is not running, or ok
  };
  const std::vector<SourceState>& sources() const { return sourceStates_; }
  // The feed-health panel's input: each [[sources]] entry with its publishers at `now` (wall time), in config
  // order; publishers no source claims (a plugin's pushes that name no source) in a last entry with an empty id.
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
  std::vector<FeedSource> feedSources(TimePoint now) const;
  std::vector<FeedSource> feedSources() const { return feedSources(wallNow()); }
  // Plugins (docs/plugins.md): loaded at create() from [plugins]; their sources are [[sources]] of their types.
  PluginHost& plugins() { return *pluginHost_; }
  const PluginHost& plugins() const { return *pluginHost_; }
  // A representative point of an entity in the scene frame (its label anchor), or nullopt (twin_plugins.cpp).
  std::optional<Vec3d> entityPosition(EntityIndex entity) const;
  // In-process producers (plugin sources, tests) push live batches here, like the ingest threads do; the update
  // thread applies them with the next update(). Any thread.
  UpdateChannel& liveChannel() { return channel_; }
  // Samples applied to the time-series store so far (all sources).
  std::uint64_t samplesApplied() const { return samplesApplied_; }

  // ---- Values at the clock's time (issue 4) ----
  // THE accessors every live-coloured layer, the field layers and the inspector read attribute values through.
  // They read valueStore(): the live time-series store today; history playback switches the store there (one
  // place) and everything drawn follows.
  std::optional<Sample> sampleValue(EntityIndex entity, AttributeId attribute, TimePoint t) const;
  RangeResult sampleRange(EntityIndex entity, AttributeId attribute, TimePoint t0, TimePoint t1,
                          std::size_t maxPoints) const;
  // The stale rule: a sample judged at time t (the frame's clock time, live or playback) is LIVE while
  // t - sampleTime <= staleAfter(entity) = FeedHealth's staleFactor (2) x the interval declared in the envelope of
  // the feed that last updated the entity (FeedHealth's defaultInterval, 1 s, when none is known); older: STALE;
  // no sample at or before t: NO_DATA. The same factor as a publisher's STALE state, per sample.
  Duration staleAfter(EntityIndex entity) const;
  struct LiveValue {
    double value = 0;
    TimePoint sampleTime = kNoTime;
    Duration age = 0;  // t - sampleTime
    layers::SlotState state = layers::SlotState::NoData;
  };
  LiveValue liveValue(EntityIndex entity, AttributeId attribute, TimePoint t) const;
  // Attributes of `entity` that have a time series (for the inspector), in attribute-id order.
  std::vector<AttributeId> seriesAttributes(EntityIndex entity) const;
  // Recolours of live layers and recomputations of field layers so far (tests, UI).
  std::uint64_t liveRefreshes() const { return liveRefreshes_; }

  // ---- History (issue 4; docs/time-series.md "History and playback") ----
  struct HistoryStatus {
    bool enabled = false;    // [history] path configured
    std::string path;        // resolved file path
    Status status;           // the open error, else the writer's or the reader's last error, else ok
    connectors::HistoryWriterStats writer;  // written / dropped / failed samples
    bool playback = false;   // values are read from a history window now (clock not live)
    TimeRange window;        // the loaded window (when one is)
    std::uint64_t windowSamples = 0;
    std::uint64_t windowsLoaded = 0;
  };
  // Update thread (cheap: counters under the writer's lock).
  HistoryStatus historyStatus() const;

  // Per frame, update thread: collects finished loads and merges their nodes within `vertexBudget`, then applies
  // the live samples that arrived since the last frame to the time-series store.
  void update(std::size_t vertexBudget = kDefaultMergeBudget);
  // True while layers are queued, loading or merging.
  bool loading() const;
  std::vector<LoadProgress> loadProgress() const;
  // Pumps update() until nothing is loading; `onProgress` is called about twice a second (console progress).
  Status waitUntilLoaded(std::chrono::milliseconds timeout,
                         const std::function<void(const std::vector<LoadProgress>&)>& onProgress = {});
  // Adds a layer at run time (from the UI): a unique id is required; a relative source resolves against the
  // config's folder. The layer appears at once with a loading state and loads in the background.
  Status addLayer(LayerConfig config);

  // Layers in draw order (index 0 draws first, at the bottom). A layer still loading is a placeholder in the
  // Created state.
  const std::vector<std::unique_ptr<layers::Layer>>& layers() const { return layers_; }
  layers::Layer* findLayer(const std::string& id) const;
  // Applies edited style settings to a loaded layer in place (colours, widths); errors say what cannot change.
  Status restyleLayer(const std::string& id, const LayerStyleConfig& style);
  // Reorders: moves the layer at `index` by `delta` places (clamped); orders are reapplied.
  void moveLayer(std::size_t index, int delta);
  // Entities the feeds brought under the id prefixes "vehicles" layers claim (twin_vehicles.cpp): per claim (one per
  // vehicles layer, owner = layer id) how many were registered and refused for max_entities.
  const DynamicEntities& dynamicEntities() const { return dynamicEntities_; }
  // Which layer drew an entity (the one that registered it), or nullptr.
  layers::Layer* layerOfEntity(EntityIndex entity) const;

  // The terrain's height field (nullptr while there is none): labels and picks sit on it.
  const std::shared_ptr<const HeightField>& ground() const { return ground_; }

  // Labels of the loaded layers that have label attributes in their style.
  const std::vector<LabelSet>& labelSets() const { return labelSets_; }

  osg::Group* sceneRoot() const { return root_.get(); }
  // Scene extent in local coordinates (from the loaded layers), for home views and clipping planes.
  const Bounds& bounds() const { return bounds_; }

  // ---- BIM (issue 5; twin_bim.cpp) ----
  // The building entity whose box the "bim" layer `bimLayerId` replaces when near ([layers.bim]
  // replaces_building, or the footprint containing the model's centre), or nullopt (none / not yet loaded).
  std::optional<EntityIndex> bimReplacedBuilding(const std::string& bimLayerId) const;
  // Storeys are entities "bim/<layer id>/storey/<GUID>" (kind "storey"): the storey entity of a BIM element (or
  // nullopt: not a BIM element, or in no storey). A feed publishing per storey colours its elements.
  std::optional<EntityIndex> bimStoreyOf(EntityIndex element) const;
  // Interactive placement (docs/bim.md "Placing a model on the map"): moves a loaded model live (no re-import) to
  // the given model-frame origin (scene metres), rotation and scale, and links the building box under its new
  // centre. What the BIM panel's "Place model" mode calls.
  Status placeBimModel(const BimPlacementOverride& placement);
  // "Place model" (the BIM panel's sliders and the map click call it): puts the centre of the model's footprint
  // (its model-frame bounds) on `ground` (scene local x, y), turned by rotationDeg (counter-clockwise from scene
  // east) and scaled, keeping the anchor's height; the anchor is the model-frame origin that lands the centre there.
  Status placeBimModelAt(const std::string& bimLayerId, const Vec3d& ground, double rotationDeg, double scale);
  // The placement a loaded model is drawn with now (its matrix read back as anchor, rotation and scale).
  std::optional<BimPlacementOverride> bimPlacement(const std::string& bimLayerId) const;
  // Writes the placements made with placeBimModel (and those read at start) to bimPlacementsPath(config()).
  Status saveBimPlacements();
  // Reading <config dir>/bim_placements.toml at start (an error names the file; the config's anchors then stand),
  // or the last save's result. Shown in the BIM panel.
  const Status& bimPlacementsStatus() const { return bimPlacementsStatus_; }

  // Converts a config camera pose to local scene coordinates: centre point.
  Result<Vec3d> poseCenter(const CameraPose& pose) const;

 private:
  Twin(Config config, GeoFrame frame, Clock::WallSource wall);
  void submitLayer(LayerConfig config);
  void startSources();
  void applyLiveSamples();
  void startHistory();                                   // twin_history.cpp
  void recordHistory(std::span<const SampleUpdate> batch);
  void updatePlayback();
  // The store values are read from: the live store, or while the clock is not live the playback store once a
  // history window covering the frame's time has loaded (twin_history.cpp; docs/time-series.md).
  const TimeSeriesStore& valueStore() const;
  void refreshLiveLayers();
  void refreshFieldLayers(bool force);
  void integrate(LoadedLayer loaded);
  void linkBimModels();  // twin_bim.cpp: tells building layers which boxes BIM models replace
  std::unordered_map<std::string, EntityIndex> bimLinks_;  // bim layer id -> replaced building (or invalid: none)
  void registerBimStoreys();  // twin_bim.cpp: storey entities of newly loaded models
  void applyBimPlacementsFile(std::vector<LayerConfig>& layers);  // twin_bim.cpp, in create()
  std::unordered_map<std::string, bool> bimStoreysRegistered_;   // bim layer id -> done
  std::unordered_map<std::string, BimPlacementOverride> bimPlacements_;  // bim layer id -> saved / placed by the user
  Status bimPlacementsStatus_;
  void applyOrders();
  // Vehicles (twin_vehicles.cpp; update thread): a vehicles layer claims its id prefix when integrated; reported
  // unknown ids it claims are registered in applyLiveSamples() (then the directory is republished); every frame the
  // vehicles layers draw their vehicles at frameTime().
  void integrateVehicles(layers::Layer& layer);
  void admitDynamicEntities();
  void refreshVehicleLayers();
  DynamicEntities dynamicEntities_;

  Config config_;
  GeoFrame geoFrame_;
  EntityStore entities_;
  TimeSeriesStore timeSeries_;
  Clock clock_;
  TimePoint frameTime_ = 0;
  layers::LayerRegistry layerRegistry_;
  SourceRegistry sourceRegistry_;  // source types the twin starts itself; other [[sources]] types are plugins'
  std::vector<std::unique_ptr<layers::Layer>> layers_;
  std::vector<std::string> entityLayer_;  // entity index -> id of the layer that registered it
  osg::ref_ptr<osg::Group> root_;
  Bounds bounds_;
  MergeQueue mergeQueue_;
  std::vector<LabelSet> labelSets_;
  std::shared_ptr<const HeightField> ground_;
  // Live feeds. The ingest threads use the channel, health and directory: declared after them, destroyed first.
  static constexpr std::size_t kChannelCapacity = std::size_t{1} << 20;
  UpdateChannel channel_{kChannelCapacity};
  FeedHealth feedHealth_;  // plugin sources (PluginServices::recordFeed); its config is every source's
  // Per [[sources]] entry, in config order: a source of a registered type (ingests_ owns it and is destroyed first;
  // it keeps its own FeedHealth: sequences are per source and publisher); a plugin source's publisher.
  struct SourceFeeds {
    const LiveSource* source = nullptr;
    std::string pluginPublisher;
  };
  std::vector<SourceFeeds> sourceFeeds_;
  EntityDirectory directory_;
  std::size_t publishedEntities_ = 0;
  std::size_t publishedAttributes_ = 0;
  std::vector<SampleUpdate> drained_;
  std::uint64_t samplesApplied_ = 0;
  std::vector<SourceState> sourceStates_;
  // Live colouring (refreshLiveLayers): when it last ran, and per layer whether it was found to have series.
  std::uint64_t liveSamplesSeen_ = ~std::uint64_t{0};
  TimePoint liveTime_ = kNoTime;
  bool liveDirty_ = true;  // a layer arrived or was restyled: recolour on the next frame
  std::uint64_t liveRefreshes_ = 0;
  struct FieldState {
    std::chrono::steady_clock::time_point last{};
    std::vector<float> inputs;  // per points-layer slot: the live value used, NaN when left out
  };
  std::unordered_map<std::string, FieldState> fieldStates_;
  // History: the background writer (its thread owns the SQLite connection) and the playback reader thread.
  Status historyOpenStatus_;
  std::string historyPath_;
  std::unique_ptr<connectors::HistoryWriter> historyWriter_;
  std::unique_ptr<HistoryPlayback> playback_;
  std::shared_ptr<const connectors::HistoryNames> historyNames_;  // id/name tables the writer resolves through
  TimeSeriesStore playbackStore_;  // the loaded history window (update thread)
  bool playbackLoaded_ = false;
  bool playbackPending_ = false;
  bool usingPlayback_ = false;     // what valueStore() returned last frame, to recolour on a switch
  TimeRange playbackWindow_;       // loaded
  TimeRange playbackRequested_;    // pending
  std::uint64_t playbackRequestId_ = 0;
  TimePoint playbackRequestedAt_ = 0;  // wall time of the pending request
  TimePoint playbackReadAt_ = 0;       // wall time the loaded window was requested
  std::uint64_t playbackWindowSamples_ = 0;
  std::uint64_t playbackWindowsLoaded_ = 0;
  std::vector<std::unique_ptr<LiveSource>> ingests_;  // the sources of registered types (startSources)
  // Plugins (twin_plugins.cpp). The host is destroyed first in ~Twin: plugin sources push into the channel.
  void loadPlugins();  // in create(), before startSources()
  Status startPluginSource(const SourceConfig& source);
  // A style naming a plugin classifier gets its breaks and colours (else a warning and a single colour).
  void applyPluginClassifier(LayerConfig& config) const;
  // A field layer with field.provider: the plugin fills its grid at frameTime().
  Status computePluginField(layers::FieldLayer& field);
  std::vector<Vec3d> entityPosition_;  // entity index -> label anchor (NaN x: none)
  std::unique_ptr<PluginServices> pluginServices_;  // what plugins reach of the twin
  std::unique_ptr<PluginHost> pluginHost_;
  std::unique_ptr<LayerLoader> loader_;  // last: its worker reads layerRegistry_ and must stop first
};

}  // namespace gt::runtime
