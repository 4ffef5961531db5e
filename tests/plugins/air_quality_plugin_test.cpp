// The air-quality plugin as a user runs it: the demo config (its [plugins] and [[sources]] as shipped, the
// plugin loaded by the real host from the build's "@builtin" folder), station readings published over a real
// ZeroMQ socket on loopback, and what the twin then shows: each station's AQI and class colour, the PM2.5 field
// equal to IDW computed by hand, the KPIs, stale readings left out, and a rendered PNG to look at.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <thread>

#include "../support/demo_plugin_config.hpp"
#include "../support/loopback_publisher.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/zmq_source.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/layers/field_layer.hpp"
#include "greentwin/layers/vector_layer.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr TimePoint kWallStart = 1'795'000'000'000'000;  // 2026-11-18, a fixed "now" the test moves by hand

struct StationReadings {
  double pm25, pm10, no2, o3;  // NaN: not published
  int aqi;                     // hand-computed per HJ 633 (hourly: PM 24-h tables, NO2 and O3 1-h); -1: none
  int level;
  int primary;  // 0 none, 1 PM2.5, 2 PM10, 3 NO2, 4 O3
};

// aq-01 .. aq-12. IAQIs by hand: IAQI = (IAQI_hi - IAQI_lo) / (BP_hi - BP_lo) * (C - BP_lo) + IAQI_lo, rounded up.
const StationReadings kStations[12] = {
    {10, 20, 30, 50, 20, 1, 0},        // PM2.5 15, PM10 20, NO2 15, O3 15.6 -> 16: AQI 20, no primary (<= 50)
    {55, 60, 40, 60, 75, 2, 1},        // PM2.5 75, PM10 55, NO2 20, O3 19
    {30, kNaN, kNaN, 250, 125, 3, 4},  // PM2.5 43, O3 100 + 50 * 50 / 100 = 125
    {130, kNaN, kNaN, kNaN, 172, 4, 1},  // 150 + 50 * 15 / 35 = 171.4 -> 172
    {kNaN, 385, kNaN, kNaN, 250, 5, 2},  // PM10 200 + 100 * 35 / 70
    {300, kNaN, kNaN, kNaN, 350, 6, 1},  // 300 + 100 * 50 / 100
    {kNaN, kNaN, 150, kNaN, 75, 2, 3},   // NO2 1h 50 + 50 * 50 / 100
    {35, kNaN, kNaN, 160, 50, 1, 0},     // both exactly 50: no primary pollutant at 50
    {75, kNaN, kNaN, kNaN, 100, 2, 1},
    {115, kNaN, kNaN, kNaN, 150, 3, 1},
    {20, kNaN, kNaN, kNaN, 29, 1, 0},    // 50 * 20 / 35 = 28.6 -> 29
    {kNaN, kNaN, kNaN, kNaN, -1, 0, 0},  // nothing published: no AQI
};
// HJ 633 class colours, level 1..6.
const int kLevelRgb[7][3] = {{0, 0, 0}, {0, 228, 0}, {255, 255, 0}, {255, 126, 0}, {255, 0, 0}, {153, 0, 76}, {126, 0, 35}};

std::string stationId(int i) {
  char id[64];
  std::snprintf(id, sizeof id, "city-aq-stations/aq-%02d", i + 1);
  return id;
}

class Publisher : public testing::LoopbackPublisher {
 public:
  using LoopbackPublisher::LoopbackPublisher;

  // Every station's readings, stamped `time`; a 10-minute declared interval keeps them LIVE for the twin.
  void sendAll(TimePoint time, double pm25Scale = 1.0) {
    connectors::Message m;
    m.topic = "air.station";
    m.envelope.publisherId = "aq-test";
    m.envelope.sequence = ++sequence_;
    m.envelope.sourceTime = time;
    m.envelope.schemaId = "air.station";
    m.envelope.declaredInterval = 600 * kMicrosPerSecond;
    for (int i = 0; i < 12; ++i) {
      const StationReadings& s = kStations[i];
      const std::pair<const char*, double> values[] = {
          {"pm25", s.pm25 * pm25Scale}, {"pm10", s.pm10}, {"no2", s.no2}, {"o3", s.o3}};
      for (const auto& [name, value] : values) {
        if (!std::isnan(value)) m.updates.push_back({stationId(i), name, value, "ug/m3", time});
      }
    }
    publish(m);
  }

