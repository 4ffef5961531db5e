#pragma once
// Draws a FeatureSet flat on the ground: polygons filled and outlined, lines, points. Each feature gets its own
// node carrying its entity index, so a pick resolves to the feature. (Batched tiles for tens of thousands of
// features come with the 3D-city work.)

#include <memory>

#include "greentwin/core/feature.hpp"
#include "greentwin/layers/layer.hpp"

namespace gt::layers {

class VectorLayer : public Layer {
 public:
  VectorLayer(LayerConfig config, std::shared_ptr<const FeatureSet> features);

  std::vector<LegendEntry> legend() const override;
  osg::Node* nodeForEntity(EntityIndex entity) const override;
  const FeatureSet* features() const { return features_.get(); }

 protected:
  Status openImpl() override;
  void applyRenderBins() override;

 private:
  std::shared_ptr<const FeatureSet> features_;
  Rgba fill_{};
  Rgba outline_{};
  bool hasPolygons_ = false;
  bool hasLines_ = false;
  bool hasPoints_ = false;
};

}  // namespace gt::layers
