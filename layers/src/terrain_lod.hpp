#pragma once
// The terrain's levels of detail, without OSG: a quadtree of tiles over a DEM, each tile's heights and geometric
// error, and which tiles a camera needs (screen-space error). terrain_tiles.cpp turns the tree into scene nodes.
//
// Every tile, at every level, is a grid of at most tileCells x tileCells quads. Level 0 is the finest: its vertices
// are the DEM's cell centres, one per cell (exactly the mesh HeightField describes). A tile of level L takes every
// 2^L-th column and row of the DEM (the grid's last column and row always, so every level covers the same ground);
// its four children, at level L - 1, cover its quarters at twice the density. The root covers the whole DEM.
//
// A coarse tile leaves out DEM points, so its surface is off the true one between its vertices. Its geometric error
// is measured at every DEM point it covers, against the surface it would draw (same SW-NE diagonal split), and the
// tile is lowered by the most it rises above the true surface (`shift`): drawn coarse ground never hides what is
// clamped to the true ground (roads 0.5 m above it, depth-tested), and 0 <= true - drawn <= error everywhere.
//
// Selection (as osgEarth's and Cesium's terrain engines): a tile is refined (its children drawn instead) while its
// error, seen from the eye at the distance of the nearest point of its box, would cover more than maxErrorPx pixels:
//   error * pixelsPerRadian / distance > maxErrorPx
// pixelsPerRadian = viewportHeight / (2 tan(fovY / 2)) (the projection's scale), so the choice depends on the eye and
// the pixel density only: a wall tile's off-axis frustum picks the same tiles as the whole canvas does.

#include <array>
#include <cstdint>
#include <vector>

#include "greentwin/core/raster.hpp"

namespace gt::layers::detail {

struct TerrainBox {
  double minX = 0, minY = 0, minZ = 0;
  double maxX = 0, maxY = 0, maxZ = 0;
};

struct TerrainLodTile {
  int level = 0;     // 0: the finest (DEM cells); each level up halves the density
  int tileCol = 0;   // the tile's column and row among the tiles of its level (0, 0: south-west)
  int tileRow = 0;
  std::vector<int> cols;  // DEM columns of the tile's vertex columns, west to east (consecutive ones are 2^level apart,
  std::vector<int> rows;  // but the last, which is the grid's last column); DEM rows of its vertex rows, south to north
  // Heights of the vertices (row-major, cols.size() per row), scaled and lowered by `shift`; NaN where the DEM is
  // nodata (no triangle uses such a vertex).
  std::vector<float> heights;
  float shift = 0;   // metres the tile was lowered (0 at level 0)
  float error = 0;   // metres: the most the drawn surface is below the true one at a DEM point (0 at level 0)
  TerrainBox box;    // the ground the tile stands for: its extent, from its lowest drawn to the highest true height
  std::uint32_t triangles = 0;                // drawn (both corners of the split quad's triangle have data)
  std::array<int, 4> children{-1, -1, -1, -1};  // indices into TerrainLod::tiles; -1: none (level 0, or off the grid)
  bool hasNodata = false;  // a vertex is nodata: its triangles differ from the full grid's

  int vertexCount() const { return static_cast<int>(cols.size() * rows.size()); }
  float heightAt(int i, int j) const { return heights[static_cast<std::size_t>(j) * cols.size() + i]; }
  // The triangles of the quad whose south-west vertex is (i, j): south-east (i,j)-(i+1,j)-(i+1,j+1) and north-west
  // (i,j)-(i+1,j+1)-(i,j+1), each when its three corners have data.
  bool hasSouthEast(int i, int j) const;
  bool hasNorthWest(int i, int j) const;
};

struct TerrainLod {
  std::vector<TerrainLodTile> tiles;  // parents before their children; tiles[root] covers the whole DEM
  int root = -1;
  int levels = 0;        // level of the root + 1
  float maxError = 0;    // over every tile: how far apart two neighbouring tiles' edges can be, at most
  GridGeometry grid;     // the DEM's: where a tile's vertex columns and rows lie
};

// The tree over `dem` (valid, at least 2 x 2 cells), heights times verticalScale, tiles of tileCells quads a side
// (>= 1). Runs on the loader thread: one pass over the DEM per level.
TerrainLod buildTerrainLod(const RasterGrid& dem, double verticalScale, int tileCells);

// Distance from `eye` to the nearest point of `box` (0 inside it).
double distanceToBox(const TerrainBox& box, double x, double y, double z);

// Pixels an error of errorM metres covers at distanceM from the eye (distance <= 0: infinitely many, unless the error
// is 0).
double screenSpaceErrorPx(double errorM, double distanceM, double pixelsPerRadian);

// Whether `tile` should give way to its children for an eye at (x, y, z); lodScale multiplies the distance (OSG's LOD
// scale: > 1 coarser). A tile without children, or with error 0 (its children would draw the same), never refines.
bool shouldRefine(const TerrainLodTile& tile, double x, double y, double z, double pixelsPerRadian, double maxErrorPx,
                  double lodScale = 1.0);

// The tiles drawn for an eye at (x, y, z), ignoring the view frustum (the cull traversal also drops tiles outside it):
// indices into lod.tiles, each part of the ground covered by exactly one.
std::vector<int> selectTerrainTiles(const TerrainLod& lod, double x, double y, double z, double pixelsPerRadian,
                                    double maxErrorPx);

}  // namespace gt::layers::detail
