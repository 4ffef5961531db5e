#include "greentwin/connectors/vector_reader.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cctype>
#include <cmath>
#include <memory>
#include <mutex>

namespace gt::connectors {
namespace {

void registerGdalOnce() {
  static std::once_flag once;
  std::call_once(once, [] { GDALAllRegister(); });
}

std::string lastGdalError() {
  const char* msg = CPLGetLastErrorMsg();
  return (msg != nullptr && *msg != '\0') ? std::string(msg) : std::string("no detail from GDAL");
}

// "PG:dbname=...", "GPKG:file.gpkg:table", "WFS:http://...": a driver prefix of two or more letters before the
// first ':'. Not a plain path, nor a Windows drive letter ("C:/data/x.shp").
bool isConnectionString(const std::string& source) {
  const std::size_t colon = source.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  for (std::size_t i = 0; i < colon; ++i) {
    const auto c = static_cast<unsigned char>(source[i]);
    if (std::isalnum(c) == 0 && c != '_') return false;
  }
  return true;
}

// A file on disk or in one of GDAL's virtual file systems (/vsizip/, /vsimem/, /vsicurl/...).
bool fileExists(const std::string& source) {
  VSIStatBufL stat;
  return VSIStatExL(source.c_str(), &stat, VSI_STAT_EXISTS_FLAG) == 0;
}

bool finite(const Vec3d& p) { return std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z); }

struct GdalDatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};

class GeometryFlattener {
 public:
  GeometryFlattener(CrsTransform& transform, FeatureGeometry& out) : transform_(transform), out_(out) {}

  Status add(const OGRGeometry* geometry) {
    switch (wkbFlatten(geometry->getGeometryType())) {
      case wkbPoint: {
        const auto* p = geometry->toPoint();
        if (p->IsEmpty()) return Status::ok();
        std::vector<Vec3d> pts{{p->getX(), p->getY(), p->Is3D() ? p->getZ() : 0.0}};
        if (Status s = project(pts); !s) return s;
        out_.points.push_back(pts.front());
        return Status::ok();
      }
      case wkbLineString: {
        auto line = readCurve(geometry->toLineString(), false);
        if (!line) return line.status();
        if (line->size() >= 2) out_.lines.push_back(std::move(*line));
        return Status::ok();
      }
      case wkbPolygon: {
        const auto* polygon = geometry->toPolygon();
        Polygon result;
        for (const OGRLinearRing* ring : *polygon) {
          auto pts = readCurve(ring, true);
          if (!pts) return pts.status();
          if (pts->size() < 3) {
            if (result.rings.empty()) return Status(ErrorCode::InvalidArgument, "polygon exterior ring has < 3 points");
            continue;  // a degenerate hole is dropped
          }
          result.rings.push_back(std::move(*pts));
        }
        if (!result.rings.empty()) out_.polygons.push_back(std::move(result));
        return Status::ok();
      }
      case wkbMultiPoint:
      case wkbMultiLineString:
      case wkbMultiPolygon:
      case wkbGeometryCollection: {
        for (const OGRGeometry* part : *geometry->toGeometryCollection()) {
          if (Status s = add(part); !s) return s;
        }
        return Status::ok();
      }
      default: {
        // Curves and other types: linearise through OGR, then flatten what comes out.
        std::unique_ptr<OGRGeometry> linear(geometry->getLinearGeometry());
        if (!linear || wkbFlatten(linear->getGeometryType()) == wkbFlatten(geometry->getGeometryType())) {
          return Status(ErrorCode::Unsupported,
                        std::string("unsupported geometry type ") + OGRGeometryTypeToName(geometry->getGeometryType()));
        }
        return add(linear.get());
      }
    }
  }

 private:
  Result<std::vector<Vec3d>> readCurve(const OGRSimpleCurve* curve, bool ring) {
    std::vector<Vec3d> pts;
    pts.reserve(static_cast<std::size_t>(curve->getNumPoints()));
    const bool is3d = curve->Is3D();
    for (int i = 0; i < curve->getNumPoints(); ++i) {
      Vec3d p{curve->getX(i), curve->getY(i), is3d ? curve->getZ(i) : 0.0};
      if (!pts.empty() && pts.back() == p) continue;  // repeated vertex
      pts.push_back(p);
    }
    if (ring && pts.size() > 1 && pts.front() == pts.back()) pts.pop_back();  // rings are stored open
    if (Status s = project(pts); !s) return s;
    return pts;
  }

  Status project(std::vector<Vec3d>& pts) {
    for (const Vec3d& p : pts) {
      if (!finite(p)) return Status(ErrorCode::InvalidArgument, "non-finite coordinate");
    }
    return transform_.toLocal(std::span<Vec3d>(pts));
  }

  CrsTransform& transform_;
  FeatureGeometry& out_;
};

PropertyValue fieldValue(OGRFeature& feature, int index) {
  if (!feature.IsFieldSetAndNotNull(index)) return std::monostate{};
  const OGRFieldDefn* defn = feature.GetFieldDefnRef(index);
  switch (defn->GetType()) {
    case OFTInteger:
      if (defn->GetSubType() == OFSTBoolean) return feature.GetFieldAsInteger(index) != 0;
      return static_cast<std::int64_t>(feature.GetFieldAsInteger(index));
    case OFTInteger64: return static_cast<std::int64_t>(feature.GetFieldAsInteger64(index));
    case OFTReal: return feature.GetFieldAsDouble(index);
    default: return std::string(feature.GetFieldAsString(index));
  }
}

