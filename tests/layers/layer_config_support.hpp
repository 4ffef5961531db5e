#pragma once
// Reading a config with the builtin layer types' option parsers, as the runtime's loader does (for the tests of a
// layer type's own [layers.<type>] keys).
#include <gtest/gtest.h>

#include <string>

#include "greentwin/core/config.hpp"
#include "greentwin/layers/layer_registry.hpp"

namespace gt::layers {

// Parses `text` as "test.toml".
inline Result<Config> parseWithLayerTypes(const std::string& text) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  ConfigSchema schema;
  schema.layerTypes = registry.optionsParsers();
  return parseConfig(text, "test.toml", schema);
}

// ...expecting an error.
inline Status parseError(const std::string& text) {
  auto r = parseWithLayerTypes(text);
  EXPECT_FALSE(r.isOk()) << "expected an error for:\n" << text;
  return r.status();
}

}  // namespace gt::layers
