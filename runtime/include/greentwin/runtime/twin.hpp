#pragma once
// The twin's state as the viewer holds it: config, geo frame, entities, time series, the one clock, and the
// layers with the scene graph they build. Created and changed on the update/render thread only; layer data
// is read and built on the loader's worker thread and merged here.

#include <osg/Group>
#include <osg/ref_ptr>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "greentwin/runtime/alert_log.hpp"
#include "greentwin/runtime/feed_alerts.hpp"
#include "greentwin/runtime/indicator_area.hpp"
#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/runtime/bim_placements.hpp"
#include "greentwin/core/clock.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/dynamic_entities.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "greentwin/connectors/recording_loader.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/runtime/live_feeds.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/frame_context.hpp"
#include "greentwin/core/stale_rule.hpp"
#include "greentwin/core/update_channel.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/layer_registry.hpp"
#include "greentwin/layers/style.hpp"
#include "greentwin/runtime/layer_loader.hpp"
#include "greentwin/core/attribute_classes.hpp"
#include "greentwin/runtime/layer_filters.hpp"
#include "greentwin/runtime/layer_set.hpp"
#include "greentwin/runtime/plugin_host.hpp"
#include "greentwin/runtime/source_registry.hpp"

namespace gt::layers {
class BimLayer;    // bim_layer.hpp
}

namespace gt::runtime {

// A [plugins] folders entry naming the folder the in-tree plugins are built and installed to (twin_plugins.cpp).
inline constexpr std::string_view kBuiltinPluginFolder = "@builtin";
std::string builtinPluginDirectory();

class History;        // history.hpp (runtime-private): the history part
class BimLinks;       // bim_links.hpp (runtime-private): the BIM wiring
class VehicleClaims;  // vehicle_claims.hpp (runtime-private): entities the feeds bring under claimed prefixes

enum class LoadMode {
  Synchronous,  // create() returns with every layer loaded (tests, headless tools)
  Background,   // create() returns at once; layers arrive over the next frames (the window)
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
  // Begins the frame about to be drawn: reads the clock once, builds the frame's one FrameContext (the time, the
  // value store of the frame — live or the history window —, the stale rule, the geo frame), and brings every
  // layer to it (Layer::update: live colours, vehicles, fields) and, when asked, the plugins' KPIs. Every layer,
  // chart and KPI of the frame then reads frame() / frameTime(): nothing in one frame sees two times. Once per
  // frame, after update().
  void beginFrame();
  TimePoint frameTime() const { return frameTime_; }
  const FrameContext& frame() const { return frame_; }

  // Live feeds: per publisher health (rate, gaps, last seen, STALE) and each configured source's status.
  // Every publisher of every source (zmq publishers by their envelope id, plugin sources as
  // "plugin:<plugin>/<source>"), sorted by publisher id, at wall time (times are receive times).
  std::vector<PublisherHealth> feedHealth() const { return feeds_->feedHealth(); }
  using SourceState = runtime::SourceState;  // live_feeds.hpp
  const std::vector<SourceState>& sources() const { return feeds_->sources(); }
  // The feed-health panel's input: each [[sources]] entry with its publishers at `now` (wall time), in config
  // order; publishers no source claims (a plugin's pushes that name no source) in a last entry with an empty id.
  using FeedSource = runtime::FeedSource;  // live_feeds.hpp
  std::vector<FeedSource> feedSources(TimePoint now) const { return feeds_->feedSources(config_.sources, now); }
  std::vector<FeedSource> feedSources() const { return feedSources(wallNow()); }
  // Plugins (docs/plugins.md): loaded at create() from [plugins]; their sources are [[sources]] of their types.
  PluginHost& plugins() { return *pluginHost_; }
  const PluginHost& plugins() const { return *pluginHost_; }
  // The alert log (alert_log.hpp, docs/alerts.md): plugins raise and clear alerts into it from any thread; applied
  // in beginFrame(); kept in the history database when [history] has a path. The twin raises its own too: source
  // "indicators" (an indicator off track) and "feeds" (a feed gone STALE; feed_alerts.hpp), judged in beginFrame().
  AlertLog& alerts() { return alerts_; }
  const AlertLog& alerts() const { return alerts_; }
  // The programme's 18 indicators as the dashboard shows them (indicator_board.hpp): loaded at create(), updated
  // in beginFrame() once a second after the KPIs.
  const IndicatorBoard& indicators() const { return indicators_; }
  // Indicators for any area (indicator_area.hpp; twin_indicators.cpp): the area of a polygon feature by its entity
  // id, or the district for kDistrictAreaId or "". Errors: no such entity (NotFound), not a polygon feature
  // (InvalidArgument).
  Result<IndicatorArea> indicatorArea(std::string_view areaId) const;
  // The 18 rows for `area` at the frame's time: the board's rows computed afresh for the district; for any other
  // area each KPI's area function, and district figures (marked) where an indicator cannot be split by area.
  std::vector<IndicatorRow> indicatorRows(const IndicatorArea& area);
  // A representative point of an entity in the scene frame (its label anchor), or nullopt (twin_plugins.cpp).
  std::optional<Vec3d> entityPosition(EntityIndex entity) const;
  // In-process producers (plugin sources, tests) push live batches here, like the ingest threads do; the update
  // thread applies them with the next update(). Any thread.
  UpdateChannel& liveChannel() { return feeds_->channel(); }
  // Samples applied to the time-series store so far (all sources).
  std::uint64_t samplesApplied() const { return samplesApplied_; }

