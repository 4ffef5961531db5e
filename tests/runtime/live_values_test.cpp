// Live values drawn on layers (issue 4): the stale rule per sample, a real publisher process killed and
// restarted, the IDW field over live stations, and the inspector chart in a headless render.
#include <gtest/gtest.h>
#include <osg/Image>
#include <osgDB/WriteFile>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../support/demo_plugin_config.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/zmq_source.hpp"
#include "greentwin/layers/field_layer.hpp"
#include "greentwin/layers/vector_layer.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/runtime/twin.hpp"

extern char** environ;

namespace gt::runtime {
namespace {

using layers::SlotState;

const char* kStations = "city-aq-stations";
const char* kField = "aq-pm25-field";

std::string stationId(int i) {
  char id[64];
  std::snprintf(id, sizeof id, "city-aq-stations/aq-%02d", i);
  return id;
}

// HJ 633-2012: 24-h PM2.5 IAQI breakpoints 0-35-75-115-150-250(-350-500) and the six AQI class colours.
LayerStyleConfig pm25Style(LayerStyleConfig style) {
  style.colorMode = "graduated";
  style.colorBy = "pm25";
  style.classifier.clear();
  style.breaks = {35, 75, 115, 150, 250};
  style.colors = {"#00e400", "#ffff00", "#ff7e00", "#ff0000", "#99004c", "#7e0023"};
  return style;
}

// The demo's stations coloured by live PM2.5 and a PM2.5 field over the district computed by the twin's IDW; no
// terrain, plugins or sources, so it loads fast and nothing else writes the values.
Config stationsConfig() {
  auto config = loadConfig(demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.id != kStations; });
  EXPECT_EQ(config->layers.size(), 1u) << "the demo config has the air-quality stations";
  LayerConfig& stations = config->layers.at(0);
  stations.style = pm25Style(stations.style);
  LayerConfig field;
  field.id = kField;
  field.type = "field";
  field.source = "tongzhou_district.geojson";
  field.resolutionM = 500;
  field.opacity = 0.6;
  field.style = pm25Style({});
  layers::FieldOptions& fieldOptions = editLayerOptions<layers::FieldOptions>(field);
  fieldOptions.points = kStations;
  fieldOptions.searchRadiusM = 6000;
  fieldOptions.maxUpdateHz = 2.0;
  config->layers.insert(config->layers.begin(), field);
  config->plugins = {};
  config->sources.clear();
  config->clock.mode = "live";
  return *config;
}

struct FixedWall {
  std::shared_ptr<TimePoint> now = std::make_shared<TimePoint>(0);
  Clock::WallSource source() const {
    return [now = now] { return *now; };
  }
};

layers::VectorLayer& stationsLayer(Twin& twin) {
  auto* layer = dynamic_cast<layers::VectorLayer*>(twin.findLayer(kStations));
  EXPECT_NE(layer, nullptr);
  return *layer;
}

SlotState stateOf(Twin& twin, int station) {
  layers::VectorLayer& layer = stationsLayer(twin);
  const auto entity = twin.entities().find(stationId(station));
  if (!entity) return SlotState::NoData;
  const auto slot = layer.slotOfEntity(*entity);
  return slot ? layer.slotState(*slot) : SlotState::NoData;
}

std::optional<layers::Rgba> colorOf(Twin& twin, int station) {
  layers::VectorLayer& layer = stationsLayer(twin);
  const auto slot = layer.slotOfEntity(*twin.entities().find(stationId(station)));
  return slot ? layer.drawnColor(*slot) : std::nullopt;
}

class LiveValues : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = parseIsoTime("2026-06-01T04:00:00Z");
    ASSERT_TRUE(t);
    *wall.now = *t;
    auto created = Twin::create(stationsConfig(), wall.source());
    ASSERT_TRUE(created) << created.status().message();
    twin = std::move(*created);
    auto id = twin->entities().attributes().intern("pm25");
    ASSERT_TRUE(id);
    pm25 = *id;
  }
  EntityIndex station(int i) { return *twin->entities().find(stationId(i)); }

  FixedWall wall;
  std::unique_ptr<Twin> twin;
  AttributeId pm25 = kInvalidAttribute;
};

