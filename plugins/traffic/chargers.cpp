#include "chargers.hpp"

#include <cmath>
#include <limits>

namespace greentwin::traffic {

const std::array<ChargerStateClass, kChargerStateCount>& chargerStateClasses() {
  static const std::array<ChargerStateClass, kChargerStateCount> kClasses{{
      {ChargerState::Free, "空闲", "Free", {0, 200, 83}},
      {ChargerState::Charging, "充电中", "Charging", {41, 121, 255}},
      {ChargerState::Fault, "故障", "Fault", {213, 0, 0}},
  }};
  return kClasses;
}

std::optional<ChargerState> chargerStateOf(double code) {
  if (code == 0.0) return ChargerState::Free;
  if (code == 1.0) return ChargerState::Charging;
  if (code == 2.0) return ChargerState::Fault;
  return std::nullopt;
}

double ChargerCounts::occupancyPct() const {
  if (working() == 0) return std::numeric_limits<double>::quiet_NaN();
  return 100.0 * static_cast<double>(charging) / static_cast<double>(working());
}

ChargerCounts countChargers(const std::vector<double>& stateCodes) {
  ChargerCounts c;
  for (double code : stateCodes) {
    if (std::isnan(code)) {
      ++c.noData;
      continue;
    }
    const auto state = chargerStateOf(code);
    if (!state) {
      ++c.unknown;
      continue;
    }
    switch (*state) {
      case ChargerState::Free: ++c.free; break;
      case ChargerState::Charging: ++c.charging; break;
      case ChargerState::Fault: ++c.fault; break;
    }
  }
  return c;
}

}  // namespace greentwin::traffic
