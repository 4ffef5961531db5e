#pragma once
// One frame of the twin as everything drawn or computed in it reads it (DESIGN "Time": one path, one time per
// frame). The runtime builds exactly one per frame (runtime::Twin::beginFrame) and hands it to every layer, chart,
// KPI and wall tile: the clock's time, read access to the values (the live store, or the history window while the
// clock plays back), the stale rule and the geo frame. Nothing in one frame sees two times.
//
// Threads: the update thread; a FrameContext and what it points to are valid until the next frame begins.

#include <cstdint>
#include <optional>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/interpolation.hpp"
#include "greentwin/core/stale_rule.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt {

struct FrameContext {
  std::uint64_t frame = 0;  // 1, 2, ... (0: no frame yet)
  TimePoint time = 0;       // the clock's time of this frame
  const TimeSeriesStore* values = nullptr;  // the store values are read from this frame (never null in a frame)
  const StaleRule* stale = nullptr;
  const GeoFrame* geo = nullptr;
  const AttributeRegistry* attributes = nullptr;
  // Changes whenever what values() answers may have changed: samples applied, a history window swapped in, the
  // store switched between live and playback. A layer that drew version v at time t need not draw again while
  // both stay.
  std::uint64_t valuesVersion = 0;
  // Changes only when the store itself changes: switched between live and playback, or a history window swapped in
  // (what a layer that throttles its recomputation must not wait for).
  std::uint64_t storeGeneration = 0;

  // The sample of (entity, attribute) at the frame's time: Step = the last at or before it; Linear = interpolated
  // between the samples either side (sampleTime: the left one).
  std::optional<Sample> sample(EntityIndex entity, AttributeId attribute,
                               Interpolation interp = Interpolation::Step) const {
    return values->valueAt(entity, attribute, time, interp);
  }
  // ...judged by the stale rule.
  JudgedValue judged(EntityIndex entity, AttributeId attribute) const {
    return stale->judge(entity, sample(entity, attribute), time);
  }
  // Whether (entity, attribute) has a series at all (a static attribute has none).
  bool hasSeries(EntityIndex entity, AttributeId attribute) const {
    return values->span(entity, attribute).has_value();
  }
};

}  // namespace gt
