// What the domain plugins cost a frame of the demo (issue: domain plugins, "frame overhead"): the bundled demo with its
// plugins active (energy, traffic, forest, and air_quality as shipped) and every entity fed, against the same view
// with the plugins off.
//
// Prints on stdout (progress and details on stderr):
//   BENCH domain_plugins_frame_overhead <ratio> ratio target <=1.15 PASS|MISS
//                                       median frame time with plugins / median frame time without
// stderr has the two medians (ms), their split into the twin's part and the viewer's, and the median of the ratios
// of the two frames of each round (a cross-check less sensitive to drift within the run).
//
// Method:
//  - Feeds: greentwin-sim --record writes kSweeps sweeps of every entity of the demo (buildings, substations, roads,
//    chargers, green spaces, air-quality stations, buses, the district; ~213k updates a sweep) kSweepIntervalS apart
//    at simulated times into a recording in the bench's build data folder (regenerated each run: under 2 s).
//  - Two twins from the demo config (runtime::demoConfigPath(), layers loaded synchronously): A as shipped, plugins
//    from "@builtin"; B with [plugins] enabled empty and the plugins' [[sources]] removed. Both without the "sim"
//    zmq source (no sockets). Both replay the whole recording into their value store.
//  - Both clocks are paused and play back through the sweeps: before each frame (untimed) the twin's clock is
//    seeked kSweepIntervalS / kFramesPerSweep further, so a new sweep is reached every kFramesPerSweep frames. In A
//    every frame's plugin chunks therefore find changed inputs and derive and push (energy: 4000 of the 60,000
//    buildings a frame, 15 frames a round, traffic: 2000 of the 6,172 links; forest per parcel; AQI per station),
//    and the KPIs refresh once a wall second, as live with the simulator running. The bench checks that A's plugins
//    pushed values in nearly every timed frame, and that B got none.
//  - Each twin is drawn by its own viewer::OffscreenSession (an EGL pbuffer context, the app's viewer, camera and
//    interface: what `greentwin render` draws) at the demo's home view, 1280x720, interface on. A frame is one frame
//    of the window's loop, timed whole: the twin's update() (plugin polls, applying the pushed values), beginFrame()
//    (layers recoloured at the frame's time, KPIs), the viewer's frame (event, update, cull, draw, the ImGui
//    interface) and glFinish before the swap.
//  - Frames alternate between A and B (the order swapped every round), so the drift of a shared, noisy machine
//    falls on both sides alike; kWarmupFrames per twin first (uploads, shader compiles, the interface's fonts), not
//    timed; then kTimedFrames per twin; the figure is the ratio of the medians.
//  - The ratio is (almost) all drawing: on llvmpipe the home view of the whole city costs hundreds of ms a frame,
//    the plugins' part (update + beginFrame) 12-22 ms (docs/benchmarks.md).
//
// Data: the generated demo (greentwin_demo_data) and the plugins built into <build>/lib/greentwin/plugins.

#include <osg/Timer>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
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

namespace fs = std::filesystem;

constexpr int kWidth = 1280;
constexpr int kHeight = 720;
constexpr int kSweeps = 14;  // the frames below reach sweep 12
constexpr double kSweepIntervalS = 15.0;  // the demo simulator's default for the city's feeds
constexpr int kFramesPerSweep = 4;        // a new sweep every 4 frames: the energy plugin's round takes 15
constexpr int kWarmupFrames = 6;          // per twin, not timed
constexpr int kTimedFrames = 40;          // per twin
constexpr double kTarget = 1.15;
// A summer weekday's evening rush (as the live-demo goldens): loads near their peak, roads slowing, forests in leaf.
const char* kStart = "2026-07-15T17:30:00+08:00";

double mean(const std::vector<double>& v) {
  double sum = 0;
  for (double x : v) sum += x;
  return v.empty() ? 0.0 : sum / static_cast<double>(v.size());
}

bool recordSweeps(const std::string& path) {
  const std::string command = std::string(GT_SIM_EXE) + " --record " + path + " --start " + kStart + " --sweeps " +
                              std::to_string(kSweeps) + " --interval-s " + std::to_string(kSweepIntervalS) +
                              " >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0 || !fs::exists(path)) {
    std::fprintf(stderr, "plugins_frame_bench: '%s' failed\n", command.c_str());
    return false;
  }
  return true;
}

