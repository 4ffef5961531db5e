// Geo frame: PROJ behind a pimpl. See geo_frame.hpp for the frame's conventions.

#include "greentwin/core/geo_frame.hpp"

#include <proj.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <utility>

namespace gt {

namespace {

// ---- PROJ context with its error messages captured (instead of PROJ printing them to stderr) ----------------

void captureProjLog(void* data, int level, const char* message) {
  if (level <= PJ_LOG_ERROR && message != nullptr) *static_cast<std::string*>(data) = message;
}

// Owns one PJ_CONTEXT. Not movable: PROJ holds a pointer to lastLog_. Lives inside a heap-allocated Impl.
class ProjContext {
 public:
  ProjContext() : ctx_(proj_context_create()) {
    if (ctx_ != nullptr) proj_log_func(ctx_, &lastLog_, &captureProjLog);
  }
  ~ProjContext() {
    if (ctx_ != nullptr) proj_context_destroy(ctx_);
  }
  ProjContext(const ProjContext&) = delete;
  ProjContext& operator=(const ProjContext&) = delete;

  PJ_CONTEXT* get() const { return ctx_; }
  bool valid() const { return ctx_ != nullptr; }

  void clearError() { lastLog_.clear(); }
  // The best description of the last failure: PROJ's logged message, else its errno text.
  std::string lastError() const {
    if (!lastLog_.empty()) return lastLog_;
    const int err = ctx_ != nullptr ? proj_context_errno(ctx_) : 0;
    if (err != 0) {
      const char* text = proj_context_errno_string(ctx_, err);
      if (text != nullptr) return text;
    }
    return "unknown PROJ error";
  }

