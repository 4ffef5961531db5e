#include "greentwin/wall/control_protocol.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace gt::wall {
namespace {

using nlohmann::json;

// Every command with the arguments it takes, in the documentation's order.
struct CommandSpec {
  std::string_view name;
  std::array<std::string_view, 2> args{};  // empty names: unused
  bool takes(std::string_view key) const { return !key.empty() && (key == args[0] || key == args[1]); }
};
constexpr CommandSpec kCommands[]{
    {"goto", {"bookmark"}},
    {"tour_start", {"tour"}},
    {"tour_stop", {}},
    {"tour_pause", {}},
    {"tour_resume", {}},
    {"tour_step", {"delta"}},
    {"set_time", {"time"}},
    {"set_rate", {"rate"}},
    {"play", {}},
    {"pause", {}},
    {"live", {}},
    {"show_layer", {"layer"}},
    {"hide_layer", {"layer"}},
    {"ack_alert", {"alert"}},
    {"show_alert", {"alert"}},
    {"screenshot", {"width", "height"}},
    {"status", {}},
};

Status bad(std::string message) { return Status(ErrorCode::InvalidArgument, std::move(message)); }

std::string q(std::string_view s) { return "'" + std::string(s) + "'"; }

// The arguments a command may take, as "'a', 'b'" (or "none").
std::string argList(const CommandSpec& spec) {
  std::string out;
  for (std::string_view a : spec.args) {
    if (!a.empty()) out += (out.empty() ? "" : ", ") + q(a);
  }
  return out.empty() ? "none" : out;
}

// Reads one command's arguments from the request object; every problem names the command and the argument.
class Args {
 public:
  Args(const json& request, std::string_view cmd) : request_(request), cmd_(cmd) {}

  Result<std::string> id(std::string_view key) const {
    const json* v = find(key);
    if (v == nullptr) return missing(key, "a string");
    if (!v->is_string()) return illTyped(key, "a string", *v);
    const std::string& s = v->get_ref<const std::string&>();
    if (s.empty() || s.size() > kMaxControlIdLength) {
      return bad(prefix(key) + "must be 1 to " + std::to_string(kMaxControlIdLength) + " characters long, got " +
                 std::to_string(s.size()));
    }
    if (std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; })) {
      return bad(prefix(key) + "must not hold control characters");
    }
    return s;
  }

  Result<double> number(std::string_view key) const {
    const json* v = find(key);
    if (v == nullptr) return missing(key, "a number");
    if (!v->is_number()) return illTyped(key, "a number", *v);
    return v->get<double>();
  }

  // An integer in lo..hi; nullopt when absent and `required` is false.
  Result<std::optional<int>> integer(std::string_view key, int lo, int hi, bool required) const {
    const json* v = find(key);
    if (v == nullptr) {
      if (required) return missing(key, "an integer");
      return std::optional<int>();
    }
    if (!v->is_number_integer()) return illTyped(key, "an integer", *v);
    // Positive integers are unsigned in nlohmann::json: compare without a narrowing conversion.
    const bool inRange = v->is_number_unsigned()
                             ? v->get<std::uint64_t>() <= static_cast<std::uint64_t>(hi) &&
                                   (lo <= 0 || v->get<std::uint64_t>() >= static_cast<std::uint64_t>(lo))
                             : v->get<std::int64_t>() >= lo && v->get<std::int64_t>() <= hi;
    if (!inRange) {
      return bad(prefix(key) + "must be " + std::to_string(lo) + ".." + std::to_string(hi) + ", got " + v->dump());
    }
    return std::optional<int>(v->get<int>());
  }

  std::string prefix(std::string_view key) const { return q(cmd_) + ": " + q(key) + " "; }

 private:
  const json* find(std::string_view key) const {
    const auto it = request_.find(key);
    return it == request_.end() ? nullptr : &*it;
  }
  Status missing(std::string_view key, std::string_view what) const {
    return bad(q(cmd_) + " needs " + q(key) + " (" + std::string(what) + ")");
  }
  Status illTyped(std::string_view key, std::string_view what, const json& v) const {
    return bad(prefix(key) + "must be " + std::string(what) + ", got " + std::string(v.type_name()) + " " +
               v.dump(-1, ' ', true, json::error_handler_t::replace).substr(0, 40));
  }

  const json& request_;
  std::string_view cmd_;
};

