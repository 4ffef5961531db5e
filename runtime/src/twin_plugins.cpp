// The Twin's side of the plugin host: what plugins reach of the twin (PluginServices), loading the configured
// plugins and starting [[sources]] of plugin types. DESIGN.md "Plugins", docs/plugins.md.
#include <spdlog/spdlog.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <span>

#include "greentwin/layers/layer_frame.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

// Plugins push through the same path as the wire protocol ingest: names resolved through the EntityDirectory's
// snapshot (any thread), samples into the UpdateChannel; the update thread applies them. Reads run on the update
// thread, through the twin's value accessors (live or playback store).
class TwinPluginServices final : public PluginServices {
 public:
  TwinPluginServices(Twin& twin, UpdateChannel& channel, EntityDirectory& directory, FeedHealth& health,
                     const GeoFrame& frame, const std::vector<std::string>& entityLayer)
      : twin_(twin), channel_(channel), directory_(directory), health_(health), frame_(frame), entityLayer_(entityLayer) {}

  // Any thread: a plugin source's message for feed health, timed on arrival like a wire message. The host calls it
  // on the pushing thread right after the message's pushes, so the entities this thread just pushed take the
  // source's interval for the per-sample stale rule, as a wire message's entities take its envelope's.
  void recordFeed(std::string_view publisher, std::uint64_t sequence, Duration interval, std::size_t updates) override {
    const TimePoint now = wallNow();
    (void)health_.record(publisher, sequence, now, now, interval, updates);
    std::vector<EntityIndex>& pushed = pushedSinceRecord();
    // At least: a plugin deriving values from an entity's feed (stamped with the feed's sample times) must not make
    // them look stale by its own, faster poll period; an entity only a plugin feeds takes the plugin's interval.
    if (interval > 0 && !pushed.empty()) channel_.noteIntervals(pushed, interval, /*atLeast=*/true);
    pushed.clear();
  }

  Status pushUpdate(std::string_view entityId, std::string_view attribute, TimePoint t, double value) override {
    const auto snapshot = directory_.snapshot();
    const auto entity = snapshot->findEntity(entityId);
    if (!entity) {
      directory_.reportUnknownEntity(entityId);
      return Status(ErrorCode::NotFound, "unknown entity '" + std::string(entityId) + "'");
    }
    const auto id = snapshot->findAttribute(attribute);
    if (!id) {
      directory_.reportUnknownAttribute(attribute);  // registered by the update thread on its next frame
      return Status(ErrorCode::NotFound, "attribute '" + std::string(attribute) + "' not registered yet");
    }
    const SampleUpdate update{*entity, *id, t, value};
    channel_.push(std::span<const SampleUpdate>(&update, 1));
    std::vector<EntityIndex>& pushed = pushedSinceRecord();
    if (pushed.empty() || pushed.back() != *entity) pushed.push_back(*entity);
    return Status::ok();
  }

  TimePoint clockNow() const override { return twin_.frameTime(); }

  // Any thread: into the alert log's queue, applied at the start of the next frame.
  Status raiseAlert(const AlertRaise& alert) override { return twin_.alerts().raise(alert); }
  Status clearAlert(std::string_view source, std::string_view key, TimePoint t) override {
    return twin_.alerts().clear(std::string(source), std::string(key), t);
  }

  std::optional<Sample> readValue(std::string_view entityId, std::string_view attribute) const override {
    const auto entity = twin_.entities().find(entityId);
    const auto id = twin_.entities().attributes().find(attribute);
    if (!entity || !id) return std::nullopt;
    return twin_.sampleValue(*entity, *id, twin_.frameTime());
  }

  bool forEachFeature(std::string_view layerId, const FeatureVisitor& visit) const override {
    const layers::Layer* layer = twin_.findLayer(std::string(layerId));
    const FeatureSet* set = layer != nullptr ? layer->features() : nullptr;
    if (set == nullptr || set->features.empty()) return false;
    for (const Feature& f : set->features) {
      // A registered feature's properties were moved into the entity store (LayerSet::integrate).
      const Entity* entity = f.entity != kInvalidEntity ? twin_.entities().get(f.entity) : nullptr;
      if (!visit(f, entity != nullptr ? entity->properties : f.properties)) break;
    }
    return true;
  }

