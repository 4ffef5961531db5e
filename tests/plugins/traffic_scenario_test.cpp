// The traffic plugin's bus-stop coverage in a what-if scenario, by the real host over a stand-in twin: homes counted
// again with the scenario's building edits (removed, use changed, added); the baseline stays as it was.
#include <gtest/gtest.h>

#include "../support/building_services.hpp"
#include "greentwin/runtime/plugin_host.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

using testing_support::BuildingServices;
using testing_support::polygonFeature;
using testing_support::rectangle;

// One stop at the origin; homes h1 (near), h2 (near), h3 (2 km away); an office near the stop.
class TrafficScenario : public ::testing::Test {
 protected:
  void SetUp() override {
    Feature stop;
    stop.id = "city-bus-stops/s1";
    stop.geometry.points.push_back({0, 0, 0});
    services_.add("city-bus-stops", stop);
    services_.add("city-buildings", polygonFeature("city-buildings/h1", rectangle(100, 0, 20, 20), {{"use", "residential"}}));
    services_.add("city-buildings", polygonFeature("city-buildings/h2", rectangle(0, 200, 20, 20), {{"use", "residential"}}));
    services_.add("city-buildings", polygonFeature("city-buildings/h3", rectangle(2000, 0, 20, 20), {{"use", "residential"}}));
    services_.add("city-buildings", polygonFeature("city-buildings/o1", rectangle(-100, 0, 20, 20), {{"use", "office"}}));
    host_.load(PluginConfig{{builtinPluginDirectory()}, {"traffic"}, {}});
    ASSERT_NE(host_.find("traffic"), nullptr);
    ASSERT_EQ(host_.find("traffic")->state, PluginState::Active) << host_.find("traffic")->message;
  }
  double baseline() { return host_.computeKpi("traffic.bus_stop_coverage", services_.now)->value; }
  PluginKpiValue in(const Scenario& s) {
    auto v = host_.computeKpiInScenario("traffic.bus_stop_coverage", s, services_.now);
    EXPECT_TRUE(v) << v.status().message();
    return v ? *v : PluginKpiValue{};
  }

  BuildingServices services_;
  PluginHost host_{services_};
};

ScenarioEdit edit(ScenarioEditKind kind, std::vector<std::string> ids, std::string use = {}) {
  ScenarioEdit e;
  e.kind = kind;
  e.buildings = std::move(ids);
  e.use = std::move(use);
  return e;
}

TEST_F(TrafficScenario, HomesRemovedChangedOrAddedAreCountedAgain) {
  EXPECT_DOUBLE_EQ(baseline(), 100.0 * 2 / 3);
  Scenario s;
  // h3 (uncovered) removed, the office near the stop becomes homes, a new home 3 km away: 3 of 4 covered.
  ScenarioEdit added = edit(ScenarioEditKind::AddBuilding, {}, "residential");
  added.id = "new/far";
  added.polygon = Polygon{{rectangle(3000, 0, 10, 10)}};
  added.floors = 3;
  added.heightM = 9;
  s.edits = {edit(ScenarioEditKind::RemoveBuilding, {"city-buildings/h3"}),
             edit(ScenarioEditKind::SetUse, {"city-buildings/o1"}, "residential"), added};
  const PluginKpiValue v = in(s);
  EXPECT_DOUBLE_EQ(v.value, 100.0 * 3 / 4) << v.note;
  EXPECT_EQ(v.note, "scenario: 3 of 4 residential buildings covered");
  EXPECT_DOUBLE_EQ(baseline(), 100.0 * 2 / 3);  // the baseline as it was
}

TEST_F(TrafficScenario, PvOrParksLeaveItAsTheBaseline) {
  Scenario s;
  s.edits = {edit(ScenarioEditKind::AddPv, {"city-buildings/h1"})};
  const PluginKpiValue v = in(s);
  EXPECT_DOUBLE_EQ(v.value, baseline());
  EXPECT_EQ(v.note, "scenario: no building removed, added or of another use");
}

}  // namespace
}  // namespace gt::runtime
