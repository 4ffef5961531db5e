#pragma once
// 3D buildings: footprints extruded by height (or floors), batched per spatial tile into a few large
// geometries. Each vertex carries its building's slot; the shader reads the slot's value from a value
// texture and maps it to a colour, so recolouring every building from new data only rewrites the texture.

#include <osg/Image>
#include <osg/Texture2D>
#include <osg/Uniform>

#include <memory>
#include <optional>
#include <span>
#include <unordered_map>
#include <vector>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/style.hpp"

namespace gt::layers {

struct BuildingBuildOptions {
  double tileSizeM = 1500.0;  // batch footprints whose centroid falls in the same tile into one geometry
  bool batched = true;        // false: one node per building (the baseline the batching is measured against)
};

// Per-slot value states the shader knows: drawn normally, drawn as stale (greyed), or no data.
enum class SlotState : std::uint8_t { Live = 0, Stale = 1, NoData = 2 };

class BuildingLayer : public Layer {
 public:
  BuildingLayer(LayerConfig config, std::shared_ptr<const FeatureSet> features,
                std::shared_ptr<const HeightField> ground = nullptr, BuildingBuildOptions options = {});

  // Slot i draws features()->features[i]; entities come from the FeatureSet or later from assignEntities().
  const FeatureSet* features() const { return features_.get(); }
  double heightOfSlot(std::uint32_t slot) const { return heights_.at(slot); }
  // Number of geometries (draw batches) built.
  std::size_t batchCount() const { return batchCount_; }

  // Recolour from live numbers classified by `rule` (graduated) — one value per slot, NaN = no data.
  // Writes the value texture only; geometry is untouched. Update thread.
  void setLiveValues(const ColorRule& rule, std::span<const float> values, std::span<const SlotState> states = {});
  // Back to the static style colours from the config.
  void showStaticStyle();

  // Colour rule changes rewrite the value texture; heights are geometry (Unsupported: reload the layer).
  Status restyle(const LayerStyleConfig& style, const PropertyLookup& properties) override;
  std::vector<LegendEntry> legend() const override;
  bool isThreeDimensional() const override { return true; }
  osg::Node* nodeForEntity(EntityIndex entity) const override;
  std::optional<EntityIndex> entityAtHit(const osg::NodePath& path, const osg::Drawable* drawable,
                                         unsigned int vertexIndex) const override;
  void setHighlight(std::optional<EntityIndex> selected, std::optional<EntityIndex> hovered) override;

 protected:
  Status openImpl() override;
  void applyRenderBins() override;

 private:
  void writeClassValues();
  void applyPalette(const ColorRule& rule, bool numeric);

  std::shared_ptr<const FeatureSet> features_;
  std::shared_ptr<const HeightField> ground_;
  BuildingBuildOptions options_;
  std::optional<ColorRule> staticRule_;
  std::optional<ColorRule> liveRule_;
  std::vector<float> heights_;
  std::vector<float> staticClasses_;  // per slot: palette index from the static style, NaN = no data
  osg::ref_ptr<osg::Image> values_;   // RG32F: (value, state) per slot
  osg::ref_ptr<osg::Texture2D> valueTexture_;
  osg::ref_ptr<osg::Uniform> palette_;
  osg::ref_ptr<osg::Uniform> breaks_;
  osg::ref_ptr<osg::Uniform> breakCount_;
  osg::ref_ptr<osg::Uniform> valueMode_;
  osg::ref_ptr<osg::Uniform> selectedSlot_;
  osg::ref_ptr<osg::Uniform> hoverSlot_;
  std::size_t batchCount_ = 0;
};

// Value-texture width: slot s lives at texel (s % width, s / width).
constexpr int kValueTextureWidth = 1024;
// Vertex attribute location of the per-vertex building slot.
constexpr unsigned int kSlotAttribute = 6;
constexpr int kMaxPaletteSize = 32;

}  // namespace gt::layers
