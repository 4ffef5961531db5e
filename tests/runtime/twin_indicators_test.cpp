// The twin's indicators (runtime/src/twin_indicators.cpp): alerts for indicators off track, rows for an area of the
// map (the district polygon), and areas refused with the reason. The bundled statistics put #1 and #4 off track
// (indicator_board_test lists the bundled statuses); the demo's real layers without the synthetic city.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <set>
#include <thread>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

using ::testing::HasSubstr;

std::unique_ptr<Twin> demoTwin() {
  auto config = loadConfig(demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.synthetic; });
  config->plugins.folders = {GT_TEST_PLUGIN_DIR};
  config->plugins.enabled = {"good"};
  config->sources.clear();
  auto twin = Twin::create(*config);
  EXPECT_TRUE(twin) << twin.status().message();
  return twin ? std::move(*twin) : nullptr;
}

TEST(TwinIndicators, AnIndicatorOffTrackRaisesAnAlertNamingIt) {
  auto twin = demoTwin();
  ASSERT_NE(twin, nullptr);
  twin->beginFrame();  // the board's first update raises; the next frame's apply() lists them
  twin->update();
  twin->beginFrame();
  std::set<std::string> keys;
  for (const Alert& a : twin->alerts().active()) {
    if (a.source != "indicators") continue;
    keys.insert(a.key);
    EXPECT_EQ(a.severity, AlertSeverity::Warning);
    EXPECT_THAT(a.messageEn, HasSubstr("is off track"));
  }
  std::set<std::string> offTrack;
  for (const IndicatorRow& r : twin->indicators().rows()) {
    if (r.status() == IndicatorStatus::OffTrack) offTrack.insert(indicatorAlertKey(r.number));
  }
  EXPECT_EQ(keys, offTrack);
  EXPECT_TRUE(keys.count("off_track/01")) << "the bundled statistics put #1 off track";
  EXPECT_TRUE(keys.count("off_track/04"));
  // Still off track a frame later: raised once, not again.
  const auto changes = twin->alerts().changes();
  twin->update();
  twin->beginFrame();
  EXPECT_EQ(twin->alerts().changes(), changes);
}

TEST(TwinIndicators, RowsForTheDistrictPolygonAreComputedForItsArea) {
  auto twin = demoTwin();
  ASSERT_NE(twin, nullptr);
  twin->beginFrame();
  auto area = twin->indicatorArea("tongzhou-district/0");
  ASSERT_TRUE(area) << area.status().message();
  EXPECT_FALSE(area->wholeTwin());
  EXPECT_EQ(area->nameZh, "通州区");          // the feature's "name"
  EXPECT_EQ(area->nameEn, "Tongzhou district");  // the layer's name_en: the layer has this one feature
  // Tongzhou is about 906 km² (the district's own figure); the boundary file's polygon gives that within 3 %.
  EXPECT_NEAR(area->shape.areaM2 / 1e6, 906.0, 27.0);
  const std::vector<IndicatorRow> rows = twin->indicatorRows(*area);
  EXPECT_EQ(rows.size(), 18u);
  for (const IndicatorRow& r : rows) {
    // Reported rows are the district's figures; computed ones have no plugin here and say so.
    if (r.kpiId.empty()) {
      EXPECT_TRUE(r.districtFigure) << r.number;
    } else {
      EXPECT_EQ(r.status(), IndicatorStatus::NoData) << r.number;
    }
  }
  // "district" (and "") are the board's own rows.
  auto district = twin->indicatorArea("district");
  ASSERT_TRUE(district);
  EXPECT_TRUE(district->wholeTwin());
  for (const IndicatorRow& r : twin->indicatorRows(*district)) EXPECT_FALSE(r.districtFigure) << r.number;
}

TEST(TwinIndicators, AnAreaThatIsNoPolygonIsRefusedWithTheReason) {
  auto twin = demoTwin();
  ASSERT_NE(twin, nullptr);
  auto unknown = twin->indicatorArea("no/such/thing");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().code(), ErrorCode::NotFound);
  EXPECT_THAT(unknown.status().message(), HasSubstr("no/such/thing"));
  // A river is a line feature: no area.
  std::string river;
  for (EntityIndex e = 0; e < twin->entities().size(); ++e) {
    const Entity* entity = twin->entities().get(e);
    if (entity->id.rfind("tongzhou-rivers/", 0) == 0) {
      river = entity->id;
      break;
    }
  }
  ASSERT_FALSE(river.empty());
  auto line = twin->indicatorArea(river);
  ASSERT_FALSE(line);
  EXPECT_THAT(line.status().message(), HasSubstr("not a polygon feature"));
}

}  // namespace
}  // namespace gt::runtime
