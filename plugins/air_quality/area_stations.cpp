#include "area_stations.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace greentwin::air_quality {

std::optional<std::array<double, 2>> areaCentroid(const std::vector<AreaPolygon>& polygons) {
  double sumA = 0, sumX = 0, sumY = 0;
  for (const AreaPolygon& polygon : polygons) {
    for (std::size_t r = 0; r < polygon.size(); ++r) {
      const AreaRing& ring = polygon[r];
      if (ring.size() < 3) continue;
      // Triangles fanned about the first vertex (small products for coordinates far from the origin).
      const auto& o = ring[0];
      double a = 0, mx = 0, my = 0;
      for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
        const double ax = ring[i][0] - o[0], ay = ring[i][1] - o[1];
        const double bx = ring[i + 1][0] - o[0], by = ring[i + 1][1] - o[1];
        const double t = 0.5 * (ax * by - bx * ay);
        a += t;
        mx += t * (ax + bx) / 3.0;
        my += t * (ay + by) / 3.0;
      }
      if (a == 0) continue;
      const double sign = (r == 0 ? 1.0 : -1.0) * (a > 0 ? 1.0 : -1.0);  // an exterior adds, a hole takes away
      sumA += sign * a;
      sumX += sign * (mx + a * o[0]);
      sumY += sign * (my + a * o[1]);
    }
  }
  if (!(sumA > 0) || !std::isfinite(sumX) || !std::isfinite(sumY)) return std::nullopt;
  return std::array<double, 2>{sumX / sumA, sumY / sumA};
}

std::vector<StationWeight> nearestStations(double x, double y, const std::vector<std::array<double, 2>>& positions,
                                           std::size_t count, double power, double searchRadiusM) {
  constexpr double kCoincidentM = 1e-6;
  const double radius = searchRadiusM > 0 ? searchRadiusM : std::numeric_limits<double>::infinity();
  std::vector<StationWeight> near;
  for (std::size_t i = 0; i < positions.size(); ++i) {
    const auto& p = positions[i];
    if (!std::isfinite(p[0]) || !std::isfinite(p[1])) continue;
    const double d = std::hypot(p[0] - x, p[1] - y);
    if (!(d <= radius)) continue;
    if (d <= kCoincidentM) return {{i, 1.0, d}};
    near.push_back({i, std::pow(d, -power), d});
  }
  std::sort(near.begin(), near.end(), [](const StationWeight& a, const StationWeight& b) {
    return a.distanceM < b.distanceM || (a.distanceM == b.distanceM && a.station < b.station);
  });
  if (near.size() > count) near.resize(count);
  return near;
}

}  // namespace greentwin::air_quality
