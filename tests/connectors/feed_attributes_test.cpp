// The [feeds] section and FeedAttributeGate (issue 15): feeds add attribute names only within the limits, the
// refused ones are counted and logged at most once a minute.

#include "greentwin/connectors/feed_attributes.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <sstream>
#include <string>
#include <vector>

#include "greentwin/core/log.hpp"

namespace gt::connectors {
namespace {

using ::testing::HasSubstr;
using Clock = FeedAttributeGate::Clock;

Result<Config> parse(const std::string& text) {
  ConfigSchema schema;
  schema.sections.emplace(std::string(kFeedsSection), parseFeedsSection);
  return parseConfig(text, "test.toml", schema);
}

// Captures the "greentwin" logger for a test.
class LogCapture {
 public:
  LogCapture() : saved_(spdlog::get(kLoggerName)) {
    spdlog::drop(kLoggerName);
    spdlog::register_logger(
        std::make_shared<spdlog::logger>(kLoggerName, std::make_shared<spdlog::sinks::ostream_sink_mt>(out_)));
  }
  ~LogCapture() {
    spdlog::drop(kLoggerName);
    if (saved_) spdlog::register_logger(saved_);
  }
  std::string text() const { return out_.str(); }

 private:
  std::shared_ptr<spdlog::logger> saved_;
  std::ostringstream out_;
};

TEST(FeedsConfig, DefaultsKeysAndRanges) {
  auto none = parse("");
  ASSERT_TRUE(none.isOk()) << none.status().message();
  EXPECT_EQ(feedsConfig(*none).maxAttributeNames, 1024);
  EXPECT_EQ(feedsConfig(*none).maxAttributeNameBytes, 64);
  auto set = parse("[feeds]\nmax_attribute_names = 200\nmax_attribute_name_bytes = 32\n");
  ASSERT_TRUE(set.isOk()) << set.status().message();
  EXPECT_EQ(feedsConfig(*set).maxAttributeNames, 200);
  EXPECT_EQ(feedsConfig(*set).maxAttributeNameBytes, 32);
  for (const char* bad : {"[feeds]\nmax_attribute_names = 0\n", "[feeds]\nmax_attribute_name_bytes = 5000\n",
                          "[feeds]\nmax_names = 10\n"}) {
    auto r = parse(bad);
    EXPECT_FALSE(r.isOk()) << bad;
  }
  EXPECT_THAT(parse("[feeds]\nmax_attribute_names = 0\n").status().message(), HasSubstr("max_attribute_names"));
}

TEST(FeedAttributeGate, RegistersWithinTheCountAndLengthAndRefusesTheRest) {
  LogCapture log;
  AttributeRegistry registry;
  ASSERT_TRUE(registry.intern("pm25", "ug/m3").isOk());  // a layer's own name counts towards the cap
  FeedsConfig limits;
  limits.maxAttributeNames = 3;
  limits.maxAttributeNameBytes = 8;
  FeedAttributeGate gate(limits);
  const auto t0 = Clock::now();
  const std::vector<std::string> names{"pm25", "no2", "much_too_long", "o3", "co", "so2"};
  EXPECT_EQ(gate.admit(registry, names, t0), 2u);  // no2, o3; pm25 was there; co and so2 over the count
  EXPECT_EQ(registry.size(), 3u);
  EXPECT_TRUE(registry.find("no2").has_value());
  EXPECT_TRUE(registry.find("o3").has_value());
  EXPECT_FALSE(registry.find("much_too_long").has_value());
  EXPECT_FALSE(registry.find("co").has_value());
  EXPECT_EQ(gate.refusedNames(), 3u);
  // One line (the first refusal) within the minute, naming the name and the key.
  const std::string first = log.text();
  EXPECT_THAT(first, HasSubstr("feed attribute much_too_long not registered"));
  EXPECT_THAT(first, HasSubstr("max_attribute_name_bytes"));
  EXPECT_EQ(first.find("feed attribute co "), std::string::npos);
  // A minute later the next refusal is written with the number suppressed since.
  EXPECT_EQ(gate.admit(registry, std::vector<std::string>{"co"}, t0 + std::chrono::seconds(61)), 0u);
  EXPECT_THAT(log.text(), HasSubstr("feed attribute co not registered: the twin already holds 3 attribute names"));
  EXPECT_THAT(log.text(), HasSubstr("(2 more refused in the last minute)"));
  EXPECT_EQ(gate.refusedNames(), 4u);
}

}  // namespace
}  // namespace gt::connectors
