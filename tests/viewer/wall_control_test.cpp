// The lead's side of greentwin ctl (wall_control.hpp): each command applied to a real twin of the demo, and the
// errors that name what is wrong — an unknown bookmark, tour, layer or alert, a tour stop naming a layer the twin
// lacks. The sockets are the control server's own tests' (tests/wall); here commands go in through apply().
#include "wall_control.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

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
