// Comparing two times in the window (time_compare_panel.hpp) on the demo: the change drawn on the buildings with its
// figures, cleared back to the layer's own style, kept out of a project's styles, and rendered headless.
#include "time_compare_panel.hpp"

#include <gtest/gtest.h>

#include "greentwin/core/config_text.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "project_io.hpp"
#include "test_folder.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

constexpr const char* kCity = "city-buildings";

class TimeComparePanelTest : public testing::DemoTwinSuite {
 protected:
  static void SetUpTestSuite() {
    DemoTwinSuite::SetUpTestSuite();
    // Every building's load at A, and at B 10 kW more for even slots and 5 kW less for odd ones.
    const layers::Layer* city = twin_->findLayer(kCity);
    ASSERT_NE(city, nullptr);
    const AttributeId load = *twin_->entities().attributes().intern("load_kw", "kW");
    for (std::uint32_t s = 0; s < city->slotCount(); ++s) {
      twin_->timeSeries().append(city->entityOfSlot(s), load, a(), 100.0);
      twin_->timeSeries().append(city->entityOfSlot(s), load, b(), s % 2 == 0 ? 110.0 : 95.0);
    }
  }
  static TimePoint a() { return *parseIsoTime("2026-11-25T17:00:00+08:00"); }
  static TimePoint b() { return *parseIsoTime("2026-11-25T18:00:00+08:00"); }
};

TEST_F(TimeComparePanelTest, TheChangeIsDrawnWithItsFiguresAndClearedBack) {
  UiState state;
  const LayerStyleConfig own = twin_->findLayer(kCity)->config().style;
  ASSERT_TRUE(showTimeChangeInWindow(*twin_, state, {kCity, "load_kw", a(), b()}).isOk());
  const runtime::TimeChange* shown = shownTimeChange(state);
  ASSERT_NE(shown, nullptr);
  const std::size_t slots = twin_->findLayer(kCity)->slotCount();
  EXPECT_EQ(shown->compared, slots);
  EXPECT_DOUBLE_EQ(shown->largestRise, 10);
  EXPECT_DOUBLE_EQ(shown->largestFall, -5);
  EXPECT_EQ(twin_->findLayer(kCity)->config().style.colorBy, "change of load_kw");
  // A project saved now keeps the layer's own style, not the change's colours.
  const Project p = captureProject(*twin_, state, nullptr, "plan.gtproj");
  for (const ProjectLayer& l : p.layers) {
    if (l.id == kCity && l.style) {
      EXPECT_TRUE(sameStyle(*l.style, own));
    }
  }
  ASSERT_TRUE(styleUnderTimeChange(state, kCity).has_value());
  clearTimeChange(*twin_, state);
  EXPECT_EQ(shownTimeChange(state), nullptr);
  EXPECT_TRUE(sameStyle(twin_->findLayer(kCity)->config().style, own));
}

TEST_F(TimeComparePanelTest, ARenderShowsTheChangeOnTheBuildings) {
  RenderRequest request;
  request.width = 800;
  request.height = 450;
  request.bookmark = "canal-cbd";
  request.language = Language::English;
  request.timeChange = runtime::TimeChangeRequest{kCity, "load_kw", a(), b()};
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image.isOk()) << image.status().message();
  testing::TestFolder folder("gt_time_compare");
  ASSERT_TRUE(writePng(**image, folder.file("change.png")).isOk());
  if (const char* keep = std::getenv("GT_KEEP_RENDERS")) (void)writePng(**image, std::string(keep) + "/time_change.png");
  EXPECT_EQ(twin_->findLayer(kCity)->config().style.colorBy, "change of load_kw");
  request.timeChange->attribute = "no_such_attribute";
  auto refused = renderOffscreen(*twin_, request);
  ASSERT_FALSE(refused.isOk());
  EXPECT_NE(refused.status().message().find("no_such_attribute"), std::string::npos);
}

}  // namespace
}  // namespace gt::viewer
