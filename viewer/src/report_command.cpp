#include "report_command.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>
#include <ostream>
#include <utility>

#include "greentwin/core/time.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/option_checks.hpp"
#include "report_builder.hpp"
#include "report_folder.hpp"
#include "report_text.hpp"
#include "report_trend.hpp"

namespace gt::viewer {

struct ReportCommand {
  CLI::App* app = nullptr;
  std::string out;
  std::string time;
  std::string area = "district";
  std::string language;
  std::string replay;
  double trendHours = 24;
  std::string mapSize = "1200x1000";
  bool noMaps = false;
  std::string scenario;
  std::string against;
};

namespace {

constexpr int kBadArguments = 2;
constexpr int kFailed = 1;

bool parseSize(const std::string& text, int& width, int& height) {
  const auto x = text.find('x');
  if (x == std::string::npos) return false;
  try {
    std::size_t used = 0;
    width = std::stoi(text.substr(0, x), &used);
    if (used != x) return false;
    height = std::stoi(text.substr(x + 1), &used);
    if (used != text.size() - x - 1) return false;
  } catch (const std::exception&) {
    return false;
  }
  return width >= 16 && height >= 16 && width <= 8192 && height <= 8192;
}

// The arguments checked before anything loads; false with a message on `err` when one is bad.
bool checkArguments(const ReportCommand& c, ReportOptions& options, std::optional<TimePoint>& time, std::ostream& err) {
  const auto bad = [&err](const std::string& message) {
    err << "greentwin report: " << message << "\n";
    return false;
  };
  if (!c.language.empty() && c.language != "zh" && c.language != "en") {
    return bad("--lang: unknown language '" + c.language + "' (zh or en)");
  }
  if (!c.time.empty()) {
    auto t = parseIsoTime(c.time);
    if (!t) return bad("--time: '" + c.time + "' is not a time: " + t.status().message());
    time = *t;
  }
  if (c.area.empty()) return bad("--area: empty (give 'district' or a polygon feature's entity id)");
  if (!c.replay.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(c.replay, ec)) return bad("--replay: no recording file '" + c.replay + "'");
    if (!std::ifstream(c.replay, std::ios::binary)) return bad("--replay: cannot read '" + c.replay + "'");
  }
  if (!(c.trendHours >= 0 && c.trendHours <= 24 * 366)) return bad("--trend-hours: must be 0..8784");
  options.trendSpan = static_cast<Duration>(c.trendHours * 3600.0 * kMicrosPerSecond);
  if (!parseSize(c.mapSize, options.mapWidth, options.mapHeight)) {
    return bad("--map-size: must be WIDTHxHEIGHT (16..8192 each), got '" + c.mapSize + "'");
  }
  options.maps = !c.noMaps;
  if (!c.scenario.empty()) {  // read and checked before the twin loads: a bad file costs no minutes
    auto scenario = loadScenario(c.scenario);
    if (!scenario) return bad("--scenario: " + scenario.status().message());
    options.scenario = std::move(*scenario);
    options.scenarioFile = c.scenario;
  }
  if (!c.against.empty()) {
    if (c.scenario.empty()) return bad("--against: compares --scenario with another scenario; give --scenario too");
    auto against = loadScenario(c.against);
    if (!against) return bad("--against: " + against.status().message());
    options.against = std::move(*against);
    options.againstFile = c.against;
  }
  return true;
}

}  // namespace

std::shared_ptr<ReportCommand> addReportCommand(CLI::App& app, std::string& configPath) {
  auto c = std::make_shared<ReportCommand>();
  c->app = app.add_subcommand("report", "write the programme's 18 indicators as a report: indicators.csv, "
                                        "indicators.json, report.html with charts and maps (docs/indicators.md)");
  CLI::App& r = *c->app;
  r.add_option("-o,--out", c->out, "output folder (created when missing)")->required();
  r.add_option("--time", c->time, "clock time, ISO 8601 (default: the recording's last sample, else now)");
  r.add_option("--area", c->area, "area: 'district' (default) or a polygon feature's entity id "
                                  "(<layer id>/<feature id>, e.g. water-dmas/dma/000001)");
  r.add_option("--lang", c->language, "report language: zh or en (default: the config's)");
  r.add_option("--replay", c->replay, "feed recording replayed up to --time (greentwin-sim --record, greentwin-feed record)");
  r.add_option("--trend-hours", c->trendHours, "computed indicators' trend: hourly over this many hours before the "
                                               "time (default 24; 0: none)");
  r.add_option("--map-size", c->mapSize, "evidence map images WIDTHxHEIGHT (default 1200x1000)");
  r.add_flag("--no-maps", c->noMaps, "leave the evidence maps out (no EGL needed)");
  r.add_option("--scenario", c->scenario, "what-if scenario file (docs/workbench.md \"Scenarios\"): its indicators "
                                          "beside the baseline's, in scenario.csv, indicators.json and report.html");
  r.add_option("--against", c->against, "a second scenario file: --scenario is compared with it instead of the "
                                        "baseline (two scenarios side by side)");
  r.add_option("-c,--config", configPath, "config file (default: the bundled Tongzhou demo)");
  r.add_option("config", configPath, "config file (as --config)");
  return c;
}

