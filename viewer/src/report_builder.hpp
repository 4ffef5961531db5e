#pragma once
// Builds an indicators report (report_model.hpp) from a loaded twin for `greentwin report` (docs/indicators.md
// "Report"): the indicator rows at the report's time with their trends (report_trend.hpp), a trend chart per
// indicator with at least two values (report_chart.hpp), and the evidence maps (report_maps.hpp). Charts and maps
// are written as PNG into the folder given (the report's staging folder). Update thread.

#include <iosfwd>
#include <optional>
#include <string>

#include "greentwin/core/scenario.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/runtime/indicator_area.hpp"
#include "report_folder.hpp"
#include "report_model.hpp"
#include "report_trend.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

struct ReportOptions {
  TimePoint time = 0;          // the clock time reported
  runtime::IndicatorArea area = runtime::districtArea();  // Twin::indicatorArea
  Language language = Language::Chinese;
  std::string configPath;      // for the record in the report
  std::string replayPath;      // ditto ("" for none)
  Duration trendSpan = 24 * 3600 * kMicrosPerSecond;  // the computed indicators' trend: the span before `time`...
  Duration trendStep = 3600 * kMicrosPerSecond;       // ...sampled every step; 0: no trend
  bool maps = true;
  int mapWidth = 1200;
  int mapHeight = 1000;
  std::optional<Scenario> scenario;  // --scenario: compared with the baseline at `time` (the whole twin)
  std::string scenarioFile;
  std::optional<Scenario> against;  // --against: the left side instead of the baseline
  std::string againstFile;
};

// Errors: the twin did not settle at a time (waitForValues), a chart could not be written.
// A map that cannot be drawn is not an error: the report says why.
Result<Report> buildReport(runtime::Twin& twin, const ReportOptions& options, const std::string& folder,
                           std::ostream& log);

// IndicatorTimeline::source of rows the twin shows now (the window's report): each computed indicator keeps its own
// recent values as its trend instead of a recomputed one.
inline constexpr const char* kLiveRowsSource = "live";
// The report from rows already computed at options.time (buildReport's second half; the window's report passes the
// board's rows as they are). Charts are written into `folder`; maps drawn when options.maps.
Result<Report> reportFromTimeline(runtime::Twin& twin, const ReportOptions& options, IndicatorTimeline timeline,
                                  TimePoint trendBegin, Duration trendStep, const std::string& folder,
                                  std::ostream& log);
// Writes the report's files (indicators.csv, indicators.json, report.html, and scenario.csv when it has a
// scenario) into the folder's staging area and commits them. Errors name the file.
Status writeReportFiles(const Report& report, ReportFolder& folder);

}  // namespace gt::viewer
