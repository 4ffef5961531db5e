#pragma once
// The indicators dashboard's data (issue 13 deliverable 4; docs/indicators.md "Dashboard"): one row per indicator
// of the catalog, with its current value, target, status, source tag, trend, method and, when there is no value,
// why. Computed indicators take their value from a plugin KPI (the twin refreshes them once a second), reported ones
// from the latest figure of statistics.toml.
//
// The board is pure logic over the catalog, the statistics and a KPI source (IndicatorKpiSource: the plugin host in
// the twin, a fake in tests). The twin owns one and updates it on the update thread in beginFrame(), after the KPIs
// are refreshed; the dashboard panel reads rows() on the same thread (the viewer runs single-threaded).

#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/runtime/indicators.hpp"
#include "greentwin/runtime/plugin_types.hpp"

namespace gt::runtime {

class PluginHost;

// What the board reads of the plugins' KPIs.
class IndicatorKpiSource {
 public:
  virtual ~IndicatorKpiSource() = default;
  // The latest reading of every KPI of the active plugins (PluginHost::kpiReadings()).
  virtual const std::vector<PluginKpiReading>& kpiReadings() const = 0;
  // A KPI's recent values, oldest first; empty for an unknown id (PluginHost::kpiTrend()).
  virtual const std::deque<PluginKpiTrendPoint>& kpiTrend(const std::string& kpiId) const = 0;
  // Whether a KPI's reading is the whole district's although the rows are for an area (the KPI has no area
  // function: AreaKpis in indicator_area.hpp). The twin's own source: never.
  virtual bool districtFigure(const std::string& /*kpiId*/) const { return false; }
};

// The plugin host as the board's KPI source (the twin's).
class PluginHostKpis final : public IndicatorKpiSource {
 public:
  explicit PluginHostKpis(const PluginHost& host) : host_(host) {}
  const std::vector<PluginKpiReading>& kpiReadings() const override;
  const std::deque<PluginKpiTrendPoint>& kpiTrend(const std::string& kpiId) const override;

 private:
  const PluginHost& host_;
};

// The dashboard's source tag of a row.
enum class IndicatorOrigin {
  Computed,   // a plugin KPI computes it from the twin's data
  Reported,   // a statistics office's figure (statistics.toml) naming its publication
  Synthetic,  // made up for the demo: a figure whose source is "synthetic", or a KPI over a twin with synthetic data
};
const char* indicatorOriginName(IndicatorOrigin origin);    // "computed", "reported", "synthetic"
const char* indicatorOriginNameZh(IndicatorOrigin origin);  // 计算, 统计, 合成

// The KPI that computes an indicator: its `kpi` id, or for a `computed` (annual method) indicator the plugin KPI
// that implements the method (air.pm25_annual_mean -> air_quality.pm25_annual_mean, air.good_day_share ->
// air_quality.good_day_share); "" for a reported indicator or a method no plugin implements.
std::string indicatorKpiId(const IndicatorDefinition& indicator);

// The target in English words: ">= 40 %", "about 20 % (+/- 1)", "<= 2.64 t CO2/person/yr", "class IV or better",
// "decline greater than Beijing's" (target_zh is the programme's own text).
std::string indicatorTargetEn(const IndicatorDefinition& indicator);

struct IndicatorTrendPoint {
  double x = 0;  // the KPI's clock time (TimePoint, microseconds) or the figure's year
  double value = 0;
};

struct IndicatorRow {
  int number = 0;
  std::string group;  // an IndicatorGroup id; "" for an entry the catalog could not load
  std::string nameZh, nameEn;
  std::string unit, unitZh;
  std::string targetZh, targetEn;
  IndicatorSource source = IndicatorSource::Statistics;
  std::string kpiId;  // the KPI that computes it (indicatorKpiId); "" for a reported one
  IndicatorOrigin origin = IndicatorOrigin::Reported;

  std::optional<double> value;    // the current value: the KPI's, or the latest reported figure
  std::optional<double> beijing;  // Beijing's figure of the same year (decline_greater_than_beijing)
  int year = 0;                   // the year the value is for: the figure's, or the clock's year for a KPI
  TimePoint time = 0;             // the clock time a KPI value was computed for (0 for a figure)
  std::string figureSource;       // the latest figure's publication, or "synthetic" (reported only)
  IndicatorAssessment assessment;  // status (met / on track / off track / no data), path, reason

