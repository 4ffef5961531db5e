// A wall's lead and follower in one process (wall_node.hpp): two twins of the demo, frames over tcp loopback. What the
// lead's frame says — the clock's time, the camera, the language, the selection, each layer's visibility, opacity
// and look (its style, however it was made, and its attribute filter) — the follower's twin and view take; when the
// lead goes quiet the follower says so.
#include "wall_node.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <string>
#include <thread>
#include <variant>

#include "greentwin/core/config_text.hpp"
#include "greentwin/runtime/twin.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

std::unique_ptr<runtime::Twin> quietDemo(runtime::LoadMode mode = runtime::LoadMode::Synchronous) {
  Config config = testing::demoPaused();
  config.plugins.enabled.clear();
  config.sources.clear();
  auto twin = runtime::Twin::create(config, {}, mode);
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

  // PUB sends nothing until the follower's connection is up: the lead publishes frame after frame until one lands,
  // and the green spaces' look (sent with the lead's first frame, lost before the follower was connected) comes
  // again within a second.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  const auto followed = [&] {
    return (*follower)->frameShown() > 0 && followerTwin->findLayer("city-green-spaces")->config().style.colorBy == "kind";
  };
  while (!followed() && std::chrono::steady_clock::now() < deadline) {
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

  // The follower's own frame stalls (its layers loading): it has not listened, so it does not call its lead lost.
  // Before, the silence was counted to the moment it was asked, and a stalled follower showed the notice.
  std::this_thread::sleep_for(std::chrono::milliseconds(700));
  EXPECT_FALSE((*follower)->leadLostForS());
  // The lead goes quiet: a poll that finds nothing after lead_lost_after_s reports it (and keeps what it shows).
  (*follower)->beforeUpdate(*followerTwin, *followerCamera, followerState);
  const auto lost = (*follower)->leadLostForS();
  ASSERT_TRUE(lost);
  EXPECT_GT(*lost, 0.5);
  EXPECT_EQ(followerTwin->findLayer("city-green-spaces")->config().style.colorBy, "kind");
}

// A lead and a follower of twoNodeWall() (lead_lost_after_s = 0.5) with their twins, cameras and interface states,
// connected: the lead publishes every 20 ms until the follower has taken a frame (10 s at most; ok() says whether).
struct ConnectedNodes {
  std::unique_ptr<runtime::Twin> leadTwin, followerTwin;
  std::unique_ptr<WallNodeRole> lead, follower;
  osg::ref_ptr<CityManipulator> leadCamera = new CityManipulator;
  osg::ref_ptr<CityManipulator> followerCamera = new CityManipulator;
  UiState leadState, followerState;
  bool ok() const { return leadTwin && followerTwin && lead && follower && follower->frameShown() > 0; }
  void leadFrame() { lead->afterUpdate(*leadTwin, *leadCamera, leadState); }
  void followerFrame() { follower->beforeUpdate(*followerTwin, *followerCamera, followerState); }
};

ConnectedNodes connectedNodes(runtime::LoadMode leadLoad = runtime::LoadMode::Synchronous) {
  ConnectedNodes n;
  n.leadTwin = quietDemo(leadLoad);
  n.followerTwin = quietDemo();
  const wall::WallConfig config = twoNodeWall();
  auto lead = WallNodeRole::create(config, "a");
  auto follower = WallNodeRole::create(config, "b");
  if (!n.leadTwin || !n.followerTwin || !lead || !follower) return n;
  n.lead = std::move(*lead);
  n.follower = std::move(*follower);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (n.follower->frameShown() == 0 && std::chrono::steady_clock::now() < deadline) {
    n.leadFrame();
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    n.followerFrame();
  }
  return n;
}

