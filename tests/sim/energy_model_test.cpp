// Building loads, rooftop PV following the sun, substation sums.
#include <gtest/gtest.h>

#include <limits>

#include "greentwin/sim/energy_model.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

constexpr Duration kHour = 3600 * kMicrosPerSecond;
TimePoint at(const char* iso) { return *parseIsoTime(iso); }

EnergyModel makeModel(std::uint64_t seed = 9) {
  std::vector<Building> buildings = {
      {"b/office", "office", 20000, 300, 0, 0, 0},        {"b/home", "residential", 8000, 50, 0, 100, 100},
      {"b/hospital", "hospital", 30000, 0, 0, 5000, 5000}, {"b/shop", "commercial", 5000, 80, 0, 5100, 4900}};
  std::vector<Substation> substations = {{"s/west", 50, 0, 0}, {"s/east", 80, 5000, 5000}};
  return EnergyModel(std::move(buildings), std::move(substations), seed);
}

TEST(EnergyModel, PvIsZeroAtNightAndPositiveAtNoon) {
  EnergyModel model = makeModel();
  for (int day = 0; day < 365; day += 7) {
    const TimePoint midnight = at("2026-01-01T00:00:00+08:00") + day * 24 * kHour;
    model.prepare(midnight);
    EXPECT_EQ(model.building(midnight, 0).pvKw, 0.0) << "day " << day;
    const TimePoint noon = midnight + 12 * kHour;
    model.prepare(noon);
    const double pv = model.building(noon, 0).pvKw;
    EXPECT_GT(pv, 0.0) << "day " << day;
    EXPECT_LE(pv, 300.0);  // never above the installed capacity
    EXPECT_EQ(model.building(noon, 2).pvKw, 0.0);  // no panels, no PV
  }
}

TEST(EnergyModel, LoadsFollowUseClassProfilesAndStayPlausible) {
  EnergyModel model = makeModel();
  const TimePoint weekday = at("2026-04-15T00:00:00+08:00");  // Wednesday, mild weather
  auto loadAt = [&](TimePoint t, std::size_t i) {
    model.prepare(t);
    return model.building(t, i).loadKw;
  };
  EXPECT_GT(loadAt(weekday + 11 * kHour, 0), 2.5 * loadAt(weekday + 3 * kHour, 0));  // office by day
  EXPECT_GT(loadAt(weekday + 20 * kHour, 1), 1.8 * loadAt(weekday + 3 * kHour, 1));  // homes in the evening
  EXPECT_GT(loadAt(weekday + 11 * kHour, 0), 2.0 * loadAt(weekday + 4 * 24 * kHour + 11 * kHour, 0));  // Sunday
  // Mean electric load density of an office: about 100 kWh/m2/yr / 8760 h = 11 W/m2; never far from it.
  double sum = 0;
  for (int h = 0; h < 24 * 7; ++h) sum += loadAt(weekday + h * kHour, 0);
  const double wPerM2 = sum / (24 * 7) * 1000.0 / 20000.0;
  EXPECT_GT(wPerM2, 6.0);
  EXPECT_LT(wPerM2, 20.0);
  // Air conditioning: a hot July afternoon draws more than a mild April one.
  EXPECT_GT(loadAt(at("2026-07-15T15:00:00+08:00"), 0), loadAt(weekday + 15 * kHour, 0));
}

TEST(EnergyModel, SubstationLoadIsTheSumOfItsNearestBuildingsMinusPv) {
  EnergyModel model = makeModel();
  EXPECT_EQ(model.substationOf(0), 0u);
  EXPECT_EQ(model.substationOf(1), 0u);
  EXPECT_EQ(model.substationOf(2), 1u);
  EXPECT_EQ(model.substationOf(3), 1u);
  const TimePoint t = at("2026-06-10T13:00:00+08:00");
  model.prepare(t);
  const BuildingReading b0 = model.building(t, 0), b1 = model.building(t, 1);
  const SubstationReading west = model.substation(0);
  EXPECT_NEAR(west.loadMw, (b0.loadKw + b1.loadKw) / 1000.0, 1e-9);
  EXPECT_NEAR(west.pvMw, (b0.pvKw + b1.pvKw) / 1000.0, 1e-9);
  EXPECT_NEAR(west.netMw, west.loadMw - west.pvMw, 1e-12);
  EXPECT_NEAR(west.loadingPct, 100.0 * west.netMw / (50 * 0.95), 1e-9);
  EXPECT_EQ(west.buildings, 2u);
}

