#pragma once
// Small helpers of the energy plugin (energy_plugin.cpp): number texts, setting lists, area comparison and the wait
// for a layer's features. Uses the SDK's types; update thread, like the plugin.
#include <greentwin/plugin.hpp>
#include <greentwin/plugin_layer_wait.hpp>

#include <chrono>
#include <cstdio>
#include <set>
#include <string>

namespace greentwin::energy {

using Clock = std::chrono::steady_clock;

inline std::string fixed1(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", v);
  return text;
}

inline std::string fixed0(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.0f", v);
  return text;
}

// "a, b" -> {"a", "b"}: comma-separated, blanks trimmed, empty items dropped.
inline std::set<std::string> parseList(const std::string& list) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    const std::string item = list.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) out.insert(item.substr(first, last - first + 1));
    start = end + 1;
  }
  return out;
}

// Whether two areas have the same polygons (the same vertices in the same order).
inline bool sameArea(const plugin::Area& a, const plugin::Area& b) {
  if (a.polygons.size() != b.polygons.size()) return false;
  for (std::size_t p = 0; p < a.polygons.size(); ++p) {
    const auto& x = a.polygons[p].rings;
    const auto& y = b.polygons[p].rings;
    if (x.size() != y.size()) return false;
    for (std::size_t r = 0; r < x.size(); ++r) {
      if (x[r].size() != y[r].size()) return false;
      for (std::size_t i = 0; i < x[r].size(); ++i) {
        if (x[r][i].x != y[r][i].x || x[r][i].y != y[r][i].y) return false;
      }
    }
  }
  return true;
}

// The wait for a layer's features: the SDK's (greentwin/plugin_layer_wait.hpp).
using LayerWait = greentwin::plugin::LayerWait;

}  // namespace greentwin::energy
