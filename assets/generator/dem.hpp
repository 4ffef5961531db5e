#pragma once
// The synthetic digital elevation model: a flat alluvial plain sloping gently from the north-west (~27 m) to
// the south-east (~10 m), smooth low-amplitude value noise, river channels 2-4 m lower along the real river
// lines, and a low artificial mound (~10 m) in the green-heart park. Float32 GeoTIFF in the scene CRS.

#include <string>
#include <vector>

#include "city.hpp"
#include "inputs.hpp"

namespace gtgen {

struct DemGrid {
  double minX = 0.0, maxY = 0.0;  // projected (scene CRS) coordinates of the top-left corner
  double cell = 30.0;
  int cols = 0, rows = 0;
  std::vector<float> values;  // row-major, top row first
};

inline constexpr double kDemCell = 30.0;
inline constexpr double kDemMargin = 1000.0;
inline constexpr float kDemNoData = -9999.0F;

DemGrid makeDem(const RealInputs& inputs, const LocalFrame& frame);
// Writes the grid as a tiled, compressed GeoTIFF (EPSG:4548) labelled SYNTHETIC; throws ToolError on failure.
void writeDem(const DemGrid& dem, const std::string& path);

}  // namespace gtgen
