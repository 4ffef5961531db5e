// The template plugin as a new plugin developer builds it: out of tree against the installed SDK (the ctest
// fixture plugins.template_builds_out_of_tree), then loaded by the twin from a configured folder with a
// [[sources]] entry and [plugins.template] settings, its sine values arriving in the twin.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

TEST(TemplatePlugin, BuiltOutOfTreeItRunsASourceInTheTwin) {
  auto config = loadConfig(demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.synthetic; });
  config->plugins.folders = {GT_TEMPLATE_PLUGIN_DIR};
  config->plugins.enabled = {"template"};
  // amplitude 0: every value is exactly the offset, so the settings path is checked too.
  config->plugins.settings = {{"template", {{"amplitude", "0", 0}, {"offset", "42.5", 0}}, 0}};
  SourceConfig wave;
  wave.id = "wave";
  wave.type = "template.sine";
  wave.options = {{"entity", "tongzhou-district/0", 0}, {"interval_s", "0.001", 0}};
  config->sources = {wave};

  auto twin = Twin::create(*config);
  ASSERT_TRUE(twin) << twin.status().message();
  Twin& t = **twin;
  const PluginInfo* info = t.plugins().find("template");
  ASSERT_NE(info, nullptr);
  ASSERT_EQ(info->state, PluginState::Active) << info->message;
  ASSERT_TRUE(t.sources()[0].status.isOk()) << t.sources()[0].status.message();

  const auto entity = t.entities().find("tongzhou-district/0");
  ASSERT_TRUE(entity);
  std::optional<Sample> value;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!value && std::chrono::steady_clock::now() < deadline) {
    t.beginFrame();
    t.update();
    if (const auto id = t.entities().attributes().find("sine")) value = t.timeSeries().latest(*entity, *id);
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  ASSERT_TRUE(value.has_value()) << "no sine value arrived";
  EXPECT_DOUBLE_EQ(value->value, 42.5);
  EXPECT_LE(std::abs(value->sampleTime - wallNow()), 60 * kMicrosPerSecond);  // stamped with the wall clock
}

}  // namespace
}  // namespace gt::runtime
