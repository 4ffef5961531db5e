#include "greentwin/core/raster.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gt {
namespace {

constexpr double kDegToRad = std::numbers::pi / 180.0;

bool finiteNumber(double v) { return std::isfinite(v); }

// Grid coordinates: cell centres at integers, clamped into [0, n - 1] (the outer half cell extends the edge).
double gridCoord(double v, double origin, double step, int n) {
  return std::clamp((v - origin) / step, 0.0, static_cast<double>(n - 1));
}

// Lower cell index of the interpolation span that contains g, and the fraction within it. For n == 1 the span is
// degenerate: index 0, fraction 0.
std::pair<int, double> span(double g, int n) {
  if (n < 2) return {0, 0.0};
  const int i = std::min(static_cast<int>(std::floor(g)), n - 2);
  return {i, g - i};
}

}  // namespace

bool GridGeometry::validGeometry() const {
  return width >= 1 && height >= 1 && finiteNumber(x0) && finiteNumber(y0) && finiteNumber(dx) &&
         finiteNumber(dy) && dx > 0 && dy > 0;
}

std::optional<double> RasterGrid::sample(double x, double y) const {
  if (!valid() || !covers(x, y)) return std::nullopt;
  const double gx = gridCoord(x, x0, dx, width);
  const double gy = gridCoord(y, y0, dy, height);
  // The nearest cell decides whether there is data here at all.
  const int nearCol = std::clamp(static_cast<int>(std::lround(gx)), 0, width - 1);
  const int nearRow = std::clamp(static_cast<int>(std::lround(gy)), 0, height - 1);
  const float nearest = at(nearCol, nearRow);
  if (std::isnan(nearest)) return std::nullopt;
  const auto [c0, u] = span(gx, width);
  const auto [r0, v] = span(gy, height);
  const int c1 = std::min(c0 + 1, width - 1);
  const int r1 = std::min(r0 + 1, height - 1);
  const double w[4] = {(1 - u) * (1 - v), u * (1 - v), (1 - u) * v, u * v};
  const float z[4] = {at(c0, r0), at(c1, r0), at(c0, r1), at(c1, r1)};
  double sum = 0.0;
  double weight = 0.0;
  for (int k = 0; k < 4; ++k) {
    if (w[k] <= 0.0 || std::isnan(z[k])) continue;
    sum += w[k] * z[k];
    weight += w[k];
  }
  // The nearest cell always carries weight >= 1/4 unless it sits exactly on a span's far end with weight 0,
  // in which case it is one of the valid corners with weight 1 anyway; guard all the same.
  if (weight <= 0.0) return static_cast<double>(nearest);
  return sum / weight;
}

std::optional<std::pair<float, float>> RasterGrid::valueRange() const {
  std::optional<std::pair<float, float>> range;
  for (float v : values) {
    if (std::isnan(v)) continue;
    if (!range) {
      range = std::make_pair(v, v);
    } else {
      range->first = std::min(range->first, v);
      range->second = std::max(range->second, v);
    }
  }
  return range;
}

std::size_t RasterGrid::validCount() const {
  return static_cast<std::size_t>(std::count_if(values.begin(), values.end(), [](float v) { return !std::isnan(v); }));
}

RgbaImage hillshade(const RasterGrid& dem, double azimuthDeg, double altitudeDeg, double zFactor) {
  RgbaImage out;
  static_cast<GridGeometry&>(out) = static_cast<const GridGeometry&>(dem);
  out.source = dem.source;
  out.sourceCrs = dem.sourceCrs;
  if (!dem.valid()) {
    out.width = 0;
    out.height = 0;
    return out;
  }
  out.pixels.assign(4 * dem.cellCount(), 0);
  const double az = azimuthDeg * kDegToRad;
  const double alt = altitudeDeg * kDegToRad;
  // Unit vector towards the light: x east, y north, z up.
  const double lx = std::sin(az) * std::cos(alt);
  const double ly = std::cos(az) * std::cos(alt);
  const double lz = std::sin(alt);
  const int w = dem.width;
  const int h = dem.height;
  for (int row = 0; row < h; ++row) {
    for (int col = 0; col < w; ++col) {
      const float centre = dem.at(col, row);
      if (std::isnan(centre)) continue;  // transparent
      // Neighbour with edge replication; nodata neighbours take the centre's value (no slope towards a hole).
      auto z = [&](int dc, int dr) -> double {
        const float v = dem.at(std::clamp(col + dc, 0, w - 1), std::clamp(row + dr, 0, h - 1));
        return std::isnan(v) ? centre : v;
      };
      // Horn's 3x3 window; rows run north, so +1 is the northern row.
      const double nw = z(-1, 1), n = z(0, 1), ne = z(1, 1);
      const double west = z(-1, 0), east = z(1, 0);
      const double sw = z(-1, -1), s = z(0, -1), se = z(1, -1);
      const double dzdx = zFactor * ((ne + 2 * east + se) - (nw + 2 * west + sw)) / (8 * dem.dx);
      const double dzdy = zFactor * ((nw + 2 * n + ne) - (sw + 2 * s + se)) / (8 * dem.dy);
      // Surface normal (-dz/dx, -dz/dy, 1), normalised.
      const double shade =
          std::max(0.0, (-dzdx * lx - dzdy * ly + lz) / std::sqrt(dzdx * dzdx + dzdy * dzdy + 1.0));
      const auto grey = static_cast<std::uint8_t>(std::lround(255.0 * std::min(shade, 1.0)));
      std::uint8_t* p = &out.pixels[4 * (static_cast<std::size_t>(row) * w + col)];
      p[0] = p[1] = p[2] = grey;
      p[3] = 255;
    }
  }
  return out;
}

