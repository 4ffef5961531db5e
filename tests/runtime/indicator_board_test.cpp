// The indicators dashboard's data (runtime/indicator_board.hpp; docs/indicators.md "Dashboard"): rows from a
// hand-made catalog, statistics and a fake KPI source, whose values and statuses are worked out by hand; and the
// bundled files, whose reported statuses docs/indicators.md lists.
#include <gtest/gtest.h>

#include <chrono>
#include <map>

#include "greentwin/runtime/indicator_board.hpp"

namespace gt::runtime {
namespace {

TimePoint at(const char* iso) { return *parseIsoTime(iso); }

// A KPI source with readings and trends set by the test.
class FakeKpis : public IndicatorKpiSource {
 public:
  const std::vector<PluginKpiReading>& kpiReadings() const override { return readings; }
  const std::deque<PluginKpiTrendPoint>& kpiTrend(const std::string& kpiId) const override {
    static const std::deque<PluginKpiTrendPoint> kNone;
    const auto it = trends.find(kpiId);
    return it == trends.end() ? kNone : it->second;
  }
  void set(const std::string& id, double value, PluginKpiStatus status = PluginKpiStatus::Ok, TimePoint t = 0) {
    PluginKpiReading r;
    r.kpi.id = id;
    r.kpi.methodZh = "方法 " + id;
    r.kpi.methodEn = "method of " + id;
    r.value = PluginKpiValue{value, status, {}};
    r.time = t;
    readings.push_back(r);
  }
  std::vector<PluginKpiReading> readings;
  std::map<std::string, std::deque<PluginKpiTrendPoint>> trends;
};

IndicatorDefinition definition(int number, const std::string& group, TargetDirection direction, double target,
                               const std::string& unit, IndicatorSource source, const std::string& sourceId = "") {
  IndicatorDefinition d;
  d.number = number;
  d.group = group;
  d.nameZh = "指标" + std::to_string(number);
  d.nameEn = "indicator " + std::to_string(number);
  d.unit = unit;
  d.unitZh = unit;
  d.direction = direction;
  d.target = target;
  d.targetZh = "目标" + std::to_string(number);
  d.source = source;
  d.sourceId = sourceId;
  return d;
}

// Two groups, listed in the catalog's order "living" before "production" to see that the rows follow it:
//  #1 production, reported, >= 40 %;   #5 production, KPI energy.co2_per_person, <= 2.64;
//  #14 living, method air.pm25_annual_mean, <= 32;   #16 living, reported, class <= 4;
//  #12 living, reported, with a bad figure;   #9 production, reported, absent from the statistics.
IndicatorCatalog catalog() {
  IndicatorCatalog c;
  c.titleZh = "主要指标";
  c.titleEn = "Main indicators";
  c.groups = {{"living", "绿色生活", "Green living"}, {"production", "绿色生产", "Green production"}};
  c.indicators = {
      definition(1, "production", TargetDirection::AtLeast, 40, "%", IndicatorSource::Statistics),
      definition(5, "production", TargetDirection::AtMost, 2.64, "t CO2/person/yr", IndicatorSource::Kpi,
                 "energy.co2_per_person"),
      definition(9, "production", TargetDirection::AtLeast, 100, "%", IndicatorSource::Statistics),
      definition(12, "living", TargetDirection::AtLeast, 40, "%", IndicatorSource::Statistics),
      definition(14, "living", TargetDirection::AtMost, 32, "ug/m3", IndicatorSource::Computed, "air.pm25_annual_mean"),
      definition(16, "living", TargetDirection::AtMost, 4, "class", IndicatorSource::Statistics),
  };
  return c;
}

IndicatorFigure figure(int year, double value, const std::string& source = "synthetic") {
  IndicatorFigure f;
  f.year = year;
  f.value = value;
  f.source = source;
  return f;
}

IndicatorStatistics statistics() {
  IndicatorStatistics s;
  s.series.push_back({1, {figure(2020, 30.0), figure(2023, 36.0)}, {}});
  s.series.push_back({5, {figure(2020, 3.4, "Yearbook 2021")}, {}});  // a reported start for the KPI's path
  IndicatorProblem bad{"statistics.toml", 9, "indicator[3].figures[0].value", "is not a number", 12};
  s.series.push_back({12, {}, {bad}});
  s.series.push_back({16, {figure(2024, 3.0, "River bulletin 2024")}, {}});
  s.problems.push_back(bad);
  return s;
}

const IndicatorRow& row(const IndicatorBoard& board, int number) {
  for (const IndicatorRow& r : board.rows()) {
    if (r.number == number) return r;
  }
  throw std::runtime_error("no row #" + std::to_string(number));
}

TEST(IndicatorBoard, RowsFollowTheCatalogsGroupsThenNumbers) {
  IndicatorBoard board(catalog(), statistics(), false);
  EXPECT_TRUE(board.rows().empty());  // nothing before the first update
  ASSERT_TRUE(board.update(FakeKpis(), at("2026-11-25T09:30:00+08:00")));
  std::vector<int> numbers;
  for (const IndicatorRow& r : board.rows()) numbers.push_back(r.number);
  EXPECT_EQ(numbers, (std::vector<int>{12, 14, 16, 1, 5, 9}));
  EXPECT_EQ(board.groups().size(), 2u);
  EXPECT_EQ(board.titleEn(), "Main indicators");
  EXPECT_TRUE(board.errors().empty());
  EXPECT_EQ(board.version(), 1u);
}

TEST(IndicatorBoard, AReportedIndicatorShowsItsLatestFigureAgainstThePathFromTheFirst) {
  IndicatorBoard board(catalog(), statistics(), false);
  board.update(FakeKpis(), at("2026-11-25T09:30:00+08:00"));
  const IndicatorRow& r = row(board, 1);
  ASSERT_TRUE(r.value.has_value());
  EXPECT_DOUBLE_EQ(*r.value, 36.0);
  EXPECT_EQ(r.year, 2023);
  // 2023 on the path from 30 (2020) to 40 (2025): 30 + 10 * 3/5 = 36, exactly on it.
  EXPECT_EQ(r.status(), IndicatorStatus::OnTrack);
  ASSERT_TRUE(r.assessment.expected.has_value());
  EXPECT_DOUBLE_EQ(*r.assessment.expected, 36.0);
  EXPECT_EQ(r.origin, IndicatorOrigin::Synthetic);  // its latest figure's source is "synthetic"
  EXPECT_EQ(r.figureSource, "synthetic");
  ASSERT_EQ(r.trend.size(), 2u);
  EXPECT_TRUE(r.trendYearly);
  EXPECT_DOUBLE_EQ(r.trend[0].x, 2020);
  EXPECT_DOUBLE_EQ(r.trend[1].value, 36.0);
  EXPECT_EQ(r.targetZh, "目标1");
  EXPECT_EQ(r.targetEn, "≥ 40%");
  EXPECT_TRUE(r.kpiId.empty());
  EXPECT_FALSE(r.methodEn.empty());
  EXPECT_TRUE(r.noDataEn.empty());

  // A figure naming its publication is "reported"; class 3 is better than IV: met.
  const IndicatorRow& river = row(board, 16);
  EXPECT_EQ(river.origin, IndicatorOrigin::Reported);
  EXPECT_EQ(river.status(), IndicatorStatus::Met);
  EXPECT_EQ(river.targetEn, "class IV or better");
}

TEST(IndicatorBoard, AReportedIndicatorWithoutFiguresIsNoDataWithTheReason) {
  IndicatorBoard board(catalog(), statistics(), false);
  board.update(FakeKpis(), at("2026-11-25T09:30:00+08:00"));
  const IndicatorRow& bad = row(board, 12);
  EXPECT_EQ(bad.status(), IndicatorStatus::NoData);
  EXPECT_FALSE(bad.value.has_value());
  EXPECT_EQ(bad.noDataEn, "bad statistics: statistics.toml:9: 'indicator[3].figures[0].value' is not a number");
  ASSERT_EQ(bad.problems.size(), 1u);
  const IndicatorRow& absent = row(board, 9);
  EXPECT_EQ(absent.status(), IndicatorStatus::NoData);
  EXPECT_EQ(absent.noDataEn, "no figures for it in statistics.toml");
  EXPECT_TRUE(absent.trend.empty());
}

TEST(IndicatorBoard, AKpiIndicatorTakesTheKpisValueTrendAndMethod) {
  FakeKpis kpis;
  const TimePoint t = at("2024-06-01T12:00:00+08:00");
  kpis.set("energy.co2_per_person", 2.75, PluginKpiStatus::Ok, t);
  kpis.trends["energy.co2_per_person"] = {{t - 2'000'000, 2.8}, {t - 1'000'000, 2.77}, {t, 2.75}};
  IndicatorBoard board(catalog(), statistics(), false);
  board.update(kpis, t);
  const IndicatorRow& r = row(board, 5);
  ASSERT_TRUE(r.value.has_value());
  EXPECT_DOUBLE_EQ(*r.value, 2.75);
  EXPECT_EQ(r.year, 2024);
  EXPECT_EQ(r.time, t);
  // Not met (2.75 > 2.64); the path from the reported 3.4 (2020) is at 3.4 + (2.64 - 3.4) * 4/5 = 2.792 in 2024:
  // 2.75 is below it, on track.
  EXPECT_EQ(r.status(), IndicatorStatus::OnTrack);
  ASSERT_TRUE(r.assessment.expected.has_value());
  EXPECT_NEAR(*r.assessment.expected, 2.792, 1e-12);
  EXPECT_EQ(r.origin, IndicatorOrigin::Computed);
  EXPECT_EQ(r.kpiId, "energy.co2_per_person");
  EXPECT_EQ(r.methodEn, "method of energy.co2_per_person");
  EXPECT_EQ(r.methodZh, "方法 energy.co2_per_person");
  ASSERT_EQ(r.trend.size(), 3u);
  EXPECT_FALSE(r.trendYearly);
  EXPECT_DOUBLE_EQ(r.trend[0].x, static_cast<double>(t - 2'000'000));
  EXPECT_DOUBLE_EQ(r.trend[2].value, 2.75);
  EXPECT_EQ(r.targetEn, "≤ 2.64 t CO2/person/yr");
}

TEST(IndicatorBoard, AKpiValueIsMetOrOffTrackByTheClocksYear) {
  FakeKpis behind;
  behind.set("energy.co2_per_person", 2.9);
  IndicatorBoard board(catalog(), statistics(), false);
  board.update(behind, at("2024-06-01T12:00:00+08:00"));
  EXPECT_EQ(row(board, 5).status(), IndicatorStatus::OffTrack);  // 2.9 > 2.792 expected in 2024
  board.update(behind, at("2026-06-01T12:00:00+08:00"));
  EXPECT_EQ(row(board, 5).status(), IndicatorStatus::OffTrack);  // after 2025, unmet is off track
  FakeKpis met;
  met.set("energy.co2_per_person", 2.64);
  board.update(met, at("2026-06-01T12:00:00+08:00"));
  EXPECT_EQ(row(board, 5).status(), IndicatorStatus::Met);  // equal to the target counts
}

TEST(IndicatorBoard, AnAnnualMethodIsReadFromThePluginKpiThatImplementsIt) {
  const IndicatorCatalog c = catalog();
  EXPECT_EQ(indicatorKpiId(*c.find(14)), "air_quality.pm25_annual_mean");
  IndicatorDefinition unknown = *c.find(14);
  unknown.sourceId = "air.no_such_method";
  EXPECT_EQ(indicatorKpiId(unknown), "");
  EXPECT_EQ(indicatorKpiId(*c.find(1)), "");

  FakeKpis kpis;
  kpis.set("air_quality.pm25_annual_mean", 33.5);
  IndicatorBoard board(catalog(), statistics(), true);
  board.update(kpis, at("2026-11-25T09:30:00+08:00"));
  const IndicatorRow& r = row(board, 14);
  ASSERT_TRUE(r.value.has_value());
  EXPECT_DOUBLE_EQ(*r.value, 33.5);
  EXPECT_EQ(r.status(), IndicatorStatus::OffTrack);  // 33.5 > 32 in 2026
  EXPECT_EQ(r.origin, IndicatorOrigin::Synthetic);   // the twin's data is synthetic
  EXPECT_EQ(row(board, 1).origin, IndicatorOrigin::Synthetic);
  EXPECT_EQ(row(board, 16).origin, IndicatorOrigin::Reported);  // a reported figure keeps its own source
}

TEST(IndicatorBoard, AKpiWithoutAValueIsNoDataAndSaysWhy) {
  const TimePoint t = at("2026-11-25T09:30:00+08:00");
  IndicatorBoard board(catalog(), statistics(), false);
  board.update(FakeKpis(), t);  // no plugin provides either KPI
  EXPECT_EQ(row(board, 5).status(), IndicatorStatus::NoData);
  EXPECT_EQ(row(board, 5).noDataEn, "no active plugin provides the KPI 'energy.co2_per_person'");
  EXPECT_EQ(row(board, 14).noDataZh, "没有已启用的插件提供 KPI air_quality.pm25_annual_mean");

  FakeKpis kpis;
  kpis.set("energy.co2_per_person", 0.0, PluginKpiStatus::NoData);
  PluginKpiReading failed;
  failed.kpi.id = "air_quality.pm25_annual_mean";
  failed.error = "plugin 'air_quality' disabled: boom";
  kpis.readings.push_back(failed);
  board.update(kpis, t);
  EXPECT_EQ(row(board, 5).status(), IndicatorStatus::NoData);
  EXPECT_FALSE(row(board, 5).value.has_value());
  EXPECT_EQ(row(board, 5).noDataEn, "the KPI has no value: its input data has not arrived (no live feed?)");
  EXPECT_EQ(row(board, 5).methodEn, "method of energy.co2_per_person");  // the method is known all the same
  EXPECT_EQ(row(board, 14).status(), IndicatorStatus::NoData);
  EXPECT_EQ(row(board, 14).noDataEn, "the KPI failed: plugin 'air_quality' disabled: boom");
}

TEST(IndicatorBoard, FileErrorsAndEntriesTheCatalogLeftOutAreShown) {
  IndicatorCatalog c = catalog();
  c.problems.push_back({"indicators.toml", 40, "indicator[6].direction", "is not one of >=, <=, ~", 7});
  IndicatorBoard board(c, Result<IndicatorStatistics>(Status(ErrorCode::ParseError, "statistics.toml:3: bad")),
                       false);
  board.update(FakeKpis(), at("2026-11-25T09:30:00+08:00"));
  ASSERT_EQ(board.rows().size(), 7u);
  const IndicatorRow& left = board.rows().back();  // after the groups
  EXPECT_EQ(left.number, 7);
  EXPECT_EQ(left.group, "");
  EXPECT_EQ(left.status(), IndicatorStatus::NoData);
  EXPECT_EQ(left.noDataEn, "bad definition: indicators.toml:40: 'indicator[6].direction' is not one of >=, <=, ~");
  EXPECT_EQ(row(board, 1).status(), IndicatorStatus::NoData);  // no statistics: every reported one
  EXPECT_EQ(row(board, 1).noDataEn, "the statistics file cannot be read: statistics.toml:3: bad");
  EXPECT_EQ(board.errors(), std::vector<std::string>{"statistics.toml:3: bad"});

  IndicatorBoard none(Result<IndicatorCatalog>(Status(ErrorCode::NotFound, "indicators.toml: no such file")),
                      statistics(), false);
  none.update(FakeKpis(), 0);
  EXPECT_TRUE(none.rows().empty());
  EXPECT_EQ(none.errors(), std::vector<std::string>{"indicators.toml: no such file"});
}

// Rows for an area (IndicatorBoard::compute(.., forArea)): reported figures are the district's, and so is a KPI the
// source says has no area function; a KPI's note says what its value covers or why there is none.
TEST(IndicatorBoard, RowsForAnAreaMarkDistrictFiguresAndCarryTheKpisNote) {
  class AreaFake : public FakeKpis {
   public:
    bool districtFigure(const std::string& kpiId) const override { return kpiId == "energy.co2_per_person"; }
  };
  IndicatorBoard board(catalog(), statistics(), false);
  AreaFake kpis;
  kpis.set("energy.co2_per_person", 2.5);
  kpis.set("air_quality.pm25_annual_mean", 0, PluginKpiStatus::NoData);
  kpis.readings.back().value->note = "no station in the area";
  const TimePoint t = at("2026-11-25T09:30:00+08:00");
  const std::vector<IndicatorRow> rows = board.compute(kpis, t, true);
  EXPECT_TRUE(board.rows().empty());  // compute() keeps nothing
  const auto find = [&](int number) -> const IndicatorRow& {
    for (const IndicatorRow& r : rows) {
      if (r.number == number) return r;
    }
    throw std::runtime_error("no row #" + std::to_string(number));
  };
  EXPECT_TRUE(find(1).districtFigure);  // reported: the district's figure
  EXPECT_DOUBLE_EQ(*find(1).value, 36.0);
  EXPECT_TRUE(find(5).districtFigure);
  EXPECT_EQ(find(5).status(), IndicatorStatus::Met);  // 2.5 <= 2.64
  const IndicatorRow& pm = find(14);
  EXPECT_FALSE(pm.districtFigure);
  EXPECT_EQ(pm.status(), IndicatorStatus::NoData);
  EXPECT_EQ(pm.valueNote, "no station in the area");
  EXPECT_EQ(pm.noDataEn, "the KPI has no value: no station in the area");
  // The district's own rows mark nothing.
  FakeKpis district;
  district.set("energy.co2_per_person", 2.5);
  for (const IndicatorRow& r : board.compute(district, t)) {
    EXPECT_FALSE(r.districtFigure) << r.number;
  }
}

// A KPI its plugin still computes (GT_KPI_PENDING): no value, marked pending (a report waits for it), and it says so.
TEST(IndicatorBoard, APendingKpiHasNoValueAndSaysItIsBeingComputed) {
  IndicatorBoard board(catalog(), statistics(), false);
  FakeKpis kpis;
  kpis.set("energy.co2_per_person", 7.0, PluginKpiStatus::Pending);
  kpis.readings.back().value->note = "the layers are being read";
  kpis.set("air_quality.pm25_annual_mean", 0, PluginKpiStatus::NoData);
  const TimePoint t = at("2026-11-25T09:30:00+08:00");
  for (const IndicatorRow& r : board.compute(kpis, t)) {
    if (r.number == 5) {
      EXPECT_TRUE(r.pending);
      EXPECT_FALSE(r.value) << *r.value;
      EXPECT_EQ(r.status(), IndicatorStatus::NoData);
      EXPECT_EQ(r.noDataEn, "the KPI is still being computed: the layers are being read");
      EXPECT_EQ(r.noDataZh, "KPI 正在计算，稍候即有数值");
    } else {
      EXPECT_FALSE(r.pending) << r.number;  // no data is not pending
    }
  }
}

TEST(IndicatorBoard, UpdatesAtMostOncePerInterval) {
  IndicatorBoard board(catalog(), statistics(), false);
  EXPECT_TRUE(board.update(FakeKpis(), 0, std::chrono::hours(1)));  // the first always
  EXPECT_FALSE(board.update(FakeKpis(), 0, std::chrono::hours(1)));
  EXPECT_EQ(board.version(), 1u);
  EXPECT_TRUE(board.update(FakeKpis(), 0));
  EXPECT_EQ(board.version(), 2u);
}

TEST(IndicatorBoard, TheYearIsBeijings) {
  EXPECT_EQ(beijingYear(at("2024-12-31T16:00:00Z")), 2025);
  EXPECT_EQ(beijingYear(at("2024-12-31T15:59:59Z")), 2024);
}

TEST(IndicatorBoard, TheBundledFilesGiveTheEighteenWithTheDocumentedStatuses) {
  IndicatorBoard board = IndicatorBoard::loadBundled(true);
  board.update(FakeKpis(), at("2026-11-25T09:30:00+08:00"));
  EXPECT_TRUE(board.errors().empty());
  ASSERT_EQ(board.rows().size(), 18u);
  // docs/indicators.md "What is synthetic in the demo", by the 2024 figures.
  const std::map<int, IndicatorStatus> reported{
      {1, IndicatorStatus::OffTrack}, {2, IndicatorStatus::Met},     {3, IndicatorStatus::Met},
      {4, IndicatorStatus::OffTrack}, {8, IndicatorStatus::OnTrack}, {11, IndicatorStatus::Met},
      {12, IndicatorStatus::OnTrack}};
  for (const IndicatorRow& r : board.rows()) {
    if (const auto it = reported.find(r.number); it != reported.end()) {
      EXPECT_EQ(r.status(), it->second) << r.number;
      EXPECT_EQ(r.year, 2024) << r.number;
      EXPECT_EQ(r.origin, IndicatorOrigin::Synthetic) << r.number;
      EXPECT_EQ(r.trend.size(), 5u) << r.number;  // 2020..2024
    } else {
      EXPECT_EQ(r.status(), IndicatorStatus::NoData) << r.number;  // no plugin in this test
      EXPECT_FALSE(r.kpiId.empty()) << r.number;
    }
  }
  EXPECT_TRUE(row(board, 3).beijing.has_value());
}

}  // namespace
}  // namespace gt::runtime