  // ---- Values at the clock's time (issue 4) ----
  // THE accessors every live-coloured layer, the field layers and the inspector read attribute values through.
  // They read valueStore(): the live time-series store today; history playback switches the store there (one
  // place) and everything drawn follows.
  std::optional<Sample> sampleValue(EntityIndex entity, AttributeId attribute, TimePoint t) const;
  RangeResult sampleRange(EntityIndex entity, AttributeId attribute, TimePoint t0, TimePoint t1,
                          std::size_t maxPoints) const;
  // The stale rule (core/stale_rule.hpp): a sample judged at time t is LIVE while t - sampleTime <=
  // staleAfter(entity) = FeedHealth's staleFactor (2) x the interval declared by the feed that last updated the
  // entity (1 s when none is known); older: STALE; no sample at or before t: NO_DATA.
  const StaleRule& staleRule() const { return stale_; }
  Duration staleAfter(EntityIndex entity) const { return stale_.staleAfter(entity); }
  using LiveValue = JudgedValue;
  LiveValue liveValue(EntityIndex entity, AttributeId attribute, TimePoint t) const;
  // Attributes of `entity` that have a time series (for the inspector), in attribute-id order.
  std::vector<AttributeId> seriesAttributes(EntityIndex entity) const;

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
  // Pumps update() until what the clock's time needs is there: every layer loaded and merged, while the clock is
  // not live with a [history] file the playback window around its time (or the reader's error), and then the values
  // active plugins derive (frames until none arrives for a few frames). A headless render at time T waits here, so
  // it shows what the window shows at T. Update thread.
  Status waitForValues(std::chrono::milliseconds timeout);
  // Loads a feed recording (greentwin-feed record; docs/record-replay.md) into the value store: every sample with a
  // time at or before `until` (kNoTime: all), through the live ingest's decoding, checks and stale rule, with the
  // attribute names and claimed vehicle ids it uses registered first. Errors: the file cannot be read; damage inside
  // it is in the stats (what comes before it is applied). twin_replay.cpp; update thread.
  Result<connectors::RecordingLoadStats> replayRecording(const std::string& path, TimePoint until = kNoTime);
  // Adds a layer at run time (from the UI): a unique id is required; a relative source resolves against the
  // config's folder. The layer appears at once with a loading state and loads in the background.
  Status addLayer(LayerConfig config);
  // The layers addLayer() added, as they were given, in the order added (a project file keeps them).
  const std::vector<LayerConfig>& addedLayers() const { return addedLayers_; }

