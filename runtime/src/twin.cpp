#include "greentwin/runtime/twin.hpp"

#include "bim_links.hpp"
#include "history.hpp"
#include "vehicle_claims.hpp"

#include <spdlog/spdlog.h>

#include "greentwin/connectors/history_config.hpp"
#include "greentwin/layers/terrain_layer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace gt::runtime {

Result<std::unique_ptr<Twin>> Twin::create(Config config, Clock::WallSource wall, LoadMode mode) {
  auto frame = GeoFrame::create(config.scene.originLon, config.scene.originLat, config.scene.crs);
  if (!frame) return Status(frame.status().code(), "scene frame: " + frame.status().message());
  std::unique_ptr<Twin> twin(new Twin(std::move(config), std::move(*frame), std::move(wall)));
  // Terrain first, so that every other layer can be clamped to it; otherwise the config's order.
  std::vector<LayerConfig> ordered = twin->config_.layers;
  std::stable_partition(ordered.begin(), ordered.end(),
                        [&twin](const LayerConfig& l) { return twin->layerRegistry_.traits(l.type).groundsOthers; });
  // Plugins first: a layer's style may name a plugin classifier, resolved when the layer is submitted.
  twin->loadPlugins();
  twin->bim_->applyPlacementsFile(ordered);  // placements saved from the BIM panel override anchors
  for (const LayerConfig& lc : ordered) twin->submitLayer(lc);
  const connectors::HistoryConfig& history = connectors::historyConfig(twin->config_);
  twin->history_->start(history, twin->config_.resolvePath(history.path),
                        twin->feeds_->directory());
  // After the history created its file or schema; an error is logged, alerts stay in memory.
  const AlertLog::PersistenceOptions alertPersistence{std::chrono::milliseconds(history.flushMs),
                                                      static_cast<Duration>(history.retentionDays * 86400.0 * 1e6)};
  if (history.store == connectors::HistoryBackendKind::Postgresql && !history.url.empty()) {
    (void)twin->alerts_.openPgHistory(history.url, alertPersistence);
  } else if (history.store == connectors::HistoryBackendKind::Sqlite && !history.path.empty()) {
    (void)twin->alerts_.openHistory(twin->config_.resolvePath(history.path), alertPersistence);
  }
  twin->startSources();
  if (mode == LoadMode::Synchronous) {
    if (Status s = twin->waitUntilLoaded(std::chrono::minutes(10)); !s) return s;
  }
  return twin;
}

Twin::Twin(Config config, GeoFrame frame, Clock::WallSource wall)
    : config_(std::move(config)),
      geoFrame_(std::move(frame)),
      timeSeries_(RetentionPolicy{static_cast<std::size_t>(connectors::historyConfig(config_).memorySamples),
                                  static_cast<Duration>(connectors::historyConfig(config_).memoryHours * 3600.0 *
                                                        kMicrosPerSecond)}),
      clock_(wall),
      feeds_(std::make_unique<LiveFeeds>()),
      history_(std::make_unique<History>()),
      feedAlerts_(FeedAlertOptions{feeds_->pluginHealth().config().staleFactor}) {
  layers::registerBuiltinLayers(layerRegistry_);
  registerBuiltinSources(sourceRegistry_);
  layers_ = std::make_unique<LayerSet>(geoFrame_, layerRegistry_);
  bim_ = std::make_unique<BimLinks>(config_, layerRegistry_, entities_, *layers_);
  vehicles_ = std::make_unique<VehicleClaims>(entities_, *layers_, feeds_->directory());
  feeds_->setAttributeLimits(connectors::feedsConfig(config_));  // [feeds]: the names feeds may add
  // The clock's range and mode come from the config; defaults give the last 24 h, following now.
  const ClockConfig& cc = config_.clock;
  const TimePoint now = wall ? wall() : wallNow();
  if (cc.start && cc.end) {
    if (Status s = clock_.setRange(*cc.start, *cc.end); !s) spdlog::warn("clock range: {}", s.message());
  } else {
    if (Status s = clock_.setRangeFollowingNow(cc.start.value_or(now - Clock::kDefaultHistory)); !s) {
      spdlog::warn("clock range: {}", s.message());
    }
  }
  if (Status s = clock_.setRate(cc.rate); !s) spdlog::warn("clock rate: {}", s.message());
  if (cc.mode == "paused") {
    clock_.seek(cc.end.value_or(now));
    clock_.pause();
  } else if (cc.mode == "playback") {
    clock_.seek(cc.start.value_or(now - Clock::kDefaultHistory));
    clock_.play();
  }
  frameTime_ = clock_.now();
  // The indicators dashboard's data (indicator_board.hpp): a layer marked synthetic makes every KPI value synthetic.
  indicators_ = IndicatorBoard::loadBundled(
      std::any_of(config_.layers.begin(), config_.layers.end(), [](const LayerConfig& l) { return l.synthetic; }));
}

