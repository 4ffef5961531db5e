#include "greentwin/wall/tour.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gt::wall {
namespace {

// Heading in [0, 360).
double wrapHeading(double deg) {
  const double h = std::fmod(deg, 360.0);
  return h < 0 ? h + 360.0 : h;
}

// The signed turn from `a` to `b` along the shorter arc, in (-180, 180].
double shortestTurn(double a, double b) {
  double d = std::fmod(b - a, 360.0);
  if (d > 180.0) d -= 360.0;
  if (d <= -180.0) d += 360.0;
  return d;
}

}  // namespace

double easeInOut(double t) {
  t = std::clamp(t, 0.0, 1.0);
  return t * t * (3.0 - 2.0 * t);
}

CameraPose flightPose(const CameraPose& from, const CameraPose& to, double t) {
  const double s = easeInOut(t);
  CameraPose p;
  p.x = from.x + (to.x - from.x) * s;
  p.y = from.y + (to.y - from.y) * s;
  p.z = from.z + (to.z - from.z) * s;
  p.headingDeg = wrapHeading(from.headingDeg + shortestTurn(from.headingDeg, to.headingDeg) * s);
  p.pitchDeg = from.pitchDeg + (to.pitchDeg - from.pitchDeg) * s;
  // Geometric: each second of the zoom changes the range by the same factor (linear for a degenerate range).
  p.rangeM = from.rangeM > 0 && to.rangeM > 0 ? from.rangeM * std::pow(to.rangeM / from.rangeM, s)
                                              : from.rangeM + (to.rangeM - from.rangeM) * s;
  // A far hop rises so that the range at mid-flight is at least the hop's length; sin(pi s) keeps the ends exact.
  const double hop = std::hypot(to.x - from.x, to.y - from.y);
  const double midRange =
      from.rangeM > 0 && to.rangeM > 0 ? std::sqrt(from.rangeM * to.rangeM) : (from.rangeM + to.rangeM) / 2;
  const double rise = std::max(0.0, hop - midRange);
  p.rangeM += rise * std::sin(std::numbers::pi * s);
  if (t >= 1.0) p = to;  // exactly the stop's pose on arrival
  return p;
}

Status TourPlayer::start(const Tour& tour, std::vector<CameraPose> stopPoses, std::optional<CameraPose> from) {
  if (tour.stops.empty()) return Status(ErrorCode::InvalidArgument, "tour '" + tour.id + "' has no stops");
  if (stopPoses.size() != tour.stops.size()) {
    return Status(ErrorCode::InvalidArgument, "tour '" + tour.id + "' has " + std::to_string(tour.stops.size()) +
                                                  " stops but " + std::to_string(stopPoses.size()) + " poses");
  }
  tour_ = tour;
  poses_ = std::move(stopPoses);
  active_ = true;
  paused_ = false;
  arrivalPending_ = false;
  if (from) {
    beginFlight(0, *from);
  } else {
    beginDwell(0);
    arrivalPending_ = true;
  }
  return Status::ok();
}

void TourPlayer::stop() {
  active_ = false;
  paused_ = false;
  arrivalPending_ = false;
}

void TourPlayer::pause() {
  if (active_) paused_ = true;
}

void TourPlayer::resume() { paused_ = false; }

Status TourPlayer::step(int delta) {
  if (!active_) return Status(ErrorCode::InvalidArgument, "no tour is playing");
  const auto n = static_cast<long>(poses_.size());
  long target = static_cast<long>(stop_) + delta;
  if (tour_.loop) {
    target = ((target % n) + n) % n;
  } else if (target < 0 || target >= n) {
    return Status(ErrorCode::OutOfRange, "tour '" + tour_.id + "' has no stop " +
                                             (target < 0 ? "before the first" : "after the last") +
                                             " (it does not loop)");
  }
  paused_ = false;
  arrivalPending_ = false;
  beginFlight(static_cast<std::size_t>(target), pose_);
  return Status::ok();
}

void TourPlayer::beginFlight(std::size_t stop, const CameraPose& from) {
  stop_ = stop;
  phase_ = TourPhase::Flying;
  elapsed_ = 0;
  flightFrom_ = from;
  pose_ = from;
}

void TourPlayer::beginDwell(std::size_t stop) {
  stop_ = stop;
  phase_ = TourPhase::Dwelling;
  elapsed_ = 0;
  pose_ = poses_[stop];
}

TourAdvance TourPlayer::advance(double dtSeconds) {
  TourAdvance out;
  if (!active_ || paused_) return out;
  if (arrivalPending_) {
    out.arrivedAt = stop_;
    arrivalPending_ = false;
  }
  double left = std::max(0.0, dtSeconds);
  // A looping tour repeats every `period` seconds from any point: whole loops in one step (a stalled frame) are
  // skipped, except the last, so that every stop is still passed and the last arrival is reported.
  if (tour_.loop) {
    double period = 0;
    for (const TourStop& s : tour_.stops) period += s.flightS + s.dwellS;
    if (period > 0 && left > 2 * period) left = period + std::fmod(left, period);
  }
  // A whole loop of zero-length phases must not spin: a bounded number of phases per call (two loops and the
  // flight from the start pose).
  for (std::size_t guard = 0; guard < 4 * poses_.size() + 2; ++guard) {
    const TourStop& s = tour_.stops[stop_];
    const double duration = phase_ == TourPhase::Flying ? s.flightS : s.dwellS;
    if (elapsed_ + left < duration) {
      elapsed_ += left;
      break;
    }
    left -= duration - elapsed_;
    if (phase_ == TourPhase::Flying) {
      beginDwell(stop_);
      out.arrivedAt = stop_;
      continue;
    }
    // The dwell is over.
    if (stop_ + 1 < poses_.size()) {
      beginFlight(stop_ + 1, poses_[stop_]);
    } else if (tour_.loop) {
      beginFlight(0, poses_[stop_]);
    } else {
      elapsed_ = duration;
      active_ = false;
      out.ended = true;
      return out;
    }
  }
  if (phase_ == TourPhase::Flying) {
    const double duration = tour_.stops[stop_].flightS;
    pose_ = flightPose(flightFrom_, poses_[stop_], duration > 0 ? elapsed_ / duration : 1.0);
  }
  return out;
}

TourView TourPlayer::current() const {
  TourView v;
  v.active = active_;
  v.paused = paused_;
  v.tour = tour_.id;
  v.stop = stop_;
  v.stopCount = poses_.size();
  v.phase = phase_;
  v.phaseElapsedS = elapsed_;
  if (!tour_.stops.empty()) {
    v.phaseDurationS = phase_ == TourPhase::Flying ? tour_.stops[stop_].flightS : tour_.stops[stop_].dwellS;
  }
  v.pose = pose_;
  return v;
}

}  // namespace gt::wall
