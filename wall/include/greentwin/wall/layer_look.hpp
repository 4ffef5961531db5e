#pragma once
// A layer's look as the wall's lead draws it (docs/wall.md "What is sent each frame"): its style, its attribute
// filter and, while "Compare times" colours it, the change per feature its colours read. The frame state carries only
// each layer's look revision (LayerState::look); the look itself goes in this message on the sync endpoint when the
// revision changes, and again about once a second for followers that join late.
//
// The wire form, little-endian as the frame's (frame_state.hpp), str = u16 byte length + UTF-8:
//   "GTWL" u16 version (kFrameStateVersion) u16 flags(0) | layer id str | revision u32 (not 0) |
//   style u32 length + UTF-8 (a [layers.style] body, core/config_text.hpp styleText) | filter str |
//   values attribute str | values u32 n x f64 (NaN: no value for that feature)
// The style is TOML text, read on the follower by core's own style reader (parseStyleText) with the config's checks;
// this module checks only bounds and UTF-8. A decoded look encodes back to the same bytes.
//
// Pure functions on values: any thread.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/wall/frame_state.hpp"

namespace gt::wall {

inline constexpr std::size_t kMaxLookStyleBytes = 64 * 1024;   // a style's TOML text
inline constexpr std::size_t kMaxLookFilterBytes = 16 * 1024;  // an attribute filter's text
// Values per feature (8 bytes each): the whole message stays under kMaxFrameStateBytes, the sockets' message limit.
inline constexpr std::size_t kMaxLookValues = 120'000;

struct LayerLook {
  std::string layerId;
  std::uint32_t revision = 1;  // the frame's LayerState::look this look is; never 0 (0 is the config's look)
  std::string styleText;       // the style drawn, as styleText() writes it
  std::string filterText;      // the attribute filter in force; "": none
  // "Compare times": the property the style colours by ("change of load_kw") and its value per feature slot of the
  // layer (NaN: none). Empty: the style reads the features' own properties.
  std::string valuesAttribute;
  std::vector<double> values;
};

// Whether the bytes start with the look's magic "GTWL" (how a follower tells a look from a frame).
bool isLayerLookMessage(const std::uint8_t* data, std::size_t size);

// The checks decodeLayerLook applies, on a value. InvalidArgument naming the field and the layer.
Status validateLayerLook(const LayerLook& look);
// The wire bytes. Errors: validateLayerLook's.
Result<std::vector<std::uint8_t>> encodeLayerLook(const LayerLook& look);
// Never throws, never reads outside [data, data + size); errors as decodeFrameState's (the same FrameProblem kinds:
// over kMaxFrameStateBytes, truncated, no magic, another version, a bound or UTF-8 broken, an infinite value, a
// revision 0, trailing bytes). The entry point of a fuzz target: any bytes are fine.
Result<LayerLook> decodeLayerLook(const std::uint8_t* data, std::size_t size, FrameProblem* problem = nullptr);
inline Result<LayerLook> decodeLayerLook(std::span<const std::uint8_t> bytes, FrameProblem* problem = nullptr) {
  return decodeLayerLook(bytes.data(), bytes.size(), problem);
}

}  // namespace gt::wall
