#include "greentwin/runtime/twin.hpp"

#include "history_playback.hpp"

#include <spdlog/spdlog.h>

#include "greentwin/connectors/history_config.hpp"
#include "greentwin/core/interpolation.hpp"
#include "greentwin/layers/field_layer.hpp"
#include "greentwin/layers/terrain_layer.hpp"
#include "greentwin/layers/vector_layer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace gt::runtime {
namespace {

// Stands in for a layer while it loads: draws nothing, state Created.
class LoadingLayer : public layers::Layer {
 public:
  explicit LoadingLayer(LayerConfig config) : Layer(std::move(config)) {}

 protected:
  Status openImpl() override { return Status::ok(); }
};

std::string entityKind(const LayerConfig& config, const layers::LayerTraits& traits) {
  if (!traits.entityKind.empty()) return traits.entityKind;
  // "tongzhou-district" -> "district": the last dash-separated word of the layer id names the kind.
  const auto dash = config.id.find_last_of('-');
  return dash == std::string::npos ? config.id : config.id.substr(dash + 1);
}

}  // namespace

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
  twin->applyBimPlacementsFile(ordered);  // twin_bim.cpp: placements saved from the BIM panel override anchors
  for (const LayerConfig& lc : ordered) twin->submitLayer(lc);
  twin->startHistory();
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
      root_(new osg::Group) {
  root_->setName("greentwin-scene");
  layers::registerBuiltinLayers(layerRegistry_);
  registerBuiltinSources(sourceRegistry_);
  loader_ = std::make_unique<LayerLoader>(geoFrame_, layerRegistry_);
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
}

Twin::~Twin() {
  pluginHost_.reset();  // stop plugin sources (and their threads) first: they push into the channel
  ingests_.clear();  // stop the ingest threads before the channel, health and directory they use
  loader_.reset();   // stop the worker before the registry and frame it uses go away
}

void Twin::submitLayer(LayerConfig config) {
  config.source = config_.resolvePath(config.source);
  applyPluginClassifier(config);  // twin_plugins.cpp
  auto placeholder = std::make_unique<LoadingLayer>(config);
  root_->addChild(placeholder->node());
  layers_.push_back(std::move(placeholder));
  applyOrders();
  loader_->submit(std::move(config));
}

Status Twin::addLayer(LayerConfig config) {
  if (config.id.empty()) return Status(ErrorCode::InvalidArgument, "a new layer needs an id");
  if (findLayer(config.id) != nullptr) {
    return Status(ErrorCode::InvalidArgument, "a layer with id '" + config.id + "' already exists");
  }
  if (config.source.empty()) return Status(ErrorCode::InvalidArgument, "layer '" + config.id + "' needs a source");
  spdlog::info("adding layer '{}' from {}", config.id, config.source);
  submitLayer(std::move(config));
  return Status::ok();
}

void Twin::update(std::size_t vertexBudget) {
  for (LoadedLayer& loaded : loader_->takeFinished()) integrate(std::move(loaded));
  if (!mergeQueue_.empty()) mergeQueue_.mergeStep(vertexBudget);
  pluginHost_->poll(frameTime_);  // polled plugin sources push into the channel
  applyLiveSamples();
  updatePlayback();
  refreshLiveLayers();
}

// Starts each configured source: a registered type's (zmq: an ingest thread) here, a plugin's by its plugin; a source
// that cannot start keeps its error for the UI.
void Twin::startSources() {
  directory_.publishFrom(entities_);
  for (const SourceConfig& sc : config_.sources) {
    SourceFeeds& feeds = sourceFeeds_.emplace_back();  // twin_feeds.cpp
    const SourceRegistry::Type* type = sourceRegistry_.find(sc.type);
    if (type == nullptr) {  // a plugin's source type
      sourceStates_.push_back({sc.id, sc.type, startPluginSource(sc)});
      continue;
    }
    std::unique_ptr<LiveSource> source =
        type->factory(sc, SourceContext{channel_, directory_, feedHealth_.config(), config_});
    SourceState state{sc.id, source->endpoint(), source->start()};
    if (state.status.isOk()) {
      spdlog::info("source '{}': listening on {}", sc.id, source->endpoint());
      state.endpoint = source->endpoint();
    } else {
      spdlog::error("source '{}' ({}): {}", sc.id, state.endpoint, state.status.message());
    }
    feeds.source = source.get();
    ingests_.push_back(std::move(source));
    sourceStates_.push_back(std::move(state));
  }
}

