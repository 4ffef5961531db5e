// The lead's side of greentwin ctl (wall_control.hpp): each command applied to a real twin of the demo, and the
// errors that name what is wrong — an unknown bookmark, tour, layer or alert, a tour stop naming a layer the twin
// lacks. The sockets are the control server's own tests' (tests/wall); here commands go in through apply().
#include "wall_control.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

const char* kWall = R"([wall]
security = "none"
alert_fly_to = "critical"
alert_dwell_s = 5
control = "tcp://127.0.0.1:*"
sync = "tcp://127.0.0.1:*"
[[wall.nodes]]
id = "lead"
tile = [0, 0]
lead = true

[[tours]]
id = "places"
name_en = "Places"
[[tours.stops]]
bookmark = "canal-cbd"
dwell_s = 5
layers = ["terrain", "city-buildings"]
[[tours.stops]]
bookmark = "green-heart"

[[tours]]
id = "broken"
[[tours.stops]]
bookmark = "no-such-place"

[[tours]]
id = "strange-layer"
[[tours.stops]]
bookmark = "canal-cbd"
layers = ["no-such-layer"]
)";

class WallControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Config config = testing::demoPaused();
    config.plugins.enabled.clear();
    config.sources.clear();
    auto twin = runtime::Twin::create(config);
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin);
    folder_ = std::filesystem::temp_directory_path() /
              ("gt-wall-control-" + std::to_string(::getpid()) + "-" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(folder_);
    std::filesystem::create_directories(folder_);
    auto wall = wall::parseWallConfig(kWall, (folder_ / "wall.toml").string());
    ASSERT_TRUE(wall) << wall.status().message();
    auto controller = WallController::start(*wall);
    ASSERT_TRUE(controller) << controller.status().message();
    controller_ = std::move(*controller);
    camera_ = new CityManipulator;
  }

  Result<nlohmann::json> apply(const wall::ControlCommand& c) {
    return controller_->apply(c, *twin_, *camera_, state_, 7);
  }
  std::string error(const wall::ControlCommand& c) {
    auto r = apply(c);
    EXPECT_FALSE(r) << "expected an error";
    return r ? std::string() : r.status().message();
  }

  void TearDown() override { std::filesystem::remove_all(folder_); }

  // Frames of half a second until `seconds` have passed.
  void run(double seconds, std::uint64_t& frame) {
    for (double t = 0; t < seconds - 1e-9; t += 0.5) controller_->frame(*twin_, *camera_, state_, ++frame, 0.5);
  }
  // An entity of the demo with a place in the scene, and that place.
  std::pair<std::string, Vec3d> placedEntity() {
    for (EntityIndex i = 0; i < twin_->entities().size(); ++i) {
      if (auto place = twin_->entityPosition(i)) return {twin_->entities().get(i)->id, *place};
    }
    ADD_FAILURE() << "no entity of the demo has a place";
    return {};
  }
  std::uint64_t raise(const std::string& key, AlertSeverity severity, const std::string& entity) {
    EXPECT_TRUE(twin_->alerts().raise(AlertRaise{"test", key, severity, entity, "测试", "test " + key, 0}).isOk());
    twin_->alerts().apply();
    for (const runtime::Alert& a : twin_->alerts().active()) {
      if (a.key == key) return a.id;
    }
    ADD_FAILURE() << "alert " << key << " not active";
    return 0;
  }

  std::filesystem::path folder_;
  std::unique_ptr<runtime::Twin> twin_;
  std::unique_ptr<WallController> controller_;
  osg::ref_ptr<CityManipulator> camera_;
  UiState state_;
};

TEST_F(WallControlTest, GotoFliesToABookmarkAndNamesAnUnknownOne) {
  EXPECT_NE(error(wall::GotoCommand{"nowhere"}).find("no bookmark 'nowhere' (bookmarks: admin-office"),
            std::string::npos);
  ASSERT_TRUE(apply(wall::GotoCommand{"canal-cbd"}));
  EXPECT_FALSE(controller_->tourState());  // a flight, not a tour
}

