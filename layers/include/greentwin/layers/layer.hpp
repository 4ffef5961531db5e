#pragma once
// A layer turns part of the twin's state into a scene-graph node. The public lifecycle (open) calls the
// protected hook (openImpl), so checks and status live in one place. Layers are created, opened and changed
// on the update/render thread only; their inputs arrive as immutable snapshots.

#include <osg/Group>
#include <osg/Matrixd>
#include <osg/Uniform>
#include <osg/observer_ptr>
#include <osg/ref_ptr>

#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/layers/layer_frame.hpp"

namespace gt::layers {

class BimLayer;          // bim_layer.hpp
class EntityClaimant;    // layer_capabilities.hpp
class ReplaceableBoxes;  // layer_capabilities.hpp

// RGBA 0..1.
using Rgba = std::array<float, 4>;
Result<Rgba> parseColor(const std::string& text);  // "#rrggbb" or "#rrggbbaa"

struct LegendEntry {
  Rgba color;
  std::string labelEn;
  std::string labelZh;
  enum class Shape { Fill, Line, Point } shape = Shape::Fill;
};

enum class LayerState { Created, Open, Error };

// The static properties of the feature drawn by a slot (nullptr when unknown), for restyling after load: the
// properties live in the EntityStore, not in the layer.
using PropertyLookup = std::function<const PropertyMap*(std::uint32_t slot)>;

// Colour for features whose style attribute is missing or unusable.
inline constexpr Rgba kNoDataColor{0.62f, 0.62f, 0.64f, 1.0f};

class Layer {
 public:
  explicit Layer(LayerConfig config);
  virtual ~Layer() = default;
  Layer(const Layer&) = delete;
  Layer& operator=(const Layer&) = delete;

  // Builds the layer's node. Safe to call once; the result is also kept in status().
  Status open();

  const LayerConfig& config() const { return config_; }
  const std::string& id() const { return config_.id; }
  LayerState state() const { return state_; }
  const Status& status() const { return status_; }
  // The layer's root node (present even when the layer failed to open: then empty).
  osg::Group* node() const { return root_.get(); }

  bool visible() const { return config_.visible; }
  void setVisible(bool visible);
  double opacity() const { return config_.opacity; }
  void setOpacity(double opacity);
  // Draw order among ground layers: higher draws on top.
  int order() const { return order_; }
  void setOrder(int order);

  // Slot i draws the i-th feature the layer was built from. After a background load the entities are
  // registered on the update thread and assigned here; lookups in both directions are O(1).
  void assignEntities(std::vector<EntityIndex> slotEntities);
  // Adds one slot drawing `entity` (layers whose entities arrive one at a time, e.g. vehicles from a feed); returns it.
  std::uint32_t appendSlot(EntityIndex entity);
  std::size_t slotCount() const { return slotEntities_.size(); }
  EntityIndex entityOfSlot(std::uint32_t slot) const {
    return slot < slotEntities_.size() ? slotEntities_[slot] : kInvalidEntity;
  }
  std::optional<std::uint32_t> slotOfEntity(EntityIndex entity) const {
    auto it = entitySlots_.find(entity);
    if (it == entitySlots_.end()) return std::nullopt;
    return it->second;
  }

  virtual std::vector<LegendEntry> legend() const { return {}; }
  // The features the layer was built from (slot i draws feature i), for layers that read another layer (a field over
  // its points layer); nullptr for layers with none.
  virtual const FeatureSet* features() const { return nullptr; }
  // Applies edited style settings without reloading the data (restyleImpl); the next update() draws the live state
  // again with them. Default: Unsupported.
  Status restyle(const LayerStyleConfig& style, const PropertyLookup& properties);

