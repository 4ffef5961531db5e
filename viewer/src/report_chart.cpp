#include "report_chart.hpp"

#include <osg/Image>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "greentwin/viewer/app.hpp"
#include "report_text.hpp"

namespace gt::viewer {
namespace {

constexpr std::uint32_t kAxis = 0x757575FF;
constexpr std::uint32_t kGrid = 0xE6E6E6FF;
constexpr std::uint32_t kText = 0x424242FF;
constexpr int kFontScale = 2;                       // 5x7 glyphs drawn 10x14
constexpr int kGlyphAdvance = 6 * kFontScale;       // glyph and a column of space
constexpr int kGlyphHeight = 7 * kFontScale;
constexpr Duration kHour = 3600 * kMicrosPerSecond;
constexpr Duration kBeijingOffset = 8 * kHour;

// 5x7 glyphs, one row per byte, the high bit of the low five the leftmost pixel.
struct Glyph {
  char c;
  std::uint8_t rows[7];
};
constexpr Glyph kFont[] = {
    {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}}, {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
    {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}}, {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
    {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}}, {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
    {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}}, {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
    {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}}, {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
    {'.', {0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C}}, {'-', {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}},
    {':', {0x00, 0x0C, 0x0C, 0x00, 0x0C, 0x0C, 0x00}}, {'%', {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03}},
    {'+', {0x00, 0x04, 0x04, 0x1F, 0x04, 0x04, 0x00}}, {'e', {0x00, 0x00, 0x0E, 0x11, 0x1F, 0x10, 0x0E}},
};

class Canvas {
 public:
  Canvas(int width, int height) {
    image_.width = width;
    image_.height = height;
    image_.rgba.resize(static_cast<std::size_t>(width) * height * 4);
    fill(0, 0, width - 1, height - 1, kChartBackground);
  }

  void set(int x, int y, std::uint32_t c) {
    if (x < 0 || y < 0 || x >= image_.width || y >= image_.height) return;
    std::uint8_t* p = &image_.rgba[(static_cast<std::size_t>(y) * image_.width + x) * 4];
    p[0] = static_cast<std::uint8_t>(c >> 24);
    p[1] = static_cast<std::uint8_t>(c >> 16);
    p[2] = static_cast<std::uint8_t>(c >> 8);
    p[3] = static_cast<std::uint8_t>(c);
  }
  void fill(int x0, int y0, int x1, int y1, std::uint32_t c) {
    for (int y = std::min(y0, y1); y <= std::max(y0, y1); ++y) {
      for (int x = std::min(x0, x1); x <= std::max(x0, x1); ++x) set(x, y, c);
    }
  }
  // A line `thickness` pixels wide; `dash` > 0: `dash` pixels drawn, `dash` left out, along the longer axis.
  void line(int x0, int y0, int x1, int y1, std::uint32_t c, int thickness = 1, int dash = 0) {
    const int dx = std::abs(x1 - x0), sx = x0 < x1 ? 1 : -1;
    const int dy = -std::abs(y1 - y0), sy = y0 < y1 ? 1 : -1;
    int err = dx + dy;
    for (int step = 0;; ++step) {
      if (dash <= 0 || (step / dash) % 2 == 0) fill(x0, y0, x0 + thickness - 1, y0 + thickness - 1, c);
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * err;
      if (e2 >= dy) {
        err += dy;
        x0 += sx;
      }
      if (e2 <= dx) {
        err += dx;
        y0 += sy;
      }
    }
  }
  void disc(int cx, int cy, int r, std::uint32_t c) {
    for (int y = -r; y <= r; ++y) {
      for (int x = -r; x <= r; ++x) {
        if (x * x + y * y <= r * r + r) set(cx + x, cy + y, c);
      }
    }
  }
  // Text with its top left at (x, y); characters the font lacks leave a space.
  void text(int x, int y, const std::string& s, std::uint32_t c) {
    for (char ch : s) {
      for (const Glyph& g : kFont) {
        if (g.c != ch) continue;
        for (int row = 0; row < 7; ++row) {
          for (int col = 0; col < 5; ++col) {
            if ((g.rows[row] >> (4 - col)) & 1) {
              fill(x + col * kFontScale, y + row * kFontScale, x + (col + 1) * kFontScale - 1,
                   y + (row + 1) * kFontScale - 1, c);
            }
          }
        }
      }
      x += kGlyphAdvance;
    }
  }
  static int textWidth(const std::string& s) { return static_cast<int>(s.size()) * kGlyphAdvance - kFontScale; }