template <typename T>
Result<ControlCommand> withId(const Args& args, std::string_view key, T command, std::string T::*field) {
  auto id = args.id(key);
  if (!id) return id.status();
  command.*field = std::move(*id);
  return ControlCommand(std::move(command));
}

Result<ControlCommand> build(std::string_view cmd, const Args& a) {
  if (cmd == "goto") return withId(a, "bookmark", GotoCommand{}, &GotoCommand::bookmark);
  if (cmd == "tour_start") return withId(a, "tour", TourStartCommand{}, &TourStartCommand::tour);
  if (cmd == "tour_stop") return ControlCommand(TourStopCommand{});
  if (cmd == "tour_pause") return ControlCommand(TourPauseCommand{});
  if (cmd == "tour_resume") return ControlCommand(TourResumeCommand{});
  if (cmd == "tour_step") {
    auto delta = a.integer("delta", -1, 1, true);
    if (!delta) return delta.status();
    if (**delta == 0) return bad(a.prefix("delta") + "must be 1 (next stop) or -1 (previous stop), got 0");
    return ControlCommand(TourStepCommand{**delta});
  }
  if (cmd == "set_time") {
    auto text = a.id("time");
    if (!text) return text.status();
    auto t = parseIsoTime(*text);
    if (!t) return bad(a.prefix("time") + "is not an ISO 8601 time: " + t.status().message());
    return ControlCommand(SetTimeCommand{*t});
  }
  if (cmd == "set_rate") {
    auto rate = a.number("rate");
    if (!rate) return rate.status();
    if (*rate == 0.0 || !std::isfinite(*rate) || std::abs(*rate) > kMaxControlRate) {
      return bad(a.prefix("rate") + "must be non-zero and between -" + std::to_string(static_cast<int>(kMaxControlRate)) +
                 " and " + std::to_string(static_cast<int>(kMaxControlRate)) + " (use 'pause' to stop the clock)");
    }
    return ControlCommand(SetRateCommand{*rate});
  }
  if (cmd == "play") return ControlCommand(PlayCommand{});
  if (cmd == "pause") return ControlCommand(PauseCommand{});
  if (cmd == "live") return ControlCommand(LiveCommand{});
  if (cmd == "show_layer" || cmd == "hide_layer") {
    auto layer = a.id("layer");
    if (!layer) return layer.status();
    return ControlCommand(LayerCommand{std::move(*layer), cmd == "show_layer"});
  }
  if (cmd == "ack_alert") return withId(a, "alert", AckAlertCommand{}, &AckAlertCommand::alert);
  if (cmd == "show_alert") return withId(a, "alert", ShowAlertCommand{}, &ShowAlertCommand::alert);
  if (cmd == "screenshot") {
    auto width = a.integer("width", kMinScreenshotSide, kMaxScreenshotSide, false);
    if (!width) return width.status();
    auto height = a.integer("height", kMinScreenshotSide, kMaxScreenshotSide, false);
    if (!height) return height.status();
    if (width->has_value() != height->has_value()) {
      return bad("'screenshot': give both 'width' and 'height', or neither (the whole canvas)");
    }
    return ControlCommand(ScreenshotCommand{*width, *height});
  }
  return ControlCommand(StatusCommand{});  // the caller checked the name
}

// A parse error's message without the library's "[json.exception.parse_error.101] " tag.
std::string parseErrorText(const json::exception& e) {
  std::string what = e.what();
  const auto tag = what.find("] ");
  if (what.rfind("[json.exception", 0) == 0 && tag != std::string::npos) what.erase(0, tag + 2);
  return what;
}

}  // namespace

std::string knownControlCommands() {
  std::string out;
  for (const CommandSpec& c : kCommands) out += (out.empty() ? "" : ", ") + std::string(c.name);
  return out;
}

std::string commandName(const ControlCommand& command) {
  if (const auto* layer = std::get_if<LayerCommand>(&command)) return layer->visible ? "show_layer" : "hide_layer";
  // The variant's order is that of kCommands, less hide_layer (after show_layer).
  const std::size_t i = command.index();
  return std::string(kCommands[i < 12 ? i : i + 1].name);
}

