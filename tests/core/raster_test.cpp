#include "greentwin/core/raster.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <numbers>

namespace gt {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

// A grid whose cell values are f(x, y) at the cell centres.
template <typename F>
RasterGrid gridOf(int width, int height, double x0, double y0, double dx, double dy, F f) {
  RasterGrid g;
  g.x0 = x0;
  g.y0 = y0;
  g.dx = dx;
  g.dy = dy;
  g.width = width;
  g.height = height;
  g.values.resize(g.cellCount());
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) g.at(c, r) = static_cast<float>(f(g.cellX(c), g.cellY(r)));
  return g;
}

TEST(RasterGrid, GeometryFollowsTheCellCentreConvention) {
  const RasterGrid g = gridOf(4, 3, 100, 200, 10, 20, [](double, double) { return 0.0; });
  EXPECT_TRUE(g.valid());
  EXPECT_EQ(g.cellCount(), 12u);
  EXPECT_DOUBLE_EQ(g.cellX(3), 130);
  EXPECT_DOUBLE_EQ(g.cellY(2), 240);  // rows run north
  EXPECT_DOUBLE_EQ(g.minX(), 95);
  EXPECT_DOUBLE_EQ(g.maxX(), 135);
  EXPECT_DOUBLE_EQ(g.minY(), 190);
  EXPECT_DOUBLE_EQ(g.maxY(), 250);
  RasterGrid bad = g;
  bad.values.pop_back();
  EXPECT_FALSE(bad.valid());
  bad = g;
  bad.dx = 0;
  EXPECT_FALSE(bad.valid());
}

TEST(RasterGrid, BilinearSamplingIsExactForAPlaneAndHitsCellCentres) {
  const auto plane = [](double x, double y) { return 3.0 + 0.5 * x - 0.25 * y; };
  const RasterGrid g = gridOf(5, 4, 10, 20, 10, 10, plane);
  for (double x : {10.0, 13.0, 27.5, 49.9}) {
    for (double y : {20.0, 21.0, 34.2, 50.0}) {
      auto v = g.sample(x, y);
      ASSERT_TRUE(v.has_value()) << x << "," << y;
      EXPECT_NEAR(*v, plane(x, y), 1e-4) << x << "," << y;
    }
  }
  // A non-planar grid: halfway between four centres gives their mean.
  RasterGrid q = gridOf(2, 2, 0, 0, 1, 1, [](double, double) { return 0.0; });
  q.at(0, 0) = 1;
  q.at(1, 0) = 2;
  q.at(0, 1) = 3;
  q.at(1, 1) = 10;
  EXPECT_NEAR(*q.sample(0.5, 0.5), 4.0, 1e-6);
  EXPECT_NEAR(*q.sample(0.25, 0.0), 1.25, 1e-6);
}

TEST(RasterGrid, OutsideTheCoveredAreaIsNulloptAndTheOuterHalfCellExtendsTheEdge) {
  const RasterGrid g = gridOf(3, 3, 0, 0, 10, 10, [](double x, double y) { return x + 100 * y; });
  EXPECT_FALSE(g.sample(-5.1, 0).has_value());
  EXPECT_FALSE(g.sample(0, 25.1).has_value());
  EXPECT_FALSE(g.sample(1e9, 1e9).has_value());
  EXPECT_FALSE(g.sample(std::nan(""), 0).has_value());
  // Between the outermost centre (x = 20) and the edge (x = 25): the edge value.
  EXPECT_NEAR(*g.sample(24.9, 0), 20.0, 1e-6);
  EXPECT_NEAR(*g.sample(-5.0, -5.0), 0.0, 1e-6);
  RasterGrid empty;
  EXPECT_FALSE(empty.sample(0, 0).has_value());
}

