#include "geometry.hpp"

#include <cmath>

namespace greentwin::water {
namespace {

struct Moments {
  double area = 0, cx = 0, cy = 0;  // signed area and its first moments (x 1/6 A folded in below)
};

// Signed area and first moments of a ring about the origin, relative to `o` for precision.
Moments ringMoments(const Ring& ring, Point o) {
  Moments m;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const double xj = ring[j].x - o.x, yj = ring[j].y - o.y, xi = ring[i].x - o.x, yi = ring[i].y - o.y;
    const double cross = xj * yi - xi * yj;
    m.area += cross / 2.0;
    m.cx += (xj + xi) * cross / 6.0;
    m.cy += (yj + yi) * cross / 6.0;
  }
  return m;
}

}  // namespace

std::optional<Point> centroid(const std::vector<PolygonRings>& polygons) {
  Point o;
  bool haveOrigin = false;
  double area = 0, mx = 0, my = 0;
  for (const PolygonRings& polygon : polygons) {
    for (std::size_t r = 0; r < polygon.size(); ++r) {
      if (polygon[r].size() < 3) continue;
      if (!haveOrigin) o = polygon[r].front(), haveOrigin = true;
      Moments m = ringMoments(polygon[r], o);
      // The exterior counts positive, holes negative, whatever way they wind.
      const double sign = (m.area >= 0) == (r == 0) ? 1.0 : -1.0;
      area += sign * m.area;
      mx += sign * m.cx;
      my += sign * m.cy;
    }
  }
  if (!(std::fabs(area) > 0)) return std::nullopt;
  return Point{o.x + mx / area, o.y + my / area};
}

}  // namespace greentwin::water
