#pragma once
// The lead's side of `greentwin ctl` (docs/wall.md "Control"): the control endpoint's commands applied to the twin,
// the camera and the running tour once per frame, each answered after it took effect. Flights (goto, tours) are
// smooth: the camera follows the tour player's poses frame by frame. Update thread (the window's loop).

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json_fwd.hpp>

#include "greentwin/core/status.hpp"
#include "greentwin/viewer/camera.hpp"
#include "greentwin/viewer/ui.hpp"
#include "greentwin/wall/alert_visits.hpp"
#include "greentwin/wall/control_server.hpp"
#include "greentwin/wall/frame_state.hpp"
#include "greentwin/wall/tour.hpp"
#include "greentwin/wall/wall_file.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

class WallController {
 public:
  // Binds the wall's control endpoint. Errors: the control server's (busy endpoint, keys). A tour that was running
  // when the lead last stopped (its state file, statePath()) is started again at its stop with the first frame.
  static Result<std::unique_ptr<WallController>> start(const wall::WallConfig& config);
  // Where the lead keeps the running tour across its own restarts: beside the wall file, "<name>.state.json".
  static std::string statePath(const wall::WallConfig& config);

  // Once per frame before the twin's update: advances the tour or flight by the wall-clock time since the last call,
  // then applies and answers every command that arrived.
  void frame(runtime::Twin& twin, CityManipulator& camera, UiState& state, std::uint64_t frameNumber);
  // The same with the wall-clock seconds since the last frame given (tests drive flights and dwells with it).
  void frame(runtime::Twin& twin, CityManipulator& camera, UiState& state, std::uint64_t frameNumber, double elapsedS);
  // The tour as the frame state carries it (empty: none running).
  std::optional<wall::TourState> tourState() const;
  // Called (update thread) just before the lead stalls for up to that many seconds (a screenshot), so the wall's
  // followers can be told (WallNodeRole::announceHold).
  void setStallNotice(std::function<void(double seconds)> notice) { stallNotice_ = std::move(notice); }
  // The alert whose entity the camera visits now (docs/wall.md "Alerts"), if any.
  std::optional<std::uint64_t> visitedAlert() const { return visit_ ? std::optional(visit_->alert) : std::nullopt; }

  // One command applied; the reply's fields (or the error). Public for tests, which drive it without sockets.
  Result<nlohmann::json> apply(const wall::ControlCommand& command, runtime::Twin& twin, CityManipulator& camera,
                               UiState& state, std::uint64_t frameNumber);

 private:
  explicit WallController(wall::WallConfig config) : config_(std::move(config)), visits_(config_.alertFlyTo) {}
  Status flyTo(runtime::Twin& twin, CityManipulator& camera, const std::string& bookmark);
  Status startTour(runtime::Twin& twin, CityManipulator& camera, const std::string& tourId);
  void applyLayerPreset(runtime::Twin& twin, const std::vector<std::string>& visible);
  // The tour's state written to statePath() when it changed (stop, pause, end); failures are logged once.
  void saveState();
  void resumeSavedTour(runtime::Twin& twin, CityManipulator& camera);
  // Alert visits: a flight to the alert's entity, a dwell of alert_dwell_s with it selected, a flight back to where
  // the camera was; a playing tour waits paused meanwhile. The visit ends early when its alert is acknowledged or
  // cleared (it flies back), or when a goto or tour command takes the camera (no flight back).
  Status startVisit(runtime::Twin& twin, CityManipulator& camera, UiState& state, std::uint64_t alertId);
  void advanceVisit(runtime::Twin& twin, CityManipulator& camera, UiState& state, double dt);
  void endVisit(UiState& state);
  void pickNextVisit(runtime::Twin& twin, CityManipulator& camera, UiState& state);
  Result<nlohmann::json> screenshot(runtime::Twin& twin, const CityManipulator& camera, const UiState& state,
                                    const wall::ScreenshotCommand& command, std::uint64_t frameNumber);

  wall::WallConfig config_;
  std::unique_ptr<wall::ControlServer> server_;
  wall::TourPlayer player_;
  // A goto's flight: a one-stop tour without a dwell of its own (the player's easing and rise).
  bool flightOnly_ = false;
  std::optional<wall::TourState> savedState_;  // what the state file holds
  bool resumeChecked_ = false;
  bool saveFailed_ = false;
  std::optional<std::chrono::steady_clock::time_point> lastFrame_;
  wall::AlertVisitQueue visits_;
  wall::TourPlayer visitPlayer_;
  struct Visit {
    std::uint64_t alert = 0;
    bool resumeTour = false;  // the tour was playing when the visit paused it
    std::optional<EntityIndex> selectionBefore;
    bool returning = false;  // cut short: flying back
  };
  std::optional<Visit> visit_;
  // What pickNextVisit last looked at (the alert log's changes(), the entity count): it looks again only when one of
  // them moved or a visit ended, not every frame.
  std::optional<std::pair<std::uint64_t, std::size_t>> visitsLookedAt_;
  std::function<void(double)> stallNotice_;
};

// The scene pose of a bookmark of the twin's config; NotFound naming it.
Result<wall::CameraPose> bookmarkPose(const runtime::Twin& twin, const std::string& bookmark);

}  // namespace gt::viewer
