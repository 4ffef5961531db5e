#include "wall_control.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <variant>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "wall_pose.hpp"

namespace gt::viewer {
namespace {

constexpr double kGotoFlightS = 3.0;  // a goto's flight
// An alert visit's view of its entity: from above at an angle, close enough for a building, wide enough for a block.
// A screenshot renders the whole canvas on the update thread (2-3 s for 1600x900 in software GL): the followers are
// told to hold the last frame this long rather than report the lead lost.
constexpr double kScreenshotHoldS = 30.0;
constexpr double kVisitFlightS = 3.0;
constexpr double kVisitPitchDeg = -40.0;
constexpr double kVisitRangeM = 600.0;
constexpr std::size_t kStatusAlerts = 32;  // active alerts listed by 'status' (the count covers all)

// An alert id as the control commands give it (the alert log's number, as text).
Result<std::uint64_t> parseAlertId(const std::string& text) {
  try {
    std::size_t used = 0;
    const std::uint64_t id = std::stoull(text, &used);
    if (used == text.size() && !text.empty() && text[0] != '-' && text[0] != '+') return id;
  } catch (const std::exception&) {
  }
  return Status(ErrorCode::InvalidArgument, "alert id '" + text + "' is not a number");
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace

Result<wall::CameraPose> bookmarkPose(const runtime::Twin& twin, const std::string& bookmark) {
  const BookmarkConfig* b = twin.config().findBookmark(bookmark);
  if (b == nullptr) {
    std::string ids;
    for (const BookmarkConfig& c : twin.config().bookmarks) ids += (ids.empty() ? "" : ", ") + c.id;
    return Status(ErrorCode::NotFound, "no bookmark '" + bookmark + "' (bookmarks: " + ids + ")");
  }
  const auto center = twin.poseCenter(b->pose);
  if (!center) return Status(ErrorCode::OutOfRange, "bookmark '" + bookmark + "' lies outside the scene");
  return wall::CameraPose{center->x, center->y, center->z, b->pose.headingDeg, b->pose.pitchDeg, b->pose.rangeM};
}

Result<std::unique_ptr<WallController>> WallController::start(const wall::WallConfig& config) {
  std::unique_ptr<WallController> controller(new WallController(config));
  controller->server_ = std::make_unique<wall::ControlServer>(wall::controlServerOptions(config));
  if (Status s = controller->server_->start(); !s) return s;
  spdlog::info("wall: control endpoint {}", controller->server_->boundEndpoint());
  return controller;
}

std::string WallController::statePath(const wall::WallConfig& config) {
  std::filesystem::path p(config.path);
  return (p.parent_path() / (p.stem().string() + ".state.json")).string();
}

void WallController::saveState() {
  const std::optional<wall::TourState> now = tourState();
  if (now == savedState_) return;
  savedState_ = now;
  nlohmann::json j = nlohmann::json::object();
  if (now) j = {{"tour", now->id}, {"stop", now->stopIndex}, {"playing", now->playing}};
  const std::string path = statePath(config_);
  const std::string temporary = path + ".tmp";
  std::error_code ec;
  {
    std::ofstream out(temporary, std::ios::trunc);
    out << j.dump() << "\n";
    if (!out) ec = std::make_error_code(std::errc::io_error);
  }
  if (!ec) std::filesystem::rename(temporary, path, ec);
  if (ec && !saveFailed_) {
    saveFailed_ = true;
    spdlog::warn("wall: cannot keep the tour's state in {} ({}): a restarted lead will not resume it", path,
                 ec.message());
  }
}

// A tour the lead ran when it stopped: started again at its stop (a crashed and restarted lead comes back to it).
void WallController::resumeSavedTour(runtime::Twin& twin, CityManipulator& camera) {
  resumeChecked_ = true;
  std::ifstream in(statePath(config_));
  if (!in) return;
  const nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("tour") || !j["tour"].is_string()) return;
  const std::string tour = j["tour"].get<std::string>();
  if (Status s = startTour(twin, camera, tour); !s) {
    spdlog::warn("wall: the saved tour '{}' does not start again: {}", tour, s.message());
    return;
  }
  const std::size_t stops = player_.current().stopCount;
  const std::int64_t stop = j.value("stop", std::int64_t{0});
  if (stop > 0 && static_cast<std::size_t>(stop) < stops) (void)player_.step(static_cast<int>(stop));
  if (!j.value("playing", true)) player_.pause();
  spdlog::info("wall: resumed tour '{}' at stop {} (the lead's saved state)", tour, stop + 1);
}

std::optional<wall::TourState> WallController::tourState() const {
  const wall::TourView view = player_.current();
  if (!view.active || flightOnly_) return std::nullopt;
  // A tour paused only for an alert visit is still the running tour (a lead restarted meanwhile resumes it playing).
  const bool playing = !view.paused || (visit_ && visit_->resumeTour);
  return wall::TourState{view.tour, static_cast<std::uint32_t>(view.stop), playing};
}

Status WallController::startVisit(runtime::Twin& twin, CityManipulator& camera, UiState& state,
                                  std::uint64_t alertId) {
  const runtime::Alert* alert = twin.alerts().find(alertId);
  if (alert == nullptr || !alert->active()) {
    return Status(ErrorCode::NotFound, "no active alert " + std::to_string(alertId));
  }
  if (alert->entityId.empty()) {
    return Status(ErrorCode::InvalidArgument, "alert " + std::to_string(alertId) + " names no entity");
  }
  const std::optional<EntityIndex> entity = twin.entities().find(alert->entityId);
  const std::optional<Vec3d> place = entity ? twin.entityPosition(*entity) : std::nullopt;
  if (!place) {
    return Status(ErrorCode::NotFound, "alert " + std::to_string(alertId) + ": its entity '" + alert->entityId +
                                           "' has no place in the scene");
  }
  if (visit_) endVisit(state);  // an operator's visit replaces the one under way (the camera flies on from here)
  if (flightOnly_) {  // a goto's flight gives way
    player_.stop();
    flightOnly_ = false;
  }
  const wall::CameraPose here = toWall(camera.pose());
  const wall::CameraPose there{place->x, place->y, place->z, here.headingDeg, kVisitPitchDeg, kVisitRangeM};
  wall::Tour visit;
  visit.id = "alert";
  visit.loop = false;
  visit.stops.push_back(wall::TourStop{alert->entityId, config_.alertDwellS, kVisitFlightS, std::nullopt});
  visit.stops.push_back(wall::TourStop{"back", 0.0, kVisitFlightS, std::nullopt});
  if (Status s = visitPlayer_.start(visit, {there, here}, here); !s) return s;
  const wall::TourView tour = player_.current();
  const bool tourPlaying = tour.active && !tour.paused;
  if (tourPlaying) player_.pause();
  visit_ = Visit{alertId, tourPlaying, state.selected, false};
  visits_.markVisited(alertId);
  state.selected = entity;
  spdlog::info("wall: flying to alert {} ({}, {}: {})", alertId, toString(alert->severity), alert->entityId,
               alert->messageEn);
  return Status::ok();
}

void WallController::advanceVisit(runtime::Twin& twin, CityManipulator& camera, UiState& state, double dt) {
  const runtime::Alert* alert = twin.alerts().find(visit_->alert);
  if (!visit_->returning && (alert == nullptr || !alert->active() || alert->acknowledged)) {
    visit_->returning = true;  // acknowledged or cleared: no need to keep showing it
    if (visitPlayer_.current().stop == 0) (void)visitPlayer_.step(1);
  }
  const wall::TourAdvance advance = visitPlayer_.advance(dt);
  camera.setPose(fromWall(visitPlayer_.current().pose));
  if (advance.ended) endVisit(state);
}

void WallController::endVisit(UiState& state) {
  visitPlayer_.stop();
  if (visit_->resumeTour && player_.current().active) player_.resume();
  state.selected = visit_->selectionBefore;
  visit_.reset();
  visitsLookedAt_.reset();  // an alert that came meanwhile is next
}

// The next alert to fly to by itself (alert_fly_to), once the layers that place entities are loaded.
void WallController::pickNextVisit(runtime::Twin& twin, CityManipulator& camera, UiState& state) {
  if (!visits_.enabled() || twin.loading()) return;
  const std::pair<std::uint64_t, std::size_t> now{twin.alerts().changes(), twin.entities().size()};
  if (visitsLookedAt_ == now) return;  // nothing new since the last look (an alert, an entity placed)
  visitsLookedAt_ = now;
  std::vector<wall::AlertCandidate> candidates;
  for (const runtime::Alert& a : twin.alerts().active()) {
    bool located = false;
    if (!a.acknowledged && !a.entityId.empty()) {
      const std::optional<EntityIndex> entity = twin.entities().find(a.entityId);
      located = entity && twin.entityPosition(*entity).has_value();
    }
    candidates.push_back(wall::AlertCandidate{a.id, a.severity, a.acknowledged, located});
  }
  if (const std::optional<std::uint64_t> next = visits_.next(candidates)) {
    if (Status s = startVisit(twin, camera, state, *next); !s) spdlog::warn("wall: alert fly-to: {}", s.message());
  }
}

void WallController::frame(runtime::Twin& twin, CityManipulator& camera, UiState& state, std::uint64_t frameNumber) {
  const auto now = std::chrono::steady_clock::now();
  const double dt = lastFrame_ ? std::chrono::duration<double>(now - *lastFrame_).count() : 0.0;
  lastFrame_ = now;
  frame(twin, camera, state, frameNumber, dt);
}

void WallController::frame(runtime::Twin& twin, CityManipulator& camera, UiState& state, std::uint64_t frameNumber,
                           double dt) {
  if (!resumeChecked_ && !twin.loading()) resumeSavedTour(twin, camera);  // its stops' layers must be there
  if (visit_) {
    advanceVisit(twin, camera, state, std::min(dt, 1.0));
  } else if (player_.current().active) {
    const wall::TourAdvance advance = player_.advance(std::min(dt, 1.0));  // a stalled frame does not jump a stop
    const wall::TourView view = player_.current();
    camera.setPose(fromWall(view.pose));
    if (advance.arrivedAt && !flightOnly_) {
      const wall::TourStop& stop = player_.tour().stops[*advance.arrivedAt];
      if (stop.layers) applyLayerPreset(twin, *stop.layers);
    }
    if (flightOnly_ && (advance.arrivedAt || advance.ended)) {
      player_.stop();
      flightOnly_ = false;
    }
  }
  if (!visit_) pickNextVisit(twin, camera, state);
  for (wall::PendingCommand& pending : server_->takePending()) {
    auto result = apply(pending.command, twin, camera, state, frameNumber);
    spdlog::info("wall: control '{}' from {}: {}", wall::commandName(pending.command), pending.from,
                 result ? "done" : result.status().message());
    server_->reply(pending.id, result ? wall::okReply(*result) : wall::errorReply(result.status().message()));
  }
  saveState();
}

Status WallController::flyTo(runtime::Twin& twin, CityManipulator& camera, const std::string& bookmark) {
  auto pose = bookmarkPose(twin, bookmark);
  if (!pose) return pose.status();
  wall::Tour flight;
  flight.id = "goto";
  flight.loop = false;
  flight.stops.push_back(wall::TourStop{bookmark, 0.0, kGotoFlightS, std::nullopt});
  player_.stop();
  if (Status s = player_.start(flight, {*pose}, toWall(camera.pose())); !s) return s;
  flightOnly_ = true;
  return Status::ok();
}

Status WallController::startTour(runtime::Twin& twin, CityManipulator& camera, const std::string& tourId) {
  const wall::Tour* tour = config_.findTour(tourId);
  if (tour == nullptr) {
    std::string ids;
    for (const wall::Tour& t : config_.tours) ids += (ids.empty() ? "" : ", ") + t.id;
    return Status(ErrorCode::NotFound, "no tour '" + tourId + "' in the wall file (tours: " + ids + ")");
  }
  std::vector<wall::CameraPose> poses;
  for (const wall::TourStop& stop : tour->stops) {
    auto pose = bookmarkPose(twin, stop.bookmark);
    if (!pose) return Status(pose.status().code(), "tour '" + tourId + "': " + pose.status().message());
    if (stop.layers) {
      for (const std::string& id : *stop.layers) {
        if (twin.findLayer(id) == nullptr) {
          return Status(ErrorCode::NotFound, "tour '" + tourId + "': stop '" + stop.bookmark + "' shows layer '" + id +
                                                 "', which the twin does not have");
        }
      }
    }
    poses.push_back(*pose);
  }
  flightOnly_ = false;
  return player_.start(*tour, std::move(poses), toWall(camera.pose()));
}

// A stop's preset: exactly these layers visible (docs/wall.md "Tours").
void WallController::applyLayerPreset(runtime::Twin& twin, const std::vector<std::string>& visible) {
  for (const auto& layer : twin.layers()) {
    const bool shown = std::find(visible.begin(), visible.end(), layer->id()) != visible.end();
    if (layer->visible() != shown) layer->setVisible(shown);
  }
}

Result<nlohmann::json> WallController::screenshot(runtime::Twin& twin, const CityManipulator& camera,
                                                  const UiState& state, const wall::ScreenshotCommand& command,
                                                  std::uint64_t frameNumber) {
  RenderRequest request;
  request.view = camera.pose();
  request.language = state.language;
  request.kiosk = true;
  request.selected = state.selected;
  request.waitForValues = false;  // the twin as the wall shows it now
  if (command.width && command.height) {
    request.width = *command.width;
    request.height = *command.height;
  } else {
    request.wall = WallRender{config_.layout, std::nullopt};  // the whole canvas
  }
  if (stallNotice_) stallNotice_(kScreenshotHoldS);
  auto image = renderOffscreen(twin, request);
  if (!image) return image.status();
  std::error_code ec;
  const std::filesystem::path folder = std::filesystem::temp_directory_path() / "greentwin-wall";
  std::filesystem::create_directories(folder, ec);
  if (ec) return Status(ErrorCode::IoError, "screenshot: cannot create " + folder.string() + ": " + ec.message());
  const std::filesystem::path path = folder / ("frame-" + std::to_string(frameNumber) + ".png");
  if (Status s = writePng(**image, path.string()); !s) return s;
  return nlohmann::json{{"path", path.string()}, {"width", (*image)->s()}, {"height", (*image)->t()}};
}

Result<nlohmann::json> WallController::apply(const wall::ControlCommand& command, runtime::Twin& twin,
                                              CityManipulator& camera, UiState& state, std::uint64_t frameNumber) {
  using Reply = Result<nlohmann::json>;
  const auto done = [](Status s, nlohmann::json fields = nlohmann::json::object()) -> Reply {
    if (!s) return s;
    return fields;
  };
  // A command that takes the camera ends an alert visit where it is (the tour it paused plays again first).
  const bool takesCamera =
      std::holds_alternative<wall::GotoCommand>(command) || std::holds_alternative<wall::TourStartCommand>(command) ||
      std::holds_alternative<wall::TourStopCommand>(command) || std::holds_alternative<wall::TourStepCommand>(command) ||
      std::holds_alternative<wall::TourResumeCommand>(command);
  if (visit_ && takesCamera) endVisit(state);
  return std::visit(
      Overloaded{
          [&](const wall::GotoCommand& c) -> Reply {
            return done(flyTo(twin, camera, c.bookmark), {{"bookmark", c.bookmark}});
          },
          [&](const wall::TourStartCommand& c) -> Reply {
            return done(startTour(twin, camera, c.tour), {{"tour", c.tour}});
          },
          [&](const wall::TourStopCommand&) -> Reply {
            player_.stop();
            flightOnly_ = false;
            return nlohmann::json::object();
          },
          [&](const wall::TourPauseCommand&) -> Reply {
            if (!player_.current().active) return Status(ErrorCode::InvalidArgument, "no tour is running");
            player_.pause();
            if (visit_) visit_->resumeTour = false;  // it stays paused after the alert visit
            return nlohmann::json::object();
          },
          [&](const wall::TourResumeCommand&) -> Reply {
            if (!player_.current().active) return Status(ErrorCode::InvalidArgument, "no tour is running");
            player_.resume();
            return nlohmann::json::object();
          },
          [&](const wall::TourStepCommand& c) -> Reply {
            if (!player_.current().active || flightOnly_) {
              return Status(ErrorCode::InvalidArgument, "no tour is running");
            }
            if (Status s = player_.step(c.delta); !s) return s;
            return nlohmann::json{{"stop", player_.current().stop}};
          },
          [&](const wall::SetTimeCommand& c) -> Reply {
            Clock& clock = twin.clock();
            const TimeRange range = clock.range();
            // Now or later, where the range follows now, is live: a fixed range ending in the future would pause
            // the wall there, and its next 'play' would restart from the range's beginning.
            if (c.time >= range.end && clock.rangeFollowsNow()) {
              clock.goLive();
              return nlohmann::json{{"time", formatIsoTime(clock.now(), 8 * 60)}, {"clock", toString(clock.mode())}};
            }
            if (c.time < range.begin) {
              // Earlier than the range: it grows back to the time (its end keeps following now, if it did).
              Status s = clock.rangeFollowsNow() ? clock.setRangeFollowingNow(c.time) : clock.setRange(c.time, range.end);
              if (!s) return s;
            } else if (c.time > range.end) {
              if (Status s = clock.setRange(range.begin, c.time); !s) return s;
            }
            const TimePoint set = clock.seek(c.time);
            return nlohmann::json{{"time", formatIsoTime(set, 8 * 60)}, {"clock", toString(clock.mode())}};
          },
          [&](const wall::SetRateCommand& c) -> Reply {
            return done(twin.clock().setRate(c.rate), {{"rate", c.rate}});
          },
          [&](const wall::PlayCommand&) -> Reply {
            twin.clock().play();
            return nlohmann::json::object();
          },
          [&](const wall::PauseCommand&) -> Reply {
            twin.clock().pause();
            return nlohmann::json::object();
          },
          [&](const wall::LiveCommand&) -> Reply {
            twin.clock().goLive();
            return nlohmann::json{{"time", formatIsoTime(twin.clock().now(), 8 * 60)}, {"clock", "live"}};
          },
          [&](const wall::LayerCommand& c) -> Reply {
            layers::Layer* layer = twin.findLayer(c.layer);
            if (layer == nullptr) return Status(ErrorCode::NotFound, "no layer '" + c.layer + "'");
            layer->setVisible(c.visible);
            return nlohmann::json{{"layer", c.layer}, {"visible", c.visible}};
          },
          [&](const wall::AckAlertCommand& c) -> Reply {
            const auto id = parseAlertId(c.alert);
            if (!id) return id.status();
            return done(twin.alerts().acknowledge(*id, twin.frameTime()), {{"alert", c.alert}});
          },
          [&](const wall::ShowAlertCommand& c) -> Reply {
            const auto id = parseAlertId(c.alert);
            if (!id) return id.status();
            return done(startVisit(twin, camera, state, *id), {{"alert", c.alert}, {"dwell_s", config_.alertDwellS}});
          },
          [&](const wall::ScreenshotCommand& c) -> Reply { return screenshot(twin, camera, state, c, frameNumber); },
          [&](const wall::StatusCommand&) -> Reply {
            nlohmann::json status{{"frame", frameNumber},
                                  {"time", formatIsoTime(twin.frameTime(), 8 * 60)},
                                  {"clock", toString(twin.clock().mode())},
                                  {"rate", twin.clock().rate()},
                                  {"alerts", twin.alerts().active().size()}};
            const wall::TourView view = player_.current();
            if (view.active && !flightOnly_) {
              status["tour"] = {{"id", view.tour},
                                {"stop", view.stop},
                                {"stops", view.stopCount},
                                {"paused", view.paused},
                                {"phase", view.phase == wall::TourPhase::Flying ? "flying" : "dwelling"}};
            } else {
              status["tour"] = nullptr;
            }
            status["visiting_alert"] = visit_ ? nlohmann::json(std::to_string(visit_->alert)) : nlohmann::json();
            // The ids 'ack' and 'show-alert' take: the most severe and newest first, at most kStatusAlerts.
            nlohmann::json list = nlohmann::json::array();
            for (const runtime::Alert& a : twin.alerts().active()) {
              if (list.size() >= kStatusAlerts) break;
              list.push_back({{"id", std::to_string(a.id)},
                              {"severity", toString(a.severity)},
                              {"entity", a.entityId},
                              {"en", a.messageEn},
                              {"zh", a.messageZh},
                              {"acknowledged", a.acknowledged}});
            }
            status["active_alerts"] = std::move(list);
            return status;
          },
      },
      command);
}

}  // namespace gt::viewer
