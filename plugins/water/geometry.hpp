#pragma once
// The centroid of a feature's polygons (the area a DMA counts in: docs/water.md "Areas"). Pure C++17, no SDK; any
// thread.
#include <optional>
#include <vector>

namespace greentwin::water {

struct Point {
  double x = 0, y = 0;
};
using Ring = std::vector<Point>;               // not closed; either orientation
using PolygonRings = std::vector<Ring>;         // [0] exterior, then holes

// The area-weighted centroid of the polygons, holes taken out (each ring's signed area by the shoelace formula, holes
// counted against their exterior whatever their orientation). nullopt when the total area is 0.
std::optional<Point> centroid(const std::vector<PolygonRings>& polygons);

}  // namespace greentwin::water
