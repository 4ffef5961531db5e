// The energy plugin's KPIs in a what-if scenario (plugins/energy/scenario_balance.hpp, scenario_edits.hpp), loaded
// by the real plugin host with a stand-in twin whose every input is known: the expected values are computed here
// from those inputs by the method docs/energy.md "Scenarios" states, and the baseline must not move.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "../support/building_services.hpp"
#include "greentwin/runtime/plugin_host.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

using testing_support::BuildingServices;
using testing_support::polygonFeature;
using testing_support::rectangle;

// Three buildings (roof = footprint, floor area = footprint x floors):
//   b1 10 x 20 m, 4 floors, a home of 2022 with 2 stars, 10 kWp installed: load 50 kW, PV 4 kW;
//   b2 30 x 10 m, 2 floors, an office of 2023 without stars, no PV: load 80 kW;
//   b3 10 x 10 m, 3 floors, a home of 2024 without stars: load 20 kW, no PV reading.
struct Building {
  const char* id;
  double w, h;
  int floors;
  const char* use;
  int year, stars;
  double kwp, loadKw, pvKw;  // pvKw < 0: no reading
};
constexpr Building kBuildings[] = {
    {"city-buildings/b1", 10, 20, 4, "residential", 2022, 2, 10.0, 50.0, 4.0},
    {"city-buildings/b2", 30, 10, 2, "office", 2023, 0, 0.0, 80.0, -1},
    {"city-buildings/b3", 10, 10, 3, "residential", 2024, 0, 0.0, 20.0, -1},
};

class EnergyScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    double x = 0;
    for (const Building& b : kBuildings) {
      services_.add("city-buildings",
                    polygonFeature(b.id, rectangle(x, 0, b.w, b.h),
                                   {{"floors", std::to_string(b.floors)}, {"use", b.use},
                                    {"year_built", std::to_string(b.year)}, {"green_star", std::to_string(b.stars)},
                                    {"roof_pv_kw", std::to_string(b.kwp)}}));
      x += 100;
      const TimePoint t = services_.now - 60'000'000;
      services_.set(b.id, "load_kw", b.loadKw, t);
      if (b.pvKw >= 0) services_.set(b.id, "pv_kw", b.pvKw, t);
    }
    host_.load(PluginConfig{{builtinPluginDirectory()}, {"energy"}, {}});
    const PluginInfo* info = host_.find("energy");
    ASSERT_NE(info, nullptr);
    ASSERT_EQ(info->state, PluginState::Active) << info->message;
    SourceConfig source;
    source.id = "energy";
    source.type = "energy.derive";
    ASSERT_TRUE(host_.startSource(source).isOk());
    host_.poll(services_.now);
    ASSERT_TRUE(host_.setSetting("energy", "population", "1000").isOk());
    ASSERT_TRUE(host_.setSetting("energy", "emission_factor_t_per_mwh", "0.5").isOk());
  }

  PluginKpiValue baseline(const std::string& id) {
    auto v = host_.computeKpi(id, services_.now);
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    return v ? *v : PluginKpiValue{};
  }
  PluginKpiValue inScenario(const std::string& id, const Scenario& s) {
    auto v = host_.computeKpiInScenario(id, s, services_.now);
    EXPECT_TRUE(v) << id << ": " << v.status().message();
    return v ? *v : PluginKpiValue{};
  }
  static double totalLoadKw() {
    double sum = 0;
    for (const Building& b : kBuildings) sum += b.loadKw;
    return sum;
  }

  BuildingServices services_;
  PluginHost host_{services_};
};

ScenarioEdit pvOn(std::vector<std::string> ids, double coverage, double efficiency) {
  ScenarioEdit e;
  e.kind = ScenarioEditKind::AddPv;
  e.buildings = std::move(ids);
  e.coverage = coverage;
  e.moduleEfficiency = efficiency;
  return e;
}

