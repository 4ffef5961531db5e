#include "geometry.hpp"

#include <algorithm>

namespace gtgen {

void Box::add(P2 p) {
  minX = std::min(minX, p.x);
  minY = std::min(minY, p.y);
  maxX = std::max(maxX, p.x);
  maxY = std::max(maxY, p.y);
}

double signedArea(const Ring& ring) {
  double twice = 0.0;
  for (std::size_t i = 0, n = ring.size(); i < n; ++i) twice += cross(ring[i], ring[(i + 1) % n]);
  return 0.5 * twice;
}

double distanceToSegment(P2 p, P2 a, P2 b) {
  const P2 ab = b - a;
  const double len2 = dot(ab, ab);
  const double t = len2 > 0.0 ? std::clamp(dot(p - a, ab) / len2, 0.0, 1.0) : 0.0;
  return distance(p, a + ab * t);
}

double polylineLength(const Polyline& line) {
  double total = 0.0;
  for (std::size_t i = 1; i < line.size(); ++i) total += distance(line[i - 1], line[i]);
  return total;
}

P2 pointAlong(const Polyline& line, double s, P2* tangent) {
  for (std::size_t i = 1; i < line.size(); ++i) {
    const double seg = distance(line[i - 1], line[i]);
    if (s <= seg || i + 1 == line.size()) {
      const P2 dir = seg > 0.0 ? (line[i] - line[i - 1]) * (1.0 / seg) : P2{1.0, 0.0};
      if (tangent != nullptr) *tangent = dir;
      return line[i - 1] + dir * std::clamp(s, 0.0, seg);
    }
    s -= seg;
  }
  if (tangent != nullptr) *tangent = {1.0, 0.0};
  return line.empty() ? P2{} : line.front();
}

Shape::Shape(std::vector<Ring> rings, double bandHeight) : rings_(std::move(rings)), band_(bandHeight) {
  for (const Ring& ring : rings_)
    for (P2 p : ring) box_.add(p);
  if (box_.empty()) return;
  const auto bandCount = static_cast<std::size_t>((box_.maxY - box_.minY) / band_) + 1;
  bands_.resize(bandCount);
  for (const Ring& ring : rings_) {
    for (std::size_t i = 0, n = ring.size(); i < n; ++i) {
      const P2 a = ring[i];
      const P2 b = ring[(i + 1) % n];
      if (a.y == b.y) continue;  // horizontal edges never straddle a ray
      const auto lo = static_cast<std::size_t>((std::min(a.y, b.y) - box_.minY) / band_);
      const auto hi = std::min(bandCount - 1, static_cast<std::size_t>((std::max(a.y, b.y) - box_.minY) / band_));
      for (std::size_t k = lo; k <= hi; ++k) bands_[k].push_back({a, b});
    }
  }
}

bool Shape::contains(P2 p) const {
  if (!box_.contains(p)) return false;
  const auto k = static_cast<std::size_t>((p.y - box_.minY) / band_);
  if (k >= bands_.size()) return false;
  bool inside = false;
  for (const Edge& e : bands_[k]) {
    if ((e.a.y > p.y) != (e.b.y > p.y)) {
      const double xCross = e.a.x + (p.y - e.a.y) * (e.b.x - e.a.x) / (e.b.y - e.a.y);
      if (xCross > p.x) inside = !inside;
    }
  }
  return inside;
}

Box Obb::box() const {
  const double ex = std::abs(u.x) * hu + std::abs(u.y) * hv;
  const double ey = std::abs(u.y) * hu + std::abs(u.x) * hv;
  Box b;
  b.add({c.x - ex, c.y - ey});
  b.add({c.x + ex, c.y + ey});
  return b;
}

bool Obb::contains(P2 p) const {
  const P2 d = p - c;
  return std::abs(dot(d, u)) <= hu && std::abs(dot(d, v())) <= hv;
}

namespace {
// Half-width of box b projected on unit axis n.
double projectedRadius(const Obb& b, P2 n) { return b.hu * std::abs(dot(b.u, n)) + b.hv * std::abs(dot(b.v(), n)); }
}  // namespace

bool obbOverlap(const Obb& a, const Obb& b, double gap) {
  const P2 d = b.c - a.c;
  for (P2 n : {a.u, a.v(), b.u, b.v()}) {
    if (std::abs(dot(d, n)) >= projectedRadius(a, n) + projectedRadius(b, n) + gap) return false;
  }
  return true;
}

void SegmentIndex::add(P2 a, P2 b, double clearance) {
  const auto id = static_cast<std::uint32_t>(segs_.size());
  segs_.push_back({a, b, clearance});
  const double pad = clearance + maxR_;
  const auto i0 = static_cast<std::int64_t>(std::floor((std::min(a.x, b.x) - pad) / cell_));
  const auto i1 = static_cast<std::int64_t>(std::floor((std::max(a.x, b.x) + pad) / cell_));
  const auto j0 = static_cast<std::int64_t>(std::floor((std::min(a.y, b.y) - pad) / cell_));
  const auto j1 = static_cast<std::int64_t>(std::floor((std::max(a.y, b.y) + pad) / cell_));
  const P2 ab = b - a;
  const double len = length(ab);
  for (std::int64_t i = i0; i <= i1; ++i) {
    for (std::int64_t j = j0; j <= j1; ++j) {
      // Skip cells whose centre is far from the segment (long diagonal segments span many empty cells).
      const P2 centre{(static_cast<double>(i) + 0.5) * cell_, (static_cast<double>(j) + 0.5) * cell_};
      if (len > 0.0 && distanceToSegment(centre, a, b) > pad + cell_ * 0.7072) continue;
      grid_[key(i, j)].push_back(id);
    }
  }
}

void SegmentIndex::addPolyline(const Polyline& line, double clearance) {
  for (std::size_t i = 1; i < line.size(); ++i) add(line[i - 1], line[i], clearance);
}

void SegmentIndex::addRing(const Ring& ring, double clearance) {
  for (std::size_t i = 0, n = ring.size(); i < n; ++i) add(ring[i], ring[(i + 1) % n], clearance);
}

bool SegmentIndex::clear(P2 p, double r) const {
  const auto it = grid_.find(key(static_cast<std::int64_t>(std::floor(p.x / cell_)),
                                 static_cast<std::int64_t>(std::floor(p.y / cell_))));
  if (it == grid_.end()) return true;
  for (std::uint32_t id : it->second) {
    const Seg& s = segs_[id];
    if (distanceToSegment(p, s.a, s.b) < s.clearance + r) return false;
  }
  return true;
}

double SegmentIndex::nearest(P2 p, double none) const {
  const auto it = grid_.find(key(static_cast<std::int64_t>(std::floor(p.x / cell_)),
                                 static_cast<std::int64_t>(std::floor(p.y / cell_))));
  double best = none;
  if (it == grid_.end()) return best;
  for (std::uint32_t id : it->second) {
    const double d = distanceToSegment(p, segs_[id].a, segs_[id].b);
    if (d <= maxR_) best = std::min(best, d);
  }
  return best;
}

bool ObbGrid::overlapsAny(const Obb& box, double gap) const {
  const Box b = box.box();
  const auto i0 = static_cast<std::int64_t>(std::floor((b.minX - gap) / cell_));
  const auto i1 = static_cast<std::int64_t>(std::floor((b.maxX + gap) / cell_));
  const auto j0 = static_cast<std::int64_t>(std::floor((b.minY - gap) / cell_));
  const auto j1 = static_cast<std::int64_t>(std::floor((b.maxY + gap) / cell_));
  for (std::int64_t i = i0; i <= i1; ++i) {
    for (std::int64_t j = j0; j <= j1; ++j) {
      const auto it = grid_.find(key(i, j));
      if (it == grid_.end()) continue;
      for (std::uint32_t id : it->second)
        if (obbOverlap(box, boxes_[id], gap)) return true;
    }
  }
  return false;
}

bool ObbGrid::anyContains(P2 p) const {
  const auto it = grid_.find(key(static_cast<std::int64_t>(std::floor(p.x / cell_)),
                                 static_cast<std::int64_t>(std::floor(p.y / cell_))));
  if (it == grid_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](std::uint32_t id) { return boxes_[id].contains(p); });
}