// One side of the comparison: a twin of the demo, its headless view, and its frame times.
struct Side {
  const char* name = "";
  std::unique_ptr<gt::runtime::Twin> twin;
  std::unique_ptr<gt::viewer::OffscreenSession> session;
  int frame = 0;
  int framesWithNewValues = 0;  // timed frames in which values were applied (A: the plugins' pushes)
  std::uint64_t samplesInTimedFrames = 0;
  std::vector<double> ms;
  std::vector<double> twinMs;    // the twin's part of each timed frame (update, beginFrame)
  std::vector<double> viewerMs;  // the viewer's frame (traversals, draw, interface, glFinish)
};

// The demo config with or without its plugins; never the simulator's zmq source.
gt::Result<gt::Config> demoConfig(bool plugins) {
  auto config = gt::runtime::loadConfig(gt::runtime::demoConfigPath());
  if (!config) return config.status();
  std::vector<gt::SourceConfig> kept;
  for (gt::SourceConfig& s : config->sources) {
    if (s.type != "zmq" && plugins) kept.push_back(std::move(s));
  }
  config->sources = std::move(kept);
  if (!plugins) config->plugins.enabled.clear();
  return config;
}

bool openSide(Side& side, bool plugins, const std::string& recording, gt::TimePoint t0, gt::TimePoint tEnd) {
  auto config = demoConfig(plugins);
  if (!config) {
    std::fprintf(stderr, "plugins_frame_bench: demo config: %s\n", config.status().message().c_str());
    return false;
  }
  const osg::Timer_t start = osg::Timer::instance()->tick();
  auto twin = gt::runtime::Twin::create(std::move(*config));
  if (!twin) {
    std::fprintf(stderr, "plugins_frame_bench: %s: %s\n", side.name, twin.status().message().c_str());
    return false;
  }
  side.twin = std::move(*twin);
  // A fixed range around the sweeps, so seeking through them is never clamped.
  if (gt::Status s = side.twin->clock().setRange(t0 - 3600 * gt::kMicrosPerSecond, tEnd + 3600 * gt::kMicrosPerSecond);
      !s) {
    std::fprintf(stderr, "plugins_frame_bench: clock range: %s\n", s.message().c_str());
    return false;
  }
  auto replayed = side.twin->replayRecording(recording);
  if (!replayed) {
    std::fprintf(stderr, "plugins_frame_bench: %s: replay: %s\n", side.name, replayed.status().message().c_str());
    return false;
  }
  gt::viewer::RenderRequest request;
  request.width = kWidth;
  request.height = kHeight;
  request.time = t0;
  request.language = gt::viewer::Language::English;
  auto session = gt::viewer::OffscreenSession::open(*side.twin, request);  // waits for the plugins to settle at t0
  if (!session) {
    std::fprintf(stderr, "plugins_frame_bench: %s: %s\n", side.name, session.status().message().c_str());
    return false;
  }
  side.session = std::move(*session);
  int active = 0;
  for (const auto& p : side.twin->plugins().plugins()) active += p.state == gt::runtime::PluginState::Active ? 1 : 0;
  std::fprintf(stderr, "plugins_frame_bench: %s: %zu layers, %llu samples replayed, %d plugins active, ready in %.1f s\n",
               side.name, side.twin->layers().size(), static_cast<unsigned long long>(replayed->samples), active,
               osg::Timer::instance()->delta_s(start, osg::Timer::instance()->tick()));
  return true;
}

// One frame of `side`: its clock one step further through the sweeps (not timed), then the frame (timed).
void frame(Side& side, gt::TimePoint t0, bool timed) {
  const auto step = static_cast<gt::Duration>(kSweepIntervalS * gt::kMicrosPerSecond / kFramesPerSweep);
  side.twin->clock().seek(t0 + side.frame * step);
  ++side.frame;
  const std::uint64_t samplesBefore = side.twin->samplesApplied();
  const osg::Timer_t start = osg::Timer::instance()->tick();
  const gt::viewer::OffscreenSession::FrameTimes parts = side.session->frame();
  const double ms = osg::Timer::instance()->delta_m(start, osg::Timer::instance()->tick());
  if (!timed) return;
  side.ms.push_back(ms);
  side.twinMs.push_back(parts.twinMs);
  side.viewerMs.push_back(parts.viewerMs);
  const std::uint64_t samples = side.twin->samplesApplied() - samplesBefore;
  side.samplesInTimedFrames += samples;
  if (samples > 0) ++side.framesWithNewValues;
}

