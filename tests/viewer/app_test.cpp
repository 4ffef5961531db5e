// Headless rendering of the bundled demo through EGL (no X server), compared with golden images.
#include "greentwin/layers/layer.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"

#include <gtest/gtest.h>

#include "golden_image.hpp"

namespace gt::viewer {
namespace {

constexpr int kTolerance = 24;  // per channel: llvmpipe builds may round differently at edges

enum class Demo { Full, RealLayersOnly };

// The demo with a fixed, paused clock, so the time bar shows the same text on every run. RealLayersOnly keeps
// the municipality, district and rivers: quick to render, for tests about the renderer rather than the city.
std::unique_ptr<runtime::Twin> fixedDemo(Demo which = Demo::RealLayersOnly) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  if (which == Demo::RealLayersOnly) std::erase_if(config->layers, [](const LayerConfig& l) { return l.synthetic; });
  config->clock.mode = "paused";
  config->clock.start = *parseIsoTime("2026-11-25T00:00:00+08:00");
  config->clock.end = *parseIsoTime("2026-11-26T00:00:00+08:00");
  auto twin = runtime::Twin::create(*config);
  EXPECT_TRUE(twin) << twin.status().message();
  return std::move(*twin);
}

const unsigned char* at(const osg::Image& image, int x, int yFromTop) {
  return image.data(static_cast<unsigned>(x), static_cast<unsigned>(image.t() - 1 - yFromTop));
}

TEST(RenderOffscreen, SceneFromTheHomeViewMatchesTheGolden) {
  auto twin = fixedDemo(Demo::Full);
  RenderRequest request;
  request.width = 480;
  request.height = 270;
  request.drawUi = false;
  auto image = renderOffscreen(*twin, request);
  ASSERT_TRUE(image) << image.status().message();
  ASSERT_EQ((*image)->s(), 480);
  // Something real is drawn: not a uniform image, and the district (centre) is green land, not background.
  EXPECT_GT(testing::luminanceStdDev(**image), 10.0);
  const unsigned char* centre = at(**image, 240, 150);
  EXPECT_GT(centre[1], centre[0] + 10) << "centre pixel is not the district's green";
  EXPECT_GT(centre[1], centre[2] + 10);
  const std::string failure = testing::checkAgainstGolden(**image, "demo_home_scene", kTolerance, 0.005);
  EXPECT_TRUE(failure.empty()) << failure;
}

TEST(RenderOffscreen, ChineseInterfaceMatchesTheGolden) {
  auto twin = fixedDemo(Demo::Full);
  RenderRequest request;
  request.width = 960;
  request.height = 540;
  request.language = Language::Chinese;
  request.time = *parseIsoTime("2026-11-25T09:30:00+08:00");
  auto image = renderOffscreen(*twin, request);
  ASSERT_TRUE(image) << image.status().message();
  // The status bar's frame time differs run to run: allow a little more than the scene test.
  const std::string failure = testing::checkAgainstGolden(**image, "demo_home_ui_zh", kTolerance, 0.01);
  EXPECT_TRUE(failure.empty()) << failure;
}

TEST(RenderOffscreen, TheInterfaceIsDrawnOverTheScene) {
  auto twin = fixedDemo();
  RenderRequest request;
  request.width = 640;
  request.height = 360;
  request.drawUi = false;
  auto scene = renderOffscreen(*twin, request);
  request.drawUi = true;
  auto withUi = renderOffscreen(*twin, request);
  ASSERT_TRUE(scene && withUi);
  // The menu bar (top rows) and the status bar (bottom rows) must differ from the bare scene.
  int changedTop = 0;
  int changedBottom = 0;
  for (int x = 0; x < 640; ++x) {
    changedTop += at(**scene, x, 10)[0] != at(**withUi, x, 10)[0] ? 1 : 0;
    changedBottom += at(**scene, x, 352)[0] != at(**withUi, x, 352)[0] ? 1 : 0;
  }
  EXPECT_GT(changedTop, 200);
  EXPECT_GT(changedBottom, 200);
}

TEST(RenderOffscreen, LanguageChangesTheInterface) {
  auto twin = fixedDemo();
  RenderRequest request;
  request.width = 640;
  request.height = 360;
  request.language = Language::Chinese;
  auto zh = renderOffscreen(*twin, request);
  request.language = Language::English;
  auto en = renderOffscreen(*twin, request);
  ASSERT_TRUE(zh && en);
  const auto cmp = testing::compareImages(**zh, **en, 0);
  EXPECT_GT(cmp.differingPixels, 500);
}

TEST(RenderOffscreen, SelectionIsHighlighted) {
  auto twin = fixedDemo();
  RenderRequest request;
  request.width = 480;
  request.height = 270;
  request.drawUi = false;
  auto plain = renderOffscreen(*twin, request);
  request.selected = twin->entities().find("tongzhou-district/0");
  ASSERT_TRUE(request.selected.has_value());
  auto selected = renderOffscreen(*twin, request);
  ASSERT_TRUE(plain && selected);
  const unsigned char* before = at(**plain, 240, 135);
  const unsigned char* after = at(**selected, 240, 135);
  EXPECT_GT(after[0], before[0] + 30) << "the selected district is not tinted towards the highlight colour";
  // Rendering again without a selection restores the plain look.
  request.selected.reset();
  auto again = renderOffscreen(*twin, request);
  ASSERT_TRUE(again);
  EXPECT_EQ(testing::compareImages(**again, **plain, 2).differingPixels, 0);
}

TEST(RenderOffscreen, BookmarksMoveTheCameraAndUnknownOnesAreErrors) {
  auto twin = fixedDemo();
  RenderRequest request;
  request.width = 320;
  request.height = 180;
  request.drawUi = false;
  auto home = renderOffscreen(*twin, request);
  request.bookmark = "admin-office";
  auto office = renderOffscreen(*twin, request);
  ASSERT_TRUE(home && office);
  EXPECT_GT(testing::compareImages(**home, **office, 8).differingFraction, 0.05);
  request.bookmark = "atlantis";
  auto missing = renderOffscreen(*twin, request);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::NotFound);
  EXPECT_NE(missing.status().message().find("atlantis"), std::string::npos);
}

