#include "greentwin/core/stale_rule.hpp"

#include <cmath>

namespace gt {

const char* toString(ValueState state) {
  switch (state) {
    case ValueState::Live: return "LIVE";
    case ValueState::Stale: return "STALE";
    case ValueState::NoData: return "NO_DATA";
  }
  return "?";
}

void StaleRule::noteInterval(EntityIndex entity, Duration interval) {
  if (entity == kInvalidEntity) return;
  if (entity >= intervals_.size()) intervals_.resize(static_cast<std::size_t>(entity) + 1, 0);
  intervals_[entity] = interval;
}

void StaleRule::noteIntervals(std::span<const IntervalNote> notes) {
  for (const IntervalNote& n : notes) {
    if (n.atLeast && n.interval <= declaredInterval(n.entity)) continue;
    noteInterval(n.entity, n.interval);
  }
}

Duration StaleRule::staleAfter(EntityIndex entity) const {
  const Duration declared = declaredInterval(entity);
  const Duration interval = declared > 0 ? declared : config_.defaultInterval;
  return static_cast<Duration>(config_.staleFactor * static_cast<double>(interval));
}

JudgedValue StaleRule::judge(EntityIndex entity, const std::optional<Sample>& sample, TimePoint t) const {
  JudgedValue out;
  if (!sample || sample->sampleTime == kNoTime || std::isnan(sample->value)) return out;
  out.value = sample->value;
  out.sampleTime = sample->sampleTime;
  out.age = t - sample->sampleTime;
  out.state = out.age <= staleAfter(entity) ? ValueState::Live : ValueState::Stale;
  return out;
}

}  // namespace gt
