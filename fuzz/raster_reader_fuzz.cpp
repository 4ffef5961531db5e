// libFuzzer target for the raster layers' reader (connectors/raster_reader.hpp, docs/terrain.md): a DEM read as a
// grid (readRasterToScene) or imagery read as RGBA (readImageryToScene), as GDAL opens the file, through
// GreenTwin's own part: band choice, the CRS checks, the output size under max_cells, decimation, the warp set-up,
// the grid's geometry and its rows turned south-up. GDAL itself is not instrumented.
//
// Input: byte 0 picks the file's extension (GDAL picks some drivers by it), byte 1 the read options; the rest is
// the file. GDAL's XYZ driver is left out (LLVMFuzzerInitialize). Seeds: tests/connectors/data/raster_reader_seeds
// (the first two bytes of each file are that header).
// The output is capped at 64 x 64 cells so that one input costs milliseconds, not the seconds of a full DEM.
//
// Besides "no crash, no out-of-bounds read, no exception", it checks: a refused source says why, naming it; an
// accepted grid or image has the size its geometry says, a positive finite cell size, no more cells than asked,
// and at least one valid cell (a grid) or one opaque pixel (imagery).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>

#include "gdal_fuzz_support.hpp"
#include "greentwin/connectors/raster_reader.hpp"

namespace {

constexpr const char* kExtensions[] = {"tif", "asc", "png", "img", "grd", "hgt", "ers", "dem"};
constexpr std::size_t kMaxCells = 64 * 64;

void checkGeometry(const gt::GridGeometry& g, std::size_t cells) {
  if (g.width < 1 || g.height < 1 || static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height) > kMaxCells ||
      !(g.dx > 0) || !(g.dy > 0) || !std::isfinite(g.dx) || !std::isfinite(g.dy) || !std::isfinite(g.x0) ||
      !std::isfinite(g.y0) || cells != static_cast<std::size_t>(g.width) * static_cast<std::size_t>(g.height)) {
    std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // GDAL's XYZ driver infers the grid from the points' spacing: 173 bytes of points with one far-off y made a grid of
  // millions of rows that the driver reads by scanning the text again and again, minutes per input (see
  // docs/terrain.md "Reading"). That is GDAL's cost, not a fault of our code, and it would stall the fuzzer.
  CPLSetConfigOption("GDAL_SKIP", "XYZ");
  gt::fuzz::configureGdalForFuzzing();
  (void)gt::fuzz::sceneFrame();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2 || size > 128 * 1024) return 0;
  const std::string extension = kExtensions[data[0] % std::size(kExtensions)];
  const std::uint8_t flags = data[1];
  gt::fuzz::MemFile file("in." + extension, data + 2, size - 2);

  gt::connectors::RasterReadOptions options;
  options.maxCells = kMaxCells;
  options.band = 1 + (flags & 3);
  if (flags & 4) options.assumeCrs = "EPSG:4548";  // the scene CRS: another costs more PROJ set-up per input
  options.resampling = static_cast<gt::connectors::RasterResampling>((flags >> 3) & 3);
  if (flags & 32) options.resolution = 25.0;
  if (flags & 64) {  // a clip box around the scene origin, as imagery draped over a terrain is read
    options.clip.extend({-2000, -2000, 0});
    options.clip.extend({2000, 2000, 0});
  }
  if (flags & 128) {
    const auto image = gt::connectors::readImageryToScene(file.path(), gt::fuzz::sceneFrame(), options);
    if (!image) {
      if (image.status().message().find(file.path()) == std::string::npos) std::abort();
      return 0;
    }
    if (image->pixels.size() % 4 != 0) std::abort();
    checkGeometry(*image, image->pixels.size() / 4);
    bool opaque = false;
    for (std::size_t i = 3; i < image->pixels.size(); i += 4) opaque = opaque || image->pixels[i] != 0;
    if (!opaque) std::abort();
    return 0;
  }
  const auto grid = gt::connectors::readRasterToScene(file.path(), gt::fuzz::sceneFrame(), options);
  if (!grid) {
    if (grid.status().message().find(file.path()) == std::string::npos) std::abort();
    return 0;
  }
  checkGeometry(*grid, grid->values.size());
  if (grid->validCount() == 0) std::abort();
  return 0;
}