 private:
  std::uint64_t sequence_ = 0;
};

// The config keys the plugin's demo setup uses: a style naming a classifier, a field naming a provider.
TEST(AirQualityConfig, ClassifierStyleAndFieldProviderKeys) {
  // A field layer: [layers.field] is the "field" type's own table (layers/field_layer.hpp), its options only there.
  const std::string base = "[[layers]]\nid = \"s\"\ntype = \"field\"\nsource = \"x.geojson\"\n[layers.style]\n"
                           "color_by = \"aqi\"\nclassifier = \"air_quality.aqi_class\"\n";
  auto ok = runtime::parseConfigText(base + "[layers.field]\nprovider = \"air_quality.pm25_idw\"\n");
  ASSERT_TRUE(ok) << ok.status().message();
  EXPECT_EQ(ok->layers[0].style.classifier, "air_quality.aqi_class");
  EXPECT_EQ(ok->layers[0].style.colorMode, "graduated");  // implied by the classifier
  EXPECT_EQ(layers::fieldOptions(ok->layers[0]).provider, "air_quality.pm25_idw");
  // The classifier gives the classes: breaks (or another colour mode) beside it are an error naming the key.
  auto withBreaks = runtime::parseConfigText(base + "breaks = [1.0]\ncolors = [\"#000000\", \"#ffffff\"]\n");
  ASSERT_FALSE(withBreaks);
  EXPECT_NE(withBreaks.status().message().find("classifier"), std::string::npos) << withBreaks.status().message();
  auto categorical =
      runtime::parseConfigText(base + "color_mode = \"categorical\"\ncategories = { a = \"#000000\" }\n");
  ASSERT_FALSE(categorical);
}

class AirQualityPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The demo's plugin setup exactly as shipped; only the layers this test needs (the terrain the field and the
    // markers lie on, the field's area, the stations, the field), and a loopback feed beside the plugin's "aqi"
    // source.
    auto config = testing::demoConfigForPlugin(
        "air_quality", {"terrain", "tongzhou-district", "city-aq-stations", "air-pm25-surface"});
    ASSERT_TRUE(config) << config.status().message();
    for (LayerConfig& l : config->layers) {
      if (l.id == "air-pm25-surface") {
        l.visible = true;
        // Recompute as soon as readings change (the demo: once a second).
        editLayerOptions<layers::FieldOptions>(l).maxUpdateHz = 60.0;
      }
    }
    ASSERT_EQ(config->sources.size(), 2u);  // the plugin's "aqi" source, then the test's loopback feed
    EXPECT_EQ(config->sources[0].type, "air_quality.aqi");
    auto twin = runtime::Twin::create(*config, [this] { return wall_.load(); });
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin);
    const runtime::PluginInfo* info = twin_->plugins().find("air_quality");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->state, runtime::PluginState::Active) << info->message;
    for (const auto& s : twin_->sources()) ASSERT_TRUE(s.status.isOk()) << s.id << ": " << s.status.message();
    stations_ = dynamic_cast<layers::VectorLayer*>(twin_->findLayer("city-aq-stations"));
    field_ = dynamic_cast<layers::FieldLayer*>(twin_->findLayer("air-pm25-surface"));
    ASSERT_NE(stations_, nullptr);
    ASSERT_NE(field_, nullptr);
    ASSERT_EQ(field_->state(), layers::LayerState::Open) << field_->status().message();
    // The classifier became the stations' graduated rule: AQI 50 good, 51 moderate (next double above the bound).
    const LayerStyleConfig& style = stations_->config().style;
    EXPECT_EQ(style.colorMode, "graduated");
    ASSERT_EQ(style.breaks.size(), 5u);
    EXPECT_GT(style.breaks[0], 50.0);
    EXPECT_LT(style.breaks[0], 50.000001);
    ASSERT_EQ(style.colors.size(), 6u);
    EXPECT_EQ(style.colors[0], "#00e400ff");
    EXPECT_EQ(style.colors[5], "#7e0023ff");
  }

  void frame() {
    twin_->beginFrame();
    twin_->update();
  }

  // Publishes until every station that has readings has an AQI in the twin (PUB/SUB joins slowly and new
  // attribute names are registered a frame after their first sample), bounded.
  bool publishUntilAqi(TimePoint readingTime, double pm25Scale = 1.0) {
    Publisher publisher(twin_->sources()[1].endpoint);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
      publisher.sendAll(readingTime, pm25Scale);
      for (int k = 0; k < 5; ++k) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        frame();
      }
      if (allAqiAt(readingTime)) {
        for (int k = 0; k < 3; ++k) frame();  // the live colours and the field follow within a frame or two
        return true;
      }
    }
    return false;
  }

  bool allAqiAt(TimePoint t) const {
    const auto aqi = twin_->entities().attributes().find("aqi");
    if (!aqi) return false;
    for (int i = 0; i < 12; ++i) {
      if (kStations[i].aqi < 0) continue;
      const auto e = twin_->entities().find(stationId(i));
      if (!e) return false;
      const auto latest = twin_->timeSeries().latest(*e, *aqi);
      if (!latest || latest->sampleTime != t) return false;
    }
    return true;
  }

  double value(int station, const char* attribute) const {
    const auto e = twin_->entities().find(stationId(station));
    const auto a = twin_->entities().attributes().find(attribute);
    if (!e || !a) return kNaN;
    const auto s = twin_->sampleValue(*e, *a, twin_->frameTime());
    return s ? s->value : kNaN;
  }

  // IDW (power 2, 15 km radius, >= 1 station) of the stations' PM2.5 at a point, by hand.
  double idwByHand(double x, double y, double pm25Scale = 1.0) const {
    double sw = 0, swv = 0;
    for (int i = 0; i < 12; ++i) {
      if (std::isnan(kStations[i].pm25)) continue;
      const auto p = twin_->entityPosition(*twin_->entities().find(stationId(i)));
      const double d2 = (p->x - x) * (p->x - x) + (p->y - y) * (p->y - y);
      if (d2 > 15000.0 * 15000.0) continue;
      if (d2 < 1e-12) return kStations[i].pm25 * pm25Scale;
      sw += 1.0 / d2;
      swv += kStations[i].pm25 * pm25Scale / d2;
    }
    return sw > 0 ? swv / sw : kNaN;
  }

  std::atomic<TimePoint> wall_{kWallStart};
  std::unique_ptr<runtime::Twin> twin_;
  layers::VectorLayer* stations_ = nullptr;
  layers::FieldLayer* field_ = nullptr;
};