  // THE live-value path (DESIGN "How data flows" 2-3): once per frame the runtime brings every layer to the frame
  // — live colours, vehicle positions, value fields — from the one frame context (layer_frame.hpp). An open layer
  // updates itself (updateImpl); every call is counted and its frame kept, so a test can assert that every layer of
  // a frame saw that frame's time. Update thread.
  void update(const LayerFrame& frame);
  std::uint64_t lastFrame() const { return lastFrame_; }          // frame number of the last update (0: none)
  TimePoint lastFrameTime() const { return lastFrameTime_; }      // ...and its clock time
  std::uint64_t updateCount() const { return updateCalls_; }
  // 3D content (depth-tested, above the ground) as opposed to ground layers drawn flat in layer order.
  virtual bool isThreeDimensional() const { return false; }
  // The node that draws `entity`, for highlighting a selection; nullptr when this layer does not draw it.
  virtual osg::Node* nodeForEntity(EntityIndex /*entity*/) const { return nullptr; }
  // The entity a pick hit on this layer resolves to. Default: the kEntityUserValue nearest the drawable on the
  // hit's node path; batched layers override it to read the entity from the hit vertex.
  virtual std::optional<EntityIndex> entityAtHit(const osg::NodePath& path, const osg::Drawable* drawable,
                                                 unsigned int vertexIndex) const;
  // Layers drawing screen-sized point markers (no area a pick ray could hit) pick in window space: the entity whose
  // marker covers window point (x, y) (pixels, y up) under `worldToWindow` (view x projection x window), nearest
  // first. Default: nullopt (picked by ray, entityAtHit).
  virtual std::optional<EntityIndex> entityNearWindowPoint(const osg::Matrixd& /*worldToWindow*/, double /*x*/,
                                                           double /*y*/) const {
    return std::nullopt;
  }
  // Shows the selected and hovered entities (either may be one this layer does not draw). Update thread.
  // Default: tints nodeForEntity(selected), and more lightly nodeForEntity(hovered), with the gt_highlight uniform.
  virtual void setHighlight(std::optional<EntityIndex> selected, std::optional<EntityIndex> hovered);
  // Warnings from loading that did not stop the layer (skipped features...), for the UI.
  const std::vector<std::string>& warnings() const { return warnings_; }
  // A warning about the layer found outside it (the twin: a style's classifier that no active plugin provides).
  void noteWarning(std::string warning) { addWarning(std::move(warning)); }

  // ---- Feature filter (the workbench's attribute filters: runtime/layer_filters.hpp, docs/workbench.md) ----
  // Draws and picks only the slots whose `shown` entry is true (slots past its end are shown); an empty vector shows
  // every slot again. A hidden feature is neither drawn nor hit by a pick (the ray goes on to what lies behind it).
  // Unsupported for layers that cannot hide single features (nothing changes then). Update thread.
  Status setShownSlots(std::vector<bool> shown);
  bool slotShown(std::uint32_t slot) const { return slot >= shownSlots_.size() || shownSlots_[slot]; }
  // Whether a filter hides any slot now.
  bool hidesSlots() const { return hiddenSlots_ > 0; }
  std::size_t hiddenSlotCount() const { return hiddenSlots_; }

  // ---- Capabilities (layer_capabilities.hpp): what the layer offers the runtime beyond drawing, asked for instead
  // of testing its type. Default: none (nullptr). ----
  // The ground it lays under the layers loaded after it (a terrain's heights, LayerInputs::ground).
  virtual std::shared_ptr<const HeightField> heightField() const { return nullptr; }
  // Entities a live feed brings under an id prefix it owns (vehicles).
  virtual EntityClaimant* entityClaimant() { return nullptr; }
  // Boxes a near BIM model replaces (buildings).
  virtual ReplaceableBoxes* replaceableBoxes() { return nullptr; }
  // A placed BIM model: its model tree, storeys and placement (the runtime's BIM links, the BIM panel).
  virtual BimLayer* bimModel() { return nullptr; }

 protected:
  virtual Status openImpl() = 0;
  // One frame (see update()). `invalidated`: the first update since the layer opened or was restyled: draw whatever
  // the frame says even when the values and the time did not change. Default: nothing (static layers).
  virtual void updateImpl(const LayerFrame& /*frame*/, bool /*invalidated*/) {}
  virtual Status restyleImpl(const LayerStyleConfig& /*style*/, const PropertyLookup& /*properties*/) {
    return Status(ErrorCode::Unsupported, "layer '" + config_.id + "' cannot be restyled in place");
  }
  // Ground layers draw in render bins by order (depth test off: they lie on the ground under everything 3D);
  // a layer with several kinds of drawable uses bins base, base+1, base+2, base+3.
  int renderBinBase() const { return 100 + order_ * 4; }
  virtual void applyRenderBins() {}
  // Hides the slots slotShown() says are not shown and shows the others (setShownSlots has stored the mask). Default:
  // Unsupported. Update thread.
  virtual Status applyShownSlots() {
    return Status(ErrorCode::Unsupported, "layer '" + config_.id + "' cannot hide single features");
  }
  void addWarning(std::string warning) { warnings_.push_back(std::move(warning)); }
  // The next update() draws the frame even if its values and time did not change (what it draws changed).
  void invalidate() { invalidated_ = true; }
  LayerConfig config_;

