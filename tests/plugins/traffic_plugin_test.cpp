// The traffic plugin as a user runs it: the demo config (its [plugins], [[sources]] and the chargers' classifier
// style as shipped, the plugin loaded by the real host from the build's "@builtin" folder), hand-made road, bus-stop
// and building layers whose answers are worked out below, readings published over a real ZeroMQ socket on
// loopback, and what the twin then shows: each link's congestion_level, the network index, the charger counts and
// occupancy, the bus-stop coverage and the green-travel share.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <thread>

#include "../support/demo_plugin_config.hpp"
#include "../support/loopback_publisher.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/layers/vector_layer.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/runtime/zmq_source.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr TimePoint kWallStart = 1'795'000'000'000'000;  // 2026-11-18, a fixed "now" the test moves by hand
// Hand-made geometry in EPSG:4548 (the scene CRS): lengths and distances are exact.
constexpr double kX0 = 476000, kY0 = 4412000;

// The road links: class, length (m, along x), live free-flow speed (NaN: not published; the feature's own
// speed_kmh then), speed and flow published (NaN: not published), the level by hand (ratio grading) and by the
// standard's class limits.
struct LinkCase {
  const char* id;
  const char* roadClass;
  double lengthM, staticSpeed, liveFree, speed, flow;
  int ratioLevel, classLevel;  // 0: none
};
const LinkCase kLinks[] = {
    {"road/1", "local", 1000, 30, 30, 25, 1500, 1, 3},        // 25/30 = 0.83 smooth; the table: 15 < 25 <= 25 light
    {"road/2", "arterial", 2000, 60, 60, 40, 1000, 2, 2},     // exactly 2/3: basically smooth; the table: <= 40
    {"road/3", "expressway", 1000, 100, 100, 20, 300, 5, 5},  // 0.2: severe; the table: <= 20
    {"road/4", "local", 500, 30, kNaN, 7.5, 200, 5, 5},       // no live free speed: 30 from the feature, 1/4: severe
    {"road/5", "secondary", 1500, 50, kNaN, kNaN, kNaN, 0, 0},  // nothing published: no level
};
// VKT weights: 1.5e6, 2e6, 3e5, 1e5 -> severe (3, 4) 4e5 of 3.9e6 = 10.256 %: index 4 + 2 * (10.256 - 8) / 3.
const double kIndexVkt = 4.0 + 2.0 * (100.0 * 4e5 / 3.9e6 - 8.0) / 3.0;
// Length weights: 4500 m with a level, 1500 m severe = 33.3 %: beyond 24 %, index 10.

// Chargers of the demo layer: states published (7 is no state: left out with a warning).
const std::pair<const char*, double> kChargers[] = {
    {"city-ev-chargers/ev_charger/000001", 0}, {"city-ev-chargers/ev_charger/000002", 0},
    {"city-ev-chargers/ev_charger/000003", 1}, {"city-ev-chargers/ev_charger/000004", 1},
    {"city-ev-chargers/ev_charger/000005", 1}, {"city-ev-chargers/ev_charger/000006", 2},
    {"city-ev-chargers/ev_charger/000007", 7},
};
// Trips per hour: walk, bike, bus, metro, car, taxi: green 720 of 1000 = 72 %.
const std::pair<const char*, double> kTrips[] = {{"trips_walk", 300}, {"trips_bike", 160}, {"trips_bus", 120},
                                                 {"trips_metro", 140}, {"trips_car", 240}, {"trips_taxi", 40}};

std::string crsHeader() {
  return R"({"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4548"}},"features":[)";
}
std::string xy(double dx, double dy) {
  char text[96];
  std::snprintf(text, sizeof text, "[%.3f,%.3f]", kX0 + dx, kY0 + dy);
  return text;
}
std::string square(double dx, double dy) {  // 10 x 10 m centred at (dx, dy)
  return "[[" + xy(dx - 5, dy - 5) + "," + xy(dx + 5, dy - 5) + "," + xy(dx + 5, dy + 5) + "," + xy(dx - 5, dy + 5) +
         "," + xy(dx - 5, dy - 5) + "]]";
}

void writeFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path);
  out << text;
}

