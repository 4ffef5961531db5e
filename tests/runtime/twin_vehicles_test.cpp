// Vehicles in the twin (issue 4, moving entities), end to end over real sockets: a publisher on loopback sends bus
// positions under ids the twin has never seen ("buses/..."); the ingest reports them, the update thread registers
// those the vehicles layer claims (bounded by max_entities), republishes the directory, and later messages are
// applied; the layer draws each bus where it is, greyed when its position is stale; a headless render shows the
// markers and a pick on one resolves to its bus.
#include <gtest/gtest.h>
#include <osg/Image>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "../support/demo_plugin_config.hpp"
#include "../support/loopback_publisher.hpp"
#include "../support/twin_test_setup.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/zmq_source.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/layers/vehicle_layer.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/runtime/twin.hpp"

extern char** environ;

namespace gt::runtime {
namespace {

struct Bus {
  std::string id;
  double x = 0;
  double y = 0;
  double speedKmh = 0;
};

class BusPublisher : public testing::LoopbackPublisher {
 public:
  using LoopbackPublisher::LoopbackPublisher;

  // One traffic.bus message, as greentwin-sim's BusFeed sends it (x, y in scene metres, speed_kmh), 1 s interval.
  void send(TimePoint time, const std::vector<Bus>& buses) {
    connectors::Message m;
    m.topic = "traffic.bus";
    m.envelope.publisherId = "test-buses";
    m.envelope.sequence = ++sequence_;
    m.envelope.sourceTime = time;
    m.envelope.schemaId = "traffic.bus";
    m.envelope.declaredInterval = kMicrosPerSecond;
    for (const Bus& b : buses) {
      m.updates.push_back({b.id, "x", b.x, "m", std::nullopt});
      m.updates.push_back({b.id, "y", b.y, "m", std::nullopt});
      m.updates.push_back({b.id, "speed_kmh", b.speedKmh, "km/h", std::nullopt});
    }
    publish(m);
  }

