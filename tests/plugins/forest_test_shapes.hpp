#pragma once
// Hand-made shapes for the forest plugin's unit tests.
#include "geometry.hpp"

namespace greentwin::forest::testing {

// The axis-aligned rectangle [x0, x1] x [y0, y1] as a one-polygon shape.
inline Shape box(double x0, double y0, double x1, double y1) {
  return Shape{PolygonShape{{Ring{{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}}}}};
}

}  // namespace greentwin::forest::testing
