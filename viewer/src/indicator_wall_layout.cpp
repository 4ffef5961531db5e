#include "indicator_wall_layout.hpp"

#include <algorithm>
#include <cmath>

namespace gt::viewer {
namespace {

// Proportions of the window's unit length (its height, or its width's 16:9 height when it is taller than that, so a
// portrait window does not get type wider than its cards).
constexpr float kGap = 0.012f;
constexpr float kTitle = 0.07f;
constexpr float kFooter = 0.035f;
constexpr float kHeading = 0.045f;
// Type sizes: of the band or card they sit in. A figure must also fit "12.34" and its unit across the card.
constexpr float kTitleType = 0.5f;     // of the title band
constexpr float kGroupType = 0.62f;    // of a heading
constexpr float kValueType = 0.30f;    // of a card's height...
constexpr float kValueTypeW = 0.18f;   // ...and of its width
constexpr float kLabelType = 0.125f;   // of a card's height
constexpr float kSmallType = 0.095f;   // of a card's height
constexpr float kFooterType = 0.55f;   // of the footer

int rowsFor(const std::vector<int>& groupSizes, int columns) {
  int rows = 0;
  for (int n : groupSizes) rows += (std::max(n, 0) + columns - 1) / columns;
  return rows;
}

}  // namespace

float wallFontSize(float pixels) {
  if (!(pixels > 12.0f)) return 12.0f;
  const float steps = std::floor(std::log(pixels / 12.0f) / std::log(1.1f) + 1e-4f);
  return std::round(12.0f * std::pow(1.1f, steps));
}

WallLayout layoutIndicatorWall(float width, float height, const std::vector<int>& groupSizes) {
  WallLayout out;
  out.groupHeadings.resize(groupSizes.size());
  if (width < 64 || height < 64) return out;
  const float unit = std::min(height, width * 9.0f / 16.0f);
  const float gap = std::max(4.0f, std::round(kGap * unit));
  const float titleH = kTitle * unit;
  const float footerH = kFooter * unit;
  const float headingH = kHeading * unit;
  int cards = 0;
  int groups = 0;
  for (int n : groupSizes) {
    cards += std::max(n, 0);
    groups += n > 0 ? 1 : 0;
  }
  out.gap = gap;
  out.title = {0, 0, width, titleH};
  out.footer = {0, height - footerH, width, footerH};
  out.fonts.title = wallFontSize(kTitleType * titleH);
  out.fonts.group = wallFontSize(kGroupType * headingH);
  out.fonts.footer = wallFontSize(kFooterType * footerH);
  out.fonts.small = out.fonts.footer;
  if (cards == 0) return out;

  // The column count whose card, clamped to a sane shape, is largest.
  float bestArea = -1;
  for (int c = 1; c <= cards; ++c) {
    const int rows = rowsFor(groupSizes, c);
    float w = (width - static_cast<float>(c + 1) * gap) / static_cast<float>(c);
    float h = (height - titleH - footerH - static_cast<float>(groups) * headingH - static_cast<float>(rows) * gap) /
              static_cast<float>(rows);
    if (w <= 0 || h <= 0) continue;
    if (w > h * kMaxCardAspect) w = h * kMaxCardAspect;
    if (w < h * kMinCardAspect) h = w / kMinCardAspect;
    if (w * h > bestArea) {
      bestArea = w * h;
      out.columns = c;
      out.cardWidth = w;
      out.cardHeight = h;
    }
  }
  if (out.columns == 0) return out;

  // The block of cards centred across the window, and the groups centred between the title and the footer.
  const int c = out.columns;
  const int rows = rowsFor(groupSizes, c);
  const float blockW = static_cast<float>(c) * out.cardWidth + static_cast<float>(c - 1) * gap;
  const float left = (width - blockW) * 0.5f;
  const float used = static_cast<float>(groups) * headingH + static_cast<float>(rows) * (out.cardHeight + gap);
  float y = titleH + std::max(0.0f, (height - titleH - footerH - used) * 0.5f);
  for (std::size_t g = 0; g < groupSizes.size(); ++g) {
    const int n = std::max(groupSizes[g], 0);
    if (n == 0) {
      out.groupHeadings[g] = {left, y, blockW, 0};
      continue;
    }
    out.groupHeadings[g] = {left, y, blockW, headingH};
    y += headingH;
    for (int i = 0; i < n; ++i) {
      const int col = i % c;
      const int row = i / c;
      out.cards.push_back({left + static_cast<float>(col) * (out.cardWidth + gap),
                           y + static_cast<float>(row) * (out.cardHeight + gap), out.cardWidth, out.cardHeight});
    }
    y += static_cast<float>((n + c - 1) / c) * (out.cardHeight + gap);
  }
  out.fonts.value = wallFontSize(std::min(kValueType * out.cardHeight, kValueTypeW * out.cardWidth));
  out.fonts.label = wallFontSize(kLabelType * out.cardHeight);
  out.fonts.small = wallFontSize(std::max(kSmallType * out.cardHeight, kFooterType * footerH));
  out.fonts.small = std::min(out.fonts.small, out.fonts.label);
  return out;
}

}  // namespace gt::viewer
