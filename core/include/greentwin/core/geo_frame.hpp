#pragma once
// The geo frame: the scene CRS (default EPSG:4548, CGCS2000 / 3-degree Gauss-Kruger CM 117E, the zone that
// holds Tongzhou) and a local origin, so scene coordinates stay small and keep their precision in float.
//
//   projected = PROJ(lon, lat) in the scene CRS, always (easting, northing) whatever the CRS's official order
//   local     = projected - originProjected      x east, y north, z up, metres
//
// PROJ stays private to core: no PROJ type appears here (pimpl).
//
// Threads: PROJ objects are not thread-safe. A GeoFrame or CrsTransform must be used by one thread at a time;
// give each thread its own copy (a copy owns its own PROJ context and objects, so copies are independent).

#include <memory>
#include <span>
#include <string>

#include "greentwin/core/status.hpp"
#include "greentwin/core/vec.hpp"

namespace gt {

// Axis order of the coordinates handed to a CrsTransform.
enum class AxisOrder {
  // Traditional GIS order: x = longitude / easting, y = latitude / northing. What GeoJSON, Shapefile, most
  // GDAL/OGR output (with OAMS_TRADITIONAL_GIS_ORDER) and most files use. Default choice.
  LonLatXY,
  // The CRS's official (authority) axis order, e.g. latitude, longitude for EPSG:4326 and northing, easting
  // for EPSG:4548. Use only for data known to follow the authority order (some WFS/GML output).
  Authority,
};

const char* toString(AxisOrder order);

// A reusable transformer from one source CRS into the LOCAL scene coordinates of the GeoFrame that made it.
// Not thread-safe (see above); copy it per thread.
class CrsTransform {
 public:
  CrsTransform(const CrsTransform& other);
  CrsTransform& operator=(const CrsTransform& other);
  CrsTransform(CrsTransform&& other) noexcept;
  CrsTransform& operator=(CrsTransform&& other) noexcept;
  ~CrsTransform();

  const std::string& sourceCrs() const;  // as given to GeoFrame::transformFrom
  AxisOrder axisOrder() const;

  // One point in the source CRS (in this transform's axis order; z is the height, passed through for 2D CRSs)
  // to local scene coordinates. Error if PROJ fails or the result is not finite.
  Result<Vec3d> toLocal(const Vec3d& source);
  // In place, for many points. Every point is attempted; on error the message names the first failing index
  // and the number of failures, and the failing points are left non-finite (the others are transformed).
  Status toLocal(std::span<Vec3d> points);

 private:
  friend class GeoFrame;
  struct Impl;
  explicit CrsTransform(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

class GeoFrame {
 public:
  // originLon/originLat: the local origin in degrees on the scene CRS's own geographic datum (CGCS2000 for
  // EPSG:4548; equal to WGS84 to a few cm). sceneCrs: anything PROJ knows (EPSG code, WKT, PROJ string) that is
  // a projected CRS in metres. Errors: unknown or non-projected CRS (the message names the CRS string), an origin
  // that is not a valid lon/lat or lies far outside the CRS's area of use (a typo such as 16.72 for 116.72).
  static Result<GeoFrame> create(double originLon, double originLat, std::string sceneCrs = "EPSG:4548");

  GeoFrame(const GeoFrame& other);
  GeoFrame& operator=(const GeoFrame& other);
  GeoFrame(GeoFrame&& other) noexcept;
  GeoFrame& operator=(GeoFrame&& other) noexcept;
  ~GeoFrame();

  const std::string& sceneCrs() const;
  double originLon() const;
  double originLat() const;
  // The origin in the scene CRS: x easting, y northing, z 0 (metres).
  Vec3d originProjected() const;

  // lon/lat (degrees, on the scene CRS's geographic datum) and ellipsoidal height h (m) -> local (x east,
  // y north, z = h). Error if PROJ fails or the result is not finite (e.g. far outside the projection).
  Result<Vec3d> lonLatToLocal(double lon, double lat, double h = 0.0) const;
  // local -> lon/lat: x = longitude, y = latitude (degrees), z = height (m).
  Result<Vec3d> localToLonLat(const Vec3d& local) const;

  // Scene-CRS coordinates (x easting, y northing, metres) <-> local. Pure arithmetic, never fails.
  Vec3d projectedToLocal(const Vec3d& projected) const;
  Vec3d localToProjected(const Vec3d& local) const;

  // A transformer from any CRS PROJ/GDAL knows ("EPSG:4326", WKT, "+proj=... " PROJ string) into local scene
  // coordinates. `order` says how the source coordinates are given (see AxisOrder). Error naming the CRS
  // string if it is unknown or not a CRS.
  Result<CrsTransform> transformFrom(const std::string& sourceCrs, AxisOrder order = AxisOrder::LonLatXY) const;

 private:
  struct Impl;
  explicit GeoFrame(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gt
