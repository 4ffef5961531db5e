#include "greentwin/connectors/bim_model.hpp"

#include "greentwin/core/regular_file.hpp"

#include <cmath>
#include <cstdint>
#include <fstream>
#include <limits>
#include <numbers>
#include <sstream>
#include <stdexcept>
#include <utility>

#include <nlohmann/json.hpp>

namespace gt::bim {
namespace {

using nlohmann::json;

json vec(const Vec3d& v) { return json::array({v.x, v.y, v.z}); }

Vec3d toVec(const json& j) {
  if (!j.is_array() || j.size() != 3) throw std::runtime_error("expected [x, y, z]");
  return {j.at(0).get<double>(), j.at(1).get<double>(), j.at(2).get<double>()};
}

template <typename T>
std::optional<T> optional(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::nullopt;
  return it->get<T>();
}

std::string str(const json& j, const char* key) { return j.value(key, std::string()); }

// An integer of the sidecar (the version, a count, an index): a JSON integer that fits T, else an error naming the
// key. nlohmann's get<T>() would convert a float (1e300) or an out-of-range integer to T, undefined behaviour.
template <typename T>
T integer(const json& v, const char* key) {
  if (v.is_number_unsigned()) {
    if (const auto n = v.get<std::uint64_t>(); std::in_range<T>(n)) return static_cast<T>(n);
  } else if (v.is_number_integer()) {
    if (const auto n = v.get<std::int64_t>(); std::in_range<T>(n)) return static_cast<T>(n);
  }
  throw std::runtime_error(std::string("'") + key + "' must be an integer from " +
                           std::to_string(std::numeric_limits<T>::min()) + " to " +
                           std::to_string(std::numeric_limits<T>::max()) + ", got " + v.dump());
}

// An optional integer member (`fallback` when absent).
template <typename T>
T integerOr(const json& j, const char* key, T fallback) {
  const auto it = j.find(key);
  return it == j.end() ? fallback : integer<T>(*it, key);
}

// An optional array of indices (empty when absent).
std::vector<std::size_t> indices(const json& j, const char* key) {
  std::vector<std::size_t> out;
  const auto it = j.find(key);
  if (it == j.end()) return out;
  if (!it->is_array()) throw std::runtime_error(std::string("'") + key + "' must be an array of indices");
  out.reserve(it->size());
  for (const json& v : *it) out.push_back(integer<std::size_t>(v, key));
  return out;
}

CarbonStatus carbonStatusFrom(const std::string& s) {
  if (s == "ok") return CarbonStatus::Ok;
  if (s == "no_quantity") return CarbonStatus::NoQuantity;
  if (s == "in_parts") return CarbonStatus::CountedInParts;
  return CarbonStatus::UnknownMaterial;
}

PlacementMethod methodFrom(const std::string& s) {
  if (s == "anchor_override") return PlacementMethod::AnchorOverride;
  if (s == "map_conversion") return PlacementMethod::MapConversion;
  if (s == "site_reference") return PlacementMethod::SiteReference;
  if (s == "anchor") return PlacementMethod::Anchor;
  return PlacementMethod::None;
}

}  // namespace

const char* toString(CarbonStatus status) {
  switch (status) {
    case CarbonStatus::Ok: return "ok";
    case CarbonStatus::UnknownMaterial: return "unknown_material";
    case CarbonStatus::NoQuantity: return "no_quantity";
    case CarbonStatus::CountedInParts: return "in_parts";
  }
  return "unknown_material";
}

const char* toString(PlacementMethod method) {
  switch (method) {
    case PlacementMethod::AnchorOverride: return "anchor_override";
    case PlacementMethod::MapConversion: return "map_conversion";
    case PlacementMethod::SiteReference: return "site_reference";
    case PlacementMethod::Anchor: return "anchor";
    case PlacementMethod::None: return "none";
  }
  return "none";
}

const BimProperty* BimElement::find(const std::string& setName, const std::string& propertyName) const {
  for (const BimPropertySet& s : propertySets) {
    if (s.name != setName) continue;
    for (const BimProperty& p : s.values) {
      if (p.name == propertyName) return &p;
    }
  }
  return nullptr;
}

Vec3d BimPlacement::toScene(const Vec3d& p) const {
  const double a = rotationDeg * std::numbers::pi / 180.0;
  const double c = std::cos(a) * scale;
  const double s = std::sin(a) * scale;
  return {origin.x + c * p.x - s * p.y, origin.y + s * p.x + c * p.y, origin.z + scale * p.z};
}

std::array<double, 16> BimPlacement::matrixRowMajor() const {
  const double a = rotationDeg * std::numbers::pi / 180.0;
  const double c = std::cos(a) * scale;
  const double s = std::sin(a) * scale;
  return {c, -s, 0.0, origin.x, s, c, 0.0, origin.y, 0.0, 0.0, scale, origin.z, 0.0, 0.0, 0.0, 1.0};
}

const BimElement* BimModel::findElement(const std::string& guid) const {
  for (const BimElement& e : elements) {
    if (e.guid == guid) return &e;
  }
  return nullptr;
}

std::vector<std::size_t> BimModel::storeys() const {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < spatialNodes.size(); ++i) {
    if (spatialNodes[i].ifcType == "IFCBUILDINGSTOREY") out.push_back(i);
  }
  return out;
}

