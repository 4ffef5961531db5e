// The indicators dashboard (indicator_panel.hpp): value texts per unit and language, the strings reported for the
// glyph set (every one has a glyph), and the dashboard over the demo without live feeds in Chinese and English
// against goldens: reported indicators with their synthetic figures, computed ones "no data" or with the values the
// plugins compute from the demo's synthetic layers.
#include "indicator_panel.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "golden_image.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/imgui_overlay.hpp"

namespace gt::viewer {
namespace {

constexpr int kTolerance = 24;  // per channel: llvmpipe builds may round differently at edges

runtime::IndicatorRow row(double value, const std::string& unit, const std::string& unitZh) {
  runtime::IndicatorRow r;
  r.value = value;
  r.unit = unit;
  r.unitZh = unitZh;
  return r;
}

TEST(IndicatorPanel, ValuesAreWrittenInTheirUnitPerLanguage) {
  EXPECT_EQ(indicatorValueText(row(37.2, "%", "%"), Language::English), "37.2%");
  EXPECT_EQ(indicatorValueText(row(2.6449, "t CO2/person/yr", "吨二氧化碳/人"), Language::Chinese), "2.645 吨二氧化碳/人");
  EXPECT_EQ(indicatorValueText(row(2.6449, "t CO2/person/yr", "吨二氧化碳/人"), Language::English),
            "2.645 t CO2/person/yr");
  EXPECT_EQ(indicatorValueText(row(3, "class", "类"), Language::Chinese), "Ⅲ类");
  EXPECT_EQ(indicatorValueText(row(3, "class", "类"), Language::English), "class III");
  EXPECT_EQ(indicatorValueText(row(6, "class", "类"), Language::English), "worse than V");
  runtime::IndicatorRow none = row(0, "%", "%");
  none.value.reset();
  EXPECT_EQ(indicatorValueText(none, Language::English), "—");
  EXPECT_STREQ(indicatorPanelTitle(Language::Chinese), "指标");
  EXPECT_STREQ(indicatorPanelTitle(Language::English), "Indicators");
}

// The demo with a fixed, paused clock and no live feed (no zmq source: nothing a simulator running on this machine
// publishes reaches it), so what the dashboard shows is the same on every run.
std::unique_ptr<runtime::Twin> demoWithoutFeeds() {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  std::erase_if(config->sources, [](const SourceConfig& s) { return s.type == "zmq"; });
  config->clock.mode = "paused";
  config->clock.start = *parseIsoTime("2026-11-25T00:00:00+08:00");
  config->clock.end = *parseIsoTime("2026-11-26T00:00:00+08:00");
  auto twin = runtime::Twin::create(*config);
  EXPECT_TRUE(twin) << twin.status().message();
  return std::move(*twin);
}

TEST(IndicatorPanel, StringsAreReportedWhenTheBoardChangesAndAllHaveGlyphs) {
  auto twin = demoWithoutFeeds();
  twin->beginFrame();  // the first frame fills the board
  ASSERT_EQ(twin->indicators().rows().size(), 18u);
  std::uint64_t reported = 0;
  const std::vector<std::string> strings = indicatorPanelStrings(*twin, reported);
  EXPECT_EQ(reported, twin->indicators().version());
  EXPECT_NE(std::find(strings.begin(), strings.end(), "规模以上企业绿色产业增加值占地区生产总值比重"), strings.end());
  EXPECT_NE(std::find(strings.begin(), strings.end(), "达到或好于Ⅳ类"), strings.end());
  EXPECT_TRUE(indicatorPanelStrings(*twin, reported).empty());  // nothing new until the board updates

  osg::ref_ptr<ImGuiOverlay> overlay = new ImGuiOverlay(defaultFontSpec(runtime::assetsDirectory()), {});
  for (const std::string& s : strings) overlay->requireGlyphs(s);
  ASSERT_TRUE(overlay->fontStatus().isOk());
  std::vector<char32_t> missing;
  for (char32_t c : overlay->glyphs().codePoints()) {
    if (!overlay->hasGlyph(c)) missing.push_back(c);
  }
  EXPECT_TRUE(missing.empty()) << missing.size() << " code points have no glyph, first U+" << std::hex
                               << static_cast<unsigned>(missing.empty() ? 0 : missing.front());
  EXPECT_TRUE(overlay->hasGlyph(U'Ⅳ'));
  EXPECT_TRUE(overlay->hasGlyph(U'≥'));
}

osg::ref_ptr<osg::Image> renderDashboard(Language language) {
  auto twin = demoWithoutFeeds();
  RenderRequest request;
  request.width = 1280;
  request.height = 720;
  request.language = language;
  request.time = *parseIsoTime("2026-11-25T09:30:00+08:00");
  request.indicatorPanel = true;
  auto image = renderOffscreen(*twin, request);
  EXPECT_TRUE(image) << image.status().message();
  return image ? *image : osg::ref_ptr<osg::Image>();
}

TEST(IndicatorPanel, TheDashboardInChineseMatchesTheGolden) {
  osg::ref_ptr<osg::Image> image = renderDashboard(Language::Chinese);
  ASSERT_TRUE(image.valid());
  // The status bar's frame time differs run to run.
  const std::string failure = testing::checkAgainstGolden(*image, "indicators_dashboard_zh", kTolerance, 0.01);
  EXPECT_TRUE(failure.empty()) << failure;
}

TEST(IndicatorPanel, TheDashboardInEnglishMatchesTheGolden) {
  osg::ref_ptr<osg::Image> image = renderDashboard(Language::English);
  ASSERT_TRUE(image.valid());
  const std::string failure = testing::checkAgainstGolden(*image, "indicators_dashboard_en", kTolerance, 0.01);
  EXPECT_TRUE(failure.empty()) << failure;
}

}  // namespace
}  // namespace gt::viewer
