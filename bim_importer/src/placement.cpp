#include "placement.hpp"

#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>

#include "greentwin/core/geo_frame.hpp"

namespace gt::bim {
namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

std::string fmt(const char* format, double a, double b = 0.0, double c = 0.0) {
  char buf[256];
  std::snprintf(buf, sizeof buf, format, a, b, c);
  return buf;
}

// Fits origin/rotation/scale of a map (IFC world metres -> scene local) that is locally a similarity: the images
// of the model-frame origin and of a point 1 m (scaled for precision: 100 m) along model +x.
Result<BimPlacement> fitSimilarity(const std::function<Result<Vec3d>(const Vec3d&)>& toScene, const Vec3d& offset) {
  const auto o = toScene(offset);
  if (!o) return o.status();
  const auto x = toScene(Vec3d{offset.x + 100.0, offset.y, offset.z});
  if (!x) return x.status();
  BimPlacement p;
  p.origin = *o;
  const double dx = x->x - o->x;
  const double dy = x->y - o->y;
  p.rotationDeg = std::atan2(dy, dx) / kDeg;
  p.scale = std::hypot(dx, dy) / 100.0;
  if (!std::isfinite(p.rotationDeg) || !std::isfinite(p.scale) || p.scale <= 0) {
    return Status(ErrorCode::InvalidArgument, "the georeference does not map to a valid placement");
  }
  return p;
}

// Counter-clockwise rotation of v by deg.
Vec3d rotate(const Vec3d& v, double deg) {
  const double c = std::cos(deg * kDeg);
  const double s = std::sin(deg * kDeg);
  return {c * v.x - s * v.y, s * v.x + c * v.y, v.z};
}

// Direction (deg from scene east, counter-clockwise) of true north at lon/lat in the scene grid.
Result<double> trueNorthGridAngle(const GeoFrame& frame, double lon, double lat) {
  const auto a = frame.lonLatToLocal(lon, lat);
  if (!a) return a.status();
  const auto b = frame.lonLatToLocal(lon, lat + 1e-4);
  if (!b) return b.status();
  return std::atan2(b->y - a->y, b->x - a->x) / kDeg;
}

}  // namespace

