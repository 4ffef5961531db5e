#pragma once
// Pieces every benchmark shares: the BENCH line (the contract of bench/run) and the demo city's building style.

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"

namespace gt::bench {

// BENCH <name> <value> <unit> target <op><value> <PASS|MISS>; `valueFormat` is a printf format for the value.
inline void printBench(const char* name, double value, const char* unit, bool lessIsBetter, double target,
                       const char* valueFormat = "%.2f") {
  const bool pass = lessIsBetter ? value <= target : value >= target;
  char valueText[32];
  std::snprintf(valueText, sizeof valueText, valueFormat, value);
  std::printf("BENCH %s %s %s target %s%.12g %s\n", name, valueText, unit, lessIsBetter ? "<=" : ">=", target,
              pass ? "PASS" : "MISS");
  std::fflush(stdout);
}

// The median of a sample (0 for none); the mean of the middle two for an even count.
inline double median(std::vector<double> v) {
  if (v.empty()) return 0.0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// The style of the demo's city-buildings layer (assets/demo/greentwin.toml), so benchmarks build what users see.
inline LayerConfig demoBuildingsConfig(const std::string& id) {
  LayerConfig config;
  config.id = id;
  config.type = "buildings";
  config.sourceLayer = "buildings";
  config.idAttribute = "id";
  config.style.colorMode = "categorical";
  config.style.colorBy = "use";
  config.style.categories = {{"residential", "#e0d3b8"}, {"office", "#8fb8e8"},    {"commercial", "#f2a65a"},
                             {"public", "#c792ea"},      {"industrial", "#a1887f"}, {"school", "#fff176"},
                             {"hospital", "#ef9a9a"},    {"village", "#bcaaa4"}};
  config.style.heightAttribute = "height_m";
  config.style.floorsAttribute = "floors";
  config.style.defaultHeightM = 12.0;
  return config;
}

}  // namespace gt::bench
