// libFuzzer target for the wall's frame state (wall/src/frame_state.cpp): a follower decodes whatever reaches its
// SUB socket (with security = "none", anything on the network).
//
// Besides "no crash, no out-of-bounds read, no exception", it checks: a refused input names its problem (a
// FrameProblem other than None and a non-empty message), and an accepted frame encodes back to exactly the input's
// bytes (the format has one encoding per state, so a decoder that accepted two spellings would be a bug).

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "greentwin/wall/frame_state.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  gt::wall::FrameProblem problem = gt::wall::FrameProblem::None;
  auto frame = gt::wall::decodeFrameState(data, size, &problem);
  if (!frame) {
    if (problem == gt::wall::FrameProblem::None || frame.status().message().empty()) std::abort();
    return 0;
  }
  auto bytes = gt::wall::encodeFrameState(*frame);
  if (!bytes) std::abort();  // the encoder refuses nothing the decoder accepts
  if (bytes->size() != size) std::abort();
  for (std::size_t i = 0; i < size; ++i) {
    if ((*bytes)[i] != data[i]) std::abort();
  }
  return 0;
}
