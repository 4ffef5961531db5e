#pragma once
// Rasters in the scene frame: a DEM (or any single-band grid) and draped RGBA imagery, both on a regular grid in
// LOCAL scene coordinates (x east, y north, metres; see geo_frame.hpp). What a raster importer (connectors/)
// hands to the terrain layer (layers/). Pure data and maths: no GDAL, no OSG.
//
// Grid convention (both RasterGrid and RgbaImage):
//   - (x0, y0) is the CENTRE of the cell at column 0, row 0, which is the SOUTH-WEST cell;
//   - columns go east (x = x0 + col * dx), rows go NORTH (y = y0 + row * dy); dx, dy > 0;
//   - cell (col, row) covers [x - dx/2, x + dx/2] x [y - dy/2, y + dy/2] (GDAL's "pixel is area");
//   - storage is row-major from row 0: index = row * width + col.
// Note rows run south to north, the opposite of a GeoTIFF's north-up storage; the reader flips them.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/core/vec.hpp"

namespace gt {

// Where a grid's cells lie (see the convention above).
struct GridGeometry {
  double x0 = 0.0;  // local x of the centre of cell (0, 0), the south-west cell
  double y0 = 0.0;  // local y of the centre of cell (0, 0)
  double dx = 1.0;  // cell width (east), > 0
  double dy = 1.0;  // cell height (north), > 0
  int width = 0;    // columns
  int height = 0;   // rows

  std::size_t cellCount() const { return static_cast<std::size_t>(width) * static_cast<std::size_t>(height); }
  bool validGeometry() const;  // width, height >= 1 and dx, dy finite and > 0, x0, y0 finite
  double cellX(int col) const { return x0 + col * dx; }
  double cellY(int row) const { return y0 + row * dy; }
  // The area the cells cover (centres +- half a cell): min x/y and max x/y.
  double minX() const { return x0 - dx / 2; }
  double minY() const { return y0 - dy / 2; }
  double maxX() const { return x0 + (width - 0.5) * dx; }
  double maxY() const { return y0 + (height - 0.5) * dy; }
  bool covers(double x, double y) const { return x >= minX() && x <= maxX() && y >= minY() && y <= maxY(); }
};

// A single-band float grid (a DEM: heights in metres). NaN = nodata.
struct RasterGrid : GridGeometry {
  std::vector<float> values;  // cellCount() values, row 0 (south) first; NaN = nodata

  // Provenance, like FeatureSet's: shown in the UI and logged.
  std::string source;
  std::string sourceCrs;
  std::vector<std::string> warnings;  // e.g. "downsampled from ... to stay under max_cells"

  float at(int col, int row) const { return values[static_cast<std::size_t>(row) * width + col]; }
  float& at(int col, int row) { return values[static_cast<std::size_t>(row) * width + col]; }
  bool valid() const { return validGeometry() && values.size() == cellCount(); }

  // Bilinear interpolation between cell centres at local (x, y). nullopt outside the covered area (see
  // GridGeometry::covers) or where the NEAREST cell is nodata. Within the outer half cell (between the outermost
  // centres and the edge) the edge value is extended. Next to nodata cells, the valid neighbours' weights are
  // renormalised, so values never blend with NaN.
  std::optional<double> sample(double x, double y) const;
  // Smallest and largest valid value; nullopt when every cell is nodata.
  std::optional<std::pair<float, float>> valueRange() const;
  std::size_t validCount() const;
};

// 8-bit RGBA pixels on a grid: imagery to drape, or a hillshade. Same geometry convention as RasterGrid.
struct RgbaImage : GridGeometry {
  std::vector<std::uint8_t> pixels;  // 4 * cellCount() bytes, RGBA, row 0 (south) first; alpha 0 = no data
  std::string source;
  std::string sourceCrs;
  std::vector<std::string> warnings;

  bool valid() const { return validGeometry() && pixels.size() == 4 * cellCount(); }
  const std::uint8_t* pixel(int col, int row) const { return &pixels[4 * (static_cast<std::size_t>(row) * width + col)]; }
};

// Hillshade by Horn's method (the 3x3 weighted gradient that gdaldem hillshade uses), computed on the grid's
// own cells. azimuthDeg: where the light comes FROM, clockwise from north (315 = north-west); altitudeDeg: the
// sun's height above the horizon; zFactor multiplies heights (vertical exaggeration, or unit conversion).
// Shade = max(0, n . l) for the unit surface normal n and the unit direction to the light l, so a flat cell
// gives sin(altitude). Edges replicate the outermost cells; nodata neighbours take the centre cell's value.
// Output: grey RGB = round(255 * shade), alpha 255; nodata cells are (0, 0, 0, 0). Same geometry as `dem`.
RgbaImage hillshade(const RasterGrid& dem, double azimuthDeg = 315.0, double altitudeDeg = 45.0,
                    double zFactor = 1.0);

// Heights of the ground, to put things on it. Immutable once built and shared between layers as
// std::shared_ptr<const HeightField> (safe to read from several threads).
//
// The surface is the one the terrain layer draws: a triangle mesh with a vertex at every cell centre, each cell
// quad (col, row)-(col+1, row+1) split along its south-west to north-east diagonal, heights = grid value *
// verticalScale. heightAt interpolates linearly on that mesh, so a vertex placed with heightAt lies exactly on
// the drawn terrain, and a polyline densified with drape() lies on it everywhere, not just at its vertices.
class HeightField {
 public:
  // `grid` must be valid() (else every query gives the fallback). verticalScale multiplies every height.
  explicit HeightField(std::shared_ptr<const RasterGrid> grid, double verticalScale = 1.0);
  static std::shared_ptr<const HeightField> create(std::shared_ptr<const RasterGrid> grid,
                                                   double verticalScale = 1.0) {
    return std::make_shared<const HeightField>(std::move(grid), verticalScale);
  }

  // Terrain height (scaled) at local (x, y); nullopt outside the grid's covered area or over nodata. Points in the
  // outer half cell take the height at the nearest point of the mesh's edge.
  std::optional<double> sample(double x, double y) const;
  // The same, or `fallback` where there is no terrain.
  double heightAt(double x, double y, double fallback = 0.0) const { return sample(x, y).value_or(fallback); }

  // A polyline (or, closed, a ring) laid on the terrain: every segment is split where it crosses a mesh edge
  // (cell row/column lines and cell diagonals) inside the grid, then every vertex gets
  // z = heightAt(x, y, its own z) + offset. A closed ring stays open (no repeated first point), its closing
  // segment densified at the end. Points outside the grid keep their z (+ offset).
  std::vector<Vec3d> drape(std::span<const Vec3d> points, bool closed, double offset) const;

  const RasterGrid& grid() const { return *grid_; }
  std::shared_ptr<const RasterGrid> gridPtr() const { return grid_; }
  double verticalScale() const { return verticalScale_; }
  // The smaller cell side: the spacing at which things laid on the ground must be densified.
  double cellSize() const;

 private:
  std::shared_ptr<const RasterGrid> grid_;
  double verticalScale_ = 1.0;
  bool valid_ = false;
};

}  // namespace gt
