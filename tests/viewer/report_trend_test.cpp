// The report's rows and trend (report_trend.cpp): the trend's times worked out by hand, and a twin (the demo's
// real layers, no plugins: every computed indicator without a value) recomputed at each of them, its clock left
// paused at the report's time, a time outside the clock's range included.
#include "report_trend.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <utility>
#include <vector>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

constexpr TimePoint kT = 1795570200LL * kMicrosPerSecond;  // 2026-11-25T09:30:00+08:00
constexpr Duration kHour = 3600LL * kMicrosPerSecond;

TEST(ReportTrend, TimesRunFromTheSpansStartToTheEndInSteps) {
  EXPECT_EQ(trendTimes({kT, 3 * kHour, kHour}), (std::vector<TimePoint>{kT - 3 * kHour, kT - 2 * kHour, kT - kHour, kT}));
  // A span that is no multiple of the step: the end is still the last time.
  EXPECT_EQ(trendTimes({kT, 5 * kHour / 2, kHour}),
            (std::vector<TimePoint>{kT - 5 * kHour / 2, kT - 3 * kHour / 2, kT - kHour / 2, kT}));
  // No span or no step: the end alone.
  EXPECT_EQ(trendTimes({kT, 0, kHour}), std::vector<TimePoint>{kT});
  EXPECT_EQ(trendTimes({kT, kHour, 0}), std::vector<TimePoint>{kT});
}

std::unique_ptr<runtime::Twin> twinWithoutPlugins() {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  if (!config) return nullptr;
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.synthetic; });
  config->plugins.enabled.clear();
  config->sources.clear();
  auto twin = runtime::Twin::create(std::move(*config), {}, runtime::LoadMode::Synchronous);
  EXPECT_TRUE(twin) << twin.status().message();
  return twin ? std::move(*twin) : nullptr;
}

TEST(ReportTrend, TimelineRecomputesEachTimeAndLeavesTheClockAtTheEnd) {
  auto twin = twinWithoutPlugins();
  ASSERT_NE(twin, nullptr);
  // Ten days before the machine's clock, outside the clock's default day of history: the range is widened.
  std::vector<std::pair<std::size_t, std::size_t>> progress;
  auto timeline = indicatorTimeline(*twin, runtime::districtArea(), {kT, 2 * kHour, kHour},
                                    [&progress](std::size_t i, std::size_t n) { progress.emplace_back(i, n); });
  ASSERT_TRUE(timeline) << timeline.status().message();
  EXPECT_EQ(progress, (std::vector<std::pair<std::size_t, std::size_t>>{{1, 3}, {2, 3}, {3, 3}}));
  EXPECT_EQ(timeline->source, "recomputed");
  EXPECT_EQ(twin->clock().now(), kT);
  EXPECT_EQ(twin->clock().mode(), ClockMode::Paused);

  ASSERT_EQ(timeline->rows.size(), 18u);
  std::set<int> computed;
  for (const runtime::IndicatorRow& row : timeline->rows) {
    if (row.source != runtime::IndicatorSource::Statistics && !row.group.empty()) computed.insert(row.number);
  }
  EXPECT_GE(computed.size(), 10u);  // the catalog's computed indicators
  // A trend for each computed indicator only, one point per time, no value without plugins (NaN, not 0).
  std::set<int> trended;
  for (const auto& [number, points] : timeline->trends) {
    trended.insert(number);
    ASSERT_EQ(points.size(), 3u) << number;
    EXPECT_EQ(points[0].x, static_cast<double>(kT - 2 * kHour)) << number;
    EXPECT_EQ(points[1].x, static_cast<double>(kT - kHour)) << number;
    EXPECT_EQ(points[2].x, static_cast<double>(kT)) << number;
    for (const runtime::IndicatorTrendPoint& p : points) EXPECT_TRUE(std::isnan(p.value)) << number;
  }
  EXPECT_EQ(trended, computed);
}

TEST(ReportTrend, RowsAtATimeAreTheBoardsForTheDistrict) {
  auto twin = twinWithoutPlugins();
  ASSERT_NE(twin, nullptr);
  auto rows = indicatorRowsAt(*twin, runtime::districtArea(), kT - kHour);
  ASSERT_TRUE(rows) << rows.status().message();
  ASSERT_EQ(rows->size(), twin->indicators().rows().size());
  for (std::size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*rows)[i].number, twin->indicators().rows()[i].number);
    EXPECT_FALSE((*rows)[i].districtFigure);
  }
  EXPECT_EQ(twin->clock().now(), kT - kHour);
}

}  // namespace
}  // namespace gt::viewer
