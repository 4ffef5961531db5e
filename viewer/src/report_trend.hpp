#pragma once
// The indicators of an area at a clock time and over time, as the twin computes them, for `greentwin report`
// (docs/indicators.md "Report"). Update thread (the caller's: a headless tool runs the twin on its main thread).

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/runtime/indicator_board.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// The area a report is for. Today only "district": the twin's indicators as its dashboard computes them.
struct ReportArea {
  std::string id = "district";
};
// Ok for an area the report can compute; else InvalidArgument naming it and what is accepted.
Status checkReportArea(const std::string& id);

// Pauses the twin's clock at `t` (widening its range when t is outside: a recording from another day), waits for
// what t needs (Twin::waitForValues: layers, history, the values plugins derive) and returns the indicator rows the
// twin's board computes for t (pumping frames until the board has been recomputed from KPIs computed for t).
// Errors: waitForValues' (timeouts), or no fresh board within `timeout`.
Result<std::vector<runtime::IndicatorRow>> indicatorRowsAt(runtime::Twin& twin, const ReportArea& area, TimePoint t,
                                                           std::chrono::milliseconds timeout = std::chrono::minutes(2));

struct TrendRequest {
  TimePoint end = 0;      // the report's time: the last point
  Duration span = 0;      // the first point is at end - span
  Duration step = 0;      // between points; span or step 0: no trend (only `end`)
};
// The times of a request, oldest first: end - span, end - span + step, ..., end (end always last).
std::vector<TimePoint> trendTimes(const TrendRequest& request);

// The report's trend: each computed indicator's value at every time of the request (NaN where it had none), and
// the rows at the last time (the report's rows). THE one place the trend comes from: today every time is
// recomputed by the twin (indicatorRowsAt, source "recomputed"); when the twin keeps indicator values in history
// as series, this reads them from there instead. `progress` is told each time done (i of n).
struct IndicatorTimeline {
  std::vector<runtime::IndicatorRow> rows;                               // at request.end
  std::map<int, std::vector<runtime::IndicatorTrendPoint>> trends;       // by indicator number; computed only
  std::string source;                                                    // "recomputed"
};
Result<IndicatorTimeline> indicatorTimeline(runtime::Twin& twin, const ReportArea& area, const TrendRequest& request,
                                            const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace gt::viewer