bool reportCommandParsed(const ReportCommand& command) { return command.app != nullptr && command.app->parsed(); }

int runReportCommand(const ReportCommand& c, const std::string& configPath, const ConfigReader& readConfig,
                     std::ostream& out, std::ostream& err) {
  const auto started = std::chrono::steady_clock::now();
  ReportOptions options;
  std::optional<TimePoint> time;
  if (!checkArguments(c, options, time, err)) return kBadArguments;
  auto folder = ReportFolder::open(c.out);
  if (!folder) {
    err << "greentwin report: --out: " << folder.status().message() << "\n";
    return kBadArguments;
  }

  auto config = readConfig(configPath);
  if (!config) {
    err << "greentwin report: " << config.status().message() << "\n";
    return kFailed;
  }
  // --area: its form against the config's layers before anything loads (a layer the config lacks), the entity
  // itself once the twin has loaded below.
  if (c.area != runtime::kDistrictAreaId) {
    const runtime::TypeRegistries types = runtime::builtinTypes();
    if (Status s = checkEntityIdForm(*config, types.layers, c.area); !s) {
      err << "greentwin report: --area: " << s.message() << "\n";
      return kBadArguments;
    }
  }
  options.configPath = config->path;
  options.language = c.language.empty() ? languageFromCode(config->display.language) : languageFromCode(c.language);
  out << "building the twin (" << config->path << ")\n" << std::flush;
  auto twin = runtime::Twin::create(std::move(*config), {}, runtime::LoadMode::Synchronous);
  if (!twin) {
    err << "greentwin report: " << twin.status().message() << "\n";
    return kFailed;
  }
  // The area after the layers loaded (a feature's polygons come from its layer), before the minutes of a replay:
  // an unknown entity or one that is no polygon is a bad argument, as the checks before loading.
  auto area = (*twin)->indicatorArea(c.area);
  if (!area) {
    err << "greentwin report: --area: " << area.status().message() << "\n";
    return kBadArguments;
  }
  options.area = std::move(*area);
  if (!c.replay.empty()) {  // the recorded feeds, up to the report's time, into the value store
    auto replayed = (*twin)->replayRecording(c.replay, time.value_or(kNoTime));
    if (!replayed) {
      err << "greentwin report: --replay: " << replayed.status().message() << "\n";
      return kFailed;
    }
    if (!replayed->damage.isOk()) err << "greentwin report: --replay: " << replayed->damage.message() << "\n";
    if (!time && replayed->samples > 0) time = replayed->lastSampleTime;
    options.replayPath = std::filesystem::absolute(c.replay).string();
    out << "replayed " << replayed->samples << " samples from " << replayed->accepted << " messages\n";
  }
  options.time = time.value_or(wallNow());

  auto report = buildReport(**twin, options, (*folder)->staging(), out);
  if (!report) {
    err << "greentwin report: " << report.status().message() << "\n";
    return kFailed;
  }
  if (Status s = writeReportFiles(*report, **folder); !s) {
    err << "greentwin report: " << s.message() << "\n";
    return kFailed;
  }
  std::size_t computed = 0, withValue = 0, maps = 0;
  for (const ReportIndicator& i : report->indicators) {
    computed += i.computed() ? 1 : 0;
    withValue += i.computed() && i.row.value ? 1 : 0;
  }
  for (const ReportMap& m : report->maps) maps += m.file.empty() ? 0 : 1;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char took[32];
  std::snprintf(took, sizeof took, "%.1f", seconds);
  out << "wrote " << (std::filesystem::path(c.out) / "report.html").string() << ": " << report->indicators.size()
      << " indicators (" << computed << " computed, " << withValue << " with a value), " << maps << " maps, at "
      << reportIsoTime(report->time) << ", in " << took << " s\n";
  return 0;
}

}  // namespace gt::viewer
