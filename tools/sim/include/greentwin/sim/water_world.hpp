#pragma once
// The entities of the simulator's water feeds, read from the twin's config as world.hpp reads the others (the
// connectors' vector reader, the twin's id prefix and id attribute, so the ids are the twin's): a layer whose
// source_layer is "water_dmas" (population, nonres_floor_m2, mains_km, mains_year) or "river_sections" (load_index),
// the demo's generated tongzhou_water.gpkg (docs/demo-data.md "Water"). Runs on the calling thread (GDAL).

#include <set>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/sim/water_model.hpp"

namespace gt::sim {

inline constexpr const char* kDmaSourceLayer = "water_dmas";
inline constexpr const char* kSectionSourceLayer = "river_sections";

// True when the layer is one of these (read into `world` when `domains` holds "water", with a note), false when it is
// not; an error names a layer that is one of these but cannot be read.
Result<bool> addWaterLayer(const Config& config, const LayerConfig& layer, const GeoFrame& frame,
                           const std::set<std::string>& domains, WaterWorld& world, std::vector<std::string>& notes);

}  // namespace gt::sim
