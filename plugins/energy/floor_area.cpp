#include "floor_area.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::energy {

double signedRingArea(const Ring& ring) {
  const std::size_t n = ring.size();
  if (n < 3) return 0.0;
  // Shoelace about the first vertex: keeps the products small for scene coordinates far from the origin.
  const Point o = ring[0];
  double twice = 0.0;
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
    const double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
    twice += ax * by - bx * ay;
  }
  return 0.5 * twice;
}

double polygonArea(const Polygon& polygon) {
  if (polygon.rings.empty()) return 0.0;
  double area = std::abs(signedRingArea(polygon.rings[0]));
  for (std::size_t i = 1; i < polygon.rings.size(); ++i) area -= std::abs(signedRingArea(polygon.rings[i]));
  return std::max(area, 0.0);
}

double footprintArea(const std::vector<Polygon>& polygons) {
  double area = 0.0;
  for (const Polygon& p : polygons) area += polygonArea(p);
  return area;
}

std::optional<Point> footprintCentroid(const std::vector<Polygon>& polygons) {
  double sumA = 0.0, sumX = 0.0, sumY = 0.0;
  for (const Polygon& p : polygons) {
    for (std::size_t r = 0; r < p.rings.size(); ++r) {
      const Ring& ring = p.rings[r];
      if (ring.size() < 3) continue;
      // Triangles fanned about the first vertex, as signedRingArea; a ring's orientation does not matter, a hole
      // takes away.
      const Point o = ring[0];
      double a = 0.0, mx = 0.0, my = 0.0;
      for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
        const double ax = ring[i].x - o.x, ay = ring[i].y - o.y;
        const double bx = ring[i + 1].x - o.x, by = ring[i + 1].y - o.y;
        const double t = 0.5 * (ax * by - bx * ay);
        a += t;
        mx += t * (ax + bx) / 3.0;
        my += t * (ay + by) / 3.0;
      }
      if (a == 0.0) continue;
      const double sign = (r == 0 ? 1.0 : -1.0) * (a > 0 ? 1.0 : -1.0);
      sumA += sign * a;
      sumX += sign * (mx + a * o.x);
      sumY += sign * (my + a * o.y);
    }
  }
  if (!(sumA > 0.0) || !std::isfinite(sumX) || !std::isfinite(sumY)) return std::nullopt;
  return Point{sumX / sumA, sumY / sumA};
}

Floors floorsOf(std::optional<double> floors, std::optional<double> heightM) {
  if (floors && std::isfinite(*floors) && *floors >= 1.0) return {*floors, FloorsFrom::Attribute};
  if (heightM && std::isfinite(*heightM) && *heightM > 0.0) {
    return {std::max(1.0, std::round(*heightM / kStoreyHeightM)), FloorsFrom::Height};
  }
  return {1.0, FloorsFrom::Default};
}

}  // namespace greentwin::energy
