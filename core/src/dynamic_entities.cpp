#include "greentwin/core/dynamic_entities.hpp"

#include <spdlog/spdlog.h>

namespace gt {

Result<std::size_t> DynamicEntities::claim(EntityClaim claim) {
  const std::string who = "dynamic entities of '" + claim.owner + "'";
  if (claim.owner.empty()) return Status(ErrorCode::InvalidArgument, "a dynamic-entity claim needs an owner");
  if (claim.prefix.empty()) return Status(ErrorCode::InvalidArgument, who + ": the id prefix is empty");
  if (claim.kind.empty()) return Status(ErrorCode::InvalidArgument, who + ": the entity kind is empty");
  if (claim.maxEntities == 0) return Status(ErrorCode::InvalidArgument, who + ": max_entities must be at least 1");
  for (const EntityClaim& other : claims_) {
    const std::string_view a = claim.prefix;
    const std::string_view b = other.prefix;
    if (a.starts_with(b) || b.starts_with(a)) {
      return Status(ErrorCode::InvalidArgument, who + ": id prefix '" + claim.prefix + "' overlaps prefix '" +
                                                    other.prefix + "' of '" + other.owner + "'");
    }
  }
  claims_.push_back(std::move(claim));
  states_.emplace_back();
  return claims_.size() - 1;
}

std::optional<std::size_t> DynamicEntities::claimOf(std::string_view id) const {
  for (std::size_t i = 0; i < claims_.size(); ++i) {
    if (id.size() > claims_[i].prefix.size() && id.starts_with(claims_[i].prefix)) return i;
  }
  return std::nullopt;
}

ClaimStats DynamicEntities::stats(std::size_t index) const {
  return index < states_.size() ? states_[index].stats : ClaimStats{};
}

std::vector<DynamicEntities::Admitted> DynamicEntities::admit(EntityStore& store,
                                                              std::span<const std::string> unknownIds) {
  std::vector<Admitted> out;
  for (const std::string& id : unknownIds) {
    const auto c = claimOf(id);
    if (!c) continue;
    if (store.find(id)) continue;  // registered since it was reported (an earlier frame's report of the same id)
    const EntityClaim& claim = claims_[*c];
    State& state = states_[*c];
    if (state.stats.registered >= claim.maxEntities) {
      ++state.stats.refusals;
      bool counted = true;
      if (state.refused.size() < kRefusedIdsTracked) {
        counted = state.refused.insert(id).second;
      } else {
        counted = !state.refused.contains(id);
      }
      if (!counted) continue;
      ++state.stats.refusedIds;
      if (state.stats.refusedIds >= state.nextLogAt) {
        spdlog::warn("{}: max_entities {} reached: '{}' and {} other new id(s) under '{}' refused so far (their "
                     "updates stay dropped as unknown)",
                     claim.owner, claim.maxEntities, id, state.stats.refusedIds - 1, claim.prefix);
        state.nextLogAt *= 2;
      }
      continue;
    }
    auto index = store.add(id, claim.kind, claim.properties);
    if (!index) {
      spdlog::warn("{}: cannot register '{}': {}", claim.owner, id, index.status().message());
      continue;
    }
    ++state.stats.registered;
    out.push_back({*index, *c});
  }
  return out;
}

}  // namespace gt
