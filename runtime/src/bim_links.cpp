// BimLinks (bim_links.hpp): which building's extruded box each placed BIM model replaces when near, storeys as
// entities (live values per storey), and placing a model interactively (saved to bim_placements.toml).
#include "bim_links.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "greentwin/layers/bim_layer.hpp"
#include "greentwin/layers/layer_capabilities.hpp"

namespace gt::runtime {
namespace {

// Even-odd rule over every ring (holes included).
bool contains(const Polygon& polygon, double x, double y) {
  bool inside = false;
  for (const auto& ring : polygon.rings) {
    for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
      const Vec3d& a = ring[i];
      const Vec3d& b = ring[j];
      if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) inside = !inside;
    }
  }
  return inside;
}

// Model frame -> scene local for an anchor (the sidecar's matrix, docs/bim.md: scene = origin + scale Rz p), in
// OSG's row-vector convention (p * M): the transpose of the sidecar's column-vector matrix.
osg::Matrixd placementMatrix(const BimAnchor& p) {
  const double a = p.rotationDeg * std::numbers::pi / 180.0;
  const double c = std::cos(a) * p.scale, s = std::sin(a) * p.scale;
  return osg::Matrixd(c, s, 0, 0, -s, c, 0, 0, 0, 0, p.scale, 0, p.sceneX.value_or(0.0), p.sceneY.value_or(0.0),
                      p.sceneZ, 1);
}

}  // namespace

BimLinks::BimLinks(const Config& config, const layers::LayerRegistry& registry, EntityStore& entities,
                   LayerSet& layers)
    : config_(config), registry_(registry), entities_(entities), layers_(layers) {}

layers::BimLayer* BimLinks::model(const std::string& bimLayerId) const {
  layers::Layer* layer = layers_.find(bimLayerId);
  return layer != nullptr ? layer->bimModel() : nullptr;
}

// From linkModels: one entity per storey of a newly loaded model, "bim/<layer id>/storey/<GUID>" (an IFC GlobalId
// never contains '/', so it cannot collide with an element's id), kind "storey", handed to the layer so its elements
// show the storey's live values.
void BimLinks::registerStoreys() {
  for (layers::BimLayer* bim : models()) {
    if (storeysRegistered_[bim->id()]) continue;
    storeysRegistered_[bim->id()] = true;
    const auto& storeys = bim->storeys();
    std::vector<std::size_t> elements(storeys.size(), 0);
    for (std::uint32_t s = 0; s < bim->slotCount(); ++s) {
      if (const auto k = bim->storeyOfSlot(s)) ++elements[*k];
    }
    std::vector<EntityIndex> indices(storeys.size(), kInvalidEntity);
    for (std::size_t k = 0; k < storeys.size(); ++k) {
      PropertyMap props;
      props.emplace("name", storeys[k].name);
      props.emplace("guid", storeys[k].guid);
      props.emplace("type", std::string("IFCBUILDINGSTOREY"));
      props.emplace("model", bim->scene().modelName);
      props.emplace("elements", static_cast<std::int64_t>(elements[k]));
      props.emplace("layer", bim->id());
      auto index = entities_.add("bim/" + bim->id() + "/storey/" + storeys[k].guid, "storey", std::move(props));
      if (!index) {
        spdlog::warn("bim layer '{}': storey {}: {}", bim->id(), storeys[k].guid, index.status().message());
        continue;
      }
      indices[k] = *index;
      layers_.noteEntityOwner(*index, bim->id());
      layers_.setEntityPosition(*index, bim->sceneBounds().center());
    }
    bim->assignStoreyEntities(std::move(indices));  // the layer redraws its live values on the next frame
  }
}

std::vector<layers::BimLayer*> BimLinks::models() const {
  std::vector<layers::BimLayer*> out;
  for (const auto& layer : layers_.layers()) {
    layers::BimLayer* bim = layer->bimModel();
    if (bim != nullptr && bim->state() == layers::LayerState::Open) out.push_back(bim);
  }
  return out;
}

std::optional<EntityIndex> BimLinks::storeyOf(EntityIndex element) const {
  layers::Layer* layer = layers_.layerOfEntity(element);
  const layers::BimLayer* bim = layer != nullptr ? layer->bimModel() : nullptr;
  if (bim == nullptr) return std::nullopt;
  const auto slot = bim->slotOfEntity(element);
  if (!slot) return std::nullopt;
  const EntityIndex storey = bim->containerEntityOfSlot(*slot);
  if (storey == kInvalidEntity) return std::nullopt;
  return storey;
}

