#pragma once
// Bus-stop coverage of residential buildings (docs/traffic.md "Bus-stop coverage"): the share of buildings whose
// footprint CENTROID lies within a radius (500 m in the programme: "集中建设区公交站点 500 米半径覆盖率达到 95% 以上")
// of some bus stop, straight-line distance. The stops go into a GEOS STRtree and each centroid queries the box of
// the radius around it, so the cost is about (buildings + stops) log stops, not buildings x stops. Optionally only
// buildings whose centroid lies inside an area (e.g. the concentrated construction area) are counted.
// Pure C++17 over the GEOS C API (reentrant, one context per call); any thread.
#include <cstddef>
#include <string>
#include <vector>

namespace greentwin::traffic {

struct Point {
  double x = 0, y = 0;  // metres, a projected frame (the twin's scene frame)
};
// A polygon: rings[0] the exterior, the rest holes; rings are not closed (the last vertex is not the first).
using Ring = std::vector<Point>;
using Polygon = std::vector<Ring>;
// A footprint or an area: one or more polygons.
using Polygons = std::vector<Polygon>;

struct CoverageResult {
  std::size_t buildings = 0;  // counted: usable footprint (and centroid inside the area, when given)
  std::size_t covered = 0;    // of those, a stop within the radius
  std::size_t skipped = 0;    // footprints without a usable polygon (fewer than 3 vertices, NaN)
  std::size_t outsideArea = 0;
  double sharePct() const { return buildings == 0 ? 0.0 : 100.0 * static_cast<double>(covered) / buildings; }
};

struct CoverageInput {
  std::vector<Polygons> buildings;  // the residential buildings' footprints
  std::vector<Point> stops;
  double radiusM = 500.0;
  Polygons area;  // empty: every building counts
};

// Errors as values: `error` is non-empty when GEOS could not be used (then the counts are meaningless).
struct CoverageOutcome {
  CoverageResult result;
  std::string error;
};
CoverageOutcome busStopCoverage(const CoverageInput& input);

}  // namespace greentwin::traffic
