#pragma once
// The twin's state as the viewer holds it: config, geo frame, entities, time series, the one clock, and the
// layers with the scene graph they build. Created and changed on the update/render thread only; layer data
// is read and built on the loader's worker thread and merged here.

#include <osg/Group>
#include <osg/ref_ptr>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/clock.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/update_channel.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/layer_registry.hpp"
#include "greentwin/viewer/layer_loader.hpp"

namespace gt::viewer {

enum class LoadMode {
  Synchronous,  // create() returns with every layer loaded (tests, headless tools)
  Background,   // create() returns at once; layers arrive over the next frames (the window)
};

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

class Twin {
 public:
  // Vertices attached to the scene per frame while a load merges (a city's worth takes a few dozen frames).
  static constexpr std::size_t kDefaultMergeBudget = 400'000;

  // Builds the twin from a config. Only an unusable geo frame is fatal; a layer that fails to load is kept with
  // its error status (shown in the UI) and the rest of the twin runs on.
  static Result<std::unique_ptr<Twin>> create(Config config, Clock::WallSource wall = {},
                                              LoadMode mode = LoadMode::Synchronous);
  ~Twin();

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

  // Live feeds: per publisher health (rate, gaps, last seen, STALE) and each configured source's status.
  std::vector<PublisherHealth> feedHealth() const { return feedHealth_.snapshot(wallNow()); }  // wall time, as received
  struct SourceState {
    std::string id;
    std::string endpoint;
    Status status;  // why it is not running, or ok
  };
  const std::vector<SourceState>& sources() const { return sourceStates_; }
  // Samples applied to the time-series store so far (all sources).
  std::uint64_t samplesApplied() const { return samplesApplied_; }

  // Per frame, update thread: collects finished loads and merges their nodes within `vertexBudget`, then applies
  // the live samples that arrived since the last frame to the time-series store.
  void update(std::size_t vertexBudget = kDefaultMergeBudget);
  // True while layers are queued, loading or merging.
  bool loading() const;
  std::vector<LoadProgress> loadProgress() const;
  // Pumps update() until nothing is loading; `onProgress` is called about twice a second (console progress).
  Status waitUntilLoaded(std::chrono::milliseconds timeout,
                         const std::function<void(const std::vector<LoadProgress>&)>& onProgress = {});
  // Adds a layer at run time (from the UI): a unique id is required; a relative source resolves against the
  // config's folder. The layer appears at once with a loading state and loads in the background.
  Status addLayer(LayerConfig config);

  // Layers in draw order (index 0 draws first, at the bottom). A layer still loading is a placeholder in the
  // Created state.
  const std::vector<std::unique_ptr<layers::Layer>>& layers() const { return layers_; }
  layers::Layer* findLayer(const std::string& id) const;
  // Applies edited style settings to a loaded layer in place (colours, widths); errors say what cannot change.
  Status restyleLayer(const std::string& id, const LayerStyleConfig& style);
  // Reorders: moves the layer at `index` by `delta` places (clamped); orders are reapplied.
  void moveLayer(std::size_t index, int delta);
  // Which layer drew an entity (the one that registered it), or nullptr.
  layers::Layer* layerOfEntity(EntityIndex entity) const;

  // The terrain's height field (nullptr while there is none): labels and picks sit on it.
  const std::shared_ptr<const HeightField>& ground() const { return ground_; }

  // Labels of the loaded layers that have label attributes in their style.
  const std::vector<LabelSet>& labelSets() const { return labelSets_; }

  osg::Group* sceneRoot() const { return root_.get(); }
  // Scene extent in local coordinates (from the loaded layers), for home views and clipping planes.
  const Bounds& bounds() const { return bounds_; }

  // Converts a config camera pose to local scene coordinates: centre point.
  Result<Vec3d> poseCenter(const CameraPose& pose) const;

 private:
  Twin(Config config, GeoFrame frame, Clock::WallSource wall);
  void submitLayer(LayerConfig config);
  void startSources();
  void applyLiveSamples();
  void integrate(LoadedLayer loaded);
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
  MergeQueue mergeQueue_;
  std::vector<LabelSet> labelSets_;
  std::shared_ptr<const HeightField> ground_;
  // Live feeds. The ingest threads use the channel, health and directory: declared after them, destroyed first.
  static constexpr std::size_t kChannelCapacity = std::size_t{1} << 20;
  UpdateChannel channel_{kChannelCapacity};
  FeedHealth feedHealth_;
  EntityDirectory directory_;
  std::size_t publishedEntities_ = 0;
  std::size_t publishedAttributes_ = 0;
  std::vector<SampleUpdate> drained_;
  std::uint64_t samplesApplied_ = 0;
  std::vector<SourceState> sourceStates_;
  std::vector<std::unique_ptr<connectors::ZmqIngest>> ingests_;
  std::unique_ptr<LayerLoader> loader_;  // last: its worker reads layerRegistry_ and must stop first
};

}  // namespace gt::viewer
