// What-if scenarios' indicators and their comparison (runtime/indicator_scenario.hpp).

#include "greentwin/runtime/indicator_scenario.hpp"

#include <utility>

#include "greentwin/runtime/plugin_host.hpp"

namespace gt::runtime {

ScenarioKpis::ScenarioKpis(PluginHost& host, const Scenario* scenario, TimePoint t) {
  for (const PluginKpi& kpi : host.kpis()) {
    PluginKpiReading reading{kpi, std::nullopt, {}, t};
    const bool inScenario = scenario != nullptr && kpi.scenarios;
    if (scenario != nullptr && !kpi.scenarios) unchanged_.insert(kpi.id);
    auto value = inScenario ? host.computeKpiInScenario(kpi.id, *scenario, t) : host.computeKpi(kpi.id, t);
    if (value) {
      reading.value = std::move(*value);
    } else {
      reading.error = value.status().message();
    }
    readings_.push_back(std::move(reading));
  }
}

const std::deque<PluginKpiTrendPoint>& ScenarioKpis::kpiTrend(const std::string&) const {
  static const std::deque<PluginKpiTrendPoint> kNone;  // a scenario has no running trend
  return kNone;
}

const PluginKpiReading* ScenarioKpis::find(const std::string& kpiId) const {
  for (const PluginKpiReading& r : readings_) {
    if (r.kpi.id == kpiId) return &r;
  }
  return nullptr;
}

namespace {

ScenarioSide sideOf(const PluginKpiReading& r) {
  ScenarioSide side;
  if (r.value && r.value->hasValue()) side.value = r.value->value;
  side.pending = r.value && r.value->status == PluginKpiStatus::Pending;
  side.note = r.value ? r.value->note : r.error;
  return side;
}

}  // namespace

ScenarioComparison compareScenarios(PluginHost& host, const IndicatorBoard& board, const Scenario* left,
                                    const Scenario* right, TimePoint t) {
  const ScenarioKpis leftKpis(host, left, t);
  const ScenarioKpis rightKpis(host, right, t);
  const std::vector<IndicatorRow> leftRows = board.compute(leftKpis, t);
  const std::vector<IndicatorRow> rightRows = board.compute(rightKpis, t);
  ScenarioComparison out;
  out.leftName = left != nullptr ? left->name : "baseline";
  out.rightName = right != nullptr ? right->name : "baseline";
  out.time = t;
  for (std::size_t i = 0; i < leftRows.size() && i < rightRows.size(); ++i) {
    const IndicatorRow& l = leftRows[i];
    const PluginKpiReading* lr = leftKpis.find(l.kpiId);
    const PluginKpiReading* rr = rightKpis.find(l.kpiId);
    if (l.kpiId.empty() || lr == nullptr || rr == nullptr) continue;
    ScenarioComparisonRow row;
    row.number = l.number;
    row.kpiId = l.kpiId;
    row.nameZh = l.nameZh;
    row.nameEn = l.nameEn;
    row.unit = l.unit;
    row.left = sideOf(*lr);
    row.right = sideOf(*rr);
    row.left.status = l.status();
    row.right.status = rightRows[i].status();
    row.unchanged = (left != nullptr && leftKpis.unchangedByEdits(l.kpiId)) ||
                    (right != nullptr && rightKpis.unchangedByEdits(l.kpiId)) || (left == nullptr && right == nullptr);
    out.rows.push_back(std::move(row));
  }
  for (const std::string& id : scenarioExtraKpis()) {
    const PluginKpiReading* lr = leftKpis.find(id);
    const PluginKpiReading* rr = rightKpis.find(id);
    if (lr == nullptr || rr == nullptr) continue;
    ScenarioComparisonRow row;
    row.kpiId = id;
    row.nameZh = lr->kpi.nameZh;
    row.nameEn = lr->kpi.nameEn;
    row.unit = lr->kpi.unit;
    row.left = sideOf(*lr);
    row.right = sideOf(*rr);
    row.unchanged = !lr->kpi.scenarios;
    out.rows.push_back(std::move(row));
  }
  return out;
}

}  // namespace gt::runtime
