#pragma once
// What an indicators report says (`greentwin report`; issue 13 deliverable 6; docs/indicators.md "Report"): the
// programme's 18 indicators for one area at one clock time, each with its trend and chart, and the map images of
// the evidence. Built by report_builder.cpp from a twin, written by report_csv / report_json / report_html; plain
// data, so the writers are tested on hand-made reports.

#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/runtime/indicator_scenario.hpp"
#include "greentwin/viewer/i18n.hpp"

namespace gt::viewer {

struct ReportIndicator {
  // The dashboard's row at the report's time. Its `trend` is the report's: for a computed indicator the values
  // at the trend's times (x = clock time, microseconds; trendYearly false), for a reported one the yearly figures.
  runtime::IndicatorRow row;
  // The numeric 2025 target and the "about" tolerance from the catalog, for the chart's target line; none for
  // "decline greater than Beijing's".
  std::optional<double> target;
  double tolerance = 0;
  std::string direction;  // ">=", "<=", "~", "decline_greater_than_beijing"; "" when the catalog lacks it
  std::string chartFile;  // the trend chart, relative to the report folder ("images/trend_05.png"); "" for none

  // A plugin KPI or an annual method computes it (the tag may still be "synthetic": a twin with invented data).
  bool computed() const { return row.source != runtime::IndicatorSource::Statistics && !row.group.empty(); }
};

// A map image of an indicator's evidence, rendered headless.
struct ReportMap {
  int number = 0;  // the indicator it is evidence for
  std::string titleZh, titleEn;
  std::string file;  // relative to the report folder ("images/map_18.png"); "" when it could not be drawn
  std::string problem;  // why it was not drawn ("" when it was)
  struct Legend {
    std::string layerNameZh, layerNameEn;
    std::vector<layers::LegendEntry> entries;
  };
  std::vector<Legend> legends;  // of the layers shown, in the style they were drawn with
};

// A what-if scenario beside the baseline (`greentwin report --scenario FILE`; docs/workbench.md "Scenarios"): the
// whole twin's indicators at the report's time, both sides, their difference and each side's status.
struct ReportScenario {
  std::string file;  // the scenario file as given
  std::string name, description;
  std::string againstFile;  // --against: the scenario on the left instead of the baseline ("" for the baseline)
  std::size_t edits = 0;
  runtime::ScenarioComparison comparison;  // left: the baseline, right: the scenario
};

struct Report {
  std::string titleZh, titleEn;  // the programme's
  std::vector<runtime::IndicatorGroup> groups;
  std::vector<ReportIndicator> indicators;  // by group, then number (the board's order)
  std::vector<ReportMap> maps;
  std::vector<std::string> errors;  // the board's: files that could not be read

  std::string areaId;  // "district"
  std::string areaNameZh, areaNameEn;
  TimePoint time = 0;  // the clock time reported
  Language language = Language::Chinese;
  std::string configPath;  // the config the twin was built from
  std::string replayPath;  // the feed recording replayed ("" for none)
  TimePoint generated = 0;  // wall time the report was made
  // The computed indicators' trend: values every trendStep from trendBegin to `time` (trendStep 0: no trend).
  TimePoint trendBegin = 0;
  Duration trendStep = 0;
  std::string trendSource;  // how the trend values were obtained ("recomputed": the twin at each time)
  std::optional<ReportScenario> scenario;  // --scenario
};

}  // namespace gt::viewer
