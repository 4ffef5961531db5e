#pragma once
// Named colour ramps for 'colour by attribute' (docs/workbench.md "Colour ramps"): sequential ramps for graduated
// classes (light to dark, or low to high), diverging ramps around a light middle, and one qualitative palette of
// distinct hues for categories. Colours are "#rrggbb" text, as LayerStyleConfig holds them. Pure functions.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt {

struct ColourRamp {
  std::string_view name;
  std::string_view kind;                     // "sequential", "diverging" or "qualitative"
  std::span<const std::string_view> stops;  // sequential/diverging: evenly spaced anchors; qualitative: the palette
};

// Every ramp, in the order a menu lists them.
std::span<const ColourRamp> colourRamps();
// The ramp of that name; an error lists the names.
Result<ColourRamp> findColourRamp(std::string_view name);
// `count` colours from the ramp: sequential and diverging ramps sampled evenly from their first to their last stop
// (interpolated in sRGB; one colour: the middle), a qualitative palette's first `count` (repeating past its end).
std::vector<std::string> rampColours(const ColourRamp& ramp, std::size_t count);

}  // namespace gt
