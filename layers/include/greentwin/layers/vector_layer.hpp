#pragma once
// Draws a FeatureSet flat on the ground: polygons filled and outlined, lines, points. Each feature gets its own
// node carrying its entity index, so a pick resolves to the feature. (Batched tiles for tens of thousands of
// features come with the 3D-city work.)
//
// On terrain (a `ground` HeightField, from a TerrainLayer): every vertex is laid on the terrain at
// heightAt(x, y) + kGroundOffsetM, and lines and polygon rings are first split at every edge of the terrain mesh
// they cross (HeightField::drape), so they follow the relief exactly. Polygon FILL interiors are triangulated
// from the draped rings only, so a large fill's inner triangles may cut through hills or float over valleys;
// fills therefore keep drawing over the terrain without depth test (as on flat ground), while strokes and points,
// which lie on the surface, are depth-tested against it (hidden behind hills) with a small depth-range bias
// against z-fighting. Without a ground everything is as before: z as given, no depth test.

#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/raster.hpp"
#include <osg/Geode>
#include <osg/LineWidth>
#include <osg/Point>

#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/live_colouring.hpp"
#include "greentwin/layers/style.hpp"

namespace gt::layers {

class VectorLayer : public Layer, public LiveValueTarget {
 public:
  // Height above the terrain surface of everything laid on a ground (metres).
  static constexpr double kGroundOffsetM = 0.5;
  // Window-depth bias of strokes and points on a ground: their depth range is [0, 1 - kGroundDepthBias].
  static constexpr double kGroundDepthBias = 2e-6;

  VectorLayer(LayerConfig config, std::shared_ptr<const FeatureSet> features,
              std::shared_ptr<const HeightField> ground = nullptr);

  std::vector<LegendEntry> legend() const override;
  osg::Node* nodeForEntity(EntityIndex entity) const override;
  // Colours (rule, outline), line width and point size change in place; a change of line_width_m is Unsupported.
  Status restyleImpl(const LayerStyleConfig& style, const PropertyLookup& properties) override;
  const FeatureSet* features() const override { return features_.get(); }
  const HeightField* ground() const { return ground_.get(); }

  // Live values (LiveValueTarget): rewrites each feature's colour array in place — a live slot in its class
  // colour, a stale one in staleColor() (greyed) and translucent with its polygon outline in kStaleOutline, a
  // no-data one in kNoDataColor. Only colours that change are written. Update thread.
  void setLiveValues(const ColorRule& rule, std::span<const float> values,
                     std::span<const SlotState> states = {}) override;
  void showStaticStyle() override;
  bool showsLiveValues() const override { return liveRule_.has_value(); }
  SlotState slotState(std::uint32_t slot) const override;
  // The colour a slot's fill (or line, or point) is drawn in now; nullopt for an unknown slot.
  std::optional<Rgba> drawnColor(std::uint32_t slot) const;
  // Outline of a stale polygon, and the alpha a stale feature is drawn with.
  static constexpr Rgba kStaleOutline{0.93f, 0.93f, 0.93f, 1.0f};
  static constexpr float kStaleAlpha = 0.6f;

 protected:
  // Live colours from the frame (live_colouring.hpp).
  void updateImpl(const LayerFrame& frame, bool invalidated) override {
    live_.update(frame, invalidated, *this, *this);
  }
  Status openImpl() override;
  void applyRenderBins() override;
  // A filtered-out feature's geodes get node mask 0: not drawn, not hit by picks.
  Status applyShownSlots() override;

 private:
  detail::LiveColouring live_;
  std::shared_ptr<const FeatureSet> features_;
  std::shared_ptr<const HeightField> ground_;
  Rgba fill_{};
  Rgba outline_{};
  std::optional<ColorRule> rule_;
  std::optional<ColorRule> liveRule_;
  std::vector<SlotState> liveStates_;  // per slot while live values are shown
  // Per slot: the geodes drawing it (owned by the scene graph under node()); null where a kind is absent.
  struct SlotGeodes {
    osg::Geode* fill = nullptr;
    osg::Geode* stroke = nullptr;
    osg::Geode* line = nullptr;
    osg::Geode* point = nullptr;
  };
  std::vector<SlotGeodes> slotGeodes_;
  void applyStaticColors(const PropertyLookup& properties);
  osg::ref_ptr<osg::LineWidth> lineWidth_;
  osg::ref_ptr<osg::Point> pointSize_;
  bool hasPolygons_ = false;
  bool hasLines_ = false;
  bool hasPoints_ = false;
};

}  // namespace gt::layers
