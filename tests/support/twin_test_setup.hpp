#pragma once
// Set-ups the tests of a real twin share (tests/runtime: live feeds, vehicles, plugins in the twin): the bundled demo
// config cut to its real layers, plugin sources, and frames run as the window runs them until a condition holds.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::testing {

// The demo config with its real layers only (the generated city, marked synthetic, left out: quick to load).
inline Config demoRealLayers() {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  if (!config) return Config{};
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.synthetic; });
  return *config;
}

// The demo with its clock paused on a fixed day (2026-11-25, Beijing) and without its zmq source (unless
// `keepZmqSources`): every render of it shows the same frame.
inline Config demoPaused(bool keepZmqSources = false) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  if (!config) return Config{};
  if (!keepZmqSources) std::erase_if(config->sources, [](const SourceConfig& s) { return s.type == "zmq"; });
  config->clock.mode = "paused";
  config->clock.start = *parseIsoTime("2026-11-25T00:00:00+08:00");
  config->clock.end = *parseIsoTime("2026-11-26T00:00:00+08:00");
  return *config;
}

// ...with the test plugins of `folder` (tests/plugin_host) enabled and `sources` as its only [[sources]].
inline Config demoWithTestPlugins(const std::string& folder, std::vector<std::string> enabled,
                                  std::vector<SourceConfig> sources) {
  Config config = demoRealLayers();
  config.plugins.folders = {folder};
  config.plugins.enabled = std::move(enabled);
  config.sources = std::move(sources);
  return config;
}

// A [[sources]] entry of a plugin's source type with its own keys.
inline SourceConfig pluginSource(const std::string& id, const std::string& type, std::vector<ConfigValue> options) {
  SourceConfig s;
  s.id = id;
  s.type = type;
  s.options = std::move(options);
  return s;
}

// Frames as the window runs them (the clock read, then update) until `done` or the time limit, `pause` between them.
template <class Done>
bool runFrames(runtime::Twin& twin, Done done, std::chrono::seconds limit = std::chrono::seconds(20),
               std::chrono::milliseconds pause = std::chrono::milliseconds(2)) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    twin.beginFrame();
    twin.update();
    if (done()) return true;
    std::this_thread::sleep_for(pause);
  }
  return false;
}

// A test suite sharing one demo twin (demoPaused, without plugins and feeds: the layers only), made once before its
// first test and destroyed after its last; tests reach it as twin_. One suite per test binary uses it.
class DemoTwinSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Config config = demoPaused();
    config.plugins.enabled.clear();
    config.sources.clear();
    auto twin = runtime::Twin::create(config);
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin).release();
  }
  static void TearDownTestSuite() {
    delete twin_;
    twin_ = nullptr;
  }
  inline static runtime::Twin* twin_ = nullptr;
};

}  // namespace gt::testing
