// Comparing two times on a layer (runtime/time_change.hpp): per-feature changes from LIVE values only, classes
// symmetric about zero on a diverging ramp, the layer drawn with them, and refusals.
#include "greentwin/runtime/time_change.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "../support/small_city.hpp"
#include "../support/test_folder.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

class TimeChangeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::writeSmallCity(folder_, 4, false);
    auto config = loadConfig(folder_.file("greentwin.toml"));
    ASSERT_TRUE(config.isOk()) << config.status().message();
    auto twin = Twin::create(*config, [this] { return now_; });
    ASSERT_TRUE(twin.isOk()) << twin.status().message();
    twin_ = std::move(*twin);
    auto id = twin_->entities().attributes().intern("load_kw", "kW");
    ASSERT_TRUE(id.isOk());
    load_ = *id;
    layer_ = twin_->findLayer("city");
    ASSERT_NE(layer_, nullptr);
  }
  void sample(int building, TimePoint t, double v) {
    twin_->timeSeries().append(layer_->entityOfSlot(static_cast<std::uint32_t>(building)), load_, t, v);
  }
  testing::TestFolder folder_{"gt_time_change"};
  TimePoint now_ = *parseIsoTime("2026-11-25T12:00:00Z");
  const TimePoint a_ = now_ - 4 * 3600 * kMicrosPerSecond;
  const TimePoint b_ = now_ - 1 * 3600 * kMicrosPerSecond;
  std::unique_ptr<Twin> twin_;
  layers::Layer* layer_ = nullptr;
  AttributeId load_ = 0;
};

TEST_F(TimeChangeTest, TheChangeOfEachFeatureFromLiveValuesOnly) {
  sample(0, a_, 10);
  sample(0, b_, 25);  // +15
  sample(1, a_, 40);
  sample(1, b_, 30);  // -10
  sample(2, a_, 5);   // nothing at B: its A value is stale there, no change
  sample(3, b_, 7);   // nothing at A
  auto change = computeTimeChange(*twin_, {"city", "load_kw", a_, b_});
  ASSERT_TRUE(change.isOk()) << change.status().message();
  ASSERT_EQ(change->change.size(), 4u);
  EXPECT_DOUBLE_EQ(change->change[0], 15);
  EXPECT_DOUBLE_EQ(change->change[1], -10);
  EXPECT_TRUE(std::isnan(change->change[2]));
  EXPECT_TRUE(std::isnan(change->change[3]));
  EXPECT_EQ(change->compared, 2u);
  EXPECT_EQ(change->missingA, 1u);
  EXPECT_EQ(change->missingB, 1u);
  EXPECT_DOUBLE_EQ(change->largestRise, 15);
  EXPECT_DOUBLE_EQ(change->largestFall, -10);
  EXPECT_EQ(change->largestRiseId, "city/b0");
  EXPECT_DOUBLE_EQ(change->meanChange, 2.5);
}

TEST_F(TimeChangeTest, ClassesAreSymmetricAboutZeroAndTheLayerIsDrawnWithThem) {
  sample(0, a_, 10);
  sample(0, b_, 24);  // +14: M = 14
  sample(1, a_, 10);
  sample(1, b_, 10);  // no change
  auto change = computeTimeChange(*twin_, {"city", "load_kw", a_, b_, 7, "blue_red"});
  ASSERT_TRUE(change.isOk()) << change.status().message();
  const auto& breaks = change->style.breaks;
  ASSERT_EQ(breaks.size(), 6u);
  EXPECT_DOUBLE_EQ(breaks[0], -10);  // -14 + 28/7
  EXPECT_DOUBLE_EQ(breaks[2], -2);
  EXPECT_DOUBLE_EQ(breaks[3], 2);
  EXPECT_DOUBLE_EQ(breaks[2], -breaks[3]);
  EXPECT_EQ(change->style.colors.size(), 7u);
  EXPECT_EQ(change->style.colorBy, "change of load_kw");
  EXPECT_NE(change->style.classNamesEn[3].find("about no change"), std::string::npos);
  ASSERT_TRUE(showTimeChange(*twin_, *change).isOk());
  EXPECT_EQ(layer_->config().style.colorBy, "change of load_kw");
  const auto legend = layer_->legend();
  ASSERT_GE(legend.size(), 7u);
  EXPECT_NE(legend[3].labelEn.find("about no change"), std::string::npos) << legend[3].labelEn;
  EXPECT_FALSE(twin_->styleEdited("city"));  // a view, not an edit of the layer's style
}

TEST_F(TimeChangeTest, RefusalsNameWhatIsWrong) {
  EXPECT_EQ(computeTimeChange(*twin_, {"nope", "load_kw", a_, b_}).status().code(), ErrorCode::NotFound);
  EXPECT_EQ(computeTimeChange(*twin_, {"city", "no_such", a_, b_}).status().code(), ErrorCode::NotFound);
  EXPECT_EQ(computeTimeChange(*twin_, {"city", "load_kw", a_, a_}).status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(computeTimeChange(*twin_, {"city", "load_kw", a_, b_, 6}).status().code(), ErrorCode::InvalidArgument);
  EXPECT_FALSE(computeTimeChange(*twin_, {"city", "load_kw", a_, b_, 7, "no-ramp"}).isOk());
  const auto none = computeTimeChange(*twin_, {"city", "load_kw", a_, b_});
  ASSERT_FALSE(none.isOk());
  EXPECT_NE(none.status().message().find("no feature of layer 'city' has a LIVE 'load_kw' at both times (4 without"),
            std::string::npos)
      << none.status().message();
}

}  // namespace
}  // namespace gt::runtime