  // Layers in draw order (index 0 draws first, at the bottom). A layer still loading is a placeholder in the
  // Created state.
  const std::vector<std::unique_ptr<layers::Layer>>& layers() const { return layers_->layers(); }
  layers::Layer* findLayer(const std::string& id) const;
  // The layer types (their traits: what the layer panel and the "Add layer" dialog offer), builtins and plugins'.
  const layers::LayerRegistry& layerTypes() const { return layerRegistry_; }
  // Applies edited style settings to a loaded layer in place (colours, widths); errors say what cannot change. A
  // style naming a plugin classifier without its classes (a project's) gets the classifier's breaks and colours.
  Status restyleLayer(const std::string& id, const LayerStyleConfig& style);
  // Whether restyleLayer() (the style editor, the style switch, colour by attribute) has changed the layer's style
  // since the twin loaded it: a project keeps such styles.
  bool styleEdited(const std::string& id) const { return editedStyles_.contains(id); }
  // The workbench's attribute filter (layer_filters.hpp, docs/workbench.md): shows only the features of layer `id`
  // for which `text` is true; "" shows all again. A mistake in the text comes back as the FilterError (nothing
  // changes); a layer that is missing, still loading or cannot hide single features as a Status.
  LayerFilterOutcome filterLayer(const std::string& id, std::string_view text);
  const LayerFilters& layerFilters() const { return filters_; }
  // The layer's attribute names and kinds (its features' static properties), built on first use. nullptr: no layer.
  const AttributeSchema* layerSchema(const std::string& id);
  // 'Colour by attribute' (core/attribute_classes.hpp, docs/workbench.md "Classification"): classifies the layer's
  // features by `request` and, unless `preview`, restyles the layer with the result (its legend follows). Errors:
  // no such layer (NotFound), classifyAttribute's (no values, no numbers...), the restyle's.
  Result<AttributeClassification> colourLayerBy(const std::string& id, const ClassificationRequest& request,
                                                bool preview = false);
  // Selection by polygon (twin_selection.cpp; docs/workbench.md "Selecting inside a polygon"): the entities of layer
  // `id` that `ring` (scene frame) takes in (core/selection.hpp ringTakesIn) and a filter shows, in slot order.
  // Errors: no such layer (NotFound), a layer without features (Unsupported), a ring of fewer than 3 corners.
  Result<std::vector<EntityIndex>> featuresInPolygon(const std::string& id, std::span<const Vec3d> ring) const;
  // Writes those entities of layer `id`, with their static attributes, as GeoJSON or a GeoPackage (by the path's
  // extension; connectors/vector_writer.hpp). Errors: the layer's, the writer's.
  Status exportFeatures(const std::string& id, std::span<const EntityIndex> entities, const std::string& path,
                        bool overwrite = false) const;
  // The static properties of the feature a layer's slot draws (nullptr when unknown): what restyling, filters and
  // classification read.
  layers::PropertyLookup layerProperties(const layers::Layer& layer) const;
  // Reorders: moves the layer at `index` by `delta` places (clamped); orders are reapplied.
  void moveLayer(std::size_t index, int delta);
  // Entities the feeds brought under the id prefixes "vehicles" layers claim (vehicle_claims.hpp): per claim (one per
  // vehicles layer, owner = layer id) how many were registered and refused for max_entities.
  const DynamicEntities& dynamicEntities() const;
  // Which layer drew an entity (the one that registered it), or nullptr.
  layers::Layer* layerOfEntity(EntityIndex entity) const;

  // The terrain's height field (nullptr while there is none): labels and picks sit on it.
  const std::shared_ptr<const HeightField>& ground() const { return layers_->ground(); }

  // Labels of the loaded layers that have label attributes in their style.
  const std::vector<LabelSet>& labelSets() const { return layers_->labelSets(); }

  osg::Group* sceneRoot() const { return layers_->root(); }
  // Scene extent in local coordinates (from the loaded layers), for home views and clipping planes.
  const Bounds& bounds() const { return layers_->bounds(); }

  // ---- BIM (issue 5; the BimLinks part, bim_links.hpp) ----
  // The building entity whose box the "bim" layer `bimLayerId` replaces when near ([layers.bim]
  // replaces_building, or the footprint containing the model's centre), or nullopt (none / not yet loaded).
  std::optional<EntityIndex> bimReplacedBuilding(const std::string& bimLayerId) const;
  // The BIM models loaded now (open "bim" layers), in draw order: what the BIM panel lists.
  std::vector<layers::BimLayer*> bimModels() const;
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
  const Status& bimPlacementsStatus() const;

  // Converts a config camera pose to local scene coordinates: centre point.
  Result<Vec3d> poseCenter(const CameraPose& pose) const;

 private:
  Twin(Config config, GeoFrame frame, Clock::WallSource wall);
  void submitLayer(LayerConfig config);
  void startSources();
  void applyLiveSamples();
  void updatePlayback();
  // The store values are read from: the live store, or while the clock is not live the playback store once a
  // history window covering the frame's time has loaded (history.hpp; docs/time-series.md).
  const TimeSeriesStore& valueStore() const;

