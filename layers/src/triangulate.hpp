#pragma once
// Triangulation of building footprints (private to layers/).

#include <cstdint>
#include <vector>

#include "greentwin/core/feature.hpp"

namespace gt::layers::detail {

// Signed area of a ring (counter-clockwise positive), x/y only.
double signedArea(const std::vector<Vec3d>& ring);

// Triangles (index triples into the concatenation of polygon.rings, in ring order) covering the polygon:
// ear clipping for a simple ring, the GLU tessellator when there are holes or ear clipping fails (degenerate,
// self-touching input). Returns an empty list only for polygons with no area.
std::vector<std::uint32_t> triangulate(const Polygon& polygon);

}  // namespace gt::layers::detail
