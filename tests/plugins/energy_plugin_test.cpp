// The energy plugin loaded by the real plugin host, two ways:
//  - EnergyPluginHost: with a recording stand-in for the twin (a few hand-made buildings and substations), so that
//    every push, alert and warning can be checked: derived values on known inputs, only changed samples, the
//    overload and N-1 alerts raised and cleared, KPIs by hand, one warning per cause;
//  - EnergyPluginTwin: in a twin on the demo config (its [plugins] and [[sources]] as shipped), buildings and a
//    substation fed over ZeroMQ on loopback, the derived values in the twin equal to hand computation from the
//    layer's own footprints.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>
#include <ogrsf_frmts.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "../support/demo_plugin_config.hpp"
#include "../support/loopback_publisher.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/plugin_host.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/runtime/zmq_source.hpp"

namespace gt::runtime {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Collects the log lines (message text) while it lives.
class CaptureSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::size_t count(const std::string& part) {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const std::string& line : lines_) n += line.find(part) != std::string::npos ? 1 : 0;
    return n;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override { lines_.emplace_back(msg.payload.data(), msg.payload.size()); }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

Feature feature(const std::string& id, std::vector<std::vector<Vec3d>> rings, std::map<std::string, std::string> attrs) {
  Feature f;
  f.id = id;
  if (!rings.empty()) f.geometry.polygons.push_back(Polygon{std::move(rings)});
  for (auto& [k, v] : attrs) f.properties[k] = v;
  return f;
}

std::vector<Vec3d> rectangle(double x0, double y0, double w, double h) {
  return {{x0, y0, 0}, {x0 + w, y0, 0}, {x0 + w, y0 + h, 0}, {x0, y0 + h, 0}};
}

// A twin stand-in: features of two layers (handles = index in `all`), values set by the test, pushes recorded (the
// first push of an attribute name refused, as the twin does while it registers the name), alerts recorded.
class Services : public PluginServices {
 public:
  Services() {
    // b1: 10 x 10 with a 2 x 3 courtyard, 6 floors: 564 m2. b2: 20 x 10, no floors, 19.2 m high: 6 floors, 1200 m2.
    // b3: 10 x 10, neither floors nor height: 1 floor, 100 m2. b4: no footprint (a point), 2 floors.
    // Uses, completion years and green stars (#9): b1 home of 2022 with 2 stars, b2 office of 2023 at the basic
    // level (0), b3 home of 2015 with 1 star, b4 home of 2021 with 3 stars but no floor area.
    add("city-buildings", feature("city-buildings/b1", {rectangle(0, 0, 10, 10), rectangle(2, 2, 2, 3)},
                                  {{"floors", "6"}, {"use", "residential"}, {"year_built", "2022"}, {"green_star", "2"}}));
    add("city-buildings", feature("city-buildings/b2", {rectangle(100, 0, 20, 10)},
                                  {{"height_m", "19.2"}, {"use", "office"}, {"year_built", "2023"}, {"green_star", "0"}}));
    add("city-buildings", feature("city-buildings/b3", {rectangle(200, 0, 10, 10)},
                                  {{"use", "residential"}, {"year_built", "2015"}, {"green_star", "1"}}));
    Feature point = feature("city-buildings/b4", {},
                            {{"floors", "2"}, {"use", "residential"}, {"year_built", "2021"}, {"green_star", "3"}});
    point.geometry.points.push_back({300, 0, 0});
    add("city-buildings", point);
    // s1: 3 x 180 MVA (N-1 firm 360 MVA = 66.7 %); s2: no transformer count.
    add("city-substations", feature("city-substations/s1", {},
                                    {{"capacity_mva", "540"}, {"transformers", "3"}, {"name_zh", "台湖220千伏变电站"},
                                     {"name_en", "Taihu 220 kV substation"}}));
    add("city-substations", feature("city-substations/s2", {}, {{"capacity_mva", "100"}}));
  }
  void add(const std::string& layer, Feature f) {
    f.entity = static_cast<EntityIndex>(all.size());
    all.push_back(f.id);
    layers[layer].push_back(std::move(f));
  }
  void set(const std::string& id, const std::string& attribute, double value, TimePoint t) {
    values[id + "|" + attribute] = Sample{value, t};
  }

