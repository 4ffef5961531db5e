// A wall's lead and follower in one process (wall_node.hpp): two twins of the demo, frames over tcp loopback. What the
// lead's frame says — the clock's time, the camera, the language, the selection, each layer's visibility, opacity
// and "colour by" style — the follower's twin and view take; when the lead goes quiet the follower says so.
#include "wall_node.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

#include "greentwin/runtime/twin.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

std::unique_ptr<runtime::Twin> quietDemo() {
  Config config = testing::demoPaused();
  config.plugins.enabled.clear();
  config.sources.clear();
  auto twin = runtime::Twin::create(config);
  EXPECT_TRUE(twin) << twin.status().message();
  return twin ? std::move(*twin) : nullptr;
}

wall::WallConfig twoNodeWall() {
  const int port = 20000 + static_cast<int>(::getpid() % 20000);
  const std::string text = "[wall]\ncolumns = 2\nsecurity = \"none\"\nlead_lost_after_s = 0.5\nsync = \"tcp://127.0.0.1:" +
                           std::to_string(port) + "\"\ncontrol = \"tcp://127.0.0.1:" + std::to_string(port + 1) +
                           "\"\n[[wall.nodes]]\nid = \"a\"\ntile = [0, 0]\nlead = true\n"
                           "[[wall.nodes]]\nid = \"b\"\ntile = [1, 0]\n";
  auto config = wall::parseWallConfig(text, "/tmp/wall.toml");
  EXPECT_TRUE(config) << config.status().message();
  return *config;
}

TEST(WallNode, AFollowerTakesTheLeadsFrameAndNoticesItsSilence) {
  auto leadTwin = quietDemo();
  auto followerTwin = quietDemo();
  ASSERT_NE(leadTwin, nullptr);
  ASSERT_NE(followerTwin, nullptr);
  const wall::WallConfig config = twoNodeWall();
  auto lead = WallNodeRole::create(config, "a");
  ASSERT_TRUE(lead) << lead.status().message();
  auto follower = WallNodeRole::create(config, "b");
  ASSERT_TRUE(follower) << follower.status().message();
  EXPECT_TRUE((*lead)->isLead());
  EXPECT_FALSE((*follower)->isLead());
  EXPECT_EQ((*follower)->render().tile, (wall::TileId{1, 0}));
  EXPECT_FALSE(WallNodeRole::create(config, "z"));

  // The lead's view: a time, a camera, English, a selected district, the terrain hidden, the roads faint, the green
  // spaces coloured by kind (their last alternative style).
  const TimePoint t = *parseIsoTime("2026-11-25T09:30:00+08:00");
  leadTwin->clock().seek(t);
  osg::ref_ptr<CityManipulator> leadCamera = new CityManipulator;
  osg::ref_ptr<CityManipulator> followerCamera = new CityManipulator;
  const OrbitPose pose{osg::Vec3d(1200.0, -3400.0, 15.0), 35.0, -40.0, 2500.0};
  leadCamera->setPose(pose);
  UiState leadState;
  UiState followerState;
  leadState.language = Language::English;
  leadState.selected = leadTwin->entities().find("tongzhou-district/0");
  ASSERT_TRUE(leadState.selected);
  leadTwin->findLayer("terrain")->setVisible(false);
  leadTwin->findLayer("city-roads")->setOpacity(0.4);
  const LayerConfig& greens = leadTwin->findLayer("city-green-spaces")->config();
  ASSERT_GE(greens.alternativeStyles.size(), 2u);
  const LayerStyleConfig byKind = greens.alternativeStyles.back();
  ASSERT_EQ(byKind.colorBy, "kind");
  ASSERT_NE(followerTwin->findLayer("city-green-spaces")->config().style.colorBy, "kind");
  ASSERT_TRUE(leadTwin->restyleLayer("city-green-spaces", byKind));

  // PUB sends nothing until the follower's connection is up: the lead publishes frame after frame until one lands.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while ((*follower)->frameShown() == 0 && std::chrono::steady_clock::now() < deadline) {
    leadTwin->update();  // as the window's frame: the twin's update, then the lead publishes what it shows
    leadTwin->beginFrame();
    (*lead)->afterUpdate(*leadTwin, *leadCamera, leadState);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    (*follower)->beforeUpdate(*followerTwin, *followerCamera, followerState);
  }
  ASSERT_GT((*follower)->frameShown(), 0u) << "no frame reached the follower";
  EXPECT_LE((*follower)->frameShown(), (*lead)->frameShown());
  EXPECT_EQ(followerTwin->clock().now(), t);
  const OrbitPose shown = followerCamera->pose();
  EXPECT_NEAR(shown.center.x(), pose.center.x(), 1e-6);
  EXPECT_NEAR(shown.center.y(), pose.center.y(), 1e-6);
  EXPECT_NEAR(shown.headingDeg, pose.headingDeg, 1e-6);
  EXPECT_NEAR(shown.pitchDeg, pose.pitchDeg, 1e-6);
  EXPECT_NEAR(shown.range, pose.range, 1e-6);
  EXPECT_EQ(followerState.language, Language::English);
  EXPECT_EQ(followerState.selected, followerTwin->entities().find("tongzhou-district/0"));
  EXPECT_FALSE(followerTwin->findLayer("terrain")->visible());
  EXPECT_NEAR(followerTwin->findLayer("city-roads")->opacity(), 0.4, 1e-6);
  EXPECT_EQ(followerTwin->findLayer("city-green-spaces")->config().style.colorBy, "kind");
  EXPECT_FALSE((*follower)->leadLostForS());

  // The lead goes quiet: after lead_lost_after_s the follower reports it (and keeps what it shows).
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  (*follower)->beforeUpdate(*followerTwin, *followerCamera, followerState);
  const auto lost = (*follower)->leadLostForS();
  ASSERT_TRUE(lost);
  EXPECT_GT(*lost, 0.5);
  EXPECT_EQ(followerTwin->findLayer("city-green-spaces")->config().style.colorBy, "kind");
}

}  // namespace
}  // namespace gt::viewer
