#pragma once
// Plain polygon geometry and its conversion to GEOS (the C API, libgeos_c), for the coverage KPIs. Pure C++17, no
// SDK. A Geos object is one GEOS context: use it (and the geometries made with it) on one thread at a time.
#include <geos_c.h>

#include <cstddef>
#include <memory>
#include <vector>

namespace greentwin::forest {

struct Point {
  double x = 0, y = 0;
};
using Ring = std::vector<Point>;  // not closed (the first vertex is not repeated)
struct PolygonShape {
  std::vector<Ring> rings;  // rings[0] the exterior, the rest holes
};
using Shape = std::vector<PolygonShape>;  // a (multi)polygon, in metres of a projected frame

// What was wrong with the input geometry, counted (the plugin warns once per cause).
struct GeometryIssues {
  std::size_t empty = 0;         // a feature without any polygon
  std::size_t nonFinite = 0;     // NaN or infinite coordinates: the feature is left out
  std::size_t shortRings = 0;    // rings of fewer than 3 vertices: dropped (a short exterior drops its polygon)
  std::size_t repaired = 0;      // invalid (self-intersecting, ...) polygons repaired with GEOSMakeValid
  std::size_t unrepairable = 0;  // invalid and not repairable into an area: left out
  std::size_t total() const { return empty + nonFinite + shortRings + repaired + unrepairable; }
};

// Area of a shape by the shoelace formula (exteriors minus holes, whatever their orientation), m2; no GEOS, no
// validity check: for weights (the mean canopy), not for the KPIs. Non-finite coordinates give NaN.
double shapeArea(const Shape& shape);

// The area-weighted centroid of a shape (exteriors minus holes, as shapeArea); a shape without area gives the mean
// of its vertices, one without vertices NaN. For "which features lie in an area" (by centroid).
Point shapeCentroid(const Shape& shape);

// Whether points lie inside a shape: even-odd over every ring (inside an exterior and outside its holes), after a
// test of the shape's bounding box. Holds a copy of the shape; no GEOS.
class PointInShape {
 public:
  explicit PointInShape(Shape shape);
  bool contains(Point p) const;

 private:
  Shape shape_;
  double minX_, minY_, maxX_, maxY_;
};

class Geos {
 public:
  Geos();
  ~Geos();
  Geos(const Geos&) = delete;
  Geos& operator=(const Geos&) = delete;
  GEOSContextHandle_t handle() const { return ctx_; }

  struct Deleter {
    GEOSContextHandle_t ctx;
    void operator()(GEOSGeometry* g) const {
      if (g != nullptr) GEOSGeom_destroy_r(ctx, g);
    }
  };
  using Geometry = std::unique_ptr<GEOSGeometry, Deleter>;
  Geometry wrap(GEOSGeometry* g) const { return Geometry(g, Deleter{ctx_}); }

  // A valid polygonal geometry (Polygon or MultiPolygon) from a shape; invalid input is repaired where it can be.
  // nullptr (counted in issues) when nothing of it is left.
  Geometry polygonal(const Shape& shape, GeometryIssues& issues) const;
  // Area in square metres (0 for nullptr).
  double area(const GEOSGeometry* g) const;

 private:
  GEOSContextHandle_t ctx_;
};

}  // namespace greentwin::forest