TEST_F(AirQualityPluginTest, StationsGetTheirAqiClassColoursFieldAndKpis) {
  const TimePoint readingTime = kWallStart - 10 * kMicrosPerSecond;
  ASSERT_TRUE(publishUntilAqi(readingTime)) << "the stations never got their AQI";

  // Each station's AQI, level and primary pollutant as computed by hand, stamped with its readings' time.
  for (int i = 0; i < 12; ++i) {
    const StationReadings& s = kStations[i];
    if (s.aqi < 0) {
      EXPECT_TRUE(std::isnan(value(i, "aqi"))) << stationId(i) << " has no readings, so no AQI";
      continue;
    }
    EXPECT_EQ(value(i, "aqi"), s.aqi) << stationId(i);
    EXPECT_EQ(value(i, "aqi_level"), s.level) << stationId(i);
    EXPECT_EQ(value(i, "primary_pollutant"), s.primary) << stationId(i);
  }

  // The markers are drawn in the standard's class colours (live values through the classifier's rule).
  for (std::uint32_t slot = 0; slot < stations_->slotCount(); ++slot) {
    const EntityIndex e = stations_->entityOfSlot(slot);
    const Entity* entity = twin_->entities().get(e);
    ASSERT_NE(entity, nullptr);
    const int i = std::stoi(entity->id.substr(entity->id.size() - 2)) - 1;
    const auto colour = stations_->drawnColor(slot);
    ASSERT_TRUE(colour.has_value());
    if (kStations[i].aqi < 0) {
      EXPECT_EQ(stations_->slotState(slot), layers::SlotState::NoData) << entity->id;
      continue;
    }
    EXPECT_EQ(stations_->slotState(slot), layers::SlotState::Live) << entity->id;
    for (int c = 0; c < 3; ++c) {
      EXPECT_NEAR((*colour)[static_cast<std::size_t>(c)] * 255.0, kLevelRgb[kStations[i].level][c], 0.6)
          << entity->id << " channel " << c;
    }
  }

  // The field equals IDW by hand at cells spread over the grid (NaN where no station is within 15 km).
  const GridGeometry& g = field_->grid();
  ASSERT_GT(g.width, 10);
  ASSERT_GT(g.height, 10);
  ASSERT_GT(field_->updateCount(), 0u);
  int compared = 0, withValue = 0;
  for (int row = 0; row < g.height; row += g.height / 7) {
    for (int col = 0; col < g.width; col += g.width / 7) {
      const double expected = idwByHand(g.cellX(col), g.cellY(row));
      const float got = field_->valueAt(col, row);
      ++compared;
      if (std::isnan(expected)) {
        EXPECT_TRUE(std::isnan(got)) << "cell " << col << "," << row;
      } else {
        ++withValue;
        EXPECT_NEAR(got, expected, 1e-4 * expected) << "cell " << col << "," << row;
      }
    }
  }
  EXPECT_GT(withValue, compared / 2);

  // KPIs: mean PM2.5 of the 9 stations that report it; share with AQI <= 100 (6 of the 11 with an AQI).
  const auto mean = twin_->plugins().computeKpi("air_quality.mean_pm25", twin_->frameTime());
  ASSERT_TRUE(mean) << mean.status().message();
  EXPECT_NEAR(mean->value, 770.0 / 9.0, 1e-9);
  EXPECT_EQ(mean->status, runtime::PluginKpiStatus::Warning);  // above the 75 ug/m3 24-h limit, within 115
  const auto share = twin_->plugins().computeKpi("air_quality.share_good", twin_->frameTime());
  ASSERT_TRUE(share) << share.status().message();
  EXPECT_NEAR(share->value, 100.0 * 6.0 / 11.0, 1e-9);
  bool unitsOk = false;
  for (const runtime::PluginKpi& k : twin_->plugins().kpis()) {
    if (k.id == "air_quality.mean_pm25") unitsOk = k.unit == "ug/m3";
  }
  EXPECT_TRUE(unitsOk);

  // A setting changed from the UI applies at once: IDW power 1.
  ASSERT_TRUE(twin_->plugins().setSetting("air_quality", "idw_power", "1").isOk());
  const std::size_t before = field_->updateCount();
  for (int k = 0; k < 3 && field_->updateCount() == before; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(40));
    wall_ += kMicrosPerSecond;
    frame();
  }
  const int cc = g.width / 2, cr = g.height / 2;
  double sw = 0, swv = 0;
  for (int i = 0; i < 12; ++i) {
    if (std::isnan(kStations[i].pm25)) continue;
    const auto p = twin_->entityPosition(*twin_->entities().find(stationId(i)));
    const double d = std::hypot(p->x - g.cellX(cc), p->y - g.cellY(cr));
    if (d > 15000.0) continue;
    sw += 1.0 / d;
    swv += kStations[i].pm25 / d;
  }
  ASSERT_GT(sw, 0);
  EXPECT_NEAR(field_->valueAt(cc, cr), swv / sw, 1e-4 * swv / sw);
  ASSERT_TRUE(twin_->plugins().setSetting("air_quality", "idw_power", "2").isOk());
  // Out of the declared range: refused by the host, the value stays.
  EXPECT_FALSE(twin_->plugins().setSetting("air_quality", "idw_power", "60").isOk());
}