// Update thread, once per frame: refreshes the ingest threads' view of entities and attributes when they changed,
// and moves the samples that arrived into the time-series store.
void Twin::applyLiveSamples() {
  // In-process producers push too (liveChannel, plugin sources; a plugin's new attribute name waits here).
  if (ingests_.empty() && channel_.size() == 0 && pluginHost_->runningSources() == 0) return;
  // Attribute names are schema, not identity: one a publisher uses that the twin has not seen is registered
  // (its first samples were counted as unknown); unknown entity ids are registered only under a prefix a vehicles
  // layer claims (bounded), never otherwise.
  for (const std::string& name : directory_.takeUnknownAttributes()) {
    if (auto id = entities_.attributes().intern(name); !id) spdlog::warn("feed attribute '{}': {}", name, id.status().message());
  }
  admitDynamicEntities();  // ids a vehicles layer claims become entities (twin_vehicles.cpp)
  if (entities_.size() != publishedEntities_ || entities_.attributes().size() != publishedAttributes_) {
    directory_.publishFrom(entities_);
    publishedEntities_ = entities_.size();
    publishedAttributes_ = entities_.attributes().size();
  }
  drained_.clear();
  if (channel_.drain(drained_) == 0) return;
  timeSeries_.append(std::span<const SampleUpdate>(drained_));
  samplesApplied_ += drained_.size();
  recordHistory(drained_);
}