HeightField::HeightField(std::shared_ptr<const RasterGrid> grid, double verticalScale)
    : grid_(std::move(grid)), verticalScale_(verticalScale) {
  if (!grid_) grid_ = std::make_shared<const RasterGrid>();
  valid_ = grid_->valid() && std::isfinite(verticalScale_);
}

double HeightField::cellSize() const { return valid_ ? std::min(grid_->dx, grid_->dy) : 0.0; }

std::optional<double> HeightField::sample(double x, double y) const {
  if (!valid_) return std::nullopt;
  const RasterGrid& g = *grid_;
  if (!g.covers(x, y)) return std::nullopt;
  if (g.width < 2 || g.height < 2) {
    // No triangles in a one-cell-wide grid: use the grid's own interpolation.
    auto v = g.sample(x, y);
    if (!v) return std::nullopt;
    return *v * verticalScale_;
  }
  const auto [c, u] = span(gridCoord(x, g.x0, g.dx, g.width), g.width);
  const auto [r, v] = span(gridCoord(y, g.y0, g.dy, g.height), g.height);
  const double z00 = g.at(c, r);
  const double z11 = g.at(c + 1, r + 1);
  double z = 0.0;
  if (u >= v) {  // south-east triangle: (c, r), (c+1, r), (c+1, r+1)
    const double z10 = g.at(c + 1, r);
    z = z00 + u * (z10 - z00) + v * (z11 - z10);
  } else {  // north-west triangle: (c, r), (c+1, r+1), (c, r+1)
    const double z01 = g.at(c, r + 1);
    z = z00 + v * (z01 - z00) + u * (z11 - z01);
  }
  if (std::isnan(z)) return std::nullopt;  // a corner is nodata: the terrain mesh has no triangle here
  return z * verticalScale_;
}

std::vector<Vec3d> HeightField::drape(std::span<const Vec3d> points, bool closed, double offset) const {
  std::vector<Vec3d> out;
  if (points.empty()) return out;
  out.reserve(points.size());
  auto lift = [&](const Vec3d& p) { out.push_back({p.x, p.y, heightAt(p.x, p.y, p.z) + offset}); };
  const std::size_t n = points.size();
  const std::size_t segments = closed && n > 2 ? n : n - 1;
  std::vector<double> ts;
  for (std::size_t i = 0; i < n; ++i) {
    lift(points[i]);
    if (i >= segments || !valid_) continue;
    const Vec3d& a = points[i];
    const Vec3d& b = points[(i + 1) % n];
    const RasterGrid& g = *grid_;
    // Grid coordinates: cell centres (mesh vertices) at integers.
    const double ax = (a.x - g.x0) / g.dx, ay = (a.y - g.y0) / g.dy;
    const double bx = (b.x - g.x0) / g.dx, by = (b.y - g.y0) / g.dy;
    const double ex = bx - ax, ey = by - ay;
    // The part of the segment inside the mesh [0, w-1] x [0, h-1] (Liang-Barsky); crossings outside it do not
    // matter (no terrain there).
    double t0 = 0.0, t1 = 1.0;
    auto clip = [&](double p, double q) {  // keeps t with p * t <= q
      if (p == 0.0) return q >= 0.0;
      const double t = q / p;
      if (p < 0.0) t0 = std::max(t0, t);
      else t1 = std::min(t1, t);
      return t0 <= t1;
    };
    const double wMax = g.width - 1, hMax = g.height - 1;
    if (!clip(-ex, ax) || !clip(ex, wMax - ax) || !clip(-ey, ay) || !clip(ey, hMax - ay)) continue;
    ts.clear();
    ts.push_back(t0);
    ts.push_back(t1);
    // Crossings of the lines coordinate == k for integer k, where coordinate(t) = start + t * delta.
    auto crossings = [&](double start, double delta) {
      if (delta == 0.0) return;
      const double lo = start + t0 * delta, hi = start + t1 * delta;
      const double from = std::ceil(std::min(lo, hi)), to = std::floor(std::max(lo, hi));
      for (double k = from; k <= to; k += 1.0) ts.push_back((k - start) / delta);
    };
    crossings(ax, ex);             // cell columns (x = const)
    crossings(ay, ey);             // cell rows (y = const)
    crossings(ax - ay, ex - ey);   // cell diagonals (south-west to north-east: gx - gy = const)
    std::sort(ts.begin(), ts.end());
    constexpr double kEps = 1e-9;
    double last = 0.0;
    for (double t : ts) {
      if (t <= kEps || t >= 1.0 - kEps || t - last <= kEps) continue;
      last = t;
      lift({a.x + t * (b.x - a.x), a.y + t * (b.y - a.y), a.z + t * (b.z - a.z)});
    }
  }
  return out;
}

}  // namespace gt
