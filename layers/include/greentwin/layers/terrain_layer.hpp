#pragma once
// The terrain: a DEM (RasterGrid) drawn as a tiled triangle mesh, textured with draped imagery or, without
// imagery, a hillshade of the DEM tinted by height (hypsometric tint). The mesh has a vertex at every cell
// centre and splits each cell along its south-west to north-east diagonal: exactly the surface HeightField
// describes, so what is clamped with heightField() sits on what is drawn.
//
// It draws first (render bin kRenderBin, below every ground layer and the default opaque bin) with depth test
// and depth write on, so buildings are hidden behind hills and ground layers draw on it. No lighting: the
// relief shading comes from the hillshade texture (flat shading).
//
// Cells that are nodata leave holes: a triangle is drawn only when its three corners have data.

#include <memory>
#include <string>

#include "greentwin/core/raster.hpp"
#include "greentwin/layers/layer.hpp"

namespace gt::layers {

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

  // dem: heights in metres, in local scene coordinates. imagery: drawn instead of the tinted hillshade when given
  // (its own grid; it is stretched over its own footprint, transparent outside it). verticalScale multiplies
  // heights (vertical exaggeration; config style key `vertical_scale` once the config has it). tileCells: cells
  // per tile side.
  TerrainLayer(LayerConfig config, std::shared_ptr<const RasterGrid> dem,
               std::shared_ptr<const RgbaImage> imagery = nullptr, double verticalScale = 1.0,
               int tileCells = kDefaultTileCells);

  // The ground the mesh draws, for clamping other layers (LayerInputs::ground); nullptr until open() succeeded.
  std::shared_ptr<const HeightField> heightField() const override;
  double verticalScale() const { return verticalScale_; }
  int tileCells() const { return tileCells_; }
  // Number of tiles (one osg::Geode each, under the group "tiles"); 0 before open().
  int tileCount() const { return tileCount_; }
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
  float minHeight_ = 0;
  float maxHeight_ = 0;
};

// The hypsometric tint: t = 0 (low) .. 1 (high) -> RGBA, greens through tan and brown to white.
Rgba hypsometricTint(double t);

}  // namespace gt::layers
