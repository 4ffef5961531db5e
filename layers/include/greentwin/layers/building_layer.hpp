#pragma once
// 3D buildings: footprints extruded by height (or floors), batched per spatial tile into a few large
// geometries. Each vertex carries its building's slot; the shader reads the slot's value from a value
// texture and maps it to a colour, so recolouring every building from new data only rewrites the texture.

#include <osg/Geometry>
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
#include "greentwin/layers/layer_capabilities.hpp"
#include "greentwin/layers/live_colouring.hpp"
#include "greentwin/layers/style.hpp"

namespace gt::layers {

struct BuildingBuildOptions {
  double tileSizeM = 1500.0;  // batch footprints whose centroid falls in the same tile into one geometry
  bool batched = true;        // false: one node per building (the baseline the batching is measured against)
};

class BuildingLayer : public Layer, public LiveValueTarget, public ReplaceableBoxes {
 public:
  BuildingLayer(LayerConfig config, std::shared_ptr<const FeatureSet> features,
                std::shared_ptr<const HeightField> ground = nullptr, BuildingBuildOptions options = {});

  // Slot i draws features()->features[i]; entities come from the FeatureSet or later from assignEntities().
  const FeatureSet* features() const override { return features_.get(); }
  double heightOfSlot(std::uint32_t slot) const { return heights_.at(slot); }
  // Number of geometries (draw batches) built.
  std::size_t batchCount() const { return batchCount_; }

  // Recolour from live numbers classified by `rule` (graduated) — one value per slot, NaN = no data.
  // Writes the value texture only; geometry is untouched. Update thread.
  // Stale slots are greyed and hatched (diagonal stripes) in the shader; NoData slots draw the no-data grey.
  void setLiveValues(const ColorRule& rule, std::span<const float> values,
                     std::span<const SlotState> states = {}) override;
  // Back to the static style colours from the config.
  void showStaticStyle() override;
  bool showsLiveValues() const override { return liveRule_.has_value(); }
  // What the value texture holds for a slot now (tests, inspector): its state and value (NaN = none).
  SlotState slotState(std::uint32_t slot) const override;
  float slotValue(std::uint32_t slot) const;

  // Colour rule changes rewrite the value texture; heights are geometry (Unsupported: reload the layer).
  Status restyleImpl(const LayerStyleConfig& style, const PropertyLookup& properties) override;
  std::vector<LegendEntry> legend() const override;
  bool isThreeDimensional() const override { return true; }
  osg::Node* nodeForEntity(EntityIndex entity) const override;
  std::optional<EntityIndex> entityAtHit(const osg::NodePath& path, const osg::Drawable* drawable,
                                         unsigned int vertexIndex) const override;
  void setHighlight(std::optional<EntityIndex> selected, std::optional<EntityIndex> hovered) override;

  // Level of detail with BIM (issue 5): the slot's box is not drawn while the eye is within `radiusM` of `center`
  // (scene local), where a placed BIM model draws the building instead; radiusM <= 0 draws the box again. Writes
  // a per-slot texel the vertex shader reads (nothing is read while no slot is replaced). Update thread.
  // Within the radius the box is drawn flat, as its footprint just above center.z (pass the box's base height,
  // baseOfSlot): the model then stands on a visible footprint.
  void setReplaced(std::uint32_t slot, const Vec3d& center, double radiusM) override;
  // The height the slot's box stands on (the terrain under its centroid; 0 on flat ground).
  float baseOfSlot(std::uint32_t slot) const override { return slot < bases_.size() ? bases_[slot] : 0.0f; }
  ReplaceableBoxes* replaceableBoxes() override { return this; }
  std::size_t replacedCount() const { return replacedCount_; }
  // Whether the slot's box is hidden from an eye at `eye` by that rule; picks skip a hidden box (entityAtHit, with
  // the eye of the last cull traversal).
  bool slotHiddenFrom(std::uint32_t slot, const Vec3d& eye) const;
  // The eye point (scene local) of the last cull traversal of the buildings (NaN x before the first).
  Vec3d lastEye() const;

 protected:
  // Live colours from the frame (live_colouring.hpp).
  void updateImpl(const LayerFrame& frame, bool invalidated) override {
    live_.update(frame, invalidated, *this, *this);
  }
  Status openImpl() override;
  void applyRenderBins() override;
  // A filtered-out building's triangles leave its batch's index list (kept whole aside): not drawn, not hit by
  // picks, and a frame costs less, not more. Rebuilt per filter change, O(triangles).
  Status applyShownSlots() override;

 private:
  detail::LiveColouring live_;
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
  // BIM replacement (setReplaced): RGBA32F per slot (centre xyz, radius), made on first use.
  osg::ref_ptr<osg::Image> replaced_;
  osg::ref_ptr<osg::Texture2D> replacedTexture_;
  osg::ref_ptr<osg::Uniform> replacedCountUniform_;
  std::size_t replacedCount_ = 0;
  std::vector<float> bases_;  // per slot: the ground height the box stands on
  osg::ref_ptr<osg::NodeCallback> eyeRecorder_;
  // Each batch with its complete triangle list, taken at the first filter (applyShownSlots).
  struct BatchTriangles {
    osg::ref_ptr<osg::Geometry> geometry;
    osg::ref_ptr<osg::DrawElementsUInt> all;
  };
  std::vector<BatchTriangles> batchTriangles_;  // a cull callback, detail::EyeRecorder (layers/src/eye_recorder.hpp)
};

// Value-texture width: slot s lives at texel (s % width, s / width).
constexpr int kValueTextureWidth = 1024;
// Vertex attribute location of the per-vertex building slot.
constexpr unsigned int kSlotAttribute = 6;
constexpr int kMaxPaletteSize = 32;

}  // namespace gt::layers