TEST_F(WallControlTest, ToursStartPauseStepAndStop) {
  EXPECT_NE(error(wall::TourStartCommand{"nope"}).find("no tour 'nope' in the wall file (tours: places, broken"),
            std::string::npos);
  EXPECT_NE(error(wall::TourStartCommand{"broken"}).find("tour 'broken': no bookmark 'no-such-place'"),
            std::string::npos);
  EXPECT_NE(error(wall::TourStartCommand{"strange-layer"}).find("shows layer 'no-such-layer'"), std::string::npos);
  EXPECT_NE(error(wall::TourPauseCommand{}).find("no tour is running"), std::string::npos);

  ASSERT_TRUE(apply(wall::TourStartCommand{"places"}));
  auto state = controller_->tourState();
  ASSERT_TRUE(state);
  EXPECT_EQ(state->id, "places");
  EXPECT_EQ(state->stopIndex, 0u);
  EXPECT_TRUE(state->playing);
  ASSERT_TRUE(apply(wall::TourPauseCommand{}));
  EXPECT_FALSE(controller_->tourState()->playing);
  auto stepped = apply(wall::TourStepCommand{1});
  ASSERT_TRUE(stepped) << stepped.status().message();
  EXPECT_EQ((*stepped)["stop"], 1);
  EXPECT_EQ(controller_->tourState()->stopIndex, 1u);
  ASSERT_TRUE(apply(wall::TourStopCommand{}));
  EXPECT_FALSE(controller_->tourState());
}

TEST_F(WallControlTest, TimeRateAndPlayback) {
  const TimePoint t = *parseIsoTime("2026-11-25T09:30:00+08:00");
  auto set = apply(wall::SetTimeCommand{t});
  ASSERT_TRUE(set) << set.status().message();
  EXPECT_EQ((*set)["time"], "2026-11-25T09:30:00+08:00");
  EXPECT_EQ(twin_->clock().now(), t);
  ASSERT_TRUE(apply(wall::SetRateCommand{60.0}));
  EXPECT_DOUBLE_EQ(twin_->clock().rate(), 60.0);
  ASSERT_TRUE(apply(wall::PlayCommand{}));
  EXPECT_EQ(twin_->clock().mode(), ClockMode::Playback);
  ASSERT_TRUE(apply(wall::PauseCommand{}));
  EXPECT_EQ(twin_->clock().mode(), ClockMode::Paused);
}

// A time at or after now is live (the operator means "now"); before, a wall that then plays goes on from that time.
// Before: a time after now fixed the range's end there and paused; the next 'play' restarted from the range's start.
TEST_F(WallControlTest, TimeAtOrAfterNowIsLiveAndLiveComesBack) {
  // The test twin's range is fixed (its config's); 'live' makes it follow now, as a wall's usually does.
  EXPECT_FALSE(twin_->clock().rangeFollowsNow());
  auto live = apply(wall::LiveCommand{});
  ASSERT_TRUE(live) << live.status().message();
  EXPECT_EQ((*live)["clock"], "live");
  EXPECT_EQ(twin_->clock().mode(), ClockMode::Live);
  EXPECT_TRUE(twin_->clock().rangeFollowsNow());
  ASSERT_TRUE(apply(wall::PauseCommand{}));
  auto future = apply(wall::SetTimeCommand{wallNow() + 3600 * kMicrosPerSecond});
  ASSERT_TRUE(future) << future.status().message();
  EXPECT_EQ((*future)["clock"], "live");
  EXPECT_EQ(twin_->clock().mode(), ClockMode::Live);
  EXPECT_TRUE(twin_->clock().rangeFollowsNow());
  ASSERT_TRUE(apply(wall::PlayCommand{}));
  EXPECT_EQ(twin_->clock().mode(), ClockMode::Playback);
  EXPECT_LT(std::abs(twin_->clock().now() - wallNow()), 60 * kMicrosPerSecond);  // from now, not from the start
  const TimePoint past = wallNow() - 2 * 86'400 * kMicrosPerSecond;  // before the range: it grows back to it
  auto set = apply(wall::SetTimeCommand{past});
  ASSERT_TRUE(set) << set.status().message();
  EXPECT_EQ((*set)["clock"], "playback");
  EXPECT_TRUE(twin_->clock().rangeFollowsNow());
  EXPECT_LT(std::abs(twin_->clock().now() - past), 60 * kMicrosPerSecond);
  ASSERT_TRUE(apply(wall::LiveCommand{}));
  EXPECT_EQ(twin_->clock().mode(), ClockMode::Live);
}

