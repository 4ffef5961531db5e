#pragma once
// Which residential features a what-if scenario takes away and adds, for #18 in the scenario (docs/forest.md
// "Scenarios"; issue 16): the scenario's building edits applied in their order over the residential layer. A building
// is a home while its use is one of the residential uses: removing it, or setting another use, takes a home away;
// adding a building of a residential use, or setting a residential use on a building of another, adds one. Plain
// C++17, no SDK (the plugin converts its edits); any thread.
#include <cstddef>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "geometry.hpp"
#include "scenario_cover.hpp"

namespace greentwin::forest {

// A scenario's building edit as #18 sees it.
struct BuildingEdit {
  enum class Kind { Remove, SetUse, Add };
  Kind kind = Kind::Remove;
  std::vector<std::string> ids;  // Remove, SetUse: the buildings' ids
  std::string use;               // SetUse, Add
  std::string id;                // Add: the new building's id
  Shape shape;                   // Add: its footprint
};

// The residential layer's buildings by id: the homes (index into the residential features #18 used) and the
// footprints of the buildings of other uses (a set_use may make them homes).
struct ResidentialIndex {
  std::unordered_map<std::string, std::size_t> homes;
  std::unordered_map<std::string, Shape> others;
};

// The homes taken away (indices, each once) and added (footprints). Edits naming an unknown building change nothing.
ParkScenario::HomeChanges homeChanges(const std::vector<BuildingEdit>& edits,
                                      const std::set<std::string>& residentialUses, const ResidentialIndex& index);

}  // namespace greentwin::forest
