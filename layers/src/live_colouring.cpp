#include "greentwin/layers/live_colouring.hpp"

#include <limits>

namespace gt::layers::detail {

bool LiveColouring::update(const LayerFrame& frame, bool invalidated, const Layer& layer, LiveValueTarget& target) {
  const FrameContext& ctx = frame.context;
  const LayerStyleConfig& style = layer.config().style;
  if (style.colorMode != "graduated" || style.colorBy.empty()) return false;
  const bool valuesChanged = ctx.valuesVersion != seenVersion_;
  const bool timeMoved = seenTime_ == kNoTime || ctx.time - seenTime_ >= kRefresh || ctx.time < seenTime_;
  if (!invalidated && !valuesChanged && !timeMoved) return false;
  seenVersion_ = ctx.valuesVersion;
  seenTime_ = ctx.time;
  const auto attribute = ctx.attributes->find(style.colorBy);
  if (!attribute) return false;
  const std::size_t slots = layer.slotCount();
  values_.assign(slots, std::numeric_limits<float>::quiet_NaN());
  states_.assign(slots, SlotState::NoData);
  bool anySeries = false;
  for (std::uint32_t s = 0; s < slots; ++s) {
    EntityIndex e = layer.entityOfSlot(s);
    if (e == kInvalidEntity) continue;
    JudgedValue v = ctx.judged(e, *attribute);
    if (v.sampleTime == kNoTime && !ctx.hasSeries(e, *attribute)) {
      // No series of its own: its container's (a BIM element shows its storey's value), else nothing.
      e = target.containerEntityOfSlot(s);
      if (e == kInvalidEntity) continue;
      v = ctx.judged(e, *attribute);
      if (v.sampleTime == kNoTime && !ctx.hasSeries(e, *attribute)) continue;
    }
    anySeries = true;
    if (v.state == SlotState::NoData) continue;
    values_[s] = static_cast<float>(v.value);
    states_[s] = v.state;
  }
  if (!anySeries) return false;  // a static attribute: the style's own colours stay
  auto rule = ColorRule::fromConfig(layer.id(), style);
  if (!rule) return false;  // the layer opened with this style, so it parses; a restyle checked it too
  target.setLiveValues(*rule, values_, states_);
  return true;
}

}  // namespace gt::layers::detail