  ChartImage take() { return std::move(image_); }

 private:
  ChartImage image_;
};

// 1, 2, 2.5 or 5 times a power of ten, at least `raw`.
double niceStep(double raw) {
  if (!(raw > 0)) return 1.0;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    if (m * magnitude >= raw * (1 - 1e-9)) return m * magnitude;
  }
  return 10.0 * magnitude;
}

std::string tickText(double v, double step) {
  char buf[32];
  if (std::abs(v) < step * 1e-6) v = 0;  // no "-0" or "1e-17" at the axis
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// Clock ticks: every 1, 2, 3, 4, 6, 12 or 24 hours (Beijing time), at most 7 across the span.
Duration timeTickStep(double span) {
  for (int hours : {1, 2, 3, 4, 6, 12, 24, 48, 72, 168}) {
    if (span / static_cast<double>(hours * kHour) <= 6.0) return hours * kHour;
  }
  return 336 * kHour;
}

std::string timeTickText(TimePoint t, Duration step) {
  const std::string s = reportShortTime(t);  // 2026-07-15 17:30
  if (s.size() < 16) return s;
  return step >= 24 * kHour ? s.substr(5, 5) : s.substr(11, 5);  // "07-15" or "17:30"
}

}  // namespace

std::uint32_t ChartImage::pixel(int x, int y) const {
  if (x < 0 || y < 0 || x >= width || y >= height) return 0;
  const std::uint8_t* p = &rgba[(static_cast<std::size_t>(y) * width + x) * 4];
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) | p[3];
}

int ChartFrame::toPixelX(double x) const {
  if (x1 == x0) return (left + right) / 2;
  return left + static_cast<int>(std::lround((x - x0) / (x1 - x0) * (right - left)));
}

int ChartFrame::toPixelY(double value) const {
  if (y1 == y0) return (top + bottom) / 2;
  return bottom - static_cast<int>(std::lround((value - y0) / (y1 - y0) * (bottom - top)));
}

ChartFrame chartFrame(const ChartInput& input, int width, int height) {
  ChartFrame f;
  double lo = HUGE_VAL, hi = -HUGE_VAL;
  for (const runtime::IndicatorTrendPoint& p : input.points) {
    if (!std::isfinite(p.value)) continue;
    lo = std::min(lo, p.value);
    hi = std::max(hi, p.value);
  }
  if (input.target) {
    lo = std::min(lo, *input.target - input.tolerance);
    hi = std::max(hi, *input.target + input.tolerance);
  }
  if (lo > hi) lo = 0, hi = 1;  // nothing to show
  if (hi - lo < 1e-9 * std::max(1.0, std::abs(hi))) {  // one value: a band around it
    const double pad = lo == 0 ? 1.0 : std::abs(lo) * 0.1;
    lo -= pad;
    hi += pad;
  }
  f.yStep = niceStep((hi - lo) / 4.0);
  f.y0 = std::floor(lo / f.yStep + 1e-9) * f.yStep;
  f.y1 = std::ceil(hi / f.yStep - 1e-9) * f.yStep;
  if (f.y1 <= f.y0) f.y1 = f.y0 + f.yStep;

  if (!input.points.empty()) {
    f.x0 = input.points.front().x;
    f.x1 = input.points.back().x;
  }
  if (f.x1 <= f.x0) {  // a single point (or none): centred in a span of one step
    const double half = input.yearly ? 1.0 : static_cast<double>(kHour);
    f.x0 -= half;
    f.x1 += half;
  }

  int labelWidth = 0;
  for (double v = f.y0; v <= f.y1 + f.yStep * 1e-6; v += f.yStep) {
    labelWidth = std::max(labelWidth, Canvas::textWidth(tickText(v, f.yStep)));
  }
  f.left = labelWidth + 14;
  f.right = width - 1 - 14;
  f.top = 10;
  f.bottom = height - 1 - (kGlyphHeight + 12);
  return f;
}

