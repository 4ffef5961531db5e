#pragma once
// A placed BIM model (issue 5, docs/bim.md "In the viewer"): the scene file an import wrote (.osgb, model frame,
// storeys as MatrixTransforms, one Geode per element named by its GUID) wrapped in the placement transform, under
// an osg::LOD so that far away it is not traversed at all (the building layer draws the footprint's box there).
//
// Slot i draws element i (LayerInputs::features[i], whose properties are the element's: the inspector's rows and
// the static colouring). The model tree (spatial structure), storey visibility, isolate and explode, type
// visibility and per-element colours are changed in place: node masks, storey matrices and one colour uniform per
// element — no geometry is rebuilt.
//
// The layers module knows nothing of the importer: the viewer reads the sidecar (connectors' BimModel) and hands
// this header's plain BimScene over. Built on the loader's worker thread; changed on the update thread only.

#include <osg/LOD>
#include <osg/Matrixd>
#include <osg/MatrixTransform>
#include <osg/Geode>

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "greentwin/core/bim_anchor.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/live_colouring.hpp"
#include "greentwin/layers/style.hpp"

namespace gt::layers {

// The spatial structure of a model, for the model tree: project -> site -> building -> storey -> space.
struct BimTreeNode {
  std::string guid;
  std::string ifcType;  // "IFCPROJECT", "IFCSITE", "IFCBUILDING", "IFCBUILDINGSTOREY", "IFCSPACE"
  std::string name;
  std::vector<std::size_t> children;   // indices into BimScene::tree
  std::vector<std::uint32_t> elements;  // slots of the elements contained here
};

// What the viewer hands a "bim" layer (besides the element features).
struct BimScene {
  std::string modelName;
  osg::ref_ptr<osg::Node> model;  // the imported .osgb, in the model frame
  osg::Matrixd placement;         // model frame -> scene local (OSG row-vector convention: p * placement)
  std::vector<BimTreeNode> tree;  // [0] is the root; may be empty (no spatial structure, e.g. glTF)
  // Per slot (same order as the features): GUID (the Geode's name), IFC type and containing storey's GUID.
  std::vector<std::string> elementGuids;
  std::vector<std::string> elementTypes;
  std::vector<std::string> elementStoreys;
  std::vector<std::string> warnings;  // the importer's (georeference, unknown materials...)
};

// [layers.bim] of a "bim" layer (issue 5, docs/bim.md "In the viewer"): where the model imported by
// greentwin-bim-import is placed. The anchor applies when the file has no usable georeference, or always with
// anchor_override.
struct BimOptions : LayerOptions {
  BimAnchor anchor;                            // anchor_lon/anchor_lat or anchor_x/anchor_y, anchor_z,
                                               // rotation_deg, scale, anchor_override (core/bim_anchor.hpp)
  std::string replacesBuilding = "auto";       // building entity id whose box the model replaces when near;
                                               // "auto": the footprint containing the model's origin; "" none
  double lodDistanceM = 600.0;                 // the model is drawn (and its building's box hidden) within this
  double explodeGapM = 0.0;                    // initial vertical gap between exploded storeys (0: not exploded)
  int line = 0;                                // line of the [layers.bim] table, for messages
};

inline const BimOptions& bimOptions(const LayerConfig& config) { return layerOptions<BimOptions>(config); }
// Reads [layers.bim] (registered with the "bim" type).
LayerOptionsParser bimOptionsParser();
// How a BimLayer draws (from BimOptions).
struct BimLayerOptions {
  // Within this distance (eye to the model's centre) the model is drawn; beyond it, it is not traversed.
  // <= 0: always drawn (no level of detail; the benchmark's baseline).
  double lodDistanceM = 600.0;
  double explodeGapM = 0.0;
};

class BimLayer : public Layer, public LiveValueTarget {
 public:
  // `ground`: the terrain; the placed model is lifted by the ground height under its centre (the placement's z
  // is then above the terrain, as the building boxes stand on it). nullptr: flat ground, z as placed.
  BimLayer(LayerConfig config, std::shared_ptr<const FeatureSet> elements, std::shared_ptr<const BimScene> scene,
           BimLayerOptions options = {}, std::shared_ptr<const HeightField> ground = nullptr);