TEST(RasterGrid, NodataGivesNulloptNearItAndIsNeverBlendedIn) {
  RasterGrid g = gridOf(3, 1, 0, 0, 10, 10, [](double x, double) { return x; });  // 0, 10, 20
  g.at(2, 0) = kNaN;
  EXPECT_FALSE(g.sample(20, 0).has_value());  // at the nodata cell
  EXPECT_FALSE(g.sample(16, 0).has_value());  // nearest cell is nodata
  auto v = g.sample(14, 0);                   // nearest is the valid middle cell: its value, not NaN
  ASSERT_TRUE(v.has_value());
  EXPECT_NEAR(*v, 10.0, 1e-6);
  EXPECT_NEAR(*g.sample(5, 0), 5.0, 1e-6);
  EXPECT_EQ(g.validCount(), 2u);
  auto range = g.valueRange();
  ASSERT_TRUE(range.has_value());
  EXPECT_FLOAT_EQ(range->first, 0.0f);
  EXPECT_FLOAT_EQ(range->second, 10.0f);
  for (float& value : g.values) value = kNaN;
  EXPECT_FALSE(g.valueRange().has_value());
}

double shadeAt(const RgbaImage& img, int col, int row) { return img.pixel(col, row)[0] / 255.0; }

TEST(Hillshade, FlatPlaneGivesSinAltitudeEverywhere) {
  const RasterGrid flat = gridOf(6, 5, 0, 0, 30, 30, [](double, double) { return 12.0; });
  for (double altitude : {45.0, 30.0, 70.0}) {
    const RgbaImage img = hillshade(flat, 315, altitude);
    ASSERT_TRUE(img.valid());
    EXPECT_EQ(img.width, 6);
    EXPECT_EQ(img.height, 5);
    const double expected = std::sin(altitude * std::numbers::pi / 180.0);
    for (int r = 0; r < img.height; ++r)
      for (int c = 0; c < img.width; ++c) {
        EXPECT_NEAR(shadeAt(img, c, r), expected, 0.5 / 255 + 1e-9);
        EXPECT_EQ(img.pixel(c, r)[3], 255);
      }
  }
}

TEST(Hillshade, TiltedPlaneGivesTheExpectedUniformShade) {
  // z = a x + b y: the normal is (-a, -b, 1) / |.|; light from azimuth 315 at altitude 45.
  const double a = 0.3, b = -0.2;
  const RasterGrid tilted = gridOf(7, 7, 0, 0, 10, 20, [&](double x, double y) { return a * x + b * y; });
  const double az = 315 * std::numbers::pi / 180, alt = 45 * std::numbers::pi / 180;
  const double lx = std::sin(az) * std::cos(alt), ly = std::cos(az) * std::cos(alt), lz = std::sin(alt);
  const double expected = (-a * lx - b * ly + lz) / std::sqrt(a * a + b * b + 1);
  const RgbaImage img = hillshade(tilted, 315, 45);
  // Interior cells (edges replicate their neighbours, which flattens the gradient there).
  for (int r = 1; r < 6; ++r)
    for (int c = 1; c < 6; ++c) EXPECT_NEAR(shadeAt(img, c, r), expected, 0.5 / 255 + 1e-9) << c << "," << r;
  // A slope facing the light is brighter than flat ground, one facing away darker; zFactor steepens it.
  const RasterGrid eastUp = gridOf(5, 5, 0, 0, 10, 10, [](double x, double) { return 0.5 * x; });
  EXPECT_GT(shadeAt(hillshade(eastUp, 315, 45), 2, 2), std::sin(alt));   // faces west: lit from the north-west
  EXPECT_LT(shadeAt(hillshade(eastUp, 135, 45), 2, 2), std::sin(alt));   // light from the south-east
  const double steeper = shadeAt(hillshade(eastUp, 135, 45, 3.0), 2, 2);
  EXPECT_LT(steeper, shadeAt(hillshade(eastUp, 135, 45), 2, 2));
}

TEST(Hillshade, NodataCellsAreTransparent) {
  RasterGrid g = gridOf(3, 3, 0, 0, 10, 10, [](double, double) { return 5.0; });
  g.at(1, 1) = kNaN;
  const RgbaImage img = hillshade(g);
  EXPECT_EQ(img.pixel(1, 1)[3], 0);
  EXPECT_EQ(img.pixel(0, 0)[3], 255);
  EXPECT_NEAR(shadeAt(img, 0, 0), std::sin(std::numbers::pi / 4), 0.5 / 255 + 1e-9);  // hole adds no slope
}

