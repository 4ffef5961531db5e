// The trend charts (report_chart.cpp): the frame's ranges and ticks worked out by hand, the values, target line and
// tolerance band where the frame puts them, gaps left open, and the PNG written at the chart's size, not blank.
#include "report_chart.hpp"

#include <gtest/gtest.h>
#include <osgDB/ReadFile>

#include <cmath>
#include <cstring>
#include <limits>

#include "golden_image.hpp"
#include "test_folder.hpp"

namespace gt::viewer {
namespace {

constexpr double kHour = 3600.0 * 1e6;
constexpr double kT0 = 1795570200.0 * 1e6;  // 2026-11-25T09:30:00+08:00

ChartInput hourly(std::vector<double> values, std::optional<double> target = std::nullopt, double tolerance = 0) {
  ChartInput input;
  for (std::size_t i = 0; i < values.size(); ++i) input.points.push_back({kT0 + static_cast<double>(i) * kHour, values[i]});
  input.target = target;
  input.tolerance = tolerance;
  return input;
}

std::size_t pixelsOf(const ChartImage& image, std::uint32_t colour) {
  std::size_t n = 0;
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) n += image.pixel(x, y) == colour ? 1 : 0;
  }
  return n;
}

TEST(ReportChart, FrameSpansValuesAndTargetInNiceSteps) {
  // 36.5..37.25 and a target of 40: a quarter of 3.5 is 0.875, the next nice step 1, so 36..40.
  const ChartFrame f = chartFrame(hourly({36.5, 37.0, 37.25}, 40.0), 640, 220);
  EXPECT_DOUBLE_EQ(f.yStep, 1.0);
  EXPECT_DOUBLE_EQ(f.y0, 36.0);
  EXPECT_DOUBLE_EQ(f.y1, 40.0);
  EXPECT_DOUBLE_EQ(f.x0, kT0);
  EXPECT_DOUBLE_EQ(f.x1, kT0 + 2 * kHour);
  EXPECT_EQ(f.top, 10);
  EXPECT_EQ(f.right, 640 - 1 - 14);
  EXPECT_EQ(f.bottom, 220 - 1 - (14 + 12));
  EXPECT_EQ(f.toPixelY(36.0), f.bottom);
  EXPECT_EQ(f.toPixelY(40.0), f.top);
  EXPECT_EQ(f.toPixelX(kT0), f.left);
  EXPECT_EQ(f.toPixelX(kT0 + 2 * kHour), f.right);
  // An about-target's band widens the range: 0.5..3 and 20 +/- 2 span 0.5..22; a quarter of 21.5 is 5.375, the
  // next nice step 10, so 0..30.
  const ChartFrame band = chartFrame(hourly({0.5, 3.0}, 20.0, 2.0), 640, 220);
  EXPECT_DOUBLE_EQ(band.yStep, 10.0);
  EXPECT_DOUBLE_EQ(band.y0, 0.0);
  EXPECT_DOUBLE_EQ(band.y1, 30.0);
  // One value and no target: a band of 10 % around it.
  const ChartFrame one = chartFrame(hourly({50.0}), 640, 220);
  EXPECT_LE(one.y0, 45.0);
  EXPECT_GE(one.y1, 55.0);
  EXPECT_DOUBLE_EQ(one.x0, kT0 - kHour);  // a single time centred in two hours
  EXPECT_DOUBLE_EQ(one.x1, kT0 + kHour);
}

