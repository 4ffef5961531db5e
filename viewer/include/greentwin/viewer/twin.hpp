#pragma once
// The twin's state as the viewer holds it: config, geo frame, entities, time series, the one clock, and the
// layers with the scene graph they build. Created and changed on the update/render thread only.

#include <osg/Group>
#include <osg/ref_ptr>

#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/clock.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/layer_registry.hpp"

namespace gt::viewer {

class Twin {
 public:
  // Builds the twin from a config. Only an unusable geo frame is fatal; a layer that fails to load is kept with
  // its error status (shown in the UI) and the rest of the twin runs on.
  static Result<std::unique_ptr<Twin>> create(Config config, Clock::WallSource wall = {});

  const Config& config() const { return config_; }
  const GeoFrame& geoFrame() const { return geoFrame_; }
  EntityStore& entities() { return entities_; }
  const EntityStore& entities() const { return entities_; }
  TimeSeriesStore& timeSeries() { return timeSeries_; }
  Clock& clock() { return clock_; }
  const Clock& clock() const { return clock_; }
  // Reads the clock once for the frame about to be drawn; every layer and panel then uses frameTime(), so
  // nothing in one frame sees two different times.
  void beginFrame() { frameTime_ = clock_.now(); }
  TimePoint frameTime() const { return frameTime_; }

  // Layers in draw order (index 0 draws first, at the bottom).
  const std::vector<std::unique_ptr<layers::Layer>>& layers() const { return layers_; }
  layers::Layer* findLayer(const std::string& id) const;
  // Reorders: moves the layer at `index` by `delta` places (clamped); orders are reapplied.
  void moveLayer(std::size_t index, int delta);
  // Which layer drew an entity (the one that registered it), or nullptr.
  layers::Layer* layerOfEntity(EntityIndex entity) const;

  osg::Group* sceneRoot() const { return root_.get(); }
  // Scene extent in local coordinates (from the loaded layers), for home views and clipping planes.
  const Bounds& bounds() const { return bounds_; }

  // Converts a config camera pose to local scene coordinates: centre point.
  Result<Vec3d> poseCenter(const CameraPose& pose) const;

 private:
  Twin(Config config, GeoFrame frame, Clock::WallSource wall);
  void loadLayers();
  void applyOrders();

  Config config_;
  GeoFrame geoFrame_;
  EntityStore entities_;
  TimeSeriesStore timeSeries_;
  Clock clock_;
  TimePoint frameTime_ = 0;
  layers::LayerRegistry layerRegistry_;
  std::vector<std::unique_ptr<layers::Layer>> layers_;
  std::vector<std::string> entityLayer_;  // entity index -> id of the layer that registered it
  osg::ref_ptr<osg::Group> root_;
  Bounds bounds_;
};

}  // namespace gt::viewer
