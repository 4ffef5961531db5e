#pragma once
// The twin's layers, one part the Twin owns: the layers in draw order (placeholders while they load), the background
// loader and the merge queue that attaches their nodes a few per frame, the scene root, which layer registered each
// entity and where it is (its label anchor), the map labels, the scene bounds and the terrain's height field.
//
// Threads: the update thread; the loader's worker reads sources and builds layers off-line (layer_loader.hpp).

#include <osg/Group>
#include <osg/ref_ptr>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/core/vec.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/layer_registry.hpp"
#include "greentwin/runtime/layer_loader.hpp"

namespace gt::runtime {

// Map labels of one layer: where each labelled entity's label goes and which properties hold its text.
struct LabelSet {
  std::string layerId;
  int priority = 0;
  std::string attributeZh;
  std::string attributeEn;
  struct Anchor {
    EntityIndex entity;
    Vec3d position;
    float extentM;  // size of the feature on the ground (sqrt of area, or length); 0 for points
  };
  std::vector<Anchor> anchors;
};

class LayerSet {
 public:
  // `registry` must outlive this object and not gain types while loads run (the worker reads it).
  LayerSet(const GeoFrame& frame, const layers::LayerRegistry& registry);
  ~LayerSet();  // stops the loader's worker first
  LayerSet(const LayerSet&) = delete;
  LayerSet& operator=(const LayerSet&) = delete;

  // Queues a layer (paths resolved): a placeholder appears at once in the Created state, the loader reads it.
  void submit(LayerConfig config);
  // Swaps the loads that finished in for their placeholders: their entities are registered in `entities` (moving
  // the properties out of the features), labels and bounds noted, nodes staged for merging. Returns the layers
  // integrated, for the Twin's wiring (vehicles claims, BIM links).
  std::vector<layers::Layer*> integrateFinished(EntityStore& entities);
  // Attaches staged nodes within `vertexBudget` vertices.
  void mergeStep(std::size_t vertexBudget);
  bool loading() const;
  std::vector<LoadProgress> progress() const;

  // Brings every layer to the frame (Layer::update).
  void update(const layers::LayerFrame& frame);

  const std::vector<std::unique_ptr<layers::Layer>>& layers() const { return layers_; }
  layers::Layer* find(const std::string& id) const;
  void move(std::size_t index, int delta);

  // Which layer registered an entity (its id, "" for none) and where the entity is (its label anchor).
  void noteEntityOwner(EntityIndex entity, const std::string& layerId);
  layers::Layer* layerOfEntity(EntityIndex entity) const;
  const std::vector<std::string>& entityOwners() const { return entityLayer_; }
  void setEntityPosition(EntityIndex entity, const Vec3d& position);
  std::optional<Vec3d> entityPosition(EntityIndex entity) const;

  const std::shared_ptr<const HeightField>& ground() const { return ground_; }
  const std::vector<LabelSet>& labelSets() const { return labelSets_; }
  osg::Group* root() const { return root_.get(); }
  const Bounds& bounds() const { return bounds_; }

 private:
  layers::Layer* integrate(LoadedLayer loaded, EntityStore& entities);
  void applyOrders();

  const layers::LayerRegistry& registry_;
  std::vector<std::unique_ptr<layers::Layer>> layers_;
  std::vector<std::string> entityLayer_;  // entity index -> id of the layer that registered it
  std::vector<Vec3d> entityPosition_;     // entity index -> label anchor (NaN x: none)
  osg::ref_ptr<osg::Group> root_;
  Bounds bounds_;
  MergeQueue mergeQueue_;
  std::vector<LabelSet> labelSets_;
  std::shared_ptr<const HeightField> ground_;
  std::unique_ptr<LayerLoader> loader_;  // last: its worker reads the registry and must stop first
};

}  // namespace gt::runtime
