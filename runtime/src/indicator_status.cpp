// The status rule of the indicators (runtime/indicators.hpp; docs/indicators.md "Status").

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "greentwin/runtime/indicators.hpp"

namespace gt::runtime {
namespace {

std::string fmt(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Figures are published to a few decimals and the path is computed: equal within this counts as on it.
double slack(double target) { return 1e-9 * std::max(1.0, std::fabs(target)); }

}  // namespace

const char* indicatorStatusName(IndicatorStatus status) {
  switch (status) {
    case IndicatorStatus::Met: return "met";
    case IndicatorStatus::OnTrack: return "on track";
    case IndicatorStatus::OffTrack: return "off track";
    case IndicatorStatus::NoData: break;
  }
  return "no data";
}

const char* indicatorStatusNameZh(IndicatorStatus status) {
  switch (status) {
    case IndicatorStatus::Met: return "达标";
    case IndicatorStatus::OnTrack: return "进度正常";
    case IndicatorStatus::OffTrack: return "进度滞后";
    case IndicatorStatus::NoData: break;
  }
  return "无数据";
}

IndicatorAssessment assessIndicator(const IndicatorDefinition& indicator, int year, double value,
                                    const std::optional<IndicatorBaseline>& start, std::optional<double> beijing) {
  IndicatorAssessment a;
  if (std::isnan(value)) {
    a.reason = "no value";
    return a;
  }
  if (indicator.direction == TargetDirection::DeclineGreaterThanBeijing) {
    if (!beijing || std::isnan(*beijing)) {
      a.reason = "no Beijing figure for " + std::to_string(year);
      return a;
    }
    const bool met = value > *beijing;
    a.status = met ? IndicatorStatus::Met : IndicatorStatus::OffTrack;
    a.reason = "decline " + fmt(value) + (met ? " > " : " <= ") + "Beijing's " + fmt(*beijing);
    return a;
  }
  // "~": reached within the tolerance, or past the target in the direction of progress - upwards unless the start
  // lies above the target. The band's near edge is the target the path leads to.
  bool upwards = indicator.direction != TargetDirection::AtMost;
  double target = indicator.target;
  if (indicator.direction == TargetDirection::About) {
    upwards = !start || start->value <= indicator.target;
    target = upwards ? indicator.target - indicator.tolerance : indicator.target + indicator.tolerance;
  }
  const double eps = slack(target);
  const auto atOrBeyond = [&](double v, double mark) { return upwards ? v >= mark - eps : v <= mark + eps; };
  const std::string op = upwards ? ">=" : "<=";
  if (atOrBeyond(value, target)) {
    a.status = IndicatorStatus::Met;
    a.reason = fmt(value) + " " + op + " " + fmt(target);
    return a;
  }
  a.status = IndicatorStatus::OffTrack;
  if (year >= indicator.targetYear) {
    a.reason = "target " + op + " " + fmt(target) + " not met by " + std::to_string(indicator.targetYear);
    return a;
  }
  if (!start || start->year >= indicator.targetYear) {
    a.reason = "target " + op + " " + fmt(target) + " not met, and no baseline to draw a path from";
    return a;
  }
  const double t = std::clamp(static_cast<double>(year - start->year) / (indicator.targetYear - start->year), 0.0, 1.0);
  const double expected = start->value + (target - start->value) * t;
  a.expected = expected;
  if (atOrBeyond(value, expected)) {
    a.status = IndicatorStatus::OnTrack;
    a.reason = fmt(value) + " " + op + " " + fmt(expected) + " on the path from " + fmt(start->value) + " (" +
               std::to_string(start->year) + ")";
  } else {
    a.reason = fmt(value) + " behind the path: " + fmt(expected) + " expected in " + std::to_string(year) + " from " +
               fmt(start->value) + " (" + std::to_string(start->year) + ")";
  }
  return a;
}

std::optional<IndicatorBaseline> pathStart(const IndicatorDefinition& indicator, const IndicatorSeries* series,
                                           int year) {
  if (indicator.baseline) return indicator.baseline;
  if (series == nullptr || !series->hasData()) return std::nullopt;
  const IndicatorFigure& first = series->figures.front();  // by year
  if (first.year >= year) return std::nullopt;
  return IndicatorBaseline{first.year, first.value};
}

IndicatorAssessment assessLatestFigure(const IndicatorDefinition& indicator, const IndicatorSeries* series) {
  if (series == nullptr || !series->hasData()) {
    IndicatorAssessment a;
    a.reason = series != nullptr && !series->problems.empty() ? series->problems.front().text() : "no figures";
    return a;
  }
  const IndicatorFigure& latest = series->figures.back();
  return assessIndicator(indicator, latest.year, latest.value, pathStart(indicator, series, latest.year),
                         latest.beijing);
}

}  // namespace gt::runtime