  std::vector<IndicatorTrendPoint> trend;  // the KPI's recent values, or the yearly figures
  bool trendYearly = false;                // x is a year (figures), else a clock time (KPI trend)

  std::string methodZh, methodEn;  // the KPI's method text; for a reported indicator how it is reported
  std::string note;                // the catalog's note (English), "" when none
  std::vector<IndicatorEvidence> evidence;  // the catalog's layers that show it on the map
  std::vector<std::string> feeds;           // the catalog's input feeds (publisher ids)
  std::string valueNote;           // the KPI's note on what its value covers or why there is none (English)
  // Rows for an area (IndicatorBoard::compute with an area): the value is the whole district's, because the
  // indicator is reported for the district or its KPI cannot be split by area. The dashboard says so.
  bool districtFigure = false;
  std::string noDataZh, noDataEn;  // why there is no value (status no data), "" otherwise
  bool pending = false;  // no value yet: the KPI's plugin is still computing it (GT_KPI_PENDING); asked again
  std::vector<std::string> problems;  // the catalog's and the statistics' problems of this indicator, as text

  IndicatorStatus status() const { return assessment.status; }
};

class IndicatorBoard {
 public:
  IndicatorBoard() = default;  // no catalog: no rows
  // From what readIndicatorCatalog / readIndicatorStatistics returned (an error is kept and shown: no catalog, no
  // rows; no statistics, every reported indicator is "no data" with it). `syntheticData`: the twin's data is
  // (partly) synthetic (a layer marked `synthetic = true`), so every KPI value is tagged synthetic: which layers a
  // KPI reads is its plugin's business, so the board cannot tell one KPI from another.
  IndicatorBoard(Result<IndicatorCatalog> catalog, Result<IndicatorStatistics> statistics, bool syntheticData);
  // The bundled files (indicatorCatalogPath(), indicatorStatisticsPath()).
  static IndicatorBoard loadBundled(bool syntheticData);

  // Recomputes every row from the KPIs at clock time `t` (the clock's year in Beijing time is the year a KPI value
  // is assessed for) - at most once per `minInterval` of the steady clock; true when it did. Update thread.
  bool update(const IndicatorKpiSource& kpis, TimePoint t,
              std::chrono::milliseconds minInterval = std::chrono::milliseconds(0));
  // The rows from `kpis` at `t` without keeping them (update() keeps these): for an area, `forArea` true marks the
  // reported indicators as district figures (statistics are the district's) and asks the source which KPI
  // readings are. Any thread that owns `kpis`.
  std::vector<IndicatorRow> compute(const IndicatorKpiSource& kpis, TimePoint t, bool forArea = false) const;

  // By group in the catalog's order, then by number; an entry the catalog could not load (group "") last.
  const std::vector<IndicatorRow>& rows() const { return rows_; }
  const std::vector<IndicatorGroup>& groups() const { return groups_; }
  const std::string& titleZh() const { return titleZh_; }
  const std::string& titleEn() const { return titleEn_; }
  // Files that could not be read at all (the catalog's, the statistics'), as text.
  const std::vector<std::string>& errors() const { return errors_; }
  // Bumped by each update that recomputed the rows.
  std::uint64_t version() const { return version_; }

 private:
  IndicatorRow computedRow(const IndicatorDefinition& d, const IndicatorKpiSource& kpis, TimePoint t) const;
  IndicatorRow reportedRow(const IndicatorDefinition& d) const;
  IndicatorRow baseRow(const IndicatorDefinition& d) const;

  std::optional<IndicatorCatalog> catalog_;
  std::optional<IndicatorStatistics> statistics_;
  std::string statisticsError_;
  bool syntheticData_ = false;
  std::string titleZh_, titleEn_;
  std::vector<IndicatorGroup> groups_;
  std::vector<std::string> errors_;
  std::vector<IndicatorRow> rows_;
  std::uint64_t version_ = 0;
  std::chrono::steady_clock::time_point lastUpdate_{};
};

// The year of a clock time in Beijing time (UTC+8).
int beijingYear(TimePoint t);

}  // namespace gt::runtime