// Update thread: registers the layer's entities (moving their properties out of the features), swaps the
// placeholder for the layer and stages its nodes for merging.
void Twin::integrate(LoadedLayer loaded) {
  const std::string& id = loaded.config.id;
  auto it = std::find_if(layers_.begin(), layers_.end(), [&id](const auto& l) { return l->id() == id; });
  if (it == layers_.end()) return;  // removed while loading
  layers::Layer& layer = *loaded.layer;
  // A field layer's features are the area it covers, not entities of the twin.
  const layers::LayerTraits& traits = layerRegistry_.traits(loaded.config.type);
  if (loaded.features && layer.status().isOk() && traits.featuresAreEntities) {
    const std::string kind = entityKind(loaded.config, traits);
    std::vector<EntityIndex> slots(loaded.features->features.size(), kInvalidEntity);
    entities_.reserve(entities_.size() + slots.size());
    std::size_t refused = 0;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      Feature& f = loaded.features->features[i];
      PropertyMap props = std::move(f.properties);
      props.emplace("layer", id);
      if (loaded.config.synthetic) props.emplace("synthetic", true);
      // A BIM element's kind is its IFC type (IFCWALLSTANDARDCASE...), not one kind per layer.
      const auto ownKind = traits.kindProperty.empty() ? std::nullopt : layers::textOf(props, traits.kindProperty);
      auto index = entities_.add(f.id, ownKind ? *ownKind : kind, std::move(props));
      if (!index) {
        if (refused++ < 3) spdlog::warn("layer '{}': {}", id, index.status().message());
        continue;
      }
      f.entity = *index;
      slots[i] = *index;
      if (entityPosition_.size() <= *index) entityPosition_.resize(*index + 1, Vec3d{std::nan(""), 0, 0});
      entityPosition_[*index] = labelAnchor(f.geometry);  // plugins enumerate entities with positions
    }
    if (refused > 0) spdlog::warn("layer '{}': {} features not registered (duplicate ids)", id, refused);
    entityLayer_.resize(entities_.size());
    for (EntityIndex e : slots) {
      if (e != kInvalidEntity) entityLayer_[e] = id;
    }
    const LayerStyleConfig& style = loaded.config.style;
    if (!style.labelZh.empty() || !style.labelEn.empty()) {
      LabelSet labels{id, style.labelPriority, style.labelZh, style.labelEn, {}};
      for (std::size_t i = 0; i < slots.size(); ++i) {
        if (slots[i] == kInvalidEntity) continue;
        const FeatureGeometry& geometry = loaded.features->features[i].geometry;
        Vec3d anchor = labelAnchor(geometry);
        if (ground_) anchor.z = ground_->heightAt(anchor.x, anchor.y, anchor.z);
        double extent = 0.0;
        for (const Polygon& p : geometry.polygons) extent = std::max(extent, std::sqrt(polygonArea(p)));
        for (const auto& line : geometry.lines) {
          double length = 0.0;
          for (std::size_t k = 1; k < line.size(); ++k) length += std::hypot(line[k].x - line[k - 1].x, line[k].y - line[k - 1].y);
          extent = std::max(extent, length);
        }
        labels.anchors.push_back({slots[i], anchor, static_cast<float>(extent)});
      }
      std::erase_if(labelSets_, [&id](const LabelSet& l) { return l.layerId == id; });
      labelSets_.push_back(std::move(labels));
    }
    layer.assignEntities(std::move(slots));
    if (loaded.features->bounds.valid()) {
      bounds_.extend(loaded.features->bounds.min);
      bounds_.extend(loaded.features->bounds.max);
    }
  }
  if (const auto* terrain = dynamic_cast<const layers::TerrainLayer*>(&layer); terrain != nullptr && terrain->heightField()) {
    ground_ = terrain->heightField();
  }
  if (layer.status().isOk()) {
    spdlog::info("layer '{}': {} features in {:.2f} s{}", id, loaded.features ? loaded.features->features.size() : 0,
                 loaded.seconds,
                 loaded.features && loaded.features->skippedFeatures
                     ? fmt::format(", {} skipped", loaded.features->skippedFeatures)
                     : "");
  } else {
    spdlog::error("layer '{}' failed: {}", id, layer.status().message());
  }
  mergeQueue_.stage(layer.node());
  root_->replaceChild((*it)->node(), layer.node());
  layer.setVisible((*it)->visible());  // keep what the user chose while it loaded
  layer.setOpacity((*it)->opacity());
  *it = std::move(loaded.layer);
  applyOrders();
  integrateVehicles(**it);  // a vehicles layer claims its id prefix (twin_vehicles.cpp)
  liveDirty_ = true;  // a new layer may colour by a live attribute, or be a field over one
  linkBimModels();    // a BIM model replaces its building's box when near (twin_bim.cpp)
}

bool Twin::loading() const { return !loader_->idle() || !mergeQueue_.empty(); }

std::vector<LoadProgress> Twin::loadProgress() const {
  std::vector<LoadProgress> progress = loader_->progress();
  if (!mergeQueue_.empty()) progress.push_back({"", "merging", 0.0});
  return progress;
}

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
  liveDirty_ = true;  // live values are drawn again with the new rule on the next frame
  return layer->restyle(style, [this, layer](std::uint32_t slot) -> const PropertyMap* {
    const Entity* entity = entities_.get(layer->entityOfSlot(slot));
    return entity != nullptr ? &entity->properties : nullptr;
  });
}

// ---- values at the clock's time ----------------------------------------------------------------------------

std::optional<Sample> Twin::sampleValue(EntityIndex entity, AttributeId attribute, TimePoint t) const {
  return valueStore().valueAt(entity, attribute, t, Interpolation::Step);
}

RangeResult Twin::sampleRange(EntityIndex entity, AttributeId attribute, TimePoint t0, TimePoint t1,
                              std::size_t maxPoints) const {
  return valueStore().range(entity, attribute, t0, t1, maxPoints);
}

Duration Twin::staleAfter(EntityIndex entity) const {
  const Duration declared = directory_.snapshot()->intervalOf(entity);
  const Duration interval = declared > 0 ? declared : feedHealth_.config().defaultInterval;
  return static_cast<Duration>(feedHealth_.config().staleFactor * static_cast<double>(interval));
}