TEST_F(LiveValues, StaleSamplesAreNeverDrawnAsLive) {
  const TimePoint now = *wall.now;
  // No declared interval known (no feed): staleAfter = 2 x FeedHealth's 1 s default.
  EXPECT_EQ(twin->staleAfter(station(1)), 2 * kMicrosPerSecond);
  twin->timeSeries().append(station(1), pm25, now - kMicrosPerSecond, 20.0);       // 1 s old: live
  twin->timeSeries().append(station(2), pm25, now - 10 * kMicrosPerSecond, 80.0);  // 10 s old: stale
  twin->beginFrame();
  EXPECT_EQ(stateOf(*twin, 1), SlotState::Live);
  EXPECT_EQ(stateOf(*twin, 2), SlotState::Stale);
  EXPECT_EQ(stateOf(*twin, 3), SlotState::NoData);

  auto rule = layers::ColorRule::fromConfig(kStations, twin->findLayer(kStations)->config().style);
  ASSERT_TRUE(rule);
  const layers::Rgba live80 = rule->palette()[static_cast<std::size_t>(rule->classOfNumber(80.0))];
  layers::Rgba stale80 = layers::staleColor(live80);
  stale80[3] *= layers::VectorLayer::kStaleAlpha;
  EXPECT_EQ(colorOf(*twin, 1), rule->palette()[static_cast<std::size_t>(rule->classOfNumber(20.0))]);
  EXPECT_EQ(colorOf(*twin, 2), stale80);
  EXPECT_NE(colorOf(*twin, 2), live80);
  EXPECT_EQ(colorOf(*twin, 3), layers::kNoDataColor);

  // Values age into STALE without any new sample: 2 s later the 1 s old sample is 3 s old.
  *wall.now += 2 * kMicrosPerSecond;
  twin->beginFrame();
  EXPECT_EQ(stateOf(*twin, 1), SlotState::Stale);
  const Twin::LiveValue v = twin->liveValue(station(1), pm25, twin->frameTime());
  EXPECT_EQ(v.state, SlotState::Stale);
  EXPECT_EQ(v.age, 3 * kMicrosPerSecond);
  EXPECT_DOUBLE_EQ(v.value, 20.0);

  // In playback the same rule holds against the clock's time: at now - 9 s station 2's sample is 1 s old.
  twin->clock().seek(now - 9 * kMicrosPerSecond);
  twin->clock().pause();
  twin->beginFrame();
  EXPECT_EQ(stateOf(*twin, 2), SlotState::Live);
  EXPECT_EQ(stateOf(*twin, 1), SlotState::NoData);  // its sample lies after the clock's time
}

// The one live-value path (issue 11): beginFrame() builds one frame context and every layer is brought to it exactly
// once, at that frame's time; update() (loading, samples) never redraws with another time.
TEST_F(LiveValues, EveryLayerIsBroughtToEachFrameOnceAtThatFramesTime) {
  const TimePoint now = *wall.now;
  twin->timeSeries().append(station(1), pm25, now - kMicrosPerSecond, 20.0);
  std::vector<std::uint64_t> before;
  for (const auto& layer : twin->layers()) before.push_back(layer->updateCount());
  for (int frame = 1; frame <= 5; ++frame) {
    *wall.now += 700'000;  // the clock moves between frames, so two reads in one frame would differ
    twin->update();        // samples and loads only: no layer is redrawn here
    twin->update();
    twin->beginFrame();
    const FrameContext& ctx = twin->frame();
    EXPECT_EQ(ctx.time, twin->frameTime());
    EXPECT_EQ(ctx.values, &twin->timeSeries()) << "live clock: the live store";
    for (std::size_t i = 0; i < twin->layers().size(); ++i) {
      const layers::Layer& layer = *twin->layers()[i];
      EXPECT_EQ(layer.updateCount(), before[i] + static_cast<std::uint64_t>(frame)) << layer.id();
      EXPECT_EQ(layer.lastFrame(), ctx.frame) << layer.id();
      EXPECT_EQ(layer.lastFrameTime(), twin->frameTime()) << layer.id();
    }
    // What the layer drew is the stale rule at that time: the 1 s old sample ages past 2 s on the second frame.
    const SlotState expected = twin->frameTime() - (now - kMicrosPerSecond) <= 2 * kMicrosPerSecond
                                   ? SlotState::Live
                                   : SlotState::Stale;
    EXPECT_EQ(stateOf(*twin, 1), expected) << "frame " << frame;
    EXPECT_EQ(twin->liveValue(station(1), pm25, ctx.time).state, expected);
  }
}

