#pragma once
// The twin's one clock (DESIGN.md "Time"): every layer, chart, KPI and wall tile reads the same Clock::now().
//
// Modes:
//  - Live:     now() follows the wall clock; the range end follows now.
//  - Paused:   now() is frozen.
//  - Playback: now() advances at rate() x wall time from where playback started (rate may be fractional or
//              negative, never zero). Playback stops (becomes Paused) when it reaches the range end (rate > 0)
//              or the range begin (rate < 0); mode() reports Paused from that moment on, even before the next
//              mutating call.
//
// Range [begin, end]: now() is always inside it. The end is either fixed (setRange) or follows wall now
// (setRangeFollowingNow, the default; goLive() turns following on). With a following end, a playback faster than
// real time catches up with now and stops there.
//
// Decisions:
//  - seek(t) while Live switches to Paused at t (a user scrubbing wants to look at that moment; play() then
//    resumes from it at rate()). seek() in Playback keeps playing from t; in Paused stays paused at t.
//  - play() from Live starts playback from the current wall time. play() when already at the bound in the
//    direction of travel restarts from the opposite bound (like a video player).
//  - setRange() with a fixed end leaves Live (Paused at now clamped into the new range).
//
// The wall-time source is injected so tests are deterministic; it defaults to wallNow().
//
// Not thread-safe: owned by the update/render thread. Other threads (wall broadcast, UI commands) get the clock
// state as values (now(), mode(), rate(), range()) or send commands that are applied on that thread.

#include <functional>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt {

enum class ClockMode { Live, Paused, Playback };
const char* toString(ClockMode mode);

class Clock {
 public:
  using WallSource = std::function<TimePoint()>;
  // History shown by default: the range begins this long before construction and its end follows now.
  static constexpr Duration kDefaultHistory = 24 * 3600 * kMicrosPerSecond;

  // Starts Live with rate 1. An empty source means wallNow().
  explicit Clock(WallSource wall = {});

  // The twin time everything reads (once per frame in the viewer). Always inside range().
  TimePoint now() const;
  ClockMode mode() const;
  bool isLive() const { return mode() == ClockMode::Live; }
  // Playback rate: twin seconds per wall second. Kept across pause()/goLive(); 1 by default.
  double rate() const { return rate_; }
  // The current range; in Live mode (or whenever the end follows now) end == wall now.
  TimeRange range() const;
  bool rangeFollowsNow() const { return followNow_; }

  // Rate must be finite and non-zero (use pause() to stop); otherwise InvalidArgument and nothing changes.
  // Changing the rate during playback continues from the current time without a jump.
  Status setRate(double rate);
  void play();
  void pause();
  void goLive();
  // Moves to t clamped into range(); returns the time actually set. See the header comment for mode effects.
  TimePoint seek(TimePoint t);
  // Fixed range; begin > end is InvalidArgument. The current time is clamped into it.
  Status setRange(TimePoint begin, TimePoint end);
  // Range whose end follows wall now; begin > now is InvalidArgument.
  Status setRangeFollowingNow(TimePoint begin);

 private:
  struct Position {
    TimePoint time;
    bool stopped;  // playback reached a bound
  };
  TimePoint wall() const { return wall_(); }
  TimePoint endAt(TimePoint wallTime) const { return followNow_ ? wallTime : end_; }
  Position playbackPosition(TimePoint wallTime) const;
  // Turns an effective state (playback that reached a bound) into the stored state before a change.
  void settle();
  void startPlayback(TimePoint from);

  WallSource wall_;
  ClockMode mode_ = ClockMode::Live;
  double rate_ = 1.0;
  TimePoint paused_ = 0;       // Paused: the frozen time
  TimePoint anchorTwin_ = 0;   // Playback: twin time at anchorWall_
  TimePoint anchorWall_ = 0;
  TimePoint begin_ = 0;
  TimePoint end_ = 0;          // used when !followNow_
  bool followNow_ = true;
};

}  // namespace gt