TEST_F(WallControlTest, LayersAndAlerts) {
  ASSERT_NE(twin_->findLayer("terrain"), nullptr);
  ASSERT_TRUE(apply(wall::LayerCommand{"terrain", false}));
  EXPECT_FALSE(twin_->findLayer("terrain")->visible());
  ASSERT_TRUE(apply(wall::LayerCommand{"terrain", true}));
  EXPECT_TRUE(twin_->findLayer("terrain")->visible());
  EXPECT_NE(error(wall::LayerCommand{"no-such-layer", true}).find("no layer 'no-such-layer'"), std::string::npos);
  EXPECT_NE(error(wall::AckAlertCommand{"12x"}).find("alert id '12x' is not a number"), std::string::npos);
  EXPECT_FALSE(apply(wall::AckAlertCommand{"999999"}));  // no such alert: the alert log's NotFound
}

TEST_F(WallControlTest, StatusReportsFrameClockAndTour) {
  ASSERT_TRUE(apply(wall::TourStartCommand{"places"}));
  auto status = apply(wall::StatusCommand{});
  ASSERT_TRUE(status) << status.status().message();
  EXPECT_EQ((*status)["frame"], 7);
  EXPECT_EQ((*status)["clock"], "paused");
  EXPECT_EQ((*status)["tour"]["id"], "places");
  EXPECT_EQ((*status)["tour"]["stops"], 2);
}

// The operator reads the ids 'ack' and 'show-alert' take from 'status'.
TEST_F(WallControlTest, StatusListsTheActiveAlertsWithTheirIds) {
  const auto [entity, place] = placedEntity();
  ASSERT_FALSE(entity.empty());
  const std::uint64_t warning = raise("warn", AlertSeverity::Warning, entity);
  const std::uint64_t critical = raise("crit", AlertSeverity::Critical, entity);
  std::uint64_t frame = 0;
  run(0.1, frame);
  auto status = apply(wall::StatusCommand{});
  ASSERT_TRUE(status) << status.status().message();
  EXPECT_EQ((*status)["alerts"], 2);
  const nlohmann::json& list = (*status)["active_alerts"];
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0]["id"], std::to_string(critical));  // the most severe first
  EXPECT_EQ(list[0]["severity"], "critical");
  EXPECT_EQ(list[0]["entity"], entity);
  EXPECT_EQ(list[1]["id"], std::to_string(warning));
  EXPECT_EQ(list[1]["acknowledged"], false);
  ASSERT_TRUE(apply(wall::AckAlertCommand{list[1]["id"].get<std::string>()}));
  auto after = apply(wall::StatusCommand{});
  ASSERT_TRUE(after);
  EXPECT_EQ((*after)["active_alerts"][1]["acknowledged"], true);
}

// alert_fly_to = "critical": a critical alert with a placed entity pauses the tour, the camera flies to the entity
// and shows it selected for alert_dwell_s, flies back, and the tour plays on; a warning is not visited by itself.
TEST_F(WallControlTest, ACriticalAlertIsFlownToAndTheTourResumes) {
  const auto [entity, place] = placedEntity();
  ASSERT_FALSE(entity.empty());
  ASSERT_TRUE(apply(wall::TourStartCommand{"places"}));
  std::uint64_t frame = 0;
  run(1.0, frame);
  raise("warn", AlertSeverity::Warning, entity);
  run(0.5, frame);
  EXPECT_FALSE(controller_->visitedAlert()) << "a warning is below alert_fly_to";

  const std::uint64_t id = raise("crit", AlertSeverity::Critical, entity);
  run(0.5, frame);
  ASSERT_EQ(controller_->visitedAlert(), id);
  const OrbitPose before = camera_->pose();  // where the tour was: the visit flies back here
  EXPECT_EQ(state_.selected, twin_->entities().find(entity));
  EXPECT_TRUE(controller_->tourState()->playing) << "paused only for the visit: the running tour";
  run(3.0, frame);  // the flight there
  EXPECT_NEAR(camera_->pose().center.x(), place.x, 1e-6);
  EXPECT_NEAR(camera_->pose().center.y(), place.y, 1e-6);
  auto status = apply(wall::StatusCommand{});
  ASSERT_TRUE(status);
  EXPECT_EQ((*status)["visiting_alert"], std::to_string(id));
  run(4.5, frame);  // still dwelling
  EXPECT_EQ(controller_->visitedAlert(), id);
  // The rest of the dwell and the flight back (3 s): the visit ends with the camera where the tour was.
  for (int i = 0; i < 20 && controller_->visitedAlert(); ++i) run(0.5, frame);
  EXPECT_FALSE(controller_->visitedAlert());
  EXPECT_FALSE(state_.selected);
  EXPECT_NEAR(camera_->pose().center.x(), before.center.x(), 1e-6);
  EXPECT_NEAR(camera_->pose().center.y(), before.center.y(), 1e-6);
  // The tour plays on from there, and the alert is not visited again.
  const OrbitPose back = camera_->pose();
  run(1.0, frame);
  EXPECT_FALSE(controller_->visitedAlert());
  EXPECT_NE(camera_->pose().center, back.center) << "the tour's flight goes on";
}

