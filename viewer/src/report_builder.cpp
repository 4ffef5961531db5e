#include "report_builder.hpp"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <ostream>
#include <thread>

#include "greentwin/runtime/indicators.hpp"
#include "greentwin/runtime/twin.hpp"
#include "report_chart.hpp"
#include "report_csv.hpp"
#include "report_html.hpp"
#include "report_json.hpp"
#include "report_maps.hpp"
#include "report_scenario.hpp"
#include "report_trend.hpp"

namespace gt::viewer {
namespace {

std::string chartFileName(int number) {
  char name[32];
  std::snprintf(name, sizeof name, "images/trend_%02d.png", number);
  return name;
}

std::size_t finiteValues(const std::vector<runtime::IndicatorTrendPoint>& points) {
  std::size_t n = 0;
  for (const runtime::IndicatorTrendPoint& p : points) n += std::isfinite(p.value) ? 1 : 0;
  return n;
}

// The area's names; for the district the layer the forest plugin computes the district's figures over, else
// generic words.
void nameArea(const runtime::Twin& twin, const runtime::IndicatorArea& area, Report& report) {
  report.areaNameZh = area.nameZh;
  report.areaNameEn = area.nameEn;
  if (!area.wholeTwin()) return;
  report.areaNameZh = "全区";
  report.areaNameEn = "the whole district";
  std::string layerId = "tongzhou-district";
  for (const runtime::PluginSetting& s : twin.plugins().settings("forest")) {
    if (s.key == "district_layer" && !s.text.empty()) layerId = s.text;
  }
  if (const layers::Layer* layer = twin.findLayer(layerId)) {
    if (!layer->config().nameZh.empty()) report.areaNameZh = layer->config().nameZh + "（全区）";
    if (!layer->config().nameEn.empty()) report.areaNameEn = layer->config().nameEn + " (whole district)";
  }
}

// The comparison once no side is still being computed by its plugin (GT_KPI_PENDING: layers being read, a
// background job), frames pumped meanwhile so the plugins finish; after kPendingLimit as it is (those sides say so).
runtime::ScenarioComparison compareWhenComputed(runtime::Twin& twin, const Scenario* left, const Scenario& right,
                                                TimePoint t) {
  constexpr auto kPendingLimit = std::chrono::minutes(2);
  const auto deadline = std::chrono::steady_clock::now() + kPendingLimit;
  for (;;) {
    runtime::ScenarioComparison c = runtime::compareScenarios(twin.plugins(), twin.indicators(), left, &right, t);
    if (!c.pending() || std::chrono::steady_clock::now() > deadline) return c;
    for (int i = 0; i < 5; ++i) {
      twin.update(std::numeric_limits<std::size_t>::max());
      twin.beginFrame();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
}

}  // namespace

Result<Report> buildReport(runtime::Twin& twin, const ReportOptions& options, const std::string& folder,
                           std::ostream& log) {
  // The rows at the report's time and the computed indicators' values before it.
  const TrendRequest trend{options.time, options.trendSpan, options.trendStep};
  auto timeline = indicatorTimeline(twin, options.area, trend, [&log](std::size_t i, std::size_t n) {
    log << "indicators computed at " << i << " of " << n << " times\n" << std::flush;
  });
  if (!timeline) return timeline.status();
  const std::vector<TimePoint> times = trendTimes(trend);
  return reportFromTimeline(twin, options, std::move(*timeline), times.front(),
                            times.size() > 1 ? options.trendStep : 0, folder, log);
}

Result<Report> reportFromTimeline(runtime::Twin& twin, const ReportOptions& options, IndicatorTimeline timeline,
                                  TimePoint trendBegin, Duration trendStep, const std::string& folder,
                                  std::ostream& log) {
  Report report;
  report.areaId = options.area.id;
  report.time = options.time;
  report.language = options.language;
  report.configPath = options.configPath;
  report.replayPath = options.replayPath;
  report.generated = wallNow();
  nameArea(twin, options.area, report);
  report.trendBegin = trendBegin;
  report.trendStep = trendStep;
  report.trendSource = timeline.source;
  const bool ownTrends = timeline.source == kLiveRowsSource;

  const runtime::IndicatorBoard& board = twin.indicators();
  if (options.scenario) {  // the twin stands at the report's time after the timeline
    const Scenario* left = options.against ? &*options.against : nullptr;
    log << "computing scenario '" << options.scenario->name << "' beside "
        << (left != nullptr ? "scenario '" + left->name + "'" : std::string("the baseline")) << "\n" << std::flush;
    report.scenario = ReportScenario{options.scenarioFile, options.scenario->name, options.scenario->description,
                                     options.againstFile, options.scenario->edits.size(),
                                     compareWhenComputed(twin, left, *options.scenario, options.time)};
  }
  report.titleZh = board.titleZh();
  report.titleEn = board.titleEn();
  report.groups = board.groups();
  report.errors = board.errors();
  const Result<runtime::IndicatorCatalog> catalog = runtime::readIndicatorCatalog(runtime::indicatorCatalogPath());

  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(folder) / "images", ec);
  for (runtime::IndicatorRow& row : timeline.rows) {
    ReportIndicator indicator;
    if (catalog) {
      if (const runtime::IndicatorDefinition* d = catalog->find(row.number)) {
        indicator.direction = runtime::targetDirectionText(d->direction);
        if (d->direction != runtime::TargetDirection::DeclineGreaterThanBeijing) indicator.target = d->target;
        if (d->direction == runtime::TargetDirection::About) indicator.tolerance = d->tolerance;
      }
    }
    indicator.row = std::move(row);
    if (indicator.computed() && !ownTrends) {  // the report's trend replaces the KPI's recent values
      indicator.row.trendYearly = false;
      const auto it = timeline.trends.find(indicator.row.number);
      indicator.row.trend = it != timeline.trends.end() ? it->second : std::vector<runtime::IndicatorTrendPoint>{};
    }
    if (indicator.row.trend.size() >= 2 && finiteValues(indicator.row.trend) >= 1) {
      ChartInput chart{indicator.row.trend, indicator.row.trendYearly, indicator.target, indicator.tolerance};
      indicator.chartFile = chartFileName(indicator.row.number);
      const std::string path = (std::filesystem::path(folder) / indicator.chartFile).string();
      if (Status s = writeChartPng(drawTrendChart(chart), path); !s) return s;
    }
    report.indicators.push_back(std::move(indicator));
  }

  if (options.maps) {
    log << "drawing the evidence maps\n" << std::flush;
    MapRequest request{options.time, options.mapWidth, options.mapHeight, options.language, folder, options.area};
    report.maps = renderEvidenceMaps(twin, evidenceScenes(twin), request);
    for (const ReportMap& map : report.maps) {
      if (!map.problem.empty()) log << "map for #" << map.number << " not drawn: " << map.problem << "\n";
    }
  }
  return report;
}

Status writeReportFiles(const Report& report, ReportFolder& folder) {
  for (const auto& [file, content] : {std::pair<const char*, std::string>{"indicators.csv", indicatorCsv(report)},
                                      {"indicators.json", indicatorJson(report)},
                                      {"report.html", indicatorHtml(report)},
                                      {"scenario.csv", scenarioCsv(report)}}) {
    if (content.empty()) continue;  // scenario.csv without a scenario
    if (Status s = folder.write(file, content); !s) return s;
  }
  return folder.commit();
}

}  // namespace gt::viewer