 private:
  PJ_CONTEXT* ctx_;
  std::string lastLog_;
};

struct PjDeleter {
  void operator()(PJ* p) const { proj_destroy(p); }
};
using PjPtr = std::unique_ptr<PJ, PjDeleter>;

const char* typeName(PJ_TYPE type) {
  switch (type) {
    case PJ_TYPE_GEOGRAPHIC_2D_CRS: return "a geographic 2D CRS";
    case PJ_TYPE_GEOGRAPHIC_3D_CRS: return "a geographic 3D CRS";
    case PJ_TYPE_GEOCENTRIC_CRS: return "a geocentric CRS";
    case PJ_TYPE_GEODETIC_CRS: return "a geodetic CRS";
    case PJ_TYPE_VERTICAL_CRS: return "a vertical CRS";
    case PJ_TYPE_COMPOUND_CRS: return "a compound CRS";
    case PJ_TYPE_ENGINEERING_CRS: return "an engineering CRS";
    case PJ_TYPE_BOUND_CRS: return "a bound CRS";
    case PJ_TYPE_PROJECTED_CRS: return "a projected CRS";
    default: return "not a CRS";
  }
}

// "EPSG:4326", WKT or a PROJ string ("+proj=longlat +datum=WGS84", with or without "+type=crs") -> CRS object.
Result<PjPtr> createCrs(ProjContext& ctx, const std::string& text, const char* role) {
  if (text.empty()) return Status(ErrorCode::InvalidArgument, std::string(role) + " CRS is empty");
  std::string definition = text;
  if (definition.find("+proj=") != std::string::npos && definition.find("+type=crs") == std::string::npos &&
      definition.find('[') == std::string::npos) {
    definition += " +type=crs";
  }
  ctx.clearError();
  PjPtr crs(proj_create(ctx.get(), definition.c_str()));
  if (!crs) {
    return Status(ErrorCode::InvalidArgument,
                  "unknown " + std::string(role) + " CRS '" + text + "': " + ctx.lastError());
  }
  if (proj_is_crs(crs.get()) == 0) {
    return Status(ErrorCode::InvalidArgument,
                  std::string(role) + " CRS '" + text + "' is not a CRS (PROJ read it as a coordinate operation)");
  }
  return crs;
}

Result<PjPtr> normalized(ProjContext& ctx, const PJ* obj, const std::string& what) {
  ctx.clearError();
  PjPtr out(proj_normalize_for_visualization(ctx.get(), obj));
  if (!out) {
    return Status(ErrorCode::Internal, "cannot normalise axis order of '" + what + "': " + ctx.lastError());
  }
  return out;
}

// Operation from `source` to `target` (both CRS objects).
Result<PjPtr> makeOperation(ProjContext& ctx, const PJ* source, const PJ* target, const std::string& sourceName,
                            const std::string& targetName) {
  ctx.clearError();
  PjPtr op(proj_create_crs_to_crs_from_pj(ctx.get(), source, target, nullptr, nullptr));
  if (!op) {
    return Status(ErrorCode::Unsupported, "no transformation from CRS '" + sourceName + "' to scene CRS '" +
                                              targetName + "': " + ctx.lastError());
  }
  return op;
}

bool finite(const Vec3d& v) { return std::isfinite(v.x) && std::isfinite(v.y) && std::isfinite(v.z); }

std::string fmtPoint(const Vec3d& v) {
  char buf[128];
  std::snprintf(buf, sizeof buf, "(%.9g, %.9g, %.9g)", v.x, v.y, v.z);
  return buf;
}

// proj_trans with errors as values. t = HUGE_VAL: "no epoch" for time-dependent transformations.
Result<Vec3d> transformPoint(ProjContext& ctx, PJ* op, PJ_DIRECTION direction, const Vec3d& in) {
  if (!finite(in)) return Status(ErrorCode::InvalidArgument, "non-finite input coordinate " + fmtPoint(in));
  ctx.clearError();
  proj_errno_reset(op);
  const PJ_COORD out = proj_trans(op, direction, proj_coord(in.x, in.y, in.z, HUGE_VAL));
  const Vec3d result{out.xyz.x, out.xyz.y, out.xyz.z};
  if (!finite(result)) {
    const int err = proj_errno(op);
    std::string why = err != 0 ? proj_context_errno_string(ctx.get(), err) : "result is not finite";
    return Status(ErrorCode::OutOfRange, "cannot transform " + fmtPoint(in) + ": " + why);
  }
  return result;
}

constexpr double kAreaOfUseMarginDeg = 3.0;  // one 3-degree zone: catches typos, allows neighbouring-zone use

// ---- What CrsTransform::Impl and GeoFrame::Impl share ---------------------------------------------------------

// A PROJ operation in a context of its own, built from plain values (`Values`: what it was built from, and results
// worth keeping). A copy of a CrsTransform or GeoFrame rebuilds its PROJ objects from those values rather than
// sharing them, since a context must not be used by two threads and a copy may go to another thread.
template <class Values>
struct ProjBacked : Values {
  ProjContext ctx;      // declared before op: destroyed after it
  PjPtr op;             // the Impl's transformation
  Status brokenStatus;  // set only if a copy could not rebuild its PROJ objects

  // `owner` names the public class in the message ("GeoFrame was moved from").
  Status usable(const char* owner) const {
    if (op) return Status::ok();
    if (!brokenStatus.isOk()) return brokenStatus;
    return Status(ErrorCode::InvalidArgument, std::string(owner) + " was moved from");
  }
};

// The copy constructor's and assignment's new Impl (null for a moved-from original): rebuilt from the original's
// values by Impl::rebuild(); should that fail, a copy that keeps the values and reports the failure on use.
template <class Impl>
std::unique_ptr<Impl> copyImpl(const std::unique_ptr<Impl>& impl) {
  if (!impl) return nullptr;
  auto rebuilt = impl->rebuild();
  if (rebuilt) return std::move(rebuilt).value();
  auto broken = std::make_unique<Impl>();
  static_cast<typename Impl::Values&>(*broken) = *impl;
  broken->brokenStatus = rebuilt.status();
  return broken;
}

}  // namespace

const char* toString(AxisOrder order) {
  switch (order) {
    case AxisOrder::LonLatXY: return "LonLatXY";
    case AxisOrder::Authority: return "Authority";
  }
  return "?";
}

// ---- CrsTransform -------------------------------------------------------------------------------------------

namespace {
struct CrsTransformValues {
  std::string sourceCrs;
  std::string sceneCrs;
  AxisOrder order = AxisOrder::LonLatXY;
  Vec3d origin;
};
}  // namespace

// op: source (in `order`) -> scene CRS (easting, northing).
struct CrsTransform::Impl : ProjBacked<CrsTransformValues> {
  using Values = CrsTransformValues;

