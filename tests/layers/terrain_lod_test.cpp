#include "../../layers/src/terrain_lod.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

namespace gt::layers::detail {
namespace {

// A width x height DEM of 10 m cells, south-west centre at (0, 0), every cell `z`.
RasterGrid flatDem(int width, int height, float z = 0.0f) {
  RasterGrid g;
  g.dx = g.dy = 10;
  g.width = width;
  g.height = height;
  g.values.assign(g.cellCount(), z);
  return g;
}

// The 20 x 12 DEM of the terrain layer's tests: gentle relief (7..33 m), no two neighbours equal.
RasterGrid reliefDem() {
  RasterGrid g = flatDem(20, 12);
  g.x0 = -95;
  g.y0 = -55;
  for (int r = 0; r < g.height; ++r) {
    for (int c = 0; c < g.width; ++c) {
      g.at(c, r) = static_cast<float>(20.0 + 8.0 * std::sin(g.cellX(c) / 30.0) + 5.0 * std::cos(g.cellY(r) / 25.0));
    }
  }
  return g;
}

const TerrainLodTile& tileAt(const TerrainLod& lod, int level, int tileCol, int tileRow) {
  for (const TerrainLodTile& t : lod.tiles) {
    if (t.level == level && t.tileCol == tileCol && t.tileRow == tileRow) return t;
  }
  ADD_FAILURE() << "no tile L" << level << " " << tileCol << "," << tileRow;
  return lod.tiles.front();
}

int countLevel(const TerrainLod& lod, int level) {
  int n = 0;
  for (const TerrainLodTile& t : lod.tiles) n += t.level == level ? 1 : 0;
  return n;
}

TEST(TerrainLod, LevelsHalveTheDensityAndTheLastColumnAndRowAreAlwaysKept) {
  // 19 x 11 quads in tiles of 4: 4 * 2^3 = 32 >= 19, so 4 levels.
  const TerrainLod lod = buildTerrainLod(reliefDem(), 1.0, 4);
  EXPECT_EQ(lod.levels, 4);
  EXPECT_EQ(countLevel(lod, 0), 5 * 3);  // ceil(19 / 4) x ceil(11 / 4)
  EXPECT_EQ(countLevel(lod, 1), 3 * 2);  // 8 quads a tile
  EXPECT_EQ(countLevel(lod, 2), 2 * 1);  // 16
  EXPECT_EQ(countLevel(lod, 3), 1);      // 32: the root
  const TerrainLodTile& root = lod.tiles.at(static_cast<std::size_t>(lod.root));
  EXPECT_EQ(root.level, 3);
  EXPECT_EQ(root.cols, (std::vector<int>{0, 8, 16, 19}));
  EXPECT_EQ(root.rows, (std::vector<int>{0, 8, 11}));
  // A level-1 tile at the east edge: columns 16, 18 and the last one, 19.
  EXPECT_EQ(tileAt(lod, 1, 2, 0).cols, (std::vector<int>{16, 18, 19}));
  EXPECT_EQ(tileAt(lod, 1, 2, 0).rows, (std::vector<int>{0, 2, 4, 6, 8}));
  // Children are the quarters that exist, one level down; parents come before them.
  for (std::size_t i = 0; i < lod.tiles.size(); ++i) {
    for (int child : lod.tiles[i].children) {
      if (child < 0) continue;
      EXPECT_GT(child, static_cast<int>(i));
      EXPECT_EQ(lod.tiles[static_cast<std::size_t>(child)].level, lod.tiles[i].level - 1);
    }
  }
  EXPECT_EQ(root.children, (std::array<int, 4>{root.children[0], root.children[1], -1, -1}));  // 2 x 1 at level 2
}

TEST(TerrainLod, TheFinestLevelIsTheDemAtEveryCellCornerWithNoError) {
  const RasterGrid dem = reliefDem();
  const TerrainLod lod = buildTerrainLod(dem, 3.0, 4);
  std::size_t vertices = 0;
  for (const TerrainLodTile& t : lod.tiles) {
    if (t.level != 0) continue;
    EXPECT_EQ(t.shift, 0.0f);
    EXPECT_EQ(t.error, 0.0f);
    for (std::size_t j = 0; j < t.rows.size(); ++j) {
      for (std::size_t i = 0; i < t.cols.size(); ++i) {
        EXPECT_EQ(t.heightAt(static_cast<int>(i), static_cast<int>(j)),
                  static_cast<float>(dem.at(t.cols[i], t.rows[j]) * 3.0));
        ++vertices;
      }
    }
  }
  // Tiles share their border vertices: columns 5 + 5 + 5 + 5 + 4, rows 5 + 5 + 4.
  EXPECT_EQ(vertices, (5u * 4u + 4u) * (5u * 2u + 4u));
}

TEST(TerrainLod, ABumpBetweenCoarseVerticesIsTheErrorAndAPeakOnOneLowersTheTile) {
  // 5 x 5 cells (4 x 4 quads) in tiles of 2: the root takes columns and rows 0, 2, 4.
  RasterGrid bump = flatDem(5, 5);
  bump.at(1, 1) = 4;  // not a root vertex: the root is flat, 4 m below the true ground there
  const TerrainLod a = buildTerrainLod(bump, 1.0, 2);
  ASSERT_EQ(a.levels, 2);
  const TerrainLodTile& rootA = a.tiles.at(static_cast<std::size_t>(a.root));
  EXPECT_FLOAT_EQ(rootA.shift, 0.0f);
  EXPECT_FLOAT_EQ(rootA.error, 4.0f);
  EXPECT_FLOAT_EQ(rootA.heightAt(1, 1), 0.0f);
  EXPECT_FLOAT_EQ(a.maxError, 4.0f);
  // Vertical scale 3: the same in metres of the scaled ground.
  EXPECT_FLOAT_EQ(buildTerrainLod(bump, 3.0, 2).maxError, 12.0f);

  RasterGrid peak = flatDem(5, 5);
  peak.at(2, 2) = 4;  // a root vertex: its triangles rise above the true ground halfway to the next vertex, by 2 m
  const TerrainLod b = buildTerrainLod(peak, 1.0, 2);
  const TerrainLodTile& rootB = b.tiles.at(static_cast<std::size_t>(b.root));
  EXPECT_FLOAT_EQ(rootB.shift, 2.0f);
  EXPECT_FLOAT_EQ(rootB.error, 2.0f);  // lowered by 2: the peak is 2 below the truth, the plain 2 below it
  EXPECT_FLOAT_EQ(rootB.heightAt(1, 1), 2.0f);
  EXPECT_FLOAT_EQ(rootB.heightAt(0, 0), -2.0f);
  EXPECT_FLOAT_EQ(rootB.box.minZ, -2.0f);
  EXPECT_FLOAT_EQ(rootB.box.maxZ, 4.0f);
}

// Drawn height of tile t at DEM point (c, r) inside it, by the tile's SW-NE split; NaN under an undrawn triangle.
double drawnAt(const TerrainLodTile& t, int c, int r) {
  std::size_t i = 0, j = 0;
  while (i + 2 < t.cols.size() && t.cols[i + 1] <= c) ++i;
  while (j + 2 < t.rows.size() && t.rows[j + 1] <= r) ++j;
  const double u = static_cast<double>(c - t.cols[i]) / (t.cols[i + 1] - t.cols[i]);
  const double v = static_cast<double>(r - t.rows[j]) / (t.rows[j + 1] - t.rows[j]);
  const int ii = static_cast<int>(i), jj = static_cast<int>(j);
  const double z00 = t.heightAt(ii, jj), z10 = t.heightAt(ii + 1, jj);
  const double z01 = t.heightAt(ii, jj + 1), z11 = t.heightAt(ii + 1, jj + 1);
  return u >= v ? z00 + u * (z10 - z00) + v * (z11 - z10) : z00 + v * (z01 - z00) + u * (z11 - z01);
}

TEST(TerrainLod, EveryLevelStaysBelowTheTrueGroundByAtMostItsError) {
  const RasterGrid dem = reliefDem();
  const TerrainLod lod = buildTerrainLod(dem, 2.0, 2);
  ASSERT_EQ(lod.levels, 5);
  int coarseWithError = 0;
  for (const TerrainLodTile& t : lod.tiles) {
    for (int r = t.rows.front(); r <= t.rows.back(); ++r) {
      for (int c = t.cols.front(); c <= t.cols.back(); ++c) {
        const double truth = dem.at(c, r) * 2.0;
        const double drawn = drawnAt(t, c, r);
        EXPECT_LE(drawn, truth + 1e-3) << "L" << t.level << " at " << c << "," << r;
        EXPECT_GE(drawn, truth - t.error - 1e-3) << "L" << t.level << " at " << c << "," << r;
        EXPECT_GE(drawn, t.box.minZ - 1e-3);
        EXPECT_LE(truth, t.box.maxZ + 1e-3);
      }
    }
    coarseWithError += t.level > 0 && t.error > 0.1f ? 1 : 0;
    EXPECT_GE(lod.maxError, t.error);
  }
  EXPECT_EQ(coarseWithError, static_cast<int>(lod.tiles.size()) - countLevel(lod, 0));
}

TEST(TerrainLod, NodataCornersLeaveTrianglesOut) {
  RasterGrid dem = flatDem(5, 5, 1.0f);
  dem.at(2, 2) = std::numeric_limits<float>::quiet_NaN();
  const TerrainLod lod = buildTerrainLod(dem, 1.0, 2);
  // Level 0: 4 tiles of 2 x 2 quads, 32 triangles; the centre vertex touches 6 (2 + 1 + 1 + 2, as the layer's).
  std::uint32_t fine = 0;
  for (const TerrainLodTile& t : lod.tiles) fine += t.level == 0 ? t.triangles : 0;
  EXPECT_EQ(fine, 32u - 6u);
  // The root's centre vertex is the same cell: 6 of its 8 triangles go.
  const TerrainLodTile& root = lod.tiles.at(static_cast<std::size_t>(lod.root));
  EXPECT_TRUE(root.hasNodata);
  EXPECT_EQ(root.triangles, 2u);
  EXPECT_FLOAT_EQ(root.error, 0.0f);  // what it draws is flat and right
}

TEST(TerrainLod, ScreenSpaceErrorIsErrorTimesPixelsPerRadianOverDistance) {
  EXPECT_DOUBLE_EQ(screenSpaceErrorPx(10.0, 1000.0, 500.0), 5.0);
  EXPECT_DOUBLE_EQ(screenSpaceErrorPx(10.0, 2000.0, 500.0), 2.5);
  EXPECT_DOUBLE_EQ(screenSpaceErrorPx(0.0, 0.0, 500.0), 0.0);
  EXPECT_TRUE(std::isinf(screenSpaceErrorPx(1.0, 0.0, 500.0)));
  TerrainBox box{0, 0, 0, 100, 100, 10};
  EXPECT_DOUBLE_EQ(distanceToBox(box, 50, 50, 5), 0.0);       // inside
  EXPECT_DOUBLE_EQ(distanceToBox(box, 50, 50, 40), 30.0);     // above
  EXPECT_DOUBLE_EQ(distanceToBox(box, 130, 140, 10), 50.0);   // off a corner: 3-4-5
}

TEST(TerrainLod, SelectionRefinesWhereTheErrorWouldCoverMoreThanTheLimit) {
  // The bump DEM: root error 4 m, its four children exact. 1000 px a radian, at most 2 px: refine closer than 2000 m.
  RasterGrid bump = flatDem(5, 5);
  bump.at(1, 1) = 4;
  const TerrainLod lod = buildTerrainLod(bump, 1.0, 2);
  const TerrainLodTile& root = lod.tiles.at(static_cast<std::size_t>(lod.root));
  ASSERT_FLOAT_EQ(root.box.maxZ, 4.0f);
  EXPECT_TRUE(shouldRefine(root, 20, 20, 4 + 1999, 1000, 2));
  EXPECT_FALSE(shouldRefine(root, 20, 20, 4 + 2001, 1000, 2));
  EXPECT_FALSE(shouldRefine(root, 20, 20, 4 + 1999, 1000, 2, 1.01));  // LOD scale: as if 2019 m away
  EXPECT_FALSE(shouldRefine(root, 40 + 2001, 20, 0, 1000, 2));        // beside the box, east
  EXPECT_EQ(selectTerrainTiles(lod, 20, 20, 2003, 1000, 2), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(selectTerrainTiles(lod, 20, 20, 2005, 1000, 2), (std::vector<int>{lod.root}));
  // A tile with no error never gives way to children that would draw the same.
  const TerrainLod flat = buildTerrainLod(flatDem(5, 5), 1.0, 2);
  EXPECT_EQ(selectTerrainTiles(flat, 20, 20, 1, 1000, 2), (std::vector<int>{flat.root}));
}

TEST(TerrainLod, AFarEyeSelectsCoarseTilesANearOneTheFinestAndBothCoverTheGroundOnce) {
  const RasterGrid dem = reliefDem();
  const TerrainLod lod = buildTerrainLod(dem, 1.0, 4);
  auto triangles = [&](const std::vector<int>& tiles) {
    std::uint32_t n = 0;
    for (int i : tiles) n += lod.tiles[static_cast<std::size_t>(i)].triangles;
    return n;
  };
  // Each selection covers the DEM's quads exactly once: the tiles' areas sum to the whole, and no two overlap.
  auto coversOnce = [&](const std::vector<int>& tiles) {
    double area = 0;
    for (std::size_t a = 0; a < tiles.size(); ++a) {
      const TerrainBox& ba = lod.tiles[static_cast<std::size_t>(tiles[a])].box;
      area += (ba.maxX - ba.minX) * (ba.maxY - ba.minY);
      for (std::size_t b = a + 1; b < tiles.size(); ++b) {
        const TerrainBox& bb = lod.tiles[static_cast<std::size_t>(tiles[b])].box;
        const double ox = std::min(ba.maxX, bb.maxX) - std::max(ba.minX, bb.minX);
        const double oy = std::min(ba.maxY, bb.maxY) - std::max(ba.minY, bb.minY);
        if (ox > 0 && oy > 0) return false;
      }
    }
    return std::abs(area - 190.0 * 110.0) < 1e-6;
  };
  const double ppr = 900 / (2 * std::tan(20.0 * std::acos(-1.0) / 180));  // 900 px high, 40 degrees
  const std::vector<int> far = selectTerrainTiles(lod, 0, 0, 100000, ppr, 2);
  EXPECT_EQ(far, (std::vector<int>{lod.root}));
  EXPECT_EQ(triangles(far), 2u * 3u * 2u);  // 3 x 2 quads at stride 8
  // 40 m high over the south-west corner (the ground is 7..33 m): the tiles there are the finest, farther ones coarser.
  const std::vector<int> near = selectTerrainTiles(lod, -95, -55, 40, ppr, 2);
  EXPECT_EQ(lod.tiles[static_cast<std::size_t>(near.front())].level, 0);
  bool southWestFinest = false;
  for (int i : near) {
    const TerrainLodTile& t = lod.tiles[static_cast<std::size_t>(i)];
    southWestFinest = southWestFinest || (t.level == 0 && t.tileCol == 0 && t.tileRow == 0);
  }
  EXPECT_TRUE(southWestFinest);
  EXPECT_GT(triangles(near), 10 * triangles(far));
  EXPECT_TRUE(coversOnce(far));
  EXPECT_TRUE(coversOnce(near));
  const std::vector<int> middle = selectTerrainTiles(lod, 0, 0, 2000, ppr, 2);
  EXPECT_TRUE(coversOnce(middle));
  EXPECT_LT(triangles(middle), triangles(near));
}

}  // namespace
}  // namespace gt::layers::detail
