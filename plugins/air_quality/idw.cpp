#include "idw.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace greentwin::air_quality {

double idwAt(double x, double y, const std::vector<StationValue>& stations, const IdwSettings& settings) {
  constexpr double kCoincidentM = 1e-6;
  const double radius2 = settings.searchRadiusM > 0 ? settings.searchRadiusM * settings.searchRadiusM
                                                    : std::numeric_limits<double>::infinity();
  double weighted = 0, weights = 0;
  int used = 0;
  for (const StationValue& s : stations) {
    if (!std::isfinite(s.value) || !std::isfinite(s.x) || !std::isfinite(s.y)) continue;
    const double dx = s.x - x, dy = s.y - y;
    const double d2 = dx * dx + dy * dy;
    if (d2 > radius2) continue;
    if (d2 <= kCoincidentM * kCoincidentM) return s.value;  // a station on the cell centre is its value
    ++used;
    // d^-power = (d^2)^(-power/2): no square root.
    const double w = std::pow(d2, -0.5 * settings.power);
    weighted += w * s.value;
    weights += w;
  }
  if (used < std::max(settings.minStations, 1) || !(weights > 0)) return std::numeric_limits<double>::quiet_NaN();
  return weighted / weights;
}

}  // namespace greentwin::air_quality
