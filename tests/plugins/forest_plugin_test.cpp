// The forest plugin as a user runs it: the demo config (its [plugins], [plugins.forest] and forest source as
// shipped, the plugin loaded by the real host from the build's "@builtin" folder) with the demo's district, green
// spaces and buildings, forest-stand values published over a real ZeroMQ socket on loopback, and what the twin then
// has: #17 and #18 equal to the same quantities computed here independently with OGR from the GeoPackage and the
// GeoJSON themselves, each parcel's fire danger level and the carbon and canopy KPIs from the published values, and
// park_covered on the residential buildings.
#include <gtest/gtest.h>
#include <ogr_geometry.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "../support/demo_plugin_config.hpp"
#include "../support/loopback_publisher.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/runtime/zmq_source.hpp"

namespace gt::runtime {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr TimePoint kWallStart = 1'795'000'000'000'000;  // a fixed "now" the test moves by hand

std::string parcelId(int n) {
  char id[64];
  std::snprintf(id, sizeof id, "city-green-spaces/green_space/%06d", n);
  return id;
}

// Stand values published for parcels 1..5: fire_risk -> levels 1..5 by the plugin's cut points (25, 50, 72, 90).
struct Stand {
  double fireRisk, carbonKgCH, canopyPct;
  int level;
};
const Stand kStands[5] = {{10, 10, 40, 1}, {30, 20, 80, 2}, {60, -5, kNaN, 3}, {80, 0, kNaN, 4}, {95, 1, kNaN, 5}};

struct Dataset {
  std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> ds{nullptr, [](GDALDataset* d) { GDALClose(d); }};
};

Dataset open(const std::string& path) {
  GDALAllRegister();
  Dataset d;
  d.ds.reset(GDALDataset::FromHandle(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr,
                                                nullptr)));
  return d;
}

// #17 and #18 computed here with OGR on the demo's files, with the demo's settings (forest,green_belt; park >=
// 5000 m2; 500 m; 16 segments a quarter circle as the plugin's buffers).
struct Expected {
  double forestPct = kNaN, parkPct = kNaN;
  std::string coveredHome, uncoveredHome;  // a residential building entirely inside / entirely outside the service area
};

const LayerConfig& layerOf(const Config& config, const std::string& id) {
  for (const LayerConfig& l : config.layers) {
    if (l.id == id) return l;
  }
  throw std::runtime_error("no layer " + id);
}

double areaOf(const OGRGeometry* g) { return g != nullptr ? OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g))) : 0.0; }

// The polygons of g (a polygon or a multipolygon) added to out.
void addParts(OGRMultiPolygon& out, const OGRGeometry* g) {
  if (wkbFlatten(g->getGeometryType()) == wkbPolygon) {
    out.addGeometry(g);
  } else {
    for (const auto* part : *g->toMultiPolygon()) out.addGeometry(part);
  }
}