  Status pushUpdate(std::string_view entity, std::string_view attribute, TimePoint t, double value) override {
    if (known.insert(std::string(attribute)).second) return Status(ErrorCode::NotFound, "new attribute name");
    pushes.push_back({std::string(entity), std::string(attribute), t, value});
    return Status::ok();
  }
  TimePoint clockNow() const override { return now; }
  std::optional<Sample> readValue(std::string_view entity, std::string_view attribute) const override {
    const auto it = values.find(std::string(entity) + "|" + std::string(attribute));
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  void forEachEntity(std::string_view, std::string_view layer, const std::function<bool(const EntityView&)>& visit) const override {
    static const std::string kDistrict = "tongzhou-district/0", kKind = "district", kLayer = "tongzhou-district";
    if (layer.empty() || layer == kLayer) visit(EntityView{&kDistrict, &kKind, &kLayer, Vec3d{}, 116.7, 39.9});
  }
  bool forEachFeature(std::string_view layer, const FeatureVisitor& visit) const override {
    const auto it = layers.find(std::string(layer));
    if (it == layers.end()) return false;
    for (const Feature& f : it->second) {
      if (!visit(f, f.properties)) break;
    }
    return true;
  }
  void readValues(std::string_view attribute, std::span<const std::uint32_t> handles, std::span<double> out,
                  std::span<std::int64_t> times) const override {
    ++bulkReads;
    for (std::size_t i = 0; i < handles.size(); ++i) {
      const auto r = handles[i] < all.size() ? readValue(all[handles[i]], attribute) : std::nullopt;
      out[i] = r ? r->value : kNaN;
      times[i] = r ? r->sampleTime : 0;
    }
  }
  Status raiseAlert(const AlertRaise& alert) override {
    raised.push_back(alert);
    return Status::ok();
  }
  Status clearAlert(std::string_view source, std::string_view key, TimePoint t) override {
    cleared.push_back(std::string(source) + ":" + std::string(key) + "@" + std::to_string(t));
    return Status::ok();
  }

  struct Push {
    std::string entity, attribute;
    TimePoint t;
    double value;
  };
  std::map<std::string, std::vector<Feature>> layers;
  std::vector<std::string> all;
  std::map<std::string, Sample> values;
  std::set<std::string> known;
  std::vector<Push> pushes;
  std::vector<AlertRaise> raised;
  std::vector<std::string> cleared;
  mutable int bulkReads = 0;
  TimePoint now = 1'800'000'000'000'000;
};

class EnergyPluginHost : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::default_logger()->sinks().push_back(sink_);
    host_.load(PluginConfig{{builtinPluginDirectory()}, {"energy"}, {}});
    const PluginInfo* info = host_.find("energy");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->state, PluginState::Active) << info->message;
    SourceConfig source;
    source.id = "energy";
    source.type = "energy.derive";
    ASSERT_TRUE(host_.startSource(source).isOk());
  }
  void TearDown() override {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  void poll(int frames = 1) {
    for (int i = 0; i < frames; ++i) host_.poll(services_.now);
  }
  // The values pushed for one entity and attribute, in order.
  std::vector<std::pair<TimePoint, double>> pushed(const std::string& entity, const std::string& attribute) const {
    std::vector<std::pair<TimePoint, double>> out;
    for (const auto& p : services_.pushes) {
      if (p.entity == entity && p.attribute == attribute) out.emplace_back(p.t, p.value);
    }
    return out;
  }
  double kpi(const std::string& id) {
    auto v = host_.computeKpi(id, services_.now);
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    if (!v || !v->hasValue()) return kNaN;
    return v->value;
  }

  std::shared_ptr<CaptureSink> sink_ = std::make_shared<CaptureSink>();
  Services services_;
  PluginHost host_{services_};
};

