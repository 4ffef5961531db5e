#pragma once
// Where the wall view's parts go (indicator_wall.hpp; docs/indicators.md "Wall view"): a title band, the cards of each
// group under its group's heading (every group starts a new row) and a footer, in a window of any size, with the type
// sizes that follow from the card size. Pure arithmetic, no ImGui: unit-tested, and the same at every window size up
// to scale (a 3840x2160 wall is a 1920x1080 one doubled).
//
// How the card grid is chosen: every column count from 1 to the number of cards is tried; each gives card widths
// from the window's width and card heights from the rows its groups need in the window's height, clamped to a card
// shape between kMinCardAspect and kMaxCardAspect (width / height) so that a card is neither a tall strip nor a thin
// band; the count whose card has the largest area wins (the fewer indicators, the bigger their cards).

#include <vector>

namespace gt::viewer {

inline constexpr float kMinCardAspect = 1.25f;
inline constexpr float kMaxCardAspect = 2.4f;

struct WallRect {
  float x = 0, y = 0, w = 0, h = 0;  // pixels, y down (ImGui's screen space)
  float right() const { return x + w; }
  float bottom() const { return y + h; }
};

// Type sizes in pixels, each on the font ladder (wallFontSize), so that a window resized a little keeps its fonts.
struct WallFonts {
  float title = 0;  // the programme's title in the title band
  float group = 0;  // a group's heading
  float value = 0;  // a card's figure
  float label = 0;  // a card's name (the largest the names fit in, down to `small`; indicator_wall.cpp) and unit
  float small = 0;   // a card's target, status word, source tag and number
  float footer = 0;  // the footer's counts (its band's, so that its chips fit it whatever the cards' size)
};

struct WallLayout {
  int columns = 0;
  float cardWidth = 0, cardHeight = 0;
  float gap = 0;  // between cards, and around the window's edge
  WallRect title, footer;
  std::vector<WallRect> groupHeadings;  // one per group given
  std::vector<WallRect> cards;          // the groups' cards in the order given
  WallFonts fonts;
};

// The layout for groups of `groupSizes` cards (in order; sizes of 0 are kept and get a heading of no height and no
// cards) in a width x height window. Nothing fits below 64x64 pixels: then no cards.
WallLayout layoutIndicatorWall(float width, float height, const std::vector<int>& groupSizes);

// The size on the font ladder at or below `pixels`: 12 px times whole steps of 10 % (rounded to a pixel), at least
// 12; the ladder keeps the atlas to a few sizes however the window is sized.
float wallFontSize(float pixels);

}  // namespace gt::viewer