TEST(HeightField, InterpolatesOnTheTerrainMeshAndScales) {
  auto grid = std::make_shared<RasterGrid>(gridOf(2, 2, 0, 0, 10, 10, [](double, double) { return 0.0; }));
  grid->at(1, 1) = 8;  // only the north-east corner is raised
  const auto hf = HeightField::create(grid, 2.0);
  EXPECT_DOUBLE_EQ(hf->cellSize(), 10);
  // On the south-west -> north-east diagonal: linear along it.
  EXPECT_NEAR(hf->heightAt(5, 5), 8.0, 1e-9);  // (0 + 8) / 2 * 2
  // In the south-east triangle (u >= v): z = u*(z10-z00) + v*(z11-z10) = v * 8.
  EXPECT_NEAR(hf->heightAt(8, 2), 0.2 * 8 * 2, 1e-9);
  // In the north-west triangle: z = v*(z01-z00) + u*(z11-z01) = u * 8.
  EXPECT_NEAR(hf->heightAt(2, 8), 0.2 * 8 * 2, 1e-9);
  EXPECT_DOUBLE_EQ(hf->heightAt(100, 100, -7.0), -7.0);  // outside: the fallback
  EXPECT_FALSE(hf->sample(100, 100).has_value());
  grid->at(0, 0) = kNaN;  // shared grid: the field sees it (grids are treated as immutable once shared)
  EXPECT_FALSE(hf->sample(2, 8).has_value());
  EXPECT_DOUBLE_EQ(hf->heightAt(2, 8, 1.5), 1.5);
  EXPECT_FALSE(HeightField(nullptr).sample(0, 0).has_value());
}

TEST(HeightField, DrapeSplitsSegmentsAtEveryMeshEdgeAndLiftsThemOntoTheSurface) {
  // A bumpy 5 x 5 grid, 10 m cells, centres at 0..40.
  auto grid = std::make_shared<const RasterGrid>(
      gridOf(5, 5, 0, 0, 10, 10, [](double x, double y) { return std::sin(x * 0.3) * 4 + std::cos(y * 0.2) * 3; }));
  const auto hf = HeightField::create(grid, 1.5);
  const std::vector<Vec3d> line{{1, 2, 0}, {38, 33, 0}};
  const auto draped = hf->drape(line, false, 0.5);
  // Grid coordinates (0.1, 0.2) -> (3.8, 3.3): it crosses column lines 1..3, row lines 1..3 and one diagonal
  // (gx - gy goes from -0.1 to 0.5): 2 + 7 vertices.
  ASSERT_EQ(draped.size(), 9u);
  EXPECT_DOUBLE_EQ(draped.front().x, 1);
  EXPECT_DOUBLE_EQ(draped.back().x, 38);
  for (const Vec3d& p : draped) EXPECT_NEAR(p.z, hf->heightAt(p.x, p.y) + 0.5, 1e-9);
  // No piece of the draped line leaves the mesh surface: midpoints of consecutive vertices lie on it too (each
  // piece is inside one triangle, where the surface is linear).
  for (std::size_t i = 0; i + 1 < draped.size(); ++i) {
    const Vec3d m{(draped[i].x + draped[i + 1].x) / 2, (draped[i].y + draped[i + 1].y) / 2,
                  (draped[i].z + draped[i + 1].z) / 2};
    EXPECT_NEAR(m.z, hf->heightAt(m.x, m.y) + 0.5, 1e-6) << i;
    EXPECT_LE(std::hypot(draped[i + 1].x - draped[i].x, draped[i + 1].y - draped[i].y), 10 * std::sqrt(2.0) + 1e-9);
  }
  // A closed ring is densified on its closing edge too and stays open.
  const std::vector<Vec3d> ring{{5, 5, 0}, {35, 5, 0}, {35, 35, 0}};
  const auto drapedRing = hf->drape(ring, true, 0.0);
  EXPECT_GT(drapedRing.size(), 3u + 3 + 3 + 3);
  EXPECT_EQ(drapedRing.front().x, 5);
  EXPECT_NE(drapedRing.back().x, drapedRing.front().x);
  // A segment entirely outside the grid is not densified; its points keep their own z, plus the offset.
  const std::vector<Vec3d> outside{{-100, -100, 3}, {-50, -100, 3}};
  const auto drapedOutside = hf->drape(outside, false, 1.0);
  ASSERT_EQ(drapedOutside.size(), 2u);
  EXPECT_DOUBLE_EQ(drapedOutside[0].z, 4.0);
}

}  // namespace
}  // namespace gt
