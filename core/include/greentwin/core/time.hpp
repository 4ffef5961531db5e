#pragma once
// Twin time: microseconds since the Unix epoch, UTC. One integer type everywhere (store, clock, wire, UI),
// so that comparisons are exact and no layer converts between clocks.

#include <cstdint>
#include <string>
#include <string_view>

#include "greentwin/core/status.hpp"

namespace gt {

using TimePoint = std::int64_t;  // microseconds since 1970-01-01T00:00:00Z
using Duration = std::int64_t;   // microseconds

constexpr Duration kMicrosPerSecond = 1'000'000;
constexpr Duration seconds(double s) { return static_cast<Duration>(s * 1e6); }
constexpr double toSeconds(Duration d) { return static_cast<double>(d) / 1e6; }

// A closed interval [begin, end] of twin time (clock range, a series' span, a chart window).
struct TimeRange {
  TimePoint begin = 0;
  TimePoint end = 0;
  Duration length() const { return end - begin; }
  bool contains(TimePoint t) const { return t >= begin && t <= end; }
  friend bool operator==(const TimeRange&, const TimeRange&) = default;
};

// Wall-clock now (system_clock), as TimePoint.
TimePoint wallNow();

// ISO 8601 / RFC 3339 text: "2026-11-26T08:00:00Z", "2026-11-26T16:00:00+08:00", "2026-11-26 08:00:00"
// (no zone = UTC), fractional seconds allowed.
Result<TimePoint> parseIsoTime(std::string_view text);
// "2026-11-26T08:00:00Z" (UTC); with utcOffsetMinutes != 0, local time with its offset, e.g. "+08:00".
std::string formatIsoTime(TimePoint t, int utcOffsetMinutes = 0);

}  // namespace gt
