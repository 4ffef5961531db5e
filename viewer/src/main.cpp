// greentwin: the GreenTwin application.
//   greentwin [--config FILE] [--lang zh|en]           interactive window on the bundled Tongzhou demo
//   greentwin --wall FILE --node ID [--config FILE]     one node (tile) of a wall (docs/wall.md)
//   greentwin render --out FILE.png [options]          headless render (EGL, no X server); --wall FILE [--tile C,R]
//   greentwin keys server|generate|allow|revoke|list   CURVE keys and the feed allow-list (docs/security.md)
//   greentwin report --out DIR [options] [config]      the 18 indicators as CSV, JSON and HTML (docs/indicators.md)
//   greentwin ctl --wall FILE [--key KEY] <command>    steer a running video wall's lead node (docs/wall.md)

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <iostream>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/log.hpp"
#include "greentwin/core/project.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/option_checks.hpp"
#include "ctl_command.hpp"
#include "greentwin/wall/wall_file.hpp"
#include "keys_command.hpp"
#include "report_command.hpp"

namespace {

// The config, every part read by its module's parser (the builtin layer and source types'), with logging set up as
// it says (before anything that logs).
gt::Result<gt::Config> readConfig(const std::string& configPath, const gt::runtime::TypeRegistries& types) {
  const std::string path = configPath.empty() ? gt::runtime::demoConfigPath() : configPath;
  auto config = gt::runtime::loadConfig(path, types);
  if (!config) return config.status();
  gt::LoggingConfig logging = config->logging;
  if (!logging.file.empty()) logging.file = config->resolvePath(logging.file);
  if (gt::Status s = gt::configureLogging(logging); !s) {
    spdlog::warn("logging: {}", s.message());
  }
  spdlog::info("config: {}", path);
  return config;
}

// --compare-times LAYER:ATTRIBUTE@A..B (times ISO 8601, e.g. 2026-11-25T08:00:00+08:00).
gt::Result<gt::runtime::TimeChangeRequest> parseTimeChange(const std::string& text) {
  const auto colon = text.find(':');
  const auto at = text.find('@', colon == std::string::npos ? 0 : colon);
  const auto dots = text.find("..", at == std::string::npos ? 0 : at);
  if (colon == std::string::npos || at == std::string::npos || dots == std::string::npos) {
    return gt::Status(gt::ErrorCode::InvalidArgument,
                      "--compare-times must be LAYER:ATTRIBUTE@A..B, e.g. city-buildings:load_kw@2026-11-25T08:00:00+08:00..2026-11-25T18:00:00+08:00, got '" +
                          text + "'");
  }
  gt::runtime::TimeChangeRequest r;
  r.layerId = text.substr(0, colon);
  r.attribute = text.substr(colon + 1, at - colon - 1);
  auto a = gt::parseIsoTime(text.substr(at + 1, dots - at - 1));
  if (!a) return gt::Status(a.status().code(), "--compare-times A: " + a.status().message());
  auto b = gt::parseIsoTime(text.substr(dots + 2));
  if (!b) return gt::Status(b.status().code(), "--compare-times B: " + b.status().message());
  r.a = *a;
  r.b = *b;
  return r;
}

bool parseSize(const std::string& text, int& width, int& height) {
  const auto x = text.find('x');
  if (x == std::string::npos) return false;
  try {
    width = std::stoi(text.substr(0, x));
    height = std::stoi(text.substr(x + 1));
  } catch (const std::exception&) {
    return false;
  }
  return width > 0 && height > 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"GreenTwin - a 3D digital twin of a city, configured by one TOML file (docs/config.md)"};
  app.set_version_flag("--version", "greentwin 0.1.0");
  std::string configPath;
  std::string language;
  app.add_option("-c,--config", configPath, "config file (default: the bundled Tongzhou demo)");
  app.add_option("--lang", language, "interface language: zh or en (default: from the config)")
      ->check(CLI::IsMember({"zh", "en"}));
  std::string projectPath;
  app.add_option("--project", projectPath,
                 "open a project file (docs/workbench.md \"Projects\"); its config unless --config is given")
      ->check(CLI::ExistingFile);
  int maxFrames = 0;
  app.add_option("--frames", maxFrames, "stop after N frames (for smoke tests)")->check(CLI::PositiveNumber);
  std::string statsFile;
  double statsIntervalS = 10;
  app.add_option("--stats-file", statsFile,
                 "append a line of running figures (JSON: frame times, memory, feeds, drops) to FILE every "
                 "--stats-interval-s (docs/benchmarks.md \"Soak\")");
  app.add_option("--stats-interval-s", statsIntervalS, "seconds between --stats-file lines (default 10)")
      ->check(CLI::Range(0.1, 3600.0));
  std::string windowWall;
  std::string wallNode;
  CLI::Option* windowWallOption =
      app.add_option("--wall", windowWall, "run as a node of this wall (docs/wall.md): its tile, as a kiosk")
          ->check(CLI::ExistingFile);
  CLI::Option* wallNodeOption = app.add_option("--node", wallNode, "the wall file's node this window is")
                                    ->needs(windowWallOption);
  windowWallOption->needs(wallNodeOption);

