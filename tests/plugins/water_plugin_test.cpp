// The water plugin loaded by the real plugin host with a recording stand-in for the twin: three hand-made DMAs and
// three river sections with values set by the test, so that every push, alert, warning and KPI (over the whole twin
// and over areas) can be checked against hand computation.
#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <set>

#include "greentwin/runtime/plugin_host.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr TimePoint kHourUs = 3'600'000'000;

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

std::vector<Vec3d> square(double x0, double y0, double size) {
  return {{x0, y0, 0}, {x0 + size, y0, 0}, {x0 + size, y0 + size, 0}, {x0, y0 + size, 0}};
}

Feature dma(const std::string& id, double x0, double y0, const std::string& mainsKm) {
  Feature f;
  f.id = "water-dmas/" + id;
  f.geometry.polygons.push_back(Polygon{{square(x0, y0, 1000)}});
  f.properties["mains_km"] = mainsKm;
  f.properties["name_en"] = "DMA " + id;
  return f;
}

Feature section(const std::string& id, double x, double y) {
  Feature f;
  f.id = "river-sections/" + id;
  f.geometry.points.push_back({x, y, 0});
  f.properties["name_zh"] = "断面" + id;
  f.properties["name_en"] = "Section " + id;
  return f;
}

// A twin stand-in: the features of two layers, values set by the test, pushes and alerts recorded (the first push of
// an attribute name refused, as the twin does while it registers the name).
class Services : public PluginServices {
 public:
  Services() {
    // d1 and d2: 1 km squares with centroids (500, 500) and (2500, 500); d3 at (500, 2500).
    add("water-dmas", dma("d1", 0, 0, "50"));
    add("water-dmas", dma("d2", 2000, 0, "30"));
    add("water-dmas", dma("d3", 0, 2000, "20"));
    add("river-sections", section("s1", 500, 1500));
    add("river-sections", section("s2", 2500, 1500));
    add("river-sections", section("s3", 5000, 5000));
  }
  void add(const std::string& layer, Feature f) {
    f.entity = static_cast<EntityIndex>(all.size());
    all.push_back(f.id);
    layers[layer].push_back(std::move(f));
  }
  void set(const std::string& id, const std::string& attribute, double value, TimePoint t) {
    values[id + "|" + attribute] = Sample{value, t};
  }
  void setDma(const std::string& id, double inflow, double billed, double unbilled, TimePoint t) {
    set("water-dmas/" + id, "inflow_24h_m3", inflow, t);
    set("water-dmas/" + id, "billed_24h_m3", billed, t);
    set("water-dmas/" + id, "unbilled_24h_m3", unbilled, t);
  }
  // DO, COD_Mn, COD, BOD5, NH3-N, TP (mg/L).
  void setSection(const std::string& id, std::array<double, 6> v, TimePoint t) {
    const char* names[] = {"do_mg_l", "codmn_mg_l", "cod_mg_l", "bod5_mg_l", "nh3n_mg_l", "tp_mg_l"};
    for (std::size_t i = 0; i < 6; ++i) set("river-sections/" + id, names[i], v[i], t);
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
  void forEachEntity(std::string_view, std::string_view, const std::function<bool(const EntityView&)>&) const override {}
  bool forEachFeature(std::string_view layer, const FeatureVisitor& visit) const override {
    const auto it = layers.find(std::string(layer));
    if (it == layers.end()) return false;
    for (const Feature& f : it->second) {
      if (!visit(f, f.properties)) break;
    }
    return true;
  }
  Status raiseAlert(const AlertRaise& alert) override {
    raised.push_back(alert);
    return Status::ok();
  }
  Status clearAlert(std::string_view, std::string_view key, TimePoint t) override {
    cleared.push_back(std::string(key) + "@" + std::to_string(t));
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
  TimePoint now = 1'800'000'000'000'000;
};

class WaterPluginHost : public ::testing::Test {
 protected:
  void SetUp() override {
    spdlog::default_logger()->sinks().push_back(sink_);
    host_.load(PluginConfig{{builtinPluginDirectory()}, {"water"}, {}});
    const PluginInfo* info = host_.find("water");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->state, PluginState::Active) << info->message;
    SourceConfig source;
    source.id = "water";
    source.type = "water.derive";
    ASSERT_TRUE(host_.startSource(source).isOk());
    // d1: 10000 m3 in, 8900 billed, 100 unbilled: 1000 lost, 10 %. d2: 5000 in, 4000 + 50: 950 lost, 19 %.
    // d3: a billed volume that is not a number (left out, one warning).
    t1_ = services_.now - 60'000'000;
    services_.setDma("d1", 10000, 8900, 100, t1_);
    services_.setDma("d2", 5000, 4000, 50, t1_);
    services_.setDma("d3", 4000, kNaN, 0, t1_);
    services_.set("water-dmas/d1", "night_flow_m3_h", 300, t1_);
    services_.set("water-dmas/d1", "night_use_m3_h", 120, t1_);
    services_.set("water-dmas/d2", "night_flow_m3_h", 400, t1_);
    services_.set("water-dmas/d2", "night_use_m3_h", 100, t1_);
    // s1 class II (DO 7, COD_Mn 3, NH3-N 0.3, TP 0.08 are II; COD 12, BOD5 2.5 are I); s2 class IV (DO 4 first, COD 28
    // too); s3 worse than V by NH3-N 2.3.
    services_.setSection("s1", {7.0, 3.0, 12.0, 2.5, 0.3, 0.08}, t1_);
    services_.setSection("s2", {4.0, 5.0, 28.0, 3.5, 0.8, 0.15}, t1_);
    services_.setSection("s3", {6.5, 5.0, 18.0, 3.5, 2.3, 0.15}, t1_);
  }
  void TearDown() override {
    auto& sinks = spdlog::default_logger()->sinks();
    sinks.erase(std::remove(sinks.begin(), sinks.end(), sink_), sinks.end());
  }
  void poll(int frames = 1) {
    for (int i = 0; i < frames; ++i) host_.poll(services_.now);
  }
  std::vector<double> pushed(const std::string& entity, const std::string& attribute) const {
    std::vector<double> out;
    for (const auto& p : services_.pushes) {
      if (p.entity == entity && p.attribute == attribute) out.push_back(p.value);
    }
    return out;
  }
  PluginKpiValue kpi(const std::string& id) {
    auto v = host_.computeKpi(id, services_.now);
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    return v ? *v : PluginKpiValue{};
  }
  PluginKpiValue kpiIn(const std::string& id, const KpiArea& area) {
    auto v = host_.computeKpiInArea(id, area, services_.now);
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    return v ? *v : PluginKpiValue{};
  }

  std::shared_ptr<CaptureSink> sink_ = std::make_shared<CaptureSink>();
  Services services_;
  PluginHost host_{services_};
  TimePoint t1_ = 0;
};

TEST_F(WaterPluginHost, DerivesEachDmasLeakageRateAndNightLeakage) {
  poll(3);  // the first push of each new attribute name is refused and retried on the next frame
  EXPECT_EQ(pushed("water-dmas/d1", "leakage_rate_pct"), std::vector<double>{10.0});
  EXPECT_EQ(pushed("water-dmas/d2", "leakage_rate_pct"), std::vector<double>{19.0});
  EXPECT_TRUE(pushed("water-dmas/d3", "leakage_rate_pct").empty());
  EXPECT_EQ(pushed("water-dmas/d1", "night_leakage_m3_h"), std::vector<double>{180.0});
  EXPECT_EQ(pushed("water-dmas/d2", "night_leakage_m3_h"), std::vector<double>{300.0});
  for (const auto& p : services_.pushes) EXPECT_EQ(p.t, t1_) << p.entity << " " << p.attribute;  // ages with its input
  // Only new samples are derived again.
  const std::size_t before = services_.pushes.size();
  poll(2);
  EXPECT_EQ(services_.pushes.size(), before);
  // The bad reading: one warning, however often it is seen.
  kpi("water.leakage_rate");
  EXPECT_EQ(sink_->count("water: DMA 'water-dmas/d3' (and maybe others): billed volume is not a number; left out"), 1u);
}

TEST_F(WaterPluginHost, LeakageKpisSumTheDmasVolumes) {
  // (1000 + 950) / 15000 = 13 % over d1 and d2; d3 left out.
  const PluginKpiValue rate = kpi("water.leakage_rate");
  EXPECT_NEAR(rate.value, 13.0, 1e-12);
  EXPECT_EQ(rate.status, PluginKpiStatus::Alert);  // above CJJ 92's grade 2 (12 %)
  EXPECT_EQ(rate.note, "2 of 3 DMAs, last 24 h");
  // Corrected: R1 = 0.08 x 0.45 x 100 = 3.6; A = 80 km / (15000 x 365 / 1e4) = 0.1461, R2 = 0.99 x 0.0768 x 100 =
  // 7.6 -> 3 (the cap); R3 = R4 = 0 with the defaults (0.28 MPa, 0.8 m): 13 - 6.6 = 6.4.
  const PluginKpiValue corrected = kpi("water.leakage_rate_corrected");
  EXPECT_NEAR(corrected.value, 6.4, 1e-9);
  EXPECT_EQ(corrected.status, PluginKpiStatus::Ok);
  EXPECT_EQ(corrected.note, "2 of 3 DMAs, last 24 h, R1..R4 = 3.6/3.0/0.0/0.0");
  // Night: 180 + 300.
  const PluginKpiValue night = kpi("water.night_leakage");
  EXPECT_DOUBLE_EQ(night.value, 480.0);
  EXPECT_EQ(night.note, "2 of 3 DMAs");
  // A day later nothing is fresh.
  services_.now += 25 * kHourUs;
  const PluginKpiValue stale = kpi("water.leakage_rate");
  EXPECT_EQ(stale.status, PluginKpiStatus::NoData);
  EXPECT_EQ(stale.note, "no DMA with readings of the last 24 h");
}

TEST_F(WaterPluginHost, LeakageOverAnAreaCountsTheDmasWhoseCentroidIsInside) {
  const KpiArea aroundD1{"drawn/1", {Polygon{{square(-100, -100, 1600)}}}, 1600.0 * 1600.0};
  const PluginKpiValue one = kpiIn("water.leakage_rate", aroundD1);
  EXPECT_NEAR(one.value, 10.0, 1e-12);
  EXPECT_EQ(one.status, PluginKpiStatus::Warning);  // above 8 %, within CJJ 92's grade 2
  EXPECT_EQ(one.note, "1 of 3 DMAs, last 24 h");
  // Over d1 and d2 both: the district's 13 %.
  const KpiArea both{"drawn/2", {Polygon{{square(-100, -100, 3200)}}}, 0};
  EXPECT_NEAR(kpiIn("water.leakage_rate", both).value, 13.0, 1e-12);
  EXPECT_EQ(kpiIn("water.leakage_rate", both).note, "2 of 3 DMAs, last 24 h");
  // The same with a hole around d2's centroid: d1 only.
  const KpiArea holed{"drawn/3", {Polygon{{square(-100, -100, 3200), square(2400, 400, 200)}}}, 0};
  EXPECT_NEAR(kpiIn("water.leakage_rate", holed).value, 10.0, 1e-12);
  // Only d3 (no usable volumes) and nothing at all.
  const KpiArea aroundD3{"drawn/4", {Polygon{{square(0, 2000, 1000)}}}, 0};
  EXPECT_EQ(kpiIn("water.leakage_rate", aroundD3).status, PluginKpiStatus::NoData);
  EXPECT_EQ(kpiIn("water.leakage_rate", aroundD3).note, "no DMA with readings of the last 24 h");
  const KpiArea far{"drawn/5", {Polygon{{square(90000, 90000, 10)}}}, 100};
  const PluginKpiValue none = kpiIn("water.leakage_rate", far);
  EXPECT_EQ(none.status, PluginKpiStatus::NoData);
  EXPECT_EQ(none.note, "no DMA in drawn/5");
  EXPECT_EQ(kpiIn("water.night_leakage", aroundD1).value, 180.0);
}

TEST_F(WaterPluginHost, ClassesSectionsAndAlertsWhileWorseThanIv) {
  poll(3);
  EXPECT_EQ(pushed("river-sections/s1", "water_class"), std::vector<double>{2.0});
  EXPECT_EQ(pushed("river-sections/s2", "water_class"), std::vector<double>{4.0});
  EXPECT_EQ(pushed("river-sections/s3", "water_class"), std::vector<double>{6.0});
  ASSERT_EQ(services_.raised.size(), 1u);  // s3 only: IV is the target, not worse than it
  const AlertRaise& a = services_.raised[0];
  EXPECT_EQ(a.key, "class/river-sections/s3");
  EXPECT_EQ(a.severity, AlertSeverity::Critical);
  EXPECT_EQ(a.entityId, "river-sections/s3");
  EXPECT_EQ(a.messageEn, "Section s3 water class worse than V, worse than IV (NH3-N 2.30 mg/L)");
  EXPECT_EQ(a.messageZh, "断面s3 水质劣Ⅴ类，劣于Ⅳ类（氨氮 2.30 mg/L）");
  EXPECT_EQ(a.timeUs, t1_);
  // The worst section's class is the KPI: 6, by s3's ammonia.
  const PluginKpiValue worst = kpi("water.river_class");
  EXPECT_EQ(worst.value, 6.0);
  EXPECT_EQ(worst.status, PluginKpiStatus::Alert);
  EXPECT_EQ(worst.note, "3 sections; worst Section s3 (NH3-N)");
  // Over an area holding s1 and s2: IV, met; the determining parameter of s2 is DO (the first at IV).
  const KpiArea west{"drawn/1", {Polygon{{square(0, 1000, 3000)}}}, 0};
  const PluginKpiValue two = kpiIn("water.river_class", west);
  EXPECT_EQ(two.value, 4.0);
  EXPECT_EQ(two.status, PluginKpiStatus::Ok);
  EXPECT_EQ(two.note, "2 of 3 sections; worst Section s2 (DO)");
  const KpiArea far{"drawn/2", {Polygon{{square(90000, 90000, 10)}}}, 0};
  EXPECT_EQ(kpiIn("water.river_class", far).note, "no river section in drawn/2");
  // s3 recovers to IV (NH3-N 1.2): the alert is cleared at the new sample's time.
  const TimePoint t2 = t1_ + 30'000'000;
  services_.setSection("s3", {6.5, 5.0, 18.0, 3.5, 1.2, 0.15}, t2);
  poll();
  EXPECT_EQ(pushed("river-sections/s3", "water_class"), (std::vector<double>{6.0, 4.0}));
  ASSERT_EQ(services_.cleared.size(), 1u);
  EXPECT_EQ(services_.cleared[0], "class/river-sections/s3@" + std::to_string(t2));
  EXPECT_EQ(kpi("water.river_class").value, 4.0);
}

TEST_F(WaterPluginHost, BadSectionReadingsWarnOnceAndTheRestStillClass) {
  // s1's TP negative: left out with one warning; its other parameters class it (II).
  services_.set("river-sections/s1", "tp_mg_l", -0.05, t1_);
  poll(3);
  kpi("water.river_class");
  kpi("water.river_class");
  EXPECT_EQ(sink_->count("water: section 'river-sections/s1' (and maybe others) has a tp_mg_l that is negative"), 1u);
  EXPECT_EQ(pushed("river-sections/s1", "water_class"), std::vector<double>{2.0});
}

TEST_F(WaterPluginHost, AMissingLayerIsNoDataWithItsReason) {
  EXPECT_TRUE(host_.setSetting("water", "section_layer", "no-such-layer").isOk());
  const PluginKpiValue v = kpi("water.river_class");
  EXPECT_EQ(v.status, PluginKpiStatus::NoData);
  EXPECT_EQ(v.note, "no river section layer loaded");
  EXPECT_EQ(host_.find("water")->state, PluginState::Active);
}

}  // namespace
}  // namespace gt::runtime
