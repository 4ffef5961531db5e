// The traffic plugin's charger states and the green-travel share (plugins/traffic/chargers.hpp, modal_split.hpp)
// on known inputs.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "chargers.hpp"
#include "modal_split.hpp"

namespace greentwin::traffic {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(Chargers, CountsAndOccupancy) {
  // 4 free, 3 charging, 2 fault, 1 unknown code (7), 1 half code (1.5), 2 without data.
  const std::vector<double> states = {0, 1, 2, 0, 1, 0, 7, kNaN, 2, 1, 0, 1.5, kNaN};
  const ChargerCounts c = countChargers(states);
  EXPECT_EQ(c.free, 4u);
  EXPECT_EQ(c.charging, 3u);
  EXPECT_EQ(c.fault, 2u);
  EXPECT_EQ(c.unknown, 2u);
  EXPECT_EQ(c.noData, 2u);
  EXPECT_EQ(c.working(), 7u);
  EXPECT_NEAR(c.occupancyPct(), 100.0 * 3 / 7, 1e-12);  // faulty chargers are not in the denominator
  EXPECT_TRUE(std::isnan(countChargers({2, 2, kNaN}).occupancyPct()));
  EXPECT_DOUBLE_EQ(countChargers({1, 1}).occupancyPct(), 100.0);
  EXPECT_EQ(chargerStateOf(0), ChargerState::Free);
  EXPECT_EQ(chargerStateOf(2), ChargerState::Fault);
  EXPECT_FALSE(chargerStateOf(-1));
  EXPECT_FALSE(chargerStateOf(kNaN));
  EXPECT_STREQ(chargerStateClasses()[1].nameZh, "充电中");
}

TEST(GreenTravel, ShareOfWalkBikeAndPublicTransport) {
  // walk 300, bike 160, bus 120, metro 140, car 240, taxi 40: green 720 of 1000.
  const auto s = greenTravelShare({300, 160, 120, 140, 240, 40});
  ASSERT_TRUE(s);
  EXPECT_DOUBLE_EQ(s->greenTrips, 720);
  EXPECT_DOUBLE_EQ(s->allTrips, 1000);
  EXPECT_DOUBLE_EQ(s->sharePct, 72);
  EXPECT_DOUBLE_EQ(greenTravelShare({0, 0, 0, 0, 50, 0})->sharePct, 0);
  EXPECT_FALSE(greenTravelShare({1, 1, 1, kNaN, 1, 1}));  // an incomplete split would bias the share
  EXPECT_FALSE(greenTravelShare({1, 1, 1, -1, 1, 1}));
  EXPECT_FALSE(greenTravelShare({0, 0, 0, 0, 0, 0}));
  EXPECT_STREQ(tripsAttribute(Mode::Metro), "trips_metro");
  EXPECT_FALSE(isGreen(Mode::Taxi));
  EXPECT_TRUE(isGreen(Mode::Bike));
}

}  // namespace
}  // namespace greentwin::traffic