TEST_F(EnergyPluginHost, DerivesIntensityAndPvShareOfChangedBuildingsOnly) {
  const TimePoint t1 = services_.now - 60'000'000;
  services_.set("city-buildings/b1", "load_kw", 56.4, t1);
  services_.set("city-buildings/b1", "pv_kw", 14.1, t1 + 1);
  services_.set("city-buildings/b2", "load_kw", 24.0, t1);
  services_.set("city-buildings/b2", "pv_kw", 30.0, t1);
  services_.set("city-buildings/b3", "load_kw", kNaN, t1);  // bad input: one warning, no values
  services_.set("city-buildings/b4", "load_kw", 5.0, t1);
  services_.set("city-buildings/b4", "pv_kw", 1.0, t1);
  poll(2);  // the first pushes of each new attribute are refused and retried on the next frame

  // b1: 56.4 kW over 564 m2 = 100 W/m2; PV 14.1 of 56.4 kW = 25 %, stamped with the newer (PV) sample.
  EXPECT_EQ(pushed("city-buildings/b1", "load_w_m2"), (std::vector<std::pair<TimePoint, double>>{{t1 + 1, 100.0}}));
  ASSERT_EQ(pushed("city-buildings/b1", "pv_share_pct").size(), 1u);
  EXPECT_DOUBLE_EQ(pushed("city-buildings/b1", "pv_share_pct")[0].second, 25.0);
  // b2: floors from its height (19.2 / 3.2 = 6): 24 kW over 1200 m2 = 20 W/m2; PV above the load: 100 %.
  ASSERT_EQ(pushed("city-buildings/b2", "load_w_m2").size(), 1u);
  EXPECT_DOUBLE_EQ(pushed("city-buildings/b2", "load_w_m2")[0].second, 20.0);
  EXPECT_DOUBLE_EQ(pushed("city-buildings/b2", "pv_share_pct")[0].second, 100.0);
  // b3: NaN load: nothing. b4: no footprint: no intensity, but its PV share (1 of 5 kW = 20 %).
  EXPECT_TRUE(pushed("city-buildings/b3", "load_w_m2").empty());
  EXPECT_TRUE(pushed("city-buildings/b3", "pv_share_pct").empty());
  EXPECT_TRUE(pushed("city-buildings/b4", "load_w_m2").empty());
  EXPECT_DOUBLE_EQ(pushed("city-buildings/b4", "pv_share_pct").at(0).second, 20.0);

  // Nothing changed: nothing pushed again, however many frames.
  const std::size_t before = services_.pushes.size();
  poll(5);
  EXPECT_EQ(services_.pushes.size(), before);
  // A new load sample of b1 alone: b1's two values again, nobody else's.
  services_.set("city-buildings/b1", "load_kw", 28.2, t1 + 10);
  poll();
  ASSERT_EQ(services_.pushes.size(), before + 2);
  EXPECT_EQ(pushed("city-buildings/b1", "load_w_m2").back(), (std::pair<TimePoint, double>{t1 + 10, 50.0}));
  EXPECT_DOUBLE_EQ(pushed("city-buildings/b1", "pv_share_pct").back().second, 50.0);

  // One warning per cause, however many frames: the NaN load, the estimated floors, the missing footprint, the
  // substation without a transformer count.
  EXPECT_EQ(sink_->count("load_kw that is not a number"), 1u);
  EXPECT_EQ(sink_->count("2 buildings in 'city-buildings' have no usable `floors`: estimated from height_m / 3.2 m for 1, "
                         "1 floor assumed for 1"),
            1u);
  EXPECT_EQ(sink_->count("1 buildings in 'city-buildings' have no footprint polygon"), 1u);
  EXPECT_EQ(sink_->count("1 substations in 'city-substations' lack a usable `transformers`"), 1u);
}

