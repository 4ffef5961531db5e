#include "greentwin/viewer/i18n.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gt::viewer {
namespace {

TEST(I18n, EveryStringHasBothLanguages) {
  for (int i = 0; i < static_cast<int>(Text::Count_); ++i) {
    const auto id = static_cast<Text>(i);
    EXPECT_STRNE(tr(id, Language::English), "") << "string " << i;
    EXPECT_STRNE(tr(id, Language::Chinese), "") << "string " << i;
  }
  EXPECT_STREQ(tr(Text::Layers, Language::English), "Layers");
  EXPECT_STREQ(tr(Text::Layers, Language::Chinese), "图层");
}

TEST(I18n, LanguageCodes) {
  EXPECT_EQ(languageFromCode("zh"), Language::Chinese);
  EXPECT_EQ(languageFromCode("en"), Language::English);
  EXPECT_STREQ(languageCode(Language::Chinese), "zh");
}

TEST(I18n, AppTitleComesFromTheConfigElseIsNeutral) {
  DisplayConfig display;  // a config that does not name its twin
  EXPECT_EQ(appTitle(display, Language::English), "GreenTwin");
  EXPECT_EQ(appTitle(display, Language::Chinese), "绿色孪生");
  for (const Language language : {Language::English, Language::Chinese}) {
    EXPECT_EQ(appTitle(display, language).find("Tongzhou"), std::string::npos);
    EXPECT_EQ(appTitle(display, language).find("通州"), std::string::npos);
  }
  display.title = "London";  // one name for both languages
  EXPECT_EQ(appTitle(display, Language::English), "London");
  EXPECT_EQ(appTitle(display, Language::Chinese), "London");
  display.titleZh = "伦敦";  // a language's own name wins
  EXPECT_EQ(appTitle(display, Language::Chinese), "伦敦");
  EXPECT_EQ(appTitle(display, Language::English), "London");
  display.title.clear();  // only a Chinese name: shown in English too, rather than the neutral one
  EXPECT_EQ(appTitle(display, Language::English), "伦敦");
  display.titleEn = "Twin of London";
  EXPECT_EQ(appTitle(display, Language::English), "Twin of London");
  EXPECT_EQ(appTitle(display, Language::Chinese), "伦敦");
}

TEST(I18n, ByLanguagePicksThePairsOtherHalfWhenOneIsEmpty) {
  const std::string en = "Parks";
  const std::string zh = "公园";
  const std::string none;
  EXPECT_EQ(byLanguage(en, zh, Language::Chinese), "公园");
  EXPECT_EQ(byLanguage(en, zh, Language::English), "Parks");
  EXPECT_EQ(byLanguage(en, none, Language::Chinese), "Parks");
  EXPECT_EQ(byLanguage(none, zh, Language::English), "公园");
}

TEST(I18n, DecodesUtf8AndSkipsMalformedBytes) {
  EXPECT_EQ(decodeUtf8("A孪"), (std::vector<char32_t>{U'A', U'孪'}));
  const std::string broken = std::string("x") + '\xE5' + "y" + '\xFF';
  EXPECT_EQ(decodeUtf8(broken), (std::vector<char32_t>{U'x', U'y'}));
  EXPECT_EQ(decodeUtf8("\xF0\x9F\x8C\xB3"), (std::vector<char32_t>{U'\U0001F333'}));
}

TEST(GlyphSet, ContainsEveryTableCharacterIncludingRareOnes) {
  GlyphSet glyphs;
  // 孪 is in the app title; both are missing from ImGui's "Chinese simplified common" range.
  EXPECT_TRUE(glyphs.contains(U'孪'));
  EXPECT_FALSE(glyphs.contains(U'潞'));
  glyphs.add("行政办公区（潞城）");
  EXPECT_TRUE(glyphs.contains(U'潞'));
  for (int i = 0; i < static_cast<int>(Text::Count_); ++i) {
    for (char32_t c : decodeUtf8(tr(static_cast<Text>(i), Language::Chinese))) EXPECT_TRUE(glyphs.contains(c));
  }
}

TEST(GlyphSet, RangesAreSortedPairsEndingInZero) {
  GlyphSet glyphs;
  glyphs.add("潞孪");
  const auto ranges = glyphs.imguiRanges();
  ASSERT_GE(ranges.size(), 3u);
  EXPECT_EQ(ranges.back(), 0);
  EXPECT_EQ(ranges.size() % 2, 1u);
  for (std::size_t i = 0; i + 1 < ranges.size() - 1; i += 2) {
    EXPECT_LE(ranges[i], ranges[i + 1]);
    if (i + 2 < ranges.size() - 1) {
      EXPECT_LT(ranges[i + 1] + 1, ranges[i + 2]) << "adjacent ranges not merged";
    }
  }
  // ASCII is one merged range.
  EXPECT_EQ(ranges[0], 0x20);
  EXPECT_EQ(ranges[1], 0x7E);
}

}  // namespace
}  // namespace gt::viewer
