#pragma once
// The terrain: a DEM (RasterGrid) drawn as a quadtree of tiled triangle meshes with levels of detail, textured with
// draped imagery or, without imagery, a hillshade of the DEM tinted by height (hypsometric tint). The finest level
// has a vertex at every cell centre and splits each cell along its south-west to north-east diagonal: exactly the
// surface HeightField describes, so what is clamped with heightField() sits on what is drawn up close. Coarser
// levels (every 2nd, 4th, ... cell) are drawn where their error would cover at most maxScreenErrorPx() pixels, and
// are lowered so they never rise above the true ground (docs/terrain.md "Levels of detail").
//
// It draws first (render bin kRenderBin, below every ground layer and the default opaque bin) with depth test
// and depth write on, so buildings are hidden behind hills and ground layers draw on it. No lighting: the
// relief shading comes from the hillshade texture (flat shading), which is the same at every level.
//
// Cells that are nodata leave holes: a triangle is drawn only when its three corners have data.

#include <memory>
#include <string>

#include <osg/ref_ptr>

#include "greentwin/core/raster.hpp"
#include "greentwin/layers/layer.hpp"

namespace gt::layers {
namespace detail {
struct TerrainLodSettings;
}

// A "terrain" layer's own key: imagery draped on the DEM (a path relative to the config); empty: a hillshade.
struct TerrainOptions : LayerOptions {
  std::string imagery;
};

inline const TerrainOptions& terrainOptions(const LayerConfig& config) { return layerOptions<TerrainOptions>(config); }
// Reads `imagery` (registered with the "terrain" type).
LayerOptionsParser terrainOptionsParser();

class TerrainLayer : public Layer {
 public:
  static constexpr int kDefaultTileCells = 128;
  static constexpr int kRenderBin = -10;
  // A coarser tile is drawn while its geometric error covers at most this many pixels (Cesium's default too).
  static constexpr double kDefaultMaxScreenErrorPx = 2.0;

  // dem: heights in metres, in local scene coordinates. imagery: drawn instead of the tinted hillshade when given
  // (its own grid; it is stretched over its own footprint, transparent outside it). verticalScale multiplies
  // heights (vertical exaggeration; config style key `vertical_scale` once the config has it). tileCells: quads per
  // tile side, at every level.
  TerrainLayer(LayerConfig config, std::shared_ptr<const RasterGrid> dem,
               std::shared_ptr<const RgbaImage> imagery = nullptr, double verticalScale = 1.0,
               int tileCells = kDefaultTileCells);
  ~TerrainLayer() override;

  // The ground the mesh draws, for clamping other layers (LayerInputs::ground); nullptr until open() succeeded.
  std::shared_ptr<const HeightField> heightField() const override;
  double verticalScale() const { return verticalScale_; }
  int tileCells() const { return tileCells_; }
  // Number of tiles of the finest level (each an osg::Geode named "tile L0 <row> <col>" under the group "tiles");
  // 0 before open().
  int tileCount() const { return tileCount_; }
  // Levels of detail: 1 when the DEM fits one tile; 0 before open().
  int levelCount() const { return levelCount_; }
  // The screen-space error, in pixels, under which a coarser level is drawn; any thread (read at every cull).
  double maxScreenErrorPx() const;
  void setMaxScreenErrorPx(double pixels);  // ignored unless finite and > 0
  // The texture draped over the mesh (imagery, or the tinted hillshade); nullptr before open().
  std::shared_ptr<const RgbaImage> texture() const { return texture_; }

  std::vector<LegendEntry> legend() const override;

 protected:
  Status openImpl() override;
  void applyRenderBins() override;

 private:
  std::shared_ptr<const RasterGrid> dem_;
  std::shared_ptr<const RgbaImage> imagery_;
  double verticalScale_ = 1.0;
  int tileCells_ = kDefaultTileCells;
  std::shared_ptr<const HeightField> heightField_;
  std::shared_ptr<const RgbaImage> texture_;
  int tileCount_ = 0;
  int levelCount_ = 0;
  osg::ref_ptr<detail::TerrainLodSettings> lodSettings_;
  float minHeight_ = 0;
  float maxHeight_ = 0;
};

// The hypsometric tint: t = 0 (low) .. 1 (high) -> RGBA, greens through tan and brown to white.
Rgba hypsometricTint(double t);

}  // namespace gt::layers
