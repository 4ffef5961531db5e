// bim_lod_speedup: frame time of the demo city with 50 placed BIM models (copies of the FZK-Haus, each on a
// house-sized footprint of the city, replacing its box) drawn with levels of detail, against the same city with
// every model always drawn (lod_distance_m = 0), offscreen, in the same run.
//
// Prints on stdout:  BENCH bim_lod_speedup <ratio> x target >=1 <PASS|MISS>   (median without / median with)
//                    BENCH bim_lod_frame_ms <ms> ms ...                         (the with-LOD median, for reference)
//
// Method (as render_bench): one 1280x720 EGL pbuffer, one SingleThreaded viewer; both twins (the same config but
// for lod_distance_m) are in the scene and frames alternate between them (the other's root is masked off), so the
// drift of a shared, noisy machine does not bias one side. A swap callback calls glFinish, so a frame's time
// includes the rasteriser's. Camera: 400 m from the first model, pitch -35 deg, looking over the village district
// where the 50 models stand (spread over ~2 km): the nearest models are within the LOD distance (600 m) and drawn
// on both sides; the far ones are drawn only without LOD. The FZK-Haus is imported once (the other 49 layers take
// it from the import cache: an overriding anchor is applied in the viewer, not baked into the import).

#include <osg/GL>
#include <osg/Timer>
#include <osgViewer/Viewer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <numbers>
#include <vector>

#include <spdlog/spdlog.h>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/connectors/bim_import.hpp"
#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/layers/bim_layer.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/camera.hpp"
#include "greentwin/viewer/egl_context.hpp"
#include "greentwin/runtime/twin.hpp"

#include "bench_support.hpp"

