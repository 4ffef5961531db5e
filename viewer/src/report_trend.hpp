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
#include "greentwin/runtime/indicator_area.hpp"
#include "greentwin/runtime/indicator_board.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// Pauses the twin's clock at `t` (widening its range when t is outside: a recording from another day), waits for
// what t needs (Twin::waitForValues: layers, history, the values plugins derive), pumps frames until the plugins'
// KPIs have been recomputed for t (the board with them), and returns the rows for `area` at t
// (Twin::indicatorRows: the district's, or each KPI's area function and the district's figures where there is none).
// Errors: waitForValues' (timeouts), or no fresh KPIs within `timeout`.
Result<std::vector<runtime::IndicatorRow>> indicatorRowsAt(runtime::Twin& twin, const runtime::IndicatorArea& area,
                                                           TimePoint t,
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
// recomputed by the twin (indicatorRowsAt, source "recomputed"). The twin also records the district's computed
// values as series of the entities "indicators/NN" while its clock is live (kept in a [history] file): a twin that
// has them for the span could read them here instead (source "history"); a report's twin, built afresh and paused
// at a past T, has none. `progress` is told each time done (i of n).
struct IndicatorTimeline {
  std::vector<runtime::IndicatorRow> rows;                               // at request.end
  std::map<int, std::vector<runtime::IndicatorTrendPoint>> trends;       // by indicator number; computed only
  std::string source;                                                    // "recomputed"
};
Result<IndicatorTimeline> indicatorTimeline(runtime::Twin& twin, const runtime::IndicatorArea& area,
                                            const TrendRequest& request,
                                            const std::function<void(std::size_t, std::size_t)>& progress = {});

}  // namespace gt::viewer
