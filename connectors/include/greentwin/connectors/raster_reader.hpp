#pragma once
// Reads rasters (GeoTIFF, or anything else GDAL opens: VRT, JPEG2000, ASCII grid, /vsi... paths) in any CRS and
// warps them with GDAL's warper into the scene CRS (GeoFrame::sceneCrs(), EPSG:4548 by default), returned as a
// grid in LOCAL scene coordinates (see core/raster.hpp for the grid convention). Runs on any thread, one call per
// thread at a time: each call opens its own GDAL datasets.
//
// Size: the output grid never exceeds options.maxCells cells. A source whose native (or requested) resolution
// would need more is read at a coarser resolution instead, with a warning in the result's `warnings`; a source
// much larger than the output is first decimated through a GDAL VRT (using the file's overviews when it has
// them), so a huge file costs about as much as the output, not as the file.

#include <cstddef>
#include <string>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/core/status.hpp"

namespace gt::connectors {

enum class RasterResampling { Nearest, Bilinear, Cubic, Average };

struct RasterReadOptions {
  int band = 1;             // 1-based band to read as the grid (readRasterToScene); imagery picks its own bands
  double resolution = 0.0;  // output cell size in scene metres; 0 = the source's native resolution after warping
  std::size_t maxCells = std::size_t{4096} * 4096;  // cap on width * height of the output
  std::string assumeCrs;    // CRS to use when the source declares none (empty = that is an error)
  RasterResampling resampling = RasterResampling::Bilinear;
  // Only this area (scene local, min/max x and y; invalid = the whole source) is read: imagery draped over a
  // terrain is read over the terrain only, so a province-wide file spends its max_cells on the terrain's extent.
  Bounds clip;
};

// A single band as floats (a DEM: heights in metres, after the band's scale/offset). Nodata, and everything
// outside the source's footprint, is NaN. Errors name the source: missing file (NotFound), not a raster or
// unreadable (ParseError), no CRS and no options.assumeCrs, no georeferencing, no such band, a CRS that cannot be
// warped into the scene CRS (InvalidArgument), every cell nodata (InvalidArgument).
Result<RasterGrid> readRasterToScene(const std::string& source, const GeoFrame& frame,
                                     const RasterReadOptions& options = {});

// 8-bit RGBA imagery to drape over the terrain, warped the same way. Bands: 1 = grey, 2 = grey + alpha,
// 3 = RGB, 4 or more = RGBA from the first four (the fourth is alpha if GDAL says so, else it is ignored);
// a palette band is expanded to RGBA; non-8-bit data is scaled from its min..max to 0..255. Outside the
// footprint and at nodata, alpha is 0. Errors as readRasterToScene (every pixel transparent is an error).
Result<RgbaImage> readImageryToScene(const std::string& source, const GeoFrame& frame,
                                     const RasterReadOptions& options = {});

}  // namespace gt::connectors
