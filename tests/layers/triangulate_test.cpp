#include "../../layers/src/triangulate.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace gt::layers::detail {
namespace {

double trianglesArea(const Polygon& polygon, const std::vector<std::uint32_t>& tris) {
  std::vector<Vec3d> flat;
  for (const auto& ring : polygon.rings) flat.insert(flat.end(), ring.begin(), ring.end());
  double area = 0;
  for (std::size_t t = 0; t + 2 < tris.size(); t += 3) {
    const Vec3d& a = flat[tris[t]];
    const Vec3d& b = flat[tris[t + 1]];
    const Vec3d& c = flat[tris[t + 2]];
    area += std::abs((b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)) / 2;
  }
  return area;
}

TEST(Triangulate, ConcaveLShapeCoversItsArea) {
  Polygon l{{{{0, 0, 0}, {30, 0, 0}, {30, 10, 0}, {10, 10, 0}, {10, 30, 0}, {0, 30, 0}}}};
  const auto tris = triangulate(l);
  EXPECT_EQ(tris.size(), 4u * 3u);
  EXPECT_NEAR(trianglesArea(l, tris), 500.0, 1e-9);
}

TEST(Triangulate, ClockwiseRingsWorkToo) {
  Polygon cw{{{{0, 0, 0}, {0, 10, 0}, {10, 10, 0}, {10, 0, 0}}}};
  EXPECT_LT(signedArea(cw.rings[0]), 0);
  EXPECT_NEAR(trianglesArea(cw, triangulate(cw)), 100.0, 1e-9);
}

TEST(Triangulate, HolesAreLeftOpen) {
  Polygon courtyard{{{{0, 0, 0}, {40, 0, 0}, {40, 40, 0}, {0, 40, 0}}, {{10, 10, 0}, {10, 30, 0}, {30, 30, 0}, {30, 10, 0}}}};
  EXPECT_NEAR(trianglesArea(courtyard, triangulate(courtyard)), 1600.0 - 400.0, 1e-6);
}

TEST(Triangulate, DegenerateInputGivesNoTrianglesOrArea) {
  Polygon line{{{{0, 0, 0}, {10, 0, 0}, {20, 0, 0}}}};
  EXPECT_NEAR(trianglesArea(line, triangulate(line)), 0.0, 1e-9);
  EXPECT_TRUE(triangulate(Polygon{}).empty());
}

}  // namespace
}  // namespace gt::layers::detail
