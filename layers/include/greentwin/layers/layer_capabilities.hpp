#pragma once
// What a layer offers the runtime beyond drawing, asked for through Layer's capability accessors (layer.hpp:
// entityClaimant(), replaceableBoxes(), bimModel(), heightField()) instead of casts on layer types. A layer that does
// not offer one answers nullptr, and so does a layer of a type that would but failed to load (an error layer).
//
// Threads: the update thread.

#include <cstdint>

#include "greentwin/core/dynamic_entities.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/vec.hpp"

namespace gt::layers {

// Entities a live feed brings under an id prefix the layer owns (vehicles, core/dynamic_entities.hpp): the
// runtime's VehicleClaims registers the feed's new ids under the layer's claim and hands each over.
class EntityClaimant {
 public:
  virtual ~EntityClaimant() = default;
  // The claim: owner (the layer id), prefix, kind and bound of the entities, and the properties each starts with.
  virtual EntityClaim entityClaim() const = 0;
  // Interns the attribute names the layer reads in `registry` (so a feed's first message after an entity is
  // registered already resolves them) and keeps their ids. Errors name the attribute.
  virtual Status bindAttributes(AttributeRegistry& registry) = 0;
  // An entity registered under the claim: drawn from the next update on. Returns its slot.
  virtual std::uint32_t addClaimedEntity(EntityIndex entity) = 0;
  // A new id under the claim was refused for its bound: a warning in the layer panel, once.
  virtual void noteRefused() = 0;
};

// Footprints drawn as boxes, one of which a placed BIM model replaces when the eye is near (buildings; the runtime's
// BimLinks finds the footprint under the model through Layer::features()).
class ReplaceableBoxes {
 public:
  virtual ~ReplaceableBoxes() = default;
  // The slot's box is not drawn while the eye is within `radiusM` of `center` (scene local); radiusM <= 0 draws it
  // again.
  virtual void setReplaced(std::uint32_t slot, const Vec3d& center, double radiusM) = 0;
  // The height the slot's box stands on (the terrain under its centroid; 0 on flat ground).
  virtual float baseOfSlot(std::uint32_t slot) const = 0;
};

}  // namespace gt::layers
