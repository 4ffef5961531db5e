#pragma once
// The stations that give #14 and #15 over an area of the map (docs/air-quality.md "Over an area"). Pure C++17, no
// SDK; any thread (no state).
//
//  - The stations inside the area count alike (weight 1): the area's daily value is the arithmetic mean of its
//    valid stations' daily values, as HJ 663 has the city's from all its stations.
//  - An area without a station: the `count` stations nearest to the area's centroid (within the search radius)
//    with inverse-distance weights 1 / d^power, the plugin's IDW: the area's daily value is the weighted mean of
//    those stations valid that day (their IDW at the centroid). Our choice: a drawn block between stations still
//    gets a figure, and the note says it is interpolated.
#include <array>
#include <cstddef>
#include <optional>
#include <vector>

namespace greentwin::air_quality {

using AreaRing = std::vector<std::array<double, 2>>;  // x, y in metres; not closed
using AreaPolygon = std::vector<AreaRing>;            // rings[0] the exterior, the rest holes

// The area-weighted centroid of polygons with holes (whatever the rings' orientation); nullopt without area.
std::optional<std::array<double, 2>> areaCentroid(const std::vector<AreaPolygon>& polygons);

struct StationWeight {
  std::size_t station = 0;  // index into the positions given
  double weight = 1.0;
  double distanceM = 0.0;   // from the point asked (0 for the stations inside)
};

// The `count` stations nearest to (x, y) within searchRadiusM (<= 0: no limit), nearest first, weighted by
// 1 / d^power; a station within 1e-6 m of the point is the only one (weight 1). Non-finite positions are skipped.
std::vector<StationWeight> nearestStations(double x, double y, const std::vector<std::array<double, 2>>& positions,
                                           std::size_t count, double power, double searchRadiusM);

}  // namespace greentwin::air_quality