TEST_F(AirQualityPluginTest, StaleReadingsLeaveTheFieldAndKpisAndNewOnesUpdateThem) {
  const TimePoint firstTime = kWallStart - 10 * kMicrosPerSecond;
  ASSERT_TRUE(publishUntilAqi(firstTime));
  // Readings twice as high, later: the AQI and the field follow.
  wall_ += 60 * kMicrosPerSecond;
  const TimePoint secondTime = wall_.load() - kMicrosPerSecond;
  ASSERT_TRUE(publishUntilAqi(secondTime, 2.0));
  EXPECT_EQ(value(10, "aqi"), 57);   // aq-11: PM2.5 40 -> 50 + 50 * 5 / 40 = 56.25 -> 57
  EXPECT_EQ(value(3, "aqi"), 310);   // aq-04: PM2.5 260 -> 300 + 100 * 10 / 100
  EXPECT_EQ(value(3, "aqi_level"), 6);
  const GridGeometry& g = field_->grid();
  const int cc = g.width / 2, cr = g.height / 2;
  const double expected = idwByHand(g.cellX(cc), g.cellY(cr), 2.0);
  ASSERT_FALSE(std::isnan(expected));
  EXPECT_NEAR(field_->valueAt(cc, cr), expected, 1e-4 * expected);
  auto mean = twin_->plugins().computeKpi("air_quality.mean_pm25", twin_->frameTime());
  ASSERT_TRUE(mean);
  EXPECT_NEAR(mean->value, 2 * 770.0 / 9.0, 1e-9);

  // 301 s after the readings (stale_after_s = 300): the plugin leaves them out of the field and the KPIs.
  wall_ = secondTime + 301 * kMicrosPerSecond;
  for (int k = 0; k < 3; ++k) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    frame();
  }
  for (int row = 0; row < g.height; ++row) {
    for (int col = 0; col < g.width; ++col) ASSERT_TRUE(std::isnan(field_->valueAt(col, row))) << col << "," << row;
  }
  mean = twin_->plugins().computeKpi("air_quality.mean_pm25", twin_->frameTime());
  ASSERT_TRUE(mean);
  EXPECT_EQ(mean->status, runtime::PluginKpiStatus::NoData);
  const auto share = twin_->plugins().computeKpi("air_quality.share_good", twin_->frameTime());
  ASSERT_TRUE(share);
  EXPECT_EQ(share->status, runtime::PluginKpiStatus::NoData);
}

