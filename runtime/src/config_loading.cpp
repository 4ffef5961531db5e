#include "greentwin/runtime/config_loading.hpp"

#include "greentwin/connectors/feed_attributes.hpp"
#include "greentwin/connectors/history_config.hpp"

namespace gt::runtime {

TypeRegistries builtinTypes() {
  TypeRegistries types;
  layers::registerBuiltinLayers(types.layers);
  registerBuiltinSources(types.sources);
  return types;
}

ConfigSchema configSchema(const TypeRegistries& types) {
  ConfigSchema schema;
  schema.layerTypes = types.layers.optionsParsers();
  schema.sourceTypes = types.sources.optionsParsers();
  schema.sections.emplace(std::string(connectors::kHistorySection), connectors::parseHistorySection);
  schema.sections.emplace(std::string(connectors::kFeedsSection), connectors::parseFeedsSection);
  return schema;
}

Result<Config> loadConfig(const std::string& path, const TypeRegistries& types) {
  return loadConfigFile(path, configSchema(types));
}

Result<Config> parseConfigText(const std::string& text, const std::string& sourceName, const TypeRegistries& types) {
  return parseConfig(text, sourceName, configSchema(types));
}

}  // namespace gt::runtime