Twin::~Twin() {
  pluginHost_.reset();  // stop plugin sources (and their threads) first: they push into the channel
  history_.reset();     // the playback thread reads the directory
  vehicles_.reset();    // reads the directory and the layer set
  bim_.reset();         // reads the layer set
  feeds_.reset();       // stop the ingest threads
  layers_.reset();      // stop the loader's worker before the registry and frame it uses go away
}

void Twin::submitLayer(LayerConfig config) {
  config.source = config_.resolvePath(config.source);
  // A terrain's imagery is a path relative to the config file too (not to the working folder).
  if (const auto* terrain = dynamic_cast<const layers::TerrainOptions*>(config.typeOptions.get());
      terrain != nullptr && !terrain->imagery.empty()) {
    const std::string imagery = config_.resolvePath(terrain->imagery);
    editLayerOptions<layers::TerrainOptions>(config).imagery = imagery;
  }
  applyPluginClassifier(config);  // twin_plugins.cpp
  // The layer panel offers the layer's own style beside its alternatives.
  if (!config.alternativeStyles.empty()) config.alternativeStyles.insert(config.alternativeStyles.begin(), config.style);
  layers_->submit(std::move(config));
}

Status Twin::addLayer(LayerConfig config) {
  if (config.id.empty()) return Status(ErrorCode::InvalidArgument, "a new layer needs an id");
  if (findLayer(config.id) != nullptr) {
    return Status(ErrorCode::InvalidArgument, "a layer with id '" + config.id + "' already exists");
  }
  if (config.source.empty()) return Status(ErrorCode::InvalidArgument, "layer '" + config.id + "' needs a source");
  spdlog::info("adding layer '{}' from {}", config.id, config.source);
  addedLayers_.push_back(config);
  submitLayer(std::move(config));
  return Status::ok();
}

void Twin::update(std::size_t vertexBudget) {
  for (layers::Layer* layer : layers_->integrateFinished(entities_)) {
    if (auto w = styleWarnings_.find(layer->id()); w != styleWarnings_.end()) {
      for (std::string& warning : w->second) layer->noteWarning(std::move(warning));
      styleWarnings_.erase(w);
    }
    vehicles_->integrate(*layer);  // a vehicles layer claims its id prefix
    bim_->linkModels();            // a BIM model replaces its building's box when near
  }
  layers_->mergeStep(vertexBudget);
  pluginHost_->poll(frameTime_);  // polled plugin sources push into the channel
  // Their feeds' silence counts up to this poll only (LiveFeeds::notePluginPoll): sources of plugins still active.
  std::vector<std::string> polled;
  for (const PluginSourceFeed& f : pluginHost_->sourceFeeds()) {
    if (f.polled) polled.push_back(f.publisher);
  }
  feeds_->notePluginPoll(wallNow(), std::move(polled));
  applyLiveSamples();
  updatePlayback();
}

