#include "terrain_lod.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace gt::layers::detail {
namespace {

// The DEM's height at (col, row) as the finest level draws it: value * verticalScale, NaN for nodata. The same
// float expression as HeightField's mesh and the layer's old single-level mesh.
float scaledHeight(const RasterGrid& dem, double verticalScale, int col, int row) {
  const float z = dem.at(col, row);
  return std::isnan(z) ? z : static_cast<float>(z * verticalScale);
}

// Vertex columns (or rows) of a tile starting at `first` with `stride` between vertices and up to `cells` quads, on
// a grid whose last index is `last`: first, first + stride, ..., and `last` when the tile reaches it.
std::vector<int> vertexLine(int first, int stride, int cells, int last) {
  std::vector<int> out;
  const int end = std::min(first + cells * stride, last);
  for (int k = first; k < end; k += stride) out.push_back(k);
  out.push_back(end);
  return out;
}

class Builder {
 public:
  Builder(const RasterGrid& dem, double verticalScale, int tileCells)
      : dem_(dem), scale_(verticalScale), cells_(tileCells) {}

  TerrainLod build() {
    const int quads = std::max(dem_.width, dem_.height) - 1;
    int top = 0;
    while (static_cast<long long>(cells_) << top < quads) ++top;
    lod_.levels = top + 1;
    lod_.grid = dem_;
    lod_.root = addTile(top, 0, 0);
    for (const TerrainLodTile& t : lod_.tiles) lod_.maxError = std::max(lod_.maxError, t.error);
    return std::move(lod_);
  }

 private:
  // Adds the tile and, depth first, its children; returns its index.
  int addTile(int level, int tileCol, int tileRow) {
    const int stride = 1 << level;
    TerrainLodTile t;
    t.level = level;
    t.tileCol = tileCol;
    t.tileRow = tileRow;
    t.cols = vertexLine(tileCol * cells_ * stride, stride, cells_, dem_.width - 1);
    t.rows = vertexLine(tileRow * cells_ * stride, stride, cells_, dem_.height - 1);
    t.heights.reserve(static_cast<std::size_t>(t.vertexCount()));
    for (int r : t.rows) {
      for (int c : t.cols) {
        t.heights.push_back(scaledHeight(dem_, scale_, c, r));
        t.hasNodata = t.hasNodata || std::isnan(t.heights.back());
      }
    }
    measure(t);
    const int index = static_cast<int>(lod_.tiles.size());
    lod_.tiles.push_back(std::move(t));
    if (level > 0) {
      const int childCells = cells_ * (stride / 2);  // DEM quads a child spans
      int k = 0;
      for (int dy = 0; dy < 2; ++dy) {
        for (int dx = 0; dx < 2; ++dx) {
          const int cc = 2 * tileCol + dx, cr = 2 * tileRow + dy;
          if (cc * childCells >= dem_.width - 1 || cr * childCells >= dem_.height - 1) continue;  // off the grid
          const int child = addTile(level - 1, cc, cr);
          lod_.tiles[static_cast<std::size_t>(index)].children[static_cast<std::size_t>(k++)] = child;
        }
      }
    }
    return index;
  }