ChartImage drawTrendChart(const ChartInput& input, int width, int height) {
  Canvas canvas(width, height);
  const ChartFrame f = chartFrame(input, width, height);

  // Target band, grid and y labels.
  if (input.target && input.tolerance > 0) {
    canvas.fill(f.left, f.toPixelY(*input.target + input.tolerance), f.right, f.toPixelY(*input.target - input.tolerance),
                kChartBand);
  }
  for (double v = f.y0; v <= f.y1 + f.yStep * 1e-6; v += f.yStep) {
    const int y = f.toPixelY(v);
    canvas.line(f.left, y, f.right, y, kGrid);
    const std::string label = tickText(v, f.yStep);
    canvas.text(f.left - 8 - Canvas::textWidth(label), y - kGlyphHeight / 2, label, kText);
  }

  // x ticks and labels.
  const auto xTick = [&](double x, const std::string& label) {
    const int px = f.toPixelX(x);
    canvas.line(px, f.bottom, px, f.bottom + 4, kAxis);
    const int w = Canvas::textWidth(label);
    canvas.text(std::clamp(px - w / 2, 0, width - w), f.bottom + 8, label, kText);
  };
  if (input.yearly) {
    const int first = static_cast<int>(std::ceil(f.x0)), last = static_cast<int>(std::floor(f.x1));
    const int every = std::max(1, (last - first) / 6 + 1);
    for (int year = first; year <= last; year += every) xTick(year, std::to_string(year));
  } else {
    const Duration step = timeTickStep(f.x1 - f.x0);
    // The first tick at or after x0 on the Beijing clock's grid of `step`.
    const auto x0 = static_cast<TimePoint>(std::ceil(f.x0));
    TimePoint t = x0 + kBeijingOffset;
    t = (t / step + (t % step != 0 ? 1 : 0)) * step - kBeijingOffset;
    for (; t <= f.x1; t += step) xTick(static_cast<double>(t), timeTickText(t, step));
  }

  // Axes, then the target line over the grid.
  canvas.line(f.left, f.top, f.left, f.bottom, kAxis);
  canvas.line(f.left, f.bottom, f.right, f.bottom, kAxis);
  if (input.target) {
    const int y = f.toPixelY(*input.target);
    canvas.line(f.left + 1, y, f.right, y, kChartTarget, 2, 8);
  }

  // The values: a line between neighbours, a dot each, the last (the report's time) larger.
  const runtime::IndicatorTrendPoint* previous = nullptr;
  for (const runtime::IndicatorTrendPoint& p : input.points) {
    if (!std::isfinite(p.value)) {
      previous = nullptr;  // a gap
      continue;
    }
    if (previous != nullptr) {
      canvas.line(f.toPixelX(previous->x), f.toPixelY(previous->value), f.toPixelX(p.x), f.toPixelY(p.value),
                  kChartValue, 2);
    }
    previous = &p;
  }
  for (std::size_t i = 0; i < input.points.size(); ++i) {
    const runtime::IndicatorTrendPoint& p = input.points[i];
    if (!std::isfinite(p.value)) continue;
    canvas.disc(f.toPixelX(p.x), f.toPixelY(p.value), i + 1 == input.points.size() ? 5 : 3, kChartValue);
  }
  return canvas.take();
}

Status writeChartPng(const ChartImage& image, const std::string& path) {
  osg::ref_ptr<osg::Image> out = new osg::Image;
  out->allocateImage(image.width, image.height, 1, GL_RGBA, GL_UNSIGNED_BYTE);
  // osg::Image rows are bottom-up (GL's order), which writePng expects.
  const std::size_t rowBytes = static_cast<std::size_t>(image.width) * 4;
  for (int y = 0; y < image.height; ++y) {
    std::memcpy(out->data(0, image.height - 1 - y), &image.rgba[static_cast<std::size_t>(y) * rowBytes], rowBytes);
  }
  return writePng(*out, path);
}

}  // namespace gt::viewer