  static Result<std::unique_ptr<Impl>> build(const std::string& sourceCrs, const std::string& sceneCrs,
                                             AxisOrder order, const Vec3d& origin) {
    auto impl = std::make_unique<Impl>();
    impl->sourceCrs = sourceCrs;
    impl->sceneCrs = sceneCrs;
    impl->order = order;
    impl->origin = origin;
    if (!impl->ctx.valid()) return Status(ErrorCode::Internal, "cannot create a PROJ context");
    auto source = createCrs(impl->ctx, sourceCrs, "source");
    if (!source) return source.status();
    auto scene = createCrs(impl->ctx, sceneCrs, "scene");
    if (!scene) return scene.status();
    auto sceneXY = normalized(impl->ctx, scene->get(), sceneCrs);
    if (!sceneXY) return sceneXY.status();
    PjPtr sourceOrdered;
    if (order == AxisOrder::LonLatXY) {
      auto n = normalized(impl->ctx, source->get(), sourceCrs);
      if (!n) return n.status();
      sourceOrdered = std::move(n).value();
    } else {
      sourceOrdered = std::move(source).value();
    }
    auto op = makeOperation(impl->ctx, sourceOrdered.get(), sceneXY->get(), sourceCrs, sceneCrs);
    if (!op) return op.status();
    impl->op = std::move(op).value();
    return impl;
  }

