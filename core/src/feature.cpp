#include "greentwin/core/feature.hpp"

#include <algorithm>
#include <cmath>

namespace gt {
namespace {

double ringSignedArea(const std::vector<Vec3d>& ring) {
  double twice = 0.0;
  const std::size_t n = ring.size();
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3d& a = ring[i];
    const Vec3d& b = ring[(i + 1) % n];
    twice += a.x * b.y - b.x * a.y;
  }
  return twice / 2.0;
}

}  // namespace

void Bounds::extend(const Vec3d& p) {
  min = {std::min(min.x, p.x), std::min(min.y, p.y), std::min(min.z, p.z)};
  max = {std::max(max.x, p.x), std::max(max.y, p.y), std::max(max.z, p.z)};
}

double polygonArea(const Polygon& polygon) {
  if (polygon.rings.empty()) return 0.0;
  double area = std::abs(ringSignedArea(polygon.rings.front()));
  for (std::size_t i = 1; i < polygon.rings.size(); ++i) area -= std::abs(ringSignedArea(polygon.rings[i]));
  return area;
}

double featureSetArea(const FeatureSet& set) {
  double total = 0.0;
  for (const Feature& f : set.features) {
    for (const Polygon& p : f.geometry.polygons) total += polygonArea(p);
  }
  return total;
}

}  // namespace gt
