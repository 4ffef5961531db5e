#include "report_json.hpp"

#include <nlohmann/json.hpp>

#include "report_scenario.hpp"
#include "report_text.hpp"

namespace gt::viewer {
namespace {

using nlohmann::json;

json optionalNumber(const std::optional<double>& v) { return v ? json(*v) : json(nullptr); }
json optionalText(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }

json trendJson(const runtime::IndicatorRow& row) {
  json points = json::array();
  for (const runtime::IndicatorTrendPoint& p : row.trend) {
    if (row.trendYearly) {
      points.push_back({{"year", static_cast<int>(p.x)}, {"value", p.value}});
    } else {
      points.push_back({{"time", reportIsoTime(static_cast<TimePoint>(p.x))}, {"value", p.value}});
    }
  }
  return points;
}

json indicatorJsonObject(const ReportIndicator& indicator, Language lang) {
  const runtime::IndicatorRow& row = indicator.row;
  const std::string noData = byLanguage(row.noDataEn, row.noDataZh, lang);
  return {
      {"number", row.number},
      {"group", row.group},
      {"name_zh", row.nameZh},
      {"name_en", row.nameEn},
      {"value", optionalNumber(row.value)},
      {"unit", row.unit},
      {"unit_zh", row.unitZh},
      {"target", reportTargetText(row, lang)},
      {"target_zh", row.targetZh},
      {"target_en", row.targetEn},
      {"target_value", optionalNumber(indicator.target)},
      {"direction", indicator.direction},
      {"beijing", optionalNumber(row.beijing)},
      {"status", runtime::indicatorStatusName(row.status())},
      {"source", runtime::indicatorOriginName(row.origin)},
      {"computed", indicator.computed()},
      {"district_figure", row.districtFigure},
      {"kpi", optionalText(row.kpiId)},
      {"year", row.year != 0 ? json(row.year) : json(nullptr)},
      {"computed_at", row.time != 0 ? json(reportIsoTime(row.time)) : json(nullptr)},
      {"method", byLanguage(row.methodEn, row.methodZh, lang)},
      {"method_zh", row.methodZh},
      {"method_en", row.methodEn},
      {"no_data_reason", row.value ? json(nullptr) : optionalText(noData)},
      {"no_data_reason_zh", optionalText(row.noDataZh)},
      {"no_data_reason_en", optionalText(row.noDataEn)},
      {"problems", row.problems},
      {"trend", trendJson(row)},
      {"chart", optionalText(indicator.chartFile)},
  };
}

}  // namespace

std::string indicatorJson(const Report& report) {
  const Language lang = report.language;
  json trend = nullptr;
  if (report.trendStep > 0) {
    trend = {{"from", reportIsoTime(report.trendBegin)},
             {"to", reportIsoTime(report.time)},
             {"step_s", toSeconds(report.trendStep)},
             {"source", report.trendSource}};
  }
  json doc;
  doc["report"] = {
      {"title_zh", report.titleZh},
      {"title_en", report.titleEn},
      {"area", {{"id", report.areaId}, {"name_zh", report.areaNameZh}, {"name_en", report.areaNameEn}}},
      {"time", reportIsoTime(report.time)},
      {"language", languageCode(lang)},
      {"config", report.configPath},
      {"recording", optionalText(report.replayPath)},
      {"generated", reportIsoTime(report.generated)},
      {"trend", trend},
      {"errors", report.errors},
  };
  json groups = json::array();
  for (const runtime::IndicatorGroup& g : report.groups) {
    groups.push_back({{"id", g.id}, {"name_zh", g.nameZh}, {"name_en", g.nameEn}});
  }
  doc["groups"] = groups;
  json indicators = json::array();
  for (const ReportIndicator& indicator : report.indicators) indicators.push_back(indicatorJsonObject(indicator, lang));
  doc["indicators"] = indicators;
  json maps = json::array();
  for (const ReportMap& map : report.maps) {
    maps.push_back({{"indicator", map.number},
                    {"title", byLanguage(map.titleEn, map.titleZh, lang)},
                    {"file", optionalText(map.file)},
                    {"problem", optionalText(map.problem)}});
  }
  doc["maps"] = maps;
  if (report.scenario) doc["scenario"] = scenarioJson(report);
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace gt::viewer