void writeLastFrame(Side& side, const std::string& path) {
  auto image = side.session->capturedFrame();
  if (image && gt::viewer::writePng(**image, path)) std::fprintf(stderr, "plugins_frame_bench: wrote %s\n", path.c_str());
}

}  // namespace

int main() {
  gt::LoggingConfig logging;
  logging.level = "warn";
  (void)gt::configureLogging(logging);
  const osg::Timer_t start = osg::Timer::instance()->tick();
  const fs::path dataDir = GT_BENCH_DATA_DIR;
  fs::create_directories(dataDir);
  const std::string recording = (dataDir / "plugins_frame_sweeps.gtrec").string();
  if (!recordSweeps(recording)) return 1;
  const auto t0 = gt::parseIsoTime(kStart);
  if (!t0) return 1;
  const gt::TimePoint tEnd = *t0 + static_cast<gt::Duration>(kSweeps * kSweepIntervalS * gt::kMicrosPerSecond);

  Side a;
  a.name = "plugins on";
  Side b;
  b.name = "plugins off";
  if (!openSide(a, true, recording, *t0, tEnd) || !openSide(b, false, recording, *t0, tEnd)) return 1;

  for (int i = 0; i < kWarmupFrames + kTimedFrames; ++i) {
    const bool timed = i >= kWarmupFrames;
    // Swap the order every round: neither side always follows the other.
    Side& first = i % 2 == 0 ? a : b;
    Side& second = i % 2 == 0 ? b : a;
    frame(first, *t0, timed);
    frame(second, *t0, timed);
  }
  std::vector<double> roundRatios;  // A's frame / B's frame of the same round
  for (std::size_t i = 0; i < a.ms.size() && i < b.ms.size(); ++i) roundRatios.push_back(a.ms[i] / b.ms[i]);
  const double onMs = median(a.ms);
  const double offMs = median(b.ms);
  std::fprintf(stderr,
               "plugins_frame_bench: %d timed frames each, clock %.2f s a frame: plugins on median %.1f ms (mean %.1f, "
               "max %.1f), off median %.1f ms (mean %.1f, max %.1f)\n",
               kTimedFrames, kSweepIntervalS / kFramesPerSweep, onMs, mean(a.ms),
               *std::max_element(a.ms.begin(), a.ms.end()), offMs, mean(b.ms), *std::max_element(b.ms.begin(), b.ms.end()));
  std::fprintf(stderr,
               "plugins_frame_bench: medians of the parts: twin (update + beginFrame) on %.1f ms (max %.1f), off %.1f ms "
               "(max %.1f); viewer frame (draw, interface, glFinish) on %.1f ms, off %.1f ms\n",
               median(a.twinMs), *std::max_element(a.twinMs.begin(), a.twinMs.end()), median(b.twinMs),
               *std::max_element(b.twinMs.begin(), b.twinMs.end()), median(a.viewerMs), median(b.viewerMs));
  std::fprintf(stderr, "plugins_frame_bench: median of the per-round ratios on/off %.3f\n", median(roundRatios));
  std::fprintf(stderr, "plugins_frame_bench: values applied in timed frames: on %llu in %d frames, off %llu in %d\n",
               static_cast<unsigned long long>(a.samplesInTimedFrames), a.framesWithNewValues,
               static_cast<unsigned long long>(b.samplesInTimedFrames), b.framesWithNewValues);
  writeLastFrame(a, (dataDir / "plugins_frame_on.png").string());
  writeLastFrame(b, (dataDir / "plugins_frame_off.png").string());
  std::fprintf(stderr, "plugins_frame_bench: total %.1f s\n",
               osg::Timer::instance()->delta_s(start, osg::Timer::instance()->tick()));

  // The figure means something only if A's plugins derived in (nearly) every frame and B had nothing to apply.
  if (a.framesWithNewValues < kTimedFrames * 9 / 10 || b.samplesInTimedFrames != 0 || offMs <= 0) {
    std::fprintf(stderr, "plugins_frame_bench: the plugins did not derive every frame: the comparison is void\n");
    return 1;
  }
  printBench("domain_plugins_frame_overhead", onMs / offMs, "ratio", true, kTarget, "%.3f");
  return 0;
}
