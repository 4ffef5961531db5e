#pragma once
// `greentwin report`: the programme's 18 indicators written as a report (docs/indicators.md "Report").
//   greentwin report --out DIR [--time T] [--area ID] [--lang zh|en] [--replay REC] [--trend-hours H]
//                    [--map-size WxH] [--no-maps] [config]
// writes DIR/indicators.csv, DIR/indicators.json, DIR/report.html and DIR/images/*.png. The twin is built headless
// (synchronous load), the recording replayed up to T, the clock paused at T (default: the recording's last sample,
// else now), the indicators computed at T and hourly over the H hours before it (default 24), the evidence maps
// rendered through EGL. Bad arguments (--lang, --time, --area, --out, --replay, --trend-hours, --map-size) exit 2
// with a message naming the option before anything loads (--area: its form; an id no entity has, or one that is no
// polygon, once the twin has loaded, still exit 2); failures later exit 1. Nothing is left half-written.

#include <functional>
#include <iosfwd>
#include <memory>
#include <string>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"

namespace CLI {
class App;
}

namespace gt::viewer {

struct ReportCommand;

// Registers the `report` subcommand on `app` (the main thread, before parsing). Its config (positional or
// --config) is written to `configPath`, shared with the other commands.
std::shared_ptr<ReportCommand> addReportCommand(CLI::App& app, std::string& configPath);
// After parsing: whether `report` was given.
bool reportCommandParsed(const ReportCommand& command);

// Reads the config (path "" = the bundled demo), as the application does for its other commands.
using ConfigReader = std::function<Result<Config>(const std::string& path)>;
// Runs the parsed subcommand; progress to `out`, errors to `err`. Returns the exit code (0 = written, 2 = bad
// arguments, 1 = failed).
int runReportCommand(const ReportCommand& command, const std::string& configPath, const ConfigReader& readConfig,
                     std::ostream& out, std::ostream& err);

}  // namespace gt::viewer
