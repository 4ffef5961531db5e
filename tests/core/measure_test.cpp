#include "greentwin/core/measure.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

namespace gt {
namespace {

// A plane rising `slope` metres per metre eastward, 10 m cells over 0..2000 m x 0..1000 m (linear on every
// triangle of the mesh, so the draped path is exact).
std::shared_ptr<const HeightField> slope(double slope, double verticalScale = 1.0) {
  auto grid = std::make_shared<RasterGrid>();
  grid->x0 = 0;
  grid->y0 = 0;
  grid->dx = 10;
  grid->dy = 10;
  grid->width = 201;
  grid->height = 101;
  grid->values.resize(grid->cellCount());
  for (int row = 0; row < grid->height; ++row) {
    for (int col = 0; col < grid->width; ++col) grid->at(col, row) = static_cast<float>(slope * grid->cellX(col));
  }
  return HeightField::create(grid, verticalScale);
}

TEST(MeasurePath, AKilometreSegmentOnFlatGroundAndWithoutGround) {
  const std::vector<Vec3d> path{{100, 100, 0}, {1100, 100, 0}};
  const PathMeasure bare = measurePath(path, nullptr);
  EXPECT_DOUBLE_EQ(bare.horizontalM, 1000.0);
  EXPECT_DOUBLE_EQ(bare.surfaceM, 1000.0);
  const auto flat = slope(0.0);
  const PathMeasure onFlat = measurePath(path, flat.get());
  EXPECT_NEAR(onFlat.surfaceM, 1000.0, 1e-6);
  EXPECT_NEAR(onFlat.climbM, 0.0, 1e-9);
}

TEST(MeasurePath, UpASlopeTheGroundIsLongerAndTheClimbCounted) {
  const auto ground = slope(0.1);  // 10 % up to the east
  const std::vector<Vec3d> there{{100, 500, 0}, {1100, 500, 0}};
  const PathMeasure up = measurePath(there, ground.get());
  EXPECT_NEAR(up.horizontalM, 1000.0, 1e-9);
  EXPECT_NEAR(up.surfaceM, std::sqrt(1000.0 * 1000.0 + 100.0 * 100.0), 1e-3);
  EXPECT_NEAR(up.climbM, 100.0, 1e-3);
  EXPECT_NEAR(up.descentM, 0.0, 1e-9);
  // There and back along a diagonal: both ways counted; across the slope (north) nothing climbs.
  const std::vector<Vec3d> back{{100, 100, 0}, {700, 900, 0}, {100, 100, 0}};
  const PathMeasure round = measurePath(back, ground.get());
  EXPECT_NEAR(round.horizontalM, 2000.0, 1e-9);
  EXPECT_NEAR(round.climbM, 60.0, 1e-3);
  EXPECT_NEAR(round.descentM, 60.0, 1e-3);
  EXPECT_NEAR(round.surfaceM, 2 * std::sqrt(1000.0 * 1000.0 + 60.0 * 60.0), 1e-3);
  // Terrain drawn three times as high (the demo's vertical_scale): the real slope is measured all the same.
  const auto exaggerated = slope(0.1, 3.0);
  const PathMeasure real = measurePath(there, exaggerated.get());
  EXPECT_NEAR(real.surfaceM, up.surfaceM, 1e-3);
  EXPECT_NEAR(real.climbM, 100.0, 1e-3);
  const std::vector<Vec3d> across{{500, 100, 0}, {500, 900, 0}};
  EXPECT_NEAR(measurePath(across, ground.get()).surfaceM, 800.0, 1e-6);
}

TEST(MeasureArea, AHectareSquareAndAnLShape) {
  const std::vector<Vec3d> square{{0, 0, 5}, {100, 0, 9}, {100, 100, 2}, {0, 100, 0}};
  auto m = measureArea(square);
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_DOUBLE_EQ(m->areaM2, 10'000.0);  // horizontal: heights do not count
  EXPECT_DOUBLE_EQ(m->perimeterM, 400.0);
  // Clockwise, closed with a repeated first point, and a doubled vertex (a double click): the same square.
  const std::vector<Vec3d> clockwise{{0, 0, 0}, {0, 100, 0}, {0, 100, 0}, {100, 100, 0}, {100, 0, 0}, {0, 0, 0}};
  auto c = measureArea(clockwise);
  ASSERT_TRUE(c) << c.status().message();
  EXPECT_DOUBLE_EQ(c->areaM2, 10'000.0);
  const std::vector<Vec3d> ell{{0, 0, 0}, {200, 0, 0}, {200, 100, 0}, {100, 100, 0}, {100, 300, 0}, {0, 300, 0}};
  auto l = measureArea(ell);
  ASSERT_TRUE(l);
  EXPECT_DOUBLE_EQ(l->areaM2, 200.0 * 100 + 100.0 * 200);
  EXPECT_DOUBLE_EQ(l->perimeterM, 200 + 100 + 100 + 200 + 100 + 300);
  // Far from the origin (scene coordinates of a district): no loss of precision.
  std::vector<Vec3d> far = square;
  for (Vec3d& p : far) p = {p.x + 512'345.0, p.y + 4'412'345.0, p.z};
  EXPECT_NEAR(measureArea(far)->areaM2, 10'000.0, 1e-6);
}

TEST(MeasureArea, RefusesTooFewPointsALineAndACrossedOutline) {
  const std::vector<Vec3d> two{{0, 0, 0}, {10, 0, 0}, {10, 0, 0}};
  EXPECT_NE(measureArea(two).status().message().find("at least three distinct points, got 2"), std::string::npos);
  const std::vector<Vec3d> line{{0, 0, 0}, {10, 10, 0}, {20, 20, 0}};
  EXPECT_NE(measureArea(line).status().message().find("on one line"), std::string::npos);
  const std::vector<Vec3d> bowtie{{0, 0, 0}, {100, 100, 0}, {100, 0, 0}, {0, 100, 0}};
  EXPECT_NE(measureArea(bowtie).status().message().find("crosses itself (edges 1 and 3)"), std::string::npos);
}

TEST(MeasureHeight, ABuildingOnSlopedGroundStandsOnItsBase) {
  // A 36 m building whose box stands on the terrain under its centroid (a 10 % slope: 50 m there); a roof click
  // at its east edge is 36 m above the base, not above the (higher) ground under the click.
  const auto ground = slope(0.1);
  const double base = ground->heightAt(500, 500);
  EXPECT_NEAR(base, 50.0, 1e-4);
  const auto height = heightAbove(base + 36.0, base);
  ASSERT_TRUE(height);
  EXPECT_NEAR(*height, 36.0, 1e-9);
  EXPECT_NEAR(ground->heightAt(520, 500), 52.0, 1e-4);
  EXPECT_NE(heightAbove(10.0, 12.5).status().message().find("2.50 m below the ground"), std::string::npos);
  EXPECT_FALSE(heightAbove(std::nan(""), 0.0));
}

TEST(MeasureFormat, UnitsPlannersRead) {
  EXPECT_EQ(formatLength(1234.56), "1,234.6 m");
  EXPECT_EQ(formatLength(23456.0), "23.46 km");
  EXPECT_EQ(formatLength(0.0), "0.0 m");
  EXPECT_EQ(formatArea(850.4), "850 m²");
  EXPECT_EQ(formatArea(12'345.0), "1.23 ha");
  EXPECT_EQ(formatArea(4'560'000.0), "4.56 km²");
  EXPECT_EQ(formatSquareMetres(12'345.4), "12,345 m²");
}

}  // namespace
}  // namespace gt