TEST_F(EnergyScenario, PvOnBuildingsOfKnownRoofAreaRaisesTheRenewableShareByTheComputedAmount) {
  const Building& b1 = kBuildings[0];
  const Building& b2 = kBuildings[1];
  const double yield = b1.pvKw / b1.kwp;                  // the twin's kW per installed kWp now
  const double addedKwp = b2.w * b2.h * 0.5 * 0.21;       // roof x coverage x efficiency x 1 kW/m2
  const double basePct = 100.0 * b1.pvKw / totalLoadKw();
  const double scenarioPct = 100.0 * (b1.pvKw + addedKwp * yield) / totalLoadKw();

  const PluginKpiValue before = baseline("energy.renewable_share");
  ASSERT_EQ(before.status, PluginKpiStatus::Ok);
  EXPECT_NEAR(before.value, basePct, 1e-9);
  const std::size_t pushesBefore = services_.pushes.size();

  Scenario s;
  s.name = "PV on the office";
  s.edits = {pvOn({b2.id}, 0.5, 0.21)};
  const PluginKpiValue v = inScenario("energy.renewable_share", s);
  ASSERT_EQ(v.status, PluginKpiStatus::Ok) << v.note;
  EXPECT_NEAR(v.value, scenarioPct, 1e-9);
  EXPECT_NEAR(v.value - before.value, 100.0 * addedKwp * yield / totalLoadKw(), 1e-9);
  EXPECT_NE(v.note.find("+31.5 kWp rooftop PV"), std::string::npos) << v.note;

  // #5 without a grid reading: the buildings' net import in the scenario.
  const double netKw = totalLoadKw() - b1.pvKw - addedKwp * yield;
  EXPECT_NEAR(inScenario("energy.co2_per_person", s).value, netKw / 1000.0 * 8760 * 0.5 / 1000, 1e-12);
  // With the grid's metered import the edits move it by their change of the net import.
  services_.set("tongzhou-district/0", "import_mw", 2.0, services_.now - 60'000'000);
  EXPECT_NEAR(inScenario("energy.co2_per_person", s).value, (2.0 - addedKwp * yield / 1000.0) * 8760 * 0.5 / 1000,
              1e-12);

  // The baseline is untouched: the same values, nothing pushed into the twin by the scenario.
  EXPECT_EQ(baseline("energy.renewable_share").value, before.value);
  EXPECT_EQ(services_.pushes.size(), pushesBefore);
}

TEST_F(EnergyScenario, TheDefaultModuleEfficiencyAndUnknownBuildingsAreNoted) {
  const Building& b1 = kBuildings[0];
  const Building& b3 = kBuildings[2];
  Scenario s;
  s.edits = {pvOn({b3.id, "city-buildings/nope"}, 1.0, 0.0)};
  s.edits[0].moduleEfficiency.reset();  // the plugin's default, 0.20 kWp/m2 (docs/energy.md)
  const PluginKpiValue v = inScenario("energy.renewable_share", s);
  EXPECT_NEAR(v.value, 100.0 * (b1.pvKw + b3.w * b3.h * 0.20 * b1.pvKw / b1.kwp) / totalLoadKw(), 1e-9);
  EXPECT_NE(v.note.find("1 unknown building ids skipped (city-buildings/nope)"), std::string::npos) << v.note;
}

TEST_F(EnergyScenario, WithoutALiveYieldAddedPvHasNoValueRatherThanAWrongOne) {
  services_.values.erase("city-buildings/b1|pv_kw");
  host_.poll(services_.now);
  Scenario s;
  s.edits = {pvOn({"city-buildings/b2"}, 0.5, 0.2)};
  const PluginKpiValue v = inScenario("energy.renewable_share", s);
  EXPECT_EQ(v.status, PluginKpiStatus::NoData);
  EXPECT_NE(v.note.find("no building with installed PV reads live"), std::string::npos) << v.note;
}