TEST(ReportChart, ValuesAndTargetAreDrawnWhereTheFrameSays) {
  const ChartInput input = hourly({36.5, 37.0, 37.25}, 40.0);
  const ChartImage image = drawTrendChart(input, 640, 220);
  ASSERT_EQ(image.width, 640);
  ASSERT_EQ(image.height, 220);
  ASSERT_EQ(image.rgba.size(), 640u * 220u * 4u);
  const ChartFrame f = chartFrame(input, 640, 220);
  // Every value's dot, the last one (radius 5) too.
  for (const auto& p : input.points) {
    EXPECT_EQ(image.pixel(f.toPixelX(p.x), f.toPixelY(p.value)), kChartValue) << p.value;
  }
  // The last dot is larger (radius 5) than the others (3): 4 px above the centre is inside it only.
  EXPECT_EQ(image.pixel(f.toPixelX(kT0 + 2 * kHour), f.toPixelY(37.25) - 4), kChartValue);
  EXPECT_NE(image.pixel(f.toPixelX(kT0 + kHour), f.toPixelY(37.0) - 4), kChartValue);
  // The dashed target line (2 px, 8 on 8 off) along y(40): about half its length is drawn.
  std::size_t dashed = 0;
  for (int x = f.left + 1; x <= f.right; ++x) dashed += image.pixel(x, f.toPixelY(40.0)) == kChartTarget ? 1 : 0;
  const auto length = static_cast<std::size_t>(f.right - f.left);
  EXPECT_GT(dashed, length * 4 / 10);
  EXPECT_LT(dashed, length * 6 / 10);
  // Not blank: the background plus value, target, axis, grid and text pixels.
  EXPECT_EQ(image.pixel(0, 0), kChartBackground);
  EXPECT_GT(pixelsOf(image, kChartValue), 500u);
  EXPECT_LT(pixelsOf(image, kChartBackground), 640u * 220u * 98 / 100);
  EXPECT_EQ(pixelsOf(image, kChartBand), 0u);  // no tolerance, no band
}

TEST(ReportChart, ToleranceBandIsShaded) {
  const ChartInput input = hourly({0.5, 3.0}, 20.0, 2.0);
  const ChartImage image = drawTrendChart(input);
  const ChartFrame f = chartFrame(input, 640, 220);
  // Inside the band (21 = between the target line and its edge), away from the dashes' rows.
  EXPECT_EQ(image.pixel((f.left + f.right) / 2, f.toPixelY(21.0)), kChartBand);
  EXPECT_EQ(image.pixel((f.left + f.right) / 2, f.toPixelY(25.0)), kChartBackground);
}

TEST(ReportChart, AGapIsNotBridged) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const ChartInput gap = hourly({1.0, nan, 1.0});
  const ChartInput full = hourly({1.0, 1.0, 1.0});
  const ChartFrame f = chartFrame(gap, 640, 220);
  // Halfway between the first and the missing time: the line at y(1) is drawn without the gap only.
  const int x = f.toPixelX(kT0 + 0.5 * kHour), y = f.toPixelY(1.0);
  EXPECT_EQ(drawTrendChart(full).pixel(x, y), kChartValue);
  EXPECT_NE(drawTrendChart(gap).pixel(x, y), kChartValue);
}

TEST(ReportChart, YearlyFiguresUseYearsOnTheAxis) {
  ChartInput input;
  input.yearly = true;
  input.points = {{2022, 2.9}, {2023, 2.75}, {2024, 2.64}};
  input.target = 2.64;
  const ChartFrame f = chartFrame(input, 640, 220);
  EXPECT_DOUBLE_EQ(f.x0, 2022.0);
  EXPECT_DOUBLE_EQ(f.x1, 2024.0);
  const ChartImage image = drawTrendChart(input);
  EXPECT_EQ(image.pixel(f.toPixelX(2023), f.toPixelY(2.75)), kChartValue);
}

TEST(ReportChart, PngHasTheChartsSizeAndPixels) {
  gt::testing::TestFolder folder("report_chart");
  const ChartImage image = drawTrendChart(hourly({36.5, 37.0, 37.25}, 40.0), 320, 120);
  const std::string path = folder.file("trend_01.png");
  ASSERT_TRUE(writeChartPng(image, path));
  osg::ref_ptr<osg::Image> read = osgDB::readImageFile(path);
  ASSERT_TRUE(read.valid());
  ASSERT_EQ(read->s(), 320);
  ASSERT_EQ(read->t(), 120);
  ASSERT_EQ(read->getPixelFormat(), static_cast<GLenum>(GL_RGBA));
  // Row for row the chart (osg::Image rows are bottom-up).
  for (int y = 0; y < 120; ++y) {
    ASSERT_EQ(std::memcmp(read->data(0, 119 - y), &image.rgba[static_cast<std::size_t>(y) * 320 * 4], 320 * 4), 0)
        << "row " << y;
  }
  EXPECT_GT(gt::testing::luminanceStdDev(*read), 10.0);

  const Status bad = writeChartPng(image, folder.file("no/such/folder/x.png"));
  EXPECT_FALSE(bad);
  EXPECT_NE(bad.message().find("no/such/folder/x.png"), std::string::npos) << bad.message();
}

}  // namespace
}  // namespace gt::viewer
