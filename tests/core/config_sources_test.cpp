// [[sources]] and [plugins] (core/src/config_sources.cpp): plugin source options, [plugins.<id>] settings, the
// watchdog's deadline, and the errors that name what is wrong.
#include "greentwin/core/config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gt {
namespace {

using ::testing::HasSubstr;

// Parses `text` as "test.toml" and expects an error.
Status parseError(const std::string& text) {
  auto r = parseConfig(text, "test.toml");
  EXPECT_FALSE(r.isOk()) << "expected an error for:\n" << text;
  return r.status();
}

TEST(Config, PluginSourcesKeepTheirOptionsAndPluginTablesTheirSettings) {
  auto r = parseConfig(R"(
[plugins]
folders = ["p"]
enabled = ["template"]

[plugins.template]
amplitude = 2.5
count = 3
on = true
name = "x"

[[sources]]
id = "wave"
type = "template.sine"
entity = "station/1"
period_s = 60
endpoint = "not a zmq key here"
)", "test.toml");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  const SourceConfig& s = r->sources.at(0);
  EXPECT_EQ(s.type, "template.sine");
  ASSERT_EQ(s.options.size(), 3u);  // in file order; id and type are not options
  EXPECT_EQ(s.options[0].key, "entity");
  EXPECT_EQ(s.options[0].value, "station/1");
  EXPECT_EQ(s.options[1].value, "60");
  EXPECT_EQ(s.options[1].line, 16);
  EXPECT_EQ(s.options[2].key, "endpoint");
  ASSERT_EQ(r->plugins.settings.size(), 1u);
  const PluginSettingsConfig& ps = r->plugins.settings[0];
  EXPECT_EQ(ps.pluginId, "template");
  ASSERT_EQ(ps.values.size(), 4u);
  EXPECT_EQ(ps.values[0].key, "amplitude");
  EXPECT_EQ(ps.values[0].value, "2.5");
  EXPECT_EQ(ps.values[1].value, "3");
  EXPECT_EQ(ps.values[2].value, "true");
  EXPECT_EQ(ps.values[3].value, "x");
  EXPECT_EQ(r->plugins.enabled, (std::vector<std::string>{"template"}));
}

// interval_s of a plugin source is the host's (feed health), not an option passed to the plugin; it is range-checked.
TEST(Config, APluginSourceMayDeclareItsInterval) {
  auto r = parseConfig("[[sources]]\nid = \"aqi\"\ntype = \"air_quality.aqi\"\ninterval_s = 15\n", "test.toml");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_DOUBLE_EQ(r->sources.at(0).intervalS, 15.0);
  EXPECT_TRUE(r->sources.at(0).options.empty());
  auto bad = parseConfig("[[sources]]\nid = \"aqi\"\ntype = \"air_quality.aqi\"\ninterval_s = -1\n", "test.toml");
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("interval_s"), std::string::npos) << bad.status().message();
}

TEST(Config, PluginOptionsMustBeScalarsAndPluginKeysAreStillChecked) {
  EXPECT_THAT(parseError("[[sources]]\nid = \"a\"\ntype = \"x.y\"\nlist = [1]\n").message(),
              HasSubstr("test.toml:4: 'sources[0].list' must be a string, number or boolean, got array"));
  EXPECT_THAT(parseError("[plugins]\nfolder = [\"a\"]\n").message(),
              HasSubstr("unknown key 'plugins.folder' (did you mean 'plugins.folders'?)"));
  // (zmq sources keep their strict key check: tests/runtime/zmq_source_test.cpp.)
}

TEST(Config, ThePluginWatchdogsDeadlineHasADefaultARangeAndAnOff) {
  auto defaults = parseConfig("", "test.toml");
  ASSERT_TRUE(defaults.isOk());
  EXPECT_DOUBLE_EQ(defaults->plugins.callTimeoutS, 5.0);
  auto set = parseConfig("[plugins]\ncall_timeout_s = 0.5\n", "test.toml");
  ASSERT_TRUE(set.isOk()) << set.status().message();
  EXPECT_DOUBLE_EQ(set->plugins.callTimeoutS, 0.5);
  auto off = parseConfig("[plugins]\ncall_timeout_s = 0\n", "test.toml");
  ASSERT_TRUE(off.isOk());
  EXPECT_DOUBLE_EQ(off->plugins.callTimeoutS, 0.0);
  EXPECT_THAT(parseError("[plugins]\ncall_timeout_s = 601\n").message(),
              HasSubstr("test.toml:2: 'plugins.call_timeout_s'"));
  EXPECT_THAT(parseError("[plugins]\ncall_timeout_s = -1\n").message(), HasSubstr("call_timeout_s"));
}

}  // namespace
}  // namespace gt
