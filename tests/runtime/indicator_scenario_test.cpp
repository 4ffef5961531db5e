// What-if scenarios' indicators and their comparison (runtime/indicator_scenario.hpp): the energy plugin loaded by the
// real host over a stand-in twin of known buildings, the bundled indicator catalog. Expected values are computed
// here from the inputs (docs/energy.md "Scenarios").
#include "greentwin/runtime/indicator_scenario.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "../support/building_services.hpp"
#include "greentwin/runtime/plugin_host.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

using testing_support::BuildingServices;
using testing_support::polygonFeature;
using testing_support::rectangle;

// b1: 10 x 20 m, 10 kWp installed, load 50 kW, PV 4 kW (0.4 kW per kWp now); b2: 30 x 10 m, load 80 kW, no PV.
constexpr double kLoad1 = 50, kPv1 = 4, kKwp1 = 10, kLoad2 = 80, kRoof2 = 30 * 10;

class IndicatorScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    services_.add("city-buildings", polygonFeature("city-buildings/b1", rectangle(0, 0, 10, 20),
                                                   {{"floors", "4"}, {"use", "residential"}, {"year_built", "2022"},
                                                    {"green_star", "2"}, {"roof_pv_kw", "10"}}));
    services_.add("city-buildings", polygonFeature("city-buildings/b2", rectangle(100, 0, 30, 10),
                                                   {{"floors", "2"}, {"use", "office"}, {"year_built", "2023"},
                                                    {"green_star", "0"}}));
    const TimePoint t = services_.now - 60'000'000;
    services_.set("city-buildings/b1", "load_kw", kLoad1, t);
    services_.set("city-buildings/b1", "pv_kw", kPv1, t);
    services_.set("city-buildings/b2", "load_kw", kLoad2, t);
    host_.load(PluginConfig{{builtinPluginDirectory()}, {"energy"}, {}});
    ASSERT_NE(host_.find("energy"), nullptr);
    ASSERT_EQ(host_.find("energy")->state, PluginState::Active) << host_.find("energy")->message;
    SourceConfig source;
    source.id = "energy";
    source.type = "energy.derive";
    ASSERT_TRUE(host_.startSource(source).isOk());
    host_.poll(services_.now);
    ASSERT_FALSE(board_.rows().empty() && !board_.errors().empty()) << board_.errors().front();
  }

  static Scenario pv(const std::string& name, double coverage) {
    Scenario s;
    s.name = name;
    ScenarioEdit e;
    e.kind = ScenarioEditKind::AddPv;
    e.buildings = {"city-buildings/b2"};
    e.coverage = coverage;
    e.moduleEfficiency = 0.2;
    s.edits = {e};
    return s;
  }
  static double sharePct(double coverage) {
    return 100.0 * (kPv1 + kRoof2 * coverage * 0.2 * kPv1 / kKwp1) / (kLoad1 + kLoad2);
  }
  std::map<int, ScenarioComparisonRow> byNumber(const ScenarioComparison& c) {
    std::map<int, ScenarioComparisonRow> out;
    for (const ScenarioComparisonRow& r : c.rows) out[r.number] = r;
    return out;
  }

  BuildingServices services_;
  PluginHost host_{services_};
  IndicatorBoard board_ = IndicatorBoard::loadBundled(false);
};

TEST_F(IndicatorScenario, BaselineBesideAScenarioWithTheDifferenceAndTheUnchangedMarked) {
  const Scenario s = pv("PV on b2", 0.5);
  const ScenarioComparison c = compareScenarios(host_, board_, nullptr, &s, services_.now);
  EXPECT_EQ(c.leftName, "baseline");
  EXPECT_EQ(c.rightName, "PV on b2");
  std::set<int> numbers;
  for (const ScenarioComparisonRow& r : c.rows) numbers.insert(r.number);
  EXPECT_EQ(numbers, (std::set<int>{5, 6, 7, 9}));  // the energy plugin's indicators; no traffic plugin loaded
  auto rows = byNumber(c);
  ASSERT_TRUE(rows[6].left.value && rows[6].right.value);
  EXPECT_NEAR(*rows[6].left.value, sharePct(0), 1e-9);
  EXPECT_NEAR(*rows[6].right.value, sharePct(0.5), 1e-9);
  EXPECT_NEAR(*rows[6].difference(), sharePct(0.5) - sharePct(0), 1e-9);
  EXPECT_FALSE(rows[6].unchanged);
  EXPECT_TRUE(rows[7].unchanged);  // the grid's green share: no edit changes it
  EXPECT_NE(rows[6].left.status, IndicatorStatus::NoData);
  EXPECT_FALSE(rows[6].right.note.empty());
}

TEST_F(IndicatorScenario, TwoScenariosCompareAndTheBaselineStaysAsItWas) {
  const double before = host_.computeKpi("energy.renewable_share", services_.now)->value;
  const Scenario half = pv("half", 0.5), full = pv("full", 1.0);
  const ScenarioComparison c = compareScenarios(host_, board_, &half, &full, services_.now);
  auto rows = byNumber(c);
  ASSERT_TRUE(rows[6].difference());
  EXPECT_NEAR(*rows[6].difference(), sharePct(1.0) - sharePct(0.5), 1e-9);
  EXPECT_EQ(host_.computeKpi("energy.renewable_share", services_.now)->value, before);
  const ScenarioKpis baseline(host_, nullptr, services_.now);
  ASSERT_NE(baseline.find("energy.renewable_share"), nullptr);
  EXPECT_EQ(baseline.find("energy.renewable_share")->value->value, before);
  EXPECT_FALSE(baseline.unchangedByEdits("energy.green_import_share"));  // a baseline has no edits to be unchanged by
  const ScenarioKpis edited(host_, &half, services_.now);
  EXPECT_TRUE(edited.unchangedByEdits("energy.green_import_share"));
  EXPECT_FALSE(edited.unchangedByEdits("energy.renewable_share"));
}

}  // namespace
}  // namespace gt::runtime