TEST_F(LiveValues, TheFieldInterpolatesLiveStationsOnlyWithoutRebuildingGeometry) {
  auto* field = dynamic_cast<layers::FieldLayer*>(twin->findLayer(kField));
  ASSERT_NE(field, nullptr);
  ASSERT_EQ(field->state(), layers::LayerState::Open) << field->status().message();
  const osg::Node* node = field->node()->getChild(0);
  const TimePoint now = *wall.now;
  // Pumps frames until the field was recomputed (it is throttled to max_update_hz); false after 3 s.
  auto waitForFieldUpdate = [&] {
    const std::size_t before = field->updateCount();
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (field->updateCount() == before && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      *wall.now += 20'000;
      twin->beginFrame();
    }
    return field->updateCount() > before;
  };
  twin->timeSeries().append(station(1), pm25, now, 30.0);                           // live
  twin->timeSeries().append(station(2), pm25, now - 60 * kMicrosPerSecond, 300.0);  // stale: left out
  ASSERT_TRUE(waitForFieldUpdate());
  const GridGeometry& g = field->grid();
  const auto* features = stationsLayer(*twin).features();
  auto cellOf = [&](int i) {
    const auto slot = stationsLayer(*twin).slotOfEntity(station(i));
    const Vec3d p = features->features[*slot].geometry.points.front();
    return std::pair<int, int>{static_cast<int>(std::lround((p.x - g.x0) / g.dx)),
                               static_cast<int>(std::lround((p.y - g.y0) / g.dy))};
  };
  // With one live station every value in range is that station's value; the stale 300 never appears.
  bool anyValue = false;
  bool anyNoData = false;
  for (int r = 0; r < g.height; ++r) {
    for (int c = 0; c < g.width; ++c) {
      const float v = field->valueAt(c, r);
      if (std::isnan(v)) {
        anyNoData = true;
      } else {
        anyValue = true;
        EXPECT_FLOAT_EQ(v, 30.0f);
      }
    }
  }
  EXPECT_TRUE(anyValue);
  EXPECT_TRUE(anyNoData) << "cells beyond the search radius of the only live station show no data";
  const auto [c1, r1] = cellOf(1);
  EXPECT_FLOAT_EQ(field->valueAt(c1, r1), 30.0f);

  // Station 2 comes back live: the field now takes it in (after the throttle interval), in place.
  twin->timeSeries().append(station(1), pm25, *wall.now, 30.0);
  twin->timeSeries().append(station(2), pm25, *wall.now, 300.0);
  ASSERT_TRUE(waitForFieldUpdate());
  const auto [c2, r2] = cellOf(2);
  EXPECT_GT(field->valueAt(c2, r2), 200.0f);
  EXPECT_EQ(field->node()->getChild(0), node);

  // A look at it: every station live with a spread of values except two stale ones, the field drawn under them.
  for (int i = 1; i <= 12; ++i) {
    const bool stale = i == 4 || i == 9;
    twin->timeSeries().append(station(i), pm25, *wall.now - (stale ? 30 : 0) * kMicrosPerSecond, 12.0 + 22.0 * i);
  }
  ASSERT_TRUE(waitForFieldUpdate());
  EXPECT_EQ(stateOf(*twin, 4), SlotState::Stale);
  EXPECT_EQ(stateOf(*twin, 5), SlotState::Live);
  viewer::RenderRequest request;
  request.width = 960;
  request.height = 720;
  request.language = viewer::Language::Chinese;
  request.time = *wall.now;
  auto image = viewer::renderOffscreen(*twin, request);
  ASSERT_TRUE(image) << image.status().message();
  osgDB::writeImageFile(**image, std::string(GT_TEST_BINARY_DIR) + "/live_values_field.png");
}

// Headless render with a station selected: the inspector shows its live value and the chart of the last hours.
TEST_F(LiveValues, TheInspectorChartsTheSelectedStation) {
  const TimePoint now = *wall.now;
  for (int k = 72; k >= 0; --k) {  // every 5 minutes over the last 6 hours
    const double v = 40.0 + 25.0 * std::sin(k / 10.0);
    twin->timeSeries().append(station(1), pm25, now - k * 300 * kMicrosPerSecond, v);
  }
  auto countChartPixels = [](const osg::Image& image) {
    std::size_t n = 0;
    for (int y = 0; y < image.t(); ++y) {
      for (int x = 0; x < image.s(); ++x) {
        const unsigned char* p = image.data(x, y);
        if (std::abs(p[0] - 79) < 12 && std::abs(p[1] - 195) < 12 && std::abs(p[2] - 247) < 12) ++n;
      }
    }
    return n;
  };
  viewer::RenderRequest request;
  request.width = 1280;
  request.height = 800;
  request.time = now;
  request.language = viewer::Language::English;
  auto without = viewer::renderOffscreen(*twin, request);
  ASSERT_TRUE(without) << without.status().message();
  request.selected = station(1);
  auto with = viewer::renderOffscreen(*twin, request);
  ASSERT_TRUE(with) << with.status().message();
  osgDB::writeImageFile(**with, std::string(GT_TEST_BINARY_DIR) + "/live_values_inspector_chart.png");
  EXPECT_GT(countChartPixels(**with), countChartPixels(**without) + 150) << "the chart line is drawn";
}

