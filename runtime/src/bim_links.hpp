#pragma once
// The twin's BIM wiring (issue 5; docs/bim.md), one part the Twin owns: which building's extruded box each placed
// BIM model replaces when near, storeys as entities (live values per storey), and placing a model by hand (saved
// to <config dir>/bim_placements.toml). It finds models and boxes through the layers' capabilities
// (layers/layer_capabilities.hpp: Layer::bimModel(), Layer::replaceableBoxes()), never by their types.
//
// Threads: the update thread (the BIM panel's changes arrive there as commands).

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/vec.hpp"
#include "greentwin/layers/layer_registry.hpp"
#include "greentwin/runtime/bim_placements.hpp"
#include "greentwin/runtime/layer_set.hpp"

namespace gt::layers {
class BimLayer;  // bim_layer.hpp
}

namespace gt::runtime {

class BimLinks {
 public:
  // All four must outlive this object.
  BimLinks(const Config& config, const layers::LayerRegistry& registry, EntityStore& entities, LayerSet& layers);

  // Before the layers are submitted: <config dir>/bim_placements.toml overrides the anchors of the bim layers it
  // names. A file that cannot be read leaves every anchor as configured; its error (naming the file) is logged and
  // kept in placementsStatus().
  void applyPlacementsFile(std::vector<LayerConfig>& layers);
  // After each layer integrates: storey entities of newly loaded models, and each model whose building is known
  // (by id, or the footprint under its centre) hides that box within the model's LOD distance. A building layer
  // that loads after the model links it then.
  void linkModels();

  // The building entity whose box the model of `bimLayerId` replaces when near, or nullopt.
  std::optional<EntityIndex> replacedBuilding(const std::string& bimLayerId) const;
  // The BIM models loaded now, in draw order.
  std::vector<layers::BimLayer*> models() const;
  // The storey entity of a BIM element (nullopt: not a BIM element, or in no storey).
  std::optional<EntityIndex> storeyOf(EntityIndex element) const;

  // Moves a loaded model live to the placement's anchor and links the building box under its new centre.
  Status place(const BimPlacementOverride& placement);
  // Puts the centre of the model's footprint on `ground`, turned and scaled, keeping the anchor's height.
  Status placeAt(const std::string& bimLayerId, const Vec3d& ground, double rotationDeg, double scale);
  // The placement a loaded model is drawn with now (its matrix read back as an anchor).
  std::optional<BimPlacementOverride> placement(const std::string& bimLayerId) const;
  // Writes the placements made (and those read at start) to bimPlacementsPath(config).
  Status save();
  const Status& placementsStatus() const { return placementsStatus_; }

 private:
  void registerStoreys();
  layers::BimLayer* model(const std::string& bimLayerId) const;  // an open model, or nullptr

  const Config& config_;
  const layers::LayerRegistry& registry_;
  EntityStore& entities_;
  LayerSet& layers_;
  std::unordered_map<std::string, EntityIndex> links_;               // bim layer id -> replaced building (or invalid)
  std::unordered_map<std::string, bool> storeysRegistered_;          // bim layer id -> done
  std::unordered_map<std::string, BimPlacementOverride> placements_;  // bim layer id -> saved / placed by the user
  Status placementsStatus_;
};

}  // namespace gt::runtime
