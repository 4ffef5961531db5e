#include "greentwin/connectors/citygml_reader.hpp"

#include <citygml/citygml.h>
#include <citygml/citygmllogger.h>
#include <citygml/citymodel.h>
#include <citygml/envelope.h>
#include <citygml/geometry.h>
#include <citygml/linearring.h>
#include <citygml/polygon.h>
#include <xercesc/sax/SAXParseException.hpp>
#include <xercesc/util/XMLException.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

namespace gt::connectors {
namespace {

using CityObjectType = citygml::CityObject::CityObjectsType;

// libcitygml's messages at warning level and above, kept for the error or the warnings (its default logger prints
// to stdout). Called on the reading thread only. libcitygml's base class has no virtual destructor; the logger is
// made by std::make_shared, whose deleter destroys it as what it is.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnon-virtual-dtor"
class CollectingLogger : public citygml::CityGMLLogger {
 public:
  CollectingLogger() : CityGMLLogger(LOGLEVEL::LL_WARNING) {}
  void log(LOGLEVEL level, const std::string& message, const char* /*file*/, int /*line*/) const override {
    std::lock_guard lock(mutex_);
    (level >= LOGLEVEL::LL_ERROR ? errors_ : warnings_).push_back(message);
  }
  std::vector<std::string> errors() const {
    std::lock_guard lock(mutex_);
    return errors_;
  }

