// Twin's BIM wiring (issue 5): which building's extruded box each placed BIM model replaces when near.
#include "greentwin/viewer/twin.hpp"

#include <spdlog/spdlog.h>

#include "greentwin/layers/bim_layer.hpp"
#include "greentwin/layers/building_layer.hpp"

namespace gt::viewer {
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

}  // namespace

// Update thread, after each layer integrates: a BIM layer whose building is known (by id, or the footprint under
// the model's centre) tells that building layer to hide the box within the model's LOD distance — the same
// centre and distance as the model's osg::LOD, so exactly one of the two is drawn. A building layer that loads
// after the model links it then.
void Twin::linkBimModels() {
  for (const auto& layerPtr : layers_) {
    auto* bim = dynamic_cast<layers::BimLayer*>(layerPtr.get());
    if (bim == nullptr || bim->state() != layers::LayerState::Open || bimLinks_.count(bim->id()) != 0) continue;
    const std::string& wanted = bim->config().bim.replacesBuilding;
    if (wanted.empty() || wanted == "none") {
      bimLinks_.emplace(bim->id(), kInvalidEntity);
      continue;
    }
    layers::BuildingLayer* building = nullptr;
    std::optional<std::uint32_t> slot;
    if (wanted == "auto") {
      const Vec3d c = bim->lodCenter();
      for (const auto& other : layers_) {
        auto* b = dynamic_cast<layers::BuildingLayer*>(other.get());
        if (b == nullptr || b->state() != layers::LayerState::Open || b->features() == nullptr) continue;
        const auto& features = b->features()->features;
        for (std::uint32_t s = 0; s < features.size() && !slot; ++s) {
          for (const Polygon& p : features[s].geometry.polygons) {
            if (!p.rings.empty() && contains(p, c.x, c.y)) {
              slot = s;
              break;
            }
          }
        }
        if (slot) {
          building = b;
          break;
        }
      }
    } else if (auto entity = entities_.find(wanted)) {
      building = dynamic_cast<layers::BuildingLayer*>(layerOfEntity(*entity));
      if (building != nullptr) slot = building->slotOfEntity(*entity);
    }
    if (building == nullptr || !slot) continue;  // not loaded yet (or no footprint there): tried again later
    const double radius = bim->lodDistance() > 0.0 ? bim->lodDistance() : 1e12;  // no LOD: the model always wins
    // Both measure from the model's centre on the building's base (the footprint is drawn there when near).
    const Vec3d center{bim->lodCenter().x, bim->lodCenter().y, building->baseOfSlot(*slot)};
    bim->setLodCenter(center);
    building->setReplaced(*slot, center, radius);
    const EntityIndex entity = building->entityOfSlot(*slot);
    bimLinks_.emplace(bim->id(), entity);
    const Entity* e = entities_.get(entity);
    spdlog::info("bim layer '{}' replaces building '{}' {}", bim->id(), e != nullptr ? e->id : "?",
                 bim->lodDistance() > 0.0 ? fmt::format("within {:.0f} m", bim->lodDistance()) : std::string("always"));
  }
}

std::optional<EntityIndex> Twin::bimReplacedBuilding(const std::string& bimLayerId) const {
  auto it = bimLinks_.find(bimLayerId);
  if (it == bimLinks_.end() || it->second == kInvalidEntity) return std::nullopt;
  return it->second;
}

}  // namespace gt::viewer
