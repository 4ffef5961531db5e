// The lead's side of greentwin ctl (wall_control.hpp): each command applied to a real twin of the demo, and the
// errors that name what is wrong — an unknown bookmark, tour, layer or alert, a tour stop naming a layer the twin
// lacks. The sockets are the control server's own tests' (tests/wall); here commands go in through apply().
#include "wall_control.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

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
    auto config = runtime::loadConfig(runtime::demoConfigPath());
    ASSERT_TRUE(config) << config.status().message();
    config->plugins.enabled.clear();
    config->sources.clear();
    config->clock.mode = "paused";
    config->clock.start = *parseIsoTime("2026-11-25T00:00:00+08:00");
    config->clock.end = *parseIsoTime("2026-11-26T00:00:00+08:00");
    auto twin = runtime::Twin::create(*config);
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin);
    auto wall = wall::parseWallConfig(kWall, "/tmp/wall.toml");
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

}  // namespace
}  // namespace gt::viewer
