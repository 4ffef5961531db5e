#pragma once
// Reads the simulator's entities from the twin's own config: the layers whose source_layer is one the simulator
// knows (aq_stations, buildings, substations, roads, green_spaces, bus_stops) are read with the connectors'
// vector reader, with the same id prefix (the layer id) and id attribute as the twin, so the simulator publishes
// exactly the entity ids the twin registers. Runs on the calling thread (GDAL).

#include <set>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/sim/feeds.hpp"

namespace gt::sim {

struct WorldLoad {
  World world;
  std::vector<std::string> notes;  // what each layer contributed, and what is missing
};

// Only the layers the given domains need are read. A layer that fails to read is an error naming it.
Result<WorldLoad> loadWorld(const Config& config, const std::set<std::string>& domains);

}  // namespace gt::sim