void ObbGrid::insert(const Obb& box) {
  const auto id = static_cast<std::uint32_t>(boxes_.size());
  boxes_.push_back(box);
  const Box b = box.box();
  for (auto i = static_cast<std::int64_t>(std::floor(b.minX / cell_)); i <= static_cast<std::int64_t>(std::floor(b.maxX / cell_)); ++i)
    for (auto j = static_cast<std::int64_t>(std::floor(b.minY / cell_)); j <= static_cast<std::int64_t>(std::floor(b.maxY / cell_)); ++j)
      grid_[key(i, j)].push_back(id);
}

void ShapeSet::add(const Shape* shape) {
  const auto id = static_cast<std::uint32_t>(shapes_.size());
  shapes_.push_back(shape);
  const Box& b = shape->box();
  for (auto i = static_cast<std::int64_t>(std::floor(b.minX / cell_)); i <= static_cast<std::int64_t>(std::floor(b.maxX / cell_)); ++i)
    for (auto j = static_cast<std::int64_t>(std::floor(b.minY / cell_)); j <= static_cast<std::int64_t>(std::floor(b.maxY / cell_)); ++j)
      grid_[key(i, j)].push_back(id);
}

bool ShapeSet::contains(P2 p) const {
  const auto it = grid_.find(key(static_cast<std::int64_t>(std::floor(p.x / cell_)),
                                 static_cast<std::int64_t>(std::floor(p.y / cell_))));
  if (it == grid_.end()) return false;
  return std::any_of(it->second.begin(), it->second.end(), [&](std::uint32_t id) { return shapes_[id]->contains(p); });
}

}  // namespace gtgen
