#pragma once
// Tours (docs/wall.md "Tours"): the wall file's [[tours]], each a list of stops the lead's camera flies to and
// dwells at, and TourPlayer, the state machine that plays one. The player is pure: it is given the stops' camera
// poses (scene coordinates; the caller turns bookmarks into poses) and driven by elapsed seconds, so it needs no
// twin, no clock and no window. One thread (the lead's update thread).
//
// A stop i is reached by a flight of stops[i].flightS seconds from where the camera was (the previous stop, or the
// camera when the tour starts), then shown for stops[i].dwellS seconds. After the last stop a looping tour flies
// on to the first; any other ends there. The flight eases in and out (smoothstep), turns the heading along the
// shorter arc, scales the range geometrically (a zoom that feels even) and, for a hop longer than the ranges,
// rises at mid-flight so that both ends are in view (the range at mid-flight is at least the hop's length).

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/wall/camera_pose.hpp"

namespace gt::wall {

inline constexpr double kMaxTourDwellS = 3600;  // dwell_s: 0..1 hour
inline constexpr double kMaxTourFlightS = 600;  // flight_s: 0..10 minutes (0: cut)

struct TourStop {
  std::string bookmark;  // a bookmark id of the config
  double dwellS = 10;    // seconds shown after arriving
  double flightS = 4;    // seconds of the flight to this stop
  // The layers shown on arrival (the others are hidden); nullopt: the layers stay as they are.
  std::optional<std::vector<std::string>> layers;
};

struct Tour {
  std::string id;
  std::string nameEn;
  std::string nameZh;
  bool loop = true;
  std::vector<TourStop> stops;
};

enum class TourPhase { Flying, Dwelling };

// What the player shows now.
struct TourView {
  bool active = false;  // a tour is playing or paused (false: stopped, or a non-looping tour ended)
  bool paused = false;
  std::string tour;      // its id (the last tour's after it ended)
  std::size_t stop = 0;  // the stop flown to or dwelt at
  std::size_t stopCount = 0;
  TourPhase phase = TourPhase::Flying;
  double phaseElapsedS = 0;
  double phaseDurationS = 0;
  CameraPose pose;  // the camera to show
};

// What one advance() did.
struct TourAdvance {
  // The last stop arrived at during the step (its layer preset to apply), if any.
  std::optional<std::size_t> arrivedAt;
  bool ended = false;  // a non-looping tour reached the end of its last dwell
};

// The pose a fraction `t` (0..1, linear time) of the way through a flight from `from` to `to`: eased, heading along
// the shorter arc, range geometric, with the mid-flight rise described above. Exposed for tests and previews.
CameraPose flightPose(const CameraPose& from, const CameraPose& to, double t);
// The smoothstep ease 3t^2 - 2t^3 (t clamped to 0..1).
double easeInOut(double t);

class TourPlayer {
 public:
  // Starts `tour` at its first stop. `stopPoses` holds one pose per stop (InvalidArgument otherwise, or for a tour
  // without stops). With `from` (the camera now) the tour begins with the flight to the first stop; without, at
  // the first stop's dwell (arrivedAt of the next advance() reports it).
  Status start(const Tour& tour, std::vector<CameraPose> stopPoses, std::optional<CameraPose> from);
  // Ends the tour; the camera stays where it is (current().pose).
  void stop();
  void pause();
  void resume();
  // Flies from the current pose to the stop `delta` after (or before) the current one, wrapping around for a
  // looping tour and stopping at the ends (OutOfRange) for another. It continues a paused tour.
  Status step(int delta);
  // Moves the tour on by `dtSeconds` of wall time (nothing while paused or stopped). A step over many loops of a
  // looping tour skips the whole loops but the last, landing where playing them would.
  TourAdvance advance(double dtSeconds);
  TourView current() const;
  const Tour& tour() const { return tour_; }

 private:
  void beginFlight(std::size_t stop, const CameraPose& from);
  void beginDwell(std::size_t stop);

  Tour tour_;
  std::vector<CameraPose> poses_;
  bool active_ = false;
  bool paused_ = false;
  bool arrivalPending_ = false;  // start() without `from`: the first dwell's arrival, reported by advance()
  std::size_t stop_ = 0;
  TourPhase phase_ = TourPhase::Flying;
  double elapsed_ = 0;
  CameraPose flightFrom_;
  CameraPose pose_;
};

}  // namespace gt::wall