// Test layers: five links one above another (each from x = 0 east by its length); two stops 2 km apart; five
// buildings, four residential: (400, 0) and (2000, -300) within 500 m of a stop, (1000, 0) and (0, 800) not (both
// within 1100 m), an office at (0, 100).
void writeLayers(const fs::path& dir) {
  std::string roads = crsHeader();
  for (std::size_t i = 0; i < std::size(kLinks); ++i) {
    const LinkCase& l = kLinks[i];
    const double y = 100.0 * static_cast<double>(i);
    char props[160];
    std::snprintf(props, sizeof props, R"({"id":"%s","class":"%s","speed_kmh":%.1f})", l.id, l.roadClass, l.staticSpeed);
    roads += std::string(i ? "," : "") + R"({"type":"Feature","properties":)" + props +
             R"(,"geometry":{"type":"LineString","coordinates":[)" + xy(0, y) + "," + xy(l.lengthM, y) + "]}}";
  }
  writeFile(dir / "roads.geojson", roads + "]}");
  writeFile(dir / "stops.geojson",
            crsHeader() + R"({"type":"Feature","properties":{"id":"s1"},"geometry":{"type":"Point","coordinates":)" +
                xy(0, 0) + R"(}},{"type":"Feature","properties":{"id":"s2"},"geometry":{"type":"Point","coordinates":)" +
                xy(2000, 0) + "}}]}");
  const struct {
    const char* id;
    const char* use;
    double dx, dy;
  } buildings[] = {{"b1", "residential", 400, 0},
                   {"b2", "residential", 1000, 0},
                   {"b3", "residential", 2000, -300},
                   {"b4", "office", 0, 100},
                   {"b5", "residential", 0, 800}};
  std::string text = crsHeader();
  for (std::size_t i = 0; i < std::size(buildings); ++i) {
    text += std::string(i ? "," : "") + R"({"type":"Feature","properties":{"id":")" + buildings[i].id +
            R"(","use":")" + buildings[i].use + R"(","height_m":12},"geometry":{"type":"Polygon","coordinates":)" +
            square(buildings[i].dx, buildings[i].dy) + "}}";
  }
  writeFile(dir / "buildings.geojson", text + "]}");
}

LayerConfig testLayer(const std::string& id, const std::string& type, const fs::path& source) {
  LayerConfig l;
  l.id = id;
  l.type = type;
  l.source = source.string();
  l.idAttribute = "id";
  return l;
}

class TrafficPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "traffic_plugin";
    fs::create_directories(dir);
    writeLayers(dir);
    // The demo's plugin setup as shipped (the traffic plugin enabled, its derive source); the district and the
    // chargers from the demo, hand-made roads, stops and buildings instead of the demo's, and a loopback feed.
    auto config = testing::demoConfigForPlugin("traffic", {"tongzhou-district", "city-ev-chargers"});
    ASSERT_TRUE(config) << config.status().message();
    EXPECT_EQ(config->layers[1].style.classifier, "traffic.charger_state_class");
    config->layers.push_back(testLayer("test-roads", "vector", dir / "roads.geojson"));
    config->layers.back().style.colorBy = "congestion_level";
    config->layers.back().style.classifier = "traffic.congestion_class";
    config->layers.push_back(testLayer("test-stops", "vector", dir / "stops.geojson"));
    config->layers.push_back(testLayer("test-buildings", "vector", dir / "buildings.geojson"));
    ASSERT_EQ(config->sources.size(), 2u);  // its own source, then the test's loopback feed
    EXPECT_EQ(config->sources[0].type, "traffic.derive");
    auto twin = runtime::Twin::create(*config, [this] { return wall_.load(); });
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin);
    const runtime::PluginInfo* info = twin_->plugins().find("traffic");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->state, runtime::PluginState::Active) << info->message;
    for (const auto& s : twin_->sources()) ASSERT_TRUE(s.status.isOk()) << s.id << ": " << s.status.message();
    for (const auto& [key, value] : {std::pair{"road_layer", "test-roads"}, std::pair{"bus_stop_layer", "test-stops"},
                                     std::pair{"building_layer", "test-buildings"}}) {
      ASSERT_TRUE(twin_->plugins().setSetting("traffic", key, value).isOk()) << key;
    }
    // The classifier became the roads' graduated rule: five levels, severe in dark red.
    auto* roads = dynamic_cast<layers::VectorLayer*>(twin_->findLayer("test-roads"));
    ASSERT_NE(roads, nullptr);
    EXPECT_EQ(roads->config().style.colorMode, "graduated");
    ASSERT_EQ(roads->config().style.colors.size(), 5u);
    EXPECT_EQ(roads->config().style.colors[4], "#c00000ff");
  }

  void frame() {
    twin_->beginFrame();
    twin_->update();
  }

  void publishAll(testing::LoopbackPublisher& publisher, TimePoint time) {
    connectors::Message m;
    m.topic = "traffic.test";
    m.envelope.publisherId = "traffic-test";
    m.envelope.sequence = ++sequence_;
    m.envelope.sourceTime = time;
    m.envelope.schemaId = "traffic.test";
    m.envelope.declaredInterval = 600 * kMicrosPerSecond;
    const auto add = [&](const std::string& id, const char* attribute, double value) {
      if (!std::isnan(value)) m.updates.push_back({id, attribute, value, "", time});
    };
    for (const LinkCase& l : kLinks) {
      const std::string id = std::string("test-roads/") + l.id;
      add(id, "speed_kmh", l.speed);
      add(id, "free_speed_kmh", l.liveFree);
      add(id, "flow_veh_h", l.flow);
    }
    for (const auto& [id, state] : kChargers) add(id, "state", state);
    for (const auto& [attribute, trips] : kTrips) add("tongzhou-district/0", attribute, trips);
    publisher.publish(m);
  }

  double value(const std::string& entity, const char* attribute) const {
    const auto e = twin_->entities().find(entity);
    const auto a = twin_->entities().attributes().find(attribute);
    if (!e || !a) return kNaN;
    const auto s = twin_->sampleValue(*e, *a, twin_->frameTime());
    return s ? s->value : kNaN;
  }

  // Publishes until every link with a speed has its level at the expected value (PUB/SUB joins slowly, new
  // attribute names are registered a frame after their first sample, layers load in the background), bounded.
  bool publishUntilLevels(TimePoint time, bool byClass) {
    testing::LoopbackPublisher publisher(twin_->sources()[1].endpoint);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      publishAll(publisher, time);
      for (int k = 0; k < 5; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        frame();
      }
      bool all = true;
      for (const LinkCase& l : kLinks) {
        const int expected = byClass ? l.classLevel : l.ratioLevel;
        if (expected > 0) all = all && value(std::string("test-roads/") + l.id, "congestion_level") == expected;
      }
      if (all) return true;
    }
    return false;
  }

  double kpi(const char* id, runtime::PluginKpiStatus* status = nullptr) const {
    const auto k = twin_->plugins().computeKpi(id, twin_->frameTime());
    EXPECT_TRUE(k) << id << ": " << k.status().message();
    if (!k) return kNaN;
    if (status != nullptr) *status = k->status;
    return k->value;
  }

  std::atomic<TimePoint> wall_{kWallStart};
  std::unique_ptr<runtime::Twin> twin_;
  std::uint64_t sequence_ = 0;
};