TEST_F(EnergyPluginHost, OverloadAndN1AlertsAreRaisedAndClearedWithHysteresis) {
  const TimePoint t = services_.now - 60'000'000;
  const std::string s1 = "city-substations/s1";
  services_.set(s1, "loading_pct", 50.0, t);  // 270 MVA: normal, within the 360 MVA firm capacity
  poll();
  EXPECT_TRUE(services_.raised.empty());
  EXPECT_DOUBLE_EQ(kpi("energy.substations_overloaded"), 0.0);

  services_.set(s1, "loading_pct", 105.0, t + 1);  // 567 MVA: overload, and above the firm capacity
  poll();
  ASSERT_EQ(services_.raised.size(), 2u);
  const auto& overload = services_.raised[0];
  EXPECT_EQ(overload.source, "energy");
  EXPECT_EQ(overload.key, "overload/" + s1);
  EXPECT_EQ(overload.severity, AlertSeverity::Critical);
  EXPECT_EQ(overload.entityId, s1);
  EXPECT_EQ(overload.timeUs, t + 1);
  EXPECT_EQ(overload.messageEn, "Taihu 220 kV substation overloaded: loading 105.0 % (>= 100 %)");
  EXPECT_EQ(overload.messageZh, "台湖220千伏变电站 过载：负载率 105.0%（≥ 100%）");
  const auto& n1 = services_.raised[1];
  EXPECT_EQ(n1.key, "n1/" + s1);
  EXPECT_EQ(n1.severity, AlertSeverity::Warning);
  EXPECT_EQ(n1.messageEn, "Taihu 220 kV substation violates N-1: load 567.0 MVA exceeds the 360.0 MVA its other 2 "
                          "transformer(s) carry");
  EXPECT_DOUBLE_EQ(kpi("energy.substations_overloaded"), 1.0);
  EXPECT_DOUBLE_EQ(kpi("energy.substations_n1"), 1.0);

  // 95 %: alarm class, still above the firm capacity: the alerts stay, nothing raised again.
  services_.set(s1, "loading_pct", 95.0, t + 2);
  poll();
  EXPECT_EQ(services_.raised.size(), 2u);
  EXPECT_TRUE(services_.cleared.empty());
  // 60 % (324 MVA): back to normal and within N-1: both cleared at that sample's time.
  services_.set(s1, "loading_pct", 60.0, t + 3);
  poll();
  EXPECT_EQ(services_.cleared, (std::vector<std::string>{"energy:overload/" + s1 + "@" + std::to_string(t + 3),
                                                          "energy:n1/" + s1 + "@" + std::to_string(t + 3)}));
  EXPECT_DOUBLE_EQ(kpi("energy.substations_overloaded"), 0.0);
  // With a 1.3 emergency rating of the remaining units (firm 468 MVA) 80 % (432 MVA) passes N-1; 70 % would not
  // without it.
  ASSERT_TRUE(host_.setSetting("energy", "n1_emergency_factor", "1.3").isOk());
  services_.set(s1, "loading_pct", 80.0, t + 4);
  poll();
  EXPECT_EQ(services_.raised.size(), 2u);
  ASSERT_TRUE(host_.setSetting("energy", "n1_emergency_factor", "1.0").isOk());
  poll();  // checked again with the new factor: 432 > 360 MVA
  ASSERT_EQ(services_.raised.size(), 3u);
  EXPECT_EQ(services_.raised[2].key, "n1/" + s1);
}

TEST_F(EnergyPluginHost, KpisByHand) {
  const TimePoint t = services_.now - 60'000'000;
  services_.set("city-buildings/b1", "load_kw", 56.4, t);
  services_.set("city-buildings/b1", "pv_kw", 14.1, t);
  services_.set("city-buildings/b2", "load_kw", 24.0, t);
  services_.set("city-buildings/b2", "pv_kw", 30.0, t);
  services_.set("city-buildings/b4", "load_kw", 5.0, t);
  services_.set("city-buildings/b4", "pv_kw", 1.0, t);
  poll();
  ASSERT_TRUE(host_.setSetting("energy", "population", "876000").isOk());
  ASSERT_TRUE(host_.setSetting("energy", "emission_factor_t_per_mwh", "0.5").isOk());
  // Balance: load 85.4 kW, PV 45.1 kW -> net import 40.3 kW, renewable share 45.1 / 85.4.
  EXPECT_NEAR(kpi("energy.net_import"), 0.0403, 1e-12);
  EXPECT_NEAR(kpi("energy.renewable_share"), 100.0 * 45.1 / 85.4, 1e-9);
  // No grid reading yet: CO2 from the buildings' net import, 0.0403 MW x 8760 h x 0.5 t/MWh / 876,000.
  EXPECT_NEAR(kpi("energy.co2_per_person"), 0.0403 * 8760 * 0.5 / 876000, 1e-15);
  EXPECT_TRUE(std::isnan(kpi("energy.green_import_share")));
  // The grid entity's metered import: 100 MW -> 100 x 8760 x 0.5 / 876,000 = 0.5 t per person and year.
  services_.set("tongzhou-district/0", "import_mw", 100.0, t);
  services_.set("tongzhou-district/0", "green_share_pct", 30.0, t);
  EXPECT_DOUBLE_EQ(kpi("energy.co2_per_person"), 0.5);
  EXPECT_DOUBLE_EQ(kpi("energy.green_import_share"), 30.0);
  // Readings older than stale_after_s (900 s) leave the balance and the grid KPIs.
  services_.now = t + 901'000'000;
  EXPECT_TRUE(std::isnan(kpi("energy.green_import_share")));
  EXPECT_TRUE(std::isnan(kpi("energy.renewable_share")));
  EXPECT_TRUE(std::isnan(kpi("energy.co2_per_person")));
}

