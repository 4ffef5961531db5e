#include "vehicle_claims.hpp"

#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "greentwin/layers/layer_capabilities.hpp"

namespace gt::runtime {

void VehicleClaims::integrate(layers::Layer& layer) {
  layers::EntityClaimant* claimant = layer.entityClaimant();
  if (claimant == nullptr || layer.state() != layers::LayerState::Open) return;
  EntityClaim wanted = claimant->entityClaim();
  const std::string prefix = wanted.prefix;
  const std::size_t bound = wanted.maxEntities;
  if (auto claim = claims_.claim(std::move(wanted)); !claim) {
    spdlog::error("layer '{}': {}", layer.id(), claim.status().message());
    return;
  }
  // The ingest keeps unknown ids under claimed prefixes in a list of their own (others cannot crowd them out).
  // Its capacity is the claims' total bound, so that a whole fleet reported in one burst registers in one frame.
  std::vector<std::string> prefixes;
  std::size_t capacity = 0;
  for (const EntityClaim& c : claims_.claims()) {
    prefixes.push_back(c.prefix);
    capacity += c.maxEntities;
  }
  directory_.setClaimedPrefixes(std::move(prefixes), capacity);
  if (Status s = claimant->bindAttributes(entities_.attributes()); !s) {
    spdlog::error("{}", s.message());
    return;
  }
  spdlog::info("layer '{}': vehicles '{}*' from the feeds (at most {})", layer.id(), prefix, bound);
}

void VehicleClaims::admit() {
  if (claims_.empty()) return;
  const std::vector<std::string> unknown = directory_.takeClaimedUnknownEntities();
  if (unknown.empty()) return;
  // The claimant of claim c (nullptr: its layer is gone or no longer claims).
  const auto claimant = [this](std::size_t c) -> layers::EntityClaimant* {
    layers::Layer* layer = layers_.find(claims_.claims()[c].owner);
    return layer != nullptr ? layer->entityClaimant() : nullptr;
  };
  std::vector<std::uint64_t> refusedBefore;
  for (std::size_t c = 0; c < claims_.claims().size(); ++c) refusedBefore.push_back(claims_.stats(c).refusedIds);
  const auto admitted = claims_.admit(entities_, unknown);
  for (std::size_t c = 0; c < refusedBefore.size(); ++c) {
    if (claims_.stats(c).refusedIds == refusedBefore[c]) continue;
    if (layers::EntityClaimant* owner = claimant(c)) owner->noteRefused();  // the layer panel shows it
  }
  if (admitted.empty()) return;
  std::vector<std::size_t> perClaim(claims_.claims().size(), 0);
  for (const DynamicEntities::Admitted& a : admitted) {
    layers_.noteEntityOwner(a.entity, claims_.claims()[a.claim].owner);
    if (layers::EntityClaimant* owner = claimant(a.claim)) owner->addClaimedEntity(a.entity);
    ++perClaim[a.claim];
  }
  for (std::size_t c = 0; c < perClaim.size(); ++c) {
    if (perClaim[c] == 0) continue;
    spdlog::info("layer '{}': {} new vehicle(s) from the feeds, {} in all", claims_.claims()[c].owner, perClaim[c],
                 claims_.stats(c).registered);
  }
}

}  // namespace gt::runtime
