// The twin's layers (layer_set.hpp). Update thread.
#include "greentwin/runtime/layer_set.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>

#include "greentwin/layers/style.hpp"

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

LayerSet::LayerSet(const GeoFrame& frame, const layers::LayerRegistry& registry)
    : registry_(registry), root_(new osg::Group), loader_(std::make_unique<LayerLoader>(frame, registry)) {
  root_->setName("greentwin-scene");
}

LayerSet::~LayerSet() { loader_.reset(); }

void LayerSet::submit(LayerConfig config) {
  auto placeholder = std::make_unique<LoadingLayer>(config);
  root_->addChild(placeholder->node());
  layers_.push_back(std::move(placeholder));
  applyOrders();
  loader_->submit(std::move(config));
}

std::vector<layers::Layer*> LayerSet::integrateFinished(EntityStore& entities) {
  std::vector<layers::Layer*> integrated;
  for (LoadedLayer& loaded : loader_->takeFinished()) {
    if (layers::Layer* layer = integrate(std::move(loaded), entities)) integrated.push_back(layer);
  }
  return integrated;
}

void LayerSet::mergeStep(std::size_t vertexBudget) {
  if (!mergeQueue_.empty()) mergeQueue_.mergeStep(vertexBudget);
}

bool LayerSet::loading() const { return !loader_->idle() || !mergeQueue_.empty(); }

std::vector<LoadProgress> LayerSet::progress() const {
  std::vector<LoadProgress> progress = loader_->progress();
  if (!mergeQueue_.empty()) progress.push_back({"", "merging", 0.0});
  return progress;
}

void LayerSet::update(const layers::LayerFrame& frame) {
  for (const auto& layer : layers_) layer->update(frame);
}

// Update thread: registers the layer's entities (moving their properties out of the features), swaps the
// placeholder for the layer and stages its nodes for merging.
layers::Layer* LayerSet::integrate(LoadedLayer loaded, EntityStore& entities) {
  const std::string& id = loaded.config.id;
  auto it = std::find_if(layers_.begin(), layers_.end(), [&id](const auto& l) { return l->id() == id; });
  if (it == layers_.end()) return nullptr;  // removed while loading
  layers::Layer& layer = *loaded.layer;
  // A field layer's features are the area it covers, not entities of the twin.
  const layers::LayerTraits& traits = registry_.traits(loaded.config.type);
  if (loaded.features && layer.status().isOk() && traits.featuresAreEntities) {
    const std::string kind = entityKind(loaded.config, traits);
    std::vector<EntityIndex> slots(loaded.features->features.size(), kInvalidEntity);
    entities.reserve(entities.size() + slots.size());
    std::size_t refused = 0;
    for (std::size_t i = 0; i < slots.size(); ++i) {
      Feature& f = loaded.features->features[i];
      PropertyMap props = std::move(f.properties);
      props.emplace("layer", id);
      if (loaded.config.synthetic) props.emplace("synthetic", true);
      // A BIM element's kind is its IFC type (IFCWALLSTANDARDCASE...), not one kind per layer.
      const auto ownKind = traits.kindProperty.empty() ? std::nullopt : layers::textOf(props, traits.kindProperty);
      auto index = entities.add(f.id, ownKind ? *ownKind : kind, std::move(props));
      if (!index) {
        if (refused++ < 3) spdlog::warn("layer '{}': {}", id, index.status().message());
        continue;
      }
      f.entity = *index;
      slots[i] = *index;
      setEntityPosition(*index, labelAnchor(f.geometry));  // plugins enumerate entities with positions
    }
    if (refused > 0) spdlog::warn("layer '{}': {} features not registered (duplicate ids)", id, refused);
    for (EntityIndex e : slots) {
      if (e != kInvalidEntity) noteEntityOwner(e, id);
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
  if (auto heights = layer.heightField()) ground_ = std::move(heights);
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
  return it->get();
}

void LayerSet::applyOrders() {
  for (std::size_t i = 0; i < layers_.size(); ++i) layers_[i]->setOrder(static_cast<int>(i));
}

layers::Layer* LayerSet::find(const std::string& id) const {
  for (const auto& layer : layers_) {
    if (layer->id() == id) return layer.get();
  }
  return nullptr;
}

void LayerSet::move(std::size_t index, int delta) {
  if (index >= layers_.size()) return;
  const auto target = static_cast<std::size_t>(
      std::clamp<long>(static_cast<long>(index) + delta, 0, static_cast<long>(layers_.size()) - 1));
  if (target == index) return;
  auto moved = std::move(layers_[index]);
  layers_.erase(layers_.begin() + static_cast<long>(index));
  layers_.insert(layers_.begin() + static_cast<long>(target), std::move(moved));
  applyOrders();
}

void LayerSet::noteEntityOwner(EntityIndex entity, const std::string& layerId) {
  if (entity == kInvalidEntity) return;
  if (entityLayer_.size() <= entity) entityLayer_.resize(static_cast<std::size_t>(entity) + 1);
  entityLayer_[entity] = layerId;
}

layers::Layer* LayerSet::layerOfEntity(EntityIndex entity) const {
  if (entity >= entityLayer_.size()) return nullptr;
  return find(entityLayer_[entity]);
}

void LayerSet::setEntityPosition(EntityIndex entity, const Vec3d& position) {
  if (entity == kInvalidEntity) return;
  if (entityPosition_.size() <= entity) {
    entityPosition_.resize(static_cast<std::size_t>(entity) + 1, Vec3d{std::nan(""), 0, 0});
  }
  entityPosition_[entity] = position;
}

std::optional<Vec3d> LayerSet::entityPosition(EntityIndex entity) const {
  if (entity >= entityPosition_.size() || std::isnan(entityPosition_[entity].x)) return std::nullopt;
  return entityPosition_[entity];
}

}  // namespace gt::runtime
