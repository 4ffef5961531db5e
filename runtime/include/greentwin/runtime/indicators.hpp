#pragma once
// The programme's 18 main indicators (issue 13; docs/indicators.md): their definitions as data
// (assets/indicators/indicators.toml: name, unit, 2025 target and its direction, baseline, where the value comes
// from), the annual figures a statistics office reports (assets/indicators/statistics.toml), and the status rule
// (met / on track / off track against a straight path from the baseline to the target, or no data).
//
// Reading is pure file I/O on any thread. A file that cannot be read or is not TOML is an error Status; everything
// else is an IndicatorProblem (file, line, field, message) kept beside what did load: a bad catalog entry is left
// out, a bad statistics entry leaves its indicator without data, and the rest load.

#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt::runtime {

// One thing wrong in a file, for the dashboard and the log.
struct IndicatorProblem {
  std::string file;
  int line = 0;        // 0: the file as a whole
  std::string field;   // the key path as the file writes it: "indicator[3].figures[1].year"
  std::string message;
  int number = 0;      // the indicator it concerns, 0 when none is known
  // "FILE:LINE: 'field' message" (the config reader's form).
  std::string text() const;
};

enum class TargetDirection {
  AtLeast,                    // ">=": value >= target
  AtMost,                     // "<=": value <= target
  About,                      // "~":  within `tolerance` of the target, or past it in the direction of progress
  DeclineGreaterThanBeijing,  // the district's decline exceeds Beijing's for the same year (no numeric target)
};

// ">=", "<=", "~", "decline_greater_than_beijing".
const char* targetDirectionText(TargetDirection direction);

enum class IndicatorSource {
  Kpi,         // a plugin KPI computes it live (sourceId = the KPI id, e.g. "energy.renewable_share")
  Computed,    // an annual method computes it (sourceId = the method id, e.g. "air.pm25_annual_mean")
  Statistics,  // reported: statistics.toml
};

struct IndicatorBaseline {
  int year = 0;
  double value = 0.0;
};

struct IndicatorGroup {
  std::string id;  // "green_production", "green_living", "ecology"
  std::string nameZh, nameEn;
};

// A layer that shows an indicator's evidence on the map (the dashboard's "Show on map", the report's map images):
// made visible, coloured by the style whose color_by is `colorBy` when one is given.
struct IndicatorEvidence {
  std::string layer;
  std::string colorBy;  // "" keeps the layer's current style
};

struct IndicatorDefinition {
  int number = 0;
  std::string group;  // an IndicatorGroup id
  std::string nameZh, nameEn;
  std::string unit;     // as every figure must write it ("%", "ug/m3", "t CO2/person/yr", "class")
  std::string unitZh;   // as the programme writes it
  TargetDirection direction = TargetDirection::AtLeast;
  double target = 0.0;     // unused for DeclineGreaterThanBeijing
  double tolerance = 0.0;  // About only, in `unit`
  std::string targetZh;    // the target as the programme writes it ("≥40%", "20%左右")
  int targetYear = 2025;
  std::optional<IndicatorBaseline> baseline;  // the programme's; none given for any of the 18
  IndicatorSource source = IndicatorSource::Statistics;
  std::string sourceId;  // Kpi / Computed: the id; Statistics: empty
  std::string note;
  std::vector<IndicatorEvidence> evidence;  // what to show on the map; empty: nothing to show
  // The publisher ids of the live feeds its inputs arrive on (the dashboard shows their health beside the plugin's
  // own sources); empty: none named.
  std::vector<std::string> feeds;
};

struct IndicatorCatalog {
  std::string path;
  std::string titleZh, titleEn;
  int targetYear = 2025;
  std::vector<IndicatorGroup> groups;
  std::vector<IndicatorDefinition> indicators;  // those that loaded, by number
  std::vector<IndicatorProblem> problems;

  const IndicatorDefinition* find(int number) const;
};

