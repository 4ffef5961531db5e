#pragma once
// `greentwin ctl ...`: steer a running video wall through its lead node's control endpoint (docs/wall.md
// "Control (greentwin ctl)").
//   greentwin ctl --wall FILE [--key KEYFILE] [--endpoint EP] [--timeout MS] <command>
//     goto BOOKMARK | tour start|stop|pause|resume|next|prev [ID] | time ISO | rate X | play | pause
//     layer show|hide ID | ack ALERT | show-alert ALERT | screenshot [--size WxH] | status | send JSON
// Prints the lead's reply. Exit codes: 0 the lead applied it, 1 the lead answered with an error, 2 no answer, or a
// usage, wall file or key problem found before sending. It runs without a window, a config or the twin.

#include <iosfwd>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace gt::viewer {

struct CtlCommand;

// Registers the `ctl` subcommand on `app` (the main thread, before parsing).
std::shared_ptr<CtlCommand> addCtlCommand(CLI::App& app);
// After parsing: whether `ctl` was given.
bool ctlCommandParsed(const CtlCommand& command);
// "greentwin ctl: the commands are goto, tour, ...": what a usage error adds (CLI11 says only "A subcommand is
// required" for a missing or unknown command).
std::string ctlCommandsHint(const CtlCommand& command);
// Sends the parsed command and prints the reply to `out` (errors to `err`). Returns the exit code.
int runCtlCommand(const CtlCommand& command, std::ostream& out, std::ostream& err);

}  // namespace gt::viewer
