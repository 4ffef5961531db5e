// Indicator #9 (green_buildings.hpp): star-rated floor area over the floor area completed in the period, on
// hand-made buildings; the Beijing year of a time at the turn of the year.
#include <gtest/gtest.h>

#include <limits>

#include "green_buildings.hpp"

namespace greentwin::energy {
namespace {

// 2020 (before the period), 2021 two stars, 2022 basic level, 2023 three stars, 2024 unknown rating, 2022 without
// a year, 2023 one star without floor area.
const std::vector<GreenBuilding> kBuildings{{1000.0, 2020, 3}, {2000.0, 2021, 2}, {500.0, 2022, 0}, {1500.0, 2023, 3},
                                            {1000.0, 2024, -1}, {700.0, 0, 2},   {0.0, 2023, 1}};

TEST(EnergyGreenBuildings, StarRatedShareOfTheFloorAreaCompletedInThePeriod) {
  // 2021-2024: 2000 + 500 + 1500 + 1000 = 5000 m2, of it star-rated 2000 + 1500 = 3500: 70 %.
  GreenBuildingShare g = greenBuildingShare(kBuildings, 2021, 2024);
  EXPECT_EQ(g.buildings, 4u);
  EXPECT_EQ(g.rated, 2u);
  EXPECT_EQ(g.unknownRating, 1u);
  EXPECT_DOUBLE_EQ(g.floorM2, 5000.0);
  EXPECT_DOUBLE_EQ(g.ratedFloorM2, 3500.0);
  EXPECT_DOUBLE_EQ(*g.sharePct(), 70.0);
  // Up to 2022 only: 2000 of 2500 = 80 %.
  EXPECT_DOUBLE_EQ(*greenBuildingShare(kBuildings, 2021, 2022).sharePct(), 80.0);
  // Over some of them (an area): the basic-level building alone is 0 %; the 2020 one is not new.
  EXPECT_DOUBLE_EQ(*greenBuildingShare(kBuildings, {2}, 2021, 2024).sharePct(), 0.0);
  EXPECT_FALSE(greenBuildingShare(kBuildings, {0, 5, 6, 99}, 2021, 2024).sharePct());
  EXPECT_FALSE(greenBuildingShare({}, 2021, 2024).sharePct());
  EXPECT_FALSE(greenBuildingShare(kBuildings, 2021, 2020).sharePct());
}

TEST(EnergyGreenBuildings, TheYearIsBeijings) {
  EXPECT_EQ(beijingYearOf(1'609'430'400'000'000), 2021);   // 2020-12-31 16:00 UTC = 2021-01-01 00:00 in Beijing
  EXPECT_EQ(beijingYearOf(1'609'430'399'999'999), 2020);   // a microsecond before
  EXPECT_EQ(beijingYearOf(1'798'761'600'000'000), 2027);   // 2027-01-01 00:00 UTC
  EXPECT_EQ(beijingYearOf(0), 1970);
  EXPECT_EQ(beijingYearOf(-29'000'000'000LL), 1969);       // 1969-12-31 23:51:40 in Beijing
}

}  // namespace
}  // namespace greentwin::energy
