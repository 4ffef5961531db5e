// Project files (core/project.hpp; docs/workbench.md "Projects"). The config parts (styles, layers, poses) are read
// by the config's own section readers and written by config_text.cpp, so a project says them as a config does.

#include "greentwin/core/project.hpp"

#include <array>
#include <string_view>

#include "config_sections.hpp"
#include "greentwin/core/config_reader.hpp"
#include "greentwin/core/config_text.hpp"
#include "greentwin/core/text_file.hpp"
#include "toml_text.hpp"

namespace gt {
namespace {

using toml_text::number;
using toml_text::quoted;

constexpr std::array<std::string_view, 10> kRootKeys{"version", "config",      "language",    "camera",   "clock",
                                                     "panels",  "layers",      "layer_state", "scenario", "scenario_b"};
constexpr std::string_view kLanguages[]{"zh", "en"};
constexpr std::string_view kClockKeys[]{"mode", "time", "rate"};
constexpr std::string_view kClockModes[]{"live", "paused"};
constexpr std::string_view kPanelKeys[]{"indicators", "indicators_unfolded", "feed_health",  "alerts",
                                        "scenario",   "indicator_area",      "window_layout"};
constexpr std::string_view kLayerStateKeys[]{"id", "visible", "opacity", "filter", "style", "colour_by"};
constexpr std::string_view kColourByKeys[]{"attribute", "kind",  "method",      "classes",
                                           "max_categories", "ramp", "other_colour"};
constexpr std::string_view kColourByKinds[]{"graduated", "categorical"};
constexpr std::string_view kScenarioKeys[]{"file", "text"};
constexpr std::string_view kScenarioBKeys[]{"source", "text"};

void readClock(const ConfigTable& t, ProjectClock& out) {
  t.checkKeys(kClockKeys);
  std::string mode = "live";
  t.readString("mode", mode, kClockModes);
  out.live = mode == "live";
  t.readTime("time", out.time);
  t.readDouble("rate", out.rate, -1.0e6, 1.0e6);
  if (!out.live && !out.time) t.error(ErrorCode::InvalidArgument, "'" + t.keyPath("time") + "' is required when mode is paused");
}

void readPanels(const ConfigTable& t, ProjectPanels& out) {
  t.checkKeys(kPanelKeys);
  t.readBool("indicators", out.indicators);
  t.readBool("indicators_unfolded", out.indicatorsUnfolded);
  t.readBool("feed_health", out.feedHealth);
  t.readBool("alerts", out.alerts);
  t.readBool("scenario", out.scenario);
  t.readString("indicator_area", out.indicatorArea);
  t.readString("window_layout", out.windowLayout);
}

std::optional<ClassificationRequest> readColourBy(const ConfigTable& t) {
  t.checkKeys(kColourByKeys);
  ClassificationRequest r;
  if (!t.requireString("attribute", r.attribute)) return std::nullopt;
  std::string kind = "graduated";
  t.readString("kind", kind, kColourByKinds);
  r.kind = kind == "categorical" ? ClassificationRequest::Kind::Categorical : ClassificationRequest::Kind::Graduated;
  std::string method = toString(r.method);
  if (t.readString("method", method)) {
    auto parsed = classMethodFromName(method);
    if (parsed) {
      r.method = *parsed;
    } else {
      t.errorAt("method", ErrorCode::InvalidArgument, "'" + t.keyPath("method") + "': " + parsed.status().message());
    }
  }
  t.readInt("classes", r.classes, 2, 12);
  int maxCategories = static_cast<int>(r.maxCategories);
  if (t.readInt("max_categories", maxCategories, 1, 12)) r.maxCategories = static_cast<std::size_t>(maxCategories);
  t.readString("ramp", r.ramp);
  t.readColour("other_colour", r.otherColour);
  return r;
}

void readLayerStates(const ConfigTable& root, std::vector<ProjectLayer>& out) {
  config_sections::UniqueIds ids("layer_state");
  for (const ConfigTable& t : root.tables("layer_state")) {
    t.checkKeys(kLayerStateKeys);
    ProjectLayer l;
    l.line = t.line();
    if (t.requireString("id", l.id)) ids.check(t, l.id);
    t.readBool("visible", l.visible);
    t.readDouble("opacity", l.opacity, 0.0, 1.0);
    t.readString("filter", l.filter);
    if (const auto style = t.table("style")) {
      LayerStyleConfig s;
      config_sections::parseStyle(*style, s);
      l.style = std::move(s);
    }
    if (const auto colourBy = t.table("colour_by")) l.colourBy = readColourBy(*colourBy);
    out.push_back(std::move(l));
  }
}

// A TOML literal multi-line string where the text allows one (readable in the file), else a basic string.
std::string longText(const std::string& text) {
  bool literal = text.find("'''") == std::string::npos && (text.empty() || text.back() != '\'');
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) < 0x20 && c != '\n' && c != '\t') || c == 0x7f) literal = false;
  }
  return literal ? "'''\n" + text + "'''" : quoted(text);
}

