#pragma once
// The simulator's water feeds (docs/simulator.md "Water"), domain "water": water.dma (inflow, billed and unbilled
// volumes of the last 24 h, night flows per district metered area) and water.section (GB 3838 parameters per river
// monitoring section), for the water plugin (docs/water.md).

#include <memory>
#include <set>
#include <vector>

#include "greentwin/sim/feeds.hpp"
#include "greentwin/sim/water_model.hpp"

namespace gt::sim {

// Appends the DMA and section feeds of the world's water entities when "water" is requested.
void addWaterFeeds(WaterWorld world, const std::set<std::string>& domains, std::uint64_t seed,
                   std::vector<std::unique_ptr<Feed>>& feeds);

}  // namespace gt::sim
