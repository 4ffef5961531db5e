#include "greentwin/connectors/vector_reader.hpp"

#include "gdal_support.hpp"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include <cctype>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <thread>
#include <utility>
#include <vector>

namespace gt::connectors {

using detail::fileExists;
using detail::isConnectionString;
using detail::lastGdalError;
using detail::registerGdalOnce;

namespace {

constexpr int kDefaultConnectTimeoutS = 10;  // PostgreSQL sources that set no connect_timeout of their own
// A GeoPackage with more features than this is read on two threads (below it, opening a second dataset costs
// more than it saves).
constexpr GIntBig kSplitReadMinFeatures = 20000;
constexpr std::size_t kProgressEvery = 512;  // features between progress callbacks
// The most features reserved up front from the count a source declares. The count is the file's word (a
// GeoPackage's gpkg_ogr_contents, a FlatGeobuf header): a damaged or hostile file may claim 4e18 features, and
// reserving that threw std::length_error out of the reader (or bad_alloc), ending the twin. Past this the vector
// grows as features actually arrive.
constexpr std::size_t kMaxReservedFeatures = std::size_t{1} << 18;

std::size_t featuresToReserve(std::size_t declared) { return std::min(declared, kMaxReservedFeatures); }


bool startsWithNoCase(const std::string& text, const char* prefix) {
  for (std::size_t i = 0; prefix[i] != '\0'; ++i) {
    if (i >= text.size() || std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
  }
  return true;
}

// The source as it may be shown (messages, FeatureSet::source): a PostgreSQL password, whether a keyword
// ("PG:password=secret", "PG:password = 'a b'") or in a URI ("[PG:]postgresql://user:secret@host",
// "?password=secret"), becomes "***".
std::string redacted(const std::string& source) {
  if (!startsWithNoCase(source, "pg:") && !startsWithNoCase(source, "postgres")) return source;
  std::string out = source;
  // URI user information: scheme://user:password@host
  if (const std::size_t scheme = out.find("://"); scheme != std::string::npos) {
    const std::size_t begin = scheme + 3;
    const std::size_t at = out.find('@', begin);
    const std::size_t slash = out.find('/', begin);
    if (at != std::string::npos && (slash == std::string::npos || at < slash)) {
      const std::size_t colon = out.find(':', begin);
      if (colon != std::string::npos && colon < at) out.replace(colon + 1, at - colon - 1, "***");
    }
  }
  // Keyword form, also URI query parameters.
  for (std::size_t pos = out.find("password"); pos != std::string::npos; pos = out.find("password", pos + 1)) {
    std::size_t i = pos + 8;
    while (i < out.size() && out[i] == ' ') ++i;
    if (i >= out.size() || out[i] != '=') continue;
    ++i;
    while (i < out.size() && out[i] == ' ') ++i;
    std::size_t end = i;
    if (end < out.size() && out[end] == '\'') {  // quoted, with \' and \\ escapes
      for (++end; end < out.size() && out[end] != '\''; ++end) {
        if (out[end] == '\\') ++end;
      }
      end = std::min(end + 1, out.size());
    } else {
      while (end < out.size() && std::isspace(static_cast<unsigned char>(out[end])) == 0 && out[end] != '&') ++end;
    }
    out.replace(i, end - i, "***");
  }
  return out;
}

// What GDAL opens: a PostgreSQL connection without its own bound on connecting gets one, so a server that accepts
// the TCP connection and then never answers cannot hang the reading thread (libpq waits forever by default).
std::string withConnectTimeout(const std::string& source) {
  if (!startsWithNoCase(source, "pg:") || source.find("connect_timeout") != std::string::npos ||
      source.find("://") != std::string::npos || std::getenv("PGCONNECT_TIMEOUT") != nullptr) {
    return source;
  }
  return source + " connect_timeout=" + std::to_string(kDefaultConnectTimeoutS);
}

bool finite(const Vec3d& p) { return std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z); }

struct GdalDatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};

// Source coordinates (traditional GIS axis order, as OGR hands them out) to local scene coordinates: through PROJ,
// or, when the source is already in the scene CRS, by subtracting the frame's origin (what PROJ's no-op
// transformation followed by CrsTransform's origin offset computes, without a PROJ call per point).
class ToLocal {
 public:
  explicit ToLocal(CrsTransform transform) : transform_(std::move(transform)) {}
  explicit ToLocal(const Vec3d& origin) : origin_(origin) {}

