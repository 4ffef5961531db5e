#pragma once
// Writes the synthetic city to one GeoPackage in the scene CRS (EPSG:4548, projected metres): one table per
// layer, fid = 1..n in vector order, an `id` text column ("building/000123"), and every layer labelled
// SYNTHETIC (gpkg_contents.description and the layer metadata item SYNTHETIC=YES).

#include <cstdint>
#include <string>

#include "city.hpp"
#include "water_network.hpp"

namespace gtgen {

// Writes to a temporary file beside `path` and renames it into place, so a failed run leaves no half file.
// Throws ToolError on failure.
void writeCityGpkg(const City& city, const std::string& path, P2 originProjected, std::uint64_t seed);

// The water network's own GeoPackage (water_dmas, river_sections; docs/demo-data.md "Water"), written the same way.
void writeWaterGpkg(const WaterNetwork& water, const std::string& path, P2 originProjected, std::uint64_t seed);

}  // namespace gtgen