  Result<std::unique_ptr<Impl>> rebuild() const { return build(sourceCrs, sceneCrs, order, origin); }
  Status usable() const { return ProjBacked::usable("CrsTransform"); }
};

CrsTransform::CrsTransform(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CrsTransform::CrsTransform(const CrsTransform& other) : impl_(copyImpl(other.impl_)) {}
CrsTransform& CrsTransform::operator=(const CrsTransform& other) {
  if (this != &other) impl_ = copyImpl(other.impl_);
  return *this;
}
CrsTransform::CrsTransform(CrsTransform&& other) noexcept = default;
CrsTransform& CrsTransform::operator=(CrsTransform&& other) noexcept = default;
CrsTransform::~CrsTransform() = default;

const std::string& CrsTransform::sourceCrs() const {
  static const std::string kEmpty;
  return impl_ ? impl_->sourceCrs : kEmpty;
}

AxisOrder CrsTransform::axisOrder() const { return impl_ ? impl_->order : AxisOrder::LonLatXY; }

Result<Vec3d> CrsTransform::toLocal(const Vec3d& source) {
  if (!impl_) return Status(ErrorCode::InvalidArgument, "CrsTransform was moved from");
  if (Status s = impl_->usable(); !s) return s;
  auto projected = transformPoint(impl_->ctx, impl_->op.get(), PJ_FWD, source);
  if (!projected) {
    return Status(projected.status().code(), "from CRS '" + impl_->sourceCrs + "' (" + toString(impl_->order) +
                                                 "): " + projected.status().message());
  }
  return *projected - impl_->origin;
}

Status CrsTransform::toLocal(std::span<Vec3d> points) {
  if (!impl_) return Status(ErrorCode::InvalidArgument, "CrsTransform was moved from");
  if (Status s = impl_->usable(); !s) return s;
  std::size_t failures = 0;
  std::size_t firstFailure = 0;
  Status firstError;
  for (std::size_t i = 0; i < points.size(); ++i) {
    auto projected = transformPoint(impl_->ctx, impl_->op.get(), PJ_FWD, points[i]);
    if (projected) {
      points[i] = *projected - impl_->origin;
      continue;
    }
    if (failures == 0) {
      firstFailure = i;
      firstError = projected.status();
    }
    ++failures;
    points[i] = Vec3d{HUGE_VAL, HUGE_VAL, HUGE_VAL};
  }
  if (failures == 0) return Status::ok();
  return Status(firstError.code(), "from CRS '" + impl_->sourceCrs + "': " + std::to_string(failures) + " of " +
                                       std::to_string(points.size()) + " points failed; first at index " +
                                       std::to_string(firstFailure) + ": " + firstError.message());
}

// ---- GeoFrame -----------------------------------------------------------------------------------------------

namespace {
struct GeoFrameValues {
  std::string sceneCrs;
  double originLon = 0.0;
  double originLat = 0.0;
  Vec3d origin;  // projected
};
}  // namespace

// op: (lon, lat) on the scene CRS's geodetic CRS -> (easting, northing).
struct GeoFrame::Impl : ProjBacked<GeoFrameValues> {
  using Values = GeoFrameValues;

  static Result<std::unique_ptr<Impl>> build(double lon, double lat, const std::string& sceneCrs) {
    if (!std::isfinite(lon) || !std::isfinite(lat) || lon < -180.0 || lon > 180.0 || lat < -90.0 || lat > 90.0) {
      return Status(ErrorCode::OutOfRange, "geo frame origin (" + std::to_string(lon) + ", " + std::to_string(lat) +
                                               ") is not a longitude in -180..180 and latitude in -90..90");
    }
    auto impl = std::make_unique<Impl>();
    impl->sceneCrs = sceneCrs;
    impl->originLon = lon;
    impl->originLat = lat;
    if (!impl->ctx.valid()) return Status(ErrorCode::Internal, "cannot create a PROJ context");
    auto& ctx = impl->ctx;

    auto scene = createCrs(ctx, sceneCrs, "scene");
    if (!scene) return scene.status();
    const PJ_TYPE type = proj_get_type(scene->get());
    if (type != PJ_TYPE_PROJECTED_CRS) {
      return Status(ErrorCode::InvalidArgument,
                    "scene CRS '" + sceneCrs + "' must be a projected CRS in metres, but it is " + typeName(type));
    }
    {
      PjPtr cs(proj_crs_get_coordinate_system(ctx.get(), scene->get()));
      double toMetres = 0.0;
      if (!cs || proj_cs_get_axis_info(ctx.get(), cs.get(), 0, nullptr, nullptr, nullptr, &toMetres, nullptr,
                                       nullptr, nullptr) == 0 ||
          std::abs(toMetres - 1.0) > 1e-12) {
        return Status(ErrorCode::InvalidArgument, "scene CRS '" + sceneCrs + "' must have axes in metres");
      }
    }
    double west = 0.0, south = 0.0, east = 0.0, north = 0.0;
    const char* areaName = nullptr;
    if (proj_get_area_of_use(ctx.get(), scene->get(), &west, &south, &east, &north, &areaName) != 0 &&
        west > -1000.0 && west <= east) {
      const double m = kAreaOfUseMarginDeg;
      if (lon < west - m || lon > east + m || lat < south - m || lat > north + m) {
        char buf[160];
        std::snprintf(buf, sizeof buf, "(lon %.6f, lat %.6f) is far outside the area of use of '", lon, lat);
        char area[160];
        std::snprintf(area, sizeof area, "' (lon %.2f..%.2f, lat %.2f..%.2f%s%s)", west, east, south, north,
                      areaName != nullptr ? ": " : "", areaName != nullptr ? areaName : "");
        return Status(ErrorCode::OutOfRange, std::string("geo frame origin ") + buf + sceneCrs + area);
      }
    }
    ctx.clearError();
    PjPtr geodetic(proj_crs_get_geodetic_crs(ctx.get(), scene->get()));
    if (!geodetic) {
      return Status(ErrorCode::InvalidArgument,
                    "scene CRS '" + sceneCrs + "' has no geodetic CRS: " + ctx.lastError());
    }
    auto lonLat = normalized(ctx, geodetic.get(), sceneCrs + " (geodetic)");
    if (!lonLat) return lonLat.status();
    auto sceneXY = normalized(ctx, scene->get(), sceneCrs);
    if (!sceneXY) return sceneXY.status();
    auto op = makeOperation(ctx, lonLat->get(), sceneXY->get(), sceneCrs + " (geodetic)", sceneCrs);
    if (!op) return op.status();
    impl->op = std::move(op).value();

    auto origin = transformPoint(ctx, impl->op.get(), PJ_FWD, Vec3d{lon, lat, 0.0});
    if (!origin) {
      return Status(origin.status().code(), "geo frame origin in '" + sceneCrs + "': " + origin.status().message());
    }
    impl->origin = Vec3d{origin->x, origin->y, 0.0};
    return impl;
  }

  Result<std::unique_ptr<Impl>> rebuild() const { return build(originLon, originLat, sceneCrs); }
  Status usable() const { return ProjBacked::usable("GeoFrame"); }
};

GeoFrame::GeoFrame(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
GeoFrame::GeoFrame(const GeoFrame& other) : impl_(copyImpl(other.impl_)) {}
GeoFrame& GeoFrame::operator=(const GeoFrame& other) {
  if (this != &other) impl_ = copyImpl(other.impl_);
  return *this;
}
GeoFrame::GeoFrame(GeoFrame&& other) noexcept = default;
GeoFrame& GeoFrame::operator=(GeoFrame&& other) noexcept = default;
GeoFrame::~GeoFrame() = default;

Result<GeoFrame> GeoFrame::create(double originLon, double originLat, std::string sceneCrs) {
  auto impl = Impl::build(originLon, originLat, sceneCrs);
  if (!impl) return impl.status();
  return GeoFrame(std::move(impl).value());
}

const std::string& GeoFrame::sceneCrs() const {
  static const std::string kEmpty;
  return impl_ ? impl_->sceneCrs : kEmpty;
}
double GeoFrame::originLon() const { return impl_ ? impl_->originLon : 0.0; }
double GeoFrame::originLat() const { return impl_ ? impl_->originLat : 0.0; }
Vec3d GeoFrame::originProjected() const { return impl_ ? impl_->origin : Vec3d{}; }

Vec3d GeoFrame::projectedToLocal(const Vec3d& projected) const { return projected - originProjected(); }
Vec3d GeoFrame::localToProjected(const Vec3d& local) const { return local + originProjected(); }

Result<Vec3d> GeoFrame::lonLatToLocal(double lon, double lat, double h) const {
  if (!impl_) return Status(ErrorCode::InvalidArgument, "GeoFrame was moved from");
  if (Status s = impl_->usable(); !s) return s;
  auto projected = transformPoint(impl_->ctx, impl_->op.get(), PJ_FWD, Vec3d{lon, lat, h});
  if (!projected) return projected.status();
  return *projected - impl_->origin;
}

Result<Vec3d> GeoFrame::localToLonLat(const Vec3d& local) const {
  if (!impl_) return Status(ErrorCode::InvalidArgument, "GeoFrame was moved from");
  if (Status s = impl_->usable(); !s) return s;
  return transformPoint(impl_->ctx, impl_->op.get(), PJ_INV, local + impl_->origin);
}

Result<CrsTransform> GeoFrame::transformFrom(const std::string& sourceCrs, AxisOrder order) const {
  if (!impl_) return Status(ErrorCode::InvalidArgument, "GeoFrame was moved from");
  if (Status s = impl_->usable(); !s) return s;
  auto impl = CrsTransform::Impl::build(sourceCrs, impl_->sceneCrs, order, impl_->origin);
  if (!impl) return impl.status();
  return CrsTransform(std::move(impl).value());
}

}  // namespace gt