  Status apply(std::span<Vec3d> pts) {
    for (const Vec3d& p : pts) {
      if (!finite(p)) return Status(ErrorCode::InvalidArgument, "non-finite coordinate");
    }
    if (transform_) return transform_->toLocal(pts);
    for (Vec3d& p : pts) p = p - origin_;
    return Status::ok();
  }

 private:
  std::optional<CrsTransform> transform_;  // empty: the source is in the scene CRS
  Vec3d origin_;
};

// True when `srs` is the scene CRS itself (ignoring names and the data axis mapping: OGR hands coordinates out in
// traditional GIS order whatever the CRS's official axis order, and the transform is built for that order).
bool isSceneCrs(const OGRSpatialReference& srs, const GeoFrame& frame) {
  OGRSpatialReference scene;
  if (scene.SetFromUserInput(frame.sceneCrs().c_str()) != OGRERR_NONE) return false;
  const char* const options[] = {"IGNORE_DATA_AXIS_TO_SRS_AXIS_MAPPING=YES", "CRITERION=EQUIVALENT", nullptr};
  return srs.IsSame(&scene, options) != FALSE;
}

class GeometryFlattener {
 public:
  GeometryFlattener(ToLocal& transform, FeatureGeometry& out) : transform_(transform), out_(out) {}

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

  Status project(std::vector<Vec3d>& pts) { return transform_.apply(std::span<Vec3d>(pts)); }