namespace {

namespace fs = std::filesystem;

constexpr int kWidth = 1280;
constexpr int kHeight = 720;
constexpr int kModels = 50;
constexpr int kWarmupFrames = 3;
constexpr int kTimedFrames = 15;
constexpr double kLodDistanceM = 600.0;
const char* kModel = "/usr/share/assimp/models/IFC/AC14-FZK-Haus.ifc";
// The district the models stand in: around the village footprint building/047920 (scene local, metres).
constexpr double kCentreX = 7405.6, kCentreY = -146.5;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

class FinishingSwap : public osg::GraphicsContext::SwapCallback {
 public:
  void swapBuffersImplementation(osg::GraphicsContext* gc) override {
    glFinish();
    gc->swapBuffersImplementation();
  }
};

struct Site {
  std::string buildingId;
  double x, y;
};

// 50 house-sized footprints (100..400 m2) within 2 km of the centre, spread: every k-th by distance.
std::vector<Site> pickSites(const gt::GeoFrame& frame) {
  gt::connectors::VectorReadOptions options;
  options.layerName = "buildings";
  options.idPrefix = "city-buildings";
  options.idAttribute = "id";
  auto city = gt::connectors::readVectorSource(gt::runtime::assetsDirectory() + "/demo/generated/tongzhou_city.gpkg",
                                               frame, options);
  if (!city) {
    std::fprintf(stderr, "bim_lod_bench: %s\n", city.status().message().c_str());
    return {};
  }
  std::vector<std::pair<double, Site>> candidates;
  for (const auto& f : city->features) {
    if (f.geometry.polygons.empty()) continue;
    const double area = gt::polygonArea(f.geometry.polygons.front());
    if (area < 100 || area > 400) continue;
    const gt::Vec3d c = gt::labelAnchor(f.geometry);
    const double d = std::hypot(c.x - kCentreX, c.y - kCentreY);
    if (d < 2000) candidates.push_back({d, {f.id, c.x, c.y}});
  }
  std::sort(candidates.begin(), candidates.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<Site> sites;
  const std::size_t step = std::max<std::size_t>(candidates.size() / kModels, 1);
  for (std::size_t i = 0; i < candidates.size() && sites.size() < kModels; i += step) sites.push_back(candidates[i].second);
  return sites;
}

gt::Config benchConfig(const std::vector<Site>& sites, const gt::bim::BimModel& model, double lodDistance) {
  gt::Config config;
  gt::LayerConfig city = gt::bench::demoBuildingsConfig("city-buildings");
  city.source = gt::runtime::assetsDirectory() + "/demo/generated/tongzhou_city.gpkg";
  config.layers.push_back(city);
  const double cx = (model.boundsMin.x + model.boundsMax.x) / 2, cy = (model.boundsMin.y + model.boundsMax.y) / 2;
  for (std::size_t i = 0; i < sites.size(); ++i) {
    gt::LayerConfig bim;
    bim.id = "fzk-" + std::to_string(i);
    bim.type = "bim";
    bim.source = kModel;
    gt::layers::BimOptions& options = gt::editLayerOptions<gt::layers::BimOptions>(bim);
    options.anchor.sceneX = sites[i].x - cx;
    options.anchor.sceneY = sites[i].y - cy;
    options.anchor.override = true;
    options.replacesBuilding = sites[i].buildingId;
    options.lodDistanceM = lodDistance;
    config.layers.push_back(bim);
  }
  config.clock.mode = "paused";
  return config;
}

}  // namespace

int main() {
  spdlog::set_level(spdlog::level::warn);  // stdout carries the BENCH lines
  const fs::path cache = fs::temp_directory_path() / "greentwin-bim-lod-bench";
  setenv("GREENTWIN_BIM_CACHE", cache.c_str(), 1);
  auto frame = gt::GeoFrame::create(116.72, 39.86);
  if (!frame) return 1;
  // One import up front: its bounds centre each copy on its footprint.
  gt::bim::BimImportOptions options;
  options.outputDir = cache / "probe";
  auto imported = gt::bim::importModelInProcess(kModel, options);
  if (!imported) {
    std::fprintf(stderr, "bim_lod_bench: %s\n", imported.status().message().c_str());
    return 1;
  }
  const std::vector<Site> sites = pickSites(*frame);
  if (sites.size() < static_cast<std::size_t>(kModels)) {
    std::fprintf(stderr, "bim_lod_bench: only %zu footprints found\n", sites.size());
    return 1;
  }
  auto withLod = gt::runtime::Twin::create(benchConfig(sites, imported->model, kLodDistanceM));
  auto withoutLod = gt::runtime::Twin::create(benchConfig(sites, imported->model, 0.0));
  if (!withLod || !withoutLod) {
    std::fprintf(stderr, "bim_lod_bench: twin: %s\n",
                 (!withLod ? withLod.status() : withoutLod.status()).message().c_str());
    return 1;
  }
  for (auto* twin : {withLod->get(), withoutLod->get()}) {
    for (const auto& layer : twin->layers()) {
      if (!layer->status()) {
        std::fprintf(stderr, "bim_lod_bench: layer %s: %s\n", layer->id().c_str(), layer->status().message().c_str());
        return 1;
      }
    }
  }

  osg::ref_ptr<gt::viewer::EglPbufferContext> context = new gt::viewer::EglPbufferContext(kWidth, kHeight);
  if (!context->status()) {
    std::fprintf(stderr, "bim_lod_bench: %s\n", context->status().message().c_str());
    return 1;
  }
  context->setSwapCallback(new FinishingSwap);
  osg::ref_ptr<osg::Group> root = new osg::Group;
  root->addChild((*withLod)->sceneRoot());
  root->addChild((*withoutLod)->sceneRoot());
  osg::ref_ptr<osgViewer::Viewer> viewer = new osgViewer::Viewer;
  viewer->setThreadingModel(osgViewer::ViewerBase::SingleThreaded);
  viewer->setSceneData(root.get());
  osg::Camera* camera = viewer->getCamera();
  camera->setGraphicsContext(context.get());
  camera->setViewport(0, 0, kWidth, kHeight);
  camera->setDrawBuffer(GL_BACK);
  camera->setReadBuffer(GL_BACK);
  camera->setClearColor(osg::Vec4(0.055f, 0.075f, 0.10f, 1.0f));
  camera->setProjectionMatrixAsPerspective(40.0, static_cast<double>(kWidth) / kHeight, 1.0, 100000.0);
  camera->setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
  viewer->realize();
  gt::viewer::OrbitPose pose;
  pose.center.set(sites[0].x, sites[0].y, 0.0);
  pose.headingDeg = 20.0;
  pose.pitchDeg = -35.0;
  pose.range = 400.0;
  camera->setViewMatrix(gt::viewer::viewMatrixFor(pose));

  std::vector<double> lodMs, allMs;
  for (int i = 0; i < kWarmupFrames + kTimedFrames; ++i) {
    for (int variant = 0; variant < 2; ++variant) {
      root->getChild(0)->setNodeMask(variant == 0 ? ~0u : 0u);
      root->getChild(1)->setNodeMask(variant == 1 ? ~0u : 0u);
      const osg::Timer_t start = osg::Timer::instance()->tick();
      viewer->frame();
      const double ms = osg::Timer::instance()->delta_m(start, osg::Timer::instance()->tick());
      if (i >= kWarmupFrames) (variant == 0 ? lodMs : allMs).push_back(ms);
    }
  }
  // How many models each side drew from this eye (the LOD rule; the other side draws all in view).
  const osg::Vec3d eye = osg::Vec3d() * camera->getInverseViewMatrix();
  int near = 0;
  for (const auto& s : sites) near += std::hypot(s.x - eye.x(), s.y - eye.y()) < kLodDistanceM ? 1 : 0;
  const double with = median(lodMs), without = median(allMs);
  std::fprintf(stderr, "bim_lod_bench: %d models, ~%d within %.0f m of the eye; median frame %.1f ms with LOD, %.1f ms "
                       "without\n", kModels, near, kLodDistanceM, with, without);
  gt::bench::printBench("bim_lod_speedup", without / with, "x", false, 1.0);
  gt::bench::printBench("bim_lod_frame_ms", with, "ms", true, 1000.0, "%.1f");
  return 0;
}
