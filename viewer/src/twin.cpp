#include "greentwin/viewer/twin.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "greentwin/connectors/vector_reader.hpp"

namespace gt::viewer {
namespace {

// An ErrorLayer stands in for a layer whose data could not be loaded: it draws nothing, carries the error.
class ErrorLayer : public layers::Layer {
 public:
  ErrorLayer(LayerConfig config, Status error) : Layer(std::move(config)), error_(std::move(error)) {}

 protected:
  Status openImpl() override { return error_; }

 private:
  Status error_;
};

std::string kindFromLayerId(const std::string& id) {
  // "tongzhou-district" -> "district": the last dash-separated word names the kind well enough for the demo;
  // typed kinds come with the domain layers.
  const auto dash = id.find_last_of('-');
  return dash == std::string::npos ? id : id.substr(dash + 1);
}

}  // namespace

Result<std::unique_ptr<Twin>> Twin::create(Config config, Clock::WallSource wall) {
  auto frame = GeoFrame::create(config.scene.originLon, config.scene.originLat, config.scene.crs);
  if (!frame) return Status(frame.status().code(), "scene frame: " + frame.status().message());
  std::unique_ptr<Twin> twin(new Twin(std::move(config), std::move(*frame), std::move(wall)));
  twin->loadLayers();
  return twin;
}

Twin::Twin(Config config, GeoFrame frame, Clock::WallSource wall)
    : config_(std::move(config)), geoFrame_(std::move(frame)), clock_(wall), root_(new osg::Group) {
  root_->setName("greentwin-scene");
  layers::registerBuiltinLayers(layerRegistry_);
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

void Twin::loadLayers() {
  for (const LayerConfig& lc : config_.layers) {
    std::unique_ptr<layers::Layer> layer;
    std::shared_ptr<FeatureSet> features;
    if (lc.type == "vector" || lc.type == "buildings") {
      connectors::VectorReadOptions options;
      options.idPrefix = lc.id;
      options.layerName = lc.sourceLayer;
      options.idAttribute = lc.idAttribute;
      options.assumeCrs = lc.assumeCrs;
      auto read = connectors::readVectorSource(config_.resolvePath(lc.source), geoFrame_, options);
      if (read) {
        features = std::make_shared<FeatureSet>(std::move(*read));
      } else {
        layer = std::make_unique<ErrorLayer>(lc, read.status());
      }
    }
    if (features) {
      const std::string kind = lc.type == "buildings" ? "building" : kindFromLayerId(lc.id);
      for (Feature& f : features->features) {
        PropertyMap props = f.properties;
        props.emplace("layer", lc.id);
        if (lc.synthetic) props.emplace("synthetic", true);
        auto index = entities_.add(f.id, kind, std::move(props));
        if (!index) {
          spdlog::warn("layer '{}': {}", lc.id, index.status().message());
          continue;
        }
        f.entity = *index;
        entityLayer_.resize(entities_.size());
        entityLayer_[*index] = lc.id;
      }
      if (features->bounds.valid()) {
        bounds_.extend(features->bounds.min);
        bounds_.extend(features->bounds.max);
      }
    }
    if (!layer) {
      auto created = layerRegistry_.create({lc, features});
      layer = created ? std::move(*created) : std::make_unique<ErrorLayer>(lc, created.status());
    }
    if (Status s = layer->open(); !s) {
      spdlog::error("layer '{}' failed: {}", lc.id, s.message());
    } else {
      spdlog::info("layer '{}': {} features{}", lc.id, features ? features->features.size() : 0,
                   features && features->skippedFeatures ? fmt::format(", {} skipped", features->skippedFeatures) : "");
    }
    root_->addChild(layer->node());
    layers_.push_back(std::move(layer));
  }
  applyOrders();
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

}  // namespace gt::viewer
