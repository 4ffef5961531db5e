// [display]'s wall-view keys (core/src/config_display.cpp): indicator_wall lists indicator numbers 1..18 each once,
// indicator_wall_at_start opens the window on the wall view; every wrong value names its key and line.
#include "greentwin/core/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gt {
namespace {

using ::testing::HasSubstr;

std::string errorOf(const std::string& text, const std::string& name = "") {
  auto r = parseConfig(text, name.empty() ? (text.find("kiosk") != std::string::npos ? "k.toml" : "wall.toml") : name);
  EXPECT_FALSE(r.isOk()) << "expected an error for:\n" << text;
  return r.isOk() ? std::string() : r.status().message();
}

TEST(ConfigDisplay, TheWallShowsAllIndicatorsUnlessToldWhich) {
  auto all = parseConfig("[display]\nfullscreen = true\n", "wall.toml");
  ASSERT_TRUE(all) << all.status().message();
  EXPECT_TRUE(all->display.indicatorWall.empty());
  EXPECT_FALSE(all->display.indicatorWallAtStart);

  auto chosen = parseConfig("[display]\nindicator_wall = [5, 6, 14, 17, 18]\nindicator_wall_at_start = true\n",
                            "wall.toml");
  ASSERT_TRUE(chosen) << chosen.status().message();
  EXPECT_EQ(chosen->display.indicatorWall, (std::vector<int>{5, 6, 14, 17, 18}));
  EXPECT_TRUE(chosen->display.indicatorWallAtStart);
}

TEST(ConfigDisplay, AWrongIndicatorNumberNamesTheElementAndItsLine) {
  EXPECT_THAT(errorOf("[display]\nindicator_wall = [5, 19]\n"),
              HasSubstr("wall.toml:2: 'display.indicator_wall[1]' = 19 is out of range; allowed 1..18"));
  EXPECT_THAT(errorOf("[display]\nindicator_wall = [\n  0,\n  3,\n]\n"),
              HasSubstr("wall.toml:3: 'display.indicator_wall[0]' = 0 is out of range; allowed 1..18"));
  EXPECT_THAT(errorOf("[display]\nwidth = 1920\nindicator_wall = [5, \"6\"]\n"),
              HasSubstr("wall.toml:3: 'display.indicator_wall[1]' must be an integer, got string"));
  EXPECT_THAT(errorOf("[display]\nindicator_wall = [5.5]\n"),
              HasSubstr("'display.indicator_wall[0]' must be an integer, got float"));
  EXPECT_THAT(errorOf("[display]\nindicator_wall = 5\n"),
              HasSubstr("wall.toml:2: 'display.indicator_wall' must be an array of integers, got integer"));
}

TEST(ConfigDisplay, AnEmptyOrRepeatingListIsRefused) {
  EXPECT_THAT(errorOf("[display]\nindicator_wall = []\n"),
              HasSubstr("wall.toml:2: 'display.indicator_wall' is empty; list indicator numbers 1..18"));
  EXPECT_THAT(errorOf("[display]\n\nindicator_wall = [5, 6, 5]\n"),
              HasSubstr("wall.toml:3: 'display.indicator_wall' lists indicator 5 twice"));
  EXPECT_THAT(errorOf("[display]\nindicator_wall_at_start = \"yes\"\n"),
              HasSubstr("wall.toml:2: 'display.indicator_wall_at_start' must be a boolean, got string"));
  EXPECT_THAT(errorOf("[display]\nindicator_walls = [1]\n"),
              HasSubstr("wall.toml:2: unknown key 'display.indicator_walls' (did you mean 'display.indicator_wall'?)"));
}

TEST(ConfigDisplay, KioskModeAndItsUnlockChord) {
  auto plain = parseConfig("[display]\n", "k.toml");
  ASSERT_TRUE(plain) << plain.status().message();
  EXPECT_FALSE(plain->display.kiosk);
  EXPECT_EQ(plain->display.kioskUnlock, (KeyChord{true, true, false, 'u'}));
  auto kiosk = parseConfig("[display]\nkiosk = true\nkiosk_unlock = \"Shift+Ctrl+K\"\n", "k.toml");
  ASSERT_TRUE(kiosk) << kiosk.status().message();
  EXPECT_TRUE(kiosk->display.kiosk);
  EXPECT_EQ(kiosk->display.kioskUnlock, (KeyChord{true, false, true, 'k'}));
  EXPECT_THAT(errorOf("[display]\nkiosk_unlock = \"u\"\n"),
              HasSubstr("k.toml:2: 'display.kiosk_unlock': key chord 'u' needs a modifier"));
  EXPECT_THAT(errorOf("[display]\nkiosk_unlock = \"ctrl+meta+u\"\n"),
              HasSubstr("has 'meta' where a modifier (ctrl, alt, shift) belongs"));
  EXPECT_THAT(errorOf("[display]\nkiosk_unlock = \"ctrl+ctrl+u\"\n"), HasSubstr("names 'ctrl' twice"));
  EXPECT_THAT(errorOf("[display]\nkiosk_unlock = \"ctrl+alt+\"\n"), HasSubstr("must end in one letter or digit"));
  EXPECT_THAT(errorOf("[display]\nkiosk_unlock = \"ctrl+f1\"\n"), HasSubstr("must end in one letter or digit"));
}

TEST(ConfigDisplay, TitleIsTheTwinsNameAndEmptyByDefault) {
  auto none = parseConfig("[display]\nwidth = 800\n", "test.toml");
  ASSERT_TRUE(none.isOk()) << none.status().toString();
  EXPECT_EQ(none->display.title, "");  // the viewer shows its neutral name, never the demo's
  EXPECT_EQ(none->display.titleEn, "");
  EXPECT_EQ(none->display.titleZh, "");

  auto titled = parseConfig("[display]\ntitle = \"London\"\ntitle_en = \"Twin of London\"\n"
                            "title_zh = \"伦敦孪生\"\n",
                            "test.toml");
  ASSERT_TRUE(titled.isOk()) << titled.status().toString();
  EXPECT_EQ(titled->display.title, "London");
  EXPECT_EQ(titled->display.titleEn, "Twin of London");
  EXPECT_EQ(titled->display.titleZh, "伦敦孪生");

  EXPECT_THAT(errorOf("[display]\ntitle = 3\n", "test.toml"),
              HasSubstr("test.toml:2: 'display.title' must be a string, got integer"));
  EXPECT_THAT(errorOf("[display]\n\ntitel_en = \"x\"\n", "test.toml"),
              HasSubstr("test.toml:3: unknown key 'display.titel_en' (did you mean 'display.title_en'?)"));

  // The bundled demo names itself: the Tongzhou title comes from its config, not from the application.
  auto demo =
      loadConfigFile(std::string(GT_TEST_SOURCE_DIR) + "/assets/demo/greentwin.toml", ConfigSchema::commonOnly());
  ASSERT_TRUE(demo.isOk()) << demo.status().toString();
  EXPECT_THAT(demo->display.titleEn, HasSubstr("Tongzhou"));
  EXPECT_THAT(demo->display.titleZh, HasSubstr("通州"));
}

}  // namespace
}  // namespace gt
