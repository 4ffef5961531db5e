#pragma once
// The config as the twin reads it: core's loader (core/config.hpp) given every part of the file a module owns - the
// layer types' options (layers::LayerRegistry), the source types' (SourceRegistry) and the [history] section
// (connectors/history_config.hpp) - so that a typo anywhere in the file is an error at load time naming the file,
// the line and the key ("greentwin.toml:42: unknown key 'layers[3].field.pwoer' (did you mean ...?)").

#include <string>

#include "greentwin/core/config.hpp"
#include "greentwin/layers/layer_registry.hpp"
#include "greentwin/runtime/source_registry.hpp"

namespace gt::runtime {

// The layer and source types a twin knows.
struct TypeRegistries {
  layers::LayerRegistry layers;
  SourceRegistry sources;
};

// Registries holding the builtin layer types (layers::registerBuiltinLayers) and source types (registerBuiltinSources).
TypeRegistries builtinTypes();

// What the loader reads beyond core's common parts, from the registries' types and the runtime's sections.
ConfigSchema configSchema(const TypeRegistries& types);

// loadConfigFile / parseConfig with configSchema(types).
Result<Config> loadConfig(const std::string& path, const TypeRegistries& types = builtinTypes());
Result<Config> parseConfigText(const std::string& text, const std::string& sourceName = "config",
                               const TypeRegistries& types = builtinTypes());

}  // namespace gt::runtime
