#include "greentwin/core/measure.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace gt {
namespace {

double planDistance(const Vec3d& a, const Vec3d& b) { return std::hypot(b.x - a.x, b.y - a.y); }

// Orientation of c against the line a-b: >0 left, <0 right, 0 on it.
double orient(const Vec3d& a, const Vec3d& b, const Vec3d& c) {
  return (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
}

bool onSegment(const Vec3d& a, const Vec3d& b, const Vec3d& p) {
  return std::min(a.x, b.x) <= p.x && p.x <= std::max(a.x, b.x) && std::min(a.y, b.y) <= p.y &&
         p.y <= std::max(a.y, b.y);
}

// Segments p1-p2 and q1-q2 share a point (crossing, touching or overlapping).
bool segmentsMeet(const Vec3d& p1, const Vec3d& p2, const Vec3d& q1, const Vec3d& q2) {
  const double d1 = orient(q1, q2, p1), d2 = orient(q1, q2, p2), d3 = orient(p1, p2, q1), d4 = orient(p1, p2, q2);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (d1 == 0 && onSegment(q1, q2, p1)) || (d2 == 0 && onSegment(q1, q2, p2)) ||
         (d3 == 0 && onSegment(p1, p2, q1)) || (d4 == 0 && onSegment(p1, p2, q2));
}

// "1234567.8" with thousands separators and `decimals` places.
std::string grouped(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  std::string digits(buffer);
  const std::size_t dot = digits.find('.');
  std::size_t end = dot == std::string::npos ? digits.size() : dot;
  const std::size_t start = digits[0] == '-' ? 1 : 0;
  for (std::size_t i = end; i > start + 3; i -= 3) digits.insert(i - 3, ",");
  return digits;
}

}  // namespace

PathMeasure measurePath(std::span<const Vec3d> points, const HeightField* ground) {
  PathMeasure m;
  for (std::size_t i = 1; i < points.size(); ++i) m.horizontalM += planDistance(points[i - 1], points[i]);
  if (ground == nullptr || points.size() < 2) {
    m.surfaceM = m.horizontalM;
    return m;
  }
  // Draped on the drawn mesh: split at every mesh edge, so each piece lies flat on one triangle.
  // The terrain's vertical exaggeration (verticalScale) is taken out: climbs are real metres.
  const std::vector<Vec3d> draped = ground->drape(points, false, 0.0);
  const double scale = ground->verticalScale() > 0 ? ground->verticalScale() : 1.0;
  for (std::size_t i = 1; i < draped.size(); ++i) {
    const Vec3d& a = draped[i - 1];
    const Vec3d& b = draped[i];
    const double dz = (b.z - a.z) / scale;
    m.surfaceM += std::sqrt((b.x - a.x) * (b.x - a.x) + (b.y - a.y) * (b.y - a.y) + dz * dz);
    (dz > 0 ? m.climbM : m.descentM) += std::abs(dz);
  }
  return m;
}

Result<AreaMeasure> measureArea(std::span<const Vec3d> ring) {
  // Repeated points (a double click, a ring closed by repeating its first point) are one.
  std::vector<Vec3d> distinct;
  for (const Vec3d& p : ring) {
    if (distinct.empty() || distinct.back().x != p.x || distinct.back().y != p.y) distinct.push_back(p);
  }
  if (distinct.size() > 1 && distinct.front().x == distinct.back().x && distinct.front().y == distinct.back().y) {
    distinct.pop_back();
  }
  const std::size_t n = distinct.size();
  if (n < 3) {
    return Status(ErrorCode::InvalidArgument,
                  "an area needs at least three distinct points, got " + std::to_string(n));
  }
  AreaMeasure m;
  double twice = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Vec3d& a = distinct[i];
    const Vec3d& b = distinct[(i + 1) % n];
    twice += (a.x - distinct[0].x) * (b.y - distinct[0].y) - (b.x - distinct[0].x) * (a.y - distinct[0].y);
    m.perimeterM += planDistance(a, b);
  }
  // Non-adjacent edges must not meet (edges i and i+1 share a vertex; so do the last and the first).
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = i + 2; j < n; ++j) {
      if (i == 0 && j == n - 1) continue;
      if (segmentsMeet(distinct[i], distinct[(i + 1) % n], distinct[j], distinct[(j + 1) % n])) {
        return Status(ErrorCode::InvalidArgument, "the outline crosses itself (edges " + std::to_string(i + 1) +
                                                      " and " + std::to_string(j + 1) + "): its area means nothing");
      }
    }
  }
  m.areaM2 = std::abs(twice) / 2;
  if (!(m.areaM2 > 1e-9 * m.perimeterM * m.perimeterM)) {
    return Status(ErrorCode::InvalidArgument, "the points lie on one line: the area is zero");
  }
  return m;
}

Result<double> heightAbove(double topZ, double baseZ) {
  if (!std::isfinite(topZ) || !std::isfinite(baseZ)) {
    return Status(ErrorCode::InvalidArgument, "no height: a point without an elevation");
  }
  if (topZ < baseZ - 1e-6) {
    return Status(ErrorCode::InvalidArgument, "the point lies " + grouped(baseZ - topZ, 2) +
                                                  " m below the ground it should stand on");
  }
  return std::max(0.0, topZ - baseZ);
}

std::string formatLength(double metres) {
  if (std::abs(metres) >= 10'000) return grouped(metres / 1000.0, 2) + " km";
  return grouped(metres, 1) + " m";
}

std::string formatSquareMetres(double squareMetres) { return grouped(squareMetres, 0) + " m²"; }

std::string formatArea(double squareMetres) {
  if (squareMetres >= 1'000'000) return grouped(squareMetres / 1e6, 2) + " km²";
  if (squareMetres >= 10'000) return grouped(squareMetres / 1e4, 2) + " ha";
  return grouped(squareMetres, 0) + " m²";
}

}  // namespace gt