  // Error, shift, box and triangle count of `t`, whose heights are still the DEM's at its vertices: every DEM point
  // under a drawn triangle is compared with the triangle's height there (SW-NE split, as HeightField).
  void measure(TerrainLodTile& t) const {
    double above = 0;  // most the tile rises above the true surface
    double below = 0;  // most it sinks below it
    double minTrue = std::numeric_limits<double>::infinity();
    double maxTrue = -std::numeric_limits<double>::infinity();
    const int nc = static_cast<int>(t.cols.size()), nr = static_cast<int>(t.rows.size());
    for (int j = 0; j + 1 < nr; ++j) {
      for (int i = 0; i + 1 < nc; ++i) {
        const bool se = t.hasSouthEast(i, j), nw = t.hasNorthWest(i, j);
        t.triangles += (se ? 1u : 0u) + (nw ? 1u : 0u);
        if (!se && !nw) continue;
        const double z00 = t.heightAt(i, j), z10 = t.heightAt(i + 1, j);
        const double z01 = t.heightAt(i, j + 1), z11 = t.heightAt(i + 1, j + 1);
        const int ca = t.cols[static_cast<std::size_t>(i)], cb = t.cols[static_cast<std::size_t>(i) + 1];
        const int ra = t.rows[static_cast<std::size_t>(j)], rb = t.rows[static_cast<std::size_t>(j) + 1];
        for (int r = ra; r <= rb; ++r) {
          const double v = static_cast<double>(r - ra) / (rb - ra);
          for (int c = ca; c <= cb; ++c) {
            const float f = scaledHeight(dem_, scale_, c, r);
            if (std::isnan(f)) continue;
            const double u = static_cast<double>(c - ca) / (cb - ca);
            double drawn;
            if (u >= v && se) {
              drawn = z00 + u * (z10 - z00) + v * (z11 - z10);
            } else if (u <= v && nw) {
              drawn = z00 + v * (z01 - z00) + u * (z11 - z01);
            } else {
              continue;  // under a triangle that is not drawn (a nodata corner)
            }
            above = std::max(above, drawn - f);
            below = std::max(below, f - drawn);
            minTrue = std::min(minTrue, static_cast<double>(f));
            maxTrue = std::max(maxTrue, static_cast<double>(f));
          }
        }
      }
    }
    t.shift = static_cast<float>(above);
    t.error = static_cast<float>(above + below);
    double minDrawn = std::numeric_limits<double>::infinity();
    for (float& z : t.heights) {
      if (std::isnan(z)) continue;
      z -= t.shift;
      minDrawn = std::min(minDrawn, static_cast<double>(z));
    }
    t.box.minX = dem_.cellX(t.cols.front());
    t.box.maxX = dem_.cellX(t.cols.back());
    t.box.minY = dem_.cellY(t.rows.front());
    t.box.maxY = dem_.cellY(t.rows.back());
    if (std::isfinite(minTrue)) {
      t.box.minZ = std::min(minTrue, minDrawn);
      t.box.maxZ = maxTrue;
    }
  }

  const RasterGrid& dem_;
  double scale_;
  int cells_;
  TerrainLod lod_;
};

}  // namespace

bool TerrainLodTile::hasSouthEast(int i, int j) const {
  return !std::isnan(heightAt(i, j)) && !std::isnan(heightAt(i + 1, j)) && !std::isnan(heightAt(i + 1, j + 1));
}

bool TerrainLodTile::hasNorthWest(int i, int j) const {
  return !std::isnan(heightAt(i, j)) && !std::isnan(heightAt(i + 1, j + 1)) && !std::isnan(heightAt(i, j + 1));
}

TerrainLod buildTerrainLod(const RasterGrid& dem, double verticalScale, int tileCells) {
  return Builder(dem, verticalScale, tileCells).build();
}

double distanceToBox(const TerrainBox& box, double x, double y, double z) {
  const double dx = std::max({box.minX - x, 0.0, x - box.maxX});
  const double dy = std::max({box.minY - y, 0.0, y - box.maxY});
  const double dz = std::max({box.minZ - z, 0.0, z - box.maxZ});
  return std::sqrt(dx * dx + dy * dy + dz * dz);
}

double screenSpaceErrorPx(double errorM, double distanceM, double pixelsPerRadian) {
  if (errorM <= 0) return 0.0;
  if (distanceM <= 0) return std::numeric_limits<double>::infinity();
  return errorM * pixelsPerRadian / distanceM;
}

bool shouldRefine(const TerrainLodTile& tile, double x, double y, double z, double pixelsPerRadian, double maxErrorPx,
                  double lodScale) {
  if (tile.children[0] < 0 || tile.error <= 0) return false;
  const double distance = distanceToBox(tile.box, x, y, z) * lodScale;
  return screenSpaceErrorPx(tile.error, distance, pixelsPerRadian) > maxErrorPx;
}

std::vector<int> selectTerrainTiles(const TerrainLod& lod, double x, double y, double z, double pixelsPerRadian,
                                    double maxErrorPx) {
  std::vector<int> out;
  std::vector<int> stack;
  if (lod.root >= 0) stack.push_back(lod.root);
  while (!stack.empty()) {
    const int index = stack.back();
    stack.pop_back();
    const TerrainLodTile& tile = lod.tiles[static_cast<std::size_t>(index)];
    if (!shouldRefine(tile, x, y, z, pixelsPerRadian, maxErrorPx)) {
      out.push_back(index);
      continue;
    }
    for (int child : tile.children) {
      if (child >= 0) stack.push_back(child);
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace gt::layers::detail