TEST_F(EnergyScenario, StarsRemovedAndAddedBuildingsChangeTheGreenBuildingShare) {
  // Floor areas of the new buildings (2021 up to the clock's year 2027): b1 800 m2 rated, b2 600, b3 300.
  double floor[3], rated = 0, all = 0;
  for (int i = 0; i < 3; ++i) {
    floor[i] = kBuildings[i].w * kBuildings[i].h * kBuildings[i].floors;
    all += floor[i];
    rated += kBuildings[i].stars > 0 ? floor[i] : 0.0;
  }
  EXPECT_NEAR(baseline("energy.green_building_share").value, 100.0 * rated / all, 1e-9);

  ScenarioEdit stars;
  stars.kind = ScenarioEditKind::SetStars;
  stars.buildings = {kBuildings[1].id};
  stars.stars = 1;
  ScenarioEdit removed;
  removed.kind = ScenarioEditKind::RemoveBuilding;
  removed.buildings = {kBuildings[2].id};
  ScenarioEdit added;
  added.kind = ScenarioEditKind::AddBuilding;
  added.id = "new/library";
  added.polygon = Polygon{{rectangle(500, 0, 20, 10)}};
  added.floors = 5;
  added.heightM = 16;
  added.use = "education";
  added.stars = 0;
  Scenario s;
  s.edits = {stars, removed, added};
  const double addedFloor = 20 * 10 * 5;
  const PluginKpiValue v = inScenario("energy.green_building_share", s);
  ASSERT_EQ(v.status, PluginKpiStatus::Ok) << v.note;
  EXPECT_NEAR(v.value, 100.0 * (floor[0] + floor[1]) / (floor[0] + floor[1] + addedFloor), 1e-9);

  // The removed building's load leaves the balance; the added one's is its floor area x the live load intensity.
  double liveFloor = 0;
  for (const double f : floor) liveFloor += f;
  const double addedLoad = addedFloor * totalLoadKw() / liveFloor;
  const double load = totalLoadKw() - kBuildings[2].loadKw + addedLoad;
  EXPECT_NEAR(inScenario("energy.renewable_share", s).value, 100.0 * kBuildings[0].pvKw / load, 1e-9);
  EXPECT_NEAR(baseline("energy.green_building_share").value, 100.0 * rated / all, 1e-9);  // baseline unmoved
}

// With no live load reading (a day after the last), a new building has no load to estimate from: #5 and #6 stay
// without a value in the scenario as in the baseline, instead of a computed-looking 0.
TEST_F(EnergyScenario, ABuildingAddedWithNoLiveLoadsLeavesTheBalanceWithoutAValue) {
  const TimePoint later = services_.now + 86'400'000'000LL;
  ScenarioEdit added;
  added.kind = ScenarioEditKind::AddBuilding;
  added.id = "new/school";
  added.polygon = Polygon{{rectangle(500, 0, 20, 10)}};
  added.floors = 3;
  added.heightM = 10;
  added.use = "education";
  Scenario s;
  s.edits = {added};
  for (const char* kpi : {"energy.co2_per_person", "energy.renewable_share"}) {
    auto base = host_.computeKpi(kpi, later);
    ASSERT_TRUE(base) << base.status().message();
    EXPECT_EQ(base->status, PluginKpiStatus::NoData) << kpi;
    auto v = host_.computeKpiInScenario(kpi, s, later);
    ASSERT_TRUE(v) << v.status().message();
    EXPECT_EQ(v->status, PluginKpiStatus::NoData) << kpi << ": " << v->value << " " << v->note;
  }
}

TEST_F(EnergyScenario, AKpiThatNoEditChangesSaysSo) {
  Scenario s;
  s.edits = {pvOn({"city-buildings/b2"}, 0.5, 0.2)};
  const auto v = host_.computeKpiInScenario("energy.green_import_share", s, services_.now);
  ASSERT_FALSE(v);
  EXPECT_EQ(v.status().code(), ErrorCode::Unsupported);
  bool scenarios = false;
  for (const PluginKpi& k : host_.kpis()) {
    if (k.id == "energy.renewable_share") scenarios = k.scenarios;
  }
  EXPECT_TRUE(scenarios);
}

}  // namespace
}  // namespace gt::runtime