void Twin::beginFrame() {
  frameTime_ = clock_.now();
  alerts_.apply();  // what plugins raised and cleared since the last frame
  const TimeSeriesStore& store = valueStore();
  // Any append to the store counts (the feeds' samples, playback loading history, tools and tests).
  const std::uint64_t appended = store.stats().appended;
  if (appended != appendedSeen_ || storeGeneration_ != storeGenerationSeen_) {
    appendedSeen_ = appended;
    storeGenerationSeen_ = storeGeneration_;
    ++valuesVersion_;
  }
  frame_ = FrameContext{frame_.frame + 1, frameTime_,   &store,          &stale_,
                        &geoFrame_,        &entities_.attributes(), valuesVersion_, storeGeneration_};
  const layers::LayerFrame layerFrame{
      frame_, [this](const std::string& id) -> const layers::Layer* { return findLayer(id); }, fieldProvider_.get()};
  layers_->update(layerFrame);
  // KPIs at most once a second for this frame's time, shown or not: their trends (the panel's lines, the wall's
  // sparklines) must not have holes where nobody looked.
  pluginHost_->refreshKpis(frameTime_, std::chrono::seconds(1));
  updateIndicators();  // after the KPIs (twin_indicators.cpp)
  updateFeedAlerts();
}

// Feed health is O(publishers) (a lock and a copy per publisher), so it is judged once a second of wall time, not
// every frame; STALE takes at least 2 x a publisher's interval anyway. Wall time, not the clock's: receive times are
// wall times, and a feed goes quiet now whatever time the clock shows. The changes reach the log with the next
// frame's apply(), like a plugin's.
void Twin::updateFeedAlerts() {
  const TimePoint now = wallNow();
  // (A wall clock set back does not stop the checks.)
  const bool recent = feedAlertsCheckedUs_ != kNoTime && now >= feedAlertsCheckedUs_ &&
                      now - feedAlertsCheckedUs_ < kMicrosPerSecond;
  if (recent) return;
  feedAlertsCheckedUs_ = now;
  const std::vector<PublisherHealth> health = feeds_->feedHealth(now);
  for (FeedAlertChange& change : feedAlerts_.evaluate(health, now)) {
    const Status s = change.kind == FeedAlertChange::Kind::Raise
                         ? alerts_.raise(std::move(change.alert))
                         : alerts_.clear(change.alert.source, change.alert.key, change.alert.timeUs);
    if (!s) spdlog::warn("feed alert: {}", s.message());
  }
}

// Starts each configured source: a registered type's (zmq: an ingest thread) in the live feeds, a plugin's by its
// plugin; a source that cannot start keeps its error for the UI.
void Twin::startSources() {
  feeds_->publish(entities_, true);
  for (const SourceConfig& sc : config_.sources) {
    if (const SourceRegistry::Type* type = sourceRegistry_.find(sc.type); type != nullptr) {
      feeds_->startSource(sc, *type, config_);
    } else {
      startPluginSource(sc);  // a plugin's source type (twin_plugins.cpp)
    }
  }
}

// Update thread, once per frame: refreshes the ingest threads' view of entities and attributes when they changed,
// and moves the samples that arrived into the time-series store.
void Twin::applyLiveSamples() {
  // In-process producers push too (liveChannel, plugin sources; a plugin's new attribute name waits here).
  if (!feeds_->active() && pluginHost_->runningSources() == 0) return;
  // Attribute names are schema, not identity: one a publisher uses that the twin has not seen is registered
  // (its first samples were counted as unknown); unknown entity ids are registered only under a prefix a vehicles
  // layer claims (bounded), never otherwise.
  // Within the [feeds] limits (issue 15): a publisher cannot add names without end.
  feeds_->registerNewAttributes(entities_.attributes());
  vehicles_->admit();  // ids a vehicles layer claims become entities
  feeds_->publish(entities_);
  const std::span<const SampleUpdate> drained = feeds_->drain(stale_);
  if (drained.empty()) return;
  timeSeries_.append(drained);
  samplesApplied_ += drained.size();
  history_->record(drained, entities_);
}

bool Twin::loading() const { return layers_->loading(); }

std::vector<LoadProgress> Twin::loadProgress() const { return layers_->progress(); }

