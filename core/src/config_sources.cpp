// [[sources]] and [plugins]: a source of a type in the ConfigSchema (the runtime's source registry: "zmq") is read by
// that type's parser; any other type is a plugin's, whose keys are its options, handed to the plugin as text. The
// [plugins] table names the plugin folders and enabled plugins; its [plugins.<id>] tables hold plugin settings.
// Keys: docs/config.md, docs/plugins.md.

#include <string_view>

#include "config_sections.hpp"

namespace gt::config_sections {

namespace {

constexpr std::string_view kPluginSourceCommonKeys[]{"id", "type", "interval_s"};
constexpr std::string_view kPluginKeys[]{"folders", "enabled", "call_timeout_s"};

}  // namespace

void parseSources(const ConfigTable& root, const ConfigSchema& schema, std::vector<SourceConfig>& out) {
  UniqueIds ids("source");
  for (const ConfigTable& t : root.tables("sources")) {
    SourceConfig source;
    source.line = t.line();
    if (t.requireString("id", source.id)) ids.check(t, source.id);
    t.requireString("type", source.type);
    const auto registered = schema.sourceTypes.find(source.type);
    if (registered == schema.sourceTypes.end()) {
      // A plugin's type (checked once plugins load), or one a tool's schema leaves out: its keys are its options.
      if (!source.type.empty() && !schema.commonPartsOnly) {
        t.readDouble("interval_s", source.intervalS, 0.0, 7.0 * 24 * 3600);
        t.readScalars(kPluginSourceCommonKeys, source.options);
      }
      out.push_back(std::move(source));
      continue;
    }
    const SourceOptionsParser& parser = registered->second;
    std::vector<std::string_view> known{"id", "type"};
    for (const std::string& key : parser.keys) known.push_back(key);
    t.checkKeys(known);
    if (parser.parse) source.typeOptions = parser.parse(t);
    out.push_back(std::move(source));
  }
}

void parsePlugins(const ConfigTable& t, PluginConfig& out) {
  // [plugins.<id>] tables hold plugin settings; other keys are checked as usual.
  std::vector<std::string> known(std::begin(kPluginKeys), std::end(kPluginKeys));
  for (const std::string& key : t.keys()) {
    if (!t.isTable(key)) continue;
    const auto settings = t.table(key);
    known.push_back(key);
    PluginSettingsConfig ps;
    ps.pluginId = key;
    ps.line = settings->line();
    settings->readScalars({}, ps.values);
    out.settings.push_back(std::move(ps));
  }
  const std::vector<std::string_view> knownViews(known.begin(), known.end());
  t.checkKeys(knownViews);
  t.readStringArray("folders", out.folders);
  t.readStringArray("enabled", out.enabled);
  t.readDouble("call_timeout_s", out.callTimeoutS, 0.0, 600.0);
}

}  // namespace gt::config_sections
