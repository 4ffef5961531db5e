#include "wall_node.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <random>

#include "greentwin/runtime/twin.hpp"
#include "wall_overlay.hpp"
#include "wall_pose.hpp"

namespace gt::viewer {
namespace {

constexpr int kBarrierTimeoutMs = 50;  // a frame-locked wall waits this long for a slow node, then goes on
constexpr double kLogEveryS = 5.0;     // a progress line per node: the frames it drew (docs/wall.md "Logs")
// A follower draws when its lead's next frame comes, waiting this long for it: drawing the same frame again in
// between only took CPU from the other nodes (on one machine, four software renderers share its cores), yet its
// own notices (the lead lost) still show within a tenth of a second.
constexpr int kFollowerWaitMs = 100;
// The longest a slow lead asks its followers to wait for its next frame (afterUpdate).
constexpr double kSlowLeadHoldS = 5.0;

// Seconds on a steady clock (osg::Timer's origin is reset when a viewer starts).
double steadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

}  // namespace

Result<std::unique_ptr<WallNodeRole>> WallNodeRole::create(const wall::WallConfig& config, const std::string& nodeId) {
  const wall::WallNode* node = config.findNode(nodeId);
  if (node == nullptr) {
    std::string ids;
    for (const wall::WallNode& n : config.nodes) ids += (ids.empty() ? "" : ", ") + n.id;
    return Status(ErrorCode::NotFound, "the wall " + config.path + " has no node '" + nodeId + "' (nodes: " + ids + ")");
  }
  std::unique_ptr<WallNodeRole> role(new WallNodeRole(config, *node));
  role->createdS_ = steadySeconds();
  if (node->lead) {
    auto lead = wall::WallLead::create(wall::leadSyncSettings(config));
    if (!lead) return lead.status();
    role->lead_ = std::move(*lead);
    role->looks_ = std::make_unique<WallLookTracker>(std::random_device{}());
    spdlog::info("wall: node '{}' leads, publishing on {}", nodeId, role->lead_->syncEndpoint());
  } else {
    auto settings = wall::followerSyncSettings(config, nodeId);
    if (!settings) return settings.status();
    auto follower = wall::WallFollower::create(*settings);
    if (!follower) return follower.status();
    role->follower_ = std::move(*follower);
    role->followerSettings_ = *settings;
    role->lastFrameS_ = role->lastReconnectS_ = role->createdS_;
    spdlog::info("wall: node '{}' follows {}", nodeId, settings->syncEndpoint);
  }
  return role;
}

void WallNodeRole::announceHold(double seconds) {
  if (lead_ == nullptr) return;
  if (Status s = lead_->announceHold(seconds); !s) spdlog::warn("wall: {}", s.message());
}

std::optional<double> WallNodeRole::leadLostForS() const {
  if (follower_ == nullptr) return std::nullopt;
  // A closed connection is the lead gone (its process ended) at once, however slow its frames were; otherwise silence.
  if (!linkDownAtPoll_ && silentAtPollS_ <= config_.leadLostAfterS) return std::nullopt;
  return silentAtPollS_;
}

// Once: the moment this node's layers are all in (a restarted node's tile is complete from here on; the live test
// waits for it before it kills nodes, docs/wall.md "Logs").
void WallNodeRole::noteLoaded(const runtime::Twin& twin) {
  if (loadedLogged_ || twin.loading()) return;
  loadedLogged_ = true;
  spdlog::info("wall: node '{}' has loaded its layers ({}), {:.1f} s after it started", node_.id, twin.layers().size(),
               steadySeconds() - createdS_);
}

void WallNodeRole::beforeUpdate(runtime::Twin& twin, CityManipulator& camera, UiState& state) {
  if (follower_ == nullptr) return;
  noteLoaded(twin);
  auto frame = follower_->poll(kFollowerWaitMs);
  const double now = steadySeconds();
  if (!frame && follower_->holdRemainingS() > 0) {  // the lead announced a stall (a screenshot): it is alive
    lastFrameS_ = now;
    if (!loggedHold_ && follower_->holdRemainingS() > kSlowLeadHoldS) {  // a screenshot's, not a slow frame's
      loggedHold_ = true;
      spdlog::info("wall: node '{}': the lead holds frame {} for up to {:.0f} s (busy)", node_.id, frameShown_,
                   follower_->holdRemainingS());
    }
  }
  if (frame) lastFrameS_ = now;
  silentAtPollS_ = now - lastFrameS_;
  const wall::LeadLink link = follower_->link();
  linkDownAtPoll_ = link == wall::LeadLink::Down;
  if (link == wall::LeadLink::Refused && !loggedRefused_) {
    loggedRefused_ = true;
    spdlog::error("wall: node '{}': the lead at {} refused this node's key (not in the wall's allowed_keys, or "
                  "revoked): admit it there with `greentwin keys allow {} '<public key of {}>' --allow-list FILE`",
                  node_.id, followerSettings_.syncEndpoint, node_.id, followerSettings_.nodeKeyFile);
  }
  if (frame) {
    loggedHold_ = false;
    if (!joined_) {
      joined_ = true;
      spdlog::info("wall: node '{}' joined at lead frame {}, {:.2f} s after it started", node_.id, frame->frame,
                   now - createdS_);
    }
    if (reportedLost_) spdlog::info("wall: node '{}' follows its lead again at frame {}", node_.id, frame->frame);
    reportedLost_ = false;
    loggedRefused_ = false;
    apply(*frame, twin, camera, state);
    last_ = std::move(*frame);
  } else if (const auto lost = leadLostForS(); lost && !reportedLost_) {
    reportedLost_ = true;
    const OrbitPose p = camera.pose();
    if (!joined_) {
      spdlog::warn("wall: node '{}' is waiting for its lead (nothing for {:.1f} s); the tile says it is not live",
                   node_.id, *lost);
    } else if (linkDownAtPoll_) {
      spdlog::warn("wall: node '{}': its lead closed the connection; showing frame {} as not live, camera {:.3f} "
                   "{:.3f} {:.3f} {:.3f} {:.3f} {:.3f}",
                   node_.id, frameShown_, p.center.x(), p.center.y(), p.center.z(), p.headingDeg, p.pitchDeg,
                   p.range);
    } else {
      spdlog::warn("wall: node '{}' has had no frame from its lead for {:.1f} s; showing frame {} as not live, camera "
                   "{:.3f} {:.3f} {:.3f} {:.3f} {:.3f} {:.3f}",
                   node_.id, *lost, frameShown_, p.center.x(), p.center.y(), p.center.z(), p.headingDeg, p.pitchDeg,
                   p.range);
    }
  }
  // ZeroMQ reconnects by itself; a lead silent for several seconds still gets a connection made anew, in case the
  // old one is stuck where no reconnect can see it (seen once in the live test: a follower starved of CPU never
  // heard its restarted lead).
  const double retryAfter = std::max(3.0, 3.0 * config_.leadLostAfterS);
  if (now - lastFrameS_ > retryAfter && now - lastReconnectS_ > retryAfter) {
    lastReconnectS_ = now;
    if (auto fresh = wall::WallFollower::create(followerSettings_)) {
      follower_ = std::move(*fresh);
      spdlog::info("wall: node '{}' connects to its lead anew after {:.1f} s of silence", node_.id, now - lastFrameS_);
    } else {
      spdlog::warn("wall: node '{}' cannot reconnect: {}", node_.id, fresh.status().message());
    }
  }
  logProgress();
}

// Puts this node's twin and view where the lead's frame had them. The clock is paused at the lead's time: the
// follower's own feeds fill its store, the lead decides which moment is shown.
void WallNodeRole::apply(const wall::WallFrameState& frame, runtime::Twin& twin, CityManipulator& camera,
                         UiState& state) {
  frameShown_ = frame.frame;
  Clock& clock = twin.clock();
  const TimeRange range = clock.range();
  if (!range.contains(frame.clockTime)) {
    (void)clock.setRange(std::min(range.begin, frame.clockTime), std::max(range.end, frame.clockTime));
  }
  clock.seek(frame.clockTime);
  clock.pause();
  camera.setPose(fromWall(frame.camera));
  state.language = languageFromCode(frame.language);
  state.showIndicatorWall = frame.showIndicatorWall;
  state.selected = frame.selectedEntity ? twin.entities().find(*frame.selectedEntity) : std::nullopt;
  for (const wall::LayerState& l : frame.layers) {
    layers::Layer* layer = twin.findLayer(l.id);
    if (layer == nullptr) continue;  // still loading on this node: set on a later frame
    if (layer->visible() != l.visible) layer->setVisible(l.visible);
    if (std::abs(layer->opacity() - l.opacity) > 1e-4) layer->setOpacity(l.opacity);
    applier_.apply(twin, l, follower_->look(l.id));
  }
}

void WallNodeRole::afterUpdate(runtime::Twin& twin, const CityManipulator& camera, const UiState& state) {
  if (lead_ == nullptr) return;
  noteLoaded(twin);
  wall::WallFrameState frame;
  frame.frame = ++frameShown_;
  frame.clockTime = twin.frameTime();
  frame.paused = twin.clock().mode() == ClockMode::Paused;
  frame.rate = twin.clock().rate();
  frame.camera = toWall(camera.pose());
  if (state.selected) {
    if (const Entity* e = twin.entities().get(*state.selected)) frame.selectedEntity = e->id;
  }
  frame.language = languageCode(state.language);
  for (const auto& layer : twin.layers()) {
    if (frame.layers.size() >= wall::kMaxFrameLayers) break;
    frame.layers.push_back(wall::LayerState{layer->id(), layer->visible(), static_cast<float>(layer->opacity())});
  }
  // A layer's new look goes out before the first frame that names its revision (one socket keeps their order).
  for (const wall::LayerLook& look : looks_->update(twin, state, frame.layers, steadySeconds())) {
    if (Status s = lead_->publishLook(look); !s) spdlog::warn("wall: {}", s.message());
  }
  frame.showIndicatorWall = state.showIndicatorWall;
  frame.tour = tour_;
  for (const runtime::Alert& a : twin.alerts().active()) {
    if (frame.alerts.size() >= wall::kMaxFrameAlerts) break;
    frame.alerts.push_back(wall::BannerAlert{std::to_string(a.id), a.severity, a.messageEn.substr(0, 2000),
                                             a.messageZh.substr(0, 2000), a.acknowledged});
  }
  if (Status s = lead_->publish(frame); !s) spdlog::warn("wall: frame {} not sent: {}", frame.frame, s.message());
  // A lead whose frames come slower than lead_lost_after_s (loading its layers on a busy machine) says so after each,
  // so that its followers do not report it lost between two of its frames and back (they flapped while a restarted
  // lead loaded). A lead that dies meanwhile closes its connections, and its followers report it at once (their link
  // monitor); only a lead that hangs, its process alive, is reported once the hold is over (kSlowLeadHoldS at most).
  const double now = steadySeconds();
  if (twin.loading()) {
    // Loading, the lead knows its next frames may be slow (the frame that takes in its last layers runs the plugins'
    // first reading of them: a second or more), before any slow gap shows it: its followers flapped once at every
    // lead start. A lead that dies meanwhile still closes its connection and is reported at once.
    announceHold(kSlowLeadHoldS);
  } else if (lastPublishS_ > 0 && now - lastPublishS_ > config_.leadLostAfterS) {
    announceHold(std::min(3.0 * (now - lastPublishS_), kSlowLeadHoldS));
  }
  lastPublishS_ = now;
  logProgress();
}

void WallNodeRole::decorate(WallOverlayModel& model) const {
  // The running tour, by its id in the wall file every node reads.
  const std::optional<wall::TourState>& tour = follower_ != nullptr && last_ ? last_->tour : tour_;
  if (tour) {
    if (const wall::Tour* t = config_.findTour(tour->id)) {
      model.tourNameEn = t->nameEn.empty() ? t->id : t->nameEn;
      model.tourNameZh = t->nameZh;
      model.tourStop = static_cast<int>(tour->stopIndex);
      model.tourStops = static_cast<int>(t->stops.size());
      model.tourPaused = !tour->playing;
    }
  }
  if (follower_ == nullptr) return;
  model.leadLostForS = leadLostForS();
  model.leadRefusedKey = model.leadLostForS && follower_->link() == wall::LeadLink::Refused;
  if (!last_) return;
  model.alerts.clear();
  for (const wall::BannerAlert& a : last_->alerts) {
    std::uint64_t id = 0;
    try {
      id = std::stoull(a.id);
    } catch (const std::exception&) {
    }
    model.alerts.push_back(WallAlert{id, a.severity, a.textEn, a.textZh, a.acknowledged});
  }
  // This node's clock is paused at the lead's time; whether that time is live is the lead's clock's state.
  const bool leadLive = !last_->paused && std::abs(last_->rate - 1.0) < 1e-9;
  model.data = !leadLive ? WallDataState::Playback
               : model.staleFeeds > 0 ? WallDataState::SomeStale
                                      : WallDataState::Live;
  model.frameNumber = last_->frame;
}

void WallNodeRole::beforeSwap() {
  if (!config_.swapBarrier) return;
  if (lead_ != nullptr) {
    const wall::BarrierOutcome outcome = lead_->waitForBarrier(frameShown_, kBarrierTimeoutMs);
    for (const std::string& dropped : outcome.dropped) {
      spdlog::warn("wall: node '{}' missed frame {} of the swap barrier; the wall goes on without it", dropped,
                   frameShown_);
    }
  } else if (follower_ != nullptr && last_) {
    follower_->sendReady(last_->frame);
    (void)follower_->waitForRelease(last_->frame, kBarrierTimeoutMs);
  }
}

void WallNodeRole::logFinish(const CityManipulator& camera) const {
  const OrbitPose p = camera.pose();
  spdlog::info("wall: node '{}' stopped at frame {} camera {:.3f} {:.3f} {:.3f} {:.3f} {:.3f} {:.3f}", node_.id,
               frameShown_, p.center.x(), p.center.y(), p.center.z(), p.headingDeg, p.pitchDeg, p.range);
}

void WallNodeRole::logProgress() {
  ++framesSinceLog_;
  const double now = steadySeconds();
  if (now - lastLogS_ < kLogEveryS) return;
  if (follower_ != nullptr) {
    const wall::WallFollowerStats stats = follower_->stats();
    spdlog::info("wall: node '{}' frame {} ({} frames drawn in {:.1f} s; {} frames received from the lead, {} refused)",
                 node_.id, frameShown_, framesSinceLog_, lastLogS_ == 0 ? 0.0 : now - lastLogS_,
                 stats.framesReceived, stats.malformed);
  } else {
    spdlog::info("wall: node '{}' frame {} ({} frames drawn in {:.1f} s)", node_.id, frameShown_, framesSinceLog_,
                 lastLogS_ == 0 ? 0.0 : now - lastLogS_);
  }
  framesSinceLog_ = 0;
  lastLogS_ = now;
}

}  // namespace gt::viewer