  void readValues(std::string_view attribute, std::span<const std::uint32_t> entities, std::span<double> values,
                  std::span<std::int64_t> sampleTimes) const override {
    const auto id = twin_.entities().attributes().find(attribute);
    const TimePoint t = twin_.frameTime();
    const std::size_t entityCount = twin_.entities().size();
    for (std::size_t i = 0; i < entities.size(); ++i) {
      std::optional<Sample> sample;
      if (id && entities[i] < entityCount) sample = twin_.sampleValue(entities[i], *id, t);
      values[i] = sample ? sample->value : std::nan("");
      sampleTimes[i] = sample ? sample->sampleTime : 0;
    }
  }

  void forEachEntity(std::string_view kind, std::string_view layer,
                     const std::function<bool(const EntityView&)>& visit) const override {
    static const std::string kNoLayer;
    const EntityStore& store = twin_.entities();
    for (EntityIndex e = 0; e < store.size(); ++e) {
      const Entity* entity = store.get(e);
      if (!kind.empty() && entity->kind != kind) continue;
      const std::string& entityLayer = e < entityLayer_.size() ? entityLayer_[e] : kNoLayer;
      if (!layer.empty() && entityLayer != layer) continue;
      const auto position = twin_.entityPosition(e);
      EntityView view{&entity->id, &entity->kind, &entityLayer, position.value_or(Vec3d{}), std::nan(""), std::nan(""), e};
      if (position) {
        if (auto lonLat = frame_.localToLonLat(*position)) {
          view.lon = lonLat->x;
          view.lat = lonLat->y;
        }
      }
      if (!visit(view)) return;
    }
  }

 private:
  // The entities the calling thread pushed since its last recordFeed (each pushing thread has its own).
  static std::vector<EntityIndex>& pushedSinceRecord() {
    thread_local std::vector<EntityIndex> pushed;
    return pushed;
  }

  Twin& twin_;
  UpdateChannel& channel_;
  EntityDirectory& directory_;
  FeedHealth& health_;
  const GeoFrame& frame_;
  const std::vector<std::string>& entityLayer_;
};

// Field layers of a plugin's field type (field.provider) get their values from the plugin (update thread).
class HostFieldProvider final : public layers::FieldProvider {
 public:
  explicit HostFieldProvider(PluginHost& host) : host_(host) {}
  Result<std::vector<float>> computeField(const std::string& providerId, const GridGeometry& grid,
                                          TimePoint t) override {
    FieldRequest request;
    request.minX = grid.minX();
    request.minY = grid.minY();
    request.maxX = grid.maxX();
    request.maxY = grid.maxY();
    request.columns = static_cast<std::uint32_t>(grid.width);
    request.rows = static_cast<std::uint32_t>(grid.height);
    request.time = t;
    if (Status s = host_.computeField(providerId, request); !s) return s;
    return std::move(request.values);
  }

 private:
  PluginHost& host_;
};

}  // namespace

// The folder the in-tree plugins are built to and installed to, which a config names as "@builtin" (a config in
// the source tree cannot name the build folder by a relative path): $GREENTWIN_PLUGIN_DIR when set; else
// <exe>/../lib/greentwin/plugins when it exists (the installed tree: <prefix>/bin/greentwin; the build tree:
// <build>/viewer/greentwin); else the build tree's folder.
std::string builtinPluginDirectory() {
  if (const char* env = std::getenv("GREENTWIN_PLUGIN_DIR"); env != nullptr && *env != '\0') return env;
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path beside = exe.parent_path().parent_path() / "lib" / "greentwin" / "plugins";
    if (fs::is_directory(beside, ec)) return beside.string();
  }
  return GT_PLUGIN_BUILD_DIR;
}

void Twin::loadPlugins() {
  pluginServices_ = std::make_unique<TwinPluginServices>(*this, feeds_->channel(), feeds_->directory(),
                                                         feeds_->pluginHealth(), geoFrame_, layers_->entityOwners());
  pluginHost_ = std::make_unique<PluginHost>(*pluginServices_);
  fieldProvider_ = std::make_unique<HostFieldProvider>(*pluginHost_);
  PluginConfig pc = config_.plugins;
  for (std::string& folder : pc.folders) {
    folder = folder == kBuiltinPluginFolder ? builtinPluginDirectory() : config_.resolvePath(folder);
  }
  pluginHost_->load(pc);
}

