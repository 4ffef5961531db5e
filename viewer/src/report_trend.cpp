#include "report_trend.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <thread>

#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

// The clock paused at t, its range widened to hold t.
Status pauseClockAt(runtime::Twin& twin, TimePoint t) {
  Clock& clock = twin.clock();
  const TimeRange range = clock.range();
  if (!range.contains(t)) {
    if (Status s = clock.setRange(std::min(range.begin, t), std::max(range.end, t)); !s) return s;
  }
  clock.seek(t);
  clock.pause();
  return Status::ok();
}

// Every row a KPI computed was computed for t (rows without a reading have time 0).
bool rowsComputedFor(const std::vector<runtime::IndicatorRow>& rows, TimePoint t) {
  return std::all_of(rows.begin(), rows.end(), [t](const runtime::IndicatorRow& r) { return r.time == 0 || r.time == t; });
}

}  // namespace

Result<std::vector<runtime::IndicatorRow>> indicatorRowsAt(runtime::Twin& twin, const runtime::IndicatorArea& area,
                                                           TimePoint t, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  if (Status s = pauseClockAt(twin, t); !s) return s;
  // A frame at t before waitForValues pumps update(): polled plugin sources read the store at the last frame's time,
  // and one that saw a recording's newest sample at a later time (the live clock after a replay) judges it stale
  // and never derives from it again (the air_quality plugin's AQI).
  twin.beginFrame();
  if (Status s = twin.waitForValues(timeout); !s) return s;
  // The board recomputes once a second, right after the KPIs (also once a second): one recomputation that starts
  // after the values settled says the plugins' KPIs are those of t; the area's rows are computed from them (and
  // the plugins' area functions) at the frame's time, t.
  std::uint64_t askedAt = twin.indicators().version();  // the board version the area's rows were last asked at
  std::optional<std::vector<runtime::IndicatorRow>> rows;
  for (;;) {
    twin.update(std::numeric_limits<std::size_t>::max());
    twin.beginFrame();
    const runtime::IndicatorBoard& board = twin.indicators();
    const bool late = std::chrono::steady_clock::now() > deadline;
    // The area's rows are asked once per recomputation of the board (they call the plugins' area functions), not
    // at every 20 ms turn of this loop.
    if (board.version() != askedAt && rowsComputedFor(board.rows(), t)) {
      askedAt = board.version();
      rows = twin.indicatorRows(area);
    }
    // A KPI its plugin still computes (layers being read, a background job) is waited for; at the deadline the
    // rows go out as they are, that row saying it was still being computed.
    if (rows && (late || std::none_of(rows->begin(), rows->end(),
                                      [](const runtime::IndicatorRow& r) { return r.pending; }))) {
      return std::move(*rows);
    }
    if (late) {
      return Status(ErrorCode::Internal, "the indicators were not recomputed for " + formatIsoTime(t) + " in time");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::vector<TimePoint> trendTimes(const TrendRequest& request) {
  std::vector<TimePoint> times;
  if (request.span > 0 && request.step > 0) {
    for (TimePoint t = request.end - request.span; t < request.end; t += request.step) times.push_back(t);
  }
  times.push_back(request.end);
  return times;
}

Result<IndicatorTimeline> indicatorTimeline(runtime::Twin& twin, const runtime::IndicatorArea& area,
                                            const TrendRequest& request,
                                            const std::function<void(std::size_t, std::size_t)>& progress) {
  IndicatorTimeline timeline;
  timeline.source = "recomputed";
  const std::vector<TimePoint> times = trendTimes(request);
  for (std::size_t i = 0; i < times.size(); ++i) {
    auto rows = indicatorRowsAt(twin, area, times[i]);
    if (!rows) return rows.status();
    for (const runtime::IndicatorRow& row : *rows) {
      if (row.source == runtime::IndicatorSource::Statistics || row.group.empty()) continue;
      timeline.trends[row.number].push_back(
          {static_cast<double>(times[i]), row.value.value_or(std::numeric_limits<double>::quiet_NaN())});
    }
    if (i + 1 == times.size()) timeline.rows = std::move(*rows);
    if (progress) progress(i + 1, times.size());
  }
  return timeline;
}

}  // namespace gt::viewer
