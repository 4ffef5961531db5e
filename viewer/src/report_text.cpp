#include "report_text.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace gt::viewer {
namespace {

constexpr int kBeijingUtcOffsetMinutes = 8 * 60;

struct LabelText {
  const char* en;
  const char* zh;
};
constexpr std::array<LabelText, static_cast<int>(ReportLabel::Count)> kLabels{{
    {"Indicators report", "指标报告"},
    {"Area", "区域"},
    {"Time", "时间"},
    {"Generated", "生成时间"},
    {"Config", "配置"},
    {"Recording", "数据回放"},
    {"none (the twin's own data)", "无（孪生体自身数据）"},
    {"Indicator", "指标"},
    {"Value", "当前值"},
    {"2025 target", "2025 年目标"},
    {"Status", "状态"},
    {"Source", "来源"},
    {"Method", "方法"},
    {"Trend", "趋势"},
    {"Trends of the indicators", "指标趋势"},
    {"Evidence on the map", "地图佐证"},
    {"No data", "无数据原因"},
    {"Problems", "问题"},
    {"Legend", "图例"},
    {"map not drawn", "地图未能绘制"},
    {"values from", "数值时段"},
    {"reported yearly figures", "逐年统计数据"},
    {"the whole district's figure", "全区数值"},
}};

}  // namespace

const char* reportLabel(ReportLabel id, Language language) {
  const LabelText& l = kLabels[static_cast<int>(id)];
  return language == Language::Chinese ? l.zh : l.en;
}

const char* reportStatusWord(runtime::IndicatorStatus status, Language language) {
  return language == Language::Chinese ? runtime::indicatorStatusNameZh(status) : runtime::indicatorStatusName(status);
}

const char* reportOriginWord(runtime::IndicatorOrigin origin, Language language) {
  return language == Language::Chinese ? runtime::indicatorOriginNameZh(origin) : runtime::indicatorOriginName(origin);
}

std::string reportNumber(double value) {
  if (!std::isfinite(value)) return "";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", value);
  return buf;
}

const std::string& reportUnit(const runtime::IndicatorRow& row, Language language) {
  return language == Language::Chinese && !row.unitZh.empty() ? row.unitZh : row.unit;
}

std::string reportTargetText(const runtime::IndicatorRow& row, Language language) {
  std::string text = byLanguage(row.targetEn, row.targetZh, language);
  if (!row.beijing) return text;
  const std::string& unit = reportUnit(row, language);
  const std::string figure = reportNumber(*row.beijing) + (unit == "%" ? "" : " ") + unit;
  return language == Language::Chinese ? text + "（" + figure + "）" : text + ": " + figure;
}

std::string reportIsoTime(TimePoint t) { return formatIsoTime(t, kBeijingUtcOffsetMinutes); }

std::string reportShortTime(TimePoint t) {
  const std::string iso = reportIsoTime(t);  // 2026-07-15T17:30:00+08:00
  return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) : iso;
}

}  // namespace gt::viewer