  ToLocal& transform_;
  FeatureGeometry& out_;
};

// One attribute of the layer, looked up once per read rather than once per feature.
struct FieldSlot {
  int index = 0;
  std::string name;
  OGRFieldType type = OFTString;
  OGRFieldSubType subType = OFSTNone;
};

// The layer's attributes in the order of their names: each feature's properties are then appended at the end of
// its (ordered) PropertyMap with a hint, into storage reserved once, without searching or moving. A repeated name
// keeps its first field, as emplace does.
std::vector<FieldSlot> fieldSlots(const OGRFeatureDefn& defn) {
  std::vector<FieldSlot> slots;
  slots.reserve(static_cast<std::size_t>(defn.GetFieldCount()));
  for (int i = 0; i < defn.GetFieldCount(); ++i) {
    const OGRFieldDefn* field = defn.GetFieldDefn(i);
    slots.push_back({i, field->GetNameRef(), field->GetType(), field->GetSubType()});
  }
  std::stable_sort(slots.begin(), slots.end(), [](const FieldSlot& a, const FieldSlot& b) { return a.name < b.name; });
  return slots;
}

PropertyValue fieldValue(const OGRFeature& feature, const FieldSlot& field) {
  const int index = field.index;
  if (!feature.IsFieldSetAndNotNull(index)) return std::monostate{};
  switch (field.type) {
    case OFTInteger:
      if (field.subType == OFSTBoolean) return feature.GetFieldAsInteger(index) != 0;
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

// One OGR feature into `set`: its id, its geometry in the scene frame, its properties, the bounds; a feature
// without usable geometry is counted and warned about instead.
void convertFeature(OGRFeature& feature, int idField, const std::vector<FieldSlot>& fields, ToLocal& toLocal,
                    const VectorReadOptions& options, FeatureSet& set) {
  const OGRGeometry* geometry = feature.GetGeometryRef();
  std::string id = featureId(feature, idField, options, set.warnings);
  if (geometry == nullptr || geometry->IsEmpty()) {
    ++set.skippedFeatures;
    set.warnings.push_back("feature " + id + ": no geometry, skipped");
    return;
  }
  Feature out;
  out.id = std::move(id);
  GeometryFlattener flattener(toLocal, out.geometry);
  if (Status s = flattener.add(geometry); !s || out.geometry.empty()) {
    ++set.skippedFeatures;
    set.warnings.push_back("feature " + out.id + ": " + (s ? std::string("empty geometry") : s.message()) +
                           ", skipped");
    return;
  }
  if (static_cast<std::size_t>(feature.GetFieldCount()) == fields.size()) {
    out.properties.reserve(fields.size());
    for (const FieldSlot& field : fields) {
      out.properties.emplace_hint(out.properties.end(), field.name, fieldValue(feature, field));
    }
  } else {  // a feature with a definition of its own (not seen in OGR's drivers): look its fields up
    for (const FieldSlot& field : fieldSlots(*feature.GetDefnRef())) {
      out.properties.emplace(field.name, fieldValue(feature, field));
    }
  }
  for (const Vec3d& p : out.geometry.points) set.bounds.extend(p);
  for (const auto& line : out.geometry.lines)
    for (const Vec3d& p : line) set.bounds.extend(p);
  for (const auto& polygon : out.geometry.polygons)
    for (const Vec3d& p : polygon.rings.front()) set.bounds.extend(p);
  set.features.push_back(std::move(out));
}

// Every feature of `layer` (in its order) into `set`; false when `keepGoing` says to stop. `seen` counts the
// features read so far (other threads may read it).
template <typename KeepGoing>
bool readLayer(OGRLayer& layer, int idField, const std::vector<FieldSlot>& fields, ToLocal& toLocal,
               const VectorReadOptions& options, FeatureSet& set, std::atomic<std::size_t>& seen,
               KeepGoing&& keepGoing) {
  std::size_t local = 0;
  for (auto& feature : layer) {
    if (++local % kProgressEvery == 0) {
      seen.store(local, std::memory_order_relaxed);
      if (!keepGoing()) return false;
    }
    convertFeature(*feature, idField, fields, toLocal, options, set);
  }
  seen.store(local, std::memory_order_relaxed);
  return true;
}

std::string quotedIdentifier(const std::string& name) {
  std::string out = "\"";
  for (char c : name) {
    out += c;
    if (c == '"') out += '"';
  }
  return out + "\"";
}

// The smallest and largest FID of a GeoPackage table (SQLite answers MIN/MAX of the rowid key from the index, without
// a scan); nothing when the table has no FID column or no rows.
std::optional<std::pair<GIntBig, GIntBig>> fidRange(GDALDataset& dataset, OGRLayer& layer) {
  const std::string fidColumn = layer.GetFIDColumn();
  if (fidColumn.empty()) return std::nullopt;
  const std::string sql = "SELECT MIN(" + quotedIdentifier(fidColumn) + "), MAX(" + quotedIdentifier(fidColumn) +
                          ") FROM " + quotedIdentifier(layer.GetName());
  CPLPushErrorHandler(CPLQuietErrorHandler);
  OGRLayer* result = dataset.ExecuteSQL(sql.c_str(), nullptr, nullptr);
  CPLPopErrorHandler();
  if (result == nullptr) return std::nullopt;
  std::optional<std::pair<GIntBig, GIntBig>> range;
  if (std::unique_ptr<OGRFeature> row(result->GetNextFeature());
      row && row->GetFieldCount() >= 2 && row->IsFieldSetAndNotNull(0) && row->IsFieldSetAndNotNull(1)) {
    range.emplace(row->GetFieldAsInteger64(0), row->GetFieldAsInteger64(1));
  }
  dataset.ReleaseResultSet(result);
  CPLErrorReset();
  return range;
}

// A large GeoPackage, read on two threads: reading and converting ~100k features is CPU-bound in one thread
// (SQLite decoding, OGR feature building, our conversion), and the two halves are independent. Each thread has its
// own GDAL dataset (GDAL datasets are not thread-safe; DESIGN.md: one dataset per thread) and its own ToLocal (a
// CrsTransform is not thread-safe). The FID range is split in two with attribute filters; the calling thread reads
// the first half on `dataset`, a helper thread the second on a dataset of its own, and the halves are joined in
// FID order, the order in which the serial read returns them, so the result is the same as reading serially.
// Progress is reported from the calling thread only, with both threads' counts; a cancel stops both.
// Returns nothing, with `set` untouched, when the split does not apply (no FID column, fewer than two FIDs); the caller
// then reads serially. Otherwise `set` holds every feature when the status is ok.
std::optional<Status> readGeoPackageSplit(const std::string& location, const std::string& source,
                                          GDALDataset& dataset, OGRLayer& layer, int idField,
                                          const std::vector<FieldSlot>& fields, ToLocal& toLocal,
                                          const VectorReadOptions& options, std::size_t total, FeatureSet& set) {
  const auto range = fidRange(dataset, layer);
  if (!range || range->second <= range->first) return std::nullopt;
  const std::string fidColumn = quotedIdentifier(layer.GetFIDColumn());
  const GIntBig mid = range->first + (range->second - range->first) / 2;
  if (layer.SetAttributeFilter((fidColumn + " <= " + std::to_string(mid)).c_str()) != OGRERR_NONE) {
    CPLErrorReset();
    layer.SetAttributeFilter(nullptr);
    return std::nullopt;
  }
  const std::string layerName = layer.GetName();

  std::atomic<std::size_t> firstSeen{0};
  std::atomic<std::size_t> secondSeen{0};
  std::atomic<bool> secondDone{false};
  FeatureSet second;
  Status secondStatus = Status::ok();
  ToLocal secondToLocal = toLocal;  // a copy: its own PROJ context, made here so the helper never touches toLocal
  {
    std::jthread helper([&](std::stop_token stop) {
      // Everything GDAL-related here is this thread's own: dataset, layer, error state (thread-local in GDAL).
      try {
        CPLErrorReset();
        CPLPushErrorHandler(CPLQuietErrorHandler);
        std::unique_ptr<GDALDataset, GdalDatasetCloser> own(GDALDataset::Open(
            location.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
        CPLPopErrorHandler();
        OGRLayer* half = own ? own->GetLayerByName(layerName.c_str()) : nullptr;
        if (!own) {
          secondStatus = Status(ErrorCode::ParseError,
                                "cannot open '" + source + "' as a vector source: " + lastGdalError());
        } else if (half == nullptr ||
                   half->SetAttributeFilter((fidColumn + " > " + std::to_string(mid)).c_str()) != OGRERR_NONE) {
          secondStatus = Status(ErrorCode::ParseError, "cannot read layer '" + layerName + "' of '" + source +
                                                           "': " + lastGdalError());
        } else {
          second.features.reserve(featuresToReserve(total / 2 + 1));
          readLayer(*half, idField, fields, secondToLocal, options, second, secondSeen,
                    [&] { return !stop.stop_requested(); });
        }
      } catch (const std::exception& e) {
        secondStatus = Status(ErrorCode::Internal, "reading '" + source + "' failed: " + e.what());
      }
      secondDone.store(true, std::memory_order_release);
    });

    const auto progress = [&] {
      return options.progress(firstSeen.load(std::memory_order_relaxed) +
                                  secondSeen.load(std::memory_order_relaxed),
                              total);
    };
    const bool finished = readLayer(layer, idField, fields, toLocal, options, set, firstSeen,
                                    [&] { return !options.progress || progress(); });
    // The first half is done: keep reporting (and honouring a cancel) while the helper finishes.
    bool cancelled = !finished;
    while (!cancelled && options.progress && !secondDone.load(std::memory_order_acquire)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      cancelled = !progress();
    }
    if (cancelled) {
      helper.request_stop();
      return Status(ErrorCode::Cancelled, "reading '" + source + "' was cancelled");  // ~jthread stops, joins
    }
    helper.join();  // not the destructor: that would ask the helper to stop first
  }
  if (!secondStatus) return secondStatus;

  set.features.insert(set.features.end(), std::make_move_iterator(second.features.begin()),
                      std::make_move_iterator(second.features.end()));
  set.warnings.insert(set.warnings.end(), std::make_move_iterator(second.warnings.begin()),
                      std::make_move_iterator(second.warnings.end()));
  set.skippedFeatures += second.skippedFeatures;
  if (second.bounds.valid()) {
    set.bounds.extend(second.bounds.min);
    set.bounds.extend(second.bounds.max);
  }
  return Status::ok();
}

}  // namespace

Result<FeatureSet> readVectorSource(const std::string& location, const GeoFrame& frame,
                                    const VectorReadOptions& options) {
  registerGdalOnce();
  // Messages and the FeatureSet name the source without a password it may carry.
  const std::string source = redacted(location);
  // Connection strings are checked by GDAL itself; files (also /vsi... virtual ones) must exist. VSIStat, unlike
  // std::filesystem::exists, knows GDAL's virtual file systems and never throws.
  if (!isConnectionString(location) && !fileExists(location)) {
    return Status(ErrorCode::NotFound, "vector source '" + source + "' does not exist");
  }
  CPLErrorReset();
  // Quiet GDAL's own stderr printing for this call: errors come back as our Status.
  CPLPushErrorHandler(CPLQuietErrorHandler);
  std::unique_ptr<GDALDataset, GdalDatasetCloser> dataset(
      GDALDataset::Open(withConnectTimeout(location).c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr,
                        nullptr));
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
  const OGRSpatialReference* layerSrs = layer->GetSpatialRef();
  if (layerSrs != nullptr) {
    char* wkt = nullptr;
    const char* wktOptions[] = {"FORMAT=WKT2_2018", nullptr};
    if (layerSrs->exportToWkt(&wkt, wktOptions) == OGRERR_NONE && wkt != nullptr) crsText = wkt;
    CPLFree(wkt);
    const char* authority = layerSrs->GetAuthorityName(nullptr);
    const char* code = layerSrs->GetAuthorityCode(nullptr);
    set.sourceCrs = (authority != nullptr && code != nullptr) ? std::string(authority) + ":" + code : "custom CRS";
  } else if (!options.assumeCrs.empty()) {
    crsText = options.assumeCrs;
    set.sourceCrs = options.assumeCrs + " (assumed)";
  } else {
    return Status(ErrorCode::InvalidArgument,
                  "'" + source + "' declares no CRS; set the layer's crs in the config to say which it is");
  }
  // Into the scene frame: an offset when the source is already in the scene CRS, else PROJ.
  std::optional<ToLocal> toLocal;
  if (layerSrs != nullptr && isSceneCrs(*layerSrs, frame)) {
    toLocal.emplace(frame.originProjected());
  } else {
    auto transform = frame.transformFrom(crsText, AxisOrder::LonLatXY);
    if (!transform) {
      return Status(ErrorCode::InvalidArgument, "'" + source + "': unknown or unusable CRS " + set.sourceCrs + ": " +
                                                    transform.status().message());
    }
    toLocal.emplace(std::move(transform).value());
  }
  const std::vector<FieldSlot> fields = fieldSlots(*layer->GetLayerDefn());

  layer->ResetReading();
  const bool geoPackage =
      dataset->GetDriver() != nullptr && std::string(dataset->GetDriver()->GetDescription()) == "GPKG";
  // Cheap count only: for the progress callback, to size the feature array once, and to choose a split read.
  const GIntBig declared = options.progress || geoPackage || layer->TestCapability(OLCFastFeatureCount)
                               ? layer->GetFeatureCount(FALSE)
                               : -1;
  const std::size_t total = declared > 0 ? static_cast<std::size_t>(declared) : 0;
  set.features.reserve(featuresToReserve(total));
  const bool split = geoPackage && (options.readThreads == 0 ? declared > kSplitReadMinFeatures
                                                             : options.readThreads >= 2);
  std::optional<Status> splitRead;
  if (split) {
    splitRead = readGeoPackageSplit(location, source, *dataset, *layer, idField, fields, *toLocal, options, total, set);
  }
  if (splitRead) {
    if (!*splitRead) return *splitRead;
  } else {
    std::atomic<std::size_t> seen{0};
    const bool finished = readLayer(*layer, idField, fields, *toLocal, options, set, seen, [&] {
      return !options.progress || options.progress(seen.load(std::memory_order_relaxed), total);
    });
    if (!finished) return Status(ErrorCode::Cancelled, "reading '" + source + "' was cancelled");
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
