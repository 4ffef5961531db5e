#include "ogr_bridge.hpp"

#include <ogr_api.h>

namespace gtgen {

namespace {

OGRLinearRing* toOgrRing(const Ring& ring, P2 offset) {
  auto* out = new OGRLinearRing();
  for (P2 p : ring) out->addPoint(p.x + offset.x, p.y + offset.y);
  if (!ring.empty()) out->addPoint(ring.front().x + offset.x, ring.front().y + offset.y);
  return out;
}

Ring fromOgrRing(const OGRLinearRing* ring) {
  Ring out;
  const int n = ring->getNumPoints();
  for (int i = 0; i < n; ++i) out.push_back({ring->getX(i), ring->getY(i)});
  if (out.size() > 1 && out.front() == out.back()) out.pop_back();
  return out;
}

void collectPolygons(const OGRGeometry* g, std::vector<Polygon>& out) {
  if (g == nullptr) return;
  switch (wkbFlatten(g->getGeometryType())) {
    case wkbPolygon: {
      const auto* poly = g->toPolygon();
      if (poly->getExteriorRing() == nullptr) return;
      Polygon p{fromOgrRing(poly->getExteriorRing())};
      for (int i = 0; i < poly->getNumInteriorRings(); ++i) p.push_back(fromOgrRing(poly->getInteriorRing(i)));
      if (p.front().size() >= 3) out.push_back(std::move(p));
      return;
    }
    case wkbMultiPolygon:
    case wkbGeometryCollection: {
      const auto* coll = g->toGeometryCollection();
      for (int i = 0; i < coll->getNumGeometries(); ++i) collectPolygons(coll->getGeometryRef(i), out);
      return;
    }
    default:
      return;
  }
}

void collectLines(const OGRGeometry* g, std::vector<Polyline>& out) {
  if (g == nullptr) return;
  switch (wkbFlatten(g->getGeometryType())) {
    case wkbLineString: {
      const auto* ls = g->toLineString();
      Polyline line;
      for (int i = 0; i < ls->getNumPoints(); ++i) line.push_back({ls->getX(i), ls->getY(i)});
      if (line.size() >= 2) out.push_back(std::move(line));
      return;
    }
    case wkbMultiLineString:
    case wkbGeometryCollection: {
      const auto* coll = g->toGeometryCollection();
      for (int i = 0; i < coll->getNumGeometries(); ++i) collectLines(coll->getGeometryRef(i), out);
      return;
    }
    default:
      return;
  }
}

}  // namespace

OgrGeomPtr toOgrPolygon(const Polygon& polygon, P2 offset) {
  auto* poly = new OGRPolygon();
  for (const Ring& ring : polygon) poly->addRingDirectly(toOgrRing(ring, offset));
  return wrap(poly);
}

OgrGeomPtr toOgrMultiPolygon(const std::vector<Polygon>& parts, P2 offset) {
  auto* multi = new OGRMultiPolygon();
  for (const Polygon& part : parts) multi->addGeometryDirectly(toOgrPolygon(part, offset).release());
  return wrap(multi);
}

OgrGeomPtr toOgrLine(const Polyline& line, P2 offset) {
  auto* ls = new OGRLineString();
  for (P2 p : line) ls->addPoint(p.x + offset.x, p.y + offset.y);
  return wrap(ls);
}

std::vector<Polygon> polygonsOf(const OGRGeometry* geometry) {
  std::vector<Polygon> out;
  collectPolygons(geometry, out);
  return out;
}

double areaOf(const OGRGeometry* geometry) {
  return geometry == nullptr ? 0.0 : OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(geometry)));
}

std::vector<Polyline> linesOf(const OGRGeometry* geometry) {
  std::vector<Polyline> out;
  collectLines(geometry, out);
  return out;
}

}  // namespace gtgen
