#include "coverage.hpp"

#include <geos_c.h>

#include <cmath>
#include <memory>

namespace greentwin::traffic {
namespace {

// One GEOS context for the call, with its geometries freed through it.
class Geos {
 public:
  Geos() : handle_(GEOS_init_r()) {}
  ~Geos() {
    if (handle_ != nullptr) GEOS_finish_r(handle_);
  }
  Geos(const Geos&) = delete;
  Geos& operator=(const Geos&) = delete;
  GEOSContextHandle_t get() const { return handle_; }

  struct Deleter {
    GEOSContextHandle_t h;
    void operator()(GEOSGeometry* g) const { GEOSGeom_destroy_r(h, g); }
  };
  using Geometry = std::unique_ptr<GEOSGeometry, Deleter>;
  Geometry own(GEOSGeometry* g) const { return Geometry(g, Deleter{handle_}); }

  // A closed ring from the open vertex list; null when it has fewer than 3 distinct vertices or a NaN.
  GEOSGeometry* ring(const Ring& r) const {
    if (r.size() < 3) return nullptr;
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(handle_, static_cast<unsigned>(r.size() + 1), 2);
    if (seq == nullptr) return nullptr;
    for (std::size_t i = 0; i <= r.size(); ++i) {
      const Point& p = r[i % r.size()];
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) {
        GEOSCoordSeq_destroy_r(handle_, seq);
        return nullptr;
      }
      GEOSCoordSeq_setXY_r(handle_, seq, static_cast<unsigned>(i), p.x, p.y);
    }
    return GEOSGeom_createLinearRing_r(handle_, seq);  // takes seq
  }

  // A polygon or multipolygon; null when no polygon is usable (a polygon with an unusable exterior is dropped, an
  // unusable hole is left out).
  Geometry polygons(const Polygons& in) const {
    std::vector<GEOSGeometry*> parts;
    for (const Polygon& p : in) {
      if (p.empty()) continue;
      GEOSGeometry* shell = ring(p[0]);
      if (shell == nullptr) continue;
      std::vector<GEOSGeometry*> holes;
      for (std::size_t h = 1; h < p.size(); ++h) {
        if (GEOSGeometry* hole = ring(p[h])) holes.push_back(hole);
      }
      GEOSGeometry* polygon = GEOSGeom_createPolygon_r(handle_, shell, holes.data(), static_cast<unsigned>(holes.size()));
      if (polygon != nullptr) parts.push_back(polygon);
    }
    if (parts.empty()) return own(nullptr);
    if (parts.size() == 1) return own(parts[0]);
    return own(GEOSGeom_createCollection_r(handle_, GEOS_MULTIPOLYGON, parts.data(), static_cast<unsigned>(parts.size())));
  }

 private:
  GEOSContextHandle_t handle_;
};

struct QueryState {
  const std::vector<Point>* stops;
  double x, y, r2;
  bool hit = false;
};

}  // namespace

CoverageOutcome busStopCoverage(const CoverageInput& input) {
  CoverageOutcome out;
  Geos geos;
  GEOSContextHandle_t h = geos.get();
  if (h == nullptr) {
    out.error = "GEOS could not be initialised";
    return out;
  }

  // The area (optional), prepared for repeated point-in-polygon tests.
  Geos::Geometry area = geos.own(nullptr);
  const GEOSPreparedGeometry* preparedArea = nullptr;
  if (!input.area.empty()) {
    area = geos.polygons(input.area);
    if (!area) {
      out.error = "the coverage area has no usable polygon";
      return out;
    }
    preparedArea = GEOSPrepare_r(h, area.get());
  }

  // The stops in an STRtree; items are indices into input.stops (stored as pointers into the vector).
  GEOSSTRtree* tree = GEOSSTRtree_create_r(h, 10);
  std::vector<Geos::Geometry> stopPoints;
  stopPoints.reserve(input.stops.size());
  for (const Point& s : input.stops) {
    if (!std::isfinite(s.x) || !std::isfinite(s.y)) continue;
    stopPoints.push_back(geos.own(GEOSGeom_createPointFromXY_r(h, s.x, s.y)));
    GEOSSTRtree_insert_r(h, tree, stopPoints.back().get(), const_cast<Point*>(&s));
  }

  const double r = input.radiusM;
  for (const Polygons& footprint : input.buildings) {
    Geos::Geometry g = geos.polygons(footprint);
    Geos::Geometry centroid = g ? geos.own(GEOSGetCentroid_r(h, g.get())) : geos.own(nullptr);
    double cx = 0, cy = 0;
    if (!centroid || GEOSisEmpty_r(h, centroid.get()) != 0 || GEOSGeomGetX_r(h, centroid.get(), &cx) != 1 ||
        GEOSGeomGetY_r(h, centroid.get(), &cy) != 1) {
      ++out.result.skipped;
      continue;
    }
    if (preparedArea != nullptr && GEOSPreparedContains_r(h, preparedArea, centroid.get()) != 1) {
      ++out.result.outsideArea;
      continue;
    }
    ++out.result.buildings;
    // Candidates: stops in the box of the radius around the centroid; then the exact distance.
    Geos::Geometry box = geos.own(GEOSGeom_createRectangle_r(h, cx - r, cy - r, cx + r, cy + r));
    QueryState q{&input.stops, cx, cy, r * r};
    GEOSSTRtree_query_r(
        h, tree, box.get(),
        [](void* item, void* user) {
          auto* state = static_cast<QueryState*>(user);
          if (state->hit) return;
          const auto* p = static_cast<const Point*>(item);
          const double dx = p->x - state->x, dy = p->y - state->y;
          if (dx * dx + dy * dy <= state->r2) state->hit = true;
        },
        &q);
    if (q.hit) ++out.result.covered;
  }

  GEOSSTRtree_destroy_r(h, tree);
  if (preparedArea != nullptr) GEOSPreparedGeom_destroy_r(h, preparedArea);
  return out;
}

}  // namespace greentwin::traffic