// Within `area` (EPSG:4548; nullptr: the whole district): #17 over the area's part in the district, #18 over the
// residential buildings whose centroid lies in it.
Expected computeIndependently(const Config& config, double radiusM, const OGRGeometry* area = nullptr) {
  Expected e;
  Dataset city = open(config.resolvePath(layerOf(config, "city-green-spaces").source));
  Dataset districtFile = open(config.resolvePath(layerOf(config, "tongzhou-district").source));
  EXPECT_TRUE(city.ds && districtFile.ds);
  if (!city.ds || !districtFile.ds) return e;
  OGRLayer* greens = city.ds->GetLayerByName("green_spaces");
  OGRLayer* buildings = city.ds->GetLayerByName("buildings");
  OGRLayer* districtLayer = districtFile.ds->GetLayer(0);
  OGRSpatialReference* target = greens->GetSpatialRef();  // EPSG:4548, the scene CRS (areas as the twin's)

  OGRMultiPolygon district;
  for (auto& f : *districtLayer) {
    std::unique_ptr<OGRGeometry> g(f->GetGeometryRef()->clone());
    EXPECT_EQ(g->transformTo(target), OGRERR_NONE);
    addParts(district, g.get());
  }
  std::unique_ptr<OGRGeometry> districtArea(district.UnionCascaded());
  if (area != nullptr) districtArea.reset(districtArea->Intersection(area));

  OGRMultiPolygon forest;
  std::unique_ptr<OGRGeometry> service;
  for (auto& f : *greens) {
    const std::string kind = f->GetFieldAsString("kind");
    const OGRGeometry* g = f->GetGeometryRef();
    if (kind == "forest" || kind == "green_belt") addParts(forest, g);
    if (kind == "park" && areaOf(g) >= 5000.0) {
      std::unique_ptr<OGRGeometry> b(g->Buffer(radiusM, 16));
      service.reset(service ? service->Union(b.get()) : b.release());
    }
  }
  std::unique_ptr<OGRGeometry> forestLand(forest.UnionCascaded());
  std::unique_ptr<OGRGeometry> inside(forestLand->Intersection(districtArea.get()));
  e.forestPct = 100.0 * areaOf(inside.get()) / areaOf(districtArea.get());

  OGRPreparedGeometryUniquePtr prepared(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(service.get())));
  double all = 0, covered = 0;
  for (auto& f : *buildings) {
    if (std::string(f->GetFieldAsString("use")) != "residential") continue;
    const OGRGeometry* g = f->GetGeometryRef();
    OGRPoint centroid;
    if (area != nullptr && (g->Centroid(&centroid) != OGRERR_NONE || !area->Contains(&centroid))) continue;
    const double a = areaOf(g);
    all += a;
    if (!OGRPreparedGeometryIntersects(prepared.get(), OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)))) {
      if (e.uncoveredHome.empty()) e.uncoveredHome = std::string("city-buildings/") + f->GetFieldAsString("id");
      continue;
    }
    if (OGRPreparedGeometryContains(prepared.get(), OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g)))) {
      covered += a;
      if (e.coveredHome.empty()) e.coveredHome = std::string("city-buildings/") + f->GetFieldAsString("id");
      continue;
    }
    std::unique_ptr<OGRGeometry> part(g->Intersection(service.get()));
    covered += areaOf(part.get());
  }
  e.parkPct = 100.0 * covered / all;
  return e;
}

class Publisher : public testing::LoopbackPublisher {
 public:
  using LoopbackPublisher::LoopbackPublisher;
  void sendStands(TimePoint time) {
    connectors::Message m;
    m.topic = "forest.stand";
    m.envelope.publisherId = "forest-test";
    m.envelope.sequence = ++sequence_;
    m.envelope.sourceTime = time;
    m.envelope.schemaId = "forest.stand";
    m.envelope.declaredInterval = 600 * kMicrosPerSecond;
    for (int i = 0; i < 5; ++i) {
      const Stand& s = kStands[i];
      m.updates.push_back({parcelId(i + 1), "fire_risk", s.fireRisk, "", time});
      m.updates.push_back({parcelId(i + 1), "carbon_uptake_kgc_h", s.carbonKgCH, "kg C/h", time});
      if (!std::isnan(s.canopyPct)) m.updates.push_back({parcelId(i + 1), "canopy_cover_pct", s.canopyPct, "%", time});
    }
    publish(m);
  }

 private:
  std::uint64_t sequence_ = 0;
};

class ForestPluginTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The demo's plugin setup as shipped; only the layers the plugin reads, and a loopback feed beside its source.
    auto config = testing::demoConfigForPlugin("forest", {"tongzhou-district", "city-green-spaces", "city-buildings"});
    ASSERT_TRUE(config) << config.status().message();
    ASSERT_EQ(config->sources.size(), 2u);
    EXPECT_EQ(config->sources[0].type, "forest.derive");
    config_ = *config;  // its layers' sources, for the independent computation
    auto twin = Twin::create(*config, [this] { return wall_.load(); });
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin);
    const PluginInfo* info = twin_->plugins().find("forest");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->state, PluginState::Active) << info->message;
  }

  void frame() {
    twin_->beginFrame();
    twin_->update();
  }

  std::optional<PluginKpiValue> kpi(const std::string& id) {
    auto v = twin_->plugins().computeKpi(id, twin_->frameTime());
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    if (!v) return std::nullopt;
    return *v;
  }

  // Frames (the layers load in the background, the plugin computes off the update thread) until `id` has a value
  // different from `unlike`, bounded.
  std::optional<PluginKpiValue> waitForKpi(const std::string& id, double unlike = kNaN) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
    while (std::chrono::steady_clock::now() < deadline) {
      frame();
      const auto v = kpi(id);
      if (v && v->hasValue() && !(v->value == unlike)) return v;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return std::nullopt;
  }

  double value(const std::string& entityId, const char* attribute) const {
    const auto e = twin_->entities().find(entityId);
    const auto a = twin_->entities().attributes().find(attribute);
    if (!e || !a) return kNaN;
    const auto s = twin_->sampleValue(*e, *a, twin_->frameTime());
    return s ? s->value : kNaN;
  }

  Config config_;
  std::atomic<TimePoint> wall_{kWallStart};
  std::unique_ptr<Twin> twin_;
};

