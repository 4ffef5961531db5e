// What the terrain costs a frame of the demo (issue 14, "Terrain that scales"): the bundled demo at its home view with
// the terrain layer shown, against the same view with it hidden.
//
// Prints on stdout (progress and details on stderr):
//   BENCH terrain_frame_overhead <ratio> ratio target <=1.3 PASS|MISS
//                                median frame time with the terrain / median frame time without
// stderr has the two medians (ms), the median of the per-round ratios (less sensitive to drift within the run) and the
// terrain's triangles drawn in the last frame with it.
//
// Method:
//  - One twin of the demo config (runtime::demoConfigPath()) without its plugins and without the "sim" zmq source (no
//    sockets, no plugin work: the figure is about drawing), clock paused at a fixed time.
//  - One viewer::OffscreenSession (an EGL pbuffer, the app's viewer, camera and interface: what `greentwin render`
//    draws) at the home view, 1600x900 (the size the issue measured at), interface on.
//  - Frames alternate between terrain shown and hidden (Layer::setVisible, which a cull traversal rejects at the
//    layer's root; the other layers keep clamping to the same ground), the order swapped every round, so the drift of
//    a shared, noisy machine falls on both sides alike. kWarmupFrames of each first (uploads, shader compiles, the
//    interface's fonts), not timed; then kTimedFrames of each. A frame is OffscreenSession::frame(), glFinish included.
//
// Data: the generated demo (greentwin_demo_data): the synthetic DEM is 1,303 x 1,692 cells of 30 m.

#include <osg/Timer>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/log.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/layers/terrain_layer.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"

#include "bench_support.hpp"

using gt::bench::median;
using gt::bench::printBench;

namespace {

constexpr int kWidth = 1600;
constexpr int kHeight = 900;
constexpr int kWarmupFrames = 3;  // per side, not timed
constexpr int kTimedFrames = 15;  // per side
constexpr double kTarget = 1.3;
const char* kTime = "2026-11-25T09:30:00+08:00";

}  // namespace

int main() {
  gt::LoggingConfig logging;
  logging.level = "warn";
  (void)gt::configureLogging(logging);
  const osg::Timer_t start = osg::Timer::instance()->tick();

  auto config = gt::runtime::loadConfig(gt::runtime::demoConfigPath());
  if (!config) {
    std::fprintf(stderr, "terrain_bench: demo config: %s\n", config.status().message().c_str());
    return 1;
  }
  std::erase_if(config->sources, [](const gt::SourceConfig& s) { return s.type == "zmq"; });
  config->plugins.enabled.clear();
  auto twin = gt::runtime::Twin::create(std::move(*config));
  if (!twin) {
    std::fprintf(stderr, "terrain_bench: %s\n", twin.status().message().c_str());
    return 1;
  }
  const auto time = gt::parseIsoTime(kTime);
  if (!time) return 1;
  gt::viewer::RenderRequest request;
  request.width = kWidth;
  request.height = kHeight;
  request.time = *time;
  request.language = gt::viewer::Language::English;
  auto session = gt::viewer::OffscreenSession::open(**twin, request);
  if (!session) {
    std::fprintf(stderr, "terrain_bench: %s\n", session.status().message().c_str());
    return 1;
  }
  gt::layers::TerrainLayer* terrain = nullptr;
  for (const auto& layer : (*twin)->layers()) {
    if (auto* t = dynamic_cast<gt::layers::TerrainLayer*>(layer.get()); t != nullptr && t->heightField()) terrain = t;
  }
  if (terrain == nullptr) {
    std::fprintf(stderr, "terrain_bench: the demo has no open terrain layer\n");
    return 1;
  }
  std::fprintf(stderr, "terrain_bench: demo ready in %.1f s; terrain %d finest tiles\n",
               osg::Timer::instance()->delta_s(start, osg::Timer::instance()->tick()), terrain->tileCount());

  std::vector<double> with;
  std::vector<double> without;
  for (int i = 0; i < kWarmupFrames + kTimedFrames; ++i) {
    // Swap the order every round: neither side always follows the other.
    for (int k = 0; k < 2; ++k) {
      const bool shown = (k == 0) == (i % 2 == 0);
      terrain->setVisible(shown);
      const osg::Timer_t t0 = osg::Timer::instance()->tick();
      (*session)->frame();
      const double ms = osg::Timer::instance()->delta_m(t0, osg::Timer::instance()->tick());
      if (i >= kWarmupFrames) (shown ? with : without).push_back(ms);
    }
  }
  std::vector<double> roundRatios;
  for (std::size_t i = 0; i < with.size() && i < without.size(); ++i) roundRatios.push_back(with[i] / without[i]);
  const double withMs = median(with);
  const double withoutMs = median(without);
  std::fprintf(stderr,
               "terrain_bench: %d timed frames each at %dx%d: with terrain median %.1f ms (min %.1f), without %.1f ms "
               "(min %.1f); median of the per-round ratios %.3f\n",
               kTimedFrames, kWidth, kHeight, withMs, *std::min_element(with.begin(), with.end()), withoutMs,
               *std::min_element(without.begin(), without.end()), median(roundRatios));
  std::fprintf(stderr, "terrain_bench: total %.1f s\n",
               osg::Timer::instance()->delta_s(start, osg::Timer::instance()->tick()));
  if (withoutMs <= 0) return 1;
  printBench("terrain_frame_overhead", withMs / withoutMs, "ratio", true, kTarget, "%.3f");
  return 0;
}
