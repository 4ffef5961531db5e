#pragma once
// Plain double-precision 3-vector for geographic and projected coordinates (no maths library in core headers).

namespace gt {

// x east / longitude / easting, y north / latitude / northing, z up (metres), depending on context.
// Standard layout: arrays of Vec3d can be handed to C APIs as strided doubles.
struct Vec3d {
  double x = 0.0;
  double y = 0.0;
  double z = 0.0;

  friend bool operator==(const Vec3d&, const Vec3d&) = default;
};

inline Vec3d operator+(const Vec3d& a, const Vec3d& b) { return {a.x + b.x, a.y + b.y, a.z + b.z}; }
inline Vec3d operator-(const Vec3d& a, const Vec3d& b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }

}  // namespace gt