std::string colourByText(const ClassificationRequest& r) {
  const bool categorical = r.kind == ClassificationRequest::Kind::Categorical;
  std::string out = "attribute = " + quoted(r.attribute) + "\n";
  out += std::string("kind = ") + (categorical ? "\"categorical\"" : "\"graduated\"") + "\n";
  out += "method = " + quoted(toString(r.method)) + "\n";
  out += "classes = " + std::to_string(r.classes) + "\n";
  out += "max_categories = " + std::to_string(r.maxCategories) + "\n";
  if (!r.ramp.empty()) out += "ramp = " + quoted(r.ramp) + "\n";
  out += "other_colour = " + quoted(r.otherColour) + "\n";
  return out;
}

}  // namespace

Result<Project> parseProject(const std::string& text, const std::string& sourceName, const ConfigSchema& schema) {
  auto doc = ConfigDocument::parse(text, sourceName);
  if (!doc) return doc.status();
  const ConfigTable root = doc->root();
  Project p;
  if (root.require("version") && root.readInt("version", p.version, 1, 1'000'000) && p.version > kProjectFileVersion) {
    // A newer file's other keys are likely unknown here: this one error says all.
    return Status(ErrorCode::Unsupported, sourceName + ":" + std::to_string(root.lineOf("version")) +
                                              ": project file version " + std::to_string(p.version) +
                                              " is newer than this GreenTwin reads (" +
                                              std::to_string(kProjectFileVersion) + "): update GreenTwin");
  }
  root.checkKeys(kRootKeys);
  root.readString("config", p.config);
  root.readString("language", p.language, kLanguages);
  if (const auto camera = root.table("camera")) {
    Config views;  // the config's own reader: [camera.home] and [[camera.bookmarks]]
    config_sections::parseCamera(*camera, views);
    if (camera->isTable("home")) p.camera = views.home;
    p.bookmarks = std::move(views.bookmarks);
  }
  if (const auto clock = root.table("clock")) readClock(*clock, p.clock);
  if (const auto panels = root.table("panels")) readPanels(*panels, p.panels);
  config_sections::parseLayers(root, schema, p.addedLayers);
  readLayerStates(root, p.layers);
  if (const auto scenario = root.table("scenario")) {
    scenario->checkKeys(kScenarioKeys);
    scenario->readString("file", p.scenarioFile);
    std::string scenarioText;
    if (scenario->readString("text", scenarioText)) {
      auto parsed = parseScenario(scenarioText, sourceName + " [scenario] text");
      if (parsed) {
        p.scenario = std::move(*parsed);
      } else {
        scenario->errorAt("text", parsed.status().code(), "the scenario in '" + scenario->keyPath("text") +
                                                              "' cannot be read: " + parsed.status().message());
      }
    }
  }
  if (const auto b = root.table("scenario_b")) {
    b->checkKeys(kScenarioBKeys);
    b->readString("source", p.scenarioBSource);
    std::string bText;
    if (b->require("text") && b->readString("text", bText)) {
      auto parsed = parseScenario(bText, sourceName + " [scenario_b] text");
      if (parsed) {
        p.scenarioB = std::move(*parsed);
      } else {
        b->errorAt("text", parsed.status().code(), "the scenario in '" + b->keyPath("text") +
                                                       "' cannot be read: " + parsed.status().message());
      }
    }
  }
  if (Status st = doc->errors().result(); !st) return st;
  return p;
}

