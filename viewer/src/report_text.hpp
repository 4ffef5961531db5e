#pragma once
// The words and numbers of an indicators report, shared by its CSV, JSON and HTML (report_model.hpp): the report's
// own labels in Chinese and English, status and source words, value and target texts. Pure functions.

#include <string>

#include "greentwin/core/time.hpp"
#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/viewer/i18n.hpp"

namespace gt::viewer {

enum class ReportLabel : int {
  Report, Area, Time, Generated, Config, Recording, NoRecording, Indicator, Value, Target, Status, Source, Method,
  Trend, TrendCharts, Maps, NoData, Problems, Legend, MapNotDrawn, TrendSpan, ReportedYearly, DistrictFigure, Count
};
const char* reportLabel(ReportLabel id, Language language);

// "met" / 达标 ... (runtime's words).
const char* reportStatusWord(runtime::IndicatorStatus status, Language language);
// "computed" / 计算, "reported" / 统计, "synthetic" / 合成.
const char* reportOriginWord(runtime::IndicatorOrigin origin, Language language);

// A value as a machine reads it: up to 6 significant digits, '.' as the decimal point ("16.9781", "2.64", "4").
std::string reportNumber(double value);
// The unit in `language` (unitZh in Chinese when there is one).
const std::string& reportUnit(const runtime::IndicatorRow& row, Language language);
// The target as the dashboard shows it: the programme's text in Chinese, English words otherwise; with Beijing's
// figure when the target is to beat it ("降幅超过全市平均水平（3.6%）", "decline greater than Beijing's: 3.6%").
std::string reportTargetText(const runtime::IndicatorRow& row, Language language);

// Beijing time (UTC+8): "2026-07-15T17:30:00+08:00" (ISO 8601, for files), "2026-07-15 17:30" (for people).
std::string reportIsoTime(TimePoint t);
std::string reportShortTime(TimePoint t);

}  // namespace gt::viewer
