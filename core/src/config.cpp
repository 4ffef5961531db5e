// Config file loading (TOML through config_reader.hpp). Every key and its default: docs/config.md.
// Errors are collected (not just the first) and returned as one Status, one "FILE:LINE: ..." line per problem.
// Each part of the file is read by its own unit (config_sections.hpp); a layer type's, a source type's and a
// module's section's keys by the parsers the ConfigSchema brings.

#include "greentwin/core/config.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "config_sections.hpp"

namespace gt {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view kTopKeys[]{"display", "scene", "clock", "camera", "layers", "sources", "plugins", "logging"};

void parseDocument(const ConfigTable& root, const ConfigSchema& schema, Config& config) {
  using namespace config_sections;
  std::vector<std::string_view> known(std::begin(kTopKeys), std::end(kTopKeys));
  for (const auto& [name, parser] : schema.sections) known.push_back(name);
  if (!schema.commonPartsOnly) root.checkKeys(known);

  if (const auto t = root.table("display")) parseDisplay(*t, config.display);
  if (const auto t = root.table("scene")) parseScene(*t, config.scene);
  if (const auto t = root.table("clock")) parseClock(*t, config.clock);
  if (const auto t = root.table("camera")) parseCamera(*t, config);
  parseLayers(root, schema, config.layers);
  parseSources(root, schema, config.sources);
  if (const auto t = root.table("plugins")) parsePlugins(*t, config.plugins);
  for (const auto& [name, parser] : schema.sections) {
    if (const auto t = root.table(name)) {
      if (auto section = parser(*t)) config.sections.insert_or_assign(name, std::move(section));
    }
  }
  if (const auto t = root.table("logging")) parseLogging(*t, config.logging);
}

bool looksLikeUriOrDataSource(const std::string& s) {
  // "tcp://...", "https://...", GDAL "PG:dbname=..." style prefixes (two or more letters before ':').
  const std::size_t colon = s.find(':');
  if (colon == std::string::npos || colon < 2) return false;
  return std::all_of(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(colon), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' || c == '.' ||
           c == '-';
  });
}

}  // namespace

void config_sections::UniqueIds::check(const ConfigTable& entry, const std::string& id) {
  const int line = entry.lineOf("id");
  auto [it, inserted] = seen_.emplace(id, line);
  if (!inserted) {
    entry.errorAt("id", ErrorCode::InvalidArgument,
                  "duplicate " + what_ + " id '" + id + "' (first defined at line " + std::to_string(it->second) + ")");
  }
}

std::string Config::resolvePath(const std::string& relative) const {
  if (relative.empty() || directory.empty()) return relative;
  if (looksLikeUriOrDataSource(relative)) return relative;
  const fs::path p(relative);
  if (p.is_absolute()) return relative;
  return (fs::path(directory) / p).lexically_normal().string();
}

const BookmarkConfig* Config::findBookmark(const std::string& id) const {
  for (const auto& b : bookmarks) {
    if (b.id == id) return &b;
  }
  return nullptr;
}

Result<Config> parseConfig(const std::string& text, const std::string& sourceName, const ConfigSchema& schema) {
  auto document = ConfigDocument::parse(text, sourceName);
  if (!document) return document.status();
  Config config;
  // The parsers include a module's own (plugin layer types may come to register some): a throw is an error of
  // this file, not a crash.
  try {
    parseDocument(document->root(), schema, config);
  } catch (const std::exception& e) {
    return Status(ErrorCode::Internal, sourceName + ": unexpected error while reading the config: " + e.what());
  } catch (...) {
    return Status(ErrorCode::Internal, sourceName + ": unexpected error while reading the config");
  }
  if (Status s = document->errors().result(); !s) return s;
  return config;
}

Result<Config> loadConfigFile(const std::string& path, const ConfigSchema& schema) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    return Status(ErrorCode::IoError, "cannot read config file '" + path + "': it is a directory");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    return Status(ErrorCode::IoError,
                  "cannot open config file '" + path + "': " + (err != 0 ? std::strerror(err) : "unknown error"));
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status(ErrorCode::IoError, "cannot read config file '" + path + "'");
  auto config = parseConfig(buffer.str(), path, schema);
  if (!config) return config;
  config->path = path;
  const fs::path absolute = fs::absolute(fs::path(path), ec);
  config->directory = (ec ? fs::path(path) : absolute).parent_path().lexically_normal().string();
  return config;
}

}  // namespace gt
