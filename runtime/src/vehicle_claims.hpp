#pragma once
// Vehicles in the twin (issue 4, moving entities), one part the Twin owns: layers that claim an entity id prefix
// (layers/layer_capabilities.hpp EntityClaimant: the "vehicles" layers) get the feeds' new ids under it as entities
// (core/dynamic_entities.hpp); each frame the layers draw them at the frame's time (Layer::update, like every layer).
//
// Threads, end to end: an ingest thread that cannot resolve "buses/T51-01" drops the update (counted) and reports
// the id (EntityDirectory::reportUnknownEntity, which keeps ids under claimed prefixes in a list of their own); the
// update thread, in admit() (from the Twin's applyLiveSamples and a replay's dry passes), takes those ids, registers
// those a layer claimed (bounded by its max_entities) and gives each to its layer; the Twin then republishes the
// directory, and the ingest threads resolve the id from their next message on. Everything here runs on the update
// thread.

#include "greentwin/core/dynamic_entities.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/runtime/layer_set.hpp"

namespace gt::runtime {

class VehicleClaims {
 public:
  // All three must outlive this object.
  VehicleClaims(EntityStore& entities, LayerSet& layers, EntityDirectory& directory)
      : entities_(entities), layers_(layers), directory_(directory) {}

  // A layer that integrated: when it claims entities and opened, its claim is added, the directory told the claimed
  // prefixes, and the attributes it reads interned.
  void integrate(layers::Layer& layer);
  // Registers the ids the ingest reported under claimed prefixes and hands each to its layer. Other unknown ids stay
  // in the directory's own list (never registered). Before the directory is republished.
  void admit();

  // Per claim (one per claiming layer, owner = layer id): how many were registered and refused.
  const DynamicEntities& entities() const { return claims_; }

 private:
  EntityStore& entities_;
  LayerSet& layers_;
  EntityDirectory& directory_;
  DynamicEntities claims_;
};

}  // namespace gt::runtime
