#pragma once
// The window as one node of a wall (docs/wall.md): it draws its own tile of the canvas (wall_view.hpp). The lead
// runs the twin's clock and the camera and publishes each frame's state (wall/wall_sync.hpp); a follower draws
// exactly the lead's newest frame — clock time, camera, selection, layers and their looks (style, filter: wall_looks.hpp),
// language, alerts — and when the lead goes
// quiet keeps its last picture under a "not live" notice, following again as soon as frames return.
// Update/render thread: every call comes from the window's loop (the viewer is single-threaded).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "greentwin/core/status.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/camera.hpp"
#include "greentwin/viewer/ui.hpp"
#include "greentwin/wall/frame_state.hpp"
#include "greentwin/wall/wall_file.hpp"
#include "greentwin/wall/wall_sync.hpp"
#include "wall_looks.hpp"

namespace gt::viewer {

struct WallOverlayModel;

class WallNodeRole {
 public:
  // The node `nodeId` of the wall: binds the lead's endpoints or connects a follower. Errors: no such node, the
  // sync module's (busy endpoint, unreadable key).
  static Result<std::unique_ptr<WallNodeRole>> create(const wall::WallConfig& config, const std::string& nodeId);

  bool isLead() const { return lead_ != nullptr; }
  const wall::WallNode& node() const { return node_; }
  // The tile this node draws.
  WallRender render() const { return WallRender{config_.layout, node_.tile}; }

  // Before the frame's updates. A follower takes the newest frame of its lead and puts the twin's clock, the camera
  // and the interface where the lead had them; the lead does nothing.
  void beforeUpdate(runtime::Twin& twin, CityManipulator& camera, UiState& state);
  // After the frame's updates, before it is drawn: the lead publishes what this frame shows.
  void afterUpdate(runtime::Twin& twin, const CityManipulator& camera, const UiState& state);
  // The wall's parts of the overlay: a follower shows its lead's alerts and clock state, and whether its lead is lost.
  void decorate(WallOverlayModel& model) const;
  // Just before the frame is swapped onto the display, with the wall file's swap_barrier: the lead waits until every
  // node is ready, a follower says it is and waits for the release (bounded waits: a dead node never stalls the wall).
  void beforeSwap();

  // The tour the lead is running, sent with every frame (the control module sets it).
  void setTour(std::optional<wall::TourState> tour) { tour_ = std::move(tour); }
  std::uint64_t frameShown() const { return frameShown_; }
  // The lead is about to stall for up to `seconds` (a screenshot): its followers keep its last frame as current
  // rather than report it lost (WallLead::announceHold). No-op on a follower.
  void announceHold(double seconds);
  // Logs the frame and camera this node ended on (a test compares them across nodes).
  void logFinish(const CityManipulator& camera) const;
  // A follower's silence from its lead, as its last poll (beforeUpdate) found it, once over lead_lost_after_s or
  // once the connection to the lead closed (its process ended: reported at once, even inside a slow lead's hold).
  std::optional<double> leadLostForS() const;

 private:
  WallNodeRole(wall::WallConfig config, wall::WallNode node) : config_(std::move(config)), node_(std::move(node)) {}
  void apply(const wall::WallFrameState& frame, runtime::Twin& twin, CityManipulator& camera, UiState& state);
  void logProgress();
  void noteLoaded(const runtime::Twin& twin);

  wall::WallConfig config_;
  wall::WallNode node_;
  std::unique_ptr<wall::WallLead> lead_;
  std::unique_ptr<wall::WallFollower> follower_;
  std::optional<wall::WallFrameState> last_;  // follower: the lead's frame drawn now
  std::optional<wall::TourState> tour_;
  std::uint64_t frameShown_ = 0;
  std::uint64_t framesSinceLog_ = 0;
  double lastLogS_ = 0;
  bool reportedLost_ = false;
  bool joined_ = false;
  bool loggedHold_ = false;
  std::unique_ptr<WallLookTracker> looks_;  // lead: each layer's look revision and the looks to send
  WallLookApplier applier_;                 // follower: the lead's looks put on its layers
  double createdS_ = 0;
  // The follower's own account of its lead (steady seconds): the last frame, and the last time the sync socket was
  // made anew. A lead silent for long gets a fresh connection (see beforeUpdate); the count of silence survives it.
  wall::WallSyncSettings followerSettings_;
  double lastFrameS_ = 0;
  double lastReconnectS_ = 0;
  // The silence the last poll found (seconds): a follower whose own frame stalls after a poll (its layers loading)
  // has not listened meanwhile, so the lead's frames waiting in its socket do not make it report the lead lost.
  double silentAtPollS_ = 0;
  bool linkDownAtPoll_ = false;  // the last poll found the connection to the lead closed (WallFollower::link)
  bool loggedRefused_ = false;
  bool loadedLogged_ = false;
  double lastPublishS_ = 0;  // lead: when it published its last frame (steady seconds)
};

}  // namespace gt::viewer
