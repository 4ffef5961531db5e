#pragma once
// The plugin's own inverse-distance weighting (Shepard) of station values: a plugin sees only the SDK, so it does
// not use the twin's core/interpolation.hpp (its tests check the two agree). Pure C++17; any thread.
//
//   v(c) = sum_i w_i v_i / sum_i w_i,   w_i = 1 / d(c, p_i)^power
//
// over the stations with a finite value within `searchRadiusM` of c (all when <= 0). A cell with fewer than
// `minStations` such stations is NaN ("no data"); a cell centre within 1e-6 m of a station takes its value
// (whatever minStations says).
#include <vector>

namespace greentwin::air_quality {

struct StationValue {
  double x = 0, y = 0;  // scene frame, metres
  double value = 0;
};

struct IdwSettings {
  double power = 2.0;
  double searchRadiusM = 0.0;  // <= 0: no limit
  int minStations = 1;         // fewer stations in range: NaN
};

double idwAt(double x, double y, const std::vector<StationValue>& stations, const IdwSettings& settings);

}  // namespace greentwin::air_quality
