#pragma once
// Plane geometry for the demo generator, in local scene metres (x east, y north): points, rings and shapes
// with fast point-in-polygon, oriented boxes with an exact overlap test, and uniform-grid indexes for
// "is anything too close to here?" queries. No GDAL here; see ogr_bridge.hpp for conversions.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace gtgen {

struct P2 {
  double x = 0.0;
  double y = 0.0;
  friend bool operator==(const P2&, const P2&) = default;
};
inline P2 operator+(P2 a, P2 b) { return {a.x + b.x, a.y + b.y}; }
inline P2 operator-(P2 a, P2 b) { return {a.x - b.x, a.y - b.y}; }
inline P2 operator*(P2 a, double s) { return {a.x * s, a.y * s}; }
inline double dot(P2 a, P2 b) { return a.x * b.x + a.y * b.y; }
inline double cross(P2 a, P2 b) { return a.x * b.y - a.y * b.x; }
inline double length(P2 a) { return std::hypot(a.x, a.y); }
inline double distance(P2 a, P2 b) { return length(a - b); }
// a rotated counter-clockwise by the angle whose cosine/sine are c/s.
inline P2 rotate(P2 a, double c, double s) { return {c * a.x - s * a.y, s * a.x + c * a.y}; }

struct Box {
  double minX = 1e300, minY = 1e300, maxX = -1e300, maxY = -1e300;
  void add(P2 p);
  bool contains(P2 p) const { return p.x >= minX && p.x <= maxX && p.y >= minY && p.y <= maxY; }
  bool empty() const { return minX > maxX; }
};

using Ring = std::vector<P2>;      // closed implicitly (first vertex not repeated)
using Polyline = std::vector<P2>;  // open

double signedArea(const Ring& ring);  // > 0 counter-clockwise
double distanceToSegment(P2 p, P2 a, P2 b);
double polylineLength(const Polyline& line);
// The point at arc length s along a polyline (clamped), and the unit tangent there.
P2 pointAlong(const Polyline& line, double s, P2* tangent = nullptr);

// A polygon with holes (even-odd rule over all rings), with edges bucketed by horizontal bands so that
// point-in-polygon tests touch only the edges that straddle the point's y.
class Shape {
 public:
  Shape() = default;
  explicit Shape(std::vector<Ring> rings, double bandHeight = 50.0);
  bool contains(P2 p) const;
  const Box& box() const { return box_; }
  const std::vector<Ring>& rings() const { return rings_; }

 private:
  struct Edge {
    P2 a, b;
  };
  std::vector<Ring> rings_;
  Box box_;
  double band_ = 50.0;
  std::vector<std::vector<Edge>> bands_;
};

// Oriented box: centre, unit axis u (v = u rotated +90 degrees), half extents along u and v.
struct Obb {
  P2 c;
  P2 u{1.0, 0.0};
  double hu = 0.0;
  double hv = 0.0;
  P2 v() const { return {-u.y, u.x}; }
  double radius() const { return std::hypot(hu, hv); }
  Box box() const;
  bool contains(P2 p) const;
};
// True when the interiors of a and b overlap by more than `gap` (separating-axis test on 4 axes).
bool obbOverlap(const Obb& a, const Obb& b, double gap = 0.0);

// Uniform grid over segments, each with its own clearance. clear(p, r) answers "is every segment at least
// clearance + r away from p?" exactly, for r <= maxR given at construction.
class SegmentIndex {
 public:
  SegmentIndex(double cellSize, double maxR) : cell_(cellSize), maxR_(maxR) {}
  void add(P2 a, P2 b, double clearance);
  void addPolyline(const Polyline& line, double clearance);
  void addRing(const Ring& ring, double clearance);
  bool clear(P2 p, double r) const;
  // Distance from p to the nearest segment, or `none` if no segment is within maxR of p.
  double nearest(P2 p, double none) const;

 private:
  struct Seg {
    P2 a, b;
    double clearance;
  };
  std::int64_t key(std::int64_t i, std::int64_t j) const { return (i << 32) ^ (j & 0xffffffffLL); }
  double cell_;
  double maxR_;
  std::vector<Seg> segs_;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> grid_;
};

// Uniform grid over oriented boxes, for the "no two buildings overlap" rule and point look-ups.
class ObbGrid {
 public:
  explicit ObbGrid(double cellSize) : cell_(cellSize) {}
  bool overlapsAny(const Obb& box, double gap) const;
  bool anyContains(P2 p) const;
  void insert(const Obb& box);

 private:
  std::int64_t key(std::int64_t i, std::int64_t j) const { return (i << 32) ^ (j & 0xffffffffLL); }
  double cell_;
  std::vector<Obb> boxes_;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> grid_;
};

// A set of shapes with a coarse grid on their bounding boxes.
class ShapeSet {
 public:
  explicit ShapeSet(double cellSize = 1000.0) : cell_(cellSize) {}
  void add(const Shape* shape);
  bool contains(P2 p) const;

 private:
  std::int64_t key(std::int64_t i, std::int64_t j) const { return (i << 32) ^ (j & 0xffffffffLL); }
  double cell_;
  std::vector<const Shape*> shapes_;
  std::unordered_map<std::int64_t, std::vector<std::uint32_t>> grid_;
};

}  // namespace gtgen
