#pragma once
// What-if scenarios (issue 16; docs/workbench.md "Scenarios"): the KPIs of the active plugins with a scenario's
// edits applied inside each plugin (PluginHost::computeKpiInScenario), as an IndicatorKpiSource so the
// IndicatorBoard computes the scenario's indicators; and the comparison of two sides (the baseline or a scenario
// each) at one clock time: per indicator the two values, their difference and each side's status. A KPI without a
// scenario function does not depend on any edit: both sides show its baseline value, marked unchanged.
//
// Nothing here writes to the twin: the base data stays as it is (the plugins apply edits to their own copies).
// Update thread: plugins compute on it.

#include <deque>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "greentwin/core/scenario.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/runtime/plugin_types.hpp"

namespace gt::runtime {

class PluginHost;

// Every KPI of the active plugins at `t`: the baseline (scenario nullptr: computeKpi) or with the scenario's edits
// (computeKpiInScenario; a KPI without a scenario function gives its baseline value, unchangedByEdits() says so).
// A KPI whose call failed keeps its error.
class ScenarioKpis final : public IndicatorKpiSource {
 public:
  ScenarioKpis(PluginHost& host, const Scenario* scenario, TimePoint t);

  const std::vector<PluginKpiReading>& kpiReadings() const override { return readings_; }
  const std::deque<PluginKpiTrendPoint>& kpiTrend(const std::string& kpiId) const override;
  bool unchangedByEdits(const std::string& kpiId) const { return unchanged_.count(kpiId) != 0; }
  const PluginKpiReading* find(const std::string& kpiId) const;

 private:
  std::vector<PluginKpiReading> readings_;
  std::set<std::string, std::less<>> unchanged_;
};

// KPIs that are no programme indicator but belong in a scenario's comparison (the list): bus-stop coverage.
inline const std::vector<std::string>& scenarioExtraKpis() {
  static const std::vector<std::string> kExtra{"traffic.bus_stop_coverage"};
  return kExtra;
}

struct ScenarioSide {
  std::optional<double> value;  // nullopt: no data (note says why)
  IndicatorStatus status = IndicatorStatus::NoData;  // the indicator's assessment; NoData for a plain KPI
  std::string note;             // the plugin's note, or the error of the call
  bool pending = false;         // no value yet: the plugin is still computing it (GT_KPI_PENDING)
};

struct ScenarioComparisonRow {
  int number = 0;  // the programme indicator's number; 0 for a plain KPI (bus-stop coverage)
  std::string kpiId, nameZh, nameEn, unit;
  ScenarioSide left, right;
  bool unchanged = false;  // the KPI does not depend on any edit: both sides are its baseline value
  // right - left, when both have a value.
  std::optional<double> difference() const {
    if (!left.value || !right.value) return std::nullopt;
    return *right.value - *left.value;
  }
};

struct ScenarioComparison {
  std::string leftName, rightName;  // "baseline" or the scenarios' names
  TimePoint time = 0;
  std::vector<ScenarioComparisonRow> rows;  // the board's computed indicators in its order, then the extra KPIs
  // A side of a row still being computed by its plugin: compare again after a few frames for its value.
  bool pending() const {
    for (const ScenarioComparisonRow& r : rows) {
      if (r.left.pending || r.right.pending) return true;
    }
    return false;
  }
};

// Compares two sides at `t`; a side nullptr is the baseline. Rows: every indicator of the board computed by a KPI
// of an active plugin, then scenarioExtraKpis() that an active plugin provides.
ScenarioComparison compareScenarios(PluginHost& host, const IndicatorBoard& board, const Scenario* left,
                                    const Scenario* right, TimePoint t);

}  // namespace gt::runtime
