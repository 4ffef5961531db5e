// The status rule (runtime/indicators.hpp; docs/indicators.md "Status") on hand-made numbers for each direction:
// on the path, ahead of it, behind it, met, no baseline, no data.
#include <gtest/gtest.h>

#include <cmath>

#include "greentwin/runtime/indicators.hpp"

namespace gt::runtime {
namespace {

IndicatorDefinition indicator(TargetDirection direction, double target, double tolerance = 0.0) {
  IndicatorDefinition d;
  d.number = 1;
  d.direction = direction;
  d.target = target;
  d.tolerance = tolerance;
  d.targetYear = 2025;
  return d;
}

IndicatorStatus status(const IndicatorDefinition& d, int year, double value, std::optional<IndicatorBaseline> start) {
  return assessIndicator(d, year, value, start).status;
}

constexpr IndicatorStatus kMet = IndicatorStatus::Met;
constexpr IndicatorStatus kOnTrack = IndicatorStatus::OnTrack;
constexpr IndicatorStatus kOffTrack = IndicatorStatus::OffTrack;
constexpr IndicatorStatus kNoData = IndicatorStatus::NoData;

TEST(IndicatorStatus, AtLeastAgainstTheStraightPathFromTheBaseline) {
  const IndicatorDefinition d = indicator(TargetDirection::AtLeast, 40.0);
  const IndicatorBaseline start{2020, 30.0};
  // 2023: 30 + (40 - 30) * 3/5 = 36.
  const IndicatorAssessment onPath = assessIndicator(d, 2023, 36.0, start);
  EXPECT_EQ(onPath.status, kOnTrack);
  ASSERT_TRUE(onPath.expected.has_value());
  EXPECT_DOUBLE_EQ(*onPath.expected, 36.0);
  EXPECT_EQ(status(d, 2023, 37.5, start), kOnTrack);   // ahead
  EXPECT_EQ(status(d, 2023, 35.9, start), kOffTrack);  // behind
  EXPECT_EQ(assessIndicator(d, 2023, 35.9, start).reason, "35.9 behind the path: 36 expected in 2023 from 30 (2020)");
  EXPECT_EQ(status(d, 2023, 40.0, start), kMet);       // met early
  EXPECT_EQ(status(d, 2025, 40.0, start), kMet);
  EXPECT_EQ(status(d, 2025, 39.9, start), kOffTrack);  // the target year passed unmet
  EXPECT_EQ(status(d, 2026, 39.9, start), kOffTrack);
  EXPECT_EQ(status(d, 2020, 30.0, start), kOnTrack);   // at the baseline itself
  // No baseline: met or not, no path to be on.
  EXPECT_EQ(status(d, 2023, 41.0, std::nullopt), kMet);
  const IndicatorAssessment noPath = assessIndicator(d, 2023, 39.0, std::nullopt);
  EXPECT_EQ(noPath.status, kOffTrack);
  EXPECT_FALSE(noPath.expected.has_value());
  EXPECT_EQ(status(d, 2023, 39.0, IndicatorBaseline{2025, 30.0}), kOffTrack);  // a start at the target year: no path
  EXPECT_EQ(status(d, 2023, NAN, start), kNoData);
}

TEST(IndicatorStatus, AtMostMirrorsIt) {
  const IndicatorDefinition d = indicator(TargetDirection::AtMost, 8.0);
  const IndicatorBaseline start{2020, 12.0};
  // 2022: 12 - (12 - 8) * 2/5 = 10.4.
  EXPECT_EQ(status(d, 2022, 10.4, start), kOnTrack);
  EXPECT_DOUBLE_EQ(*assessIndicator(d, 2022, 10.4, start).expected, 10.4);
  EXPECT_EQ(status(d, 2022, 9.0, start), kOnTrack);    // ahead (lower)
  EXPECT_EQ(status(d, 2022, 10.5, start), kOffTrack);  // behind (higher)
  EXPECT_EQ(status(d, 2022, 8.0, start), kMet);
  EXPECT_EQ(status(d, 2024, 7.5, start), kMet);
  EXPECT_EQ(status(d, 2022, 8.1, std::nullopt), kOffTrack);
  EXPECT_EQ(status(d, 2022, 7.9, std::nullopt), kMet);
}

TEST(IndicatorStatus, AboutCountsTheToleranceAndPastTheTargetInTheDirectionOfProgress) {
  const IndicatorDefinition d = indicator(TargetDirection::About, 20.0, 1.0);
  const IndicatorBaseline rising{2020, 10.0};
  // Rising towards the band's lower edge 19; 2023: 10 + (19 - 10) * 3/5 = 15.4.
  EXPECT_EQ(status(d, 2023, 15.4, rising), kOnTrack);
  EXPECT_DOUBLE_EQ(*assessIndicator(d, 2023, 15.4, rising).expected, 15.4);
  EXPECT_EQ(status(d, 2023, 17.0, rising), kOnTrack);
  EXPECT_EQ(status(d, 2023, 15.0, rising), kOffTrack);
  EXPECT_EQ(status(d, 2023, 19.0, rising), kMet);  // within the tolerance
  EXPECT_EQ(status(d, 2023, 20.6, rising), kMet);
  EXPECT_EQ(status(d, 2023, 23.0, rising), kMet);  // past the target, in the direction of progress
  EXPECT_EQ(status(d, 2025, 18.9, rising), kOffTrack);
  // Falling from above towards the upper edge 21; 2022: 30 - (30 - 21) * 2/5 = 26.4.
  const IndicatorBaseline falling{2020, 30.0};
  EXPECT_EQ(status(d, 2022, 26.4, falling), kOnTrack);
  EXPECT_EQ(status(d, 2022, 26.0, falling), kOnTrack);
  EXPECT_EQ(status(d, 2022, 27.0, falling), kOffTrack);
  EXPECT_EQ(status(d, 2022, 21.0, falling), kMet);
  EXPECT_EQ(status(d, 2022, 17.0, falling), kMet);
  // No baseline: read upwards (the programme's "about" targets are all rises).
  EXPECT_EQ(status(d, 2022, 19.2, std::nullopt), kMet);
  EXPECT_EQ(status(d, 2022, 18.9, std::nullopt), kOffTrack);
}

TEST(IndicatorStatus, DeclineGreaterThanBeijingComparesTheSameYearsFigures) {
  const IndicatorDefinition d = indicator(TargetDirection::DeclineGreaterThanBeijing, 0.0);
  const IndicatorBaseline start{2020, 5.0};  // not used: the target moves with Beijing
  EXPECT_EQ(assessIndicator(d, 2021, 4.2, start, 3.5).status, kMet);
  EXPECT_EQ(assessIndicator(d, 2021, 4.2, start, 3.5).reason, "decline 4.2 > Beijing's 3.5");
  EXPECT_EQ(assessIndicator(d, 2022, 3.0, start, 3.4).status, kOffTrack);
  EXPECT_EQ(assessIndicator(d, 2022, 3.4, start, 3.4).status, kOffTrack);  // equal is not greater
  EXPECT_FALSE(assessIndicator(d, 2022, 3.0, start, 3.4).expected.has_value());
  EXPECT_EQ(assessIndicator(d, 2022, 3.0, start).status, kNoData);  // no Beijing figure
  EXPECT_EQ(assessIndicator(d, 2022, 3.0, start).reason, "no Beijing figure for 2022");
  EXPECT_EQ(assessIndicator(d, 2022, NAN, start, 3.4).status, kNoData);
}

TEST(IndicatorStatus, ThePathStartsAtTheProgrammesBaselineElseTheFirstReportedFigure) {
  IndicatorDefinition d = indicator(TargetDirection::AtLeast, 40.0);
  IndicatorSeries series;
  series.number = 1;
  series.figures = {{2020, 31.0, std::nullopt, "%", "s", 1}, {2021, 32.8, std::nullopt, "%", "s", 2},
                    {2022, 33.0, std::nullopt, "%", "s", 3}};
  auto start = pathStart(d, &series, 2022);
  ASSERT_TRUE(start.has_value());
  EXPECT_EQ(start->year, 2020);
  EXPECT_EQ(start->value, 31.0);
  EXPECT_FALSE(pathStart(d, &series, 2020).has_value());  // the first figure has nothing before it
  EXPECT_FALSE(pathStart(d, nullptr, 2022).has_value());
  // 2022 by the 2020 figure: 31 + 9 * 2/5 = 34.6 expected; 33 is behind.
  IndicatorAssessment latest = assessLatestFigure(d, &series);
  EXPECT_EQ(latest.status, kOffTrack);
  EXPECT_DOUBLE_EQ(latest.expected.value_or(0), 34.6);
  // The programme's baseline wins over the first figure: from (2019, 25) the path is at 25 + 15 * 3/6 = 32.5 in 2022,
  // and 33 is on track.
  d.baseline = IndicatorBaseline{2019, 25.0};
  latest = assessLatestFigure(d, &series);
  EXPECT_EQ(latest.status, kOnTrack);
  EXPECT_DOUBLE_EQ(latest.expected.value_or(0), 32.5);
  // A series with a problem has no data whatever its figures.
  series.problems.push_back({"s.toml", 7, "indicator[0].figures[1].year", "is missing", 1});
  series.figures.clear();
  latest = assessLatestFigure(d, &series);
  EXPECT_EQ(latest.status, kNoData);
  EXPECT_EQ(latest.reason, "s.toml:7: 'indicator[0].figures[1].year' is missing");
  EXPECT_EQ(assessLatestFigure(d, nullptr).status, kNoData);
}

TEST(IndicatorStatus, Names) {
  EXPECT_STREQ(indicatorStatusName(kMet), "met");
  EXPECT_STREQ(indicatorStatusName(kOnTrack), "on track");
  EXPECT_STREQ(indicatorStatusName(kOffTrack), "off track");
  EXPECT_STREQ(indicatorStatusName(kNoData), "no data");
  EXPECT_STREQ(indicatorStatusNameZh(kOffTrack), "进度滞后");
}

}  // namespace
}  // namespace gt::runtime
