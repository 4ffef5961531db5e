#pragma once
// Plugin manifests (docs/plugins.md "The manifest"): `<name>.greentwin-plugin.toml` beside a plugin library, read
// and checked without loading anything, so that the UI can list every plugin found. Part of the plugin host
// (plugin_host.hpp); any thread (reading a manifest touches only the file).

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"

namespace gt::runtime {

// `<name>.greentwin-plugin.toml` beside a plugin library.
struct PluginManifest {
  std::string path;  // the manifest file
  std::string id;
  std::string name;
  std::string version;
  std::uint32_t abi = 0;
  std::string library;  // as written (relative to the manifest's folder, or absolute)
  std::vector<std::string> sources, layers, kpis, classifiers;  // [provides]
  std::vector<ConfigValue> settings;                           // [settings]: defaults
};

// Reads and checks a manifest (id, version, abi and library are required). Loads nothing.
Result<PluginManifest> readPluginManifest(const std::string& path);

inline constexpr std::string_view kPluginManifestSuffix = ".greentwin-plugin.toml";

}  // namespace gt::runtime