std::string bimModelText(const BimModel& m) {
  json j;
  j["format"] = "greentwin-bim";
  j["version"] = m.formatVersion;
  j["source"] = {{"path", m.sourcePath}, {"kind", m.sourceKind}, {"schema", m.ifcSchema}};
  j["name"] = m.name;
  j["scene_file"] = m.sceneFile;
  j["bounds"] = {{"min", vec(m.boundsMin)}, {"max", vec(m.boundsMax)}};

  const BimGeoreference& g = m.georeference;
  json geo;
  if (g.siteLatitude && g.siteLongitude) {
    geo["site"] = {{"latitude", *g.siteLatitude}, {"longitude", *g.siteLongitude},
                   {"elevation", g.siteElevation ? json(*g.siteElevation) : json(nullptr)}};
  } else {
    geo["site"] = nullptr;
  }
  if (g.hasMapConversion) {
    geo["map_conversion"] = {{"crs", g.mapCrsName},           {"eastings", g.eastings},
                             {"northings", g.northings},      {"orthogonal_height", g.orthogonalHeight},
                             {"x_axis_abscissa", g.xAxisAbscissa}, {"x_axis_ordinate", g.xAxisOrdinate},
                             {"scale", g.mapScale}};
  } else {
    geo["map_conversion"] = nullptr;
  }
  geo["true_north_deg"] = g.trueNorthDeg;
  geo["max_abs_coordinate_m"] = g.maxAbsCoordinateM;
  j["georeference"] = geo;

  const BimPlacement& p = m.placement;
  j["placement"] = {{"method", toString(p.method)},
                    {"origin", vec(p.origin)},
                    {"rotation_deg", p.rotationDeg},
                    {"scale", p.scale},
                    {"model_offset", vec(p.modelOffset)},
                    {"scene_crs", p.sceneCrs},
                    {"scene_origin", json::array({p.sceneOriginLon, p.sceneOriginLat})},
                    {"matrix_row_major", p.matrixRowMajor()}};

  json tree = json::array();
  for (const BimSpatialNode& n : m.spatialNodes) {
    json node = {{"guid", n.guid}, {"type", n.ifcType}, {"name", n.name}, {"children", n.children},
                 {"elements", n.elements}};
    if (n.elevationM) node["elevation"] = *n.elevationM;
    tree.push_back(std::move(node));
  }
  j["spatial_tree"] = std::move(tree);

  json elements = json::array();
  for (const BimElement& e : m.elements) {
    json sets = json::array();
    for (const BimPropertySet& s : e.propertySets) {
      json values = json::array();
      for (const BimProperty& v : s.values) {
        json value = {{"name", v.name}, {"text", v.text}};
        if (v.number && std::isfinite(*v.number)) value["number"] = *v.number;
        if (!v.unit.empty()) value["unit"] = v.unit;
        values.push_back(std::move(value));
      }
      sets.push_back({{"name", s.name}, {"quantities", s.isQuantitySet}, {"values", std::move(values)}});
    }
    json el = {{"guid", e.guid},
               {"type", e.ifcType},
               {"name", e.name},
               {"storey", e.storeyGuid},
               {"space", e.spaceGuid},
               {"building", e.buildingGuid},
               {"material", e.material},
               {"materials", e.materials},
               {"triangles", e.triangleCount},
               {"volume_m3", e.volumeM3 ? json(*e.volumeM3) : json(nullptr)},
               {"volume_source", e.volumeSource},
               {"area_m2", e.areaM2 ? json(*e.areaM2) : json(nullptr)},
               {"property_sets", std::move(sets)},
               {"carbon",
                {{"status", toString(e.carbon.status)},
                 {"kgco2e", e.carbon.kgCo2e},
                 {"factor", e.carbon.factorId},
                 {"matched_by", e.carbon.matchedBy},
                 {"basis", e.carbon.basis},
                 {"quantity", e.carbon.quantity}}}};
    elements.push_back(std::move(el));
  }
  j["elements"] = std::move(elements);

  json buildings = json::array();
  for (const BimBuildingCarbon& b : m.carbonByBuilding) {
    buildings.push_back({{"guid", b.buildingGuid},
                         {"name", b.name},
                         {"kgco2e", b.kgCo2e},
                         {"elements_ok", b.elementsOk},
                         {"elements_unknown_material", b.elementsUnknownMaterial},
                         {"elements_no_quantity", b.elementsNoQuantity}});
  }
  j["carbon"] = {{"total_kgco2e", m.carbonTotalKgCo2e},
                 {"factors_file", m.emissionFactorsFile},
                 {"by_building", std::move(buildings)},
                 {"unknown_materials", m.unknownMaterials}};
  j["warnings"] = m.warnings;
  // Invalid UTF-8 from a damaged file must not stop the write: replace it.
  return j.dump(1, ' ', false, json::error_handler_t::replace) + '\n';
}

