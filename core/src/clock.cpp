#include "greentwin/core/clock.hpp"

#include <algorithm>
#include <cmath>

namespace gt {

const char* toString(ClockMode mode) {
  switch (mode) {
    case ClockMode::Live: return "live";
    case ClockMode::Paused: return "paused";
    case ClockMode::Playback: return "playback";
  }
  return "unknown";
}

Clock::Clock(WallSource wall) : wall_(wall ? std::move(wall) : WallSource(&wallNow)) {
  const TimePoint w = wall_();
  begin_ = w - kDefaultHistory;
  end_ = w;
  paused_ = w;
  anchorTwin_ = w;
  anchorWall_ = w;
}

TimeRange Clock::range() const {
  const TimePoint end = endAt(wall());
  return {begin_, std::max(begin_, end)};
}

Clock::Position Clock::playbackPosition(TimePoint wallTime) const {
  const TimeRange r{begin_, std::max(begin_, endAt(wallTime))};
  const Duration elapsed = wallTime - anchorWall_;
  const TimePoint raw = anchorTwin_ + static_cast<Duration>(std::llround(rate_ * static_cast<double>(elapsed)));
  if (rate_ > 0 && raw > r.end) {
    if (!followNow_) return {r.end, true};
    // The end moves at 1x: a faster playback caught up with it at anchorWall + (anchorWall - anchorTwin)/(rate - 1).
    TimePoint caught = r.end;
    if (rate_ > 1.0) {
      caught = anchorWall_ + static_cast<Duration>(static_cast<double>(anchorWall_ - anchorTwin_) / (rate_ - 1.0));
    }
    return {std::clamp(caught, r.begin, r.end), true};
  }
  if (rate_ < 0 && raw < r.begin) return {r.begin, true};
  return {std::clamp(raw, r.begin, r.end), false};
}

TimePoint Clock::now() const {
  const TimePoint w = wall();
  switch (mode_) {
    case ClockMode::Live: return std::max(begin_, w);
    case ClockMode::Paused: return paused_;
    case ClockMode::Playback: return playbackPosition(w).time;
  }
  return paused_;
}

ClockMode Clock::mode() const {
  if (mode_ == ClockMode::Playback && playbackPosition(wall()).stopped) return ClockMode::Paused;
  return mode_;
}

void Clock::settle() {
  if (mode_ != ClockMode::Playback) return;
  const Position p = playbackPosition(wall());
  if (p.stopped) {
    mode_ = ClockMode::Paused;
    paused_ = p.time;
  }
}

void Clock::startPlayback(TimePoint from) {
  mode_ = ClockMode::Playback;
  anchorWall_ = wall();
  anchorTwin_ = from;
}

Status Clock::setRate(double rate) {
  if (!std::isfinite(rate) || rate == 0.0) {
    return {ErrorCode::InvalidArgument, "clock rate must be finite and non-zero (use pause() to stop)"};
  }
  settle();
  if (mode_ == ClockMode::Playback) {
    const TimePoint t = now();
    rate_ = rate;
    startPlayback(t);
  } else {
    rate_ = rate;
  }
  return Status::ok();
}

void Clock::play() {
  settle();
  if (mode_ == ClockMode::Playback) return;
  const TimeRange r = range();
  TimePoint from = now();
  if (mode_ == ClockMode::Paused) {
    if (rate_ > 0 && from >= r.end) from = r.begin;
    if (rate_ < 0 && from <= r.begin) from = r.end;
  }
  startPlayback(from);
}

void Clock::pause() {
  settle();
  paused_ = now();
  mode_ = ClockMode::Paused;
}

void Clock::goLive() {
  followNow_ = true;
  mode_ = ClockMode::Live;
}

TimePoint Clock::seek(TimePoint t) {
  settle();
  const TimeRange r = range();
  t = std::clamp(t, r.begin, r.end);
  if (mode_ == ClockMode::Playback) {
    startPlayback(t);
  } else {
    mode_ = ClockMode::Paused;
    paused_ = t;
  }
  return t;
}

Status Clock::setRange(TimePoint begin, TimePoint end) {
  if (begin > end) return {ErrorCode::InvalidArgument, "clock range begin is after its end"};
  settle();
  const TimePoint current = now();
  followNow_ = false;
  begin_ = begin;
  end_ = end;
  const TimePoint t = std::clamp(current, begin, end);
  if (mode_ == ClockMode::Playback) {
    startPlayback(t);
  } else {
    mode_ = ClockMode::Paused;  // a fixed range ends Live
    paused_ = t;
  }
  return Status::ok();
}

Status Clock::setRangeFollowingNow(TimePoint begin) {
  const TimePoint w = wall();
  if (begin > w) return {ErrorCode::InvalidArgument, "clock range begin is after now"};
  settle();
  const TimePoint current = now();
  followNow_ = true;
  begin_ = begin;
  const TimePoint t = std::clamp(current, begin, w);
  if (mode_ == ClockMode::Playback) startPlayback(t);
  if (mode_ == ClockMode::Paused) paused_ = t;
  return Status::ok();
}

}  // namespace gt
