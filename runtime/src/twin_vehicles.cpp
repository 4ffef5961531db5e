// Vehicles in the twin (issue 4, moving entities): "vehicles" layers claim an entity id prefix, the feeds' new ids
// under it become entities (core/dynamic_entities.hpp), and each frame the layers draw their vehicles at the
// frame's time (Layer::update, like every layer). Everything here runs on the update thread.
//
// Threads, end to end: an ingest thread that cannot resolve "buses/T51-01" drops the update (counted) and reports
// the id (EntityDirectory::reportUnknownEntity, which keeps ids under claimed prefixes in a list of their own); the
// update thread, in applyLiveSamples(), takes those ids,
// registers those a layer claimed (bounded by its max_entities), gives each to its layer, and republishes the
// directory; the ingest threads resolve the id from their next message on.
#include "greentwin/runtime/twin.hpp"

#include <spdlog/spdlog.h>

#include "greentwin/layers/vehicle_layer.hpp"

namespace gt::runtime {

// integrate(): a vehicles layer that opened claims its prefix and interns the attributes it reads (so that a feed's
// first message after the vehicle is registered already resolves them).
void Twin::integrateVehicles(layers::Layer& layer) {
  auto* vehicles = dynamic_cast<layers::VehicleLayer*>(&layer);
  if (vehicles == nullptr || vehicles->state() != layers::LayerState::Open) return;
  const layers::VehiclesOptions& vc = layers::vehiclesOptions(vehicles->config());
  PropertyMap properties{{"layer", vehicles->id()}};
  if (vehicles->config().synthetic) properties.emplace("synthetic", true);
  auto claim = dynamicEntities_.claim(
      EntityClaim{vehicles->id(), vc.prefix, vc.kind, static_cast<std::size_t>(vc.maxEntities), std::move(properties)});
  if (!claim) {
    spdlog::error("layer '{}': {}", vehicles->id(), claim.status().message());
    return;
  }
  // The ingest keeps unknown ids under claimed prefixes in a list of their own (others cannot crowd them out).
  // Its capacity is the claims' total bound, so that a whole fleet reported in one burst registers in one frame.
  std::vector<std::string> prefixes;
  std::size_t capacity = 0;
  for (const EntityClaim& c : dynamicEntities_.claims()) {
    prefixes.push_back(c.prefix);
    capacity += c.maxEntities;
  }
  feeds_->directory().setClaimedPrefixes(std::move(prefixes), capacity);
  if (Status s = vehicles->bindAttributes(entities_.attributes()); !s) {
    spdlog::error("{}", s.message());
    return;
  }
  spdlog::info("layer '{}': vehicles '{}*' from the feeds (at most {})", vehicles->id(), vc.prefix, vc.maxEntities);
}

// applyLiveSamples(), before the directory is republished: registers the reported ids under claimed prefixes. Other
// unknown ids stay in the directory's own list, as before (never registered).
void Twin::admitDynamicEntities() {
  if (dynamicEntities_.empty()) return;
  const std::vector<std::string> unknown = feeds_->directory().takeClaimedUnknownEntities();
  if (unknown.empty()) return;
  std::vector<std::uint64_t> refusedBefore;
  for (std::size_t c = 0; c < dynamicEntities_.claims().size(); ++c) refusedBefore.push_back(dynamicEntities_.stats(c).refusedIds);
  const auto admitted = dynamicEntities_.admit(entities_, unknown);
  for (std::size_t c = 0; c < refusedBefore.size(); ++c) {
    if (dynamicEntities_.stats(c).refusedIds == refusedBefore[c]) continue;
    if (auto* vehicles = dynamic_cast<layers::VehicleLayer*>(findLayer(dynamicEntities_.claims()[c].owner))) {
      vehicles->noteRefused();  // the layer panel shows it
    }
  }
  if (admitted.empty()) return;
  std::vector<std::size_t> perClaim(dynamicEntities_.claims().size(), 0);
  for (const DynamicEntities::Admitted& a : admitted) {
    const std::string& owner = dynamicEntities_.claims()[a.claim].owner;
    layers_->noteEntityOwner(a.entity, owner);
    if (auto* vehicles = dynamic_cast<layers::VehicleLayer*>(findLayer(owner)); vehicles != nullptr) {
      vehicles->addVehicle(a.entity);
    }
    ++perClaim[a.claim];
  }
  for (std::size_t c = 0; c < perClaim.size(); ++c) {
    if (perClaim[c] == 0) continue;
    spdlog::info("layer '{}': {} new vehicle(s) from the feeds, {} in all", dynamicEntities_.claims()[c].owner,
                 perClaim[c], dynamicEntities_.stats(c).registered);
  }
}

}  // namespace gt::runtime