// #5, #6 and #9 over areas (the buildings whose footprint centroid lies in them), and #9 for the whole twin; the
// clock is in January 2027 (Beijing time), so the period is 2021-2027.
TEST_F(EnergyPluginHost, KpisOverAnAreaByHand) {
  const TimePoint t = services_.now - 60'000'000;
  services_.set("city-buildings/b1", "load_kw", 56.4, t);
  services_.set("city-buildings/b1", "pv_kw", 14.1, t);
  services_.set("city-buildings/b2", "load_kw", 24.0, t);
  services_.set("city-buildings/b2", "pv_kw", 30.0, t);
  poll();
  ASSERT_TRUE(host_.setSetting("energy", "population", "876000").isOk());
  ASSERT_TRUE(host_.setSetting("energy", "emission_factor_t_per_mwh", "0.5").isOk());
  services_.set("tongzhou-district/0", "import_mw", 100.0, t);  // metered, district-wide: not used for an area

  // #9 for the whole twin: completed 2021-2027 with a floor area are b1 (564 m2, 2 stars) and b2 (1200 m2, basic).
  auto whole = host_.computeKpi("energy.green_building_share", services_.now);
  ASSERT_TRUE(whole) << whole.status().message();
  EXPECT_NEAR(whole->value, 100.0 * 564.0 / 1764.0, 1e-9);
  EXPECT_EQ(whole->note, "1 of 2 buildings completed in 2021-2027 star-rated");
  // In mid-2022 b2 is not completed yet: b1 alone, all star-rated.
  const TimePoint mid2022 = 1'654'041'600'000'000;  // 2022-06-01 00:00 UTC
  whole = host_.computeKpi("energy.green_building_share", mid2022);
  ASSERT_TRUE(whole);
  EXPECT_DOUBLE_EQ(whole->value, 100.0);
  // Before the period nothing is new: no data, and why.
  whole = host_.computeKpi("energy.green_building_share", 1'577'836'800'000'000);  // 2020-01-01 00:00 UTC
  ASSERT_TRUE(whole);
  EXPECT_EQ(whole->status, PluginKpiStatus::NoData);
  EXPECT_EQ(whole->note, "the period of new buildings begins in 2021");

  const auto area = [](double x0, double y0, double w, double h) {
    return KpiArea{"drawn/1", {Polygon{{rectangle(x0, y0, w, h)}}}, w * h};
  };
  const auto in = [&](const std::string& id, const KpiArea& a) {
    auto v = host_.computeKpiInArea(id, a, services_.now);
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    return v ? *v : PluginKpiValue{};
  };
  // b1 and b2 (centroids about (5.1, 5.1) and (110, 5)): load 80.4 kW, PV 44.1 kW.
  const KpiArea both = area(-5, -5, 125, 20);
  PluginKpiValue v = in("energy.renewable_share", both);
  EXPECT_EQ(v.status, PluginKpiStatus::Ok);
  EXPECT_NEAR(v.value, 100.0 * 44.1 / 80.4, 1e-9);
  EXPECT_EQ(v.note, "2 of the 2 buildings in the area (by footprint centroid) with live readings");
  // #5: net import 36.3 kW of the buildings (not the metered 100 MW); the homes' floor area is b1's 564 of 664 m2
  // (b1 and b3; b4 has none), so 876,000 x 564 / 664 people.
  v = in("energy.co2_per_person", both);
  EXPECT_EQ(v.status, PluginKpiStatus::Ok);
  EXPECT_NEAR(v.value, 0.0363 * 8760 * 0.5 / (876000.0 * 564.0 / 664.0), 1e-15);
  EXPECT_EQ(v.note, "net import of 2 buildings in the area; population 744072 = 876000 x 84.9 % of the residential "
                    "floor area");
  v = in("energy.green_building_share", both);
  EXPECT_NEAR(v.value, 100.0 * 564.0 / 1764.0, 1e-9);
  EXPECT_EQ(v.note, "1 of 2 buildings completed in 2021-2027 star-rated (in the area, by footprint centroid)");

  // b2 alone: an office, no homes, so no population; #9 over it: basic level only, 0 %.
  const KpiArea office = area(100, 0, 20, 10);
  v = in("energy.co2_per_person", office);
  EXPECT_EQ(v.status, PluginKpiStatus::NoData);
  EXPECT_EQ(v.note, "no residential floor area in the area: no population to divide by");
  EXPECT_DOUBLE_EQ(in("energy.green_building_share", office).value, 0.0);
  // b3 alone: a home without a load reading, completed before the period.
  const KpiArea old = area(195, -5, 20, 20);
  EXPECT_EQ(in("energy.co2_per_person", old).note, "no building in the area has a live load reading");
  EXPECT_EQ(in("energy.renewable_share", old).note, "no building in the area has a live load reading");
  EXPECT_EQ(in("energy.green_building_share", old).note, "no building completed in 2021-2027 in the area");
  // Nothing there.
  const KpiArea empty = area(5000, 5000, 10, 10);
  for (const char* id : {"energy.co2_per_person", "energy.renewable_share"}) {
    v = in(id, empty);
    EXPECT_EQ(v.status, PluginKpiStatus::NoData) << id;
    EXPECT_EQ(v.note, "no building in the area") << id;
  }
  // #7 is the grid's district-wide feed: for the whole twin only.
  EXPECT_EQ(host_.computeKpiInArea("energy.green_import_share", both, services_.now).status().code(),
            ErrorCode::Unsupported);
}

// ---- In the twin on the demo config ----

constexpr TimePoint kWallStart = 1'795'000'000'000'000;

class EnergyPluginTwin : public ::testing::Test {
 protected:
  void SetUp() override {
    // The demo's energy setup as shipped, its layers, and a loopback feed instead of the simulator.
    auto config = testing::demoConfigForPlugin("energy", {"tongzhou-district", "city-buildings", "city-substations"});
    ASSERT_TRUE(config) << config.status().message();
    ASSERT_EQ(config->sources.size(), 2u);
    EXPECT_EQ(config->sources[0].type, "energy.derive");
    config_ = *config;  // its layers' sources, for reading the GeoPackage here
    auto twin = Twin::create(*config, [this] { return wall_.load(); });
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin);
    const PluginInfo* info = twin_->plugins().find("energy");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->state, PluginState::Active) << info->message;
    for (const auto& s : twin_->sources()) ASSERT_TRUE(s.status.isOk()) << s.id << ": " << s.status.message();
    // The substations are drawn by the loading classifier: breaks at 80, 90 and 100 % exactly.
    const LayerStyleConfig& style = twin_->findLayer("city-substations")->config().style;
    EXPECT_EQ(style.colorMode, "graduated");
    EXPECT_EQ(style.breaks, (std::vector<double>{80.0, 90.0, 100.0}));
  }

  void frame() {
    twin_->beginFrame();
    twin_->update();
  }

  double value(const std::string& id, const char* attribute) const {
    const auto e = twin_->entities().find(id);
    const auto a = twin_->entities().attributes().find(attribute);
    if (!e || !a) return kNaN;
    const auto s = twin_->sampleValue(*e, *a, twin_->frameTime());
    return s ? s->value : kNaN;
  }

  Config config_;
  std::atomic<TimePoint> wall_{kWallStart};
  std::unique_ptr<Twin> twin_;
};

