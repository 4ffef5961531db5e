#pragma once
// Warnings said once per cause (docs/plugins.md: bad input gives a visible warning, not one per frame). The cause
// is a key such as "nan_speed" or "missing_layer/city-roads"; forget() lets a cause be said again (e.g. after the
// setting that caused it changed). Update thread (the plugin's callbacks), not thread-safe.
#include <greentwin/plugin.hpp>

#include <set>
#include <string>

namespace greentwin::traffic {

class WarnOnce {
 public:
  explicit WarnOnce(greentwin::plugin::Host host) : host_(host) {}
  // True when this call said it (the first time for the cause).
  bool warn(const std::string& cause, const std::string& message) {
    if (!said_.insert(cause).second) return false;
    host_.warn("traffic: " + message);
    return true;
  }
  bool said(const std::string& cause) const { return said_.count(cause) != 0; }
  void forget(const std::string& causePrefix) {
    for (auto it = said_.lower_bound(causePrefix); it != said_.end() && it->compare(0, causePrefix.size(), causePrefix) == 0;) {
      it = said_.erase(it);
    }
  }

 private:
  greentwin::plugin::Host host_;
  std::set<std::string> said_;
};

}  // namespace greentwin::traffic
