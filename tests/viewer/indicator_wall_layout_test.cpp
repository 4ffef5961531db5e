// The wall view's layout (indicator_wall_layout.hpp): the card grid for n indicators in a w x h window, computed by
// hand from the proportions in indicator_wall_layout.cpp (unit = the window's height for 16:9; gap 1.2 %, title band
// 7 %, footer 3.5 %, group heading 4.5 % of it; cards between 1.25 and 2.4 times as wide as high).
#include "indicator_wall_layout.hpp"

#include <gtest/gtest.h>

namespace gt::viewer {
namespace {

constexpr float kEps = 0.01f;

bool overlap(const WallRect& a, const WallRect& b) {
  return a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom();
}

TEST(IndicatorWallLayout, TheFontLadderStepsByTenPercentFromTwelvePixels) {
  EXPECT_EQ(wallFontSize(5), 12);
  EXPECT_EQ(wallFontSize(12), 12);
  EXPECT_EQ(wallFontSize(13.1f), 12);  // the next step is 13.2
  EXPECT_EQ(wallFontSize(13.3f), 13);
  EXPECT_EQ(wallFontSize(17), 16);      // 12 x 1.1^3 = 15.97; 1.1^4 gives 17.57
  EXPECT_EQ(wallFontSize(57.66f), 55);  // 12 x 1.1^16 = 55.14
  EXPECT_EQ(wallFontSize(200), 190);    // 12 x 1.1^29 = 190.4
}

// All 18 in their groups of 8, 5 and 5 on a 1920x1080 wall: five columns (4 rows: 2 + 1 + 1) give the largest card.
// Height: 1080 - 75.6 title - 37.8 footer - 3 x 48.6 headings - 4 x 13 gaps = 768.8 for 4 rows = 192.2;
// width: (1920 - 6 x 13) / 5 = 368.4 (aspect 1.92). Six columns: 304.8 x 192.2; four: 6 rows of 123.8, clamped to
// 297.1 x 123.8; eight: 3 rows but 225.4 wide, clamped to 225.4 x 180.3; all smaller.
TEST(IndicatorWallLayout, EighteenIndicatorsOnAFullHdWallGetFiveColumns) {
  const WallLayout l = layoutIndicatorWall(1920, 1080, {8, 5, 5});
  EXPECT_EQ(l.columns, 5);
  EXPECT_EQ(l.gap, 13);
  EXPECT_NEAR(l.cardWidth, 368.4f, kEps);
  EXPECT_NEAR(l.cardHeight, 192.2f, kEps);
  ASSERT_EQ(l.cards.size(), 18u);
  ASSERT_EQ(l.groupHeadings.size(), 3u);
  // The block fills the width (13 px margins) and the height between title and footer exactly.
  EXPECT_NEAR(l.groupHeadings[0].y, 75.6f, kEps);
  EXPECT_NEAR(l.cards[0].x, 13, kEps);
  EXPECT_NEAR(l.cards[0].y, 75.6f + 48.6f, kEps);
  EXPECT_NEAR(l.cards[5].x, 13, kEps);  // group 1's sixth card starts its second row
  EXPECT_NEAR(l.cards[5].y, 124.2f + 205.2f, kEps);
  EXPECT_NEAR(l.groupHeadings[1].y, 124.2f + 2 * 205.2f, kEps);  // group 2 starts a new row under its heading
  EXPECT_NEAR(l.cards[8].x, 13, kEps);
  EXPECT_NEAR(l.cards[8].y, 534.6f + 48.6f, kEps);
  EXPECT_NEAR(l.cards[17].x, 13 + 4 * 381.4f, kEps);
  EXPECT_NEAR(l.cards[17].bottom(), 1080 - 37.8f - 13, kEps);
  EXPECT_NEAR(l.title.h, 75.6f, kEps);
  EXPECT_NEAR(l.footer.y, 1080 - 37.8f, kEps);
  // Type: value min(0.30 x 192.2, 0.18 x 368.4) = 57.7 -> 55; name 0.125 x 192.2 = 24.0 -> 23; small: the footer's
  // 0.55 x 37.8 = 20.8 -> 19; title 0.5 x 75.6 = 37.8 -> 38; group heading 0.62 x 48.6 = 30.1 -> 28.
  EXPECT_EQ(l.fonts.value, 55);
  EXPECT_EQ(l.fonts.label, 23);
  EXPECT_EQ(l.fonts.small, 19);
  EXPECT_EQ(l.fonts.footer, 19);
  EXPECT_EQ(l.fonts.title, 38);
  EXPECT_EQ(l.fonts.group, 28);
}

TEST(IndicatorWallLayout, CardsStayInsideTheWindowAndNeverOverlap) {
  for (const auto& [w, h] : {std::pair{1920.f, 1080.f}, {3840.f, 2160.f}, {1280.f, 720.f}, {1080.f, 1920.f},
                             {5760.f, 1080.f}}) {
    for (const std::vector<int>& groups : {std::vector<int>{8, 5, 5}, {2, 0, 3}, {1, 0, 0}, {8, 5, 5, 1}}) {
      const WallLayout l = layoutIndicatorWall(w, h, groups);
      std::size_t total = 0;
      for (int n : groups) total += static_cast<std::size_t>(n);
      ASSERT_EQ(l.cards.size(), total) << w << "x" << h;
      for (std::size_t i = 0; i < l.cards.size(); ++i) {
        const WallRect& c = l.cards[i];
        EXPECT_GE(c.x, 0);
        EXPECT_GE(c.y, l.title.bottom() - kEps);
        EXPECT_LE(c.right(), w + kEps);
        EXPECT_LE(c.bottom(), l.footer.y + kEps) << w << "x" << h << " card " << i;
        EXPECT_GE(c.w / c.h, kMinCardAspect - kEps);
        EXPECT_LE(c.w / c.h, kMaxCardAspect + kEps);
        for (std::size_t j = 0; j < i; ++j) EXPECT_FALSE(overlap(c, l.cards[j])) << i << " and " << j;
        for (const WallRect& g : l.groupHeadings) EXPECT_FALSE(g.h > 0 && overlap(c, g)) << i;
      }
    }
  }
}

// Five chosen indicators (#5, #6 of green production; #14, #17, #18 of ecology): three columns, one row per group.
// Height (1080 - 75.6 - 37.8 - 2 x 48.6 - 2 x 13) / 2 = 421.7, width (1920 - 4 x 13) / 3 = 622.67 (aspect 1.48);
// four columns would be 463.75 wide and clamped to 371 high. The cards are 2.2 times as high as with all 18.
TEST(IndicatorWallLayout, FewIndicatorsGetBiggerCards) {
  const WallLayout l = layoutIndicatorWall(1920, 1080, {2, 0, 3});
  EXPECT_EQ(l.columns, 3);
  EXPECT_NEAR(l.cardWidth, 622.667f, kEps);
  EXPECT_NEAR(l.cardHeight, 421.7f, kEps);
  EXPECT_EQ(l.groupHeadings[1].h, 0);  // a group without cards takes no room
  EXPECT_NEAR(l.cards[2].y, l.cards[0].y + 421.7f + 13 + 48.6f, kEps);  // ecology on its own row
  EXPECT_EQ(l.fonts.value, 107);  // min(0.30 x 421.7, 0.18 x 622.67 = 112.1) -> 12 x 1.1^23 = 107.4
  EXPECT_EQ(l.fonts.small, 38);   // 0.095 x 421.7 = 40.1 -> 12 x 1.1^12 = 37.7
  EXPECT_EQ(l.fonts.footer, 19);  // the footer's band is the window's, whatever the cards: 0.55 x 37.8 -> 19
}

// A 4K wall is the full-HD one doubled: same grid, twice the card, type one ladder step apart at most.
TEST(IndicatorWallLayout, AFourKWallIsTheFullHdOneDoubled) {
  const WallLayout hd = layoutIndicatorWall(1920, 1080, {8, 5, 5});
  const WallLayout uhd = layoutIndicatorWall(3840, 2160, {8, 5, 5});
  EXPECT_EQ(uhd.columns, hd.columns);
  EXPECT_EQ(uhd.gap, 2 * hd.gap);
  EXPECT_NEAR(uhd.cardWidth, 2 * hd.cardWidth, kEps);
  EXPECT_NEAR(uhd.cardHeight, 2 * hd.cardHeight, kEps);
  for (std::size_t i = 0; i < hd.cards.size(); ++i) {
    EXPECT_NEAR(uhd.cards[i].x, 2 * hd.cards[i].x, 2 * kEps);
    EXPECT_NEAR(uhd.cards[i].y, 2 * hd.cards[i].y, 2 * kEps);
  }
  // 0.30 x 384.4 = 115.3 -> 107 (12 x 1.1^23; the next step is 118.2): the ladder's 10 % steps, so 1.95 times.
  EXPECT_EQ(uhd.fonts.value, 107);
  EXPECT_EQ(uhd.fonts.label, 46);  // 0.125 x 384.4 = 48.05 -> 12 x 1.1^14 = 45.57
}

TEST(IndicatorWallLayout, ATinyWindowGetsNoCards) {
  const WallLayout l = layoutIndicatorWall(50, 50, {8, 5, 5});
  EXPECT_TRUE(l.cards.empty());
  EXPECT_EQ(l.columns, 0);
  EXPECT_EQ(layoutIndicatorWall(1920, 1080, {0, 0, 0}).cards.size(), 0u);
}

}  // namespace
}  // namespace gt::viewer