 private:
  mutable std::mutex mutex_;
  mutable std::vector<std::string> errors_;
  mutable std::vector<std::string> warnings_;
};
#pragma GCC diagnostic pop

// A xerces message (UTF-16) as text; non-ASCII characters become '?' (the messages are English).
std::string narrow(const XMLCh* text) {
  std::string out;
  for (const XMLCh* c = text; c != nullptr && *c != 0; ++c) out += *c < 128 ? static_cast<char>(*c) : '?';
  return out;
}

Vec3d toVec(const TVec3d& v) { return {v.x, v.y, v.z}; }

// Newell's normal of a ring (not normalised): its length is twice the area, its direction follows the ring's turn.
Vec3d ringNormal(const std::vector<TVec3d>& ring) {
  Vec3d n{0, 0, 0};
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const TVec3d& a = ring[i];
    const TVec3d& b = ring[(i + 1) % ring.size()];
    n.x += (a.y - b.y) * (a.z + b.z);
    n.y += (a.z - b.z) * (a.x + b.x);
    n.z += (a.x - b.x) * (a.y + b.y);
  }
  return n;
}

double dot(const Vec3d& a, const Vec3d& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
double length(const Vec3d& a) { return std::sqrt(dot(a, a)); }

// Convex hull of the points' (x, y) (Andrew's monotone chain), counter-clockwise, at the lowest z.
Polygon convexHull(std::vector<Vec3d> points) {
  std::sort(points.begin(), points.end(), [](const Vec3d& a, const Vec3d& b) {
    return a.x < b.x || (a.x == b.x && a.y < b.y);
  });
  double minZ = points.empty() ? 0.0 : points.front().z;
  for (const Vec3d& p : points) minZ = std::min(minZ, p.z);
  const auto cross = [](const Vec3d& o, const Vec3d& a, const Vec3d& b) {
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
  };
  std::vector<Vec3d> hull(2 * points.size());
  std::size_t k = 0;
  for (std::size_t i = 0; i < points.size(); ++i) {
    while (k >= 2 && cross(hull[k - 2], hull[k - 1], points[i]) <= 0) --k;
    hull[k++] = points[i];
  }
  for (std::size_t i = points.size() - 1, lower = k + 1; i > 0; --i) {
    while (k >= lower && cross(hull[k - 2], hull[k - 1], points[i - 1]) <= 0) --k;
    hull[k++] = points[i - 1];
  }
  hull.resize(k > 1 ? k - 1 : k);
  for (Vec3d& p : hull) p.z = minZ;
  Polygon out;
  if (hull.size() >= 3) out.rings.push_back(std::move(hull));
  return out;
}

// One building's geometry in source coordinates, collected from its geometries and boundary surfaces.
struct Collected {
  std::vector<Vec3d> triangles;
  std::vector<Polygon> footprint;
};

void addPolygon(const citygml::Polygon& polygon, Collected& out) {
  const auto& vertices = polygon.getVertices();
  const auto& indices = polygon.getIndices();
  const auto exterior = polygon.exteriorRing();
  const Vec3d normal = exterior ? ringNormal(exterior->getVertices()) : Vec3d{0, 0, 0};
  const double area2 = length(normal);
  for (std::size_t t = 0; t + 2 < indices.size(); t += 3) {
    if (indices[t] >= vertices.size() || indices[t + 1] >= vertices.size() || indices[t + 2] >= vertices.size()) {
      continue;
    }
    Vec3d a = toVec(vertices[indices[t]]);
    Vec3d b = toVec(vertices[indices[t + 1]]);
    Vec3d c = toVec(vertices[indices[t + 2]]);
    const Vec3d u = b - a, v = c - a;
    const Vec3d n{u.y * v.z - u.z * v.y, u.z * v.x - u.x * v.z, u.x * v.y - u.y * v.x};
    if (length(n) <= 1e-9) continue;       // degenerate (libcitygml keeps the closing vertex)
    if (dot(n, normal) < 0) std::swap(b, c);  // face the way the exterior ring turns
    out.triangles.insert(out.triangles.end(), {a, b, c});
  }
  // A polygon facing down is (part of) the footprint.
  if (exterior && area2 > 1e-9 && normal.z < -0.7 * area2) {
    Polygon foot;
    const auto ring = [](const std::vector<TVec3d>& points) {
      std::vector<Vec3d> r;
      for (const TVec3d& p : points) {
        if (r.empty() || !(r.back() == toVec(p))) r.push_back(toVec(p));
      }
      if (r.size() > 1 && r.front() == r.back()) r.pop_back();
      return r;
    };
    foot.rings.push_back(ring(exterior->getVertices()));
    for (const auto& hole : polygon.interiorRings()) {
      if (auto r = ring(hole->getVertices()); r.size() >= 3) foot.rings.push_back(std::move(r));
    }
    if (foot.rings.front().size() >= 3) out.footprint.push_back(std::move(foot));
  }
}

void addGeometry(const citygml::Geometry& geometry, unsigned lod, Collected& out) {
  if (geometry.getLOD() == lod) {
    for (unsigned i = 0; i < geometry.getPolygonsCount(); ++i) addPolygon(*geometry.getPolygon(i), out);
  }
  for (unsigned i = 0; i < geometry.getGeometriesCount(); ++i) addGeometry(geometry.getGeometry(i), lod, out);
}

// Objects inside a building that are drawn with it: its boundary surfaces (walls, roofs, ground, closures) and
// outer installations; not its parts (features of their own) nor its interior.
bool drawnWithBuilding(CityObjectType type) {
  switch (type) {
    case CityObjectType::COT_WallSurface:
    case CityObjectType::COT_RoofSurface:
    case CityObjectType::COT_GroundSurface:
    case CityObjectType::COT_ClosureSurface:
    case CityObjectType::COT_OuterCeilingSurface:
    case CityObjectType::COT_OuterFloorSurface:
    case CityObjectType::COT_BuildingInstallation: return true;
    default: return false;
  }
}

void collect(const citygml::CityObject& object, unsigned lod, Collected& out) {
  for (unsigned i = 0; i < object.getGeometriesCount(); ++i) addGeometry(object.getGeometry(i), lod, out);
  for (unsigned i = 0; i < object.getChildCityObjectsCount(); ++i) {
    const citygml::CityObject& child = object.getChildCityObject(i);
    if (drawnWithBuilding(child.getType())) collect(child, lod, out);
  }
}

void highestLod(const citygml::Geometry& geometry, unsigned& lod) {
  if (geometry.getPolygonsCount() > 0) lod = std::max(lod, geometry.getLOD());
  for (unsigned i = 0; i < geometry.getGeometriesCount(); ++i) highestLod(geometry.getGeometry(i), lod);
}

// The highest LoD with polygons among the object and the surfaces drawn with it; 0 when it has none.
unsigned highestLod(const citygml::CityObject& object) {
  unsigned lod = 0;
  for (unsigned i = 0; i < object.getGeometriesCount(); ++i) highestLod(object.getGeometry(i), lod);
  for (unsigned i = 0; i < object.getChildCityObjectsCount(); ++i) {
    const citygml::CityObject& child = object.getChildCityObject(i);
    if (drawnWithBuilding(child.getType())) lod = std::max(lod, highestLod(child));
  }
  return lod;
}

std::string withoutNamespace(const std::string& name) {
  const std::size_t colon = name.find(':');
  return colon == std::string::npos ? name : name.substr(colon + 1);
}

// libcitygml stores standard attributes as "<prefix>:<lower-case name>" and generic ones under their own names.
PropertyMap propertiesOf(const citygml::CityObject& object) {
  PropertyMap props;
  for (const auto& [name, value] : object.getAttributes()) {
    PropertyValue v;
    switch (value.getType()) {
      case citygml::AttributeType::Double: v = value.asDouble(); break;
      case citygml::AttributeType::Integer: v = static_cast<std::int64_t>(value.asInteger()); break;
      default: v = value.asString(); break;
    }
    const std::string key = withoutNamespace(name);
    if (key == "measuredheight") {
      props["height_m"] = value.asDouble();
    } else if (key == "storeysaboveground") {
      props["floors"] = static_cast<std::int64_t>(value.asInteger());
    } else if (key == "name" && name.rfind("gml:", 0) == 0) {
      props["name"] = value.asString();
    } else {
      props[key] = std::move(v);
    }
  }
  // A copy first: inserting into the PropertyMap (a sorted vector) moves its entries.
  const auto function = props.find("function");
  const auto usage = props.find("usage");
  if (function != props.end() || usage != props.end()) {
    PropertyValue use = function != props.end() ? function->second : usage->second;
    props.insert_or_assign("use", std::move(use));
  }
  return props;
}

std::string srsOf(const citygml::CityModel& model) {
  if (!model.getEnvelope().srsName().empty()) return model.getEnvelope().srsName();
  for (const citygml::CityObject* root : model.getRootCityObjects()) {
    if (!root->getEnvelope().srsName().empty()) return root->getEnvelope().srsName();
    for (unsigned i = 0; i < root->getGeometriesCount(); ++i) {
      if (const std::string srs = root->getGeometry(i).getSRSName(); !srs.empty()) return srs;
    }
  }
  return {};
}

// GML's axis order rule, as GDAL's GML reader applies it: an srsName written as a URN (urn:ogc:def:crs:EPSG::4548)
// or an OGC http URI (http://www.opengis.net/def/crs/EPSG/0/4548) gives coordinates in the CRS's own axis order
// (latitude first for EPSG:4326, northing first for EPSG:4548); the short form (EPSG:4548) and a CRS assumed from the
// config give them easting (longitude) first.
AxisOrder gmlAxisOrder(const std::string& srsName) {
  const auto startsWith = [&](std::string_view prefix) {
    if (srsName.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i) {
      if (std::tolower(static_cast<unsigned char>(srsName[i])) != prefix[i]) return false;
    }
    return true;
  };
  return startsWith("urn:ogc:def:crs") || startsWith("http://www.opengis.net/def/crs") ||
                 startsWith("https://www.opengis.net/def/crs")
             ? AxisOrder::Authority
             : AxisOrder::LonLatXY;
}

class BuildingConverter {
 public:
  BuildingConverter(CrsTransform transform, const CityGmlReadOptions& options, FeatureSet& set)
      : transform_(std::move(transform)), options_(options), set_(set) {}

  void addBuilding(const citygml::CityObject& building) {
    std::vector<const citygml::CityObject*> parts;
    for (unsigned i = 0; i < building.getChildCityObjectsCount(); ++i) {
      const citygml::CityObject& child = building.getChildCityObject(i);
      if (child.getType() == CityObjectType::COT_BuildingPart) parts.push_back(&child);
    }
    PropertyMap props = propertiesOf(building);
    if (parts.empty() || highestLod(building) > 0) add(building, props, "Building", {});
    for (const citygml::CityObject* part : parts) {
      PropertyMap partProps = propertiesOf(*part);
      for (const auto& [key, value] : props) partProps.emplace(key, value);  // inherits what it lacks
      add(*part, std::move(partProps), "BuildingPart", building.getId());
    }
  }

 private:
  void add(const citygml::CityObject& object, PropertyMap props, const char* type, const std::string& parent) {
    const std::string id = options_.idPrefix.empty() ? object.getId() : options_.idPrefix + "/" + object.getId();
    const unsigned lod = highestLod(object);
    Collected geometry;
    if (lod > 0) collect(object, lod, geometry);
    if (geometry.triangles.empty()) {
      ++set_.skippedFeatures;
      set_.warnings.push_back("building " + id + ": no LoD1 or LoD2 surfaces, skipped");
      return;
    }
    if (Status s = toLocal(geometry); !s) {
      ++set_.skippedFeatures;
      set_.warnings.push_back("building " + id + ": " + s.message() + ", skipped");
      return;
    }
    Feature feature;
    feature.id = id;
    props["citygml_type"] = std::string(type);
    props["lod"] = static_cast<std::int64_t>(lod);
    if (!parent.empty()) props["building"] = parent;
    feature.properties = std::move(props);
    feature.geometry.triangles = std::move(geometry.triangles);
    if (geometry.footprint.empty()) {
      Polygon hull = convexHull(feature.geometry.triangles);
      if (!hull.rings.empty()) geometry.footprint.push_back(std::move(hull));
    }
    feature.geometry.polygons = std::move(geometry.footprint);
    for (const Vec3d& p : feature.geometry.triangles) set_.bounds.extend(p);
    set_.features.push_back(std::move(feature));
  }

  Status toLocal(Collected& geometry) {
    for (const Vec3d& p : geometry.triangles) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y) || !std::isfinite(p.z)) {
        return Status(ErrorCode::InvalidArgument, "non-finite coordinate");
      }
    }
    if (Status s = transform_.toLocal(std::span<Vec3d>(geometry.triangles)); !s) return s;
    for (Polygon& polygon : geometry.footprint) {
      for (auto& ring : polygon.rings) {
        if (Status s = transform_.toLocal(std::span<Vec3d>(ring)); !s) return s;
      }
    }
    return Status::ok();
  }

  CrsTransform transform_;
  const CityGmlReadOptions& options_;
  FeatureSet& set_;
};

}  // namespace