TEST_F(ForestPluginTest, CoverageKpisEqualAnIndependentComputationAndTheMapFlagsFollow) {
  const Expected expected = computeIndependently(config_, 500.0);
  ASSERT_FALSE(std::isnan(expected.forestPct));
  ASSERT_FALSE(expected.coveredHome.empty());
  ASSERT_FALSE(expected.uncoveredHome.empty());

  const auto forest = waitForKpi("forest.coverage");
  ASSERT_TRUE(forest) << "#17 never computed";
  EXPECT_NEAR(forest->value, expected.forestPct, 1e-4);
  const auto park = waitForKpi("forest.park_service_coverage");
  ASSERT_TRUE(park) << "#18 never computed";
  EXPECT_NEAR(park->value, expected.parkPct, 1e-4);
  EXPECT_GT(park->value, 1.0);
  EXPECT_LT(park->value, 99.0);
  EXPECT_EQ(park->status, park->value >= 80 ? PluginKpiStatus::Ok
                          : park->value >= 60 ? PluginKpiStatus::Warning
                                              : PluginKpiStatus::Alert);

  // The KPIs say how they are computed.
  int withMethod = 0;
  for (const PluginKpi& k : twin_->plugins().kpis()) {
    if (k.pluginId == "forest" && !k.methodEn.empty() && !k.methodZh.empty()) ++withMethod;
  }
  EXPECT_EQ(withMethod, 4);

  // park_covered on the residential buildings (pushed a few thousand a frame): 1 inside the service area, 0 outside.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline &&
         (std::isnan(value(expected.coveredHome, "park_covered")) ||
          std::isnan(value(expected.uncoveredHome, "park_covered")))) {
    frame();
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(value(expected.coveredHome, "park_covered"), 1.0) << expected.coveredHome;
  EXPECT_EQ(value(expected.uncoveredHome, "park_covered"), 0.0) << expected.uncoveredHome;

  // A wider service radius from the settings: computed again, and larger.
  ASSERT_TRUE(twin_->plugins().setSetting("forest", "service_radius_m", "1000").isOk());
  const auto wider = waitForKpi("forest.park_service_coverage", park->value);
  ASSERT_TRUE(wider);
  EXPECT_NEAR(wider->value, computeIndependently(config_, 1000.0).parkPct, 1e-4);
  EXPECT_GT(wider->value, park->value);
  // Out of the declared range: refused by the host.
  EXPECT_FALSE(twin_->plugins().setSetting("forest", "service_radius_m", "0").isOk());
}

// Asked before its inputs are there (a twin whose layers load in the background, no frame run yet), the coverage KPIs
// are pending — the host asks again, a report waits — not "no data"; they have values once the layers are in and the
// coverage job has run. Before, they said no data, and a report on a loaded machine wrote #17/#18 without values.
TEST_F(ForestPluginTest, CoverageKpisArePendingUntilTheirInputsAreComputed) {
  twin_.reset();
  auto twin = Twin::create(config_, [this] { return wall_.load(); }, LoadMode::Background);
  ASSERT_TRUE(twin) << twin.status().message();
  twin_ = std::move(*twin);
  for (const char* id : {"forest.coverage", "forest.park_service_coverage"}) {
    const auto first = kpi(id);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, PluginKpiStatus::Pending) << id << ": " << first->note;
    EXPECT_EQ(first->note, "the green-space layers are being read") << id;
  }
  const auto forest = waitForKpi("forest.coverage");
  ASSERT_TRUE(forest) << "#17 never computed";
  EXPECT_GT(forest->value, 0.0);
  const auto park = waitForKpi("forest.park_service_coverage");
  ASSERT_TRUE(park) << "#18 never computed";
  EXPECT_GT(park->value, 0.0);
}

