// indicator_inputs.hpp: the feeds an indicator's value comes from, with their health, for the dashboard's row.
#include <gtest/gtest.h>

#include "greentwin/runtime/indicator_inputs.hpp"

namespace gt::runtime {
namespace {

PublisherHealth health(const std::string& publisher, FeedState state) {
  PublisherHealth h;
  h.publisher = publisher;
  h.state = state;
  return h;
}

std::vector<std::string> publishers(const std::vector<PublisherHealth>& feeds) {
  std::vector<std::string> out;
  for (const PublisherHealth& h : feeds) out.push_back(h.publisher);
  return out;
}

TEST(IndicatorInputs, TheKpisPluginIsThePartOfItsIdBeforeTheFirstDot) {
  EXPECT_EQ(kpiPluginId("energy.co2_per_person"), "energy");
  EXPECT_EQ(kpiPluginId("air_quality.pm25_annual_mean"), "air_quality");
  EXPECT_EQ(kpiPluginId("nodot"), "");
  EXPECT_EQ(kpiPluginId(""), "");
}

TEST(IndicatorInputs, TheCatalogsFeedsThenThePluginsOwnSources) {
  const std::vector<PublisherHealth> all{
      health("greentwin-sim-air", FeedState::Live),     health("greentwin-sim-energy", FeedState::Stale),
      health("plugin:energy/energy", FeedState::Live),  health("plugin:energy_extra/x", FeedState::Live),
      health("plugin:forest/forest", FeedState::Live),  health("plugin:energy/second", FeedState::NeverSeen)};
  IndicatorRow row;
  row.kpiId = "energy.co2_per_person";
  row.feeds = {"greentwin-sim-energy", "meter-gateway"};
  const std::vector<PublisherHealth> feeds = indicatorInputFeeds(row, all);
  // The catalog's in its order (one never heard of NEVER_SEEN), then plugin:energy/* only (not energy_extra).
  EXPECT_EQ(publishers(feeds), (std::vector<std::string>{"greentwin-sim-energy", "meter-gateway",
                                                          "plugin:energy/energy", "plugin:energy/second"}));
  EXPECT_EQ(feeds[0].state, FeedState::Stale);
  EXPECT_EQ(feeds[1].state, FeedState::NeverSeen);
  EXPECT_EQ(feeds[2].state, FeedState::Live);
  EXPECT_EQ(feeds[3].state, FeedState::NeverSeen);
}

TEST(IndicatorInputs, AReportedIndicatorHasNoFeeds) {
  IndicatorRow row;  // no KPI
  row.feeds = {"greentwin-sim-energy"};
  EXPECT_TRUE(indicatorInputFeeds(row, {health("greentwin-sim-energy", FeedState::Live)}).empty());
}

}  // namespace
}  // namespace gt::runtime