void BimLinks::applyPlacementsFile(std::vector<LayerConfig>& layers) {
  // A config not read from a file (tests, defaults) has no folder, hence no placements file.
  // Placements are for layers that load an imported model (the "bim" type's trait).
  const auto placeable = [this](const LayerConfig& l) {
    return registry_.traits(l.type).data == layers::LayerTraits::Data::BimModel;
  };
  if (config_.directory.empty() || std::none_of(layers.begin(), layers.end(), placeable)) {
    return;
  }
  const std::string path = bimPlacementsPath(config_);
  auto placements = readBimPlacements(path);
  if (!placements) {
    placementsStatus_ = placements.status();
    spdlog::error("BIM placements not applied: {}", placements.status().message());
    return;
  }
  for (const BimPlacementOverride& p : *placements) {
    auto it = std::find_if(layers.begin(), layers.end(),
                           [&p, &placeable](const LayerConfig& l) { return l.id == p.layerId && placeable(l); });
    if (it == layers.end()) {
      spdlog::warn("{}: no bim layer '{}' in the config (entry kept)", path, p.layerId);
    } else {
      applyBimPlacement(p, *it);
      spdlog::info("bim layer '{}': placed as saved in {}", p.layerId, path);
    }
    placements_[p.layerId] = p;
  }
}

std::optional<BimPlacementOverride> BimLinks::placement(const std::string& bimLayerId) const {
  const layers::BimLayer* bim = model(bimLayerId);
  if (bim == nullptr || bim->state() != layers::LayerState::Open) return std::nullopt;
  const osg::Matrixd& m = bim->placement();
  return BimPlacementOverride{bimLayerId, BimAnchor::inScene(m(3, 0), m(3, 1), m(3, 2),
                                                             std::atan2(m(0, 1), m(0, 0)) * 180.0 / std::numbers::pi,
                                                             m(2, 2))};
}

Status BimLinks::place(const BimPlacementOverride& placement) {
  layers::BimLayer* bim = model(placement.layerId);
  if (bim == nullptr) return Status(ErrorCode::NotFound, "no bim layer '" + placement.layerId + "'");
  if (bim->state() != layers::LayerState::Open) {
    return Status(ErrorCode::InvalidArgument, "bim layer '" + placement.layerId + "' is not loaded");
  }
  const BimAnchor& p = placement.anchor;
  if (!p.hasSceneXY() || !std::isfinite(*p.sceneX) || !std::isfinite(*p.sceneY) || !std::isfinite(p.sceneZ) ||
      !std::isfinite(p.rotationDeg) || !(p.scale > 0.0 && p.scale <= 1000.0)) {
    return Status(ErrorCode::InvalidArgument,
                  "bim layer '" + placement.layerId + "': bad placement (scale must be > 0 and <= 1000)");
  }
  const osg::Matrixd before = bim->placedMatrix();
  bim->setPlacement(placementMatrix(p));
  // Entities follow (plugins read positions): each point by the change of the drawn matrix.
  const osg::Matrixd delta = osg::Matrixd::inverse(before) * bim->placedMatrix();
  const auto move = [&](EntityIndex e) {
    const auto position = layers_.entityPosition(e);
    if (!position) return;
    const osg::Vec3d q = osg::Vec3d(position->x, position->y, position->z) * delta;
    layers_.setEntityPosition(e, {q.x(), q.y(), q.z()});
  };
  for (std::uint32_t s = 0; s < bim->slotCount(); ++s) move(bim->entityOfSlot(s));
  for (std::size_t k = 0; k < bim->storeys().size(); ++k) move(bim->storeyEntity(k));
  // The box it replaced is drawn again; the building under the new centre (or the named one) is linked anew.
  if (auto link = links_.find(placement.layerId); link != links_.end()) {
    if (link->second != kInvalidEntity) {
      layers::Layer* layer = layers_.layerOfEntity(link->second);
      if (layers::ReplaceableBoxes* boxes = layer != nullptr ? layer->replaceableBoxes() : nullptr) {
        if (const auto slot = layer->slotOfEntity(link->second)) boxes->setReplaced(*slot, {}, 0.0);
      }
    }
    links_.erase(link);
  }
  linkModels();
  BimPlacementOverride stored = placement;
  stored.anchor.rotationDeg = std::remainder(p.rotationDeg, 360.0);
  placements_[placement.layerId] = stored;
  return Status::ok();
}