Twin::LiveValue Twin::liveValue(EntityIndex entity, AttributeId attribute, TimePoint t) const {
  LiveValue out;
  const auto sample = sampleValue(entity, attribute, t);
  if (!sample || sample->sampleTime == kNoTime || std::isnan(sample->value)) return out;
  out.value = sample->value;
  out.sampleTime = sample->sampleTime;
  out.age = t - sample->sampleTime;
  out.state = out.age <= staleAfter(entity) ? layers::SlotState::Live : layers::SlotState::Stale;
  return out;
}

std::vector<AttributeId> Twin::seriesAttributes(EntityIndex entity) const {
  std::vector<AttributeId> out;
  const std::size_t n = entities_.attributes().size();
  for (std::size_t a = 0; a < n; ++a) {
    if (valueStore().span(entity, static_cast<AttributeId>(a))) out.push_back(static_cast<AttributeId>(a));
  }
  return out;
}

// Update thread, once per frame. A layer whose style colours by a number (graduated) that has time series is
// drawn from the values at frameTime(), each slot LIVE / STALE / NO_DATA by the stale rule (staleAfter). It runs
// when samples arrived, the clock moved by kLiveRefresh or more (so values age into STALE without new samples),
// or a layer arrived or was restyled. A layer whose attribute has no series at all keeps its static colours.
void Twin::refreshLiveLayers() {
  refreshVehicleLayers();  // every frame: vehicles move between samples (twin_vehicles.cpp)
  static constexpr Duration kLiveRefresh = kMicrosPerSecond / 10;
  // Any append to the store counts (the feeds' samples, playback loading history, tools and tests).
  const std::uint64_t appended = valueStore().stats().appended;
  const bool samplesArrived = appended != liveSamplesSeen_;
  const bool timeMoved = liveTime_ == kNoTime || frameTime_ - liveTime_ >= kLiveRefresh || frameTime_ < liveTime_;
  if (!samplesArrived && !timeMoved && !liveDirty_) return;
  const bool force = liveDirty_;
  liveSamplesSeen_ = appended;
  liveTime_ = frameTime_;
  liveDirty_ = false;
  ++liveRefreshes_;
  std::vector<float> values;
  std::vector<layers::SlotState> states;
  for (const auto& layerPtr : layers_) {
    layers::Layer& layer = *layerPtr;
    auto* target = dynamic_cast<layers::LiveValueTarget*>(&layer);
    const LayerStyleConfig& style = layer.config().style;
    if (target == nullptr || layer.state() != layers::LayerState::Open || style.colorMode != "graduated" ||
        style.colorBy.empty()) {
      continue;
    }
    const auto attribute = entities_.attributes().find(style.colorBy);
    if (!attribute) continue;
    const std::size_t slots = layer.slotCount();
    values.assign(slots, std::numeric_limits<float>::quiet_NaN());
    states.assign(slots, layers::SlotState::NoData);
    bool anySeries = false;
    for (std::uint32_t s = 0; s < slots; ++s) {
      EntityIndex e = layer.entityOfSlot(s);
      if (e == kInvalidEntity) continue;
      LiveValue v = liveValue(e, *attribute, frameTime_);
      if (v.sampleTime == kNoTime && !valueStore().span(e, *attribute)) {
        // No series of its own: its container's (a BIM element shows its storey's value), else nothing.
        e = target->containerEntityOfSlot(s);
        if (e == kInvalidEntity) continue;
        v = liveValue(e, *attribute, frameTime_);
        if (v.sampleTime == kNoTime && !valueStore().span(e, *attribute)) continue;
      }
      anySeries = true;
      if (v.state == layers::SlotState::NoData) continue;
      values[s] = static_cast<float>(v.value);
      states[s] = v.state;
    }
    if (!anySeries) continue;  // a static attribute: the style's own colours stay
    auto rule = layers::ColorRule::fromConfig(layer.id(), style);
    if (!rule) continue;  // the layer opened with this style, so it parses; a restyle checked it too
    target->setLiveValues(*rule, values, states);
  }
  refreshFieldLayers(force);
}