Result<ControlCommand> parseControlCommand(std::string_view text) {
  if (text.size() > kMaxControlRequestBytes) {
    return bad("request of " + std::to_string(text.size()) + " bytes is over the limit of " +
               std::to_string(kMaxControlRequestBytes) + " bytes");
  }
  json request;
  try {
    request = json::parse(text);
  } catch (const json::exception& e) {
    // parse_error: "parse error at line L, column C: ..."; out_of_range: a number beyond a double, echoed by the
    // library, so the text is cut to keep a reply short.
    return bad("malformed JSON: " + parseErrorText(e).substr(0, 200));
  }
  if (!request.is_object()) {
    return bad(std::string("the request must be a JSON object like {\"cmd\":\"status\"}, got ") + request.type_name());
  }
  const auto cmdIt = request.find("cmd");
  if (cmdIt == request.end()) return bad("the request has no 'cmd' (one of: " + knownControlCommands() + ")");
  if (!cmdIt->is_string()) return bad(std::string("'cmd' must be a string, got ") + cmdIt->type_name());
  const std::string& cmd = cmdIt->get_ref<const std::string&>();
  const auto spec =
      std::find_if(std::begin(kCommands), std::end(kCommands), [&cmd](const CommandSpec& c) { return c.name == cmd; });
  if (spec == std::end(kCommands)) {
    return bad("unknown command '" + cmd.substr(0, 64) + "' (known: " + knownControlCommands() + ")");
  }
  for (const auto& [key, value] : request.items()) {
    if (key == "cmd") continue;
    if (!spec->takes(key)) {
      return bad(q(cmd) + " takes no argument " + q(key.substr(0, 64)) + " (its arguments: " + argList(*spec) + ")");
    }
  }
  return build(cmd, Args(request, cmd));
}

std::string encodeControlCommand(const ControlCommand& command) {
  json j{{"cmd", commandName(command)}};
  std::visit(
      [&j](const auto& c) {
        using T = std::decay_t<decltype(c)>;
        if constexpr (std::is_same_v<T, GotoCommand>) j["bookmark"] = c.bookmark;
        if constexpr (std::is_same_v<T, TourStartCommand>) j["tour"] = c.tour;
        if constexpr (std::is_same_v<T, TourStepCommand>) j["delta"] = c.delta;
        if constexpr (std::is_same_v<T, SetTimeCommand>) j["time"] = formatIsoTime(c.time);
        if constexpr (std::is_same_v<T, SetRateCommand>) j["rate"] = c.rate;
        if constexpr (std::is_same_v<T, LayerCommand>) j["layer"] = c.layer;
        if constexpr (std::is_same_v<T, AckAlertCommand> || std::is_same_v<T, ShowAlertCommand>) j["alert"] = c.alert;
        if constexpr (std::is_same_v<T, ScreenshotCommand>) {
          if (c.width) j["width"] = *c.width;
          if (c.height) j["height"] = *c.height;
        }
      },
      command);
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string okReply() { return R"({"ok":true})"; }

std::string okReply(const json& fields) {
  json reply = json::object();
  reply["ok"] = true;
  if (fields.is_object()) {
    for (const auto& [key, value] : fields.items()) {
      if (key != "ok") reply[key] = value;
    }
  }
  return reply.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string errorReply(std::string_view message) {
  const json reply{{"ok", false}, {"error", std::string(message)}};
  return reply.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<ControlReply> parseControlReply(std::string_view text) {
  json reply = json::parse(text, nullptr, false);
  if (reply.is_discarded() || !reply.is_object()) {
    return Status(ErrorCode::ParseError, "the reply is not a JSON object: " + std::string(text.substr(0, 80)));
  }
  const auto ok = reply.find("ok");
  if (ok == reply.end() || !ok->is_boolean()) {
    return Status(ErrorCode::ParseError, "the reply has no boolean 'ok': " + std::string(text.substr(0, 80)));
  }
  ControlReply out;
  out.ok = ok->get<bool>();
  out.text = std::string(text);
  if (!out.ok) {
    const auto error = reply.find("error");
    out.error = error != reply.end() && error->is_string() ? error->get<std::string>() : "(no error text)";
  }
  return out;
}

}  // namespace gt::wall