// A lead whose frames come slower than lead_lost_after_s (a restarted lead loading its layers) says so after each:
// its follower waits for the next frame instead of reporting it lost between two of them (before, the wall flapped
// between lost and following until the lead had loaded). Then the lead stops — hung (`leadExits` false: its process
// alive, sending nothing) or gone (its role destroyed, as when its process ends) — and this returns the seconds until
// the follower reports it lost (a negative number if it never does within 8 s).
double slowLeadThenStop(bool leadExits) {
  ConnectedNodes n = connectedNodes();
  EXPECT_TRUE(n.ok()) << "no frame reached the follower";
  if (!n.ok()) return -1;
  using Clock = std::chrono::steady_clock;
  // Frames 0.8 s apart; the follower looks all the time (its poll waits up to 0.1 s for a frame). The first slow
  // gap comes before the lead knows it is slow; after it the lead announces a hold with each frame.
  const auto followFor = [&](std::chrono::milliseconds d) {
    bool lost = false;
    const auto until = Clock::now() + d;
    while (Clock::now() < until) {
      n.followerFrame();
      lost = lost || n.follower->leadLostForS().has_value();
    }
    return lost;
  };
  (void)followFor(std::chrono::milliseconds(800));
  n.leadFrame();
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(followFor(std::chrono::milliseconds(800))) << "reported lost between slow frames, gap " << i;
    n.leadFrame();
  }
  EXPECT_FALSE(followFor(std::chrono::milliseconds(200)));
  EXPECT_EQ(n.follower->frameShown(), n.lead->frameShown());
  if (leadExits) n.lead.reset();
  const auto stopped = Clock::now();
  while (!n.follower->leadLostForS() && Clock::now() - stopped < std::chrono::seconds(8)) n.followerFrame();
  if (!n.follower->leadLostForS()) return -1;
  return std::chrono::duration<double>(Clock::now() - stopped).count();
}

// A hung lead is reported once its last hold (3 x 0.8 s) and lead_lost_after_s are over, well within 5 s.
TEST(WallNode, ASlowLeadIsNotReportedLostBetweenItsFramesAndAHungOneIsAfterItsHold) {
  const double after = slowLeadThenStop(false);
  EXPECT_GT(after, 1.5);
  EXPECT_LT(after, 5.0);
}

// A slow lead whose process ends closes its connection: its follower reports it at once, not after the hold (before
// the link monitor it took the same 1.5-5 s as a hung lead).
TEST(WallNode, ASlowLeadThatEndsIsReportedAtOnce) {
  const double after = slowLeadThenStop(true);
  EXPECT_GE(after, 0.0) << "not reported within 8 s";
  EXPECT_LT(after, 1.0);
}

// A lead still loading its layers says its next frames may be slow before they are: its follower does not report it
// lost in a gap longer than lead_lost_after_s (before, every lead start made its followers flap once: the frame that
// takes in the last layers runs the plugins' first reading of them, a second or more); when it ends it is reported
// at once all the same.
TEST(WallNode, ALeadStillLoadingIsNotReportedLostInASlowFrame) {
  ConnectedNodes n = connectedNodes(runtime::LoadMode::Background);  // loading until its update() takes them in
  ASSERT_TRUE(n.ok()) << "no frame reached the follower";
  ASSERT_TRUE(n.leadTwin->loading());
  using Clock = std::chrono::steady_clock;
  n.leadFrame();  // a frame while loading, then 1.5 s without one
  const auto quiet = Clock::now();
  while (Clock::now() - quiet < std::chrono::milliseconds(1500)) {
    n.followerFrame();
    ASSERT_FALSE(n.follower->leadLostForS()) << "reported lost after "
                                             << std::chrono::duration<double>(Clock::now() - quiet).count() << " s";
  }
  n.lead.reset();  // its process ends
  const auto gone = Clock::now();
  while (!n.follower->leadLostForS() && Clock::now() - gone < std::chrono::seconds(8)) n.followerFrame();
  ASSERT_TRUE(n.follower->leadLostForS());
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - gone).count(), 1.0);
}

