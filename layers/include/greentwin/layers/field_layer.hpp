#pragma once
// A value field draped on the ground (issue 4: the interpolated PM2.5 surface over the district). The layer is a
// fixed grid of cells over the area of its source polygons (e.g. the district outline; cells whose area lies
// outside every polygon are not drawn). Each frame (Layer::update) it brings its values to the frame itself: IDW
// (core/interpolation.hpp) over the LIVE values of its points layer (field.points; stale and no-data stations are
// left out, so the surface shows "no data" where no live station is within the search radius), or the values a
// plugin's field provider computes (field.provider) — recomputed when those inputs changed, at most
// field.max_update_hz times a second, and at once after a restyle or when the value store was switched (history
// playback). setValues() takes one value per cell from anyone else (tests). The values
// live in a float texture and the fragment shader interpolates between cell centres (NaN neighbours left out)
// and classifies with the style's breaks/colours, so an update rewrites a texture only: no geometry is rebuilt.
// Cells with no value draw as faint hatched grey ("no data"). Update thread for everything but construction.

#include <osg/Geode>
#include <osg/Image>
#include <osg/Texture2D>
#include <osg/Uniform>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/style.hpp"

namespace gt::layers {

// [layers.field] of a "field" layer (issue 4): where its values come from. The attribute and its colours come from
// the layer's style (color_by, breaks, colors).
struct FieldOptions : LayerOptions {
  std::string points;             // id of the layer whose entities (points) give the values
  std::string method = "idw";     // interpolation: "idw" (inverse-distance weighting)
  double power = 2.0;             // IDW distance exponent
  double searchRadiusM = 8000.0;  // only stations within this distance count; 0 = no limit
  int maxNeighbours = 8;          // only the nearest this many count; 0 = all
  double maxUpdateHz = 2.0;       // the field is recomputed at most this often while its inputs change
  // A plugin field layer type ("air_quality.pm25_idw") that computes the values instead of the twin's IDW over
  // `points` (docs/plugins.md); empty: the twin's own.
  std::string provider;
};

// The layer's [layers.field] options (the defaults when it has none).
inline const FieldOptions& fieldOptions(const LayerConfig& config) { return layerOptions<FieldOptions>(config); }
// Reads [layers.field] (registered with the "field" type).
LayerOptionsParser fieldOptionsParser();

class FieldLayer : public Layer {
 public:
  // Cell size when the config gives no resolution_m; the grid is capped at kMaxCells (cells grow to fit).
  static constexpr double kDefaultResolutionM = 500.0;
  static constexpr std::size_t kMaxCells = 1u << 20;
  // The area mask is kept at this many sub-cells per cell side, so the outline is finer than the cells.
  static constexpr int kMaskSubdivision = 4;

  // `area`: polygons whose union is the area covered (their bounds give the grid); nullptr or no polygons: an
  // error at open(). `ground`: the terrain to lay the surface on (nullptr: z = 0).
  FieldLayer(LayerConfig config, std::shared_ptr<const FeatureSet> area, std::shared_ptr<const HeightField> ground = nullptr);

  // The cells (valid after open()): row 0 south, the RasterGrid convention.
  const GridGeometry& grid() const { return grid_; }
  // The colour rule (graduated over style.color_by) the shader classifies with.
  const ColorRule* rule() const { return rule_ ? &*rule_ : nullptr; }
  // Whether a cell's centre area is drawn (inside the area polygons).
  bool cellInArea(int col, int row) const;

  // One value per cell (grid().cellCount(), row 0 first; NaN = no data). A wrong size is an error. Rewrites the
  // value texture only.
  Status setValues(std::span<const float> values);
  // The value of a cell as last set (NaN = no data or never set).
  float valueAt(int col, int row) const;
  // Times setValues() succeeded (tests, UI).
  std::size_t updateCount() const { return updates_; }

  Status restyleImpl(const LayerStyleConfig& style, const PropertyLookup& properties) override;
  std::vector<LegendEntry> legend() const override;

 protected:
  Status openImpl() override;
  void updateImpl(const LayerFrame& frame, bool invalidated) override;
  void applyRenderBins() override;

 private:
  void applyPalette();
  void noteProblem(const Status& status);

  std::shared_ptr<const FeatureSet> area_;
  std::shared_ptr<const HeightField> ground_;
  GridGeometry grid_;
  std::optional<ColorRule> rule_;
  std::vector<std::uint8_t> cellInside_;  // per cell: 1 when its centre lies in the area
  osg::ref_ptr<osg::Image> values_;       // R32F, one texel per cell
  osg::ref_ptr<osg::Image> mask_;         // R8, kMaskSubdivision^2 texels per cell
  osg::ref_ptr<osg::Uniform> palette_;
  osg::ref_ptr<osg::Uniform> breaks_;
  osg::ref_ptr<osg::Uniform> breakCount_;
  std::size_t updates_ = 0;
  // updateImpl's state: when it last computed, the store generation it saw, and per points-layer slot the live
  // value it used (NaN when left out).
  std::chrono::steady_clock::time_point lastComputed_{};
  std::uint64_t seenStoreGeneration_ = ~std::uint64_t{0};
  std::vector<float> inputs_;
  std::string lastProblem_;  // the provider's last error (a warning once per distinct message)
};

}  // namespace gt::layers