Result<FeatureSet> readCityGml(const std::string& path, const GeoFrame& frame, const CityGmlReadOptions& options) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return Status(ErrorCode::NotFound, "CityGML file '" + path + "' does not exist");
  }
  citygml::ParserParams params;
  params.objectsMask = CityObjectType::COT_All;
  params.minLOD = 1;
  params.maxLOD = 2;
  params.tesselate = true;
  params.keepVertices = true;  // the exterior rings: which way each polygon faces, and the footprint
  auto logger = std::make_shared<CollectingLogger>();
  std::shared_ptr<const citygml::CityModel> model;
  // libcitygml hands xerces' parse errors through as exceptions (not std::exception).
  try {
    model = citygml::load(path, params, logger);
  } catch (const xercesc::SAXParseException& e) {
    return Status(ErrorCode::ParseError, "CityGML file '" + path + "' is not well-formed XML: line " +
                                             std::to_string(e.getLineNumber()) + ": " + narrow(e.getMessage()));
  } catch (const xercesc::XMLException& e) {
    return Status(ErrorCode::ParseError, "CityGML file '" + path + "' cannot be read: " + narrow(e.getMessage()));
  } catch (const std::exception& e) {
    return Status(ErrorCode::ParseError, "CityGML file '" + path + "' cannot be read: " + e.what());
  } catch (...) {
    return Status(ErrorCode::ParseError, "CityGML file '" + path + "' cannot be read (the parser failed)");
  }
  if (!model) {
    const auto errors = logger->errors();
    return Status(ErrorCode::ParseError, "'" + path + "' is not a CityGML file" +
                                             (errors.empty() ? std::string() : ": " + errors.back()));
  }

  FeatureSet set;
  set.source = path;
  std::string srs = srsOf(*model);
  const AxisOrder axes = gmlAxisOrder(srs);
  if (srs.empty()) {
    if (options.assumeCrs.empty()) {
      return Status(ErrorCode::InvalidArgument,
                    "'" + path + "' declares no srsName; set the layer's crs in the config to say which it is");
    }
    srs = options.assumeCrs;
    set.sourceCrs = srs + " (assumed)";
  } else {
    set.sourceCrs = srs;
  }
  auto transform = frame.transformFrom(srs, axes);
  if (!transform) {
    return Status(ErrorCode::InvalidArgument,
                  "'" + path + "': unknown or unusable CRS '" + srs + "': " + transform.status().message());
  }

  // The buildings among the roots and whatever the roots hold (not CityModel::getAllCityObjectsOfType: libcitygml
  // 2.4 throws std::bad_array_new_length from it for a model without any object of the type).
  BuildingConverter converter(std::move(transform).value(), options, set);
  std::size_t buildings = 0;
  // A stack, filled in reverse so that buildings come out in file order (slots and entities follow the file).
  std::vector<const citygml::CityObject*> pending = model->getRootCityObjects();
  std::reverse(pending.begin(), pending.end());
  while (!pending.empty()) {
    const citygml::CityObject* object = pending.back();
    pending.pop_back();
    if (object->getType() == CityObjectType::COT_Building) {
      ++buildings;
      converter.addBuilding(*object);
      continue;
    }
    for (unsigned i = object->getChildCityObjectsCount(); i > 0; --i) pending.push_back(&object->getChildCityObject(i - 1));
  }
  if (set.features.empty()) {
    return Status(ErrorCode::InvalidArgument,
                  "'" + path + "' has no buildings to draw" +
                      (buildings == 0 ? std::string(" (no bldg:Building in it)")
                                      : " (" + std::to_string(buildings) + " buildings, none with LoD1 or LoD2 "
                                                                           "surfaces: " + set.warnings.front() + ")"));
  }
  return set;
}

}  // namespace gt::connectors