TEST_F(EnergyPluginTwin, BuildingsGetTheirIntensityAndPvShareFromTheirOwnFootprints) {
  const layers::Layer* buildings = twin_->findLayer("city-buildings");
  ASSERT_NE(buildings, nullptr);
  const FeatureSet* set = buildings->features();
  ASSERT_NE(set, nullptr);
  ASSERT_GT(set->features.size(), 50000u);
  // Three buildings spread over the layer; their floor area by hand with the core's own polygon area.
  struct Fed {
    std::string id;
    double areaM2;
    double loadKw, pvKw;
  };
  std::vector<Fed> fed;
  for (std::size_t i : {std::size_t{0}, set->features.size() / 2, set->features.size() - 1}) {
    const Feature& f = set->features[i];
    double footprint = 0;
    for (const Polygon& p : f.geometry.polygons) footprint += polygonArea(p);
    // The twin keeps a registered feature's attributes in its entity store.
    const Entity* entity = twin_->entities().get(f.entity);
    ASSERT_NE(entity, nullptr) << f.id;
    const auto floors = entity->properties.find("floors");
    ASSERT_NE(floors, entity->properties.end()) << f.id;  // the demo's buildings all have floors
    const double n = std::holds_alternative<std::int64_t>(floors->second)
                         ? static_cast<double>(std::get<std::int64_t>(floors->second))
                         : std::get<double>(floors->second);
    fed.push_back({f.id, footprint * n, 40.0 + static_cast<double>(fed.size()), 10.0});
  }
  const TimePoint readingTime = kWallStart - 10 * kMicrosPerSecond;
  testing::LoopbackPublisher publisher(twin_->sources()[1].endpoint);
  connectors::Message m;
  m.topic = "energy.building";
  m.envelope.publisherId = "energy-test";
  m.envelope.sourceTime = readingTime;
  m.envelope.schemaId = "energy.building";
  m.envelope.declaredInterval = 600 * kMicrosPerSecond;
  for (const Fed& b : fed) {
    m.updates.push_back({b.id, "load_kw", b.loadKw, "kW", readingTime});
    m.updates.push_back({b.id, "pv_kw", b.pvKw, "kW", readingTime});
  }
  // 60,000 buildings in chunks of 4000: every building is visited within 15 frames.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool all = false;
  std::uint64_t sequence = 0;
  while (!all && std::chrono::steady_clock::now() < deadline) {
    m.envelope.sequence = ++sequence;
    publisher.publish(m);
    for (int k = 0; k < 20; ++k) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
      frame();
    }
    all = true;
    for (const Fed& b : fed) all = all && !std::isnan(value(b.id, "load_w_m2")) && !std::isnan(value(b.id, "pv_share_pct"));
  }
  ASSERT_TRUE(all) << "the derived values never arrived";
  // The intensity needs the buildings' `floors` through Host::features: the host must give a registered feature's
  // attributes from the entity store, where the twin keeps them (with none, the plugin assumes 1 floor and warns).
  for (const Fed& b : fed) {
    EXPECT_NEAR(value(b.id, "load_w_m2"), b.loadKw * 1000.0 / b.areaM2, 1e-9 * b.loadKw * 1000.0 / b.areaM2) << b.id;
    EXPECT_NEAR(value(b.id, "pv_share_pct"), 100.0 * b.pvKw / b.loadKw, 1e-9) << b.id;
  }
  // The district balance of the three buildings: 123 kW load, 30 kW PV.
  const auto share = twin_->plugins().computeKpi("energy.renewable_share", twin_->frameTime());
  ASSERT_TRUE(share) << share.status().message();
  EXPECT_NEAR(share->value, 100.0 * 30.0 / 123.0, 1e-9);
  const auto net = twin_->plugins().computeKpi("energy.net_import", twin_->frameTime());
  ASSERT_TRUE(net);
  EXPECT_NEAR(net->value, 0.093, 1e-12);
  bool methods = false;
  for (const PluginKpi& k : twin_->plugins().kpis()) {
    if (k.id == "energy.co2_per_person") methods = k.methodEn.find("8760") != std::string::npos && !k.methodZh.empty();
  }
  EXPECT_TRUE(methods);
}

