#pragma once
// Alert fly-to on the wall (docs/wall.md "Alerts"): which alert the lead's camera visits next. With the wall file's
// `alert_fly_to` set, an alert at or above that severity that names an entity with a place in the scene is visited
// once: the camera flies to it, shows it for `alert_dwell_s`, and flies back (a running tour pauses meanwhile).
// An operator may ask for a visit of any active alert with an entity (`greentwin ctl show-alert ID`).
//
// Pure: given the active alerts each frame, it answers which one to visit; the lead does the flying. One thread
// (the lead's update thread).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>

#include "greentwin/core/alert.hpp"
#include "greentwin/core/status.hpp"

namespace gt::wall {

inline constexpr double kMinAlertDwellS = 1;
inline constexpr double kMaxAlertDwellS = 3600;

// The wall file's `alert_fly_to`: "off" (default), "warning" (warnings and criticals) or "critical".
Result<std::optional<AlertSeverity>> parseAlertFlyTo(std::string_view text);
std::string alertFlyToName(std::optional<AlertSeverity> minimum);

// One active alert as the visit queue sees it.
struct AlertCandidate {
  std::uint64_t id = 0;
  AlertSeverity severity = AlertSeverity::Warning;
  bool acknowledged = false;
  bool located = false;  // it names an entity that has a place in the scene
};

class AlertVisitQueue {
 public:
  explicit AlertVisitQueue(std::optional<AlertSeverity> minimum) : minimum_(minimum) {}

  // The next alert to fly to among `active` (every active alert, in any order), or nullopt: the most severe
  // unacknowledged, located alert at or above the minimum that was not visited yet, the oldest (lowest id) among
  // equals. The answer counts as visited. Alerts that left `active` are forgotten (an id is never reused).
  std::optional<std::uint64_t> next(std::span<const AlertCandidate> active);
  // An operator's visit: counts as visited, so it is not flown to again by itself.
  void markVisited(std::uint64_t id) { visited_.insert(id); }
  bool enabled() const { return minimum_.has_value(); }

 private:
  std::optional<AlertSeverity> minimum_;
  std::unordered_set<std::uint64_t> visited_;
};

}  // namespace gt::wall