// The lead's frames every 20 ms, the follower taking each, until `done` or 10 s.
template <class Done>
bool runWall(WallNodeRole& lead, runtime::Twin& leadTwin, WallNodeRole& follower, runtime::Twin& followerTwin,
             Done done) {
  osg::ref_ptr<CityManipulator> leadCamera = new CityManipulator;
  osg::ref_ptr<CityManipulator> followerCamera = new CityManipulator;
  UiState leadState;
  UiState followerState;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    leadTwin.update();
    leadTwin.beginFrame();
    lead.afterUpdate(leadTwin, *leadCamera, leadState);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    follower.beforeUpdate(followerTwin, *followerCamera, followerState);
    followerTwin.update();
    if (done()) return true;
  }
  return false;
}

std::string filterOf(const runtime::Twin& twin, const std::string& layer) {
  const runtime::LayerFilters::Active* active = twin.layerFilters().active(layer);
  return active != nullptr ? active->text : "";
}

TEST(WallNode, AFollowersLayerShowsTheStyleAndFilterTheLeadGaveIt) {
  auto leadTwin = quietDemo();
  auto followerTwin = quietDemo();
  ASSERT_NE(leadTwin, nullptr);
  ASSERT_NE(followerTwin, nullptr);
  const wall::WallConfig config = twoNodeWall();
  auto lead = WallNodeRole::create(config, "a");
  ASSERT_TRUE(lead) << lead.status().message();
  auto follower = WallNodeRole::create(config, "b");
  ASSERT_TRUE(follower) << follower.status().message();
  const std::string city = "city-buildings";
  const LayerStyleConfig configured = leadTwin->findLayer(city)->config().style;

  // On the lead, from the interface: the colour-by form's classes (a style none of the layer's alternatives is) and
  // an attribute filter. The follower starts with the config's look, and joins after the look was first sent: it
  // gets it when the lead sends its looks again.
  ClassificationRequest request;
  request.attribute = "height_m";
  request.method = ClassMethod::Quantile;
  request.classes = 4;
  request.ramp = "blues";
  ASSERT_TRUE(leadTwin->colourLayerBy(city, request).isOk());
  ASSERT_TRUE(std::holds_alternative<runtime::LayerFilterCount>(leadTwin->filterLayer(city, "height_m > 40")));
  const LayerStyleConfig edited = leadTwin->findLayer(city)->config().style;
  ASSERT_FALSE(sameStyle(edited, configured));
  ASSERT_FALSE(sameStyle(followerTwin->findLayer(city)->config().style, edited));
  const bool followed = runWall(**lead, *leadTwin, **follower, *followerTwin, [&] {
    return sameStyle(followerTwin->findLayer(city)->config().style, edited) &&
           filterOf(*followerTwin, city) == "height_m > 40";
  });
  EXPECT_TRUE(followed) << "the follower's layer: " << styleText(followerTwin->findLayer(city)->config().style)
                        << "filter '" << filterOf(*followerTwin, city) << "'";
  EXPECT_EQ(followerTwin->findLayer(city)->config().style.breaks, edited.breaks);
  ASSERT_NE(followerTwin->layerFilters().active(city), nullptr);
  EXPECT_EQ(followerTwin->layerFilters().active(city)->count.shown, leadTwin->layerFilters().active(city)->count.shown);
  EXPECT_LT(followerTwin->layerFilters().active(city)->count.shown, followerTwin->layerFilters().active(city)->count.total);

  // A hand-edited colour on the lead, then back to the config's look: the follower follows each.
  LayerStyleConfig byHand = edited;
  byHand.colorMode = "single";
  byHand.fillColor = "#ff00ff";
  ASSERT_TRUE(leadTwin->restyleLayer(city, byHand));
  EXPECT_TRUE(runWall(**lead, *leadTwin, **follower, *followerTwin, [&] {
    return followerTwin->findLayer(city)->config().style.fillColor == "#ff00ff";
  }));
  EXPECT_TRUE(sameStyle(followerTwin->findLayer(city)->config().style, byHand));
  ASSERT_TRUE(leadTwin->restyleLayer(city, configured));
  (void)leadTwin->filterLayer(city, "");
  EXPECT_TRUE(runWall(**lead, *leadTwin, **follower, *followerTwin, [&] {
    return sameStyle(followerTwin->findLayer(city)->config().style, configured) && filterOf(*followerTwin, city).empty();
  })) << styleText(followerTwin->findLayer(city)->config().style) << "filter '" << filterOf(*followerTwin, city) << "'";
}

