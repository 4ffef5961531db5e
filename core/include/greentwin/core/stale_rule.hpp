#pragma once
// The per-sample stale rule (issue 4, "a stale value is never shown as live"), beside FeedHealth whose factor it
// shares: a sample judged at time t (the frame's clock time, live or playback) is LIVE while
//   t - sampleTime <= staleAfter(entity) = staleFactor x the interval declared by the feed that last updated the
//   entity (defaultInterval when none is known),
// STALE when older, NO_DATA when there is no sample at or before t. The same factor as a publisher's STALE state,
// applied per sample.
//
// Threads: the update thread only. The ingest threads do not write here: they hand the declared intervals they see
// to the UpdateChannel (noteIntervals), and the update thread notes them here when it drains the channel, so the
// rule is plain data that one thread owns.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt {

// What a value at a time is: drawn in its class colour, drawn as stale (greyed and marked), or no data.
enum class ValueState : std::uint8_t { Live = 0, Stale = 1, NoData = 2 };
const char* toString(ValueState state);  // "LIVE", "STALE", "NO_DATA"

// A value judged at a time by the stale rule.
struct JudgedValue {
  double value = 0;
  TimePoint sampleTime = kNoTime;
  Duration age = 0;  // t - sampleTime
  ValueState state = ValueState::NoData;
};

// One declared interval as an ingest saw it (UpdateChannel::noteIntervals).
struct IntervalNote {
  EntityIndex entity = kInvalidEntity;
  Duration interval = 0;
  // true: only lengthens the entity's interval (a plugin deriving values from an entity's feed: its own poll period
  // must not make the feed's slower values look stale); false: the interval, as the feed declared it.
  bool atLeast = false;
};

class StaleRule {
 public:
  explicit StaleRule(FeedHealthConfig config = {}) : config_(config) {}

  // The interval the feed that last updated `entity` declared (<= 0: not known). Later notes win.
  void noteInterval(EntityIndex entity, Duration interval);
  // In order; an at-least note changes the interval only when it is longer (IntervalNote::atLeast).
  void noteIntervals(std::span<const IntervalNote> notes);
  // The declared interval (0 when none was noted).
  Duration declaredInterval(EntityIndex entity) const {
    return entity < intervals_.size() ? intervals_[entity] : 0;
  }
  // The age up to which a sample of `entity` is live.
  Duration staleAfter(EntityIndex entity) const;
  // A sample (nullopt, no time or NaN: NO_DATA) judged at t.
  JudgedValue judge(EntityIndex entity, const std::optional<Sample>& sample, TimePoint t) const;
  const FeedHealthConfig& config() const { return config_; }

 private:
  FeedHealthConfig config_;
  std::vector<Duration> intervals_;  // entity index -> declared interval (0: none)
};

}  // namespace gt
