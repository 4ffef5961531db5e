// The homes a scenario takes away and adds (scenario_homes.hpp).
#include "scenario_homes.hpp"

#include <map>

namespace greentwin::forest {

ParkScenario::HomeChanges homeChanges(const std::vector<BuildingEdit>& edits,
                                      const std::set<std::string>& residentialUses, const ResidentialIndex& index) {
  // The scenario's state of every building an edit names: whether it still stands, whether it is a home, and its
  // footprint when it is no baseline home (a building of another use, or a new one).
  struct State {
    bool stands = true;
    bool home = false;
    const Shape* shape = nullptr;
  };
  std::map<std::string, State> touched;  // ordered: the outcome does not depend on hashing
  const auto stateOf = [&](const std::string& id) -> State* {
    if (const auto it = touched.find(id); it != touched.end()) return &it->second;
    if (index.homes.count(id) != 0) return &touched.emplace(id, State{true, true, nullptr}).first->second;
    if (const auto o = index.others.find(id); o != index.others.end()) {
      return &touched.emplace(id, State{true, false, &o->second}).first->second;
    }
    return nullptr;  // unknown: not a building of the residential layer
  };
  ParkScenario::HomeChanges out;
  for (const BuildingEdit& e : edits) {
    switch (e.kind) {
      case BuildingEdit::Kind::Remove:
        for (const std::string& id : e.ids) {
          State* s = stateOf(id);
          if (s == nullptr) ++out.unknownIds;
          if (s != nullptr) s->stands = false;
        }
        break;
      case BuildingEdit::Kind::SetUse:
        for (const std::string& id : e.ids) {
          State* s = stateOf(id);
          if (s == nullptr) ++out.unknownIds;
          if (s != nullptr && s->stands) s->home = residentialUses.count(e.use) != 0;
        }
        break;
      case BuildingEdit::Kind::Add:
        if (e.id.empty()) break;
        touched[e.id] = State{true, residentialUses.count(e.use) != 0, &e.shape};
        break;
    }
  }
  for (const auto& [id, s] : touched) {
    const auto home = index.homes.find(id);
    const bool wasHome = home != index.homes.end();
    const bool isHome = s.stands && s.home;
    if (wasHome && !isHome) out.removed.push_back(home->second);
    // A new building reusing a home's id replaces that home: the old one leaves, the new one joins.
    if (isHome && s.shape != nullptr) {
      if (wasHome) out.removed.push_back(home->second);
      out.added.push_back(*s.shape);
    }
  }
  return out;
}

}  // namespace greentwin::forest
