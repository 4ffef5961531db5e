#include "greentwin/connectors/vector_writer.hpp"

#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <memory>
#include <vector>

#include "gdal_support.hpp"
#include "greentwin/core/attribute_schema.hpp"

namespace gt::connectors {
namespace {

enum class FieldKind { Integer, Real, Text };

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

// The narrowest field kind that holds every value of an attribute over the features.
std::map<std::string, FieldKind> fieldKinds(std::span<const ExportFeature> features) {
  std::map<std::string, FieldKind> kinds;
  for (const ExportFeature& f : features) {
    if (f.properties == nullptr) continue;
    for (const auto& [key, value] : *f.properties) {
      FieldKind kind = FieldKind::Text;
      if (std::holds_alternative<std::monostate>(value)) {
        kinds.emplace(key, FieldKind::Integer);  // a null fits any kind
        continue;
      }
      if (std::holds_alternative<std::int64_t>(value) || std::holds_alternative<bool>(value)) {
        kind = FieldKind::Integer;
      } else if (std::holds_alternative<double>(value) && propertyNumber(value)) {
        kind = FieldKind::Real;
      }
      auto [it, added] = kinds.emplace(key, kind);
      if (!added) it->second = std::max(it->second, kind);
    }
  }
  return kinds;
}

OGRLinearRing ringOf(const std::vector<Vec3d>& ring, const GeoFrame& frame) {
  OGRLinearRing out;
  for (const Vec3d& p : ring) {
    const Vec3d q = frame.localToProjected(p);
    out.addPoint(q.x, q.y);
  }
  out.closeRings();
  return out;
}

std::unique_ptr<OGRGeometry> geometryOf(const FeatureGeometry& g, const GeoFrame& frame) {
  std::vector<std::unique_ptr<OGRGeometry>> parts;
  for (const Polygon& polygon : g.polygons) {
    auto p = std::make_unique<OGRPolygon>();
    for (const auto& ring : polygon.rings) {
      OGRLinearRing r = ringOf(ring, frame);
      p->addRing(&r);
    }
    parts.push_back(std::move(p));
  }
  for (const auto& line : g.lines) {
    auto l = std::make_unique<OGRLineString>();
    for (const Vec3d& v : line) {
      const Vec3d q = frame.localToProjected(v);
      l->addPoint(q.x, q.y);
    }
    parts.push_back(std::move(l));
  }
  for (const Vec3d& v : g.points) {
    const Vec3d q = frame.localToProjected(v);
    parts.push_back(std::make_unique<OGRPoint>(q.x, q.y));
  }
  if (parts.empty()) return nullptr;
  if (parts.size() == 1) return std::move(parts.front());
  // Several parts of one kind: a multi-geometry of it; of different kinds: a collection.
  const OGRwkbGeometryType type = parts.front()->getGeometryType();
  const bool same = std::all_of(parts.begin(), parts.end(), [type](const auto& p) { return p->getGeometryType() == type; });
  std::unique_ptr<OGRGeometryCollection> multi;
  if (same && type == wkbPolygon) multi = std::make_unique<OGRMultiPolygon>();
  else if (same && type == wkbLineString) multi = std::make_unique<OGRMultiLineString>();
  else if (same && type == wkbPoint) multi = std::make_unique<OGRMultiPoint>();
  else multi = std::make_unique<OGRGeometryCollection>();
  for (auto& p : parts) multi->addGeometryDirectly(p.release());
  return multi;
}

Status writeAll(GDALDataset& ds, std::span<const ExportFeature> features, const GeoFrame& frame,
                const VectorWriteOptions& options, bool geojson, const std::string& path) {
  OGRSpatialReference srs;
  if (srs.SetFromUserInput(frame.sceneCrs().c_str()) != OGRERR_NONE) {
    return Status(ErrorCode::InvalidArgument, "export: the scene CRS '" + frame.sceneCrs() + "' is unknown to GDAL");
  }
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  CPLStringList layerOptions;
  if (geojson) {
    layerOptions.SetNameValue("RFC7946", "YES");  // GDAL takes the projected coordinates to WGS 84 lon/lat
    layerOptions.SetNameValue("COORDINATE_PRECISION", "7");
  }
  OGRLayer* layer = ds.CreateLayer(options.layerName.c_str(), &srs, wkbUnknown, layerOptions.List());
  if (layer == nullptr) return Status(ErrorCode::IoError, "export " + path + ": " + detail::lastGdalError());
  OGRFieldDefn idField("id", OFTString);
  if (layer->CreateField(&idField) != OGRERR_NONE) {
    return Status(ErrorCode::IoError, "export " + path + ": field 'id': " + detail::lastGdalError());
  }
  const auto kinds = fieldKinds(features);
  for (const auto& [name, kind] : kinds) {
    if (name == "id") continue;  // the feature's id is written there
    OGRFieldDefn field(name.c_str(), kind == FieldKind::Integer ? OFTInteger64 : kind == FieldKind::Real ? OFTReal : OFTString);
    if (layer->CreateField(&field) != OGRERR_NONE) {
      return Status(ErrorCode::IoError, "export " + path + ": field '" + name + "': " + detail::lastGdalError());
    }
  }
  const bool transaction = ds.StartTransaction() == OGRERR_NONE;  // GeoPackage: one commit; GeoJSON has none
  for (const ExportFeature& f : features) {
    if (f.geometry == nullptr) return Status(ErrorCode::InvalidArgument, "export: feature '" + f.id + "' has no geometry");
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("id", f.id.c_str());
    if (f.properties != nullptr) {
      for (const auto& [key, value] : *f.properties) {
        if (key == "id") continue;
        const int index = feature.GetFieldIndex(key.c_str());
        if (index < 0 || std::holds_alternative<std::monostate>(value)) continue;
        const FieldKind kind = kinds.at(key);
        if (kind == FieldKind::Integer) {
          const auto* i = std::get_if<std::int64_t>(&value);
          feature.SetField(index, static_cast<GIntBig>(i != nullptr ? *i : std::get<bool>(value) ? 1 : 0));
        } else if (kind == FieldKind::Real) {
          feature.SetField(index, *propertyNumber(value));
        } else {
          feature.SetField(index, formatPropertyValue(value).c_str());
        }
      }
    }
    std::unique_ptr<OGRGeometry> geometry = geometryOf(*f.geometry, frame);
    if (!geometry) return Status(ErrorCode::InvalidArgument, "export: feature '" + f.id + "' has no geometry");
    feature.SetGeometryDirectly(geometry.release());
    if (layer->CreateFeature(&feature) != OGRERR_NONE) {
      return Status(ErrorCode::IoError, "export " + path + ": feature '" + f.id + "': " + detail::lastGdalError());
    }
  }
  if (transaction && ds.CommitTransaction() != OGRERR_NONE) {
    return Status(ErrorCode::IoError, "export " + path + ": " + detail::lastGdalError());
  }
  return Status::ok();
}

}  // namespace

Status writeVectorFile(const std::string& path, std::span<const ExportFeature> features, const GeoFrame& frame,
                       const VectorWriteOptions& options) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool geojson = ext == ".geojson" || ext == ".json";
  if (!geojson && ext != ".gpkg") {
    return Status(ErrorCode::InvalidArgument,
                  "export " + path + ": unknown format '" + ext + "' (write .geojson, .json or .gpkg)");
  }
  if (features.empty()) return Status(ErrorCode::InvalidArgument, "export " + path + ": nothing selected to write");
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    if (!options.overwrite) return Status(ErrorCode::InvalidArgument, "export " + path + ": the file exists");
    std::filesystem::remove(path, ec);
  }
  detail::registerGdalOnce();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName(geojson ? "GeoJSON" : "GPKG");
  if (driver == nullptr) return Status(ErrorCode::Unsupported, "export: GDAL has no driver for " + ext);
  Status written;
  {
    DatasetPtr ds(driver->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds) return Status(ErrorCode::IoError, "export " + path + ": " + detail::lastGdalError());
    written = writeAll(*ds, features, frame, options, geojson, path);
  }  // closed here: a GeoJSON file is complete only when closed
  if (!written.isOk()) std::filesystem::remove(path, ec);
  return written;
}

}  // namespace gt::connectors
