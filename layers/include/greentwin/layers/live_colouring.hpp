#pragma once
// The live colours of a layer that draws one value per slot (vector, building and BIM layers own one each).
// A layer whose style colours by a number (graduated) that has time series is drawn from the values at the frame's
// time, each slot LIVE / STALE / NO_DATA by the stale rule. It redraws when the values changed (the frame's
// valuesVersion), the clock moved by kRefresh or more (so values age into STALE without new samples), or the layer
// was restyled or just opened. A layer whose attribute has no series at all keeps its static colours. A slot whose
// entity has no series of its own shows its container's (a BIM element shows its storey's value).
//
// Threads: the update thread (from Layer::updateImpl).

#include <cstdint>
#include <vector>

#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/style.hpp"

namespace gt::layers::detail {

class LiveColouring {
 public:
  static constexpr Duration kRefresh = kMicrosPerSecond / 10;

  // Draws `target` (the layer `layer` itself) from the frame when due. Returns whether it drew.
  bool update(const LayerFrame& frame, bool invalidated, const Layer& layer, LiveValueTarget& target);

 private:
  std::uint64_t seenVersion_ = ~std::uint64_t{0};
  TimePoint seenTime_ = kNoTime;
  std::vector<float> values_;
  std::vector<SlotState> states_;
};

}  // namespace gt::layers::detail