  Config config_;
  GeoFrame geoFrame_;
  EntityStore entities_;
  TimeSeriesStore timeSeries_;
  Clock clock_;
  TimePoint frameTime_ = 0;
  layers::LayerRegistry layerRegistry_;
  SourceRegistry sourceRegistry_;  // source types the twin starts itself; other [[sources]] types are plugins'
  // The layers, their loader and merge queue, labels, entity owners and positions (layer_set.hpp).
  std::unique_ptr<LayerSet> layers_;
  LayerFilters filters_;  // attribute filters per layer (filterLayer)
  std::vector<LayerConfig> addedLayers_;  // addLayer()'s, as given
  std::set<std::string, std::less<>> editedStyles_;  // layers restyleLayer() has changed
  // Live feeds: sources, ingest threads, the channel, the directory, feed health (live_feeds.hpp). Declared before
  // the history (its playback thread reads the directory) and the plugin host (plugin sources push into the
  // channel), so both are destroyed first.
  std::unique_ptr<LiveFeeds> feeds_;
  // BIM: building boxes models replace, storey entities, placements (bim_links.hpp). Reads the layer set.
  std::unique_ptr<BimLinks> bim_;
  // Vehicles: a claiming layer's prefix noted when it integrates; the reported unknown ids it claims registered in
  // applyLiveSamples() before the directory is republished (vehicle_claims.hpp). Reads the layer set and directory.
  std::unique_ptr<VehicleClaims> vehicles_;
  std::uint64_t samplesApplied_ = 0;
  // The frame (beginFrame): its context, and what tells layers the values changed.
  StaleRule stale_;                   // declared intervals noted from the channel (applyLiveSamples)
  FrameContext frame_;
  std::uint64_t storeGeneration_ = 0;  // bumped when the value store is switched or a window swapped in
  std::uint64_t valuesVersion_ = 0;
  std::uint64_t appendedSeen_ = ~std::uint64_t{0};
  std::uint64_t storeGenerationSeen_ = ~std::uint64_t{0};
  // History: the background writer and the playback reader (history.hpp).
  std::unique_ptr<History> history_;
  // Alerts (alert_log.hpp). Declared before the plugin host, whose threads raise into it.
  AlertLog alerts_;
  // Indicators (twin_indicators.cpp): the board, updated once a second in beginFrame(); the computed values recorded
  // as series of "indicators/<NN>" entities while live; an alert per indicator that turns off track.
  IndicatorBoard indicators_;
  void updateIndicators();
  void recordIndicatorSeries();
  void raiseIndicatorAlerts();
  std::map<int, IndicatorStatus> indicatorStatusSeen_;
  // Feed alerts (feed_alerts.hpp; docs/alerts.md "Feed alerts"): feedHealth() judged at most once a second of wall
  // time in beginFrame(), an alert per publisher gone STALE, cleared when it is LIVE again.
  void updateFeedAlerts();
  FeedAlerts feedAlerts_;
  TimePoint feedAlertsCheckedUs_ = kNoTime;  // wall time of the last check
  // Plugins (twin_plugins.cpp). The host is destroyed first in ~Twin: plugin sources push into the channel.
  void loadPlugins();  // in create(), before startSources()
  // A [[sources]] entry of a plugin type: started by the plugin host and recorded in feeds_ (twin_plugins.cpp).
  void startPluginSource(const SourceConfig& source);
  // A style naming a plugin classifier gets its breaks and colours (else a warning and a single colour).
  Status settlePluginValues(std::chrono::steady_clock::time_point deadline);  // twin_replay.cpp
  void applyPluginClassifier(LayerConfig& config);
  void applyPluginClassifier(const std::string& layerId, LayerStyleConfig& style);
  // What applyPluginClassifier found wrong per layer id, handed to the layer when it is integrated (update()).
  std::map<std::string, std::vector<std::string>> styleWarnings_;
  // Field layers with field.provider ask the plugin host through this (twin_plugins.cpp).
  std::unique_ptr<layers::FieldProvider> fieldProvider_;
  std::unique_ptr<PluginServices> pluginServices_;  // what plugins reach of the twin
  std::unique_ptr<PluginHost> pluginHost_;
};

}  // namespace gt::runtime