  CLI::App* render = app.add_subcommand("render", "render the twin headless to a PNG (no X server needed)");
  std::string out;
  std::string size = "1280x720";
  std::string bookmark;
  std::string timeText;
  bool noUi = false;
  std::string selectId;
  render->add_option("-o,--out", out, "output PNG file")->required();
  CLI::Option* sizeOption = render->add_option("--size", size, "image size WIDTHxHEIGHT (default 1280x720)");
  std::string wallPath;
  std::string tileText;
  CLI::Option* wallOption =
      render->add_option("--wall", wallPath,
                         "wall file (docs/wall.md): render its whole canvas, or with --tile one tile of it; the size "
                         "is the wall's")
          ->check(CLI::ExistingFile)
          ->excludes(sizeOption);
  render->add_option("--tile", tileText, "the wall's tile COLUMN,ROW to render (0,0 = top left)")->needs(wallOption);
  render->add_option("--camera,--bookmark", bookmark, "camera bookmark id of the config (default: the home view)");
  render->add_option("--time", timeText, "clock time, ISO 8601 (e.g. 2026-11-26T08:00:00+08:00)");
  CLI::Option* noUiFlag = render->add_flag("--no-ui", noUi, "draw the scene only, without the interface");
  bool kiosk = false;
  render->add_flag("--kiosk", kiosk,
                   "draw what a wall node or kiosk display shows: the map, alert banner and status strip, no panels "
                   "(docs/wall.md)")
      ->excludes(noUiFlag);
  bool indicators = false;
  render->add_flag("--indicators", indicators, "open the indicators dashboard (docs/indicators.md)");
  bool indicatorWall = false;
  render->add_flag("--indicator-wall", indicatorWall,
                   "draw the indicators' wall view: large type, the whole image ([display] indicator_wall chooses "
                   "which; docs/indicators.md)")
      ->excludes(noUiFlag);
  std::string areaId;
  render->add_option("--area", areaId,
                     "the dashboard's area: 'district' or a polygon feature's entity id (its outline is drawn)");
  int evidence = 0;
  render->add_option("--evidence", evidence, "show indicator N's evidence layers on the map (docs/indicators.md)")
      ->check(CLI::Range(1, 99));
  std::string replayPath;
  render->add_option("--replay", replayPath,
                     "feed recording (greentwin-feed record) whose samples up to --time are drawn "
                     "(default time: its last sample)")
      ->check(CLI::ExistingFile);
  render->add_option("--select", selectId,
                     "entity id to select (shown in the inspector): <layer id>/<feature id>, "
                     "bim/<layer id>/[storey/]<GUID> or a vehicles layer's prefix and id");
  std::vector<std::string> filterTexts;
  render->add_option("--filter", filterTexts,
                     "LAYER=CONDITION: draw only the layer's features the condition is true for, e.g. "
                     "\"city-buildings=use = 'office' AND height_m > 60\" (docs/workbench.md); repeatable");
  std::string scenarioFile;
  CLI::Option* scenarioOption = render->add_option("--scenario", scenarioFile,
                     "what-if scenario file: its comparison with the baseline in the Scenario panel, its edits on the map")
      ->check(CLI::ExistingFile);
  std::string againstFile;
  render->add_option("--against", againstFile,
                     "with --scenario: a second scenario file (B) the scenario is compared with instead of the baseline")
      ->check(CLI::ExistingFile)
      ->needs(scenarioOption);
  render->add_option("--project", projectPath, "apply a project file once the layers have loaded (its config unless --config is given)")
      ->check(CLI::ExistingFile);
  std::string timeChangeText;
  render->add_option("--compare-times", timeChangeText,
                     "LAYER:ATTRIBUTE@A..B: colour the layer by the change of a live attribute from time A to B "
                     "(docs/workbench.md \"Comparing two times\")");
  std::string unfoldLayer;
  render->add_option("--layer-details", unfoldLayer, "layer id whose details the layer panel shows unfolded");
  // --config and --lang may also be given after 'render'.
  render->add_option("-c,--config", configPath, "config file (default: the bundled Tongzhou demo)");
  render->add_option("--lang", language, "interface language: zh or en")->check(CLI::IsMember({"zh", "en"}));

