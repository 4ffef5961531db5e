#pragma once
// The trend charts of an indicators report (docs/indicators.md "Report"): an indicator's values over time drawn
// into an RGBA buffer on the CPU - axes with numbered ticks (a built-in 5x7 pixel font: digits and . - : % + e),
// the 2025 target as a dashed green line (with its tolerance band for an "about" target), the values as a blue line
// with a dot per value (the last one larger) - and written as PNG. No GL, no fonts: any thread, any machine.
// Titles, units and captions are the HTML's business.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/runtime/indicator_board.hpp"

namespace gt::viewer {

struct ChartInput {
  std::vector<runtime::IndicatorTrendPoint> points;  // by x; x = clock time (microseconds) or, when yearly, a year
  bool yearly = false;
  std::optional<double> target;
  double tolerance = 0;  // > 0: the band target ± tolerance is shaded
};

// An RGBA8 image, rows top-down.
struct ChartImage {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> rgba;
  std::uint32_t pixel(int x, int y) const;  // 0xRRGGBBAA; 0 outside the image
};

// Where a chart puts things: the plot rectangle in pixels (x right, y down) and the value ranges it spans.
struct ChartFrame {
  int left = 0, top = 0, right = 0, bottom = 0;  // the plot area, inclusive
  double x0 = 0, x1 = 1;                         // x at left, right
  double y0 = 0, y1 = 1;                         // value at bottom, top (nice tick multiples)
  double yStep = 1;                              // between y ticks
  int toPixelX(double x) const;
  int toPixelY(double value) const;
};
ChartFrame chartFrame(const ChartInput& input, int width, int height);

// Colours (0xRRGGBBAA).
inline constexpr std::uint32_t kChartBackground = 0xFFFFFFFF;
inline constexpr std::uint32_t kChartValue = 0x1565C0FF;
inline constexpr std::uint32_t kChartTarget = 0x2E7D32FF;
inline constexpr std::uint32_t kChartBand = 0xE3F2E4FF;

ChartImage drawTrendChart(const ChartInput& input, int width = 640, int height = 220);

// As PNG (the OSG png plugin). IoError naming the path when it cannot be written.
Status writeChartPng(const ChartImage& image, const std::string& path);

}  // namespace gt::viewer