Status Twin::waitUntilLoaded(std::chrono::milliseconds timeout,
                             const std::function<void(const std::vector<LoadProgress>&)>& onProgress) {
  const auto start = std::chrono::steady_clock::now();
  auto lastReport = start;
  while (loading()) {
    update(std::numeric_limits<std::size_t>::max());
    const auto now = std::chrono::steady_clock::now();
    if (now - start > timeout) return Status(ErrorCode::Internal, "layers still loading after the time limit");
    if (onProgress && now - lastReport > std::chrono::milliseconds(500)) {
      onProgress(loadProgress());
      lastReport = now;
    }
    if (loading()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return Status::ok();
}

Status Twin::restyleLayer(const std::string& id, const LayerStyleConfig& style) {
  layers::Layer* layer = findLayer(id);
  if (layer == nullptr) return Status(ErrorCode::NotFound, "no layer '" + id + "'");
  // Layer::restyle marks the layer: its live values are drawn again with the new rule on the next frame.
  Status s;
  if (!style.classifier.empty() && style.breaks.empty()) {
    LayerStyleConfig resolved = style;
    applyPluginClassifier(id, resolved);
    s = layer->restyle(resolved, layerProperties(*layer));
  } else {
    s = layer->restyle(style, layerProperties(*layer));
  }
  if (s.isOk()) editedStyles_.insert(id);
  return s;
}

layers::PropertyLookup Twin::layerProperties(const layers::Layer& layer) const {
  return [this, &layer](std::uint32_t slot) -> const PropertyMap* {
    const Entity* entity = entities_.get(layer.entityOfSlot(slot));
    return entity != nullptr ? &entity->properties : nullptr;
  };
}

LayerFilterOutcome Twin::filterLayer(const std::string& id, std::string_view text) {
  layers::Layer* layer = findLayer(id);
  if (layer == nullptr) return Status(ErrorCode::NotFound, "no layer '" + id + "'");
  return filters_.apply(*layer, text, layerProperties(*layer));
}

Result<AttributeClassification> Twin::colourLayerBy(const std::string& id, const ClassificationRequest& request,
                                                    bool preview) {
  layers::Layer* layer = findLayer(id);
  if (layer == nullptr) return Status(ErrorCode::NotFound, "no layer '" + id + "'");
  if (layer->state() != layers::LayerState::Open) {
    return Status(ErrorCode::Unsupported, "layer '" + id + "' is not loaded: it cannot be coloured by an attribute yet");
  }
  const layers::PropertyLookup properties = layerProperties(*layer);
  static const PropertyMap kNone;
  std::vector<const PropertyMap*> features(layer->slotCount());
  for (std::uint32_t slot = 0; slot < features.size(); ++slot) {
    const PropertyMap* p = properties(slot);
    features[slot] = p != nullptr ? p : &kNone;
  }
  // A live attribute (a time series, not one of the features' properties): classified over the LIVE values the frame
  // shows now; the layer then draws the live values with these classes (its live colouring), as they change.
  std::vector<PropertyMap> liveValues;
  const AttributeSchema& schema = filters_.schema(*layer, properties);
  if (const auto live = entities_.attributes().find(request.attribute); live && schema.find(request.attribute) == nullptr) {
    if (request.kind != ClassificationRequest::Kind::Graduated) {
      return Status(ErrorCode::InvalidArgument, "layer '" + id + "': live attribute '" + request.attribute +
                                                    "' is coloured in graduated classes, not by category");
    }
    liveValues.resize(features.size());
    for (std::uint32_t slot = 0; slot < features.size(); ++slot) {
      const JudgedValue v = liveValue(layer->entityOfSlot(slot), *live, frameTime_);
      if (v.state == ValueState::Live) liveValues[slot][request.attribute] = v.value;
      features[slot] = &liveValues[slot];
    }
  }
  auto classes = classifyAttribute(features, request);
  if (!classes) return Status(classes.status().code(), "layer '" + id + "': " + classes.status().message());
  if (preview) return classes;
  LayerStyleConfig style = layer->config().style;
  classes->applyTo(style);
  if (Status s = restyleLayer(id, style); !s.isOk()) return s;
  return classes;
}

const AttributeSchema* Twin::layerSchema(const std::string& id) {
  const layers::Layer* layer = findLayer(id);
  if (layer == nullptr) return nullptr;
  return &filters_.schema(*layer, layerProperties(*layer));
}

// ---- values at the clock's time ----------------------------------------------------------------------------

std::optional<Sample> Twin::sampleValue(EntityIndex entity, AttributeId attribute, TimePoint t) const {
  return valueStore().valueAt(entity, attribute, t, Interpolation::Step);
}

RangeResult Twin::sampleRange(EntityIndex entity, AttributeId attribute, TimePoint t0, TimePoint t1,
                              std::size_t maxPoints) const {
  return valueStore().range(entity, attribute, t0, t1, maxPoints);
}

Twin::LiveValue Twin::liveValue(EntityIndex entity, AttributeId attribute, TimePoint t) const {
  return stale_.judge(entity, sampleValue(entity, attribute, t), t);
}

std::vector<AttributeId> Twin::seriesAttributes(EntityIndex entity) const {
  std::vector<AttributeId> out;
  const std::size_t n = entities_.attributes().size();
  for (std::size_t a = 0; a < n; ++a) {
    if (valueStore().span(entity, static_cast<AttributeId>(a))) out.push_back(static_cast<AttributeId>(a));
  }
  return out;
}

layers::Layer* Twin::findLayer(const std::string& id) const { return layers_->find(id); }

void Twin::moveLayer(std::size_t index, int delta) { layers_->move(index, delta); }

layers::Layer* Twin::layerOfEntity(EntityIndex entity) const { return layers_->layerOfEntity(entity); }

const DynamicEntities& Twin::dynamicEntities() const { return vehicles_->entities(); }

// ---- BIM (bim_links.hpp) -------------------------------------------------------------------------------------

std::optional<EntityIndex> Twin::bimReplacedBuilding(const std::string& bimLayerId) const {
  return bim_->replacedBuilding(bimLayerId);
}
std::vector<layers::BimLayer*> Twin::bimModels() const { return bim_->models(); }
std::optional<EntityIndex> Twin::bimStoreyOf(EntityIndex element) const { return bim_->storeyOf(element); }
Status Twin::placeBimModel(const BimPlacementOverride& placement) { return bim_->place(placement); }
Status Twin::placeBimModelAt(const std::string& bimLayerId, const Vec3d& ground, double rotationDeg, double scale) {
  return bim_->placeAt(bimLayerId, ground, rotationDeg, scale);
}
std::optional<BimPlacementOverride> Twin::bimPlacement(const std::string& bimLayerId) const {
  return bim_->placement(bimLayerId);
}
Status Twin::saveBimPlacements() { return bim_->save(); }
const Status& Twin::bimPlacementsStatus() const { return bim_->placementsStatus(); }

Result<Vec3d> Twin::poseCenter(const CameraPose& pose) const {
  return geoFrame_.lonLatToLocal(pose.centerLon, pose.centerLat, pose.centerHeight);
}

// ---- history (history.hpp) ---------------------------------------------------------------------------------

// Update thread, once per frame: the playback thread resolves ids through the directory's snapshot (keep it current:
// layers that loaded, attributes registered, even when no ingest runs); a new window or a switch between the live
// and the playback store is a new store generation (layers redraw at once).
void Twin::updatePlayback() {
  if (!history_->enabled()) return;
  feeds_->publish(entities_);
  if (history_->update(clock_.isLive(), clock_.now(), frameTime_, entities_.attributes())) ++storeGeneration_;
}

const TimeSeriesStore& Twin::valueStore() const {
  const TimeSeriesStore* window = history_->store(clock_.isLive(), frameTime_);
  return window != nullptr ? *window : timeSeries_;
}

Twin::HistoryStatus Twin::historyStatus() const {
  const History::Status h = history_->status();
  HistoryStatus s;
  s.enabled = h.enabled;
  s.path = h.path;
  s.status = h.status;
  s.writer = h.writer;
  s.playback = &valueStore() != &timeSeries_;
  s.window = h.window;
  s.windowSamples = h.windowSamples;
  s.windowsLoaded = h.windowsLoaded;
  return s;
}

}  // namespace gt::runtime