// A real publisher process (the example Python publisher), killed with SIGKILL and started again.
pid_t spawnPublisher(const std::string& endpoint, double interval) {
  const std::string script = std::string(GT_TEST_SOURCE_DIR) + "/examples/publishers/air_quality_publisher.py";
  const std::string intervalText = std::to_string(interval);
  std::vector<std::string> args{GT_PYTHON, script, "--connect", "--endpoint", endpoint, "--interval", intervalText};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawn(&pid, GT_PYTHON, nullptr, nullptr, argv.data(), environ) != 0) return -1;
  return pid;
}

TEST(LiveValuesFeed, APublisherKilledGoesStaleWithinTwoIntervalsAndIsLiveAgainWithinThreeSeconds) {
  Config config = stationsConfig();
  config.sources = {testing::loopbackFeedSource("aq")};
  auto created = Twin::create(config);
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  ASSERT_TRUE(twin.sources().at(0).status.isOk()) << twin.sources()[0].status.message();
  const std::string endpoint = twin.sources()[0].endpoint;
  constexpr double kInterval = 0.5;
  const auto interval = std::chrono::milliseconds(500);

  auto frame = [&twin] {
    twin.update();
    twin.beginFrame();
  };
  auto count = [&twin](SlotState state) {
    int n = 0;
    for (int i = 1; i <= 12; ++i) n += stateOf(twin, i) == state ? 1 : 0;
    return n;
  };
  auto publisherState = [&twin] {
    const auto health = twin.feedHealth();
    return health.empty() ? FeedState::NeverSeen : health[0].state;
  };
  // Frames every 10 ms until `done` or the deadline; returns the time it took (or the deadline).
  auto waitFor = [&](auto done, std::chrono::milliseconds limit) {
    const auto start = std::chrono::steady_clock::now();
    while (std::chrono::steady_clock::now() - start < limit) {
      frame();
      if (done()) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  };

  pid_t pid = spawnPublisher(endpoint, kInterval);
  ASSERT_GT(pid, 0);
  waitFor([&] { return count(SlotState::Live) == 12; }, std::chrono::seconds(20));
  ASSERT_EQ(count(SlotState::Live), 12) << "every station live while the publisher runs";
  ASSERT_EQ(publisherState(), FeedState::Live);
  const auto pm25 = twin.entities().attributes().find("pm25");
  ASSERT_TRUE(pm25);
  EXPECT_EQ(twin.staleAfter(*twin.entities().find(stationId(1))), 1'000'000) << "2 x the declared 0.5 s";
  // Still live a while later (no premature STALE while messages flow).
  waitFor([] { return false; }, std::chrono::milliseconds(1200));
  EXPECT_EQ(count(SlotState::Live), 12);

  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  const auto killed = std::chrono::steady_clock::now();
  const auto healthStale = waitFor([&] { return publisherState() == FeedState::Stale; }, std::chrono::seconds(5));
  const auto layerStale = waitFor([&] { return count(SlotState::Stale) == 12; }, std::chrono::seconds(5));
  const auto sinceKill = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - killed);
  EXPECT_EQ(publisherState(), FeedState::Stale);
  EXPECT_EQ(count(SlotState::Stale), 12) << "the stations' slots are drawn stale, not only the health flag";
  // The last message left at most one interval before the kill: STALE within two intervals of the kill
  // (plus the frame step of this loop).
  EXPECT_LE(healthStale, 2 * interval + std::chrono::milliseconds(100));
  EXPECT_LE(sinceKill, 2 * interval + std::chrono::milliseconds(200));
  (void)layerStale;
  // And the drawn colour of a stale station is the greyed one, never its class colour.
  auto rule = layers::ColorRule::fromConfig(kStations, twin.findLayer(kStations)->config().style);
  ASSERT_TRUE(rule);
  const auto last = twin.liveValue(*twin.entities().find(stationId(1)), *pm25, twin.frameTime());
  layers::Rgba stale = layers::staleColor(rule->palette()[static_cast<std::size_t>(rule->classOfNumber(last.value))]);
  stale[3] *= layers::VectorLayer::kStaleAlpha;
  EXPECT_EQ(colorOf(twin, 1), stale);

  const auto restarted = std::chrono::steady_clock::now();
  pid = spawnPublisher(endpoint, kInterval);
  ASSERT_GT(pid, 0);
  const auto liveAgain = waitFor([&] { return count(SlotState::Live) == 12 && publisherState() == FeedState::Live; },
                                 std::chrono::seconds(10));
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  EXPECT_EQ(count(SlotState::Live), 12);
  EXPECT_LE(liveAgain, std::chrono::milliseconds(3000)) << "live again within 3 s of the restart";
  EXPECT_GE(twin.feedHealth().at(0).restarts, 1u);
  (void)restarted;
}

}  // namespace
}  // namespace gt::runtime
