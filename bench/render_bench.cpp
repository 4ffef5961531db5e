// Render benchmarks: what batching the 3D buildings per tile and recolouring them through the value texture
// cost on the headless renderer (EGL pbuffer; Mesa llvmpipe on the dev and CI machines).
//
// Prints one line per figure on stdout (progress and the per-configuration details go to stderr):
//   BENCH <name> <value> <unit> target <op><value> <PASS|MISS>
//
//   render_batched_speedup_{10k,50k,100k}  median frame time of N buildings as one scene node each (the baseline,
//                                          BuildingBuildOptions::batched = false) / the same N batched per tile
//   render_frame_batched_100k_ms           the absolute median behind the 100k ratio (batched side; both sides'
//                                          medians are on stderr)
//   recolour_overhead                      (recolour - plain) / plain: median frame time of the batched 100k city
//                                          when every frame recolours every building from fresh values, against
//                                          the same city, same live colouring, not recoloured
//
// Method, the same for every figure:
//  - One 1280x720 EGL pbuffer, one SingleThreaded osgViewer::Viewer on it, set up like the app's headless render
//    (viewer/src/app.cpp renderOffscreen: perspective 40 deg, lighting off, the app's clear colour); no UI overlay.
//  - Both variants of a comparison are in the scene at once and frames alternate between them (the other is hidden
//    with Layer::setVisible(false), which a cull traversal rejects at its root). Alternating cancels the drift of a
//    shared, noisy machine (other builds run beside this one) that back-to-back blocks would turn into a bias.
//  - A frame is timed around viewer.frame() (event, update, cull, draw); a swap callback calls glFinish before the
//    swap, so the software rasteriser has really finished the frame inside the timing. Frames after warm-up only
//    (the first frames upload vertex buffers, compile the shader and the value texture); the figure is the median.
//  - Camera: OrbitPose centred on the buildings' bounds, heading 0, pitch -60, range such that the bounding
//    sphere of the whole city is inside the view frustum. Every building is in view, so neither side gains from
//    culling: the comparison is of draw dispatch (per-node cull + per-drawable state/draw calls) against the same
//    vertex and fragment work. For the same reason OSG's small-feature culling (on by default: it drops drawables
//    under 2 px, which at this range would be most single buildings but no tile) is switched off; the drawables
//    actually drawn are counted from the render stage and checked against the expected number.
//  - Same shader and colouring on both sides: the layer's own program, static categorical style by `use`.
//
// Data: the generated demo city (assets/demo/generated/tongzhou_city.gpkg, 60,000 synthetic footprints in
// Tongzhou, built by the greentwin_demo_data target). N <= 60k takes the first N features. 100k takes all 60k plus
// the first 40k again, translated east by the city's width + 2 km: a second, equally dense district beside the
// first (same footprint shapes, sizes, heights and density; no overlaps), framed by the same kind of camera.

#include <osg/Camera>
#include <osg/GL>
#include <osg/GLObjects>
#include <osg/GraphicsContext>
#include <osg/Group>
#include <osg/Timer>
#include <osgUtil/RenderStage>
#include <osgUtil/SceneView>
#include <osgUtil/Statistics>
#include <osgViewer/Renderer>
#include <osgViewer/Viewer>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/layers/building_layer.hpp"
#include "greentwin/layers/style.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/camera.hpp"
#include "greentwin/viewer/egl_context.hpp"

#include "bench_support.hpp"

using gt::bench::median;
using gt::bench::printBench;

