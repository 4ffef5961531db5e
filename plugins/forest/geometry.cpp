#include "geometry.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace greentwin::forest {
namespace {

// GEOS reports notices and errors through handlers; the results (nullptr / 0) carry what the callers need, and
// GEOS's own text would go to stderr, so they are muted.
void quiet(const char* /*format*/, ...) {}

}  // namespace

double shapeArea(const Shape& shape) {
  double total = 0;
  for (const PolygonShape& p : shape) {
    for (std::size_t r = 0; r < p.rings.size(); ++r) {
      const Ring& ring = p.rings[r];
      double twice = 0;
      for (std::size_t i = 0; i < ring.size(); ++i) {
        const Point& a = ring[i];
        const Point& b = ring[(i + 1) % ring.size()];
        twice += a.x * b.y - b.x * a.y;
      }
      total += (r == 0 ? 0.5 : -0.5) * std::abs(twice);
    }
  }
  return total;
}

Point shapeCentroid(const Shape& shape) {
  double sumA = 0, sumX = 0, sumY = 0, vx = 0, vy = 0;
  std::size_t vertices = 0;
  for (const PolygonShape& p : shape) {
    for (std::size_t r = 0; r < p.rings.size(); ++r) {
      const Ring& ring = p.rings[r];
      double twice = 0, cx = 0, cy = 0;
      for (std::size_t i = 0; i < ring.size(); ++i) {
        const Point& a = ring[i];
        const Point& b = ring[(i + 1) % ring.size()];
        const double cross = a.x * b.y - b.x * a.y;
        twice += cross;
        cx += (a.x + b.x) * cross;
        cy += (a.y + b.y) * cross;
        vx += a.x;
        vy += a.y;
        ++vertices;
      }
      if (twice == 0) continue;
      // The ring's signed area and first moments; an exterior adds, a hole takes away, whatever the orientation.
      const double sign = (r == 0 ? 1.0 : -1.0) * (twice > 0 ? 1.0 : -1.0);
      sumA += sign * 0.5 * twice;
      sumX += sign * cx / 6.0;
      sumY += sign * cy / 6.0;
    }
  }
  if (sumA != 0 && std::isfinite(sumA)) return {sumX / sumA, sumY / sumA};
  if (vertices == 0) return {std::nan(""), std::nan("")};
  return {vx / static_cast<double>(vertices), vy / static_cast<double>(vertices)};
}

PointInShape::PointInShape(Shape shape)
    : shape_(std::move(shape)),
      minX_(std::numeric_limits<double>::infinity()),
      minY_(std::numeric_limits<double>::infinity()),
      maxX_(-std::numeric_limits<double>::infinity()),
      maxY_(-std::numeric_limits<double>::infinity()) {
  for (const PolygonShape& p : shape_) {
    for (const Ring& ring : p.rings) {
      for (const Point& v : ring) {
        minX_ = std::min(minX_, v.x);
        minY_ = std::min(minY_, v.y);
        maxX_ = std::max(maxX_, v.x);
        maxY_ = std::max(maxY_, v.y);
      }
    }
  }
}

bool PointInShape::contains(Point p) const {
  if (!(p.x >= minX_ && p.x <= maxX_ && p.y >= minY_ && p.y <= maxY_)) return false;
  bool inside = false;
  for (const PolygonShape& polygon : shape_) {
    for (const Ring& ring : polygon.rings) {
      const std::size_t n = ring.size();
      for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
        const Point& a = ring[i];
        const Point& b = ring[j];
        if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
      }
    }
  }
  return inside;
}

Geos::Geos() : ctx_(GEOS_init_r()) {
  GEOSContext_setNoticeHandler_r(ctx_, quiet);
  GEOSContext_setErrorHandler_r(ctx_, quiet);
}

Geos::~Geos() { GEOS_finish_r(ctx_); }

double Geos::area(const GEOSGeometry* g) const {
  double a = 0;
  if (g == nullptr || GEOSArea_r(ctx_, g, &a) == 0) return 0;
  return a;
}

Geos::Geometry Geos::polygonal(const Shape& shape, GeometryIssues& issues) const {
  for (const PolygonShape& p : shape) {
    for (const Ring& r : p.rings) {
      for (const Point& v : r) {
        if (!std::isfinite(v.x) || !std::isfinite(v.y)) {
          ++issues.nonFinite;
          return wrap(nullptr);
        }
      }
    }
  }
  // A closed GEOS ring from ours (nullptr for fewer than 3 vertices).
  const auto linearRing = [&](const Ring& r) -> GEOSGeometry* {
    if (r.size() < 3) return nullptr;
    GEOSCoordSequence* seq = GEOSCoordSeq_create_r(ctx_, static_cast<unsigned>(r.size() + 1), 2);
    for (std::size_t i = 0; i <= r.size(); ++i) {
      const Point& v = r[i % r.size()];
      GEOSCoordSeq_setXY_r(ctx_, seq, static_cast<unsigned>(i), v.x, v.y);
    }
    return GEOSGeom_createLinearRing_r(ctx_, seq);  // takes the sequence
  };
  std::vector<GEOSGeometry*> polygons;
  for (const PolygonShape& p : shape) {
    if (p.rings.empty()) continue;
    GEOSGeometry* shell = linearRing(p.rings.front());
    if (shell == nullptr) {
      ++issues.shortRings;
      continue;
    }
    std::vector<GEOSGeometry*> holes;
    for (std::size_t i = 1; i < p.rings.size(); ++i) {
      if (GEOSGeometry* h = linearRing(p.rings[i])) {
        holes.push_back(h);
      } else {
        ++issues.shortRings;
      }
    }
    polygons.push_back(GEOSGeom_createPolygon_r(ctx_, shell, holes.data(), static_cast<unsigned>(holes.size())));
  }
  if (polygons.empty()) {
    if (shape.empty()) ++issues.empty;
    return wrap(nullptr);
  }
  Geometry g = polygons.size() == 1 ? wrap(polygons.front())
                                    : wrap(GEOSGeom_createCollection_r(ctx_, GEOS_MULTIPOLYGON, polygons.data(),
                                                                       static_cast<unsigned>(polygons.size())));
  if (!g) return g;
  if (GEOSisValid_r(ctx_, g.get()) == 1) return g;
  // Repair: the "structure" method keeps the area the rings enclose (self-overlaps and holes as the rings mean
  // them) and drops collapsed parts, so the result is polygonal.
  GEOSMakeValidParams* params = GEOSMakeValidParams_create_r(ctx_);
  GEOSMakeValidParams_setMethod_r(ctx_, params, GEOS_MAKE_VALID_STRUCTURE);
  GEOSMakeValidParams_setKeepCollapsed_r(ctx_, params, 0);
  Geometry fixed = wrap(GEOSMakeValidWithParams_r(ctx_, g.get(), params));
  GEOSMakeValidParams_destroy_r(ctx_, params);
  if (!fixed || GEOSisEmpty_r(ctx_, fixed.get()) != 0 || area(fixed.get()) <= 0) {
    ++issues.unrepairable;
    return wrap(nullptr);
  }
  ++issues.repaired;
  return fixed;
}

}  // namespace greentwin::forest