TEST(RenderOffscreen, TheCityFromTheCanalBookmarkMatchesTheGolden) {
  auto twin = fixedDemo(Demo::Full);
  RenderRequest request;
  request.width = 640;
  request.height = 360;
  request.drawUi = false;
  request.bookmark = "canal-cbd";
  auto image = renderOffscreen(*twin, request);
  ASSERT_TRUE(image) << image.status().message();
  EXPECT_GT(testing::luminanceStdDev(**image), 20.0);  // 3D buildings, roads and parks: lots of structure
  const std::string failure = testing::checkAgainstGolden(**image, "demo_canal_cbd_scene", kTolerance, 0.01);
  EXPECT_TRUE(failure.empty()) << failure;
}

TEST(RenderOffscreen, APickInTheRenderedCityResolvesToABuilding) {
  auto twin = fixedDemo(Demo::Full);
  RenderRequest request;
  request.width = 640;
  request.height = 360;
  request.drawUi = false;
  request.bookmark = "canal-cbd";
  // Pick at several screen points through the same camera the render used: every building hit must resolve to
  // an entity of the buildings layer whose footprint contains the hit point.
  std::vector<std::pair<float, float>> points;
  for (int y = 1; y <= 5; ++y)
    for (int x = 1; x <= 8; ++x) points.emplace_back(640.0f * x / 9, 360.0f * y / 6);
  auto picks = pickOffscreen(*twin, request, points);
  ASSERT_TRUE(picks) << picks.status().message();
  ASSERT_EQ(picks->size(), points.size());
  int buildings = 0;
  for (const auto& entity : *picks) {
    if (!entity) continue;
    const layers::Layer* layer = twin->layerOfEntity(*entity);
    ASSERT_NE(layer, nullptr);
    if (layer->id() == "city-buildings") {
      ++buildings;
      EXPECT_EQ(twin->entities().get(*entity)->kind, "building");
    }
  }
  EXPECT_GT(buildings, 3) << "the canal business district view should have buildings under several grid points";
}