  const BimScene& scene() const { return *scene_; }
  BimLayer* bimModel() override { return this; }
  const FeatureSet* features() const override { return elements_.get(); }

  // ---- Level of detail ----
  // The point (scene local) whose distance from the eye switches the model on and off, and that distance.
  Vec3d lodCenter() const { return lodCenter_; }
  // Moves that point (the twin puts it on the replaced building's base, the point the building layer measures
  // from, so that both switch at the same eye distance).
  void setLodCenter(const Vec3d& center);
  double lodDistance() const { return options_.lodDistanceM; }
  // The placed model's bounds in scene coordinates (at load: before any explode).
  const Bounds& sceneBounds() const { return sceneBounds_; }
  // Whether the model is drawn from an eye at `eye` (scene local), by the same rule as the LOD node.
  bool drawnFrom(const Vec3d& eye) const;

  // ---- Model tree ----
  struct Storey {
    std::string guid;
    std::string name;
    std::size_t treeNode = 0;  // index into scene().tree
    osg::ref_ptr<osg::MatrixTransform> transform;  // "storey:<GUID>" (null when the scene file lacks it)
    bool visible = true;
  };
  // Storeys in the scene file's order (elements in no storey are under "storey:none", not listed here).
  const std::vector<Storey>& storeys() const { return storeys_; }
  void setStoreyVisible(std::size_t storey, bool visible);
  // Shows only that storey (nullopt: all storeys with their own visibility again).
  void isolateStorey(std::optional<std::size_t> storey);
  std::optional<std::size_t> isolatedStorey() const { return isolated_; }
  // Lifts storey k by k x gap metres (scene metres); 0 puts them back.
  void setExplodeGap(double gapM);
  double explodeGap() const { return explodeGap_; }
  // Element types present, with their counts (sorted by type name).
  std::vector<std::pair<std::string, std::size_t>> typeCounts() const;
  void setTypeVisible(const std::string& ifcType, bool visible);
  bool typeVisible(const std::string& ifcType) const { return hiddenTypes_.count(ifcType) == 0; }
  // Whether the element in `slot` is drawn now by the tree's settings (storey, isolate, type), LOD aside.
  bool elementShown(std::uint32_t slot) const;
  // The element's Geode (nullptr when the element has no geometry).
  osg::Geode* elementNode(std::uint32_t slot) const { return slot < geodes_.size() ? geodes_[slot].get() : nullptr; }
  // The per-element colour override drawn now (rgb + mix amount; a = 0: the model's own colours).
  osg::Vec4 elementColor(std::uint32_t slot) const;

  // ---- Storeys as entities (docs/bim.md "Storeys as entities") ----
  // The twin registers one entity per storey and hands them over in storeys() order (kInvalidEntity: none). An
  // element with no series of its own shows its storey's live value (containerEntityOfSlot), so a feed that
  // publishes per storey colours every element of that storey.
  void assignStoreyEntities(std::vector<EntityIndex> entities);
  EntityIndex storeyEntity(std::size_t storey) const {
    return storey < storeyEntities_.size() ? storeyEntities_[storey] : kInvalidEntity;
  }
  // The storey (index into storeys()) an element is contained in, or of a storey entity.
  std::optional<std::size_t> storeyOfSlot(std::uint32_t slot) const {
    return slot < slotStorey_.size() ? slotStorey_[slot] : std::nullopt;
  }
  std::optional<std::size_t> storeyOfEntity(EntityIndex entity) const;
  EntityIndex containerEntityOfSlot(std::uint32_t slot) const override;

