#include "triangulate.hpp"

#include <osg/Geometry>
#include <osgUtil/Tessellator>

#include <cmath>

namespace gt::layers::detail {
namespace {

double cross(const Vec3d& o, const Vec3d& a, const Vec3d& b) {
  return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

bool pointInTriangle(const Vec3d& p, const Vec3d& a, const Vec3d& b, const Vec3d& c) {
  const double d1 = cross(a, b, p);
  const double d2 = cross(b, c, p);
  const double d3 = cross(c, a, p);
  const bool hasNeg = d1 < 0 || d2 < 0 || d3 < 0;
  const bool hasPos = d1 > 0 || d2 > 0 || d3 > 0;
  return !(hasNeg && hasPos);
}

// Ear clipping of one ring; false when it gets stuck (self-intersecting or degenerate input).
bool earClip(const std::vector<Vec3d>& ring, std::vector<std::uint32_t>& out) {
  const std::size_t n = ring.size();
  std::vector<std::uint32_t> remaining(n);
  const bool ccw = signedArea(ring) > 0;
  for (std::size_t i = 0; i < n; ++i) remaining[i] = static_cast<std::uint32_t>(ccw ? i : n - 1 - i);
  std::size_t guard = 0;
  while (remaining.size() > 3) {
    if (++guard > n * n) return false;
    bool clipped = false;
    const std::size_t m = remaining.size();
    for (std::size_t i = 0; i < m; ++i) {
      const std::uint32_t ia = remaining[(i + m - 1) % m];
      const std::uint32_t ib = remaining[i];
      const std::uint32_t ic = remaining[(i + 1) % m];
      const Vec3d& a = ring[ia];
      const Vec3d& b = ring[ib];
      const Vec3d& c = ring[ic];
      if (cross(a, b, c) <= 1e-9) continue;  // reflex or flat corner
      bool containsOther = false;
      for (std::uint32_t k : remaining) {
        if (k == ia || k == ib || k == ic) continue;
        if (pointInTriangle(ring[k], a, b, c)) {
          containsOther = true;
          break;
        }
      }
      if (containsOther) continue;
      out.insert(out.end(), {ia, ib, ic});
      remaining.erase(remaining.begin() + static_cast<long>(i));
      clipped = true;
      break;
    }
    if (!clipped) return false;
  }
  if (remaining.size() == 3) out.insert(out.end(), {remaining[0], remaining[1], remaining[2]});
  return true;
}

std::vector<std::uint32_t> tessellateWithGlu(const Polygon& polygon) {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
  for (const auto& ring : polygon.rings) {
    const auto first = static_cast<GLint>(vertices->size());
    for (const Vec3d& p : ring) vertices->push_back(osg::Vec3(static_cast<float>(p.x), static_cast<float>(p.y), 0.0f));
    g->addPrimitiveSet(new osg::DrawArrays(GL_POLYGON, first, static_cast<GLsizei>(ring.size())));
  }
  g->setVertexArray(vertices.get());
  const std::size_t originalCount = vertices->size();
  osg::ref_ptr<osgUtil::Tessellator> tessellator = new osgUtil::Tessellator;
  tessellator->setTessellationType(osgUtil::Tessellator::TESS_TYPE_GEOMETRY);
  tessellator->setWindingType(osgUtil::Tessellator::TESS_WINDING_ODD);
  tessellator->retessellatePolygons(*g);
  // The tessellator may add vertices at intersections; map every output vertex back to the nearest input one.
  const auto* out = static_cast<const osg::Vec3Array*>(g->getVertexArray());
  std::vector<std::uint32_t> remap(out->size());
  std::vector<Vec3d> flat;
  for (const auto& ring : polygon.rings) flat.insert(flat.end(), ring.begin(), ring.end());
  for (std::size_t i = 0; i < out->size(); ++i) {
    if (i < originalCount) {
      remap[i] = static_cast<std::uint32_t>(i);
      continue;
    }
    double best = 1e300;
    for (std::size_t k = 0; k < flat.size(); ++k) {
      const double dx = flat[k].x - (*out)[i].x();
      const double dy = flat[k].y - (*out)[i].y();
      if (dx * dx + dy * dy < best) {
        best = dx * dx + dy * dy;
        remap[i] = static_cast<std::uint32_t>(k);
      }
    }
  }
  std::vector<std::uint32_t> triangles;
  for (unsigned p = 0; p < g->getNumPrimitiveSets(); ++p) {
    const osg::PrimitiveSet* ps = g->getPrimitiveSet(p);
    const GLenum mode = ps->getMode();
    const unsigned count = ps->getNumIndices();
    if (mode == GL_TRIANGLES) {
      for (unsigned i = 0; i + 2 < count; i += 3) {
        triangles.insert(triangles.end(), {remap[ps->index(i)], remap[ps->index(i + 1)], remap[ps->index(i + 2)]});
      }
    } else if (mode == GL_TRIANGLE_STRIP) {
      for (unsigned i = 0; i + 2 < count; ++i) {
        const bool even = i % 2 == 0;
        triangles.insert(triangles.end(), {remap[ps->index(even ? i : i + 1)], remap[ps->index(even ? i + 1 : i)],
                                           remap[ps->index(i + 2)]});
      }
    } else if (mode == GL_TRIANGLE_FAN) {
      for (unsigned i = 1; i + 1 < count; ++i) {
        triangles.insert(triangles.end(), {remap[ps->index(0)], remap[ps->index(i)], remap[ps->index(i + 1)]});
      }
    }
  }
  return triangles;
}

}  // namespace

double signedArea(const std::vector<Vec3d>& ring) {
  // Shoelace over the edges (i, i + 1) and the closing edge (n - 1, 0), in that order, without a modulo per vertex.
  const std::size_t n = ring.size();
  if (n == 0) return 0.0;
  double twice = 0.0;
  for (std::size_t i = 0; i + 1 < n; ++i) twice += ring[i].x * ring[i + 1].y - ring[i + 1].x * ring[i].y;
  twice += ring[n - 1].x * ring[0].y - ring[0].x * ring[n - 1].y;
  return twice / 2.0;
}

std::vector<std::uint32_t> triangulate(const Polygon& polygon) {
  if (polygon.rings.empty() || polygon.rings.front().size() < 3) return {};
  std::vector<std::uint32_t> triangles;
  if (polygon.rings.size() == 1) {
    triangles.reserve((polygon.rings.front().size() - 2) * 3);
    if (earClip(polygon.rings.front(), triangles)) return triangles;
    triangles.clear();
  }
  return tessellateWithGlu(polygon);
}

}  // namespace gt::layers::detail
