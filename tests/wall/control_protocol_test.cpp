#include "greentwin/wall/control_protocol.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace gt::wall {
namespace {

using ::testing::HasSubstr;

ControlCommand parsed(const std::string& text) {
  auto c = parseControlCommand(text);
  EXPECT_TRUE(c.isOk()) << text << ": " << c.status().message();
  return c.isOk() ? *c : ControlCommand(StatusCommand{});
}

std::string errorOf(const std::string& text) {
  auto c = parseControlCommand(text);
  EXPECT_FALSE(c.isOk()) << text << " was accepted";
  return c.isOk() ? std::string() : c.status().message();
}

TEST(ControlProtocol, ParsesEveryCommand) {
  EXPECT_EQ(parsed(R"({"cmd":"goto","bookmark":"canal"})"), ControlCommand(GotoCommand{"canal"}));
  EXPECT_EQ(parsed(R"({"cmd":"tour_start","tour":"morning"})"), ControlCommand(TourStartCommand{"morning"}));
  EXPECT_EQ(parsed(R"({"cmd":"tour_stop"})"), ControlCommand(TourStopCommand{}));
  EXPECT_EQ(parsed(R"({"cmd":"tour_pause"})"), ControlCommand(TourPauseCommand{}));
  EXPECT_EQ(parsed(R"({"cmd":"tour_resume"})"), ControlCommand(TourResumeCommand{}));
  EXPECT_EQ(parsed(R"({"cmd":"tour_step","delta":-1})"), ControlCommand(TourStepCommand{-1}));
  EXPECT_EQ(parsed(R"({"cmd":"tour_step","delta":1})"), ControlCommand(TourStepCommand{1}));
  // 2026-11-26T08:00:00+08:00 = 00:00 UTC = 1795651200 s since 1970 (20417 days * 86400).
  EXPECT_EQ(parsed(R"({"cmd":"set_time","time":"2026-11-26T08:00:00+08:00"})"),
            ControlCommand(SetTimeCommand{TimePoint{1795651200} * 1000000}));
  EXPECT_EQ(parsed(R"({"cmd":"set_rate","rate":60})"), ControlCommand(SetRateCommand{60.0}));
  EXPECT_EQ(parsed(R"({"cmd":"set_rate","rate":-0.5})"), ControlCommand(SetRateCommand{-0.5}));
  EXPECT_EQ(parsed(R"({"cmd":"play"})"), ControlCommand(PlayCommand{}));
  EXPECT_EQ(parsed(R"({"cmd":"pause"})"), ControlCommand(PauseCommand{}));
  EXPECT_EQ(parsed(R"({"cmd":"live"})"), ControlCommand(LiveCommand{}));
  EXPECT_EQ(parsed(R"({"cmd":"show_layer","layer":"aq"})"), ControlCommand(LayerCommand{"aq", true}));
  EXPECT_EQ(parsed(R"({"cmd":"hide_layer","layer":"aq"})"), ControlCommand(LayerCommand{"aq", false}));
  EXPECT_EQ(parsed(R"({"cmd":"ack_alert","alert":"a-17"})"), ControlCommand(AckAlertCommand{"a-17"}));
  EXPECT_EQ(parsed(R"({"cmd":"show_alert","alert":"17"})"), ControlCommand(ShowAlertCommand{"17"}));
  EXPECT_EQ(parsed(R"({"cmd":"screenshot"})"), ControlCommand(ScreenshotCommand{}));
  EXPECT_EQ(parsed(R"({"cmd":"screenshot","width":3840,"height":1080})"),
            ControlCommand(ScreenshotCommand{3840, 1080}));
  EXPECT_EQ(parsed(R"(  {"cmd":"status"}  )"), ControlCommand(StatusCommand{}));
}

TEST(ControlProtocol, EncodeReadsBackEqualWithItsName) {
  const ControlCommand commands[]{GotoCommand{"canal"},
                                  TourStartCommand{"t"},
                                  TourStopCommand{},
                                  TourPauseCommand{},
                                  TourResumeCommand{},
                                  TourStepCommand{-1},
                                  SetTimeCommand{1795651200000000},
                                  SetRateCommand{2.5},
                                  PlayCommand{},
                                  PauseCommand{},
                                  LiveCommand{},
                                  LayerCommand{"l", true},
                                  LayerCommand{"l", false},
                                  AckAlertCommand{"a"},
                                  ShowAlertCommand{"b"},
                                  ScreenshotCommand{640, 360},
                                  ScreenshotCommand{},
                                  StatusCommand{}};
  const char* names[]{"goto",      "tour_start", "tour_stop",  "tour_pause", "tour_resume", "tour_step",
                      "set_time",  "set_rate",   "play",       "pause",      "live",        "show_layer",
                      "hide_layer", "ack_alert", "show_alert", "screenshot", "screenshot", "status"};
  for (std::size_t i = 0; i < std::size(commands); ++i) {
    EXPECT_EQ(commandName(commands[i]), names[i]);
    const std::string text = encodeControlCommand(commands[i]);
    EXPECT_THAT(text, HasSubstr(std::string("\"cmd\":\"") + names[i] + "\""));
    EXPECT_EQ(parsed(text), commands[i]) << text;
  }
  EXPECT_EQ(encodeControlCommand(GotoCommand{"canal"}), R"({"bookmark":"canal","cmd":"goto"})");
}

TEST(ControlProtocol, UnknownCommandListsTheKnownOnes) {
  EXPECT_EQ(errorOf(R"({"cmd":"fly"})"),
            "unknown command 'fly' (known: goto, tour_start, tour_stop, tour_pause, tour_resume, tour_step, set_time, "
            "set_rate, play, pause, live, show_layer, hide_layer, ack_alert, show_alert, screenshot, status)");
  EXPECT_THAT(errorOf(R"({"bookmark":"canal"})"), HasSubstr("the request has no 'cmd' (one of: goto, "));
  EXPECT_EQ(errorOf(R"({"cmd":7})"), "'cmd' must be a string, got number");
  EXPECT_EQ(errorOf(R"(["goto"])"), "the request must be a JSON object like {\"cmd\":\"status\"}, got array");
}

TEST(ControlProtocol, MalformedJsonSaysWhere) {
  const std::string m = errorOf(R"({"cmd":"goto", bookmark:"x"})");
  EXPECT_THAT(m, HasSubstr("malformed JSON: parse error at line 1, column 16: syntax error while parsing object key"));
  EXPECT_THAT(m, ::testing::Not(HasSubstr("json.exception")));
  EXPECT_THAT(errorOf(""), HasSubstr("malformed JSON: parse error at line 1, column 1: "));
  EXPECT_THAT(errorOf(R"({"cmd":"status")"), HasSubstr("malformed JSON: parse error at line 1, column 16: "));
  // A number beyond a double is the library's out_of_range, not a parse error (found by control_protocol_fuzz);
  // its echo of the digits is cut.
  EXPECT_EQ(errorOf("87755e826583"), "malformed JSON: number overflow parsing '87755e826583'");
  EXPECT_EQ(errorOf(R"({"cmd":"set_rate","rate":1)" + std::string(1000, '0') + "e999}").size(),
            std::string("malformed JSON: ").size() + 200);
}

TEST(ControlProtocol, ArgumentsMissingIllTypedOrOutOfRangeAreNamed) {
  EXPECT_EQ(errorOf(R"({"cmd":"goto"})"), "'goto' needs 'bookmark' (a string)");
  EXPECT_EQ(errorOf(R"({"cmd":"goto","bookmark":3})"), "'goto': 'bookmark' must be a string, got number 3");
  EXPECT_EQ(errorOf(R"({"cmd":"goto","bookmark":""})"), "'goto': 'bookmark' must be 1 to 256 characters long, got 0");
  EXPECT_EQ(errorOf(R"({"cmd":"goto","bookmark":"a\nb"})"), "'goto': 'bookmark' must not hold control characters");
  EXPECT_EQ(errorOf(R"({"cmd":"tour_step","delta":2})"), "'tour_step': 'delta' must be -1..1, got 2");
  EXPECT_EQ(errorOf(R"({"cmd":"tour_step","delta":0})"),
            "'tour_step': 'delta' must be 1 (next stop) or -1 (previous stop), got 0");
  EXPECT_EQ(errorOf(R"({"cmd":"tour_step","delta":1.0})"), "'tour_step': 'delta' must be an integer, got number 1.0");
  EXPECT_EQ(errorOf(R"({"cmd":"tour_step","delta":18446744073709551615})"),
            "'tour_step': 'delta' must be -1..1, got 18446744073709551615");
  EXPECT_THAT(errorOf(R"({"cmd":"set_time","time":"yesterday"})"),
              HasSubstr("'set_time': 'time' is not an ISO 8601 time: "));
  EXPECT_EQ(errorOf(R"({"cmd":"set_rate","rate":0})"),
            "'set_rate': 'rate' must be non-zero and between -100000 and 100000 (use 'pause' to stop the clock)");
  EXPECT_THAT(errorOf(R"({"cmd":"set_rate","rate":1e9})"), HasSubstr("'rate' must be non-zero and between"));
  EXPECT_EQ(errorOf(R"({"cmd":"set_rate","rate":"fast"})"), "'set_rate': 'rate' must be a number, got string \"fast\"");
  EXPECT_EQ(errorOf(R"({"cmd":"screenshot","width":8})"), "'screenshot': 'width' must be 16..16384, got 8");
  EXPECT_EQ(errorOf(R"({"cmd":"screenshot","width":800})"),
            "'screenshot': give both 'width' and 'height', or neither (the whole canvas)");
}

TEST(ControlProtocol, ExtraKeysAreRefused) {
  EXPECT_EQ(errorOf(R"({"cmd":"goto","bookmark":"canal","speed":2})"),
            "'goto' takes no argument 'speed' (its arguments: 'bookmark')");
  EXPECT_EQ(errorOf(R"({"cmd":"status","verbose":true})"),
            "'status' takes no argument 'verbose' (its arguments: none)");
  EXPECT_EQ(errorOf(R"({"cmd":"screenshot","size":1})"),
            "'screenshot' takes no argument 'size' (its arguments: 'width', 'height')");
}

TEST(ControlProtocol, OversizeRequestsAreRefusedBeforeParsing) {
  const std::string big = R"({"cmd":"goto","bookmark":")" + std::string(kMaxControlRequestBytes, 'x') + "\"}";
  EXPECT_EQ(errorOf(big), "request of " + std::to_string(big.size()) + " bytes is over the limit of 16384 bytes");
  // Deep nesting within the cap is malformed or refused, never a crash.
  const std::string deep = std::string(5000, '[') + std::string(5000, ']');
  EXPECT_THAT(errorOf(deep), HasSubstr("must be a JSON object"));
}

TEST(ControlProtocol, Replies) {
  EXPECT_EQ(okReply(), R"({"ok":true})");
  EXPECT_EQ(okReply(nlohmann::json{{"ok", false}, {"tour", "morning"}, {"stop", 2}}),
            R"({"ok":true,"stop":2,"tour":"morning"})");
  EXPECT_EQ(errorReply("no bookmark 'x'"), R"({"error":"no bookmark 'x'","ok":false})");

  auto ok = parseControlReply(R"({"ok":true,"time":"2026-11-26T00:00:00Z"})");
  ASSERT_TRUE(ok.isOk());
  EXPECT_TRUE(ok->ok);
  EXPECT_EQ(ok->text, R"({"ok":true,"time":"2026-11-26T00:00:00Z"})");
  auto err = parseControlReply(errorReply("busy"));
  ASSERT_TRUE(err.isOk());
  EXPECT_FALSE(err->ok);
  EXPECT_EQ(err->error, "busy");
  EXPECT_FALSE(parseControlReply("[1]").isOk());
  EXPECT_FALSE(parseControlReply(R"({"ok":"yes"})").isOk());
}

}  // namespace
}  // namespace gt::wall
