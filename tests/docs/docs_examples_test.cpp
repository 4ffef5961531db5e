// The documentation cannot rot: every ```toml block of README.md and docs/*.md is read the way the code reads it, and
// every link of those files points at a file inside the repository.
//
// A ```toml block is a config, or part of one, unless its info string names another format after the language:
// ```toml bim-placements (runtime/bim_placements.hpp), plugin-manifest, key-file or allow-list (docs/security.md),
// indicator-catalog or indicator-statistics (runtime/indicators.hpp, docs/indicators.md), wall-file (docs/wall.md),
// scenario or project (core/scenario.hpp, core/project.hpp, docs/workbench.md).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "greentwin/runtime/bim_placements.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/project.hpp"
#include "greentwin/core/scenario.hpp"
#include "greentwin/layers/field_layer.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/indicators.hpp"
#include "greentwin/wall/wall_file.hpp"

namespace gt {
namespace {

namespace fs = std::filesystem;

const fs::path kRoot = fs::path(GT_TEST_SOURCE_DIR).lexically_normal();

std::string readFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// README.md and every docs/*.md, in a fixed order.
std::vector<fs::path> markdownFiles() {
  std::vector<fs::path> files{kRoot / "README.md"};
  for (const auto& entry : fs::directory_iterator(kRoot / "docs")) {
    if (entry.path().extension() == ".md") files.push_back(entry.path());
  }
  std::sort(files.begin() + 1, files.end());
  return files;
}

struct CodeBlock {
  std::string where;  // "docs/config.md:290", the opening fence
  std::string language;
  std::string kind;   // the info string's second word, if any
  std::string text;
};

std::vector<CodeBlock> codeBlocks(const fs::path& file) {
  std::vector<CodeBlock> blocks;
  std::istringstream in(readFile(file));
  std::string line;
  int number = 0;
  CodeBlock* open = nullptr;
  while (std::getline(in, line)) {
    ++number;
    if (line.rfind("```", 0) != 0) {
      if (open != nullptr) open->text += line + "\n";
      continue;
    }
    if (open != nullptr) {
      open = nullptr;
      continue;
    }
    std::istringstream info(line.substr(3));
    CodeBlock block;
    block.where = fs::relative(file, kRoot).string() + ":" + std::to_string(number);
    info >> block.language >> block.kind;
    blocks.push_back(std::move(block));
    open = &blocks.back();
  }
  return blocks;
}

// The file without its fenced code blocks: code is not prose ("[this](const std::string& id)" is a C++ lambda).
std::string proseOf(const fs::path& file) {
  std::istringstream in(readFile(file));
  std::string prose;
  std::string line;
  bool inCode = false;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) {
      inCode = !inCode;
    } else if (!inCode) {
      prose += line + "\n";
    }
  }
  return prose;
}

std::vector<CodeBlock> tomlBlocks() {
  std::vector<CodeBlock> out;
  for (const fs::path& file : markdownFiles()) {
    for (CodeBlock& block : codeBlocks(file)) {
      if (block.language == "toml") out.push_back(std::move(block));
    }
  }
  return out;
}

// A manifest as written in a plugin's source folder: greentwin_add_plugin fills in the @-names when it builds.
std::string filledManifest(std::string text) {
  for (const auto& [name, value] : {std::pair<std::string, std::string>{"@GREENTWIN_PLUGIN_ABI@", "1"},
                                    {"@GREENTWIN_PLUGIN_LIBRARY@", "libplugin.so"}}) {
    for (auto at = text.find(name); at != std::string::npos; at = text.find(name)) text.replace(at, name.size(), value);
  }
  return text;
}

// What the in-tree plugins (plugins/*/*.greentwin-plugin.toml) are and provide.
struct InTreePlugins {
  std::set<std::string> ids;
  std::map<std::string, std::string> providers;  // "air_quality.aqi" -> "air_quality": sources, layers, classifiers

  InTreePlugins() {
    for (const auto& folder : fs::directory_iterator(kRoot / "plugins")) {
      if (!folder.is_directory()) continue;
      for (const auto& entry : fs::directory_iterator(folder.path())) {
        const std::string name = entry.path().filename().string();
        if (!name.ends_with(".greentwin-plugin.toml")) continue;
        const toml::table manifest = toml::parse(filledManifest(readFile(entry.path())));
        const std::string id = manifest["id"].value_or(std::string());
        ids.insert(id);
        for (const char* what : {"sources", "layers", "classifiers"}) {
          if (const toml::array* names = manifest["provides"][what].as_array()) {
            for (const auto& n : *names) providers.emplace(n.value_or(std::string()), id);
          }
        }
      }
    }
  }
};

const InTreePlugins& inTreePlugins() {
  static const InTreePlugins plugins;
  return plugins;
}