 private:
  std::uint64_t sequence_ = 0;
};

LayerConfig busLayer(int maxEntities) {
  LayerConfig v;
  v.id = "buses";
  v.type = "vehicles";
  v.nameEn = "Buses";
  v.nameZh = "公交车";
  layers::VehiclesOptions& vehicles = editLayerOptions<layers::VehiclesOptions>(v);
  vehicles.prefix = "buses/";
  vehicles.kind = "bus";
  vehicles.maxEntities = maxEntities;
  v.style.pointSizePx = 14;
  v.style.colorMode = "graduated";
  v.style.colorBy = "speed_kmh";
  v.style.breaks = {10, 20};
  v.style.colors = {"#e53935", "#fdd835", "#00e676"};
  return v;
}

// The demo's real layers (no generated city: quick), a bound loopback source and a vehicles layer.
Config configWithBuses(int maxEntities) {
  Config config = testing::demoRealLayers();
  std::erase_if(config.layers, [](const LayerConfig& l) { return l.type == "vehicles"; });
  config.layers.push_back(busLayer(maxEntities));
  config.sources = {testing::loopbackFeedSource("test-feed")};
  config.plugins.enabled.clear();
  return config;
}

// A live clock whose "now" the test moves.
struct FakeWall {
  std::atomic<TimePoint> now{wallNow()};
  Clock::WallSource source() {
    return [this] { return now.load(); };
  }
};

std::unique_ptr<Twin> makeTwin(int maxEntities, FakeWall* wall = nullptr) {
  auto twin = Twin::create(configWithBuses(maxEntities), wall != nullptr ? wall->source() : Clock::WallSource{});
  EXPECT_TRUE(twin) << twin.status().message();
  if (!twin) return nullptr;
  EXPECT_TRUE((*twin)->sources().at(0).status.isOk()) << (*twin)->sources().at(0).status.message();
  return std::move(*twin);
}

layers::VehicleLayer& vehiclesOf(Twin& twin) {
  auto* layer = dynamic_cast<layers::VehicleLayer*>(twin.findLayer("buses"));
  EXPECT_NE(layer, nullptr);
  EXPECT_EQ(layer->state(), layers::LayerState::Open) << layer->status().message();
  return *layer;
}

// Publishes `buses` (sent by `make` each round) every 20 ms and pumps the twin until `done`, for at most 15 s.
bool publishUntil(Twin& twin, BusPublisher& publisher, const std::function<TimePoint()>& now,
                  const std::function<std::vector<Bus>()>& make, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  while (std::chrono::steady_clock::now() < deadline) {
    publisher.send(now(), make());
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    twin.update();
    twin.beginFrame();
    if (done()) return true;
  }
  return false;
}

std::optional<double> latest(Twin& twin, const std::string& id, const std::string& attribute) {
  const auto e = twin.entities().find(id);
  const auto a = twin.entities().attributes().find(attribute);
  if (!e || !a) return std::nullopt;
  const auto s = twin.timeSeries().latest(*e, *a);
  if (!s) return std::nullopt;
  return s->value;
}

TEST(TwinVehicles, UnknownBusIdsBecomeVehiclesAndLaterMessagesAreApplied) {
  FakeWall wall;
  auto twin = makeTwin(10, &wall);
  ASSERT_TRUE(twin);
  layers::VehicleLayer& layer = vehiclesOf(*twin);
  EXPECT_FALSE(twin->entities().find("buses/T51-01")) << "no bus exists before the feed names it";
  // The layer's attributes are interned at load, so a registered bus's next message resolves at once.
  EXPECT_TRUE(twin->entities().attributes().find("x"));
  EXPECT_TRUE(twin->entities().attributes().find("speed_kmh"));

  BusPublisher publisher(twin->sources()[0].endpoint);
  double x = 100.0;
  const auto now = [&wall] { return wall.now.load(); };
  auto round = [&x] {
    x += 1.0;
    return std::vector<Bus>{{"buses/T51-01", x, 50.0, 15.0}, {"buses/T51-02", -x, 80.0, 25.0}};
  };
  ASSERT_TRUE(publishUntil(*twin, publisher, now, round, [&] {
    return latest(*twin, "buses/T51-01", "x") && latest(*twin, "buses/T51-02", "x");
  })) << "the buses never became entities with values";

  const auto bus = twin->entities().find("buses/T51-01");
  ASSERT_TRUE(bus);
  const Entity* entity = twin->entities().get(*bus);
  EXPECT_EQ(entity->kind, "bus");
  EXPECT_EQ(std::get<std::string>(entity->properties.at("layer")), "buses");
  ASSERT_NE(twin->layerOfEntity(*bus), nullptr);
  EXPECT_EQ(twin->layerOfEntity(*bus)->id(), "buses");
  EXPECT_EQ(layer.slotCount(), 2u);
  EXPECT_EQ(twin->dynamicEntities().stats(0).registered, 2u);

  // A later message is applied: the store and the marker follow it.
  ASSERT_TRUE(publishUntil(*twin, publisher, now, [] { return std::vector<Bus>{{"buses/T51-01", 999.0, 55.0, 5.0}}; },
                           [&] { return latest(*twin, "buses/T51-01", "x") == 999.0; }));
  twin->beginFrame();
  const auto slot = layer.slotOfEntity(*bus);
  ASSERT_TRUE(slot);
  const auto drawn = layer.drawn(*slot);
  ASSERT_TRUE(drawn);
  EXPECT_EQ(drawn->state, layers::SlotState::Live);
  EXPECT_DOUBLE_EQ(drawn->position.x, 999.0);
  EXPECT_DOUBLE_EQ(drawn->position.y, 55.0);
  EXPECT_EQ(drawn->color, *layers::parseColor("#e53935"));  // 5 km/h: the slowest class
  // The inspector's rows: the bus's attributes have series at the clock's time.
  const auto attributes = twin->seriesAttributes(*bus);
  EXPECT_EQ(attributes.size(), 3u);
}

TEST(TwinVehicles, BusesOverMaxEntitiesAreRefusedAndCounted) {
  auto twin = makeTwin(2);
  ASSERT_TRUE(twin);
  BusPublisher publisher(twin->sources()[0].endpoint);
  const std::vector<Bus> fleet{{"buses/A-01", 1, 1, 10}, {"buses/A-02", 2, 2, 10}, {"buses/A-03", 3, 3, 10},
                               {"buses/A-04", 4, 4, 10}};
  ASSERT_TRUE(publishUntil(*twin, publisher, wallNow, [&] { return fleet; }, [&] {
    const ClaimStats s = twin->dynamicEntities().stats(0);
    return s.registered == 2 && s.refusedIds == 2 && latest(*twin, "buses/A-02", "x").has_value();
  })) << "registered " << twin->dynamicEntities().stats(0).registered << ", refused "
      << twin->dynamicEntities().stats(0).refusedIds;
  // More messages naming the same four: the directory does not grow, the refusals are counted per report.
  const std::size_t entities = twin->entities().size();
  const std::uint64_t refusals = twin->dynamicEntities().stats(0).refusals;
  ASSERT_TRUE(publishUntil(*twin, publisher, wallNow, [&] { return fleet; },
                           [&] { return twin->dynamicEntities().stats(0).refusals >= refusals + 3; }));
  EXPECT_EQ(twin->entities().size(), entities);
  EXPECT_EQ(twin->entities().ofKind("bus").size(), 2u);
  EXPECT_FALSE(twin->entities().find("buses/A-03"));
  EXPECT_FALSE(twin->entities().find("buses/A-04"));
  EXPECT_EQ(twin->dynamicEntities().stats(0).refusedIds, 2u);  // distinct ids, however often they were named
  EXPECT_EQ(vehiclesOf(*twin).slotCount(), 2u);
  // The layer panel says so.
  ASSERT_EQ(vehiclesOf(*twin).warnings().size(), 1u);
  EXPECT_NE(vehiclesOf(*twin).warnings()[0].find("max_entities 2 reached"), std::string::npos);
}

TEST(TwinVehicles, ABusWhosePositionIsStaleIsDrawnStaleAtItsLastPosition) {
  FakeWall wall;
  auto twin = makeTwin(10, &wall);
  ASSERT_TRUE(twin);
  layers::VehicleLayer& layer = vehiclesOf(*twin);
  BusPublisher publisher(twin->sources()[0].endpoint);
  const auto now = [&wall] { return wall.now.load(); };
  ASSERT_TRUE(publishUntil(*twin, publisher, now, [] { return std::vector<Bus>{{"buses/S-01", 321.0, 123.0, 30.0}}; },
                           [&] { return latest(*twin, "buses/S-01", "x").has_value(); }));
  const EntityIndex bus = *twin->entities().find("buses/S-01");
  const std::uint32_t slot = *layer.slotOfEntity(bus);
  twin->beginFrame();
  EXPECT_EQ(layer.slotState(slot), layers::SlotState::Live);
  // The feed declared 1 s: stale after 2 s without a new position. Nothing more is sent; the clock moves on.
  wall.now = wall.now.load() + 10 * kMicrosPerSecond;
  twin->update();
  twin->beginFrame();
  const auto drawn = layer.drawn(slot);
  ASSERT_TRUE(drawn);
  EXPECT_EQ(drawn->state, layers::SlotState::Stale);
  EXPECT_DOUBLE_EQ(drawn->position.x, 321.0);
  EXPECT_DOUBLE_EQ(drawn->position.y, 123.0);
  EXPECT_NE(drawn->color, *layers::parseColor("#00e676")) << "a stale bus is never drawn in its live colour";
  EXPECT_EQ(layer.drawnCount(), 1u);
  // The inspector says the same.
  const auto x = twin->entities().attributes().find("x");
  EXPECT_EQ(twin->liveValue(bus, *x, twin->frameTime()).state, layers::SlotState::Stale);
}

TEST(TwinVehicles, AHeadlessRenderShowsTheMarkersAndAPickOnOneSelectsItsBus) {
  auto twin = makeTwin(20);
  ASSERT_TRUE(twin);
  const BookmarkConfig* bookmark = twin->config().findBookmark("canal-cbd");
  ASSERT_NE(bookmark, nullptr);
  const auto centre = twin->poseCenter(bookmark->pose);
  ASSERT_TRUE(centre);
  // A bus at the view's centre and a ring of others around it, at three speeds (three colours).
  std::vector<Bus> fleet{{"buses/C-00", centre->x, centre->y, 30.0}};
  for (int i = 1; i <= 9; ++i) {
    const double a = i * 0.698;
    fleet.push_back({"buses/C-0" + std::to_string(i), centre->x + 900.0 * std::cos(a), centre->y + 600.0 * std::sin(a),
                     i % 3 == 0 ? 5.0 : i % 3 == 1 ? 15.0 : 30.0});
  }
  BusPublisher publisher(twin->sources()[0].endpoint);
  TimePoint sent = 0;
  ASSERT_TRUE(publishUntil(*twin, publisher, [&sent] { return sent = wallNow(); }, [&] { return fleet; }, [&] {
    for (const Bus& b : fleet) {
      if (!latest(*twin, b.id, "y")) return false;
    }
    return true;
  }));

  viewer::RenderRequest request;
  request.width = 640;
  request.height = 360;
  request.drawUi = false;
  request.bookmark = "canal-cbd";
  request.time = sent;  // the clock paused at the last sample: every bus live
  auto image = viewer::renderOffscreen(*twin, request);
  ASSERT_TRUE(image) << image.status().message();
  ASSERT_TRUE(viewer::writePng(**image, std::string(GT_TEST_BINARY_DIR) + "/twin_vehicles_markers.png").isOk());
  EXPECT_EQ(vehiclesOf(*twin).drawnCount(), fleet.size());
  // The centre bus (30 km/h: bright green) is drawn at the centre of the view, with its dark rim around it.
  const unsigned char* centrePixel = (*image)->data(320, 180);
  EXPECT_LT(centrePixel[0], 60);
  EXPECT_GT(centrePixel[1], 180);
  EXPECT_GT(centrePixel[2], 70);
  // A pick there resolves to that bus (a point has no area: picked in window space).
  auto picks = viewer::pickOffscreen(*twin, request, {{320.0f, 180.0f}, {322.0f, 183.0f}, {20.0f, 20.0f}});
  ASSERT_TRUE(picks) << picks.status().message();
  const auto centreBus = twin->entities().find("buses/C-00");
  EXPECT_EQ(picks->at(0), centreBus);
  EXPECT_EQ(picks->at(1), centreBus);
  EXPECT_NE(picks->at(2), centreBus);

  // The inspector shows the selected bus: its id, kind, layer and live values (rendered with the interface).
  request.drawUi = true;
  request.width = 1280;
  request.height = 720;
  request.selected = centreBus;
  auto withUi = viewer::renderOffscreen(*twin, request);
  ASSERT_TRUE(withUi) << withUi.status().message();
  ASSERT_TRUE(viewer::writePng(**withUi, std::string(GT_TEST_BINARY_DIR) + "/twin_vehicles_inspector.png").isOk());
}

// A child process, terminated (SIGTERM, then SIGKILL) and reaped when destroyed.
class Process {
 public:
  explicit Process(std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, argv[0], nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
  }
  ~Process() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    for (int i = 0; i < 250; ++i) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;
  bool started() const { return pid_ > 0; }