// #9 for the district and #5, #6, #9 over a square a tenth of the district, against the GeoPackage read here with
// OGR: floor area = footprint x floors, completed 2021 to the clock's year (2026), star-rated = green_star >= 1; in
// the square by footprint centroid. The area KPIs' time on the update thread is printed as a BENCH line.
TEST_F(EnergyPluginTwin, GreenBuildingShareAndKpisOverAnAreaFromTheLayer) {
  const FeatureSet* set = twin_->findLayer("city-buildings")->features();
  ASSERT_NE(set, nullptr);
  // Wait until the plugin has read the layer (its #9 has a value).
  std::optional<PluginKpiValue> whole;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline) {
    frame();
    auto v = twin_->plugins().computeKpi("energy.green_building_share", twin_->frameTime());
    ASSERT_TRUE(v) << v.status().message();
    if (v->hasValue()) {
      whole = *v;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_TRUE(whole) << "#9 never computed";

  // The scene frame is the projected CRS moved to the scene origin: the offset from the first building.
  GDALAllRegister();
  std::unique_ptr<GDALDataset, void (*)(GDALDataset*)> city(
      GDALDataset::FromHandle(GDALOpenEx(config_.resolvePath(twin_->findLayer("city-buildings")->config().source).c_str(),
                                         GDAL_OF_VECTOR, nullptr, nullptr, nullptr)),
      [](GDALDataset* d) { GDALClose(d); });
  ASSERT_TRUE(city);
  OGRLayer* buildings = city->GetLayerByName("buildings");
  ASSERT_NE(buildings, nullptr);
  std::unique_ptr<OGRFeature> first(buildings->GetFeature(1));
  const Vec3d scene0 = set->features.at(0).geometry.polygons.at(0).rings.at(0).at(0);
  const OGRLinearRing* ring0 = first->GetGeometryRef()->toPolygon()->getExteriorRing();
  const double dx = ring0->getX(0) - scene0.x, dy = ring0->getY(0) - scene0.y;

  // A square of a tenth of the district (906 km2) about the buildings' middle, in the scene frame.
  double minX = 1e18, minY = 1e18, maxX = -1e18, maxY = -1e18;
  for (const Feature& f : set->features) {
    const Vec3d& v = f.geometry.polygons.at(0).rings.at(0).at(0);
    minX = std::min(minX, v.x);
    minY = std::min(minY, v.y);
    maxX = std::max(maxX, v.x);
    maxY = std::max(maxY, v.y);
  }
  const double side = std::sqrt(90.6e6), cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
  const double x0 = cx - side / 2, y0 = cy - side / 2, x1 = cx + side / 2, y1 = cy + side / 2;
  const KpiArea square{"drawn/1", {Polygon{{{{x0, y0, 0}, {x1, y0, 0}, {x1, y1, 0}, {x0, y1, 0}}}}}, side * side};

  double newM2 = 0, ratedM2 = 0, newInM2 = 0, ratedInM2 = 0;
  int basic = 0, none = 0;
  buildings->ResetReading();
  for (auto& f : *buildings) {
    const int year = f->GetFieldAsInteger("year_built");
    if (year < 2021 || year > 2026) continue;
    const OGRGeometry* g = f->GetGeometryRef();
    const double floorM2 = OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g))) * f->GetFieldAsInteger("floors");
    const bool rated = f->GetFieldAsInteger("green_star") >= 1;
    const std::string rating = f->GetFieldAsString("green_rating");
    basic += rating == "basic" ? 1 : 0;
    none += rating == "none" ? 1 : 0;
    newM2 += floorM2;
    ratedM2 += rated ? floorM2 : 0;
    OGRPoint c;
    ASSERT_EQ(g->Centroid(&c), OGRERR_NONE);
    const double x = c.getX() - dx, y = c.getY() - dy;
    if (x < x0 || x > x1 || y < y0 || y > y1) continue;
    newInM2 += floorM2;
    ratedInM2 += rated ? floorM2 : 0;
  }
  ASSERT_GT(newM2, 0);
  EXPECT_GT(basic, 0) << "the demo has new buildings at the basic level only";
  EXPECT_GT(none, 0) << "and new buildings without a rating";
  EXPECT_NEAR(whole->value, 100.0 * ratedM2 / newM2, 1e-6);
  EXPECT_GT(whole->value, 60.0);  // most new floor area is star-rated, not all of it
  EXPECT_LT(whole->value, 99.0);

  const auto in = [&](const char* id) {
    auto v = twin_->plugins().computeKpiInArea(id, square, twin_->frameTime());
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    return v ? *v : PluginKpiValue{};
  };
  const auto start = std::chrono::steady_clock::now();
  const PluginKpiValue green = in("energy.green_building_share");
  const PluginKpiValue renewable = in("energy.renewable_share");
  const PluginKpiValue co2 = in("energy.co2_per_person");
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  std::printf("BENCH energy_area_kpis_ms=%.1f (3 KPIs over %zu buildings, a square of %.1f km2)\n", ms,
              set->features.size(), side * side / 1e6);
  ASSERT_GT(newInM2, 0);
  EXPECT_NEAR(green.value, 100.0 * ratedInM2 / newInM2, 1e-6);
  EXPECT_NE(green.note.find("(in the area, by footprint centroid)"), std::string::npos) << green.note;
  // No readings fed: no load in the area, and it says so.
  EXPECT_EQ(renewable.note, "no building in the area has a live load reading");
  EXPECT_EQ(co2.note, "no building in the area has a live load reading");
}

}  // namespace
}  // namespace gt::runtime