  const auto keys = gt::viewer::addKeysCommand(app);
  const auto ctl = gt::viewer::addCtlCommand(app);
  const auto report = gt::viewer::addReportCommand(app, configPath);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // `greentwin ctl` promises exit code 2 for a usage error (scripts tell it from the lead's refusal, 1).
    if (code != 0 && gt::viewer::ctlCommandParsed(*ctl)) {
      std::cerr << gt::viewer::ctlCommandsHint(*ctl) << '\n';
      return 2;
    }
    return code;
  }

  // Key management needs no window, config or twin.
  if (gt::viewer::keysCommandParsed(*keys)) return gt::viewer::runKeysCommand(*keys, std::cout, std::cerr);
  // So does steering a wall: the lead node holds the twin.
  if (gt::viewer::ctlCommandParsed(*ctl)) return gt::viewer::runCtlCommand(*ctl, std::cout, std::cerr);

  const gt::runtime::TypeRegistries types = gt::runtime::builtinTypes();
  if (gt::viewer::reportCommandParsed(*report)) {  // checks its arguments before it reads the config
    return gt::viewer::runReportCommand(
        *report, configPath, [&types](const std::string& path) { return readConfig(path, types); }, std::cout,
        std::cerr);
  }
  if (!projectPath.empty() && configPath.empty()) {  // the project's own config
    auto project = gt::loadProject(projectPath);
    if (!project) {
      std::cerr << "greentwin: --project: " << project.status().message() << "\n";
      return 1;
    }
    if (!project->config.empty()) {
      configPath = (std::filesystem::path(projectPath).parent_path() / project->config).lexically_normal().string();
    }
  }
  auto config = readConfig(configPath, types);
  if (!config) {
    std::cerr << "greentwin: " << config.status().message() << "\n";
    return 1;
  }
  std::optional<gt::viewer::Language> lang;
  if (!language.empty()) lang = gt::viewer::languageFromCode(language);

  if (!render->parsed()) {
    gt::viewer::WindowOptions options;
    if (!windowWall.empty()) {
      auto wall = gt::wall::loadWallFile(windowWall);
      if (!wall) {
        std::cerr << "greentwin: --wall: " << wall.status().message() << "\n";
        return 1;
      }
      if (wall->findNode(wallNode) == nullptr) {
        std::cerr << "greentwin: --node: the wall has no node '" << wallNode << "'\n";
        return 1;
      }
      options.wall = std::move(*wall);
      options.wallNode = wallNode;
    }
    // The window starts at once and layers arrive in the background.
    auto twin = gt::runtime::Twin::create(std::move(*config), {}, gt::runtime::LoadMode::Background);
    if (!twin) {
      std::cerr << "greentwin: " << twin.status().message() << "\n";
      return 1;
    }
    options.language = lang;
    options.projectFile = projectPath;
    if (maxFrames > 0) options.maxFrames = maxFrames;
    options.statsFile = statsFile;
    options.statsIntervalS = statsIntervalS;
    return gt::viewer::runWindow(**twin, options);
  }

  // A headless render: every option is checked against the config before a layer loads, so a typo is reported at
  // once, not after minutes of loading.
  gt::viewer::RenderRequest request;
  if (!parseSize(size, request.width, request.height)) {
    std::cerr << "greentwin render: --size must be WIDTHxHEIGHT, got '" << size << "'\n";
    return 1;
  }
  if (!wallPath.empty()) {
    auto wallConfig = gt::wall::loadWallFile(wallPath);
    if (!wallConfig) {
      std::cerr << "greentwin render: --wall: " << wallConfig.status().message() << "\n";
      return 1;
    }
    gt::viewer::WallRender wall{wallConfig->layout, std::nullopt};
    if (!tileText.empty()) {
      auto tile = gt::wall::parseTileId(tileText);
      if (tile && !wall.layout.contains(*tile)) {
        tile = gt::Status(gt::ErrorCode::OutOfRange, "tile " + tileText + " is outside the " +
                                                         std::to_string(wall.layout.columns) + "x" +
                                                         std::to_string(wall.layout.rows) + " wall");
      }
      if (!tile) {
        std::cerr << "greentwin render: --tile: " << tile.status().message() << "\n";
        return 1;
      }
      wall.tile = *tile;
    }
    request.wall = wall;
  }
  request.drawUi = !noUi;
  request.kiosk = kiosk;
  request.indicatorPanel = indicators;
  request.indicatorWall = indicatorWall;
  request.indicatorArea = areaId;
  request.evidenceIndicator = evidence;
  request.bookmark = bookmark;
  request.language = lang;
  request.unfoldLayer = unfoldLayer;
  request.scenarioFile = scenarioFile;
  request.againstScenarioFile = againstFile;
  request.projectFile = projectPath;
  if (!timeChangeText.empty()) {
    auto change = parseTimeChange(timeChangeText);
    if (!change) {
      std::cerr << "greentwin render: " << change.status().message() << "\n";
      return 1;
    }
    request.timeChange = *change;
  }
  for (const std::string& f : filterTexts) {
    const auto eq = f.find('=');
    if (eq == std::string::npos || eq == 0) {
      std::cerr << "greentwin render: --filter: expected LAYER=CONDITION, got '" << f << "'\n";
      return 1;
    }
    request.filters.emplace_back(f.substr(0, eq), f.substr(eq + 1));
  }
  if (!timeText.empty()) {
    auto t = gt::parseIsoTime(timeText);
    if (!t) {
      std::cerr << "greentwin render: --time: " << t.status().message() << "\n";
      return 1;
    }
    request.time = *t;
  }
  if (!bookmark.empty()) {
    if (gt::Status s = gt::viewer::checkBookmark(*config, bookmark); !s) {
      std::cerr << "greentwin render: --camera: " << s.message() << "\n";
      return 1;
    }
  }
  if (!selectId.empty()) {
    if (gt::Status s = gt::viewer::checkEntityIdForm(*config, types.layers, selectId); !s) {
      std::cerr << "greentwin render: --select: " << s.message() << "\n";
      return 1;
    }
  }

  // The headless render waits for the layers, printing progress lines.
  auto twin = gt::runtime::Twin::create(std::move(*config), {}, gt::runtime::LoadMode::Background);
  if (!twin) {
    std::cerr << "greentwin: " << twin.status().message() << "\n";
    return 1;
  }
  const gt::Status loaded = (*twin)->waitUntilLoaded(std::chrono::minutes(10), [](const auto& progress) {
    for (const gt::runtime::LoadProgress& p : progress) {
      if (p.layerId.empty()) continue;
      std::cout << "loading " << p.layerId << ": " << p.stage << " " << static_cast<int>(p.fraction * 100) << "%\n";
    }
  });
  if (!loaded) {
    std::cerr << "greentwin render: " << loaded.message() << "\n";
    return 1;
  }
  if (!replayPath.empty()) {  // the recorded feeds, up to the render's time, into the value store
    auto replayed = (*twin)->replayRecording(replayPath, request.time.value_or(gt::kNoTime));
    if (!replayed) {
      std::cerr << "greentwin render: --replay: " << replayed.status().message() << "\n";
      return 1;
    }
    if (!replayed->damage.isOk()) std::cerr << "greentwin render: --replay: " << replayed->damage.message() << "\n";
    if (!request.time && replayed->samples > 0) request.time = replayed->lastSampleTime;
    std::cout << "replayed " << replayed->samples << " samples from " << replayed->accepted << " messages";
    if (replayed->refused() > 0) std::cout << " (" << replayed->refused() << " messages refused)";
    std::cout << "\n";
  }
  if (!selectId.empty()) {  // the id has a valid form; now whether the entity exists (vehicles: after the replay)
    auto index = (*twin)->entities().find(selectId);
    if (!index) {
      std::cerr << "greentwin render: --select: no entity '" << selectId << "'\n";
      return 1;
    }
    request.selected = *index;
  }
  auto image = gt::viewer::renderOffscreen(**twin, request);
  if (!image) {
    std::cerr << "greentwin render: " << image.status().message() << "\n";
    return 1;
  }
  if (gt::Status s = gt::viewer::writePng(**image, out); !s) {
    std::cerr << "greentwin render: " << s.message() << "\n";
    return 1;
  }
  std::cout << "wrote " << out << " (" << (*image)->s() << "x" << (*image)->t() << ")\n";
  return 0;
}
