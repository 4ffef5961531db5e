#include "ctl_command.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <ostream>
#include <stdexcept>
#include <string>
#include <variant>

#include "greentwin/wall/control_client.hpp"
#include "greentwin/wall/control_protocol.hpp"
#include "greentwin/wall/wall_file.hpp"

namespace gt::viewer {

namespace {
constexpr int kExitOk = 0;
constexpr int kExitRefused = 1;   // the lead answered with an error
constexpr int kExitNoAnswer = 2;  // no answer, or a problem found before sending
}  // namespace

struct CtlCommand {
  CLI::App* ctl = nullptr;
  // One per command line form; the one parsed builds the request.
  CLI::App* go = nullptr;
  CLI::App* tour = nullptr;
  CLI::App* tourStart = nullptr;
  CLI::App* tourStop = nullptr;
  CLI::App* tourPause = nullptr;
  CLI::App* tourResume = nullptr;
  CLI::App* tourNext = nullptr;
  CLI::App* tourPrev = nullptr;
  CLI::App* time = nullptr;
  CLI::App* rate = nullptr;
  CLI::App* play = nullptr;
  CLI::App* pause = nullptr;
  CLI::App* live = nullptr;
  CLI::App* layer = nullptr;
  CLI::App* layerShow = nullptr;
  CLI::App* layerHide = nullptr;
  CLI::App* ack = nullptr;
  CLI::App* showAlert = nullptr;
  CLI::App* screenshot = nullptr;
  CLI::App* status = nullptr;
  CLI::App* send = nullptr;