TEST(WallNode, ALookTheFollowerCannotTakeLeavesItsLayerAsItWas) {
  auto twin = quietDemo();
  ASSERT_NE(twin, nullptr);
  const std::string city = "city-buildings";
  const LayerStyleConfig before = twin->findLayer(city)->config().style;
  WallLookApplier applier;
  wall::LayerLook look;
  look.layerId = city;
  look.revision = 5;
  look.styleText = "fill_color = \"magenta\"\n";  // not a colour the config reader takes
  look.filterText = "no_such_attribute > 1";
  applier.apply(*twin, wall::LayerState{city, true, 1.0F, 5}, &look);
  EXPECT_EQ(applier.shown(city), 5u);  // not tried again every frame
  EXPECT_TRUE(sameStyle(twin->findLayer(city)->config().style, before));
  EXPECT_EQ(filterOf(*twin, city), "");
  // Values for another number of features than the layer has: refused as well.
  look.revision = 6;
  look.filterText.clear();
  look.valuesAttribute = "change of load_kw";
  look.values = {1.0, 2.0};
  LayerStyleConfig changed;  // a style the reader takes: only the values are wrong
  changed.fillColor = "#010203";
  look.styleText = styleText(changed);
  applier.apply(*twin, wall::LayerState{city, true, 1.0F, 6}, &look);
  EXPECT_EQ(applier.shown(city), 6u);
  EXPECT_TRUE(sameStyle(twin->findLayer(city)->config().style, before));
  // A revision not received yet is waited for, not guessed.
  applier.apply(*twin, wall::LayerState{city, true, 1.0F, 7}, &look);
  EXPECT_EQ(applier.shown(city), 6u);
}

// "Compare times" on the lead: the look carries the change per feature, and the follower's layer is coloured by it
// (the style's colour rule reads the values it was given, not its features' own properties).
TEST(WallNode, ACompareTimesLookColoursTheFollowersLayerByTheLeadsValues) {
  auto twin = quietDemo();
  ASSERT_NE(twin, nullptr);
  const std::string city = "city-buildings";
  const layers::Layer* layer = twin->findLayer(city);
  ASSERT_NE(layer, nullptr);
  LayerStyleConfig change = layer->config().style;  // as runtime::computeTimeChange makes it: the layer's own, recoloured
  change.classifier.clear();
  change.classNamesEn.clear();
  change.classNamesZh.clear();
  change.colorMode = "graduated";
  change.colorBy = "change of load_kw";
  change.breaks = {-1.0, 1.0};
  change.colors = {"#0000ff", "#ffffff", "#ff0000"};
  wall::LayerLook look;
  look.layerId = city;
  look.revision = 9;
  look.styleText = styleText(change);
  look.valuesAttribute = "change of load_kw";
  look.values.assign(layer->slotCount(), std::nan(""));
  for (std::size_t s = 0; s < look.values.size(); s += 2) look.values[s] = s % 4 == 0 ? -5.0 : 5.0;
  WallLookApplier applier;
  applier.apply(*twin, wall::LayerState{city, true, 1.0F, 9}, &look);
  EXPECT_EQ(applier.shown(city), 9u);
  EXPECT_TRUE(sameStyle(layer->config().style, change)) << styleText(layer->config().style);
  // Back to the config's look: its own style again.
  applier.apply(*twin, wall::LayerState{city, true, 1.0F, 0}, nullptr);
  EXPECT_EQ(applier.shown(city), 0u);
  EXPECT_NE(layer->config().style.colorBy, "change of load_kw");
}

}  // namespace
}  // namespace gt::viewer