Status BimLinks::placeAt(const std::string& bimLayerId, const Vec3d& ground, double rotationDeg, double scale) {
  const layers::BimLayer* bim = model(bimLayerId);
  const auto current = placement(bimLayerId);
  if (bim == nullptr || !current || !bim->modelBounds().valid()) {
    return Status(ErrorCode::InvalidArgument, "bim layer '" + bimLayerId + "' is not loaded: it cannot be placed");
  }
  const Vec3d c = bim->modelBounds().center();
  const double a = rotationDeg * std::numbers::pi / 180.0;
  return place({bimLayerId, BimAnchor::inScene(ground.x - scale * (std::cos(a) * c.x - std::sin(a) * c.y),
                                               ground.y - scale * (std::sin(a) * c.x + std::cos(a) * c.y),
                                               current->anchor.sceneZ, rotationDeg, scale)});
}

Status BimLinks::save() {
  std::vector<BimPlacementOverride> all;
  for (const auto& [id, p] : placements_) all.push_back(p);
  if (config_.directory.empty()) {
    placementsStatus_ = Status(ErrorCode::InvalidArgument, "BIM placements not saved: the config was not read from a file");
    return placementsStatus_;
  }
  const std::string path = bimPlacementsPath(config_);
  placementsStatus_ = writeBimPlacements(path, all);
  if (placementsStatus_) spdlog::info("saved {} BIM placements to {}", all.size(), path);
  return placementsStatus_;
}

// A model whose building is known (by id, or the footprint under the model's centre) tells that building layer to
// hide the box within the model's LOD distance — the same centre and distance as the model's osg::LOD, so exactly
// one of the two is drawn.
void BimLinks::linkModels() {
  registerStoreys();
  for (layers::BimLayer* bim : models()) {
    if (links_.count(bim->id()) != 0) continue;
    const std::string& wanted = layers::bimOptions(bim->config()).replacesBuilding;
    if (wanted.empty() || wanted == "none") {
      links_.emplace(bim->id(), kInvalidEntity);
      continue;
    }
    layers::Layer* building = nullptr;
    layers::ReplaceableBoxes* boxes = nullptr;
    std::optional<std::uint32_t> slot;
    if (wanted == "auto") {
      const Vec3d c = bim->lodCenter();
      for (const auto& other : layers_.layers()) {
        layers::ReplaceableBoxes* b = other->replaceableBoxes();
        if (b == nullptr || other->state() != layers::LayerState::Open || other->features() == nullptr) continue;
        const auto& features = other->features()->features;
        for (std::uint32_t s = 0; s < features.size() && !slot; ++s) {
          for (const Polygon& p : features[s].geometry.polygons) {
            if (!p.rings.empty() && contains(p, c.x, c.y)) {
              slot = s;
              break;
            }
          }
        }
        if (slot) {
          building = other.get();
          boxes = b;
          break;
        }
      }
    } else if (auto entity = entities_.find(wanted)) {
      building = layers_.layerOfEntity(*entity);
      boxes = building != nullptr ? building->replaceableBoxes() : nullptr;
      if (boxes != nullptr) slot = building->slotOfEntity(*entity);
    }
    if (boxes == nullptr || !slot) continue;  // not loaded yet (or no footprint there): tried again later
    const double radius = bim->lodDistance() > 0.0 ? bim->lodDistance() : 1e12;  // no LOD: the model always wins
    // Both measure from the model's centre on the building's base (the footprint is drawn there when near).
    const Vec3d center{bim->lodCenter().x, bim->lodCenter().y, boxes->baseOfSlot(*slot)};
    bim->setLodCenter(center);
    boxes->setReplaced(*slot, center, radius);
    const EntityIndex entity = building->entityOfSlot(*slot);
    links_.emplace(bim->id(), entity);
    const Entity* e = entities_.get(entity);
    spdlog::info("bim layer '{}' replaces building '{}' {}", bim->id(), e != nullptr ? e->id : "?",
                 bim->lodDistance() > 0.0 ? fmt::format("within {:.0f} m", bim->lodDistance()) : std::string("always"));
  }
}

std::optional<EntityIndex> BimLinks::replacedBuilding(const std::string& bimLayerId) const {
  auto it = links_.find(bimLayerId);
  if (it == links_.end() || it->second == kInvalidEntity) return std::nullopt;
  return it->second;
}

}  // namespace gt::runtime
