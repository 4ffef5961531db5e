#include "greentwin/core/colour_ramps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace gt {
namespace {

constexpr std::string_view kGreens[]{"#edf7e9", "#9fd39a", "#3f9e4d", "#1b5e20"};
constexpr std::string_view kBlues[]{"#e8f1fa", "#9cc3e6", "#3b7fc4", "#0d3b73"};
constexpr std::string_view kHeat[]{"#fff3b0", "#fbc25c", "#f08a32", "#d9482b", "#8e1b1b"};
constexpr std::string_view kPurples[]{"#f1eef8", "#b9a9d9", "#7a5bb0", "#43216e"};
constexpr std::string_view kGreys[]{"#f2f2f2", "#a8a8a8", "#5c5c5c", "#1f1f1f"};
constexpr std::string_view kGreenRed[]{"#1a7a3a", "#8cc46a", "#f5f0c0", "#f0914a", "#b3261e"};
constexpr std::string_view kBlueRed[]{"#2c5fa8", "#8fb5dd", "#f2f2f2", "#ec9a82", "#b3261e"};
// Twelve hues far apart, mid lightness so buildings' shading still reads; grey is left for "other".
constexpr std::string_view kCategories[]{"#3b6fb6", "#e8833a", "#4c9a4a", "#d64545", "#8f6bb8", "#e0c341",
                                         "#3fa7a0", "#e38bb0", "#8a6a4f", "#7fb3d5", "#b5b84a", "#2f4f6f"};

constexpr ColourRamp kRamps[]{
    {"greens", "sequential", kGreens},        {"blues", "sequential", kBlues},
    {"heat", "sequential", kHeat},            {"purples", "sequential", kPurples},
    {"greys", "sequential", kGreys},          {"green_red", "diverging", kGreenRed},
    {"blue_red", "diverging", kBlueRed},      {"categories", "qualitative", kCategories},
};

struct Rgb {
  double r, g, b;
};

Rgb parse(std::string_view hex) {
  const auto channel = [&](std::size_t at) {
    return static_cast<double>(std::strtol(std::string(hex.substr(at, 2)).c_str(), nullptr, 16));
  };
  return {channel(1), channel(3), channel(5)};
}

std::string format(const Rgb& c) {
  char text[8];
  const auto byte = [](double v) { return static_cast<int>(std::lround(std::clamp(v, 0.0, 255.0))); };
  std::snprintf(text, sizeof text, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  return text;
}

}  // namespace

std::span<const ColourRamp> colourRamps() { return kRamps; }

Result<ColourRamp> findColourRamp(std::string_view name) {
  std::string names;
  for (const ColourRamp& ramp : kRamps) {
    if (ramp.name == name) return ramp;
    names += (names.empty() ? "" : ", ") + std::string(ramp.name);
  }
  return Status(ErrorCode::NotFound, "unknown colour ramp '" + std::string(name) + "' (one of " + names + ")");
}

std::vector<std::string> rampColours(const ColourRamp& ramp, std::size_t count) {
  std::vector<std::string> out;
  if (ramp.stops.empty()) return out;
  out.reserve(count);
  if (ramp.kind == "qualitative") {
    for (std::size_t i = 0; i < count; ++i) out.emplace_back(ramp.stops[i % ramp.stops.size()]);
    return out;
  }
  const std::size_t segments = ramp.stops.size() - 1;
  for (std::size_t i = 0; i < count; ++i) {
    const double t = count == 1 ? 0.5 : static_cast<double>(i) / static_cast<double>(count - 1);
    const double at = t * static_cast<double>(segments);
    const std::size_t s = std::min(static_cast<std::size_t>(at), segments == 0 ? 0 : segments - 1);
    if (segments == 0) {
      out.emplace_back(ramp.stops[0]);
      continue;
    }
    const double f = at - static_cast<double>(s);
    const Rgb a = parse(ramp.stops[s]), b = parse(ramp.stops[s + 1]);
    out.push_back(format({a.r + (b.r - a.r) * f, a.g + (b.g - a.g) * f, a.b + (b.b - a.b) * f}));
  }
  return out;
}

}  // namespace gt
