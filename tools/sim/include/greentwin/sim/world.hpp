#pragma once
// Reads the simulator's entities from the twin's own config: the layers whose source_layer is one the simulator
// knows (aq_stations, buildings, substations, roads, green_spaces, bus_stops) are read with the connectors'
// vector reader, with the same id prefix (the layer id) and id attribute as the twin, so the simulator publishes
// exactly the entity ids the twin registers. Runs on the calling thread (GDAL).

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/sim/feeds.hpp"

namespace gt::sim {

struct WorldLoad {
  World world;
  std::vector<std::string> notes;  // what each layer contributed, and what is missing
};

// Only the layers the given domains need are read. A layer that fails to read is an error naming it; a BIM model
// file that cannot be read only leaves its storeys out (with a note), as the twin runs on without the model.
Result<WorldLoad> loadWorld(const Config& config, const std::set<std::string>& domains);

// The IfcBuildingStorey instances of an IFC (STEP) file's text, in file order: GlobalId (22 characters of the IFC
// base-64 alphabet) and Name ("" when unset). Only these two attributes are read, by a bounded scan of the text
// (the simulator never parses a model; the twin's importer does, in its own process). Malformed instances are
// skipped.
struct IfcStorey {
  std::string guid;
  std::string name;
};
std::vector<IfcStorey> scanIfcStoreys(std::string_view stepText);

}  // namespace gt::sim
