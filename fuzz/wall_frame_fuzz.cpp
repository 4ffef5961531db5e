// libFuzzer target for the wall's messages on the sync endpoint (wall/src/frame_state.cpp, wall/src/layer_look.cpp):
// a follower decodes whatever reaches its SUB socket (with security = "none", anything on the network) — a frame
// state, or a layer's look when the bytes start with "GTWL", as WallFollower tells them apart.
//
// Besides "no crash, no out-of-bounds read, no exception", it checks: a refused input names its problem (a
// FrameProblem other than None and a non-empty message), and an accepted message encodes back to exactly the
// input's bytes (each format has one encoding per value, so a decoder that accepted two spellings would be a bug).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "greentwin/wall/frame_state.hpp"
#include "greentwin/wall/layer_look.hpp"

namespace {

void expectSameBytes(const std::vector<std::uint8_t>& bytes, const std::uint8_t* data, std::size_t size) {
  if (bytes.size() != size) std::abort();
  for (std::size_t i = 0; i < size; ++i) {
    if (bytes[i] != data[i]) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gt::wall::FrameProblem problem = gt::wall::FrameProblem::None;
  if (gt::wall::isLayerLookMessage(data, size)) {
    auto look = gt::wall::decodeLayerLook(data, size, &problem);
    if (!look) {
      if (problem == gt::wall::FrameProblem::None || look.status().message().empty()) std::abort();
      return 0;
    }
    auto bytes = gt::wall::encodeLayerLook(*look);
    if (!bytes) std::abort();  // the encoder refuses nothing the decoder accepts
    expectSameBytes(*bytes, data, size);
    return 0;
  }
  auto frame = gt::wall::decodeFrameState(data, size, &problem);
  if (!frame) {
    if (problem == gt::wall::FrameProblem::None || frame.status().message().empty()) std::abort();
    return 0;
  }
  auto bytes = gt::wall::encodeFrameState(*frame);
  if (!bytes) std::abort();
  expectSameBytes(*bytes, data, size);
  return 0;
}