// With voltage levels: buildings go to the nearest substation below the highest level, each substation to the
// nearest one of the next level up, and the loads add up the chain.
TEST(EnergyModel, HigherVoltageSubstationsCarryTheSubstationsTheyFeed) {
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::vector<Building> buildings = {{"b/home", "residential", 8000, 0, 0, 0, 0},
                                     {"b/office", "office", 20000, 0, 0, 1000, 0}};
  std::vector<Substation> substations = {{"s/500", 3000, 0, 0, 500},      // on top of b/home: not a serving one
                                         {"s/110", 100, 0, 50, 110},      // b/home's nearest serving substation
                                         {"s/220", 540, 1000, 50, 220},   // b/office's; feeds s/110 (the only 220)
                                         {"s/110-far", 100, 5000, 5000, 110}};
  EnergyModel model(std::move(buildings), std::move(substations), 9);
  EXPECT_EQ(model.substationOf(0), 1u);
  EXPECT_EQ(model.substationOf(1), 2u);
  EXPECT_EQ(model.upstreamOf(1), 2u);
  EXPECT_EQ(model.upstreamOf(3), 2u);
  EXPECT_EQ(model.upstreamOf(2), 0u);
  EXPECT_EQ(model.upstreamOf(0), kNone);
  const TimePoint t = at("2026-07-15T19:00:00+08:00");
  model.prepare(t);
  const double home = model.building(t, 0).netKw() / 1000.0, office = model.building(t, 1).netKw() / 1000.0;
  EXPECT_NEAR(model.substation(1).netMw, home, 1e-12);
  EXPECT_NEAR(model.substation(2).netMw, home + office, 1e-12);
  EXPECT_NEAR(model.substation(0).netMw, home + office, 1e-12);
  EXPECT_EQ(model.substation(3).netMw, 0.0);
  EXPECT_NEAR(model.substation(0).loadingPct, 100.0 * (home + office) / (3000 * 0.95), 1e-9);
  EXPECT_EQ(model.substation(0).buildings, 0u);
  EXPECT_EQ(model.substation(2).buildings, 1u);
  EXPECT_NEAR(model.totalNetMw(), home + office, 1e-12);  // the import counts each building once
}

// The data's own topology (the demo generator writes both): a building's `substation`, a substation's `fedFrom`,
// matched by the feature id after the layer prefix; a feeder that is not of a higher voltage is ignored.
TEST(EnergyModel, NamedSubstationsOverrideTheNearestRule) {
  Building far{"b/far", "residential", 8000, 0, 0, 0, 0};
  far.substation = "substation/000003";
  Building unknown{"b/unknown", "residential", 8000, 0, 0, 0, 0};
  unknown.substation = "substation/000099";
  std::vector<Substation> substations = {{"subs/substation/000001", 3000, 9000, 9000, 500},
                                         {"subs/substation/000002", 100, 0, 10, 110},
                                         {"subs/substation/000003", 100, 8000, 8000, 110, "substation/000001"},
                                         {"subs/substation/000004", 540, 100, 10, 220, "substation/000003"}};
  EnergyModel model({far, unknown}, std::move(substations), 9);
  EXPECT_EQ(model.substationOf(0), 2u);  // named, 11 km away
  EXPECT_EQ(model.substationOf(1), 1u);  // no such substation: the nearest serving one
  EXPECT_EQ(model.upstreamOf(2), 0u);    // named (skipping the 220 kV level)
  EXPECT_EQ(model.upstreamOf(1), 3u);    // unnamed: the nearest 220 kV
  EXPECT_EQ(model.upstreamOf(3), 0u);    // named a 110 kV substation: the nearest 500 kV instead
}

TEST(EnergyModel, IsDeterministicWithASeed) {
  EnergyModel a = makeModel(5), b = makeModel(5), c = makeModel(6);
  const TimePoint t = at("2026-02-02T18:30:00+08:00");
  a.prepare(t), b.prepare(t), c.prepare(t);
  EXPECT_EQ(a.building(t, 1).loadKw, b.building(t, 1).loadKw);
  EXPECT_NE(a.building(t, 1).loadKw, c.building(t, 1).loadKw);
}

}  // namespace
}  // namespace gt::sim
