#include "greentwin/core/interpolation.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

namespace gt {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool usable(const ScatteredPoint& p) {
  return std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.value);
}

// `scratch` holds (squared distance, value) of the candidates; reused across cells by idwGrid.
double idwWith(double x, double y, std::span<const ScatteredPoint> points, const IdwParams& params,
               std::vector<std::pair<double, double>>& scratch) {
  scratch.clear();
  const double radius2 = params.searchRadiusM > 0 ? params.searchRadiusM * params.searchRadiusM
                                                  : std::numeric_limits<double>::infinity();
  double coincidentSum = 0;
  int coincident = 0;
  for (const ScatteredPoint& p : points) {
    if (!usable(p)) continue;
    const double dx = p.x - x;
    const double dy = p.y - y;
    const double d2 = dx * dx + dy * dy;
    if (d2 <= kCoincidentM * kCoincidentM) {
      coincidentSum += p.value;
      ++coincident;
      continue;
    }
    if (d2 <= radius2) scratch.emplace_back(d2, p.value);
  }
  if (coincident > 0) return coincidentSum / coincident;
  if (scratch.empty()) return kNaN;
  if (params.maxNeighbours > 0 && scratch.size() > static_cast<std::size_t>(params.maxNeighbours)) {
    const auto keep = scratch.begin() + params.maxNeighbours;
    std::nth_element(scratch.begin(), keep, scratch.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    scratch.erase(keep, scratch.end());
  }
  double weighted = 0;
  double weights = 0;
  const double halfPower = params.power / 2.0;  // d^power = (d^2)^(power/2)
  for (const auto& [d2, value] : scratch) {
    const double w = halfPower == 1.0 ? 1.0 / d2 : 1.0 / std::pow(d2, halfPower);
    weighted += w * value;
    weights += w;
  }
  return weights > 0 ? weighted / weights : kNaN;
}

}  // namespace

Status validate(const IdwParams& params) {
  if (!std::isfinite(params.power) || params.power <= 0) {
    return Status(ErrorCode::InvalidArgument, "IDW power must be a finite number > 0, got " + std::to_string(params.power));
  }
  if (!std::isfinite(params.searchRadiusM)) {
    return Status(ErrorCode::InvalidArgument, "IDW search radius must be finite");
  }
  return Status::ok();
}

double idwAt(double x, double y, std::span<const ScatteredPoint> points, const IdwParams& params) {
  if (!validate(params).isOk() || !std::isfinite(x) || !std::isfinite(y)) return kNaN;
  std::vector<std::pair<double, double>> scratch;
  return idwWith(x, y, points, params, scratch);
}

Result<RasterGrid> idwGrid(const GridGeometry& geometry, std::span<const ScatteredPoint> points,
                           const IdwParams& params) {
  if (Status s = validate(params); !s) return s;
  if (!geometry.validGeometry()) {
    return Status(ErrorCode::InvalidArgument, "IDW grid: invalid geometry (" + std::to_string(geometry.width) + " x " +
                                                  std::to_string(geometry.height) + " cells)");
  }
  RasterGrid grid;
  static_cast<GridGeometry&>(grid) = geometry;
  grid.values.assign(geometry.cellCount(), std::numeric_limits<float>::quiet_NaN());
  std::vector<ScatteredPoint> kept;
  kept.reserve(points.size());
  for (const ScatteredPoint& p : points) {
    if (usable(p)) kept.push_back(p);
  }
  if (kept.empty()) return grid;
  std::vector<std::pair<double, double>> scratch;
  scratch.reserve(kept.size());
  for (int row = 0; row < geometry.height; ++row) {
    for (int col = 0; col < geometry.width; ++col) {
      grid.at(col, row) = static_cast<float>(idwWith(geometry.cellX(col), geometry.cellY(row), kept, params, scratch));
    }
  }
  return grid;
}

}  // namespace gt
