#include "greentwin/runtime/layer_loader.hpp"

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/NodeVisitor>
#include <spdlog/spdlog.h>

#include <chrono>

#include "greentwin/connectors/citygml_reader.hpp"
#include "greentwin/connectors/raster_reader.hpp"
#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/layers/terrain_layer.hpp"
#include "bim_loading.hpp"

namespace gt::runtime {
namespace {

// A layer whose data could not be loaded: draws nothing, carries the error for the UI.
class ErrorLayer : public layers::Layer {
 public:
  ErrorLayer(LayerConfig config, Status error) : Layer(std::move(config)), error_(std::move(error)) {}

 protected:
  Status openImpl() override { return error_; }

 private:
  Status error_;
};

class VertexCounter : public osg::NodeVisitor {
 public:
  VertexCounter() : osg::NodeVisitor(TRAVERSE_ALL_CHILDREN) {}
  void apply(osg::Geode& geode) override {
    for (unsigned i = 0; i < geode.getNumDrawables(); ++i) {
      if (const osg::Geometry* g = geode.getDrawable(i)->asGeometry(); g != nullptr && g->getVertexArray() != nullptr) {
        count += g->getVertexArray()->getNumElements();
      }
    }
  }
  std::size_t count = 0;
};

}  // namespace

LayerLoader::LayerLoader(const GeoFrame& frame, const layers::LayerRegistry& registry)
    : frame_(frame), registry_(registry), worker_([this] { run(); }) {}

LayerLoader::~LayerLoader() {
  stop_ = true;
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
}

void LayerLoader::submit(LayerConfig config) {
  {
    std::lock_guard lock(mutex_);
    progress_.push_back({config.id, "queued", 0.0});
    queue_.push_back(std::move(config));
  }
  wake_.notify_one();
}

std::vector<LoadedLayer> LayerLoader::takeFinished() {
  std::lock_guard lock(mutex_);
  std::vector<LoadedLayer> out = std::move(finished_);
  finished_.clear();
  return out;
}

std::vector<LoadProgress> LayerLoader::progress() const {
  std::lock_guard lock(mutex_);
  return progress_;
}

bool LayerLoader::idle() const {
  std::lock_guard lock(mutex_);
  return queue_.empty() && !busy_ && finished_.empty();
}

void LayerLoader::setProgress(const std::string& id, const std::string& stage, double fraction) {
  std::lock_guard lock(mutex_);
  for (auto& p : progress_) {
    if (p.layerId == id) {
      p.stage = stage;
      p.fraction = fraction;
    }
  }
}

// Worker thread.
void LayerLoader::run() {
  while (true) {
    LayerConfig config;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      config = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
    }
    LoadedLayer loaded = load(config);
    std::lock_guard lock(mutex_);
    std::erase_if(progress_, [&config](const LoadProgress& p) { return p.layerId == config.id; });
    finished_.push_back(std::move(loaded));
    busy_ = false;
  }
}

// Worker thread: a vector source's features (GDAL/OGR), reporting progress and stopping when the loader stops.
Result<FeatureSet> LayerLoader::readFeatures(const LayerConfig& config) {
  connectors::VectorReadOptions options;
  options.idPrefix = config.id;
  options.layerName = config.sourceLayer;
  options.idAttribute = config.idAttribute;
  options.assumeCrs = config.assumeCrs;
  options.progress = [this, &config](std::size_t done, std::size_t total) {
    setProgress(config.id, "reading", total > 0 ? 0.8 * static_cast<double>(done) / static_cast<double>(total) : 0.0);
    return !stop_.load();
  };
  return connectors::readVectorSource(config.source, frame_, options);
}

// Worker thread: a CityGML file's buildings (libcitygml).
Result<FeatureSet> LayerLoader::readCityModel(const LayerConfig& config) {
  connectors::CityGmlReadOptions options;
  options.idPrefix = config.id;
  options.assumeCrs = config.assumeCrs;
  return connectors::readCityGml(config.source, frame_, options);
}