// A session draws what renderOffscreen draws, frame after frame, each frame a turn of the twin (update, beginFrame)
// at the clock's time; two sessions on two twins at once draw the same.
TEST(OffscreenSession, FramesAreTheTwinsFramesAndLookLikeRenderOffscreen) {
  auto twin = fixedDemo();
  auto other = fixedDemo();
  RenderRequest request;
  request.width = 320;
  request.height = 180;
  request.drawUi = false;
  request.time = *parseIsoTime("2026-11-25T09:30:00+08:00");
  auto reference = renderOffscreen(*twin, request);
  ASSERT_TRUE(reference) << reference.status().message();

  auto session = OffscreenSession::open(*twin, request);
  auto otherSession = OffscreenSession::open(*other, request);
  ASSERT_TRUE(session && otherSession);
  const std::uint64_t before = twin->frame().frame;
  for (int i = 0; i < 3; ++i) {
    const OffscreenSession::FrameTimes times = (*session)->frame();
    EXPECT_GT(times.viewerMs, 0.0);
    EXPECT_GE(times.twinMs, 0.0);
    (*otherSession)->frame();
  }
  EXPECT_EQ(twin->frame().frame, before + 3);
  // The clock moved between frames: the next frame is at the new time.
  const TimePoint later = *parseIsoTime("2026-11-25T10:00:00+08:00");
  twin->clock().seek(later);
  auto image = (*session)->capturedFrame();
  auto otherImage = (*otherSession)->capturedFrame();
  ASSERT_TRUE(image && otherImage);
  EXPECT_EQ(twin->frameTime(), later);
  EXPECT_EQ(testing::compareImages(**image, **reference, 2).differingPixels, 0);
  EXPECT_EQ(testing::compareImages(**otherImage, **reference, 2).differingPixels, 0);
}

// A vector layer's new colours show on the next frame drawn in the same GL context. Its features were drawn from
// display lists, which OSG compiles at the first draw with the colour of that moment: a live or restyled colour
// changed only the colour array, and a road stayed grey on one wall tile while the next showed it green.
TEST(OffscreenSession, AVectorLayerRecolouredBetweenFramesShowsItsNewColours) {
  auto twin = fixedDemo(Demo::Full);
  RenderRequest request;
  request.width = 320;
  request.height = 180;
  request.drawUi = false;
  request.time = *parseIsoTime("2026-11-25T09:30:00+08:00");
  auto session = OffscreenSession::open(*twin, request);
  ASSERT_TRUE(session) << session.status().message();
  const auto magentaPixels = [](const osg::Image& image) {
    int n = 0;
    for (int y = 0; y < image.t(); ++y) {
      for (int x = 0; x < image.s(); ++x) {
        const osg::Vec4 c = image.getColor(x, y);
        if (c.r() > 0.8f && c.b() > 0.8f && c.g() < 0.25f) ++n;
      }
    }
    return n;
  };
  auto before = (*session)->capturedFrame();
  ASSERT_TRUE(before) << before.status().message();
  EXPECT_EQ(magentaPixels(**before), 0);
  const layers::Layer* green = twin->findLayer("city-green-spaces");
  ASSERT_NE(green, nullptr);
  LayerStyleConfig style = green->config().style;
  style.colorMode = "single";
  style.classifier.clear();
  style.fillColor = "#ff00ff";
  ASSERT_TRUE(twin->restyleLayer("city-green-spaces", style));
  auto after = (*session)->capturedFrame();
  ASSERT_TRUE(after) << after.status().message();
  EXPECT_GT(magentaPixels(**after), 500) << "the parks kept the colour of their first draw";
}

TEST(OffscreenSession, OpenFailsAsRenderOffscreenDoes) {
  auto twin = fixedDemo();
  RenderRequest request;
  request.width = 320;
  request.height = 180;
  request.bookmark = "atlantis";
  auto session = OffscreenSession::open(*twin, request);
  ASSERT_FALSE(session);
  EXPECT_EQ(session.status().code(), ErrorCode::NotFound);
  request.bookmark.clear();
  request.width = 8;
  EXPECT_EQ(OffscreenSession::open(*twin, request).status().code(), ErrorCode::OutOfRange);
}

}  // namespace
}  // namespace gt::viewer
