#pragma once
// The wall's control protocol (docs/wall.md "Control"): one JSON object per request, one per reply, sent to the lead
// node's control endpoint (ControlServer) by `greentwin ctl` (ControlClient) or any ZeroMQ REQ/DEALER client.
//
//   request   {"cmd":"goto","bookmark":"canal"}
//   reply     {"ok":true, ...fields of the command}    or    {"ok":false,"error":"<what is wrong, naming it>"}
//
// Requests come from the network, so parsing is strict and never throws: a size cap, malformed JSON (with the
// line and column), an unknown command (listing the known ones), a missing, ill-typed or out-of-range argument (naming
// it) and unknown extra keys are each an InvalidArgument error whose message is the reply's "error" text.
// Pure functions of their arguments: any thread.

#include <cstddef>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt::wall {

// Requests longer than this are refused with an error reply (ControlServer also drops frames over 64 KiB unread).
inline constexpr std::size_t kMaxControlRequestBytes = 16 * 1024;
// Ids (bookmarks, tours, layers, alerts) are 1..kMaxControlIdLength printable characters.
inline constexpr std::size_t kMaxControlIdLength = 256;
// set_rate: twin seconds per wall second, non-zero, |rate| <= kMaxControlRate (negative plays backwards).
inline constexpr double kMaxControlRate = 100000.0;
// screenshot: each side 16..16384 pixels when given.
inline constexpr int kMinScreenshotSide = 16;
inline constexpr int kMaxScreenshotSide = 16384;

struct GotoCommand {  // fly the camera to a bookmark of the config (ends a running tour)
  std::string bookmark;
  bool operator==(const GotoCommand&) const = default;
};
struct TourStartCommand {  // start a tour of the wall file from its first stop
  std::string tour;
  bool operator==(const TourStartCommand&) const = default;
};
struct TourStopCommand {
  bool operator==(const TourStopCommand&) const = default;
};
struct TourPauseCommand {
  bool operator==(const TourPauseCommand&) const = default;
};
struct TourResumeCommand {
  bool operator==(const TourResumeCommand&) const = default;
};
struct TourStepCommand {  // the next (+1) or previous (-1) stop
  int delta = 1;
  bool operator==(const TourStepCommand&) const = default;
};
struct SetTimeCommand {  // the clock to this instant (paused there, or playing on from it); at or after now: live
  TimePoint time = 0;
  bool operator==(const SetTimeCommand&) const = default;
};
struct SetRateCommand {  // playback rate, twin seconds per wall second
  double rate = 1;
  bool operator==(const SetRateCommand&) const = default;
};
struct PlayCommand {
  bool operator==(const PlayCommand&) const = default;
};
struct PauseCommand {
  bool operator==(const PauseCommand&) const = default;
};
struct LiveCommand {  // the clock back to live (now, the range following it)
  bool operator==(const LiveCommand&) const = default;
};
struct LayerCommand {  // show_layer (visible) / hide_layer
  std::string layer;
  bool visible = true;
  bool operator==(const LayerCommand&) const = default;
};
struct AckAlertCommand {
  std::string alert;
  bool operator==(const AckAlertCommand&) const = default;
};
struct ShowAlertCommand {  // fly to an active alert's entity, show it for the wall's alert_dwell_s, fly back
  std::string alert;
  bool operator==(const ShowAlertCommand&) const = default;
};
struct ScreenshotCommand {  // the whole canvas; a size scales it (both or neither)
  std::optional<int> width;
  std::optional<int> height;
  bool operator==(const ScreenshotCommand&) const = default;
};
struct StatusCommand {
  bool operator==(const StatusCommand&) const = default;
};

using ControlCommand = std::variant<GotoCommand, TourStartCommand, TourStopCommand, TourPauseCommand, TourResumeCommand,
                                    TourStepCommand, SetTimeCommand, SetRateCommand, PlayCommand, PauseCommand,
                                    LiveCommand, LayerCommand, AckAlertCommand, ShowAlertCommand, ScreenshotCommand,
                                    StatusCommand>;

// "goto, tour_start, tour_stop, ..." : every command name, in the order of the documentation.
std::string knownControlCommands();
// The request's "cmd" name of a command ("show_layer" or "hide_layer" for a LayerCommand).
std::string commandName(const ControlCommand& command);

// Parses and checks one request (see the top of this file). The error message is meant for the reply as it is.
Result<ControlCommand> parseControlCommand(std::string_view text);
// The request text of a command (compact JSON, keys as documented); parseControlCommand reads it back equal.
std::string encodeControlCommand(const ControlCommand& command);

// Replies. `fields` must be a JSON object (null: none); its "ok" key, if any, is overridden.
std::string okReply();
std::string okReply(const nlohmann::json& fields);
std::string errorReply(std::string_view message);

// A reply as read by a client.
struct ControlReply {
  bool ok = false;
  std::string error;  // the "error" text when !ok
  std::string text;   // the whole reply as received (JSON)
};
// Checks that `text` is a JSON object with a boolean "ok" (and a string "error" when false).
Result<ControlReply> parseControlReply(std::string_view text);

}  // namespace gt::wall
