// The energy plugin's metrics and KPIs on numbers worked out by hand: load intensity, PV self-supply, net load,
// the district balance and CO2 per person.
#include <gtest/gtest.h>

#include <limits>

#include "floor_area.hpp"
#include "metrics.hpp"

namespace greentwin::energy {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(EnergyMetrics, LoadIntensityFromAKnownFloorArea) {
  // 10 x 10 m footprint with a 2 x 3 m courtyard on 6 floors: 564 m2; 56.4 kW on it is 100 W/m2.
  const Polygon courtyard{{{{0, 0}, {10, 0}, {10, 10}, {0, 10}}, {{2, 2}, {4, 2}, {4, 5}, {2, 5}}}};
  const double area = polygonArea(courtyard) * 6;
  ASSERT_DOUBLE_EQ(area, 564.0);
  EXPECT_NEAR(*loadIntensityWm2(56.4, area), 100.0, 1e-12);
  EXPECT_DOUBLE_EQ(*loadIntensityWm2(12.0, 600.0), 20.0);
  EXPECT_DOUBLE_EQ(*loadIntensityWm2(0.0, 600.0), 0.0);
  EXPECT_FALSE(loadIntensityWm2(12.0, 0.0));   // no floor area: no intensity
  EXPECT_FALSE(loadIntensityWm2(kNaN, 600.0));  // no load
  EXPECT_FALSE(loadIntensityWm2(12.0, kNaN));
}

TEST(EnergyMetrics, PvSelfSupplyIsCappedAtTheLoadAndUndefinedWithoutLoad) {
  EXPECT_DOUBLE_EQ(*pvSelfSupplyPct(30.0, 120.0), 25.0);
  EXPECT_DOUBLE_EQ(*pvSelfSupplyPct(150.0, 120.0), 100.0);  // surplus exported, not counted
  EXPECT_DOUBLE_EQ(*pvSelfSupplyPct(0.0, 120.0), 0.0);
  EXPECT_DOUBLE_EQ(*pvSelfSupplyPct(kNaN, 120.0), 0.0);  // no PV reading: no PV
  EXPECT_DOUBLE_EQ(*pvSelfSupplyPct(-5.0, 120.0), 0.0);
  EXPECT_FALSE(pvSelfSupplyPct(10.0, 0.0));  // load 0: undefined
  EXPECT_FALSE(pvSelfSupplyPct(10.0, -1.0));
  EXPECT_FALSE(pvSelfSupplyPct(10.0, kNaN));
}

TEST(EnergyMetrics, NetLoadIsLoadMinusPv) {
  EXPECT_DOUBLE_EQ(*netLoadKw(120.0, 30.0), 90.0);
  EXPECT_DOUBLE_EQ(*netLoadKw(10.0, 25.0), -15.0);  // exporting
  EXPECT_FALSE(netLoadKw(kNaN, 1.0));
  EXPECT_FALSE(netLoadKw(1.0, kNaN));
}

TEST(EnergyMetrics, DistrictBalanceSumsTheBuildingsWithData) {
  const DistrictBalance b = districtBalance({{100.0, 20.0}, {50.0, 0.0}, {kNaN, 5.0}, {30.0, kNaN}});
  EXPECT_DOUBLE_EQ(b.loadKw, 180.0);
  EXPECT_DOUBLE_EQ(b.pvKw, 20.0);  // the NaN PV counts 0; the building without load is left out with its PV
  EXPECT_DOUBLE_EQ(b.netImportKw, 160.0);
  ASSERT_TRUE(b.renewableSharePct);
  EXPECT_NEAR(*b.renewableSharePct, 100.0 * 20.0 / 180.0, 1e-12);  // 11.11 %
  EXPECT_EQ(b.buildings, 3u);
  EXPECT_EQ(b.skipped, 1u);
  // A sunny noon: PV above the load, the district exports 40 kW and its renewable share is 100 %.
  const DistrictBalance noon = districtBalance({{60.0, 100.0}});
  EXPECT_DOUBLE_EQ(noon.netImportKw, -40.0);
  EXPECT_DOUBLE_EQ(*noon.renewableSharePct, 100.0);
  EXPECT_FALSE(districtBalance({}).renewableSharePct);
}

TEST(EnergyMetrics, Co2PerPersonPerYearAnnualisesTheImport) {
  // 100 MW x 8760 h = 876,000 MWh x 0.5 t/MWh = 438,000 t over 876,000 people: 0.5 t per person and year.
  EXPECT_DOUBLE_EQ(*co2TonnesPerPersonYear(100.0, 0.5, 876000.0), 0.5);
  // With the defaults (0.5703 t/MWh, 1,840,295 people): 250 MW -> 250 x 8760 x 0.5703 / 1,840,295 = 0.678672 t.
  EXPECT_NEAR(*co2TonnesPerPersonYear(250.0, 0.5703, 1840295.0), 0.678672, 1e-6);
  EXPECT_DOUBLE_EQ(*co2TonnesPerPersonYear(-20.0, 0.5, 876000.0), 0.0);  // exporting: no emission, no credit
  EXPECT_FALSE(co2TonnesPerPersonYear(100.0, 0.5, 0.0));
  EXPECT_FALSE(co2TonnesPerPersonYear(100.0, -0.1, 876000.0));
  EXPECT_FALSE(co2TonnesPerPersonYear(kNaN, 0.5, 876000.0));
}

TEST(EnergyMetrics, AreaPopulationIsTheShareOfTheHomesFloorArea) {
  // 1,840,295 people over 50 km2 of residential floor area; an area holding 5 km2 of it: a tenth of them.
  EXPECT_NEAR(*areaPopulation(1840295.0, 5e6, 50e6), 184029.5, 1e-6);
  EXPECT_DOUBLE_EQ(*areaPopulation(1000.0, 60.0, 50.0), 1000.0);  // never more than the district
  EXPECT_FALSE(areaPopulation(1000.0, 0.0, 50.0));                  // no homes in the area
  EXPECT_FALSE(areaPopulation(1000.0, 10.0, 0.0));
  EXPECT_FALSE(areaPopulation(0.0, 10.0, 50.0));
  EXPECT_FALSE(areaPopulation(1000.0, kNaN, 50.0));
}

}  // namespace
}  // namespace greentwin::energy