// Worker thread: read, then build the layer's nodes (not attached to any scene yet).
LoadedLayer LayerLoader::load(const LayerConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  LoadedLayer out;
  out.config = config;
  layers::LayerInputs inputs{config, nullptr};
  std::string imageryError;  // a terrain whose imagery could not be read: drawn with its hillshade, and this warning
  // What to read comes from the type (its traits); a type the registry does not know reads nothing and fails at
  // create() with the known types named.
  using Data = layers::LayerTraits::Data;
  const Data data = registry_.traits(config.type).data;
  // A source that cannot be read: the layer is an error layer with the reader's message (the twin runs on).
  const auto failed = [&out, &config](const Status& status) {
    out.layer = std::make_unique<ErrorLayer>(config, status);
    (void)out.layer->open();
    return std::move(out);
  };
  if (data == Data::Features || data == Data::CityModel) {
    setProgress(config.id, "reading", 0.0);
    auto read = data == Data::Features ? readFeatures(config) : readCityModel(config);
    if (!read) return failed(read.status());
    out.features = std::make_shared<FeatureSet>(std::move(*read));
    inputs.features = out.features;
  }
  if (data == Data::Raster) {
    setProgress(config.id, "reading", 0.1);
    connectors::RasterReadOptions options;
    options.assumeCrs = config.assumeCrs;
    options.resolution = config.resolutionM;
    auto dem = connectors::readRasterToScene(config.source, frame_, options);
    if (!dem) return failed(dem.status());
    inputs.raster = std::make_shared<const RasterGrid>(std::move(*dem));
    if (const std::string& imagery = layers::terrainOptions(config).imagery; !imagery.empty()) {
      // At its own resolution (not the DEM's), over the DEM's extent only, under the cap on cells (4096 x 4096 RGBA,
      // 64 MB): a huge file is decimated (through its overviews when it has them), never read whole.
      connectors::RasterReadOptions imageryOptions;
      imageryOptions.assumeCrs = config.assumeCrs;
      imageryOptions.clip.extend({inputs.raster->minX(), inputs.raster->minY(), 0.0});
      imageryOptions.clip.extend({inputs.raster->maxX(), inputs.raster->maxY(), 0.0});
      auto draped = connectors::readImageryToScene(imagery, frame_, imageryOptions);
      if (draped) {
        inputs.imagery = std::make_shared<const RgbaImage>(std::move(*draped));
      } else {
        imageryError = "imagery not draped, hillshade used: " + draped.status().message();
        spdlog::warn("layer '{}': {}", config.id, imageryError);
      }
    }
  }
  if (data == Data::BimModel) {
    // The importer process (or the cache) first; only its .osgb is read here (bim_loading.hpp).
    setProgress(config.id, "reading", 0.1);
    auto model = loadBimModel(config, frame_);
    if (!model) return failed(model.status());
    if (!model->fromCache) spdlog::info("layer '{}': imported in {:.2f} s", config.id, model->importSeconds);
    out.features = model->elements;
    inputs.features = model->elements;
    inputs.bim = model->scene;
  }
  inputs.ground = ground_;  // clamp to the last terrain loaded before this layer
  setProgress(config.id, "building", 0.8);
  auto created = registry_.create(inputs);
  out.layer = created ? std::move(*created) : std::make_unique<ErrorLayer>(config, created.status());
  (void)out.layer->open();  // the status stays on the layer, for the UI
  if (!imageryError.empty() && created) out.layer->noteWarning(imageryError);  // shown with the layer, not only logged
  if (auto heights = out.layer->heightField()) ground_ = std::move(heights);  // a terrain grounds the next layers
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

void MergeQueue::stage(osg::Group* root) {
  for (unsigned i = 0; i < root->getNumChildren(); ++i) {
    osg::Group* content = root->getChild(i)->asGroup();
    if (content == nullptr) continue;
    while (content->getNumChildren() > 0) {
      osg::ref_ptr<osg::Node> child = content->getChild(0);
      content->removeChild(0u);
      VertexCounter counter;
      child->accept(counter);
      pending_.push_back({content, child, counter.count});
    }
  }
}

void MergeQueue::mergeStep(std::size_t vertexBudget) {
  std::size_t merged = 0;
  while (!pending_.empty() && (merged == 0 || merged + pending_.front().vertices <= vertexBudget)) {
    Pending next = std::move(pending_.front());
    pending_.pop_front();
    next.parent->addChild(next.child.get());
    merged += std::max<std::size_t>(next.vertices, 1);
  }
}

}  // namespace gt::runtime