// #14 and #15 in the twin: a whole local day (UTC+8) of hourly readings, each hour published once, then the KPIs
// on the next day. The readings are kStations' (constant), so by hand: the city's daily PM2.5 is the mean of the 9
// stations with PM2.5, 770 / 9 = 85.6 (> 35: ALERT); PM10 (20, 60, 385) 155, NO2 (30, 40, 150) 73.3, O3 (50, 60,
// 250, 160) 130 for the max 8-h and 1-h values; AQI = PM2.5's 100 + 50 x 10.6 / 40 = 114 > 100: no good day, 0 %.
TEST_F(AirQualityPluginTest, AnnualIndicatorsFromADayOfHourlyReadings) {
  constexpr std::int64_t kHour = 3600 * kMicrosPerSecond;
  // kWallStart is 2026-11-18 19:06 local; the next local day starts at 16:00 UTC.
  const std::int64_t localDay = (kWallStart + 8 * kHour) / (24 * kHour);
  const TimePoint dayStart = (localDay + 1) * 24 * kHour - 8 * kHour;
  for (const char* id : {"air_quality.pm25_annual_mean", "air_quality.good_day_share"}) {
    bool listed = false;
    for (const runtime::PluginKpi& k : twin_->plugins().kpis()) listed = listed || k.id == id;
    EXPECT_TRUE(listed) << id;
  }
  Publisher publisher(twin_->sources()[1].endpoint);
  for (int h = 0; h < 24; ++h) {
    wall_ = dayStart + h * kHour + 30 * 60 * kMicrosPerSecond;
    const TimePoint t = wall_.load() - kMicrosPerSecond;
    bool arrived = false;
    for (int k = 0; k < 400 && !arrived; ++k) {
      if (k % 5 == 0) publisher.sendAll(t);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      frame();
      arrived = allAqiAt(t);
    }
    ASSERT_TRUE(arrived) << "hour " << h;
  }
  // Still the same day: no day of the year has ended with readings, so no value yet.
  auto pm = twin_->plugins().computeKpi("air_quality.pm25_annual_mean", twin_->frameTime());
  ASSERT_TRUE(pm) << pm.status().message();
  EXPECT_EQ(pm->status, runtime::PluginKpiStatus::NoData);
  // The next day: one valid city day.
  wall_ = dayStart + 25 * kHour;
  frame();
  pm = twin_->plugins().computeKpi("air_quality.pm25_annual_mean", twin_->frameTime());
  ASSERT_TRUE(pm) << pm.status().message();
  EXPECT_NEAR(pm->value, 770.0 / 9.0, 1e-9);
  EXPECT_EQ(pm->status, runtime::PluginKpiStatus::Alert);
  const auto good = twin_->plugins().computeKpi("air_quality.good_day_share", twin_->frameTime());
  ASSERT_TRUE(good) << good.status().message();
  EXPECT_DOUBLE_EQ(good->value, 0.0);
  EXPECT_EQ(good->status, runtime::PluginKpiStatus::Alert);

  // Over areas (docs/air-quality.md "Over an area"). A 200 m square around aq-01: its own day, PM2.5 10; AQI 38
  // (NO2 24-h 30 -> 37.5) is good: 100 %.
  const auto position = [&](int i) { return *twin_->entityPosition(*twin_->entities().find(stationId(i))); };
  const auto square = [](double x, double y, double half) {
    return runtime::KpiArea{"drawn/1",
                            {Polygon{{{{x - half, y - half, 0}, {x + half, y - half, 0}, {x + half, y + half, 0},
                                       {x - half, y + half, 0}}}}},
                            4 * half * half};
  };
  const auto in = [&](const char* id, const runtime::KpiArea& area) {
    auto v = twin_->plugins().computeKpiInArea(id, area, twin_->frameTime());
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    return v ? *v : runtime::PluginKpiValue{};
  };
  const Vec3d p1 = position(0);
  auto area = in("air_quality.pm25_annual_mean", square(p1.x, p1.y, 100));
  EXPECT_DOUBLE_EQ(area.value, 10.0);
  EXPECT_EQ(area.status, runtime::PluginKpiStatus::Ok);
  EXPECT_EQ(area.note, "1 of 12 stations in the area: aq-01");
  EXPECT_DOUBLE_EQ(in("air_quality.good_day_share", square(p1.x, p1.y, 100)).value, 100.0);
  // An area around every station: the district's figures.
  double minX = 1e18, minY = 1e18, maxX = -1e18, maxY = -1e18;
  for (int i = 0; i < 12; ++i) {
    minX = std::min(minX, position(i).x);
    minY = std::min(minY, position(i).y);
    maxX = std::max(maxX, position(i).x);
    maxY = std::max(maxY, position(i).y);
  }
  const double half = std::max(maxX - minX, maxY - minY) / 2 + 10;
  const runtime::KpiArea all = square((minX + maxX) / 2, (minY + maxY) / 2, half);
  EXPECT_NEAR(in("air_quality.pm25_annual_mean", all).value, 770.0 / 9.0, 1e-9);
  EXPECT_DOUBLE_EQ(in("air_quality.good_day_share", all).value, 0.0);
  // A 20 m square 500 m east of aq-01, no station in it: the 3 stations nearest to its centre by 1 / d^2, each
  // day's PM2.5 from those of them that have one.
  const double cx = p1.x + 500, cy = p1.y;
  std::vector<std::pair<double, int>> byDistance;
  for (int i = 0; i < 12; ++i) byDistance.emplace_back(std::hypot(position(i).x - cx, position(i).y - cy), i);
  std::sort(byDistance.begin(), byDistance.end());
  double sw = 0, swv = 0;
  for (int k = 0; k < 3; ++k) {
    const auto [d, i] = byDistance[static_cast<std::size_t>(k)];
    if (std::isnan(kStations[i].pm25)) continue;
    sw += 1 / (d * d);
    swv += kStations[i].pm25 / (d * d);
  }
  ASSERT_GT(sw, 0);
  area = in("air_quality.pm25_annual_mean", square(cx, cy, 10));
  EXPECT_NEAR(area.value, swv / sw, 1e-9 * swv / sw);
  EXPECT_EQ(area.note.rfind("no station inside: interpolated (IDW) at its centroid from the 3 nearest: " +
                                stationId(byDistance[0].second).substr(17),
                            0),
            0u)
      << area.note;
  // Far beyond the search radius (15 km) of every station: no data, and why.
  area = in("air_quality.pm25_annual_mean", square(p1.x + 500000, p1.y, 10));
  EXPECT_EQ(area.status, runtime::PluginKpiStatus::NoData);
  EXPECT_EQ(area.note, "no station in the area nor within 15 km of its centroid");
}

