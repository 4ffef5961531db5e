#pragma once
// The green-travel share (绿色出行比例), indicator #10 of the programme (target about 80 % in 2025): walking +
// cycling + public transport (bus, metro) trips over all trips, from a modal-split feed of trips per hour by mode
// (the simulator's traffic.modal_split; docs/traffic.md). Pure C++17; any thread (no state).
#include <array>
#include <optional>

namespace greentwin::traffic {

enum class Mode : int { Walk = 0, Bike, Bus, Metro, Car, Taxi };
inline constexpr int kModeCount = 6;
// The feed's attribute per mode: trips_walk, trips_bike, trips_bus, trips_metro, trips_car, trips_taxi (trips/h).
const char* tripsAttribute(Mode mode);
// Walking, cycling and public transport count as green travel; car and taxi (ride-hailing included) do not.
bool isGreen(Mode mode);

struct GreenShare {
  double sharePct = 0;  // green trips / all trips, %
  double greenTrips = 0, allTrips = 0;
};
// Trips per mode (index = Mode). nullopt when a mode's count is NaN, infinite or negative (a partial split would
// bias the share), or when there are no trips at all.
std::optional<GreenShare> greenTravelShare(const std::array<double, kModeCount>& trips);

}  // namespace greentwin::traffic
