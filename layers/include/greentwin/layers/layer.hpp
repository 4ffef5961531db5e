#pragma once
// A layer turns part of the twin's state into a scene-graph node. The public lifecycle (open) calls the
// protected hook (openImpl), so checks and status live in one place. Layers are created, opened and changed
// on the update/render thread only; their inputs arrive as immutable snapshots.

#include <osg/Group>
#include <osg/Uniform>
#include <osg/ref_ptr>

#include <array>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/status.hpp"

namespace gt::layers {

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

  virtual std::vector<LegendEntry> legend() const { return {}; }
  // The node that draws `entity`, for highlighting a selection; nullptr when this layer does not draw it.
  virtual osg::Node* nodeForEntity(EntityIndex /*entity*/) const { return nullptr; }
  // Warnings from loading that did not stop the layer (skipped features...), for the UI.
  const std::vector<std::string>& warnings() const { return warnings_; }

 protected:
  virtual Status openImpl() = 0;
  // Ground layers draw in render bins by order (depth test off: they lie on the ground under everything 3D);
  // a layer with several kinds of drawable uses bins base, base+1, base+2, base+3.
  int renderBinBase() const { return 100 + order_ * 4; }
  virtual void applyRenderBins() {}
  void addWarning(std::string warning) { warnings_.push_back(std::move(warning)); }
  LayerConfig config_;

 private:
  osg::ref_ptr<osg::Group> root_;
  osg::ref_ptr<osg::Uniform> opacityUniform_;
  LayerState state_ = LayerState::Created;
  Status status_;
  int order_ = 0;
  std::vector<std::string> warnings_;
};

// Scene-graph user value on every pickable drawable's parent node: the entity index it draws.
constexpr const char* kEntityUserValue = "gt_entity";
// ...and the id of the layer that owns it.
constexpr const char* kLayerUserValue = "gt_layer";

}  // namespace gt::layers