Result<Project> loadProject(const std::string& path, const ConfigSchema& schema) {
  auto text = readTextFile(path, "project file", kMaxProjectFileBytes);
  if (!text) return text.status();
  return parseProject(*text, path, schema);
}

std::string projectText(const Project& p) {
  std::string out = "# GreenTwin project (docs/workbench.md \"Projects\")\n";
  out += "version = " + std::to_string(kProjectFileVersion) + "\n";
  if (!p.config.empty()) out += "config = " + quoted(p.config) + "\n";
  if (!p.language.empty()) out += "language = " + quoted(p.language) + "\n";
  if (p.camera) out += "\n[camera.home]\n" + poseText(*p.camera);
  for (const BookmarkConfig& b : p.bookmarks) out += "\n[[camera.bookmarks]]\n" + bookmarkText(b);
  out += "\n[clock]\n";
  out += std::string("mode = ") + (p.clock.live ? "\"live\"" : "\"paused\"") + "\n";
  if (p.clock.time) out += "time = " + quoted(formatIsoTime(*p.clock.time)) + "\n";
  out += "rate = " + number(p.clock.rate) + "\n";
  const ProjectPanels& panels = p.panels;
  out += "\n[panels]\n";
  out += std::string("indicators = ") + (panels.indicators ? "true" : "false") + "\n";
  out += std::string("indicators_unfolded = ") + (panels.indicatorsUnfolded ? "true" : "false") + "\n";
  out += std::string("feed_health = ") + (panels.feedHealth ? "true" : "false") + "\n";
  out += std::string("alerts = ") + (panels.alerts ? "true" : "false") + "\n";
  out += std::string("scenario = ") + (panels.scenario ? "true" : "false") + "\n";
  out += "indicator_area = " + quoted(panels.indicatorArea) + "\n";
  if (!panels.windowLayout.empty()) out += "window_layout = " + longText(panels.windowLayout) + "\n";
  for (const LayerConfig& l : p.addedLayers) out += "\n[[layers]]\n" + layerText(l);
  for (const ProjectLayer& l : p.layers) {
    out += "\n[[layer_state]]\nid = " + quoted(l.id) + "\n";
    out += std::string("visible = ") + (l.visible ? "true" : "false") + "\n";
    out += "opacity = " + number(l.opacity) + "\n";
    if (!l.filter.empty()) out += "filter = " + quoted(l.filter) + "\n";
    if (l.style) out += "[layer_state.style]\n" + styleText(*l.style);
    if (l.colourBy) out += "[layer_state.colour_by]\n" + colourByText(*l.colourBy);
  }
  if (p.scenario || !p.scenarioFile.empty()) {
    out += "\n[scenario]\n";
    if (!p.scenarioFile.empty()) out += "file = " + quoted(p.scenarioFile) + "\n";
    if (p.scenario) out += "text = " + longText(scenarioText(*p.scenario)) + "\n";
  }
  if (p.scenarioB) {
    out += "\n[scenario_b]\n";
    if (!p.scenarioBSource.empty()) out += "source = " + quoted(p.scenarioBSource) + "\n";
    out += "text = " + longText(scenarioText(*p.scenarioB)) + "\n";
  }
  return out;
}

Status saveProject(const Project& project, const std::string& path) {
  return writeTextFileAtomically(path, projectText(project), "project file");
}

}  // namespace gt
