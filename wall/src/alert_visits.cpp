#include "greentwin/wall/alert_visits.hpp"

#include <algorithm>

namespace gt::wall {

Result<std::optional<AlertSeverity>> parseAlertFlyTo(std::string_view text) {
  if (text == "off") return std::optional<AlertSeverity>();
  if (text == "warning") return std::optional<AlertSeverity>(AlertSeverity::Warning);
  if (text == "critical") return std::optional<AlertSeverity>(AlertSeverity::Critical);
  return Status(ErrorCode::InvalidArgument,
                "alert_fly_to must be \"off\", \"warning\" or \"critical\", not \"" + std::string(text) + "\"");
}

std::string alertFlyToName(std::optional<AlertSeverity> minimum) {
  if (!minimum) return "off";
  return toString(*minimum);
}

std::optional<std::uint64_t> AlertVisitQueue::next(std::span<const AlertCandidate> active) {
  // Forget what left: the set stays as small as the active list.
  std::erase_if(visited_, [&](std::uint64_t id) {
    return std::none_of(active.begin(), active.end(), [id](const AlertCandidate& a) { return a.id == id; });
  });
  if (!minimum_) return std::nullopt;
  const AlertCandidate* best = nullptr;
  for (const AlertCandidate& a : active) {
    if (a.acknowledged || !a.located || a.severity < *minimum_ || visited_.contains(a.id)) continue;
    if (best == nullptr || a.severity > best->severity || (a.severity == best->severity && a.id < best->id)) best = &a;
  }
  if (best == nullptr) return std::nullopt;
  visited_.insert(best->id);
  return best->id;
}

}  // namespace gt::wall
