#pragma once
// A building's gross floor area from its footprint and storey count (docs/energy.md "Floor area"). Pure C++17, no
// SDK; any thread (no state).
//
//   floor area = footprint area x floors
//   footprint area = sum over the polygons of |exterior| - sum |holes|   (shoelace; each polygon at least 0)
//
// The storey count is the `floors` attribute when it is a finite number >= 1; otherwise it is estimated as
// round(height_m / 3.2 m) (at least 1) when `height_m` is a finite number > 0 — the same rule the simulator uses to
// size the load, so intensities match its loads; otherwise 1. The plugin counts and reports the estimated ones.
#include <optional>
#include <vector>

namespace greentwin::energy {

struct Point {
  double x = 0, y = 0;  // metres in a plane (the scene frame)
};
using Ring = std::vector<Point>;  // open or closed (a repeated first vertex adds nothing)

// One polygon: rings[0] the exterior, the rest holes (orientation does not matter).
struct Polygon {
  std::vector<Ring> rings;
};

inline constexpr double kStoreyHeightM = 3.2;  // assumed storey height for floors from height_m

// Signed shoelace area (positive counter-clockwise); 0 for fewer than 3 vertices.
double signedRingArea(const Ring& ring);
// |exterior| minus the holes' areas, at least 0.
double polygonArea(const Polygon& polygon);
// The sum over a (multi)polygon's parts.
double footprintArea(const std::vector<Polygon>& polygons);

// The area-weighted centroid of a footprint (exteriors minus holes): which area a building lies in. nullopt without
// an area (or with coordinates that are not finite).
std::optional<Point> footprintCentroid(const std::vector<Polygon>& polygons);

enum class FloorsFrom { Attribute, Height, Default };
struct Floors {
  double count = 1;
  FloorsFrom from = FloorsFrom::Default;
};
// floors: the `floors` attribute (nullopt: missing or not a number); heightM likewise `height_m`.
Floors floorsOf(std::optional<double> floors, std::optional<double> heightM);

}  // namespace greentwin::energy