 private:
  pid_t pid_ = -1;
};

// The demo as `scripts/dev demo` runs it, for buses: the real greentwin-sim (binary payloads, its own routes from
// the demo's bus stops) feeding a twin with the demo's vehicles layer. Its buses become vehicles and move.
TEST(TwinVehicles, TheSimulatorsBusesBecomeMovingVehiclesOfTheDemoLayer) {
  auto config = loadConfig(demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.id != "tongzhou-district" && l.id != "city-buses"; });
  ASSERT_EQ(config->layers.size(), 2u) << "the demo config has the city-buses vehicles layer";
  config->sources = {testing::loopbackFeedSource("sim")};
  config->plugins.enabled.clear();
  auto created = Twin::create(*config);
  ASSERT_TRUE(created) << created.status().message();
  Twin& twin = **created;
  ASSERT_TRUE(twin.sources().at(0).status.isOk()) << twin.sources()[0].status.message();
  auto* layer = dynamic_cast<layers::VehicleLayer*>(twin.findLayer("city-buses"));
  ASSERT_NE(layer, nullptr);
  ASSERT_EQ(layer->state(), layers::LayerState::Open) << layer->status().message();

  // 60x speed: a bus covers ~330 m between two 1 s sweeps.
  Process sim({GT_SIM_EXE, "--endpoint", twin.sources()[0].endpoint, "--config", demoConfigPath(), "--domains",
               "traffic", "--interval-s", "1", "--speed", "60", "--duration", "90"});
  ASSERT_TRUE(sim.started());
  const auto x = twin.entities().attributes().find("x");
  ASSERT_TRUE(x);
  std::map<std::uint32_t, double> firstX;  // per slot, the first position drawn
  std::size_t moved = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && moved < 3) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    twin.update();
    twin.beginFrame();
    moved = 0;
    for (std::uint32_t s = 0; s < layer->slotCount(); ++s) {
      const auto d = layer->drawn(s);
      if (!d || d->state != layers::SlotState::Live) continue;
      const auto [it, inserted] = firstX.emplace(s, d->position.x);
      if (!inserted && std::abs(it->second - d->position.x) > 1.0) ++moved;
    }
  }
  EXPECT_GE(moved, 3u) << layer->slotCount() << " buses registered";
  const auto buses = twin.entities().ofKind("bus");
  EXPECT_EQ(buses.size(), layer->slotCount());
  EXPECT_LE(buses.size(), static_cast<std::size_t>(layers::vehiclesOptions(layer->config()).maxEntities));
  for (const EntityIndex e : buses) {
    EXPECT_TRUE(twin.entities().get(e)->id.starts_with("buses/")) << twin.entities().get(e)->id;
    EXPECT_EQ(twin.layerOfEntity(e), layer);
  }
  EXPECT_EQ(twin.dynamicEntities().stats(0).refusedIds, 0u);
}

}  // namespace
}  // namespace gt::runtime