  std::string wallFile;
  std::string keyFile;
  std::string endpoint;
  int timeoutMs = 0;  // 0: 3000, or 30000 for a screenshot (the lead renders the whole canvas first)
  std::string argument;  // the bookmark, tour, time, layer, alert or raw JSON
  double rateValue = 1;
  std::string size;
};

std::shared_ptr<CtlCommand> addCtlCommand(CLI::App& app) {
  auto c = std::make_shared<CtlCommand>();
  c->ctl = app.add_subcommand("ctl", "steer a running video wall through its lead node (docs/wall.md)");
  c->ctl->require_subcommand(1);
  c->ctl->fallthrough();  // --wall and --key may also follow the command
  c->ctl->add_option("--wall", c->wallFile, "the wall file (its control endpoint and lead key)")->required();
  c->ctl
      ->add_option("--key", c->keyFile,
                   "your operator key file, admitted in the wall's allowed_keys (greentwin keys generate / allow)")
      ->envname("GREENTWIN_CTL_KEY");
  c->ctl->add_option("--endpoint", c->endpoint,
                     "the lead's control endpoint when the wall file's is not reachable as written (e.g. bound to *)");
  c->ctl->add_option("--timeout", c->timeoutMs, "milliseconds to wait for the lead's answer (default 3000; 30000 for a screenshot)")
      ->check(CLI::Range(1, 600000));

  c->go = c->ctl->add_subcommand("goto", "fly the camera to a bookmark (ends a running tour)");
  c->go->add_option("bookmark", c->argument, "bookmark id of the config")->required();

  c->tour = c->ctl->add_subcommand("tour", "play the wall file's tours");
  c->tour->require_subcommand(1);
  c->tourStart = c->tour->add_subcommand("start", "start a tour from its first stop");
  c->tourStart->add_option("id", c->argument, "tour id ([[tours]] of the wall file)")->required();
  c->tourStop = c->tour->add_subcommand("stop", "end the tour (the camera stays)");
  c->tourPause = c->tour->add_subcommand("pause", "hold the tour where it is");
  c->tourResume = c->tour->add_subcommand("resume", "continue a paused tour");
  c->tourNext = c->tour->add_subcommand("next", "fly on to the next stop");
  c->tourPrev = c->tour->add_subcommand("prev", "fly back to the previous stop");

  c->time = c->ctl->add_subcommand("time", "set the clock");
  c->time->add_option("time", c->argument, "ISO 8601, e.g. 2026-11-26T08:00:00+08:00")->required();
  c->rate = c->ctl->add_subcommand("rate", "set the playback rate (twin seconds per second; negative: backwards)");
  c->rate->add_option("rate", c->rateValue, "e.g. 60")->required();
  c->play = c->ctl->add_subcommand("play", "play the clock");
  c->pause = c->ctl->add_subcommand("pause", "pause the clock");
  c->live = c->ctl->add_subcommand("live", "the clock back to live (now)");

  c->layer = c->ctl->add_subcommand("layer", "show or hide a layer");
  c->layer->require_subcommand(1);
  c->layerShow = c->layer->add_subcommand("show", "show a layer");
  c->layerShow->add_option("id", c->argument, "layer id")->required();
  c->layerHide = c->layer->add_subcommand("hide", "hide a layer");
  c->layerHide->add_option("id", c->argument, "layer id")->required();

  c->ack = c->ctl->add_subcommand("ack", "acknowledge an alert");
  c->ack->add_option("alert", c->argument, "alert id")->required();
  c->showAlert = c->ctl->add_subcommand("show-alert", "fly to an alert's entity, show it a while, fly back");
  c->showAlert->add_option("alert", c->argument, "alert id")->required();
  c->screenshot = c->ctl->add_subcommand("screenshot", "the lead saves the whole canvas as a PNG");
  c->screenshot->add_option("--size", c->size, "scale it to WIDTHxHEIGHT");
  c->status = c->ctl->add_subcommand("status", "the wall's state: clock, camera, tour, nodes");
  c->send = c->ctl->add_subcommand("send", "send a raw JSON request (docs/wall.md lists them)");
  c->send->add_option("json", c->argument, "e.g. '{\"cmd\":\"goto\",\"bookmark\":\"canal\"}'")->required();
  return c;
}

bool ctlCommandParsed(const CtlCommand& command) { return command.ctl != nullptr && command.ctl->parsed(); }

std::string ctlCommandsHint(const CtlCommand& command) {
  std::string names;
  for (const CLI::App* sub : command.ctl->get_subcommands([](CLI::App*) { return true; })) {
    names += (names.empty() ? "" : ", ") + sub->get_name();
  }
  return "greentwin ctl: the commands are " + names + " (greentwin ctl --help; docs/wall.md \"Commands\")";
}

namespace {

// The request of the parsed command line as JSON text (the protocol's own encoding), or why it cannot be built.
Result<std::string> requestOf(const CtlCommand& c) {
  using namespace gt::wall;
  if (c.send->parsed()) return c.argument;  // as written: the lead checks it
  nlohmann::json j;
  if (c.go->parsed()) j = {{"cmd", "goto"}, {"bookmark", c.argument}};
  if (c.tourStart->parsed()) j = {{"cmd", "tour_start"}, {"tour", c.argument}};
  if (c.tourStop->parsed()) j = {{"cmd", "tour_stop"}};
  if (c.tourPause->parsed()) j = {{"cmd", "tour_pause"}};
  if (c.tourResume->parsed()) j = {{"cmd", "tour_resume"}};
  if (c.tourNext->parsed()) j = {{"cmd", "tour_step"}, {"delta", 1}};
  if (c.tourPrev->parsed()) j = {{"cmd", "tour_step"}, {"delta", -1}};
  if (c.time->parsed()) j = {{"cmd", "set_time"}, {"time", c.argument}};
  if (c.rate->parsed()) j = {{"cmd", "set_rate"}, {"rate", c.rateValue}};
  if (c.play->parsed()) j = {{"cmd", "play"}};
  if (c.pause->parsed()) j = {{"cmd", "pause"}};
  if (c.live->parsed()) j = {{"cmd", "live"}};
  if (c.layerShow->parsed()) j = {{"cmd", "show_layer"}, {"layer", c.argument}};
  if (c.layerHide->parsed()) j = {{"cmd", "hide_layer"}, {"layer", c.argument}};
  if (c.ack->parsed()) j = {{"cmd", "ack_alert"}, {"alert", c.argument}};
  if (c.showAlert->parsed()) j = {{"cmd", "show_alert"}, {"alert", c.argument}};
  if (c.status->parsed()) j = {{"cmd", "status"}};
  if (c.screenshot->parsed()) {
    j = {{"cmd", "screenshot"}};
    if (!c.size.empty()) {
      const auto x = c.size.find('x');
      try {
        if (x == std::string::npos) throw std::invalid_argument("no x");
        std::size_t widthUsed = 0;
        std::size_t heightUsed = 0;
        j["width"] = std::stoi(c.size.substr(0, x), &widthUsed);
        j["height"] = std::stoi(c.size.substr(x + 1), &heightUsed);
        if (widthUsed != x || heightUsed != c.size.size() - x - 1) throw std::invalid_argument("trailing text");
      } catch (const std::exception&) {
        return Status(ErrorCode::InvalidArgument, "--size must be WIDTHxHEIGHT, got '" + c.size + "'");
      }
    }
  }
  // Checked here as the lead will check it, so that a typo is reported without a round trip.
  const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  auto command = parseControlCommand(text);
  if (!command) return command.status();
  return encodeControlCommand(*command);
}

}  // namespace

int runCtlCommand(const CtlCommand& command, std::ostream& out, std::ostream& err) {
  auto request = requestOf(command);
  if (!request) {
    err << "greentwin ctl: " << request.status().message() << "\n";
    return kExitNoAnswer;
  }
  auto wall = wall::loadWallFile(command.wallFile);
  if (!wall) {
    err << "greentwin ctl: " << wall.status().message() << "\n";
    return kExitNoAnswer;
  }
  wall::ControlClientOptions options = wall::controlClientOptions(*wall, command.keyFile);
  if (!command.endpoint.empty()) options.endpoint = command.endpoint;
  auto client = wall::ControlClient::connect(options);
  if (!client) {
    err << "greentwin ctl: " << client.status().message() << "\n";
    return kExitNoAnswer;
  }
  const auto parsed = wall::parseControlCommand(*request);
  const bool screenshot = parsed && std::holds_alternative<wall::ScreenshotCommand>(*parsed);
  const int timeoutMs = command.timeoutMs > 0 ? command.timeoutMs : screenshot ? 30000 : 3000;
  auto reply = (*client)->send(*request, timeoutMs);
  if (!reply) {
    err << "greentwin ctl: " << reply.status().message() << "\n";
    return kExitNoAnswer;
  }
  if (!reply->ok) {
    err << "greentwin ctl: the lead refused it: " << reply->error << "\n";
    return kExitRefused;
  }
  // The reply pretty-printed (it parsed as a JSON object in parseControlReply).
  out << nlohmann::json::parse(reply->text, nullptr, false)
             .dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
      << "\n";
  return kExitOk;
}

}  // namespace gt::viewer