// Over a square a tenth of the district around its middle, and over the district itself: the area KPIs against the
// same independent computation within the square; their time on the update thread, printed as a BENCH line.
TEST_F(ForestPluginTest, CoverageKpisOverAnAreaEqualAnIndependentComputation) {
  const auto forest = waitForKpi("forest.coverage");
  ASSERT_TRUE(forest);
  ASSERT_TRUE(waitForKpi("forest.park_service_coverage"));
  // The scene frame is the projected CRS moved to the scene origin: the offset from one green-space parcel's first
  // vertex in the twin and in the GeoPackage (checked on a second parcel).
  const FeatureSet* greens = twin_->findLayer("city-green-spaces")->features();
  ASSERT_NE(greens, nullptr);
  ASSERT_GT(greens->features.size(), 2u);
  Dataset city = open(config_.resolvePath(layerOf(config_, "city-green-spaces").source));
  OGRLayer* greensFile = city.ds->GetLayerByName("green_spaces");
  const auto firstVertex = [&](std::size_t i) {
    std::unique_ptr<OGRFeature> f(greensFile->GetFeature(static_cast<GIntBig>(i + 1)));
    const OGRGeometry* g = f->GetGeometryRef();
    const OGRPolygon* p = wkbFlatten(g->getGeometryType()) == wkbPolygon ? g->toPolygon()
                                                                          : g->toMultiPolygon()->getGeometryRef(0);
    const Vec3d scene = greens->features[i].geometry.polygons.at(0).rings.at(0).at(0);
    EXPECT_EQ(greens->features[i].id, std::string("city-green-spaces/") + f->GetFieldAsString("id"));
    return std::pair<double, double>{p->getExteriorRing()->getX(0) - scene.x, p->getExteriorRing()->getY(0) - scene.y};
  };
  const auto offset = firstVertex(0);
  const auto check = firstVertex(greens->features.size() - 1);
  ASSERT_NEAR(offset.first, check.first, 1e-3);
  ASSERT_NEAR(offset.second, check.second, 1e-3);

  // The district's bounding box in the scene frame; a square of a tenth of the district's area about its middle.
  const FeatureSet* district = twin_->findLayer("tongzhou-district")->features();
  ASSERT_NE(district, nullptr);
  double minX = 1e18, minY = 1e18, maxX = -1e18, maxY = -1e18, districtM2 = 0;
  for (const Feature& f : district->features) {
    for (const Polygon& p : f.geometry.polygons) {
      districtM2 += polygonArea(p);
      for (const Vec3d& v : p.rings.at(0)) {
        minX = std::min(minX, v.x);
        minY = std::min(minY, v.y);
        maxX = std::max(maxX, v.x);
        maxY = std::max(maxY, v.y);
      }
    }
  }
  const double side = std::sqrt(districtM2 / 10.0), cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  const double x0 = cx - side / 2, y0 = cy - side / 2, x1 = cx + side / 2, y1 = cy + side / 2;
  const KpiArea square{"drawn/1", {Polygon{{{{x0, y0, 0}, {x1, y0, 0}, {x1, y1, 0}, {x0, y1, 0}}}}}, side * side};
  OGRLinearRing ring;
  for (const auto& [x, y] : {std::pair{x0, y0}, {x1, y0}, {x1, y1}, {x0, y1}, {x0, y0}}) {
    ring.addPoint(x + offset.first, y + offset.second);
  }
  OGRPolygon projected;
  projected.addRing(&ring);
  const Expected expected = computeIndependently(config_, 500.0, &projected);

  const auto in = [&](const char* id, const KpiArea& area) {
    auto v = twin_->plugins().computeKpiInArea(id, area, twin_->frameTime());
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    return v ? *v : PluginKpiValue{};
  };
  const auto start = std::chrono::steady_clock::now();
  const PluginKpiValue coverage = in("forest.coverage", square);
  const PluginKpiValue park = in("forest.park_service_coverage", square);
  const PluginKpiValue carbon = in("forest.carbon_uptake", square);
  const PluginKpiValue canopy = in("forest.mean_canopy", square);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("BENCH forest_area_kpis_ms=%.1f (4 KPIs, a square of %.1f km2)\n", ms, side * side / 1e6);
  EXPECT_EQ(coverage.status, PluginKpiStatus::Ok) << coverage.note;
  EXPECT_NEAR(coverage.value, expected.forestPct, 1e-4);
  EXPECT_NE(coverage.note.find("forest land"), std::string::npos) << coverage.note;
  EXPECT_TRUE(park.hasValue()) << park.note;
  EXPECT_NEAR(park.value, expected.parkPct, 1e-4);
  EXPECT_NE(park.note.find("residential buildings in the area"), std::string::npos) << park.note;
  // No stand values were fed: the parcels are there, their readings not.
  EXPECT_EQ(carbon.status, PluginKpiStatus::NoData);
  EXPECT_EQ(carbon.note, "no carbon uptake reading for the parcels in the area yet");
  EXPECT_EQ(canopy.status, PluginKpiStatus::NoData);

  // The district itself as the area: the district's figures.
  KpiArea whole{"tongzhou-district/0", {}, districtM2};
  for (const Feature& f : district->features) {
    whole.polygons.insert(whole.polygons.end(), f.geometry.polygons.begin(), f.geometry.polygons.end());
  }
  EXPECT_NEAR(in("forest.coverage", whole).value, forest->value, 1e-6);
  // Far outside: no data, and why.
  const KpiArea away{"drawn/2", {Polygon{{{{x0 + 1e6, y0, 0}, {x1 + 1e6, y0, 0}, {x1 + 1e6, y1, 0}}}}}, 1};
  EXPECT_EQ(in("forest.coverage", away).note, "the area lies outside the district");
  EXPECT_EQ(in("forest.park_service_coverage", away).note, "no residential building in the area");
}

