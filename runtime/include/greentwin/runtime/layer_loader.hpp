#pragma once
// Loads layers in the background so that a long load never freezes the frame loop: one worker thread reads
// each layer's source (its own GDAL dataset) and builds its scene graph off-line; the update thread collects
// finished layers, registers their entities and merges their nodes into the scene under a per-frame budget.

#include <osg/Group>
#include <osg/ref_ptr>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/layer_registry.hpp"

namespace gt::runtime {

struct LoadProgress {
  std::string layerId;
  std::string stage;      // "queued", "reading", "building", "merging"
  double fraction = 0.0;  // 0..1 within the whole load, where known
};

// What the worker hands to the update thread.
struct LoadedLayer {
  LayerConfig config;
  std::unique_ptr<layers::Layer> layer;       // opened, or carrying its error status
  std::shared_ptr<FeatureSet> features;       // properties still inside: moved into entities on the update thread
  double seconds = 0.0;                       // read + build time on the worker
};

class LayerLoader {
 public:
  // `registry` must outlive the loader and must not gain types while loads run (it is read on the worker).
  LayerLoader(const GeoFrame& frame, const layers::LayerRegistry& registry);
  ~LayerLoader();  // cancels the current read and joins the worker
  LayerLoader(const LayerLoader&) = delete;
  LayerLoader& operator=(const LayerLoader&) = delete;

  // Queues a layer (paths already resolved). Loads run in submission order, so a terrain submitted first
  // grounds the layers after it.
  void submit(LayerConfig config);
  // Finished loads, in completion order. Update thread.
  std::vector<LoadedLayer> takeFinished();
  std::vector<LoadProgress> progress() const;
  bool idle() const;

 private:
  void run();
  LoadedLayer load(const LayerConfig& config);
  Result<FeatureSet> readFeatures(const LayerConfig& config);
  Result<FeatureSet> readCityModel(const LayerConfig& config);
  void setProgress(const std::string& id, const std::string& stage, double fraction);

  GeoFrame frame_;  // the worker's own copy (own PROJ context)
  const layers::LayerRegistry& registry_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<LayerConfig> queue_;
  std::vector<LoadedLayer> finished_;
  std::vector<LoadProgress> progress_;
  std::shared_ptr<const HeightField> ground_;  // worker only: the last terrain loaded
  std::atomic<bool> stop_{false};
  bool busy_ = false;
  std::thread worker_;
};

// Attaches staged nodes to their parents a few at a time: the first draw of a node uploads its buffers, so
// merging a 100k-building city in one frame would stall that frame. Update thread.
class MergeQueue {
 public:
  // Detaches every grandchild of `root` (layer root -> content groups -> batches) and queues it for merging.
  void stage(osg::Group* root);
  // Attaches queued nodes until `vertexBudget` vertices have been attached this call (at least one node).
  void mergeStep(std::size_t vertexBudget);
  bool empty() const { return pending_.empty(); }
  std::size_t pendingCount() const { return pending_.size(); }

 private:
  struct Pending {
    osg::ref_ptr<osg::Group> parent;
    osg::ref_ptr<osg::Node> child;
    std::size_t vertices;
  };
  std::deque<Pending> pending_;
};

}  // namespace gt::runtime