namespace {

using gt::FeatureSet;
using gt::layers::BuildingBuildOptions;
using gt::layers::BuildingLayer;

constexpr int kWidth = 1280;
constexpr int kHeight = 720;
constexpr double kFovYDeg = 40.0;
constexpr int kWarmupFrames = 3;        // per variant, before timing
constexpr int kSpeedupFrames = 15;      // timed frames per variant for each speedup figure
constexpr int kRecolourFrames = 25;     // timed frames per variant for the recolour figure
constexpr double kSpeedupTarget = 3.0;  // DESIGN.md "Rendering for scale": ~3x at 100k on software GL
// The 10k and 50k figures show the trend; the issue sets no target for them, so their line only checks that
// batching never makes the city slower (the fixed per-frame cost hides more of the gain in smaller cities).
constexpr double kSmallCitySpeedupFloor = 1.0;
constexpr double kRecolourTarget = 0.10;

// ---- output --------------------------------------------------------------------------------------------------

// ---- data ----------------------------------------------------------------------------------------------------

gt::Result<FeatureSet> loadCity() {
  const std::string path = gt::runtime::assetsDirectory() + "/demo/generated/tongzhou_city.gpkg";
  auto frame = gt::GeoFrame::create(116.72, 39.86);
  if (!frame) return frame.status();
  gt::connectors::VectorReadOptions options;
  options.layerName = "buildings";
  options.idPrefix = "city-buildings";
  return gt::connectors::readVectorSource(path, *frame, options);
}

gt::Bounds boundsOf(const FeatureSet& set) {
  gt::Bounds b;
  for (const auto& f : set.features) {
    for (const auto& polygon : f.geometry.polygons) {
      for (const auto& p : polygon.rings.front()) b.extend(p);
    }
  }
  return b;
}

// The first n buildings of the city; past the city's size, copies of its first buildings translated east by the
// city's width + 2 km (see the header comment).
std::shared_ptr<const FeatureSet> citySlice(const FeatureSet& city, std::size_t n) {
  auto set = std::make_shared<FeatureSet>();
  set->source = city.source;
  set->sourceCrs = city.sourceCrs;
  const gt::Bounds cityBounds = boundsOf(city);
  const double shift = (cityBounds.max.x - cityBounds.min.x) + 2000.0;
  set->features.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t copy = i / city.features.size();
    gt::Feature f = city.features[i % city.features.size()];
    if (copy > 0) {
      f.id += "/copy" + std::to_string(copy);
      for (auto& polygon : f.geometry.polygons) {
        for (auto& ring : polygon.rings) {
          for (auto& p : ring) p.x += shift * static_cast<double>(copy);
        }
      }
    }
    f.entity = static_cast<gt::EntityIndex>(i);
    set->features.push_back(std::move(f));
  }
  set->bounds = boundsOf(*set);
  return set;
}

std::unique_ptr<BuildingLayer> openLayer(std::shared_ptr<const FeatureSet> set, bool batched, const char* id) {
  BuildingBuildOptions options;
  options.batched = batched;
  auto layer = std::make_unique<BuildingLayer>(gt::bench::demoBuildingsConfig(id), std::move(set), nullptr, options);
  if (const gt::Status s = layer->open(); !s) {
    std::fprintf(stderr, "render_bench: layer '%s' did not open: %s\n", id, s.message().c_str());
    return nullptr;
  }
  return layer;
}

// ---- rendering -----------------------------------------------------------------------------------------------

// Finishes the frame's GL work before the swap, so the time of viewer.frame() includes the rasteriser's.
class FinishingSwap : public osg::GraphicsContext::SwapCallback {
 public:
  void swapBuffersImplementation(osg::GraphicsContext* gc) override {
    glFinish();
    gc->swapBuffersImplementation();
  }
};

