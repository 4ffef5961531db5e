#pragma once
// Vector features in the scene frame: what an importer (connectors/) hands to a layer (layers/).
// A FeatureSet is built on a worker thread and then treated as an immutable snapshot.

#include <cstddef>
#include <map>
#include <string>
#include <vector>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/vec.hpp"

namespace gt {

struct Polygon {
  std::vector<std::vector<Vec3d>> rings;  // rings[0] is the exterior, the rest are holes; not closed (no repeat)
};

// A feature's geometry, flattened: a multi-geometry contributes several parts. Local scene coordinates (m).
struct FeatureGeometry {
  std::vector<Vec3d> points;
  std::vector<std::vector<Vec3d>> lines;
  std::vector<Polygon> polygons;
  // A surface mesh (CityGML walls and roofs, connectors/citygml_reader.hpp): every three points are one triangle.
  // A buildings layer draws these as they are instead of extruding `polygons`, which then hold the footprint.
  std::vector<Vec3d> triangles;

  bool empty() const { return points.empty() && lines.empty() && polygons.empty() && triangles.empty(); }
};

struct Feature {
  std::string id;  // stable entity id, e.g. "tongzhou-district/0"
  PropertyMap properties;
  FeatureGeometry geometry;
  EntityIndex entity = kInvalidEntity;  // set when the feature is registered in the EntityStore
};

struct Bounds {
  Vec3d min{1e300, 1e300, 1e300};
  Vec3d max{-1e300, -1e300, -1e300};
  bool valid() const { return min.x <= max.x; }
  void extend(const Vec3d& p);
  Vec3d center() const { return {(min.x + max.x) / 2, (min.y + max.y) / 2, (min.z + max.z) / 2}; }
};

struct FeatureSet {
  std::string source;     // where it came from (path or connection string)
  std::string sourceCrs;  // the source CRS as the file declared it
  std::vector<Feature> features;
  Bounds bounds;
  std::size_t skippedFeatures = 0;    // features dropped (no or invalid geometry), each with a warning
  std::vector<std::string> warnings;  // human-readable, shown in the UI and logged
};

// Where a feature's label goes: the centroid of its largest polygon's exterior (the vertex average for
// concave shapes that would put it outside falls back to the ring's first vertex), the middle vertex of its
// longest line, or its first point.
Vec3d labelAnchor(const FeatureGeometry& geometry);

// Area of a polygon (exterior minus holes) in square metres; the scene frame is a conformal projection, so
// this is the projected (Gauss-Kruger) area.
double polygonArea(const Polygon& polygon);
double featureSetArea(const FeatureSet& set);

}  // namespace gt
