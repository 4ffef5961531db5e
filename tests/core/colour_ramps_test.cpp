#include "greentwin/core/colour_ramps.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "greentwin/core/config_reader.hpp"

namespace gt {
namespace {

TEST(ColourRamps, SequentialRampsRunFromTheirFirstToTheirLastStop) {
  const auto greens = findColourRamp("greens");
  ASSERT_TRUE(greens.isOk());
  const std::vector<std::string> five = rampColours(*greens, 5);
  ASSERT_EQ(five.size(), 5u);
  EXPECT_EQ(five.front(), std::string(greens->stops.front()));
  EXPECT_EQ(five.back(), std::string(greens->stops.back()));
  EXPECT_EQ(std::set<std::string>(five.begin(), five.end()).size(), 5u);
  // Four stops and four colours: the colours are the stops.
  const std::vector<std::string> four = rampColours(*greens, 4);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_EQ(four[i], std::string(greens->stops[i]));
  // Seven colours over three segments: the second is halfway between the stops #edf7e9 and #9fd39a.
  EXPECT_EQ(rampColours(*greens, 7)[1], "#c6e5c2");
  EXPECT_EQ(rampColours(*greens, 1), (std::vector<std::string>{"#6fb974"}));  // the middle
}

TEST(ColourRamps, QualitativePaletteRepeatsPastItsEnd) {
  const auto categories = findColourRamp("categories");
  ASSERT_TRUE(categories.isOk());
  EXPECT_EQ(categories->kind, "qualitative");
  const auto colours = rampColours(*categories, 14);
  EXPECT_EQ(colours[12], colours[0]);
  EXPECT_EQ(std::set<std::string>(colours.begin(), colours.begin() + 12).size(), 12u);
}

TEST(ColourRamps, EveryRampIsValidColourText) {
  for (const ColourRamp& ramp : colourRamps()) {
    EXPECT_GE(ramp.stops.size(), 2u) << ramp.name;
    for (const std::string& c : rampColours(ramp, 9)) EXPECT_TRUE(isColourText(c)) << ramp.name << " " << c;
  }
}

TEST(ColourRamps, AnUnknownNameListsTheRamps) {
  const auto bad = findColourRamp("rainbow");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), ErrorCode::NotFound);
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("unknown colour ramp 'rainbow' (one of greens, blues"));
}

}  // namespace
}  // namespace gt