// Field layers: IDW over the LIVE values of their points layer (stale and no-data stations are left out, so the
// surface shows "no data" where no live station is within the search radius). Recomputed when those inputs
// changed, at most field.max_update_hz times a second.
void Twin::refreshFieldLayers(bool force) {
  const auto now = std::chrono::steady_clock::now();
  for (const auto& layerPtr : layers_) {
    auto* field = dynamic_cast<layers::FieldLayer*>(layerPtr.get());
    if (field == nullptr || field->state() != layers::LayerState::Open) continue;
    const layers::FieldOptions& fc = layers::fieldOptions(field->config());
    FieldState& fs = fieldStates_[field->id()];
    if (!force && now - fs.last < std::chrono::duration<double>(1.0 / std::max(fc.maxUpdateHz, 0.01))) continue;
    if (!fc.provider.empty()) {  // a plugin computes this field (twin_plugins.cpp)
      if (Status st = computePluginField(*field); !st) spdlog::warn("field layer '{}': {}", field->id(), st.message());
      fs.last = now;
      continue;
    }
    const auto* points = dynamic_cast<const layers::VectorLayer*>(findLayer(fc.points));
    const auto attribute = entities_.attributes().find(field->config().style.colorBy);
    std::vector<float> inputs;
    std::vector<ScatteredPoint> scattered;
    if (points != nullptr && points->state() == layers::LayerState::Open && points->features() != nullptr && attribute) {
      const auto& features = points->features()->features;
      inputs.assign(points->slotCount(), std::numeric_limits<float>::quiet_NaN());
      for (std::uint32_t s = 0; s < points->slotCount() && s < features.size(); ++s) {
        const EntityIndex e = points->entityOfSlot(s);
        if (e == kInvalidEntity || features[s].geometry.points.empty()) continue;
        const LiveValue v = liveValue(e, *attribute, frameTime_);
        if (v.state != layers::SlotState::Live) continue;  // stale values never feed the field
        inputs[s] = static_cast<float>(v.value);
        const Vec3d& p = features[s].geometry.points.front();
        scattered.push_back({p.x, p.y, v.value});
      }
    }
    const auto same = [](const std::vector<float>& a, const std::vector<float>& b) {
      if (a.size() != b.size()) return false;
      for (std::size_t i = 0; i < a.size(); ++i) {
        if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
      }
      return true;
    };
    if (!force && field->updateCount() > 0 && same(inputs, fs.inputs)) continue;
    IdwParams params{fc.power, fc.searchRadiusM, fc.maxNeighbours};
    auto grid = idwGrid(field->grid(), scattered, params);
    if (!grid) {
      spdlog::warn("field layer '{}': {}", field->id(), grid.status().message());
      continue;
    }
    if (Status st = field->setValues(grid->values); !st) spdlog::warn("{}", st.message());
    fs.inputs = std::move(inputs);
    fs.last = now;
  }
}

void Twin::applyOrders() {
  for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->setOrder(static_cast<int>(i));
}

layers::Layer* Twin::findLayer(const std::string& id) const {
  for (const auto& layer : layers_) {
    if (layer->id() == id) return layer.get();
  }
  return nullptr;
}

void Twin::moveLayer(std::size_t index, int delta) {
  if (index >= layers_.size()) return;
  const auto target = static_cast<std::size_t>(
      std::clamp<long>(static_cast<long>(index) + delta, 0, static_cast<long>(layers_.size()) - 1));
  if (target == index) return;
  auto moved = std::move(layers_[index]);
  layers_.erase(layers_.begin() + static_cast<long>(index));
  layers_.insert(layers_.begin() + static_cast<long>(target), std::move(moved));
  applyOrders();
}

layers::Layer* Twin::layerOfEntity(EntityIndex entity) const {
  if (entity >= entityLayer_.size()) return nullptr;
  return findLayer(entityLayer_[entity]);
}

Result<Vec3d> Twin::poseCenter(const CameraPose& pose) const {
  return geoFrame_.lonLatToLocal(pose.centerLon, pose.centerLat, pose.centerHeight);
}

}  // namespace gt::runtime