// A [[sources]] entry whose type is not a registered one: the plugin that provides the type creates and starts it;
// the live feeds record it (its status, and its publisher for feed health).
void Twin::startPluginSource(const SourceConfig& source) {
  if (!pluginHost_->providesSourceType(source.type)) {
    std::string known;
    for (const std::string& t : sourceRegistry_.types()) known += (known.empty() ? "" : ", ") + t;
    for (const std::string& t : pluginHost_->sourceTypes()) known += (known.empty() ? "" : ", ") + t;
    const Status s(ErrorCode::InvalidArgument,
                   "source '" + source.id + "': unknown type '" + source.type +
                       "' (no active plugin provides it; known types: " + known + ")");
    spdlog::error("{}", s.message());
    feeds_->addPluginSource(source, s, "", 0);
    return;
  }
  Status s = pluginHost_->startSource(source);
  std::string publisher;
  Duration interval = 0;
  if (s.isOk()) {
    for (const PluginSourceFeed& feed : pluginHost_->sourceFeeds()) {
      if (feed.sourceId != source.id) continue;
      publisher = feed.publisher;
      interval = feed.interval;
    }
    spdlog::info("source '{}': plugin source of type '{}' started", source.id, source.type);
  } else {
    spdlog::error("source '{}' ({}): {}", source.id, source.type, s.message());
  }
  feeds_->addPluginSource(source, std::move(s), publisher, interval);
}

namespace {

std::string hexColour(const std::uint8_t rgba[4]) {
  char text[10];
  std::snprintf(text, sizeof text, "#%02x%02x%02x%02x", rgba[0], rgba[1], rgba[2], rgba[3]);
  return text;
}

}  // namespace

// A style's `classifier` names a plugin classifier: its classes become the graduated rule's colours, its upper
// bounds the breaks and its labels the legend's class names. The classifier puts a value equal to a bound in the
// LOWER class (AQI 50 is "good"), the graduated rule in the upper one, so each break is the next double above the
// bound. A classifier that is not there (plugin not enabled, refused, disabled) or classifies by callback only
// leaves the style a single colour, with a warning. The layer's alternative styles are resolved the same way.
void Twin::applyPluginClassifier(LayerConfig& config) {
  applyPluginClassifier(config.id, config.style);
  for (LayerStyleConfig& alternative : config.alternativeStyles) applyPluginClassifier(config.id, alternative);
}

void Twin::applyPluginClassifier(const std::string& layerId, LayerStyleConfig& style) {
  if (style.classifier.empty()) return;
  std::string problem = "no active plugin provides it";
  for (const PluginClassifier& c : pluginHost_->classifiers()) {
    if (c.id != style.classifier) continue;
    if (c.upperBounds.empty() || c.upperBounds.size() + 1 != c.classes.size()) {
      problem = "it classifies by callback, not by class limits";
      break;
    }
    style.colorMode = "graduated";
    style.breaks.clear();
    style.colors.clear();
    style.classNamesEn.clear();
    style.classNamesZh.clear();
    for (double bound : c.upperBounds) {
      style.breaks.push_back(std::nextafter(bound, std::numeric_limits<double>::infinity()));
    }
    for (const PluginClassifier::Class& k : c.classes) {
      style.colors.push_back(hexColour(k.rgba));
      style.classNamesEn.push_back(k.labelEn);
      style.classNamesZh.push_back(k.labelZh);
    }
    return;
  }
  spdlog::warn("layer '{}': classifier '{}' not used ({}); drawn in its fill colour", layerId, style.classifier, problem);
  // Also in the layer panel, once the layer is there (Twin::update).
  styleWarnings_[layerId].push_back("style '" + (style.nameEn.empty() ? style.colorBy : style.nameEn) +
                                    "': classifier '" + style.classifier + "' not used (" + problem +
                                    "); drawn in its fill colour");
  style.colorMode = "single";
  style.breaks.clear();
  style.colors.clear();
}

std::optional<Vec3d> Twin::entityPosition(EntityIndex entity) const {
  return layers_->entityPosition(entity);
}

}  // namespace gt::runtime
