#pragma once
// What the wall's lead sends its followers every frame (docs/wall.md "Sync between nodes"): everything a follower
// needs to draw the lead's frame — the clock, the camera, the selection, the language, the layers, the indicator
// wall, the tour and the alert banner — and the lead's send time, for latency measurement.
//
// The wire form is a small hand-rolled binary document (little-endian, length-prefixed strings, counts bounded):
//   "GTWF" u16 version u16 flags(0) | frame u64 | clock i64, paused u8, rate f64 | pose 6 x f64 |
//   selected u8 present [str] | language str | indicator wall u8 | layers u16 n x (str id, u8 visible, f32 opacity, u32 look) |
//   tour u8 present [str id, u32 stop, u8 playing] | alerts u16 n x (str id, u8 severity, str en, str zh, u8 ack) |
//   sent steady ns i64, sent system ns i64
// where str = u16 byte length + UTF-8 bytes. Not MessagePack: the decoder never recurses and never allocates more
// than the bounds below allow, whatever the bytes say, so a hostile or broken peer costs a refused message at most.
//
// Pure functions on values: any thread.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/alert.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/wall/camera_pose.hpp"

namespace gt::wall {

// 2: a style number per layer; 3: a look revision per layer instead (layer_look.hpp: the style and filter themselves
// travel in their own message when they change).
inline constexpr std::uint16_t kFrameStateVersion = 3;
inline constexpr std::size_t kMaxFrameStateBytes = 1024 * 1024;  // a message over this is refused unread
inline constexpr std::size_t kMaxFrameLayers = 512;
inline constexpr std::size_t kMaxFrameAlerts = 64;    // the banner's bounded list; the lead sends the newest
inline constexpr std::size_t kMaxFrameIdBytes = 256;  // entity, layer, tour and alert ids
inline constexpr std::size_t kMaxFrameTextBytes = 2048;  // an alert's text, per language
inline constexpr double kMaxClockRate = 1e6;             // |rate|: the clock's speed, twin seconds per second

struct LayerState {
  std::string id;
  bool visible = true;
  float opacity = 1.0F;  // 0..1
  // The revision of the layer's look (its style, attribute filter and drawn values: layer_look.hpp) this frame shows;
  // 0: the look the config gives it (its configured style, no filter).
  std::uint32_t look = 0;
  bool operator==(const LayerState&) const = default;
};

struct TourState {
  std::string id;
  std::uint32_t stopIndex = 0;
  bool playing = false;  // false: paused at stopIndex
  bool operator==(const TourState&) const = default;
};

struct BannerAlert {
  std::string id;
  AlertSeverity severity = AlertSeverity::Info;
  std::string textEn;
  std::string textZh;
  bool acknowledged = false;
  bool operator==(const BannerAlert&) const = default;
};

struct WallFrameState {
  std::uint64_t frame = 0;  // the lead's frame number, increasing
  TimePoint clockTime = 0;  // the twin clock's time shown in this frame
  bool paused = false;
  double rate = 1.0;  // twin seconds per wall second (negative: backwards)
  CameraPose camera;
  std::optional<std::string> selectedEntity;
  std::string language = "zh";  // "zh" or "en"
  std::vector<LayerState> layers;
  bool showIndicatorWall = false;
  std::optional<TourState> tour;  // nullopt: no tour
  std::vector<BannerAlert> alerts;  // at most kMaxFrameAlerts
  // When the lead sent it: steady_clock ns (latency on one host) and system_clock ns (across hosts, as good as
  // their clock sync). publish() stamps both.
  std::int64_t sentSteadyNs = 0;
  std::int64_t sentSystemNs = 0;
  bool operator==(const WallFrameState&) const = default;
};

// Why a message was refused; a follower logs each kind once.
enum class FrameProblem : std::uint8_t {
  None = 0,
  TooLarge,       // over kMaxFrameStateBytes
  Truncated,      // ended inside a field
  NotAFrame,      // no "GTWF" magic (another message, garbage)
  WrongVersion,   // a version this build does not read
  BadValue,       // a field out of range: a count or string over its bound, a NaN, a bad language, bad UTF-8...
  TrailingBytes,  // bytes after the last field
};
inline constexpr int kFrameProblemCount = 7;
const char* toString(FrameProblem problem);

// The checks decode applies, on a value (encode refuses what decode would refuse). InvalidArgument naming the field.
Status validateFrameState(const WallFrameState& state);

// The wire bytes. Errors: the state fails validateFrameState.
Result<std::vector<std::uint8_t>> encodeFrameState(const WallFrameState& state);

// Decodes a message. Never throws, never reads outside [data, data + size); errors name the problem and the field
// (TooLarge / counts: OutOfRange, WrongVersion: Unsupported, everything else: ParseError). `problem`, when given,
// receives the kind (None on success). The entry point of a fuzz target: any bytes are fine.
Result<WallFrameState> decodeFrameState(const std::uint8_t* data, std::size_t size, FrameProblem* problem = nullptr);
inline Result<WallFrameState> decodeFrameState(std::span<const std::uint8_t> bytes,
                                               FrameProblem* problem = nullptr) {
  return decodeFrameState(bytes.data(), bytes.size(), problem);
}

}  // namespace gt::wall
