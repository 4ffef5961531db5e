#pragma once
// Synthetic buildings: every zone's street grid is cut into blocks, each block gets a type from its zone's
// profile (slab estate, towers, old low-rise, campus, village courtyards...) and is split into lots holding one
// footprint each. Candidates that break a site rule are dropped; then blocks are drawn zone group by zone
// group (a weighted random order, denser towards the centres) and their buildings accepted unless they touch
// one accepted before, until the requested count is reached.

#include <functional>
#include <vector>

#include "city.hpp"
#include "planning.hpp"
#include "roads.hpp"
#include "site_rules.hpp"

namespace gtgen {

struct BuildingResult {
  std::vector<Building> buildings;    // in fid order
  std::vector<BlockRef> occupied;     // blocks holding at least one building
  std::vector<int> perGroup;          // accepted buildings per Group
};

using Progress = std::function<void(int done, int total)>;

BuildingResult makeBuildings(const Planning& planning, const SiteRules& rules, int target, const Progress& progress);

}  // namespace gtgen