TEST_F(ForestPluginTest, FireDangerLevelsCarbonAndCanopyFromTheStandValues) {
  const TimePoint t = kWallStart - 10 * kMicrosPerSecond;
  Publisher publisher(twin_->sources()[1].endpoint);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const auto allLevels = [&] {
    for (int i = 0; i < 5; ++i) {
      if (value(parcelId(i + 1), "fire_danger_level") != kStands[i].level) return false;
    }
    return true;
  };
  while (std::chrono::steady_clock::now() < deadline && !allLevels()) {
    publisher.sendStands(t);
    for (int k = 0; k < 5; ++k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
      frame();
    }
  }
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(value(parcelId(i + 1), "fire_danger_level"), kStands[i].level) << parcelId(i + 1);
  }
  // Stamped with the fire_risk sample's time, so it ages with it.
  const auto e = twin_->entities().find(parcelId(1));
  const auto a = twin_->entities().attributes().find("fire_danger_level");
  ASSERT_TRUE(e && a);
  EXPECT_EQ(twin_->sampleValue(*e, *a, twin_->frameTime())->sampleTime, t);
  // The classifier colours level 5 red and level 1 green (GB/T 36743).
  bool found = false;
  for (const PluginClassifier& c : twin_->plugins().classifiers()) {
    if (c.id != "forest.fire_danger_class") continue;
    found = true;
    ASSERT_EQ(c.classes.size(), 5u);
    EXPECT_EQ(c.classes[4].labelZh, "五级 极高火险");
    EXPECT_GT(c.classes[0].rgba[1], c.classes[0].rgba[0]);
  }
  EXPECT_TRUE(found);

  // Carbon: one sample each, extrapolated to a day: (10 + 20 - 5 + 0 + 1) kg C/h x 24 h x 44/12 / 1000 t CO2/day.
  const auto carbon = kpi("forest.carbon_uptake");
  ASSERT_TRUE(carbon);
  EXPECT_NEAR(carbon->value, 26.0 * 24.0 * 44.0 / 12.0 / 1000.0, 1e-9);
  EXPECT_NEAR(value(parcelId(2), "carbon_uptake_tco2_d"), 20.0 * 24.0 * 44.0 / 12.0 / 1000.0, 1e-9);
  // Mean canopy: weighted by the parcels' areas (the GeoPackage's area_m2, rounded to 1 m2).
  Dataset city = open(config_.resolvePath(layerOf(config_, "city-green-spaces").source));
  double area[2] = {0, 0};
  for (auto& f : *city.ds->GetLayerByName("green_spaces")) {
    const std::string id = f->GetFieldAsString("id");
    if (id == "green_space/000001") area[0] = f->GetFieldAsDouble("area_m2");
    if (id == "green_space/000002") area[1] = f->GetFieldAsDouble("area_m2");
  }
  ASSERT_GT(area[0] * area[1], 0);
  const auto canopy = kpi("forest.mean_canopy");
  ASSERT_TRUE(canopy);
  EXPECT_NEAR(canopy->value, (40.0 * area[0] + 80.0 * area[1]) / (area[0] + area[1]), 1e-3);
}

}  // namespace
}  // namespace gt::runtime
