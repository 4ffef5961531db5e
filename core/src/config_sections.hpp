#pragma once
// The config loader's units, one per part of the file (config.cpp calls them in order). Core-private.

#include <map>
#include <string>

#include "greentwin/core/config.hpp"
#include "greentwin/core/config_reader.hpp"

namespace gt::config_sections {

// Ids must be unique within a list (layers, sources, bookmarks): the message names both lines.
class UniqueIds {
 public:
  explicit UniqueIds(std::string what) : what_(std::move(what)) {}
  void check(const ConfigTable& entry, const std::string& id);

 private:
  std::string what_;
  std::map<std::string, int> seen_;
};

void parseDisplay(const ConfigTable& display, DisplayConfig& out);            // config_display.cpp
void parseCamera(const ConfigTable& camera, Config& out);                     // config_display.cpp: home, bookmarks
void parseScene(const ConfigTable& scene, SceneConfig& out);                  // config_scene.cpp
void parseClock(const ConfigTable& clock, ClockConfig& out);                  // config_scene.cpp
void parseLogging(const ConfigTable& logging, LoggingConfig& out);            // config_scene.cpp
// config_layers.cpp: [[layers]], each with its type's options
void parseLayers(const ConfigTable& root, const ConfigSchema& schema, std::vector<LayerConfig>& out);
void parseStyle(const ConfigTable& style, LayerStyleConfig& out);             // config_style.cpp
// One [[layers.styles]] entry: the base style with the entry's keys over it (its own colour rule when it sets one).
void parseAlternativeStyle(const ConfigTable& style, const LayerStyleConfig& base, LayerStyleConfig& out);
// config_sources.cpp: [[sources]], a registered type's options or a plugin's as text
void parseSources(const ConfigTable& root, const ConfigSchema& schema, std::vector<SourceConfig>& out);
void parsePlugins(const ConfigTable& plugins, PluginConfig& out);            // config_sources.cpp

}  // namespace gt::config_sections
