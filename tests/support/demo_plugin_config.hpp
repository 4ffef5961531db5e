#pragma once
// The bundled demo config cut down for one plugin's test in a real twin: the plugin's setup as shipped (the
// "@builtin" folder, the plugin enabled, its own [[sources]]), only the layers the test names, and — instead of the
// simulator and the other plugins' sources — a loopback ZeroMQ feed (bound to a free port, no security) that the
// test publishes to. The feed is the last source.

#include <algorithm>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/zmq_source.hpp"

namespace gt::testing {

// A zmq source bound to a free loopback port (its endpoint is in Twin::sources() once started), no security.
inline SourceConfig loopbackFeedSource(const std::string& id = "feed") {
  SourceConfig feed;
  feed.id = id;
  feed.type = "zmq";
  runtime::editZmqOptions(feed).endpoint = "tcp://127.0.0.1:*";
  runtime::editZmqOptions(feed).bind = true;
  runtime::editZmqOptions(feed).security = "none";
  return feed;
}

// Errors name what the demo no longer has (the test then fails saying so).
inline Result<Config> demoConfigForPlugin(const std::string& pluginId, const std::vector<std::string>& layerIds) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  if (!config) return config.status();
  if (config->plugins.folders != std::vector<std::string>{"@builtin"}) {
    return Status(ErrorCode::InvalidArgument, "the demo's [plugins] folders are no longer [\"@builtin\"]");
  }
  const auto& enabled = config->plugins.enabled;
  if (std::find(enabled.begin(), enabled.end(), pluginId) == enabled.end()) {
    return Status(ErrorCode::NotFound, "the demo does not enable plugin '" + pluginId + "'");
  }
  std::erase_if(config->layers, [&](const LayerConfig& l) {
    return std::find(layerIds.begin(), layerIds.end(), l.id) == layerIds.end();
  });
  if (config->layers.size() != layerIds.size()) {
    return Status(ErrorCode::NotFound, "the demo lacks one of the layers the test asks for");
  }
  std::erase_if(config->sources, [&](const SourceConfig& s) { return s.type.rfind(pluginId + ".", 0) != 0; });
  if (config->sources.empty()) return Status(ErrorCode::NotFound, "the demo has no source of plugin '" + pluginId + "'");
  config->sources.push_back(loopbackFeedSource());
  return config;
}

}  // namespace gt::testing
