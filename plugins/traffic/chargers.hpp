#pragma once
// EV charger states (docs/traffic.md "Chargers"): the codes the simulator's traffic.charger feed publishes as
// `state`, their counts over a set of chargers and the occupancy. Pure C++17; any thread (no state).
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace greentwin::traffic {

enum class ChargerState : int { Free = 0, Charging = 1, Fault = 2 };
inline constexpr int kChargerStateCount = 3;

struct ChargerStateClass {
  ChargerState state;
  const char* nameZh;  // 空闲, 充电中, 故障
  const char* nameEn;  // Free, Charging, Fault
  std::array<std::uint8_t, 3> rgb;
};
const std::array<ChargerStateClass, kChargerStateCount>& chargerStateClasses();

// The state of a code: exactly 0, 1 or 2; nullopt for anything else (NaN, 1.5, 7, -1).
std::optional<ChargerState> chargerStateOf(double code);

struct ChargerCounts {
  std::size_t free = 0, charging = 0, fault = 0;
  std::size_t unknown = 0;  // a code that is no state (not NaN: those are "no data", not counted at all)
  std::size_t noData = 0;   // NaN: no reading
  std::size_t working() const { return free + charging; }
  // Occupancy: chargers charging / chargers in working order (free + charging), %; NaN when none works. Faulty
  // chargers are left out: they are not available to be occupied.
  double occupancyPct() const;
};
ChargerCounts countChargers(const std::vector<double>& stateCodes);

}  // namespace greentwin::traffic
