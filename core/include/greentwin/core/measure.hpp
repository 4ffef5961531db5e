#pragma once
// Measuring on the map (docs/workbench.md "Measuring"): lengths of a path, the area of a polygon and heights, in
// metres of the scene frame (the projected CRS, EPSG:4548 for Tongzhou: true metres on the ground within the
// projection's scale error, about 1e-5 here). Horizontal figures are the ones plans quote; the path along the
// terrain follows the drawn terrain mesh exactly (HeightField::drape), so a hill makes it longer.
// Pure functions: any thread.

#include <optional>
#include <span>
#include <string>

#include "greentwin/core/raster.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/vec.hpp"

namespace gt {

struct PathMeasure {
  double horizontalM = 0;  // sum of the segments' lengths in plan
  double surfaceM = 0;     // along the ground: the path draped on the terrain (= horizontalM without terrain)
  double climbM = 0;       // total ascent along the draped path
  double descentM = 0;     // total descent
};
// A path of two or more points (x, y; z ignored). `ground` may be null (flat ground: surface = horizontal). The
// terrain's vertical exaggeration (HeightField::verticalScale) is taken out: the figures are real metres.
PathMeasure measurePath(std::span<const Vec3d> points, const HeightField* ground);

struct AreaMeasure {
  double areaM2 = 0;      // horizontal area (the plan's), always positive
  double perimeterM = 0;  // horizontal, closing edge included
};
// A polygon's ring of three or more points (x, y; closed implicitly: the last point joins the first; a repeated
// first point at the end is allowed). Errors: fewer than three distinct points, zero area (all on a line), an
// outline that crosses itself (its area would mean nothing) — each naming the problem.
Result<AreaMeasure> measureArea(std::span<const Vec3d> ring);

// A feature's height above the ground it stands on: `topZ` (a picked roof point) minus `baseZ` (the ground the
// feature stands on: a building's box base, or the terrain under the point). Errors: a top below the base.
Result<double> heightAbove(double topZ, double baseZ);

// "1,234.5 m" / "2.35 km"; "850 m²" / "1.23 ha" / "4.56 km²": the units planners read, with thousands separators.
std::string formatLength(double metres);
std::string formatArea(double squareMetres);
std::string formatSquareMetres(double squareMetres);  // always "12,345 m²"

}  // namespace gt