 private:
  osg::ref_ptr<osg::Group> root_;
  osg::ref_ptr<osg::Uniform> opacityUniform_;
  osg::observer_ptr<osg::Node> highlighted_;
  osg::observer_ptr<osg::Node> hoverHighlighted_;
  std::vector<EntityIndex> slotEntities_;
  std::unordered_map<EntityIndex, std::uint32_t> entitySlots_;
  LayerState state_ = LayerState::Created;
  Status status_;
  int order_ = 0;
  std::vector<std::string> warnings_;
  std::vector<bool> shownSlots_;  // setShownSlots: empty = every slot shown
  std::size_t hiddenSlots_ = 0;
  bool invalidated_ = true;  // no update yet since open() or the last restyle
  std::uint64_t lastFrame_ = 0;
  TimePoint lastFrameTime_ = kNoTime;
  std::uint64_t updateCalls_ = 0;
};

// Scene-graph user value on a pickable node: the slot (feature index in the layer) it draws; the layer maps
// slots to entities (assignEntities), so nodes can be built before entities are registered.
constexpr const char* kSlotUserValue = "gt_slot";
// ...or, for nodes made outside a layer's slots, the entity index itself.
constexpr const char* kEntityUserValue = "gt_entity";
// ...and the id of the layer that owns it.
constexpr const char* kLayerUserValue = "gt_layer";
// Colour mixed into a selected entity (rgb, amount).
inline const osg::Vec4 kSelectionHighlight(1.0f, 0.82f, 0.25f, 0.65f);
// ...and into the entity under the mouse.
inline const osg::Vec4 kHoverHighlight(1.0f, 1.0f, 1.0f, 0.3f);

inline void Layer::assignEntities(std::vector<EntityIndex> slotEntities) {
  slotEntities_ = std::move(slotEntities);
  entitySlots_.clear();
  entitySlots_.reserve(slotEntities_.size());
  for (std::uint32_t s = 0; s < slotEntities_.size(); ++s) {
    if (slotEntities_[s] != kInvalidEntity) entitySlots_.emplace(slotEntities_[s], s);
  }
}

inline std::uint32_t Layer::appendSlot(EntityIndex entity) {
  const auto slot = static_cast<std::uint32_t>(slotEntities_.size());
  slotEntities_.push_back(entity);
  if (entity != kInvalidEntity) entitySlots_.emplace(entity, slot);
  return slot;
}

inline std::optional<EntityIndex> Layer::entityAtHit(const osg::NodePath& path, const osg::Drawable* /*drawable*/,
                                                     unsigned int /*vertexIndex*/) const {
  for (auto it = path.rbegin(); it != path.rend(); ++it) {
    unsigned int value = 0;
    if ((*it)->getUserValue(kSlotUserValue, value)) {
      const EntityIndex entity = entityOfSlot(value);
      if (entity == kInvalidEntity) return std::nullopt;
      return entity;
    }
    if ((*it)->getUserValue(kEntityUserValue, value)) return value;
  }
  return std::nullopt;
}

inline void Layer::setHighlight(std::optional<EntityIndex> selected, std::optional<EntityIndex> hovered) {
  osg::Node* selectedNode = selected ? nodeForEntity(*selected) : nullptr;
  osg::Node* hoveredNode = hovered && hovered != selected ? nodeForEntity(*hovered) : nullptr;
  // Clear what no longer applies first, then tint: a node can move from hovered to selected or back.
  for (osg::observer_ptr<osg::Node>* current : {&hoverHighlighted_, &highlighted_}) {
    osg::ref_ptr<osg::Node> previous;
    if (current->lock(previous) && previous.get() != selectedNode && previous.get() != hoveredNode) {
      previous->getOrCreateStateSet()->removeUniform("gt_highlight");
    }
  }
  hoverHighlighted_ = hoveredNode;
  highlighted_ = selectedNode;
  if (hoveredNode != nullptr) hoveredNode->getOrCreateStateSet()->addUniform(new osg::Uniform("gt_highlight", kHoverHighlight));
  if (selectedNode != nullptr) {
    selectedNode->getOrCreateStateSet()->addUniform(new osg::Uniform("gt_highlight", kSelectionHighlight));
  }
}

}  // namespace gt::layers
