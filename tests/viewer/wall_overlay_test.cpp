// The wall overlay (wall_overlay.hpp): which alert heads the banner, the data state from the twin's clock and feeds,
// and drawn headless as a wall node shows it — the banner in the overlay tile, a follower's lead-lost notice across
// its own tile.
#include "wall_overlay.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <vector>

#include "golden_image.hpp"
#include "twin_test_setup.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"

namespace gt::viewer {
namespace {

TEST(WallOverlay, TheHeadlineIsTheMostSevereUnacknowledgedAlert) {
  std::vector<WallAlert> alerts{{1, AlertSeverity::Warning, "w", "w", false},
                                {2, AlertSeverity::Critical, "c", "c", true},
                                {3, AlertSeverity::Critical, "c2", "c2", false},
                                {4, AlertSeverity::Info, "i", "i", false}};
  ASSERT_NE(wallHeadline(alerts), nullptr);
  EXPECT_EQ(wallHeadline(alerts)->id, 3u);
  alerts[2].acknowledged = true;
  EXPECT_EQ(wallHeadline(alerts)->id, 1u);
  for (WallAlert& a : alerts) a.acknowledged = true;
  EXPECT_EQ(wallHeadline(alerts), nullptr);
  EXPECT_EQ(wallHeadline({}), nullptr);
}

// The paused demo without plugins (and their sources); with or without its zmq source.
std::unique_ptr<runtime::Twin> demoTwin(bool withFeeds, runtime::LoadMode mode = runtime::LoadMode::Synchronous) {
  Config config = testing::demoPaused(withFeeds);
  config.plugins.enabled.clear();
  std::erase_if(config.sources, [](const SourceConfig& s) { return s.type != "zmq"; });
  auto twin = runtime::Twin::create(config, {}, mode);
  EXPECT_TRUE(twin) << twin.status().message();
  return twin ? std::move(*twin) : nullptr;
}

TEST(WallOverlay, DataStateFollowsTheClockAndTheFeeds) {
  auto paused = demoTwin(false);
  ASSERT_NE(paused, nullptr);
  const wall::PixelRect r{0, 0, 100, 100};
  EXPECT_EQ(wallOverlayOf(*paused, r, r).data, WallDataState::Playback);  // a paused clock is not live
  paused->clock().goLive();
  const WallOverlayModel noFeeds = wallOverlayOf(*paused, r, r);
  EXPECT_EQ(noFeeds.data, WallDataState::Live);  // no feed configured: nothing that could be stale
  EXPECT_EQ(noFeeds.staleFeeds, 0);

  auto silent = demoTwin(true);  // the demo's zmq source, with no simulator: it has heard nothing
  ASSERT_NE(silent, nullptr);
  silent->clock().goLive();
  const WallOverlayModel model = wallOverlayOf(*silent, r, r);
  EXPECT_EQ(model.data, WallDataState::SomeStale);
  EXPECT_EQ(model.staleFeeds, 1);
}

// The mean colour of a canvas rectangle of an image (rows bottom-up as GL reads them).
osg::Vec3 meanColour(const osg::Image& image, int x0, int y0Top, int w, int h) {
  osg::Vec3 sum;
  for (int y = y0Top; y < y0Top + h; ++y) {
    for (int x = x0; x < x0 + w; ++x) {
      const unsigned char* p = image.data(x, image.t() - 1 - y);
      sum += osg::Vec3(p[0], p[1], p[2]);
    }
  }
  return sum / static_cast<float>(w * h);
}

// The right tile (480 x 270) of a 2 x 1 wall as a kiosk node draws it, in English, at the demo's report time.
RenderRequest rightTileOfTwo() {
  RenderRequest request;
  request.language = Language::English;
  request.time = *parseIsoTime("2026-11-25T09:30:00+08:00");
  request.wall = WallRender{wall::WallLayout{.columns = 2, .rows = 1, .tileWidth = 480, .tileHeight = 270},
                            wall::TileId{1, 0}};
  request.kiosk = true;
  return request;
}

TEST(WallOverlay, AFollowerWithoutItsLeadSaysItIsNotLive) {
  auto twin = demoTwin(false);
  ASSERT_NE(twin, nullptr);
  RenderRequest request = rightTileOfTwo();
  auto live = renderOffscreen(*twin, request);
  ASSERT_TRUE(live) << live.status().message();
  request.leadLostForS = 3.0;
  auto lost = renderOffscreen(*twin, request);
  ASSERT_TRUE(lost) << lost.status().message();
  // The notice is a red box across the middle of the tile; without it the map shows there.
  const osg::Vec3 withNotice = meanColour(**lost, 40, 125, 400, 20);
  const osg::Vec3 without = meanColour(**live, 40, 125, 400, 20);
  EXPECT_GT(withNotice.x(), 110.0f);
  EXPECT_GT(withNotice.x(), withNotice.y() * 1.6f) << withNotice.x() << " " << withNotice.y();
  EXPECT_LT(without.x(), without.y() * 1.2f) << without.x() << " " << without.y();
  // This tile is not the overlay tile (the top-left one): no banner, no strip on it.
  EXPECT_GT(testing::luminanceStdDev(**live), 5.0);
}

// A node whose layers are still loading (a restarted node takes seconds) says so across its own tile, under the
// middle, in blue: before, its tile was dark but for labels with nothing to tell a fault from a start.
TEST(WallOverlay, ANodeStillLoadingItsLayersSaysSo) {
  {
    auto starting = demoTwin(false, runtime::LoadMode::Background);  // returns with its layers queued
    ASSERT_NE(starting, nullptr);
    ASSERT_TRUE(starting->loading());
    EXPECT_GT(wallOverlayOf(*starting, {}, {}).layersLoading, 0u);
    ASSERT_TRUE(starting->waitUntilLoaded(std::chrono::minutes(2)).isOk());
    EXPECT_EQ(wallOverlayOf(*starting, {}, {}).layersLoading, 0u);
  }
  auto twin = demoTwin(false);
  ASSERT_NE(twin, nullptr);
  RenderRequest request = rightTileOfTwo();
  auto loaded = renderOffscreen(*twin, request);
  ASSERT_TRUE(loaded) << loaded.status().message();
  request.layersLoading = 3;
  auto loading = renderOffscreen(*twin, request);
  ASSERT_TRUE(loading) << loading.status().message();
  // The notice is a blue box a little under the middle of the tile (rows 180-200 of 270 from the top).
  const osg::Vec3 withNotice = meanColour(**loading, 40, 175, 400, 14);
  const osg::Vec3 without = meanColour(**loaded, 40, 175, 400, 14);
  EXPECT_GT(withNotice.z(), withNotice.x() * 1.6f) << withNotice.x() << " " << withNotice.z();
  EXPECT_GT(withNotice.z(), 90.0f);
  EXPECT_GT(withNotice.z(), without.z() + 50.0f) << without.z();
  const std::vector<std::string> strings = wallOverlayStrings(WallOverlayModel{});
  EXPECT_NE(std::find(strings.begin(), strings.end(), "加载中：地图尚不完整，待加载图层"), strings.end());
}

// The font atlas holds only the glyphs in use: every text the overlay may draw is named, in both languages, with
// the tour and the alerts a follower has from its lead (before, the lead-lost notice and the tour's word drew '?').
TEST(WallOverlay, ItsStringsNameEveryTextItMayDraw) {
  WallOverlayModel model;
  model.tourNameEn = "Programme places";
  model.tourNameZh = "示范区巡览";
  model.alerts = {{7, AlertSeverity::Critical, "Water class V", "水质Ⅴ类", false}};
  const std::vector<std::string> strings = wallOverlayStrings(model);
  const auto has = [&](const std::string& text) {
    return std::find(strings.begin(), strings.end(), text) != strings.end();
  };
  EXPECT_TRUE(has("非实时：主控节点无响应，显示其最后一帧"));
  EXPECT_TRUE(has("NOT LIVE: the wall's lead is not answering; showing its last frame"));
  EXPECT_TRUE(has("非实时：主控节点拒绝了本节点的密钥，显示其最后一帧"));  // a follower whose key the lead refused
  for (const char* word : {"实时", "数据流中断", "回放", "巡游", "已暂停", "条其他告警", "已确认"}) {
    EXPECT_TRUE(has(word)) << word;
  }
  EXPECT_TRUE(has("示范区巡览"));
  EXPECT_TRUE(has("Programme places"));
  EXPECT_TRUE(has("水质Ⅴ类"));
  EXPECT_TRUE(has("Water class V"));
}

}  // namespace
}  // namespace gt::viewer
