#include "site_rules.hpp"

#include "places.hpp"

namespace gtgen {

double roadClearance(const Road& road) {
  if (road.cls == "expressway") return 32.0;
  if (road.cls == "arterial") return 22.0;
  if (road.cls == "secondary") return 14.0;
  return 8.0;
}

SiteRules::SiteRules(const RealInputs& inputs, const std::vector<GreenSpace>& greens, const std::vector<Road>& majorRoads)
    : district_(inputs.district), greenSet_(1000.0), obstacles_(250.0, kMaxRadius), rivers_(250.0, 400.0) {
  for (const Polyline& river : inputs.rivers) {
    obstacles_.addPolyline(river, kRiverBuffer);
    rivers_.addPolyline(river, 0.0);
  }
  for (const Ring& ring : inputs.districtRings) obstacles_.addRing(ring, 3.0);
  greenShapes_.reserve(greens.size());
  for (const GreenSpace& g : greens) {
    std::vector<Ring> rings;
    for (const Polygon& part : g.parts) {
      for (const Ring& ring : part) {
        obstacles_.addRing(ring, 3.0);
        rings.push_back(ring);
      }
    }
    greenShapes_.emplace_back(std::move(rings));
  }
  for (const Shape& s : greenShapes_) greenSet_.add(&s);  // after the vector stops growing
  for (const Road& road : majorRoads) obstacles_.addPolyline(road.line, roadClearance(road));
}

bool SiteRules::buildable(P2 c, double r) const {
  return r <= kMaxRadius && district_.contains(c) && !greenSet_.contains(c) && obstacles_.clear(c, r);
}

}  // namespace gtgen