// What a config names must exist: layer types in the registry, plugins in plugins/, and every plugin-provided name
// (a source type, a field provider, a classifier) provided by an in-tree plugin that the same config enables.
// Returns one line per problem.
std::vector<std::string> missingNames(const Config& config) {
  const runtime::TypeRegistries types = runtime::builtinTypes();
  const InTreePlugins& plugins = inTreePlugins();
  const std::set<std::string> enabled(config.plugins.enabled.begin(), config.plugins.enabled.end());
  std::vector<std::string> problems;
  for (const std::string& id : config.plugins.enabled) {
    if (!plugins.ids.count(id)) problems.push_back("enables plugin '" + id + "', which is not in plugins/");
  }
  for (const PluginSettingsConfig& settings : config.plugins.settings) {
    if (!plugins.ids.count(settings.pluginId)) {
      problems.push_back("[plugins." + settings.pluginId + "] names a plugin that is not in plugins/");
    }
  }
  const auto provided = [&](const std::string& name, const std::string& what) {
    const auto it = plugins.providers.find(name);
    if (it == plugins.providers.end()) {
      problems.push_back(what + " '" + name + "' is provided by no plugin in plugins/");
    } else if (!enabled.count(it->second)) {
      problems.push_back(what + " '" + name + "' needs plugin '" + it->second + "' enabled");
    }
  };
  for (const LayerConfig& layer : config.layers) {
    if (!types.layers.hasType(layer.type)) {
      problems.push_back("layer '" + layer.id + "' has type '" + layer.type + "', not a registered layer type");
    }
    if (const std::string& p = layers::fieldOptions(layer).provider; !p.empty()) provided(p, "field provider");
    if (!layer.style.classifier.empty()) provided(layer.style.classifier, "classifier");
  }
  for (const SourceConfig& source : config.sources) {
    if (types.sources.find(source.type) == nullptr) provided(source.type, "source type");
  }
  return problems;
}

TEST(DocsExamples, EveryTomlBlockReadsAsWhatItIs) {
  std::map<std::string, int> counts;
  for (const CodeBlock& block : tomlBlocks()) {
    const std::string kind = block.kind.empty() ? "config" : block.kind;
    ++counts[kind];
    SCOPED_TRACE(block.where + " (" + kind + ")");
    if (kind == "config") {
      // Every key of a config is optional, so a part of one is a config too: the parser checks every key.
      auto config = runtime::parseConfigText(block.text, block.where);
      ASSERT_TRUE(config) << config.status().message();
      EXPECT_THAT(missingNames(*config), ::testing::IsEmpty());
    } else if (kind == "bim-placements") {
      const fs::path file = fs::path(GT_TEST_BINARY_DIR) / "docs_bim_placements.toml";
      std::ofstream(file) << block.text;
      auto placements = runtime::readBimPlacements(file.string());
      ASSERT_TRUE(placements) << placements.status().message();
      EXPECT_FALSE(placements->empty());
    } else if (kind == "indicator-catalog" || kind == "indicator-statistics") {
      // A whole file of its kind; statistics are read against the shipped catalog.
      const fs::path file = fs::path(GT_TEST_BINARY_DIR) / ("docs_" + kind + ".toml");
      std::ofstream(file) << block.text;
      const bool isCatalog = kind == "indicator-catalog";
      auto catalog = runtime::readIndicatorCatalog(isCatalog ? file.string() : runtime::indicatorCatalogPath());
      ASSERT_TRUE(catalog) << catalog.status().message();
      std::vector<runtime::IndicatorProblem> problems = catalog->problems;
      std::size_t entries = catalog->indicators.size();
      if (!isCatalog) {
        auto statistics = runtime::readIndicatorStatistics(file.string(), *catalog);
        ASSERT_TRUE(statistics) << statistics.status().message();
        problems = statistics->problems;
        entries = statistics->series.size();
      }
      for (const runtime::IndicatorProblem& p : problems) ADD_FAILURE() << p.text();
      EXPECT_GT(entries, 0u);
    } else if (kind == "plugin-manifest" || kind == "key-file" || kind == "allow-list") {
      toml::table table;
      try {
        table = toml::parse(kind == "plugin-manifest" ? filledManifest(block.text) : block.text);
      } catch (const toml::parse_error& e) {
        FAIL() << "not TOML: " << e.description() << " (block line " << e.source().begin.line << ")";
      }
      if (kind == "plugin-manifest") {
        for (const char* key : {"id", "version", "abi", "library"}) {
          EXPECT_TRUE(table.contains(key)) << "a manifest needs '" << key << "'";
        }
        EXPECT_TRUE(inTreePlugins().ids.count(table["id"].value_or(std::string())));
      }
    } else if (kind == "wall-file") {
      // A wall file (docs/wall.md); a part of one without its [wall] table (e.g. its tours) gets a minimal one.
      const std::string text = block.text.find("[wall]") != std::string::npos
                                   ? block.text
                                   : "[wall]\nsecurity = \"none\"\n[[wall.nodes]]\nid = \"lead\"\ntile = [0, 0]\n"
                                     "lead = true\n\n" + block.text;
      auto wall = wall::parseWallConfig(text, block.where);
      ASSERT_TRUE(wall) << wall.status().message();
    } else if (kind == "scenario") {
      auto scenario = parseScenario(block.text, block.where);
      ASSERT_TRUE(scenario) << scenario.status().message();
      EXPECT_FALSE(scenario->edits.empty());
    } else if (kind == "project") {
      auto project = parseProject(block.text, block.where, runtime::configSchema(runtime::builtinTypes()));
      ASSERT_TRUE(project) << project.status().message();
      EXPECT_FALSE(project->layers.empty());
      EXPECT_TRUE(project->scenario.has_value());
    } else {
      ADD_FAILURE() << "unknown kind '" << kind << "': a ```toml block is a config, or one of bim-placements, "
                    << "plugin-manifest, key-file, allow-list, indicator-catalog, indicator-statistics, wall-file, "
                    << "scenario, project";
    }
  }
  // The blocks are found (the test cannot pass by reading nothing): config.md's example and the others.
  EXPECT_GE(counts["config"], 5);
  EXPECT_EQ(counts["bim-placements"], 1);
  EXPECT_EQ(counts["wall-file"], 2);
  EXPECT_EQ(counts["plugin-manifest"], 1);
  EXPECT_EQ(counts["indicator-catalog"], 1);
  EXPECT_EQ(counts["indicator-statistics"], 1);
  EXPECT_EQ(counts["scenario"], 1);
  EXPECT_EQ(counts["project"], 1);
}