Status writeBimModel(const BimModel& m, const std::filesystem::path& jsonPath) {
  const std::string text = bimModelText(m);
  std::ofstream out(jsonPath, std::ios::binary | std::ios::trunc);
  if (!out) return Status(ErrorCode::IoError, "cannot write " + jsonPath.string());
  out << text;
  out.close();
  if (!out) return Status(ErrorCode::IoError, "cannot write " + jsonPath.string());
  return Status::ok();
}

Result<BimModel> readBimModel(const std::filesystem::path& jsonPath, std::uint64_t maxBytes) {
  auto text = readRegularFile(jsonPath, maxBytes);
  if (!text) {
    if (text.status().code() == ErrorCode::NotFound) {
      return Status(ErrorCode::NotFound, "BIM sidecar not found: " + jsonPath.string());
    }
    return Status(text.status().code(), "BIM sidecar refused: " + text.status().message());
  }
  return parseBimModel(*text, jsonPath.string());
}

Result<BimModel> parseBimModel(const std::string& text, const std::string& sourceName) {
  try {
    const json j = json::parse(text);
    if (j.value("format", std::string()) != "greentwin-bim") {
      return Status(ErrorCode::ParseError, sourceName + ": not a greentwin-bim sidecar (\"format\")");
    }
    BimModel m;
    m.formatVersion = integer<int>(j.at("version"), "version");
    if (m.formatVersion > kBimFormatVersion) {
      return Status(ErrorCode::ParseError, sourceName + ": format version " +
                                               std::to_string(m.formatVersion) + " is newer than this build reads (" +
                                               std::to_string(kBimFormatVersion) + ")");
    }
    const json& src = j.at("source");
    m.sourcePath = str(src, "path");
    m.sourceKind = str(src, "kind");
    m.ifcSchema = str(src, "schema");
    m.name = str(j, "name");
    m.sceneFile = str(j, "scene_file");
    m.boundsMin = toVec(j.at("bounds").at("min"));
    m.boundsMax = toVec(j.at("bounds").at("max"));

    const json& geo = j.at("georeference");
    if (geo.contains("site") && geo["site"].is_object()) {
      m.georeference.siteLatitude = optional<double>(geo["site"], "latitude");
      m.georeference.siteLongitude = optional<double>(geo["site"], "longitude");
      m.georeference.siteElevation = optional<double>(geo["site"], "elevation");
    }
    if (geo.contains("map_conversion") && geo["map_conversion"].is_object()) {
      const json& mc = geo["map_conversion"];
      m.georeference.hasMapConversion = true;
      m.georeference.mapCrsName = str(mc, "crs");
      m.georeference.eastings = mc.value("eastings", 0.0);
      m.georeference.northings = mc.value("northings", 0.0);
      m.georeference.orthogonalHeight = mc.value("orthogonal_height", 0.0);
      m.georeference.xAxisAbscissa = mc.value("x_axis_abscissa", 1.0);
      m.georeference.xAxisOrdinate = mc.value("x_axis_ordinate", 0.0);
      m.georeference.mapScale = mc.value("scale", 1.0);
    }
    m.georeference.trueNorthDeg = geo.value("true_north_deg", 0.0);
    m.georeference.maxAbsCoordinateM = geo.value("max_abs_coordinate_m", 0.0);

    const json& pl = j.at("placement");
    m.placement.method = methodFrom(str(pl, "method"));
    m.placement.origin = toVec(pl.at("origin"));
    m.placement.rotationDeg = pl.value("rotation_deg", 0.0);
    m.placement.scale = pl.value("scale", 1.0);
    m.placement.modelOffset = toVec(pl.at("model_offset"));
    m.placement.sceneCrs = str(pl, "scene_crs");
    if (pl.contains("scene_origin") && pl["scene_origin"].size() == 2) {
      m.placement.sceneOriginLon = pl["scene_origin"][0].get<double>();
      m.placement.sceneOriginLat = pl["scene_origin"][1].get<double>();
    }

    for (const json& n : j.at("spatial_tree")) {
      BimSpatialNode node;
      node.guid = str(n, "guid");
      node.ifcType = str(n, "type");
      node.name = str(n, "name");
      node.elevationM = optional<double>(n, "elevation");
      node.children = indices(n, "children");
      node.elements = indices(n, "elements");
      m.spatialNodes.push_back(std::move(node));
    }
    for (const json& e : j.at("elements")) {
      BimElement el;
      el.guid = str(e, "guid");
      el.ifcType = str(e, "type");
      el.name = str(e, "name");
      el.storeyGuid = str(e, "storey");
      el.spaceGuid = str(e, "space");
      el.buildingGuid = str(e, "building");
      el.material = str(e, "material");
      el.materials = e.value("materials", std::vector<std::string>{});
      el.triangleCount = integerOr<std::uint32_t>(e, "triangles", 0);
      el.volumeM3 = optional<double>(e, "volume_m3");
      el.volumeSource = str(e, "volume_source");
      el.areaM2 = optional<double>(e, "area_m2");
      for (const json& s : e.value("property_sets", json::array())) {
        BimPropertySet set;
        set.name = str(s, "name");
        set.isQuantitySet = s.value("quantities", false);
        for (const json& v : s.value("values", json::array())) {
          set.values.push_back({str(v, "name"), str(v, "text"), optional<double>(v, "number"), str(v, "unit")});
        }
        el.propertySets.push_back(std::move(set));
      }
      if (e.contains("carbon")) {
        const json& c = e["carbon"];
        el.carbon.status = carbonStatusFrom(str(c, "status"));
        el.carbon.kgCo2e = c.value("kgco2e", 0.0);
        el.carbon.factorId = str(c, "factor");
        el.carbon.matchedBy = str(c, "matched_by");
        el.carbon.basis = str(c, "basis");
        el.carbon.quantity = c.value("quantity", 0.0);
      }
      m.elements.push_back(std::move(el));
    }
    const json& carbon = j.at("carbon");
    m.carbonTotalKgCo2e = carbon.value("total_kgco2e", 0.0);
    m.emissionFactorsFile = str(carbon, "factors_file");
    m.unknownMaterials = carbon.value("unknown_materials", std::vector<std::string>{});
    for (const json& b : carbon.value("by_building", json::array())) {
      m.carbonByBuilding.push_back({str(b, "guid"), str(b, "name"), b.value("kgco2e", 0.0),
                                    integerOr<std::size_t>(b, "elements_ok", 0),
                                    integerOr<std::size_t>(b, "elements_unknown_material", 0),
                                    integerOr<std::size_t>(b, "elements_no_quantity", 0)});
    }
    m.warnings = j.value("warnings", std::vector<std::string>{});
    // Indices must stay inside the arrays: a damaged sidecar must not make the viewer index out of range.
    for (const BimSpatialNode& n : m.spatialNodes) {
      for (std::size_t c : n.children) {
        if (c >= m.spatialNodes.size()) throw std::runtime_error("spatial_tree child index out of range");
      }
      for (std::size_t e : n.elements) {
        if (e >= m.elements.size()) throw std::runtime_error("spatial_tree element index out of range");
      }
    }
    return m;
  } catch (const std::exception& e) {
    return Status(ErrorCode::ParseError, sourceName + ": " + e.what());
  }
}

}  // namespace gt::bim