  // ---- Placement (docs/bim.md "Placing a model on the map") ----
  // Model frame -> scene local as given (OSG row-vector convention), and as drawn (lifted onto the ground).
  const osg::Matrixd& placement() const { return placement_; }
  osg::Matrixd placedMatrix() const { return placed_ ? placed_->getMatrix() : placement_; }
  // The model's bounds in its own frame (unexploded), e.g. to centre it on a clicked point.
  const Bounds& modelBounds() const { return modelBounds_; }
  // Moves the model (no re-import, no geometry rebuilt): the new placement is lifted by the ground under the new
  // centre; sceneBounds() and the LOD centre follow. Update thread.
  void setPlacement(const osg::Matrixd& placement);

  // ---- Colouring (LiveValueTarget; static style: color_by over the element properties) ----
  void setLiveValues(const ColorRule& rule, std::span<const float> values,
                     std::span<const SlotState> states = {}) override;
  void showStaticStyle() override;
  bool showsLiveValues() const override { return liveRule_.has_value(); }
  SlotState slotState(std::uint32_t slot) const override;
  Status restyleImpl(const LayerStyleConfig& style, const PropertyLookup& properties) override;
  std::vector<LegendEntry> legend() const override;

  bool isThreeDimensional() const override { return true; }
  osg::Node* nodeForEntity(EntityIndex entity) const override;
  // As Layer's, but nothing while the model is not drawn from the last cull's eye (beyond the LOD distance): OSG's
  // intersection visitor enters an LOD's finest child whatever the distance.
  std::optional<EntityIndex> entityAtHit(const osg::NodePath& path, const osg::Drawable* drawable,
                                         unsigned int vertexIndex) const override;
  // The eye (scene local) of the last cull traversal that reached the model's LOD (NaN x before the first).
  Vec3d lastEye() const;

 protected:
  // Live colours from the frame (live_colouring.hpp).
  void updateImpl(const LayerFrame& frame, bool invalidated) override {
    live_.update(frame, invalidated, *this, *this);
  }
  Status openImpl() override;
  void applyRenderBins() override;

 private:
  detail::LiveColouring live_;
  void applyVisibility();
  void setColor(std::uint32_t slot, const osg::Vec4& color);
  Status place(const osg::Matrixd& placement);  // placed_'s matrix, sceneBounds_, LOD centre and radius

  std::shared_ptr<const FeatureSet> elements_;
  std::shared_ptr<const BimScene> scene_;
  BimLayerOptions options_;
  std::shared_ptr<const HeightField> ground_;
  osg::ref_ptr<osg::LOD> lod_;
  osg::ref_ptr<osg::MatrixTransform> placed_;
  osg::Matrixd placement_;
  Bounds modelBounds_;
  std::vector<EntityIndex> storeyEntities_;  // per storey
  Vec3d lodCenter_;
  Bounds sceneBounds_;
  double placementScale_ = 1.0;
  std::vector<Storey> storeys_;
  std::vector<osg::ref_ptr<osg::Geode>> geodes_;          // per slot
  std::vector<osg::ref_ptr<osg::Uniform>> colorUniforms_;  // per slot (null without geometry)
  std::vector<std::optional<std::size_t>> slotStorey_;     // per slot: index into storeys_
  std::set<std::string> hiddenTypes_;
  std::optional<std::size_t> isolated_;
  double explodeGap_ = 0.0;
  std::optional<ColorRule> staticRule_;  // only when the style colours by an attribute
  std::vector<std::optional<int>> staticClasses_;
  std::optional<ColorRule> liveRule_;
  std::vector<SlotState> liveStates_;
  osg::ref_ptr<osg::NodeCallback> eyeRecorder_;  // a cull callback, detail::EyeRecorder (layers/src/eye_recorder.hpp)
};

// How much a colour override replaces the model's own colour.
inline constexpr float kBimColorMix = 0.85f;

}  // namespace gt::layers