// One year's reported figure.
struct IndicatorFigure {
  int year = 0;
  double value = 0.0;
  std::optional<double> beijing;  // Beijing's figure for the same year (DeclineGreaterThanBeijing only)
  std::string unit;
  std::string source;  // a named publication, or "synthetic"
  int line = 0;
};

struct IndicatorSeries {
  int number = 0;
  std::vector<IndicatorFigure> figures;    // by year; empty when there are problems
  std::vector<IndicatorProblem> problems;  // why this indicator has no data

  bool hasData() const { return problems.empty() && !figures.empty(); }
  const IndicatorFigure* latest() const { return figures.empty() ? nullptr : &figures.back(); }
  const IndicatorFigure* at(int year) const;
};

struct IndicatorStatistics {
  std::string path;
  std::vector<IndicatorSeries> series;     // by number, one per indicator the file names (and the catalog knows)
  std::vector<IndicatorProblem> problems;  // every problem, those of the series included

  const IndicatorSeries* find(int number) const;
};

// The bundled files (under assetsDirectory(): runtime/assets.hpp).
std::string indicatorCatalogPath();
std::string indicatorStatisticsPath();

// indicators.toml. Errors: the file is missing, unreadable or not TOML. A bad entry (unknown key, missing or
// mistyped field, unknown direction or group, a duplicate number, not exactly one of kpi/computed/statistics) is a
// problem and the entry is left out.
Result<IndicatorCatalog> readIndicatorCatalog(const std::string& path);

// statistics.toml, checked against the catalog. Errors: the file is missing, unreadable or not TOML. A figure with
// a missing or malformed field, a unit that is not the indicator's, a duplicate year, a missing Beijing figure where
// the direction needs one (or one where it does not) makes its indicator "no data" (a problem in its series); an
// indicator number the catalog does not know is a problem and its entry is skipped.
Result<IndicatorStatistics> readIndicatorStatistics(const std::string& path, const IndicatorCatalog& catalog);

// ---- status --------------------------------------------------------------------------------------------------------

enum class IndicatorStatus { Met, OnTrack, OffTrack, NoData };

// "met", "on track", "off track", "no data"; 达标, 进度正常, 进度滞后, 无数据.
const char* indicatorStatusName(IndicatorStatus status);
const char* indicatorStatusNameZh(IndicatorStatus status);

struct IndicatorAssessment {
  IndicatorStatus status = IndicatorStatus::NoData;
  std::optional<double> expected;  // where the path from the baseline to the target is at the year, when there is one
  std::string reason;              // one English line
};

// The status of `value` (NaN: none) at `year` (docs/indicators.md "Status"):
//  - no data: no value (or, for DeclineGreaterThanBeijing, no Beijing figure);
//  - met: the target's condition holds (in any year);
//  - on track: not met, but at or past the straight path from `start` (year, value) to (targetYear, target) at
//    `year`, before the target year;
//  - off track: otherwise - also when there is no path (no start, a start at or after the target year) and the
//    target is not met, and always for DeclineGreaterThanBeijing when it is not met (its target moves with Beijing).
// For "~" the target is reached within `tolerance` or beyond it in the direction of progress (from the start towards
// the target; upwards without a start), and the path ends at that edge of the band.
IndicatorAssessment assessIndicator(const IndicatorDefinition& indicator, int year, double value,
                                    const std::optional<IndicatorBaseline>& start,
                                    std::optional<double> beijing = std::nullopt);

// Where the path starts for a figure of `year`: the programme's baseline, else the earliest reported figure before
// `year` (the statistics stand in for a baseline the programme does not give).
std::optional<IndicatorBaseline> pathStart(const IndicatorDefinition& indicator, const IndicatorSeries* series,
                                           int year);

// The status of a reported indicator by its latest figure: no data (with the first problem as the reason) when the
// series is absent, empty or has problems.
IndicatorAssessment assessLatestFigure(const IndicatorDefinition& indicator, const IndicatorSeries* series);

}  // namespace gt::runtime