// Acknowledged during its dwell: the camera flies back at once. show_alert visits any located alert on request and
// names what is wrong otherwise.
TEST_F(WallControlTest, AnAcknowledgedAlertEndsItsVisitAndShowAlertVisitsOnRequest) {
  const auto [entity, place] = placedEntity();
  ASSERT_FALSE(entity.empty());
  const OrbitPose before = camera_->pose();
  std::uint64_t frame = 0;
  const std::uint64_t crit = raise("crit", AlertSeverity::Critical, entity);
  run(3.5, frame);
  ASSERT_EQ(controller_->visitedAlert(), crit);
  ASSERT_TRUE(apply(wall::AckAlertCommand{std::to_string(crit)}));
  run(3.5, frame);
  EXPECT_FALSE(controller_->visitedAlert()) << "flown back within the flight's 3 s";
  EXPECT_NEAR(camera_->pose().center.x(), before.center.x(), 1e-6);

  const std::uint64_t warn = raise("warn", AlertSeverity::Warning, entity);
  auto shown = apply(wall::ShowAlertCommand{std::to_string(warn)});
  ASSERT_TRUE(shown) << shown.status().message();
  EXPECT_EQ((*shown)["dwell_s"], 5.0);
  EXPECT_EQ(controller_->visitedAlert(), warn);
  ASSERT_TRUE(apply(wall::GotoCommand{"canal-cbd"}));  // an operator's camera command ends the visit
  EXPECT_FALSE(controller_->visitedAlert());

  EXPECT_NE(error(wall::ShowAlertCommand{"x1"}).find("alert id 'x1' is not a number"), std::string::npos);
  EXPECT_NE(error(wall::ShowAlertCommand{"999999"}).find("no active alert 999999"), std::string::npos);
  const std::uint64_t bare = raise("bare", AlertSeverity::Warning, "");
  EXPECT_NE(error(wall::ShowAlertCommand{std::to_string(bare)}).find("names no entity"), std::string::npos);
  const std::uint64_t lost = raise("lost", AlertSeverity::Warning, "no-such/entity");
  EXPECT_NE(error(wall::ShowAlertCommand{std::to_string(lost)}).find("its entity 'no-such/entity' has no place"),
            std::string::npos);
}

// The running tour survives the lead's restart: frame() keeps it in the state file, and a new controller of the same
// wall starts it again at its stop with its first frame.
TEST_F(WallControlTest, ARestartedLeadResumesTheTourAtItsStop) {
  ASSERT_TRUE(apply(wall::TourStartCommand{"places"}));
  ASSERT_TRUE(apply(wall::TourStepCommand{1}));
  ASSERT_TRUE(apply(wall::TourPauseCommand{}));
  controller_->frame(*twin_, *camera_, state_, 8);
  std::ifstream in(folder_ / "wall.state.json");
  ASSERT_TRUE(in) << "no state file";
  const nlohmann::json saved = nlohmann::json::parse(in);
  EXPECT_EQ(saved, (nlohmann::json{{"tour", "places"}, {"stop", 1}, {"playing", false}}));

  controller_.reset();  // the lead stops; a new one starts on the same wall file
  auto wall = wall::parseWallConfig(kWall, (folder_ / "wall.toml").string());
  ASSERT_TRUE(wall);
  auto restarted = WallController::start(*wall);
  ASSERT_TRUE(restarted) << restarted.status().message();
  EXPECT_FALSE((*restarted)->tourState());
  (*restarted)->frame(*twin_, *camera_, state_, 1);
  const auto resumed = (*restarted)->tourState();
  ASSERT_TRUE(resumed);
  EXPECT_EQ(resumed->id, "places");
  EXPECT_EQ(resumed->stopIndex, 1u);
  EXPECT_FALSE(resumed->playing);

  // Stopped: the state file says so, and nothing resumes.
  ASSERT_TRUE((*restarted)->apply(wall::TourStopCommand{}, *twin_, *camera_, state_, 2));
  (*restarted)->frame(*twin_, *camera_, state_, 3);
  std::ifstream after(folder_ / "wall.state.json");
  EXPECT_EQ(nlohmann::json::parse(after), nlohmann::json::object());
}

}  // namespace
}  // namespace gt::viewer
