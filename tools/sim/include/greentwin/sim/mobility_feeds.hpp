#pragma once
// The simulator's feeds for the traffic plugin beyond links and buses (docs/simulator.md "Chargers and modal
// split"): traffic.charger (state, power_kw per EV charger) and traffic.modal_split (trips per hour by mode for the
// district), both in the "traffic" domain.

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "greentwin/sim/feeds.hpp"

namespace gt::sim {

// Trips a day in the district, every mode and walking included. ASSUMPTION: Tongzhou's ~1.84 million residents
// (2020 census) x ~2.7 trips per person and day.
inline constexpr double kDistrictDailyTrips = 5.0e6;

// Appends the charger and modal-split feeds of the world's chargers and districts when "traffic" is requested.
void addMobilityFeeds(MobilityWorld world, const std::set<std::string>& domains, std::uint64_t seed,
                      std::vector<std::unique_ptr<Feed>>& feeds);

}  // namespace gt::sim
