#pragma once
// Point and link layers placed on the synthetic city: bus stops along arterial and secondary roads, EV
// chargers beside buildings, substations (2 x 500 kV, 22 x 220 kV, 110 kV; sized by substation_sizing.hpp), air-quality stations, and traffic
// links cut from the expressways and arterials.

#include <vector>

#include "city.hpp"
#include "planning.hpp"
#include "site_rules.hpp"

namespace gtgen {

inline constexpr int kBusStopTarget = 1500;
inline constexpr int kEvChargerCount = 400;
inline constexpr int kSubstations220 = 22;
inline constexpr int kSubstations110 = 40;

std::vector<TrafficLink> makeTrafficLinks(const std::vector<Road>& roads);
std::vector<BusStop> makeBusStops(const std::vector<Road>& roads, const SiteRules& rules);
std::vector<EvCharger> makeEvChargers(const std::vector<Building>& buildings, const SiteRules& rules);
std::vector<Substation> makeSubstations(const std::vector<Building>& buildings, const Planning& planning,
                                        const SiteRules& rules, const LocalFrame& frame);
std::vector<AqStation> makeAqStations(const std::vector<Building>& buildings, const SiteRules& rules, const LocalFrame& frame);

}  // namespace gtgen