TEST_F(TrafficPluginTest, LevelsIndexChargersCoverageAndGreenShare) {
  const TimePoint t = kWallStart - 10 * kMicrosPerSecond;
  ASSERT_TRUE(publishUntilLevels(t, false)) << "the links never got their congestion levels";
  // Each link's level as computed by hand, stamped with its inputs' time; road/5 had no speed: no level.
  for (const LinkCase& l : kLinks) {
    const std::string id = std::string("test-roads/") + l.id;
    if (l.ratioLevel == 0) {
      EXPECT_TRUE(std::isnan(value(id, "congestion_level"))) << id;
      continue;
    }
    EXPECT_EQ(value(id, "congestion_level"), l.ratioLevel) << id;
    const auto latest = twin_->timeSeries().latest(*twin_->entities().find(id),
                                                   *twin_->entities().attributes().find("congestion_level"));
    ASSERT_TRUE(latest);
    EXPECT_EQ(latest->sampleTime, t) << id;
  }

  // The network index (VKT-weighted severe share through the Annex C anchors): 5.50, a warning (4..6).
  runtime::PluginKpiStatus status{};
  EXPECT_NEAR(kpi("traffic.network_index", &status), kIndexVkt, 1e-6);
  EXPECT_EQ(status, runtime::PluginKpiStatus::Warning);

  // Chargers: 2 free, 3 charging, 1 fault (the 7 left out); occupancy 3 / 5; faults 1 of 6 = 16.7 %: an alert.
  EXPECT_EQ(kpi("traffic.chargers_free"), 2);
  EXPECT_EQ(kpi("traffic.chargers_charging"), 3);
  EXPECT_EQ(kpi("traffic.chargers_fault", &status), 1);
  EXPECT_EQ(status, runtime::PluginKpiStatus::Alert);
  EXPECT_NEAR(kpi("traffic.charger_occupancy", &status), 60.0, 1e-9);
  EXPECT_EQ(status, runtime::PluginKpiStatus::Ok);

  // Bus-stop coverage: 2 of the 4 residential buildings (the office does not count): 50 %, an alert (< 85 %).
  EXPECT_NEAR(kpi("traffic.bus_stop_coverage", &status), 50.0, 1e-9);
  EXPECT_EQ(status, runtime::PluginKpiStatus::Alert);
  // Green travel: 72 %, a warning (the programme's target is about 80 %).
  EXPECT_NEAR(kpi("traffic.green_travel_share", &status), 72.0, 1e-9);
  EXPECT_EQ(status, runtime::PluginKpiStatus::Warning);
  bool methods = false;
  for (const runtime::PluginKpi& k : twin_->plugins().kpis()) {
    if (k.id == "traffic.network_index") methods = !k.methodZh.empty() && k.methodEn.find("Annex C") != std::string::npos;
  }
  EXPECT_TRUE(methods);

  // Settings applied at once: a 1100 m radius covers all four; length weighting makes the index 10.
  ASSERT_TRUE(twin_->plugins().setSetting("traffic", "coverage_radius_m", "1100").isOk());
  EXPECT_NEAR(kpi("traffic.bus_stop_coverage", &status), 100.0, 1e-9);
  EXPECT_EQ(status, runtime::PluginKpiStatus::Ok);
  ASSERT_TRUE(twin_->plugins().setSetting("traffic", "index_weighting", "length").isOk());
  EXPECT_NEAR(kpi("traffic.network_index", &status), 10.0, 1e-9);
  EXPECT_EQ(status, runtime::PluginKpiStatus::Alert);

  // Grading by the standard's speed limits per class: road/1 (a local road at 25 km/h) becomes light congestion.
  ASSERT_TRUE(twin_->plugins().setSetting("traffic", "grading", "class_speed").isOk());
  ASSERT_TRUE(publishUntilLevels(t, true));
  EXPECT_EQ(value("test-roads/road/1", "congestion_level"), 3);
}

TEST_F(TrafficPluginTest, StaleReadingsLeaveTheKpisAndNewOnesUpdateThem) {
  const TimePoint t = kWallStart - 10 * kMicrosPerSecond;
  ASSERT_TRUE(publishUntilLevels(t, false));
  EXPECT_NEAR(kpi("traffic.network_index"), kIndexVkt, 1e-6);
  // 301 s after the readings (stale_after_s = 300): no index, no charger counts, no green share.
  wall_ = t + 301 * kMicrosPerSecond;
  for (int k = 0; k < 3; ++k) frame();
  for (const char* id : {"traffic.network_index", "traffic.charger_occupancy", "traffic.green_travel_share"}) {
    const auto k = twin_->plugins().computeKpi(id, twin_->frameTime());
    ASSERT_TRUE(k) << id;
    EXPECT_EQ(k->status, runtime::PluginKpiStatus::NoData) << id;
  }
  // The plugin stays active through it all.
  EXPECT_EQ(twin_->plugins().find("traffic")->state, runtime::PluginState::Active);
}

}  // namespace
}  // namespace gt::viewer
