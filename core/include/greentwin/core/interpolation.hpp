#pragma once
// Spatial interpolation of scattered point values onto a grid (issue 4: the interpolated PM2.5 surface of the
// air-quality stations). Pure maths on local scene coordinates: no GL, no OSG. Any thread (no shared state).
//
// Inverse-distance weighting (Shepard): the value of a cell centre c is
//     sum_i w_i v_i / sum_i w_i,   w_i = 1 / d(c, p_i)^power
// over the points p_i with a finite value within `searchRadiusM` of c (all points when the radius is <= 0),
// keeping only the `maxNeighbours` nearest of them (all when <= 0). A cell centre that coincides with a point
// (d <= kCoincidentM) takes that point's value exactly (the mean when several coincide). A cell with no usable
// point in range is NaN ("no data"). Points whose value is NaN or infinite are skipped, as are points whose
// position is not finite.

#include <cstddef>
#include <span>
#include <vector>

#include "greentwin/core/raster.hpp"
#include "greentwin/core/status.hpp"

namespace gt {

struct ScatteredPoint {
  double x = 0;
  double y = 0;
  double value = 0;  // NaN: no value (skipped)
};

struct IdwParams {
  double power = 2.0;          // distance exponent, > 0
  double searchRadiusM = 0.0;  // only points within this distance count; <= 0: no limit
  int maxNeighbours = 0;       // only the nearest this many count; <= 0: all
};

inline constexpr double kCoincidentM = 1e-6;

// Checks the parameters: power finite and > 0, radius and neighbour count finite.
Status validate(const IdwParams& params);

// IDW value at one position (see above); NaN when no usable point is in range.
double idwAt(double x, double y, std::span<const ScatteredPoint> points, const IdwParams& params);

// IDW over every cell centre of `geometry` (row 0 = south, the RasterGrid convention). An invalid geometry or
// parameters give an error naming the problem; 0 usable points give a grid of NaN.
Result<RasterGrid> idwGrid(const GridGeometry& geometry, std::span<const ScatteredPoint> points,
                           const IdwParams& params);

}  // namespace gt