class Renderer {
 public:
  bool init() {
    context_ = new gt::viewer::EglPbufferContext(kWidth, kHeight);
    if (!context_->status()) {
      std::fprintf(stderr, "render_bench: %s\n", context_->status().message().c_str());
      return false;
    }
    context_->setSwapCallback(new FinishingSwap);
    root_ = new osg::Group;
    viewer_ = new osgViewer::Viewer;
    viewer_->setThreadingModel(osgViewer::ViewerBase::SingleThreaded);
    viewer_->setSceneData(root_.get());
    osg::Camera* camera = viewer_->getCamera();
    camera->setGraphicsContext(context_.get());
    camera->setViewport(0, 0, kWidth, kHeight);
    camera->setDrawBuffer(GL_BACK);
    camera->setReadBuffer(GL_BACK);
    camera->setClearColor(osg::Vec4(0.055f, 0.075f, 0.10f, 1.0f));
    camera->setProjectionMatrixAsPerspective(kFovYDeg, static_cast<double>(kWidth) / kHeight, 10.0, 500000.0);
    camera->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);
    // Every building is in view (see the header): no small-feature culling, which would favour the baseline.
    camera->setCullingMode(camera->getCullingMode() & ~osg::CullSettings::SMALL_FEATURE_CULLING);
    viewer_->realize();
    if (!viewer_->isRealized()) {
      std::fprintf(stderr, "render_bench: the headless viewer could not be realised\n");
      return false;
    }
    std::fprintf(stderr, "render_bench: EGL platform '%s', %dx%d\n", context_->platform().c_str(), kWidth, kHeight);
    return true;
  }

  osg::Group* root() { return root_.get(); }

  // The whole of `bounds` in view: the bounding sphere of the footprints (tallest buildings are < 5% of the
  // radius) fits in the narrower (vertical) half-angle of the frustum, with 10% margin.
  void frame(const gt::Bounds& bounds) {
    const gt::Vec3d c = bounds.center();
    const double radius = 0.5 * std::hypot(bounds.max.x - bounds.min.x, bounds.max.y - bounds.min.y) + 200.0;
    gt::viewer::OrbitPose pose;
    pose.center.set(c.x, c.y, 0.0);
    pose.headingDeg = 0.0;
    pose.pitchDeg = -60.0;
    pose.range = 1.1 * radius / std::sin(0.5 * kFovYDeg * std::numbers::pi / 180.0);
    viewer_->getCamera()->setViewMatrix(gt::viewer::viewMatrixFor(pose));
  }

  // Milliseconds of one viewer.frame(), glFinish included.
  double timedFrame(const std::function<void()>& beforeFrame = {}) {
    const osg::Timer_t start = osg::Timer::instance()->tick();
    if (beforeFrame) beforeFrame();
    viewer_->frame();
    return osg::Timer::instance()->delta_m(start, osg::Timer::instance()->tick());
  }

  // The pixels of one (untimed) frame.
  osg::ref_ptr<osg::Image> capturedFrame(const std::function<void()>& beforeFrame = {}) {
    context_->captureNextSwap();
    timedFrame(beforeFrame);
    return context_->takeCapture();
  }

  // Drawables in the last frame's render stage (both scene views of the renderer: the larger count).
  int drawablesDrawn() {
    auto* renderer = dynamic_cast<osgViewer::Renderer*>(viewer_->getCamera()->getRenderer());
    if (renderer == nullptr) return -1;
    int most = -1;
    for (unsigned i = 0; i < 2; ++i) {
      osgUtil::SceneView* sv = renderer->getSceneView(i);
      if (sv == nullptr || sv->getRenderStage() == nullptr) continue;
      osgUtil::Statistics stats;
      sv->getRenderStage()->getStats(stats);
      most = std::max(most, stats.numDrawables);
    }
    return most;
  }

  // Deletes the GL objects of nodes that were removed from the scene, so the next measurement does not pay for it.
  void flushDeleted() {
    context_->makeCurrent();
    osg::flushAllDeletedGLObjects(context_->getState()->getContextID());
    context_->releaseContext();
  }

  void shutdown() {
    root_->removeChildren(0, root_->getNumChildren());
    viewer_->setDone(true);
    viewer_ = nullptr;
  }

 private:
  osg::ref_ptr<gt::viewer::EglPbufferContext> context_;
  osg::ref_ptr<osg::Group> root_;
  osg::ref_ptr<osgViewer::Viewer> viewer_;
};

// Alternates frames between two layers (the other hidden) and returns the median frame time of each (ms).
struct PairTimes {
  double a = 0;
  double b = 0;
};

