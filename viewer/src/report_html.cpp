#include "report_html.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "indicator_panel.hpp"
#include "report_scenario.hpp"
#include "report_text.hpp"

namespace gt::viewer {
namespace {

using runtime::IndicatorOrigin;
using runtime::IndicatorStatus;

// The dashboard's chip colours (indicator_panel.cpp), as CSS classes.
constexpr const char* kStyle = R"(
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
       margin: 24px auto; max-width: 1180px; color: #212121; background: #fff; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; }
h2 { font-size: 18px; margin-top: 28px; border-bottom: 2px solid #2e7d32; padding-bottom: 4px; color: #1b5e20; }
h3 { font-size: 15px; margin: 18px 0 6px; }
.sub { color: #616161; margin-top: 0; }
table { border-collapse: collapse; width: 100%; }
table.meta { width: auto; margin: 8px 0 12px; }
table.meta th { text-align: left; color: #616161; font-weight: normal; padding: 2px 16px 2px 0; }
table.meta td { padding: 2px 0; word-break: break-all; }
table.ind th { text-align: left; background: #eef3ee; font-weight: 600; padding: 6px; font-size: 14px; }
table.ind td { border-top: 1px solid #e0e0e0; padding: 6px; vertical-align: top; font-size: 14px; }
table.ind td.num { width: 28px; color: #616161; }
table.ind td.value { white-space: nowrap; }
.method { color: #616161; font-size: 12px; margin-top: 3px; }
.nodata { color: #b26a00; font-size: 12px; margin-top: 3px; }
.year { color: #9e9e9e; font-size: 12px; }
.chip { display: inline-block; color: #fff; border-radius: 4px; padding: 1px 8px; white-space: nowrap; }
.met { background: #2e9447; } .ontrack { background: #3373c7; } .offtrack { background: #cc4d38; }
.nodatachip { background: #616166; }
.computed { color: #2e7d32; } .reported { color: #455a64; } .synthetic { color: #b26a00; }
.counts span.chip { margin-right: 4px; } .counts b { margin-right: 16px; }
img.thumb { width: 150px; height: auto; border: 1px solid #e0e0e0; }
figure { margin: 12px 0 20px; display: inline-block; vertical-align: top; }
figure img { border: 1px solid #bdbdbd; max-width: 100%; height: auto; }
figcaption { font-size: 13px; color: #424242; margin-top: 4px; max-width: 640px; }
.legend span.swatch { display: inline-block; width: 12px; height: 12px; border: 1px solid #9e9e9e;
                      vertical-align: middle; margin: 0 4px 0 10px; }
.error { color: #c62828; }
@media print { body { margin: 0; } h2 { page-break-after: avoid; } figure { page-break-inside: avoid; } }
)";

const char* statusClass(IndicatorStatus status) {
  switch (status) {
    case IndicatorStatus::Met: return "met";
    case IndicatorStatus::OnTrack: return "ontrack";
    case IndicatorStatus::OffTrack: return "offtrack";
    case IndicatorStatus::NoData: break;
  }
  return "nodatachip";
}

const char* originClass(IndicatorOrigin origin) {
  switch (origin) {
    case IndicatorOrigin::Computed: return "computed";
    case IndicatorOrigin::Reported: return "reported";
    case IndicatorOrigin::Synthetic: break;
  }
  return "synthetic";
}

std::string cssColour(const layers::Rgba& c) {
  const auto byte = [](float v) { return static_cast<int>(std::lround(std::clamp(v, 0.0f, 1.0f) * 255.0f)); };
  char buf[64];
  std::snprintf(buf, sizeof buf, "rgba(%d,%d,%d,%.2f)", byte(c[0]), byte(c[1]), byte(c[2]), c[3]);
  return buf;
}

std::string chip(IndicatorStatus status, Language lang) {
  return std::string("<span class=\"chip ") + statusClass(status) + "\">" + reportStatusWord(status, lang) + "</span>";
}

// "values from 2026-07-14 17:30 to 2026-07-15 17:30, every 1 h" / "数值时段 ...，每 1 小时".
std::string trendCaption(const Report& report, const ReportIndicator& indicator) {
  const Language lang = report.language;
  if (indicator.row.trendYearly) return reportLabel(ReportLabel::ReportedYearly, lang);
  char step[32];
  std::snprintf(step, sizeof step, "%g", toSeconds(report.trendStep) / 3600.0);
  if (lang == Language::Chinese) {
    return std::string(reportLabel(ReportLabel::TrendSpan, lang)) + " " + reportShortTime(report.trendBegin) + " 至 " +
           reportShortTime(report.time) + "，每 " + step + " 小时";
  }
  return std::string(reportLabel(ReportLabel::TrendSpan, lang)) + " " + reportShortTime(report.trendBegin) + " to " +
         reportShortTime(report.time) + ", every " + step + " h";
}

void indicatorRowHtml(std::string& out, const ReportIndicator& indicator, Language lang) {
  const runtime::IndicatorRow& row = indicator.row;
  out += "<tr id=\"indicator-" + std::to_string(row.number) + "\"><td class=\"num\">" + std::to_string(row.number) +
         "</td><td>" + htmlEscape(byLanguage(row.nameEn, row.nameZh, lang));
  const std::string method = byLanguage(row.methodEn, row.methodZh, lang);
  if (!method.empty()) out += "<div class=\"method\">" + htmlEscape(method) + "</div>";
  const std::string noData = byLanguage(row.noDataEn, row.noDataZh, lang);
  if (!row.value && !noData.empty()) out += "<div class=\"nodata\">" + htmlEscape(noData) + "</div>";
  for (const std::string& p : row.problems) out += "<div class=\"nodata\">" + htmlEscape(p) + "</div>";
  out += "</td><td class=\"value\">" + htmlEscape(indicatorValueText(row, lang));
  if (row.value && row.time == 0 && row.year != 0) out += " <span class=\"year\">" + std::to_string(row.year) + "</span>";
  // An area's report: say which values are not the area's own (as the dashboard does).
  if (row.value && row.districtFigure) {
    out += std::string("<div class=\"year\">") + reportLabel(ReportLabel::DistrictFigure, lang) + "</div>";
  }
  out += "</td><td>" + htmlEscape(reportTargetText(row, lang)) + "</td><td>" + chip(row.status(), lang) +
         "</td><td class=\"" + originClass(row.origin) + "\">" + reportOriginWord(row.origin, lang) + "</td><td>";
  if (!indicator.chartFile.empty()) {
    out += "<a href=\"#trend-" + std::to_string(row.number) + "\"><img class=\"thumb\" src=\"" +
           htmlEscape(indicator.chartFile) + "\" alt=\"" + reportLabel(ReportLabel::Trend, lang) + " " +
           std::to_string(row.number) + "\"></a>";
  }
  out += "</td></tr>\n";
}

void mapHtml(std::string& out, const ReportMap& map, Language lang) {
  const std::string title = "#" + std::to_string(map.number) + " " + byLanguage(map.titleEn, map.titleZh, lang);
  if (map.file.empty()) {
    out += "<p class=\"error\">" + htmlEscape(title) + ": " + reportLabel(ReportLabel::MapNotDrawn, lang) + " (" +
           htmlEscape(map.problem) + ")</p>\n";
    return;
  }
  out += "<figure id=\"map-" + std::to_string(map.number) + "\"><img src=\"" + htmlEscape(map.file) + "\" alt=\"" +
         htmlEscape(title) + "\"><figcaption><b>" + htmlEscape(title) + "</b>";
  for (const ReportMap::Legend& legend : map.legends) {
    if (legend.entries.empty()) continue;
    out += "<div class=\"legend\">" + htmlEscape(byLanguage(legend.layerNameEn, legend.layerNameZh, lang)) + ":";
    for (const layers::LegendEntry& e : legend.entries) {
      out += "<span class=\"swatch\" style=\"background:" + cssColour(e.color) + "\"></span>" +
             htmlEscape(byLanguage(e.labelEn, e.labelZh, lang));
    }
    out += "</div>";
  }
  out += "</figcaption></figure>\n";
}

}  // namespace

std::string htmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string indicatorHtml(const Report& report) {
  const Language lang = report.language;
  const std::string title = byLanguage(report.titleEn, report.titleZh, lang);
  std::string out = std::string("<!DOCTYPE html>\n<html lang=\"") + (lang == Language::Chinese ? "zh-CN" : "en") +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + htmlEscape(title) + " · " +
                    reportLabel(ReportLabel::Report, lang) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<h1>" + htmlEscape(title) + "</h1>\n<p class=\"sub\">" + reportLabel(ReportLabel::Report, lang) + "</p>\n";
  out += "<table class=\"meta\">\n";
  const auto meta = [&](ReportLabel label, const std::string& value) {
    out += std::string("<tr><th>") + reportLabel(label, lang) + "</th><td>" + htmlEscape(value) + "</td></tr>\n";
  };
  meta(ReportLabel::Area, byLanguage(report.areaNameEn, report.areaNameZh, lang) + " (" + report.areaId + ")");
  meta(ReportLabel::Time, reportIsoTime(report.time));
  meta(ReportLabel::Generated, reportIsoTime(report.generated));
  meta(ReportLabel::Config, report.configPath);
  meta(ReportLabel::Recording,
       report.replayPath.empty() ? std::string(reportLabel(ReportLabel::NoRecording, lang)) : report.replayPath);
  out += "</table>\n";
  for (const std::string& e : report.errors) out += "<p class=\"error\">" + htmlEscape(e) + "</p>\n";

  out += "<p class=\"counts\">";
  for (IndicatorStatus s : {IndicatorStatus::Met, IndicatorStatus::OnTrack, IndicatorStatus::OffTrack,
                            IndicatorStatus::NoData}) {
    const auto n = std::count_if(report.indicators.begin(), report.indicators.end(),
                                 [s](const ReportIndicator& i) { return i.row.status() == s; });
    out += chip(s, lang) + "<b>" + std::to_string(n) + "</b>";
  }
  out += "</p>\n";

  // The groups in the catalog's order, then entries the catalog could not load.
  std::vector<runtime::IndicatorGroup> groups = report.groups;
  groups.push_back({"", "未能加载", "Not loaded"});
  for (const runtime::IndicatorGroup& g : groups) {
    if (std::none_of(report.indicators.begin(), report.indicators.end(),
                     [&g](const ReportIndicator& i) { return i.row.group == g.id; })) {
      continue;
    }
    out += "<h2>" + htmlEscape(byLanguage(g.nameEn, g.nameZh, lang)) + "</h2>\n<table class=\"ind\">\n<tr><th>#</th>";
    for (ReportLabel l : {ReportLabel::Indicator, ReportLabel::Value, ReportLabel::Target, ReportLabel::Status,
                          ReportLabel::Source, ReportLabel::Trend}) {
      out += std::string("<th>") + reportLabel(l, lang) + "</th>";
    }
    out += "</tr>\n";
    for (const ReportIndicator& indicator : report.indicators) {
      if (indicator.row.group == g.id) indicatorRowHtml(out, indicator, lang);
    }
    out += "</table>\n";
  }

  if (std::any_of(report.indicators.begin(), report.indicators.end(),
                  [](const ReportIndicator& i) { return !i.chartFile.empty(); })) {
    out += std::string("<h2>") + reportLabel(ReportLabel::TrendCharts, lang) + "</h2>\n";
    for (const ReportIndicator& indicator : report.indicators) {
      if (indicator.chartFile.empty()) continue;
      const runtime::IndicatorRow& row = indicator.row;
      const std::string name = "#" + std::to_string(row.number) + " " + byLanguage(row.nameEn, row.nameZh, lang);
      out += "<figure id=\"trend-" + std::to_string(row.number) + "\"><img src=\"" + htmlEscape(indicator.chartFile) +
             "\" alt=\"" + htmlEscape(name) + "\"><figcaption><b>" + htmlEscape(name) + "</b> (" +
             htmlEscape(reportUnit(row, lang)) + ") · " + reportLabel(ReportLabel::Target, lang) + " " +
             htmlEscape(reportTargetText(row, lang)) + "<br>" + htmlEscape(trendCaption(report, indicator)) +
             "</figcaption></figure>\n";
    }
  }

  out += scenarioHtml(report);
  if (!report.maps.empty()) {
    out += std::string("<h2>") + reportLabel(ReportLabel::Maps, lang) + "</h2>\n";
    for (const ReportMap& map : report.maps) mapHtml(out, map, lang);
  }
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace gt::viewer
