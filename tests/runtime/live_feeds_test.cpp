// LiveFeeds' part in registering the attribute names feeds report (issue 15): within the [feeds] limits.
#include "greentwin/runtime/live_feeds.hpp"

#include <gtest/gtest.h>

#include <string>

#include "greentwin/runtime/config_loading.hpp"

namespace gt::runtime {
namespace {

TEST(LiveFeeds, RegistersTheReportedAttributeNamesWithinTheFeedsLimits) {
  auto config = parseConfigText("[feeds]\nmax_attribute_names = 3\nmax_attribute_name_bytes = 10\n", "test.toml");
  ASSERT_TRUE(config.isOk()) << config.status().message();
  LiveFeeds feeds;
  feeds.setAttributeLimits(connectors::feedsConfig(*config));
  EntityStore entities;
  ASSERT_TRUE(entities.attributes().intern("pm25", "ug/m3").isOk());
  // What an ingest thread reports: names its updates used that the directory does not have.
  for (const char* name : {"no2", "a_name_longer_than_ten", "o3", "co", "so2"}) {
    feeds.directory().reportUnknownAttribute(name);
  }
  feeds.registerNewAttributes(entities.attributes());
  EXPECT_EQ(entities.attributes().size(), 3u);
  EXPECT_TRUE(entities.attributes().find("no2").has_value());
  EXPECT_TRUE(entities.attributes().find("o3").has_value());
  EXPECT_FALSE(entities.attributes().find("a_name_longer_than_ten").has_value());
  EXPECT_FALSE(entities.attributes().find("co").has_value());
  EXPECT_EQ(feeds.refusedAttributeNames(), 3u);
  // Refused names reported again are refused again (their updates stay dropped as unknown).
  feeds.directory().reportUnknownAttribute("co");
  feeds.registerNewAttributes(entities.attributes());
  EXPECT_EQ(entities.attributes().size(), 3u);
  EXPECT_EQ(feeds.refusedAttributeNames(), 4u);
}

}  // namespace
}  // namespace gt::runtime
