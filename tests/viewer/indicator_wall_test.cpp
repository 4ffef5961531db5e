// The indicators' wall view (indicator_wall.hpp): which rows it shows, and the demo's wall without live feeds against
// goldens — all 18 at full HD in Chinese and in English, and five chosen indicators ([display] indicator_wall) at 4K —
// drawn by renderOffscreen as `greentwin render --indicator-wall` draws it.
#include "indicator_wall.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "golden_image.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"

namespace gt::viewer {
namespace {

constexpr int kTolerance = 24;  // per channel: llvmpipe builds may round differently at edges

runtime::IndicatorRow row(int number, const std::string& group) {
  runtime::IndicatorRow r;
  r.number = number;
  r.group = group;
  return r;
}

std::vector<int> numbers(const std::vector<runtime::IndicatorRow>& rows) {
  std::vector<int> out;
  for (const runtime::IndicatorRow& r : rows) out.push_back(r.number);
  return out;
}

TEST(IndicatorWall, ShowsTheChosenRowsInTheBoardsOrder) {
  const std::vector<runtime::IndicatorRow> board{row(1, "a"), row(5, "a"), row(9, "b"), row(14, "c"), row(17, "c")};
  EXPECT_EQ(numbers(indicatorWallRows(board, {})), (std::vector<int>{1, 5, 9, 14, 17}));
  EXPECT_EQ(numbers(indicatorWallRows(board, {17, 5, 14})), (std::vector<int>{5, 14, 17}));
  EXPECT_EQ(numbers(indicatorWallRows(board, {18})), std::vector<int>{});  // a number the board lacks: left out
  EXPECT_STREQ(indicatorWallTitle(Language::Chinese), "指标大屏");
  EXPECT_STREQ(indicatorWallTitle(Language::English), "Indicator wall");
}

// The demo with a fixed, paused clock and no live feed (as indicator_panel_test), so the wall is the same every run.
std::unique_ptr<runtime::Twin> demoWithoutFeeds(std::vector<int> wall) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  std::erase_if(config->sources, [](const SourceConfig& s) { return s.type == "zmq"; });
  config->clock.mode = "paused";
  config->clock.start = *parseIsoTime("2026-11-25T00:00:00+08:00");
  config->clock.end = *parseIsoTime("2026-11-26T00:00:00+08:00");
  config->display.indicatorWall = std::move(wall);
  auto twin = runtime::Twin::create(*config);
  EXPECT_TRUE(twin) << twin.status().message();
  return std::move(*twin);
}

osg::ref_ptr<osg::Image> renderWall(Language language, int width, int height, std::vector<int> wall = {}) {
  auto twin = demoWithoutFeeds(std::move(wall));
  RenderRequest request;
  request.width = width;
  request.height = height;
  request.language = language;
  request.time = *parseIsoTime("2026-11-25T09:30:00+08:00");
  request.indicatorWall = true;
  auto image = renderOffscreen(*twin, request);
  EXPECT_TRUE(image) << image.status().message();
  return image ? *image : osg::ref_ptr<osg::Image>();
}

TEST(IndicatorWall, AllEighteenInChineseAtFullHdMatchTheGolden) {
  osg::ref_ptr<osg::Image> image = renderWall(Language::Chinese, 1920, 1080);
  ASSERT_TRUE(image.valid());
  const std::string failure = testing::checkAgainstGolden(*image, "indicator_wall_zh", kTolerance, 0.005);
  EXPECT_TRUE(failure.empty()) << failure;
}

TEST(IndicatorWall, AllEighteenInEnglishAtFullHdMatchTheGolden) {
  osg::ref_ptr<osg::Image> image = renderWall(Language::English, 1920, 1080);
  ASSERT_TRUE(image.valid());
  const std::string failure = testing::checkAgainstGolden(*image, "indicator_wall_en", kTolerance, 0.005);
  EXPECT_TRUE(failure.empty()) << failure;
}

TEST(IndicatorWall, FiveChosenAtFourKMatchTheGolden) {
  osg::ref_ptr<osg::Image> image = renderWall(Language::Chinese, 3840, 2160, {5, 6, 14, 17, 18});
  ASSERT_TRUE(image.valid());
  const std::string failure = testing::checkAgainstGolden(*image, "indicator_wall_five_4k_zh", kTolerance, 0.005);
  EXPECT_TRUE(failure.empty()) << failure;
}

}  // namespace
}  // namespace gt::viewer