TEST(DocsExamples, TheNameChecksCatchWhatTheOldExampleGotWrong) {
  // docs/config.md's example once had a layer of type "points" and enabled a plugin "energy" before there was one;
  // "geothermal" stands for a plugin that still does not exist.
  auto config = runtime::parseConfigText(
      "[[layers]]\nid = \"air\"\ntype = \"points\"\n[plugins]\nenabled = [\"geothermal\"]\n"
      "[[sources]]\nid = \"s\"\ntype = \"air_quality.aqi\"\n",
      "old.toml");
  ASSERT_TRUE(config) << config.status().message();
  EXPECT_THAT(missingNames(*config),
              ::testing::UnorderedElementsAre("layer 'air' has type 'points', not a registered layer type",
                                              "enables plugin 'geothermal', which is not in plugins/",
                                              "source type 'air_quality.aqi' needs plugin 'air_quality' enabled"));
}

// Whether `target` (a path in a link or code span of `file`) names a file of the repository, and stays inside it.
bool insideRepository(const fs::path& path) {
  const fs::path relative = path.lexically_normal().lexically_relative(kRoot);
  return !relative.empty() && *relative.begin() != "..";
}

TEST(DocsLinks, EveryLinkPointsInsideTheRepository) {
  const std::regex link(R"(\]\(([^)\s]+)\))");        // [text](target)
  const std::regex mdSpan(R"(`([^`\s]+\.md)`)");       // `docs/config.md`, `PROVENANCE.md`
  int links = 0;
  for (const fs::path& file : markdownFiles()) {
    const std::string where = fs::relative(file, kRoot).string();
    EXPECT_EQ(readFile(file).find("../shared"), std::string::npos)
        << where << " refers to ../shared, outside the repository";
    const std::string text = proseOf(file);
    for (std::sregex_iterator it(text.begin(), text.end(), link), end; it != end; ++it) {
      std::string target = (*it)[1];
      if (target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:") ||
          target.starts_with("#")) {
        continue;
      }
      ++links;
      target = target.substr(0, target.find('#'));
      const fs::path resolved = file.parent_path() / target;
      EXPECT_TRUE(insideRepository(resolved)) << where << ": link '" << target << "' leaves the repository";
      EXPECT_TRUE(fs::exists(resolved)) << where << ": link '" << target << "' names no file";
    }
    // A .md file named in a code span: a path from the file's folder or the repository root, or a bare file name
    // of the repository (README's docs table names `config.md`).
    for (std::sregex_iterator it(text.begin(), text.end(), mdSpan), end; it != end; ++it) {
      const fs::path named = std::string((*it)[1]);
      bool found = false;
      for (const fs::path& base : {file.parent_path(), kRoot}) {
        found = found || (insideRepository(base / named) && fs::exists(base / named));
      }
      if (!found && !named.has_parent_path()) {
        for (const fs::path& dir : {kRoot, kRoot / "docs", kRoot / "assets" / "demo"}) {
          found = found || fs::exists(dir / named);
        }
      }
      EXPECT_TRUE(found) << where << ": `" << named.string() << "` names no file of the repository";
    }
  }
  EXPECT_GE(links, 4);  // README's architecture link and the docs' own ones are found
}

}  // namespace
}  // namespace gt
