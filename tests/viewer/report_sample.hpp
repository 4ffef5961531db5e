#pragma once
// A hand-made indicators report (report_model.hpp) for the tests of its writers (report_csv, report_json,
// report_html): 18 indicators in three groups of six, with the cases the writers must get right.
//   #1  computed (KPI, synthetic data), 37.25 %, on track, a name holding a comma, a quote and a newline, a trend
//       of three hourly values with a chart;
//   #2  computed, no value (no data, with the reason), its trend all gaps;
//   #7  reported, to beat Beijing's decline (3.6 %), met, no numeric target;
//   #12 reported, 2.64 t CO2/person in 2024, met, yearly figures 2022..2024 with a chart;
//   #14 computed and, in an area's report, the whole district's figure; a name with HTML's special characters;
//   the others computed or reported plainly (computed: odd numbers but 7, and #14; reported: the others).
// Maps: #14 drawn (images/map_14.png, a legend of two entries), #17 not drawn (a problem).

#include <string>

#include "report_model.hpp"

namespace gt::viewer::testing {

// 2026-11-25T09:30:00+08:00 = 2026-11-25T01:30:00Z.
inline constexpr TimePoint kSampleTime = 1795570200LL * kMicrosPerSecond;
inline constexpr Duration kSampleHour = 3600LL * kMicrosPerSecond;

inline Report sampleReport(Language language) {
  Report r;
  r.titleZh = "通州区绿色发展指标";
  r.titleEn = "Tongzhou green development indicators";
  r.groups = {{"green_production", "绿色生产", "Green production"},
              {"green_living", "绿色生活", "Green living"},
              {"ecology", "生态环境", "Ecology"}};
  r.areaId = "district";
  r.areaNameZh = "通州区（全区）";
  r.areaNameEn = "Tongzhou (whole district)";
  r.time = kSampleTime;
  r.language = language;
  r.configPath = "/demo/greentwin.toml";
  r.generated = kSampleTime + 60 * kMicrosPerSecond;
  r.trendBegin = kSampleTime - 2 * kSampleHour;
  r.trendStep = kSampleHour;
  r.trendSource = "recomputed";
  for (int n = 1; n <= 18; ++n) {
    ReportIndicator i;
    runtime::IndicatorRow& row = i.row;
    row.number = n;
    row.group = n <= 6 ? "green_production" : n <= 12 ? "green_living" : "ecology";
    row.nameZh = "指标" + std::to_string(n);
    row.nameEn = "Indicator " + std::to_string(n);
    row.unit = "%";
    row.targetZh = "≥ 40%";
    row.targetEn = ">= 40 %";
    const bool computed = n % 2 == 1 || n == 14;
    row.source = computed ? runtime::IndicatorSource::Kpi : runtime::IndicatorSource::Statistics;
    row.origin = computed ? runtime::IndicatorOrigin::Synthetic : runtime::IndicatorOrigin::Reported;
    row.kpiId = computed ? "plugin.kpi_" + std::to_string(n) : "";
    row.value = 10.0 + n;
    row.year = 2026;
    row.time = computed ? kSampleTime : 0;
    row.assessment.status = runtime::IndicatorStatus::Met;
    row.methodEn = "method " + std::to_string(n);
    row.methodZh = "方法" + std::to_string(n);
    i.target = 40.0;
    i.direction = ">=";
    r.indicators.push_back(std::move(i));
  }
  {
    ReportIndicator& i = r.indicators[0];
    i.row.nameEn = "Clean energy, \"green\" share\nof all";
    i.row.value = 37.25;
    i.row.assessment.status = runtime::IndicatorStatus::OnTrack;
    i.row.trend = {{static_cast<double>(kSampleTime - 2 * kSampleHour), 36.5},
                   {static_cast<double>(kSampleTime - kSampleHour), 37.0},
                   {static_cast<double>(kSampleTime), 37.25}};
    i.chartFile = "images/trend_01.png";
  }
  {
    ReportIndicator& i = r.indicators[1];
    i.row.source = runtime::IndicatorSource::Kpi;
    i.row.origin = runtime::IndicatorOrigin::Computed;
    i.row.kpiId = "plugin.kpi_2";
    i.row.value.reset();
    i.row.time = 0;
    i.row.assessment.status = runtime::IndicatorStatus::NoData;
    i.row.noDataEn = "no reading yet";
    i.row.noDataZh = "尚无读数";
  }
  {
    ReportIndicator& i = r.indicators[6];
    i.row.source = runtime::IndicatorSource::Statistics;
    i.row.origin = runtime::IndicatorOrigin::Reported;
    i.row.kpiId.clear();
    i.row.time = 0;
    i.row.targetEn = "decline greater than Beijing's";
    i.row.targetZh = "降幅超过全市平均水平";
    i.row.value = 4.1;
    i.row.beijing = 3.6;
    i.row.year = 2024;
    i.target.reset();
    i.direction = "decline_greater_than_beijing";
  }
  {
    ReportIndicator& i = r.indicators[11];
    i.row.unit = "t CO2/person";
    i.row.unitZh = "吨二氧化碳/人";
    i.row.targetEn = "<= 2.64 t CO2/person/yr";
    i.row.targetZh = "≤ 2.64 吨二氧化碳/人";
    i.row.value = 2.64;
    i.row.year = 2024;
    i.row.trendYearly = true;
    i.row.trend = {{2022, 2.9}, {2023, 2.75}, {2024, 2.64}};
    i.chartFile = "images/trend_12.png";
    i.target = 2.64;
    i.direction = "<=";
  }
  {
    ReportIndicator& i = r.indicators[13];
    i.row.nameEn = "Green <space> & \"parks\"";
    i.row.districtFigure = true;
  }
  ReportMap drawn;
  drawn.number = 14;
  drawn.titleZh = "空气质量监测站";
  drawn.titleEn = "Air-quality stations";
  drawn.file = "images/map_14.png";
  drawn.legends.push_back({"监测站", "Stations",
                           {{{1.0f, 0.0f, 0.0f, 1.0f}, "poor", "差", layers::LegendEntry::Shape::Point},
                            {{0.0f, 0.5f, 0.0f, 1.0f}, "good", "优", layers::LegendEntry::Shape::Point}}});
  r.maps.push_back(drawn);
  ReportMap missing;
  missing.number = 17;
  missing.titleZh = "森林用地";
  missing.titleEn = "Forest land";
  missing.problem = "the config has no layer 'city-green-spaces'";
  r.maps.push_back(missing);
  return r;
}

}  // namespace gt::viewer::testing
