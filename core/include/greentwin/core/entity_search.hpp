#pragma once
// Finding an entity by id or name (issue 16 part 3; docs/workbench.md "Search"): the planner types part of an id
// ("b-000123"), an English name ("canal") or a Chinese one ("运河"), and gets the entities that match, best first.
//
// What matches: the entity's id, and its text properties — names first (a key that is "name", contains "name" in
// any letter case, or is 名称/名字/标题), then any other text property. ASCII letters match in any case; any other
// character (Chinese too) exactly. Ranked: the whole id, its trailing segments ("building/001" of
// "city/building/001") or a whole name equal to the query, then a name or an id segment
// (between '/') beginning with it, then containing it anywhere; then any other property containing it. Ties: the
// shorter text first (the closer match), then the lower entity index (the order the data came in).
// Pure; reads the store on the calling thread (the update thread: the store is not thread-safe).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/entity.hpp"

namespace gt {

struct EntitySearchHit {
  EntityIndex entity = kInvalidEntity;
  std::string id;
  std::string label;       // what to show: the matched name, else the entity's first name, else its id
  std::string matchedKey;  // the property that matched ("" for the id)
  int rank = 0;            // 0 best: 0 exact, 1 begins with, 2 name contains, 3 id contains, 4 other property
};

struct EntitySearchOptions {
  std::size_t maxHits = 50;
  std::size_t minQueryBytes = 1;  // shorter queries (after trimming spaces) find nothing
};

std::vector<EntitySearchHit> searchEntities(const EntityStore& store, std::string_view query,
                                            const EntitySearchOptions& options = {});

// Whether a property key names the entity (name, name_en, NAME_ZH, 名称...): what search ranks first and labels with.
bool isNameKey(std::string_view key);

}  // namespace gt