// Look at it: coloured station markers over the PM2.5 surface (tests/plugins/air_quality_render.png in the
// build folder). Checked: the surface's class colours cover a good part of the district.
TEST_F(AirQualityPluginTest, RendersColouredStationsOverThePm25Surface) {
  ASSERT_TRUE(publishUntilAqi(kWallStart - 10 * kMicrosPerSecond));
  RenderRequest request;
  request.width = 800;
  request.height = 600;
  request.drawUi = false;
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image) << image.status().message();
  const std::string path = std::string(GT_TEST_BINARY_DIR) + "/air_quality_render.png";
  ASSERT_TRUE(writePng(**image, path).isOk());
  // Pixels near one of the six class colours (blended at 60 % opacity over the district's green, so loosely):
  // orange-ish and yellow-ish dominate with these readings.
  long warm = 0;
  for (int y = 0; y < (*image)->t(); ++y) {
    for (int x = 0; x < (*image)->s(); ++x) {
      const unsigned char* p = (*image)->data(static_cast<unsigned>(x), static_cast<unsigned>(y));
      if (p[0] > 150 && p[1] > 60 && p[2] < 90) ++warm;
    }
  }
  EXPECT_GT(warm, 800L * 600L / 20) << "little of the PM2.5 surface's warm colours in " << path;
  // The markers sit on top in their own, unblended class colours: aq-05 purple (level 5), the yellow ones (level 2).
  const auto count = [&](int r, int g, int b) {
    long n = 0;
    for (int y = 0; y < (*image)->t(); ++y) {
      for (int x = 0; x < (*image)->s(); ++x) {
        const unsigned char* p = (*image)->data(static_cast<unsigned>(x), static_cast<unsigned>(y));
        if (std::abs(p[0] - r) <= 12 && std::abs(p[1] - g) <= 12 && std::abs(p[2] - b) <= 12) ++n;
      }
    }
    return n;
  };
  EXPECT_GT(count(153, 0, 76), 10) << "no purple station marker in " << path;
  EXPECT_GT(count(255, 255, 0), 10) << "no yellow station marker in " << path;
}

}  // namespace
}  // namespace gt::viewer