// idField: index of options.idAttribute in the layer, or -1 to use the FID. A feature whose id attribute is null or
// empty falls back to its FID, with a warning.
std::string featureId(OGRFeature& feature, int idField, const VectorReadOptions& options,
                      std::vector<std::string>& warnings) {
  std::string local;
  if (idField >= 0 && feature.IsFieldSetAndNotNull(idField)) local = feature.GetFieldAsString(idField);
  if (local.empty()) {
    local = std::to_string(feature.GetFID());
    if (idField >= 0) {
      warnings.push_back("feature " + (options.idPrefix.empty() ? local : options.idPrefix + "/" + local) +
                         ": id attribute '" + options.idAttribute + "' is empty, using the feature number");
    }
  }
  return options.idPrefix.empty() ? local : options.idPrefix + "/" + local;
}

}  // namespace

Result<FeatureSet> readVectorSource(const std::string& source, const GeoFrame& frame,
                                    const VectorReadOptions& options) {
  registerGdalOnce();
  // Connection strings are checked by GDAL itself; files (also /vsi... virtual ones) must exist. VSIStat, unlike
  // std::filesystem::exists, knows GDAL's virtual file systems and never throws.
  if (!isConnectionString(source) && !fileExists(source)) {
    return Status(ErrorCode::NotFound, "vector source '" + source + "' does not exist");
  }
  CPLErrorReset();
  // Quiet GDAL's own stderr printing for this call: errors come back as our Status.
  CPLPushErrorHandler(CPLQuietErrorHandler);
  std::unique_ptr<GDALDataset, GdalDatasetCloser> dataset(
      GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  CPLPopErrorHandler();
  if (!dataset) {
    return Status(ErrorCode::ParseError, "cannot open '" + source + "' as a vector source: " + lastGdalError());
  }
  OGRLayer* layer = options.layerName.empty() ? (dataset->GetLayerCount() > 0 ? dataset->GetLayer(0) : nullptr)
                                              : dataset->GetLayerByName(options.layerName.c_str());
  if (layer == nullptr) {
    return Status(ErrorCode::NotFound, "'" + source + "' has no layer" +
                                           (options.layerName.empty() ? "" : " named '" + options.layerName + "'"));
  }

  int idField = -1;
  if (!options.idAttribute.empty()) {
    idField = layer->GetLayerDefn()->GetFieldIndex(options.idAttribute.c_str());
    if (idField < 0) {
      return Status(ErrorCode::InvalidArgument,
                    "'" + source + "' has no attribute '" + options.idAttribute + "' to take feature ids from");
    }
  }

  FeatureSet set;
  set.source = source;
  std::string crsText;
  if (const OGRSpatialReference* srs = layer->GetSpatialRef(); srs != nullptr) {
    char* wkt = nullptr;
    const char* wktOptions[] = {"FORMAT=WKT2_2018", nullptr};
    if (srs->exportToWkt(&wkt, wktOptions) == OGRERR_NONE && wkt != nullptr) crsText = wkt;
    CPLFree(wkt);
    const char* authority = srs->GetAuthorityName(nullptr);
    const char* code = srs->GetAuthorityCode(nullptr);
    set.sourceCrs = (authority != nullptr && code != nullptr) ? std::string(authority) + ":" + code : "custom CRS";
  } else if (!options.assumeCrs.empty()) {
    crsText = options.assumeCrs;
    set.sourceCrs = options.assumeCrs + " (assumed)";
  } else {
    return Status(ErrorCode::InvalidArgument,
                  "'" + source + "' declares no CRS; set the layer's crs in the config to say which it is");
  }
  auto transform = frame.transformFrom(crsText, AxisOrder::LonLatXY);
  if (!transform) {
    return Status(ErrorCode::InvalidArgument,
                  "'" + source + "': unknown or unusable CRS " + set.sourceCrs + ": " + transform.status().message());
  }

  layer->ResetReading();
  const GIntBig declared = options.progress ? layer->GetFeatureCount(FALSE) : -1;  // cheap count only
  const std::size_t total = declared > 0 ? static_cast<std::size_t>(declared) : 0;
  std::size_t seen = 0;
  for (auto& feature : *layer) {
    if (options.progress && ++seen % 512 == 0 && !options.progress(seen, total)) {
      return Status(ErrorCode::Cancelled, "reading '" + source + "' was cancelled");
    }
    const OGRGeometry* geometry = feature->GetGeometryRef();
    const std::string id = featureId(*feature, idField, options, set.warnings);
    if (geometry == nullptr || geometry->IsEmpty()) {
      ++set.skippedFeatures;
      set.warnings.push_back("feature " + id + ": no geometry, skipped");
      continue;
    }
    Feature out;
    out.id = id;
    GeometryFlattener flattener(*transform, out.geometry);
    if (Status s = flattener.add(geometry); !s || out.geometry.empty()) {
      ++set.skippedFeatures;
      set.warnings.push_back("feature " + id + ": " + (s ? std::string("empty geometry") : s.message()) + ", skipped");
      continue;
    }
    for (int i = 0; i < feature->GetFieldCount(); ++i) {
      out.properties.emplace(feature->GetFieldDefnRef(i)->GetNameRef(), fieldValue(*feature, i));
    }
    for (const Vec3d& p : out.geometry.points) set.bounds.extend(p);
    for (const auto& line : out.geometry.lines)
      for (const Vec3d& p : line) set.bounds.extend(p);
    for (const auto& polygon : out.geometry.polygons)
      for (const Vec3d& p : polygon.rings.front()) set.bounds.extend(p);
    set.features.push_back(std::move(out));
  }
  if (set.features.empty()) {
    return Status(ErrorCode::InvalidArgument, "'" + source + "' has no usable features" +
                                                  (set.skippedFeatures ? " (" + std::to_string(set.skippedFeatures) +
                                                                             " skipped: " + set.warnings.front() + ")"
                                                                       : ""));
  }
  return set;
}

}  // namespace gt::connectors
