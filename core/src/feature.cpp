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

namespace {

bool insideRing(const std::vector<Vec3d>& ring, double x, double y) {
  bool inside = false;
  for (std::size_t i = 0, j = ring.size() - 1; i < ring.size(); j = i++) {
    const Vec3d& a = ring[i];
    const Vec3d& b = ring[j];
    if ((a.y > y) != (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

}  // namespace

Vec3d labelAnchor(const FeatureGeometry& geometry) {
  if (!geometry.polygons.empty()) {
    const Polygon* largest = &geometry.polygons.front();
    for (const Polygon& p : geometry.polygons) {
      if (polygonArea(p) > polygonArea(*largest)) largest = &p;
    }
    const auto& ring = largest->rings.front();
    // Area-weighted centroid of the exterior ring.
    double a2 = 0, cx = 0, cy = 0;
    for (std::size_t i = 0; i < ring.size(); ++i) {
      const Vec3d& p = ring[i];
      const Vec3d& q = ring[(i + 1) % ring.size()];
      const double cross = p.x * q.y - q.x * p.y;
      a2 += cross;
      cx += (p.x + q.x) * cross;
      cy += (p.y + q.y) * cross;
    }
    if (std::abs(a2) > 1e-9) {
      const Vec3d c{cx / (3 * a2), cy / (3 * a2), ring.front().z};
      if (insideRing(ring, c.x, c.y)) return c;
    }
    return ring.front();
  }
  if (!geometry.lines.empty()) {
    const std::vector<Vec3d>* longest = &geometry.lines.front();
    for (const auto& line : geometry.lines) {
      if (line.size() > longest->size()) longest = &line;
    }
    return (*longest)[longest->size() / 2];
  }
  return geometry.points.empty() ? Vec3d{} : geometry.points.front();
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