PairTimes alternate(Renderer& r, BuildingLayer& a, BuildingLayer& b, int frames) {
  std::vector<double> ta;
  std::vector<double> tb;
  for (int i = 0; i < frames; ++i) {
    // Swap the order every round: neither side always follows the other.
    for (int k = 0; k < 2; ++k) {
      const bool doA = (k == 0) == (i % 2 == 0);
      a.setVisible(doA);
      b.setVisible(!doA);
      (doA ? ta : tb).push_back(r.timedFrame());
    }
  }
  return {median(ta), median(tb)};
}

int warmUp(Renderer& r, BuildingLayer& show, BuildingLayer& hide) {
  show.setVisible(true);
  hide.setVisible(false);
  for (int i = 0; i < kWarmupFrames; ++i) r.timedFrame();
  return r.drawablesDrawn();
}

// ---- figures -------------------------------------------------------------------------------------------------

struct SpeedupResult {
  bool ok = false;
  double batchedMs = 0;
  double unbatchedMs = 0;
  std::unique_ptr<BuildingLayer> batched;  // kept for the recolour figure
};

SpeedupResult measureSpeedup(Renderer& r, const FeatureSet& city, std::size_t n) {
  SpeedupResult out;
  const osg::Timer_t t0 = osg::Timer::instance()->tick();
  auto set = citySlice(city, n);
  out.batched = openLayer(set, true, "batched");
  auto unbatched = openLayer(set, false, "unbatched");
  if (!out.batched || !unbatched) return out;
  const double buildS = osg::Timer::instance()->delta_s(t0, osg::Timer::instance()->tick());

  r.root()->addChild(out.batched->node());
  r.root()->addChild(unbatched->node());
  r.frame(set->bounds);
  const int batchedDrawn = warmUp(r, *out.batched, *unbatched);
  const int unbatchedDrawn = warmUp(r, *unbatched, *out.batched);
  std::fprintf(stderr, "render_bench: %zu buildings: built in %.1f s; batched %zu geometries (%d drawn), unbatched %zu (%d drawn)\n",
               n, buildS, out.batched->batchCount(), batchedDrawn, unbatched->batchCount(), unbatchedDrawn);
  if (batchedDrawn != static_cast<int>(out.batched->batchCount()) ||
      unbatchedDrawn != static_cast<int>(unbatched->batchCount())) {
    std::fprintf(stderr, "render_bench: not every building was drawn (camera or culling): the comparison is void\n");
    return out;
  }
  const PairTimes t = alternate(r, *out.batched, *unbatched, kSpeedupFrames);
  out.batchedMs = t.a;
  out.unbatchedMs = t.b;
  std::fprintf(stderr, "render_bench: %zu buildings: median frame batched %.1f ms, unbatched %.1f ms\n", n, t.a, t.b);

  r.root()->removeChild(unbatched->node());
  r.root()->removeChild(out.batched->node());
  unbatched.reset();
  r.flushDeleted();
  out.ok = out.batchedMs > 0;
  return out;
}

