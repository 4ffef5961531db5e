// What one tile of a wall costs against the whole canvas (issue 14, "Tiles"; docs/wall.md "Rendering"): the bundled
// demo at its home view on a 2x2 wall of 800x450 tiles (a 1600x900 canvas, the size the terrain bench draws), each
// tile drawn alone with its off-axis frustum, against the canvas drawn whole.
//
// Prints on stdout (progress and details on stderr):
//   BENCH wall_tile_cost_ratio <ratio> ratio target <=0.4 PASS|MISS
//         the mean over the four tiles of (the tile's median frame time / the canvas's median frame time)
// A tile has a quarter of the canvas's pixels; the ratio stays near 0.25 only if the tile's camera culls what lies
// outside its frustum (with the canvas's frustum every tile would still process the whole scene's geometry). stderr
// has each tile's ratio: they differ with what the tile shows (at the home view the dense city lies in the top-left
// tile, which costs about twice the others).
//
// Method: one twin of the demo (no plugins, no zmq source: the figure is about drawing), clock paused at a fixed
// time; five viewer::OffscreenSessions (an EGL pbuffer each, the app's viewer and interface: what `greentwin render
// --wall FILE [--tile C,R]` draws): the canvas and the four tiles. Rounds draw one frame of each, in an order rotated
// every round so that a noisy machine's drift falls on all alike; kWarmupRounds untimed, then kTimedRounds.

#include <osg/Timer>

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/log.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"

#include "bench_support.hpp"

using gt::bench::median;
using gt::bench::printBench;

namespace {

constexpr int kWarmupRounds = 3;
constexpr int kTimedRounds = 12;
constexpr double kTarget = 0.4;
const char* kTime = "2026-11-25T09:30:00+08:00";

}  // namespace

int main() {
  gt::LoggingConfig logging;
  logging.level = "warn";
  (void)gt::configureLogging(logging);
  auto config = gt::runtime::loadConfig(gt::runtime::demoConfigPath());
  if (!config) {
    std::fprintf(stderr, "wall_render_bench: demo config: %s\n", config.status().message().c_str());
    return 1;
  }
  std::erase_if(config->sources, [](const gt::SourceConfig& s) { return s.type == "zmq"; });
  config->plugins.enabled.clear();
  auto twin = gt::runtime::Twin::create(std::move(*config));
  if (!twin) {
    std::fprintf(stderr, "wall_render_bench: %s\n", twin.status().message().c_str());
    return 1;
  }
  const gt::wall::WallLayout layout{.columns = 2, .rows = 2, .tileWidth = 800, .tileHeight = 450};
  // Session 0 draws the canvas; 1..4 the tiles, row by row.
  std::vector<std::unique_ptr<gt::viewer::OffscreenSession>> sessions;
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    gt::viewer::RenderRequest request;
    request.time = *gt::parseIsoTime(kTime);
    request.language = gt::viewer::Language::English;
    request.wall = gt::viewer::WallRender{layout, std::nullopt};
    if (i > 0) request.wall->tile = gt::wall::TileId{(i - 1) % 2, (i - 1) / 2};
    auto session = gt::viewer::OffscreenSession::open(**twin, request);
    if (!session) {
      std::fprintf(stderr, "wall_render_bench: %s\n", session.status().message().c_str());
      return 1;
    }
    sessions.push_back(std::move(*session));
    names.push_back(i == 0 ? "canvas" : "tile " + std::to_string((i - 1) % 2) + "," + std::to_string((i - 1) / 2));
  }
  std::array<std::vector<double>, 5> times;
  for (int round = 0; round < kWarmupRounds + kTimedRounds; ++round) {
    for (int k = 0; k < 5; ++k) {
      const int i = (k + round) % 5;
      const osg::Timer_t t0 = osg::Timer::instance()->tick();
      sessions[i]->frame();
      const double ms = osg::Timer::instance()->delta_m(t0, osg::Timer::instance()->tick());
      if (round >= kWarmupRounds) times[i].push_back(ms);
    }
  }
  const double canvasMs = median(times[0]);
  if (canvasMs <= 0) return 1;
  double sum = 0;
  double worst = 0;
  for (int i = 0; i < 5; ++i) {
    const double ratio = median(times[i]) / canvasMs;
    std::fprintf(stderr, "wall_render_bench: %s median %.1f ms over %d frames (ratio to the canvas %.3f)\n",
                 names[i].c_str(), median(times[i]), kTimedRounds, ratio);
    if (i > 0) {
      sum += ratio;
      worst = std::max(worst, ratio);
    }
  }
  std::fprintf(stderr, "wall_render_bench: the costliest tile %.3f of the canvas; the four together %.3f\n", worst, sum);
  printBench("wall_tile_cost_ratio", sum / 4.0, "ratio", true, kTarget, "%.3f");
  return 0;
}
