// The indicators dashboard's data (runtime/indicator_board.hpp; docs/indicators.md "Dashboard").

#include "greentwin/runtime/indicator_board.hpp"

#include <cstdio>
#include <cstdlib>
#include <set>
#include <utility>

#include "greentwin/runtime/plugin_host.hpp"

namespace gt::runtime {
namespace {

constexpr int kBeijingUtcOffsetMinutes = 8 * 60;

// The annual methods of the catalog (`computed = ...`) and the plugin KPIs that implement them.
constexpr std::pair<const char*, const char*> kMethodKpis[] = {
    {"air.pm25_annual_mean", "air_quality.pm25_annual_mean"},  // #14, HJ 663 (docs/air-quality.md)
    {"air.good_day_share", "air_quality.good_day_share"},      // #15, HJ 633
};

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// "40%", "2.64 t CO2/person/yr": a per cent sign sticks to its number.
std::string withUnit(double v, const std::string& unit) { return fmt(v) + (unit == "%" ? "" : " ") + unit; }

const char* romanClass(double v) {
  static const char* const kRoman[] = {"I", "II", "III", "IV", "V"};
  const int k = static_cast<int>(v);
  return k >= 1 && k <= 5 && k == v ? kRoman[k - 1] : nullptr;
}

const IndicatorSeries* seriesOf(const std::optional<IndicatorStatistics>& statistics, int number) {
  return statistics ? statistics->find(number) : nullptr;
}

}  // namespace

const std::vector<PluginKpiReading>& PluginHostKpis::kpiReadings() const { return host_.kpiReadings(); }

const std::deque<PluginKpiTrendPoint>& PluginHostKpis::kpiTrend(const std::string& kpiId) const {
  return host_.kpiTrend(kpiId);
}

const char* indicatorOriginName(IndicatorOrigin origin) {
  switch (origin) {
    case IndicatorOrigin::Computed: return "computed";
    case IndicatorOrigin::Reported: return "reported";
    case IndicatorOrigin::Synthetic: break;
  }
  return "synthetic";
}

const char* indicatorOriginNameZh(IndicatorOrigin origin) {
  switch (origin) {
    case IndicatorOrigin::Computed: return "计算";
    case IndicatorOrigin::Reported: return "统计";
    case IndicatorOrigin::Synthetic: break;
  }
  return "合成";
}

std::string indicatorKpiId(const IndicatorDefinition& indicator) {
  if (indicator.source == IndicatorSource::Kpi) return indicator.sourceId;
  if (indicator.source == IndicatorSource::Computed) {
    for (const auto& [method, kpi] : kMethodKpis) {
      if (indicator.sourceId == method) return kpi;
    }
  }
  return {};
}

std::string indicatorTargetEn(const IndicatorDefinition& d) {
  switch (d.direction) {
    case TargetDirection::AtLeast:
      return "≥ " + withUnit(d.target, d.unit);
    case TargetDirection::AtMost:
      if (d.unit == "class") {
        if (const char* roman = romanClass(d.target)) return std::string("class ") + roman + " or better";
      }
      return "≤ " + withUnit(d.target, d.unit);
    case TargetDirection::About:
      return "about " + withUnit(d.target, d.unit) + " (± " + fmt(d.tolerance) + ")";
    case TargetDirection::DeclineGreaterThanBeijing:
      break;
  }
  return "decline greater than Beijing's";
}

int beijingYear(TimePoint t) {
  const std::string iso = formatIsoTime(t, kBeijingUtcOffsetMinutes);  // 2026-11-25T09:30:00+08:00
  return iso.size() >= 4 ? std::atoi(iso.substr(0, 4).c_str()) : 0;
}

IndicatorBoard::IndicatorBoard(Result<IndicatorCatalog> catalog, Result<IndicatorStatistics> statistics,
                               bool syntheticData)
    : syntheticData_(syntheticData) {
  if (catalog) {
    catalog_ = std::move(*catalog);
    titleZh_ = catalog_->titleZh;
    titleEn_ = catalog_->titleEn;
    groups_ = catalog_->groups;
    // Catalog problems that concern no indicator (a bad group, the title): the board's, not a row's.
    for (const IndicatorProblem& p : catalog_->problems) {
      if (p.number == 0) errors_.push_back(p.text());
    }
  } else {
    errors_.push_back(catalog.status().message());
  }
  if (statistics) {
    statistics_ = std::move(*statistics);
    for (const IndicatorProblem& p : statistics_->problems) {
      if (p.number == 0 || (catalog_ && catalog_->find(p.number) == nullptr)) errors_.push_back(p.text());
    }
  } else {
    statisticsError_ = statistics.status().message();
    errors_.push_back(statisticsError_);
  }
}

IndicatorBoard IndicatorBoard::loadBundled(bool syntheticData) {
  Result<IndicatorCatalog> catalog = readIndicatorCatalog(indicatorCatalogPath());
  Result<IndicatorStatistics> statistics =
      catalog ? readIndicatorStatistics(indicatorStatisticsPath(), *catalog)
              : Result<IndicatorStatistics>(Status(ErrorCode::NotFound, "no indicator catalog to read the statistics against"));
  return IndicatorBoard(std::move(catalog), std::move(statistics), syntheticData);
}

IndicatorRow IndicatorBoard::baseRow(const IndicatorDefinition& d) const {
  IndicatorRow row;
  row.number = d.number;
  row.group = d.group;
  row.nameZh = d.nameZh;
  row.nameEn = d.nameEn;
  row.unit = d.unit;
  row.unitZh = d.unitZh;
  row.targetZh = d.targetZh;
  row.targetEn = indicatorTargetEn(d);
  row.source = d.source;
  row.kpiId = indicatorKpiId(d);
  row.note = d.note;
  row.evidence = d.evidence;
  row.feeds = d.feeds;
  if (const IndicatorSeries* series = seriesOf(statistics_, d.number)) {
    for (const IndicatorProblem& p : series->problems) row.problems.push_back(p.text());
  }
  return row;
}

IndicatorRow IndicatorBoard::reportedRow(const IndicatorDefinition& d) const {
  IndicatorRow row = baseRow(d);
  row.methodZh = "统计部门逐年报告的数据（statistics.toml），显示最新年度的数值";
  row.methodEn = "Figures a statistics office reports each year (statistics.toml); the latest is shown";
  if (!statisticsError_.empty()) {
    row.assessment.reason = statisticsError_;
    row.noDataZh = "统计数据文件无法读取：" + statisticsError_;
    row.noDataEn = "the statistics file cannot be read: " + statisticsError_;
    return row;
  }
  const IndicatorSeries* series = seriesOf(statistics_, d.number);
  row.assessment = assessLatestFigure(d, series);
  if (series == nullptr || !series->hasData()) {
    if (series != nullptr && !series->problems.empty()) {
      row.noDataZh = "统计数据有误：" + series->problems.front().text();
      row.noDataEn = "bad statistics: " + series->problems.front().text();
    } else {
      row.noDataZh = "statistics.toml 中没有该指标的数据";
      row.noDataEn = "no figures for it in statistics.toml";
    }
    return row;
  }
  for (const IndicatorFigure& f : series->figures) row.trend.push_back({static_cast<double>(f.year), f.value});
  row.trendYearly = true;
  const IndicatorFigure& latest = *series->latest();
  row.value = latest.value;
  row.beijing = latest.beijing;
  row.year = latest.year;
  row.figureSource = latest.source;
  row.origin = latest.source == "synthetic" ? IndicatorOrigin::Synthetic : IndicatorOrigin::Reported;
  if (row.assessment.status == IndicatorStatus::NoData) {  // a figure without Beijing's: the reader refuses those
    row.noDataZh = row.noDataEn = row.assessment.reason;
  }
  return row;
}

IndicatorRow IndicatorBoard::computedRow(const IndicatorDefinition& d, const IndicatorKpiSource& kpis,
                                         TimePoint t) const {
  IndicatorRow row = baseRow(d);
  row.origin = syntheticData_ ? IndicatorOrigin::Synthetic : IndicatorOrigin::Computed;
  row.year = beijingYear(t);
  if (row.kpiId.empty()) {
    row.assessment.reason = "no plugin KPI implements the method '" + d.sourceId + "'";
    row.noDataZh = "没有插件 KPI 实现方法 " + d.sourceId;
    row.noDataEn = row.assessment.reason;
    return row;
  }
  const PluginKpiReading* reading = nullptr;
  for (const PluginKpiReading& r : kpis.kpiReadings()) {
    if (r.kpi.id == row.kpiId) reading = &r;
  }
  if (reading == nullptr) {
    row.methodZh = "由插件 KPI " + row.kpiId + " 计算";
    row.methodEn = "Computed by the plugin KPI " + row.kpiId;
    row.assessment.reason = "no active plugin provides the KPI '" + row.kpiId + "'";
    row.noDataZh = "没有已启用的插件提供 KPI " + row.kpiId;
    row.noDataEn = row.assessment.reason;
    return row;
  }
  row.methodZh = reading->kpi.methodZh;
  row.methodEn = reading->kpi.methodEn;
  row.time = reading->time;
  if (!reading->value) {
    row.assessment.reason = "the KPI failed: " + reading->error;
    row.noDataZh = "KPI 计算失败：" + reading->error;
    row.noDataEn = row.assessment.reason;
    return row;
  }
  for (const PluginKpiTrendPoint& p : kpis.kpiTrend(row.kpiId)) {
    row.trend.push_back({static_cast<double>(p.time), p.value});
  }
  row.valueNote = reading->value->note;
  row.districtFigure = kpis.districtFigure(row.kpiId);
  if (reading->value->status == PluginKpiStatus::Pending) {
    row.pending = true;
    row.assessment.reason = "the KPI is still being computed";
    if (!row.valueNote.empty()) row.assessment.reason += ": " + row.valueNote;
    row.noDataZh = "KPI 正在计算，稍候即有数值";
    row.noDataEn = row.assessment.reason;
    return row;
  }
  if (reading->value->status == PluginKpiStatus::NoData) {
    row.assessment.reason = "the KPI has no value";
    if (!row.valueNote.empty()) {  // the plugin says why ("no residential building in the area")
      row.assessment.reason += ": " + row.valueNote;
      row.noDataZh = "KPI 暂无数值：" + row.valueNote;
      row.noDataEn = "the KPI has no value: " + row.valueNote;
      return row;
    }
    row.noDataZh = "KPI 暂无数值：其输入数据尚未到达（实时数据未接入？）";
    row.noDataEn = "the KPI has no value: its input data has not arrived (no live feed?)";
    return row;
  }
  row.value = reading->value->value;
  const IndicatorSeries* series = seriesOf(statistics_, d.number);
  row.assessment = assessIndicator(d, row.year, *row.value, pathStart(d, series, row.year));
  return row;
}

bool IndicatorBoard::update(const IndicatorKpiSource& kpis, TimePoint t, std::chrono::milliseconds minInterval) {
  const auto now = std::chrono::steady_clock::now();
  if (version_ != 0 && now - lastUpdate_ < minInterval) return false;
  lastUpdate_ = now;
  rows_ = compute(kpis, t);
  ++version_;
  return true;
}

std::vector<IndicatorRow> IndicatorBoard::compute(const IndicatorKpiSource& kpis, TimePoint t, bool forArea) const {
  std::vector<IndicatorRow> rows;
  if (catalog_) {
    for (const IndicatorGroup& g : catalog_->groups) {
      for (const IndicatorDefinition& d : catalog_->indicators) {  // by number
        if (d.group != g.id) continue;
        if (d.source == IndicatorSource::Statistics) {
          rows.push_back(reportedRow(d));
          rows.back().districtFigure = forArea;
        } else {
          rows.push_back(computedRow(d, kpis, t));
        }
      }
    }
    // Entries the catalog left out: a row each, "no data" with the catalog's problems.
    std::set<int> left;
    for (const IndicatorProblem& p : catalog_->problems) {
      if (p.number != 0 && catalog_->find(p.number) == nullptr) left.insert(p.number);
    }
    for (int number : left) {
      IndicatorRow row;
      row.number = number;
      for (const IndicatorProblem& p : catalog_->problems) {
        if (p.number == number) row.problems.push_back(p.text());
      }
      row.assessment.reason = row.problems.front();
      row.noDataZh = "指标定义有误：" + row.problems.front();
      row.noDataEn = "bad definition: " + row.problems.front();
      rows.push_back(std::move(row));
    }
  }
  return rows;
}

}  // namespace gt::runtime
