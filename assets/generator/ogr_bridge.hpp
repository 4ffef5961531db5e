#pragma once
// Conversions between the generator's plain geometry (local metres) and OGR geometries, plus the few GEOS
// operations (through OGR) the green-space step needs: buffer, difference, intersection, area.

#include <memory>
#include <vector>

#include <ogr_geometry.h>

#include "city.hpp"
#include "geometry.hpp"

namespace gtgen {

using OgrGeomPtr = std::unique_ptr<OGRGeometry, decltype(&OGRGeometryFactory::destroyGeometry)>;
inline OgrGeomPtr wrap(OGRGeometry* g) { return {g, &OGRGeometryFactory::destroyGeometry}; }

OgrGeomPtr toOgrPolygon(const Polygon& polygon, P2 offset = {});
OgrGeomPtr toOgrMultiPolygon(const std::vector<Polygon>& parts, P2 offset = {});
OgrGeomPtr toOgrLine(const Polyline& line, P2 offset = {});
// Polygon parts of any geometry (Polygon, MultiPolygon, GeometryCollection); other types are dropped.
std::vector<Polygon> polygonsOf(const OGRGeometry* geometry);
// Area of any (multi)polygonal geometry, 0 for others.
double areaOf(const OGRGeometry* geometry);
// Line parts of any geometry (LineString, MultiLineString, GeometryCollection).
std::vector<Polyline> linesOf(const OGRGeometry* geometry);

}  // namespace gtgen
