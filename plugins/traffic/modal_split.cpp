#include "modal_split.hpp"

#include <cmath>

namespace greentwin::traffic {

const char* tripsAttribute(Mode mode) {
  switch (mode) {
    case Mode::Walk: return "trips_walk";
    case Mode::Bike: return "trips_bike";
    case Mode::Bus: return "trips_bus";
    case Mode::Metro: return "trips_metro";
    case Mode::Car: return "trips_car";
    case Mode::Taxi: break;
  }
  return "trips_taxi";
}

bool isGreen(Mode mode) { return mode != Mode::Car && mode != Mode::Taxi; }

std::optional<GreenShare> greenTravelShare(const std::array<double, kModeCount>& trips) {
  GreenShare out;
  for (int m = 0; m < kModeCount; ++m) {
    const double t = trips[static_cast<std::size_t>(m)];
    if (!std::isfinite(t) || t < 0) return std::nullopt;
    out.allTrips += t;
    if (isGreen(static_cast<Mode>(m))) out.greenTrips += t;
  }
  if (!(out.allTrips > 0)) return std::nullopt;
  out.sharePct = 100.0 * out.greenTrips / out.allTrips;
  return out;
}

}  // namespace greentwin::traffic
