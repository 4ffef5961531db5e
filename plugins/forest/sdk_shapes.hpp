#pragma once
// The forest plugin's bridge between the SDK's types and its plain C++ geometry (geometry.hpp): shapes of features
// and areas, and a scenario's building edits as #18 sees them (scenario_homes.hpp). Any thread.
#include <greentwin/plugin.hpp>

#include <vector>

#include "geometry.hpp"
#include "scenario_homes.hpp"

namespace greentwin::forest {

using greentwin::plugin::Area;
using greentwin::plugin::Feature;
using greentwin::plugin::FeaturePolygon;
using greentwin::plugin::XY;

inline Shape shapeOf(const std::vector<FeaturePolygon>& polygons) {
  Shape s;
  for (const FeaturePolygon& p : polygons) {
    PolygonShape out;
    for (const auto& ring : p.rings) {
      Ring r;
      r.reserve(ring.size());
      for (const XY& v : ring) r.push_back({v.x, v.y});
      out.rings.push_back(std::move(r));
    }
    s.push_back(std::move(out));
  }
  return s;
}
inline Shape shapeOf(const Feature& f) { return shapeOf(f.polygons); }
inline Shape shapeOf(const Area& a) { return shapeOf(a.polygons); }

inline bool sameShape(const Shape& a, const Shape& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t p = 0; p < a.size(); ++p) {
    if (a[p].rings.size() != b[p].rings.size()) return false;
    for (std::size_t r = 0; r < a[p].rings.size(); ++r) {
      const Ring& x = a[p].rings[r];
      const Ring& y = b[p].rings[r];
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (x[i].x != y[i].x || x[i].y != y[i].y) return false;
      }
    }
  }
  return true;
}

// The scenario's building edits (remove_building, set_use, add_building), in order.
inline std::vector<BuildingEdit> buildingEditsOf(const greentwin::plugin::Scenario& s) {
  using greentwin::plugin::EditKind;
  std::vector<BuildingEdit> out;
  for (const auto& e : s.edits) {
    BuildingEdit b;
    if (e.is(EditKind::RemoveBuilding)) {
      b.kind = BuildingEdit::Kind::Remove;
    } else if (e.is(EditKind::SetUse)) {
      b.kind = BuildingEdit::Kind::SetUse;
    } else if (e.is(EditKind::AddBuilding)) {
      b.kind = BuildingEdit::Kind::Add;
      b.id = e.id;
      b.shape = shapeOf(e.shape);
    } else {
      continue;
    }
    b.ids = e.buildings;
    b.use = e.use;
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace greentwin::forest