bool measureRecolour(Renderer& r, std::unique_ptr<BuildingLayer> city, std::size_t n) {
  // A second layer object over the same features would double the GL memory; instead the same layer is drawn in
  // both variants, and only whether setLiveValues runs before the frame differs.
  gt::LayerStyleConfig style;
  style.colorMode = "graduated";
  style.colorBy = "load_kw";
  style.breaks = {20, 40, 60, 80};
  style.colors = {"#1a9850", "#91cf60", "#fee08b", "#fc8d59", "#d73027"};
  auto rule = gt::layers::ColorRule::fromConfig("batched", style);
  if (!rule) {
    std::fprintf(stderr, "render_bench: %s\n", rule.status().message().c_str());
    return false;
  }
  std::mt19937 rng(20250906);
  std::uniform_real_distribution<float> load(0.0f, 100.0f);
  std::vector<float> values(n);
  const auto refill = [&] {
    for (float& v : values) v = load(rng);
  };
  refill();
  // Plain frames use the same live (graduated) colouring, set once: the shader path is the same on both sides and
  // the difference is the per-frame recolour alone (setLiveValues' texel writes + the value-texture upload).
  city->setLiveValues(*rule, values);
  r.root()->addChild(city->node());
  city->setVisible(true);
  for (int i = 0; i < kWarmupFrames; ++i) r.timedFrame();
  // The recolour must reach the screen (value texture re-uploaded), or the figure would measure nothing.
  const osg::ref_ptr<osg::Image> before = r.capturedFrame();
  refill();
  const osg::ref_ptr<osg::Image> after = r.capturedFrame([&] { city->setLiveValues(*rule, values); });
  if (!before || !after || before->getTotalSizeInBytes() != after->getTotalSizeInBytes() ||
      std::memcmp(before->data(), after->data(), before->getTotalSizeInBytes()) == 0) {
    std::fprintf(stderr, "render_bench: recolouring did not change the frame: the comparison is void\n");
    return false;
  }

  std::vector<double> plain;
  std::vector<double> recolour;
  for (int i = 0; i < kRecolourFrames; ++i) {
    for (int k = 0; k < 2; ++k) {
      const bool doRecolour = (k == 0) == (i % 2 == 0);
      if (doRecolour) {
        refill();  // fresh values every recoloured frame; generating them is the feed's work, not timed
        recolour.push_back(r.timedFrame([&] { city->setLiveValues(*rule, values); }));
      } else {
        plain.push_back(r.timedFrame());
      }
    }
  }
  const double p = median(plain);
  const double c = median(recolour);
  std::fprintf(stderr, "render_bench: recolour %zu buildings: median frame plain %.1f ms, recoloured %.1f ms\n", n, p, c);
  r.root()->removeChild(city->node());
  city.reset();
  r.flushDeleted();
  if (p <= 0) return false;
  printBench("recolour_overhead", (c - p) / p, "fraction", true, kRecolourTarget, "%.3f");
  return true;
}

}  // namespace

int main() {
  const osg::Timer_t start = osg::Timer::instance()->tick();
  auto city = loadCity();
  if (!city) {
    std::fprintf(stderr, "render_bench: cannot read the demo city: %s\n", city.status().message().c_str());
    return 1;
  }
  std::fprintf(stderr, "render_bench: %zu footprints read in %.1f s\n", city->features.size(),
               osg::Timer::instance()->delta_s(start, osg::Timer::instance()->tick()));
  if (city->features.empty()) return 1;

  Renderer renderer;
  if (!renderer.init()) return 1;

  int rc = 0;
  struct Size {
    std::size_t n;
    const char* name;
    double target;
  };
  const Size sizes[] = {{10'000, "render_batched_speedup_10k", kSmallCitySpeedupFloor},
                        {50'000, "render_batched_speedup_50k", kSmallCitySpeedupFloor},
                        {100'000, "render_batched_speedup_100k", kSpeedupTarget}};
  std::unique_ptr<BuildingLayer> city100k;
  for (const Size& size : sizes) {
    SpeedupResult s = measureSpeedup(renderer, *city, size.n);
    if (!s.ok) {
      rc = 1;
      continue;
    }
    printBench(size.name, s.unbatchedMs / s.batchedMs, "x", false, size.target, "%.2f");
    if (size.n == 100'000) {
      printBench("render_frame_batched_100k_ms", s.batchedMs, "ms", true, 1000, "%.1f");
      city100k = std::move(s.batched);
    } else {
      s.batched.reset();
      renderer.flushDeleted();
    }
  }
  if (city100k) {
    if (!measureRecolour(renderer, std::move(city100k), 100'000)) rc = 1;
  } else {
    rc = 1;
  }
  renderer.shutdown();
  std::fprintf(stderr, "render_bench: total %.1f s\n", osg::Timer::instance()->delta_s(start, osg::Timer::instance()->tick()));
  return rc;
}