Result<BimPlacement> decidePlacement(const BimGeoreference& geo, const Vec3d& offset, const GeoFrame& frame,
                                     const BimImportOptions& options, std::vector<std::string>& warnings) {
  const auto finish = [&](BimPlacement p, PlacementMethod method) {
    p.method = method;
    p.modelOffset = offset;
    p.sceneCrs = options.sceneCrs;
    p.sceneOriginLon = options.sceneOriginLon;
    p.sceneOriginLat = options.sceneOriginLat;
    return p;
  };

  // The anchor positions the IFC world origin; the model frame origin follows through the offset.
  const auto fromAnchor = [&](const BimAnchor& anchor) -> Result<BimPlacement> {
    Vec3d at{0.0, 0.0, anchor.sceneZ};
    if (anchor.lon && anchor.lat) {
      const auto local = frame.lonLatToLocal(*anchor.lon, *anchor.lat, anchor.sceneZ);
      if (!local) {
        return Status(ErrorCode::InvalidArgument, "anchor lon/lat cannot be placed: " + local.status().message());
      }
      at = *local;
    } else if (anchor.sceneX && anchor.sceneY) {
      at = {*anchor.sceneX, *anchor.sceneY, anchor.sceneZ};
    } else {
      return Status(ErrorCode::InvalidArgument, "anchor needs lon and lat, or scene x and y");
    }
    if (!(anchor.scale > 0) || !std::isfinite(anchor.scale) || !std::isfinite(anchor.rotationDeg)) {
      return Status(ErrorCode::InvalidArgument, "anchor scale must be > 0 and rotation finite");
    }
    BimPlacement p;
    p.rotationDeg = anchor.rotationDeg;
    p.scale = anchor.scale;
    const Vec3d r = rotate(offset, anchor.rotationDeg);
    p.origin = {at.x + anchor.scale * r.x, at.y + anchor.scale * r.y, at.z + offset.z * anchor.scale};
    return p;
  };

  if (options.anchor && options.anchor->override) {
    auto p = fromAnchor(*options.anchor);
    if (!p) return p.status();
    if (geo.hasMapConversion || geo.siteLatitude) {
      warnings.push_back("the file's georeference is ignored: the anchor overrides it");
    }
    return finish(std::move(*p), PlacementMethod::AnchorOverride);
  }

  const bool absolute = geo.maxAbsCoordinateM > kFarFromSceneM;
  if (geo.hasMapConversion) {
    if (absolute) {
      warnings.push_back(fmt("double georeferencing: placements hold absolute coordinates (up to %.0f km) and the "
                             "file has an IfcMapConversion; the coordinates are taken as map coordinates, the conversion is not applied again",
                             geo.maxAbsCoordinateM / 1000.0));
    }
    double a = geo.xAxisAbscissa;
    double b = geo.xAxisOrdinate;
    const double len = std::hypot(a, b);
    if (len > 0 && std::isfinite(len)) {
      a /= len;
      b /= len;
    } else {
      a = 1.0, b = 0.0;
    }
    const double s = geo.mapScale;
    // Double georeferencing: the coordinates already are map coordinates; applying the conversion again would
    // shift them by the eastings/northings and swing them about the map origin by its rotation.
    const auto toMap = [&](const Vec3d& w) {
      if (absolute) return w;
      return Vec3d{geo.eastings + s * (a * w.x - b * w.y), geo.northings + s * (b * w.x + a * w.y),
                   geo.orthogonalHeight + w.z};
    };
    std::function<Result<Vec3d>(const Vec3d&)> toScene;
    const std::string& crs = geo.mapCrsName;
    const bool sameCrs = crs.empty() || crs == options.sceneCrs ||
                         (options.sceneCrs.rfind("EPSG:", 0) == 0 &&
                          crs.find(options.sceneCrs.substr(5)) != std::string::npos &&
                          crs.find_first_of("0123456789") != std::string::npos);
    std::optional<CrsTransform> transform;
    if (!sameCrs) {
      auto t = frame.transformFrom(crs);
      if (t) {
        transform.emplace(std::move(*t));
      } else {
        warnings.push_back("IfcMapConversion target CRS '" + crs + "' is unknown (" + t.status().message() +
                           "): ignored");
      }
    }
    if (crs.empty()) warnings.push_back("IfcMapConversion has no target CRS name: taken as the scene CRS");
    if (sameCrs || transform) {
      toScene = [&](const Vec3d& w) -> Result<Vec3d> {
        const Vec3d m = toMap(w);
        if (transform) return transform->toLocal(m);
        return frame.projectedToLocal(m);
      };
      auto p = fitSimilarity(toScene, offset);
      if (p) {
        const double dist = std::hypot(p->origin.x, p->origin.y);
        if (dist <= kFarFromSceneM) return finish(std::move(*p), PlacementMethod::MapConversion);
        warnings.push_back(fmt("IfcMapConversion places the model %.0f km from the scene origin: ignored",
                               dist / 1000.0));
      } else {
        warnings.push_back("IfcMapConversion cannot be applied: " + p.status().message());
      }
    }
  } else if (absolute) {
    warnings.push_back(fmt("placements hold large coordinates (up to %.0f km) but the file has no IfcMapConversion; "
                           "the model is recentred",
                           geo.maxAbsCoordinateM / 1000.0));
  }

  if (geo.siteLatitude && geo.siteLongitude) {
    const double lat = *geo.siteLatitude;
    const double lon = *geo.siteLongitude;
    const double h = geo.siteElevation.value_or(0.0);
    const auto site = frame.lonLatToLocal(lon, lat, h);
    const double dist = site ? std::hypot(site->x, site->y) : INFINITY;
    if (site && dist <= kFarFromSceneM) {
      const auto north = trueNorthGridAngle(frame, lon, lat);
      if (north) {
        BimPlacement p;
        // Model +y is rotated trueNorthDeg counter-clockwise from true north: its true-north vector lies at
        // 90 + trueNorthDeg degrees from model +x and must land on the grid direction of true north.
        p.rotationDeg = *north - (90.0 + geo.trueNorthDeg);
        while (p.rotationDeg > 180.0) p.rotationDeg -= 360.0;
        while (p.rotationDeg <= -180.0) p.rotationDeg += 360.0;
        const Vec3d r = rotate(offset, p.rotationDeg);
        p.origin = {site->x + r.x, site->y + r.y, site->z + offset.z};
        return finish(std::move(p), PlacementMethod::SiteReference);
      }
    }
    warnings.push_back(fmt("IfcSite reference %.5fN %.5fE lies outside this scene (%.0f km from its origin): ignored",
                           lat, lon, std::isfinite(dist) ? dist / 1000.0 : -1.0));
  }

  if (options.anchor) {
    auto p = fromAnchor(*options.anchor);
    if (!p) return p.status();
    return finish(std::move(*p), PlacementMethod::Anchor);
  }
  warnings.push_back("no usable georeference and no anchor: the model sits at the scene origin");
  BimPlacement p;
  p.origin = offset;
  return finish(std::move(p), PlacementMethod::None);
}

}  // namespace gt::bim
