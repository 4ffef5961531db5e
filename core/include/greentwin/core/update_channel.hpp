#pragma once
// The bounded channel of live updates (DESIGN.md "How data flows", step 2, and "Threads"): ingest threads push
// decoded batches of samples; the update thread drains everything once per frame and appends it to the
// TimeSeriesStore.
//
// Threads:
//   push()   any number of producer (ingest) threads, concurrently.
//   drain()  exactly one consumer thread (the update thread). Two threads draining at once is a bug.
//   stats(), size(), capacity()  any thread.
// One mutex guards the buffer. In the normal case push() holds it only to copy the batch onto the end of the
// buffer, and drain() only to swap the buffer with the caller's (empty) vector; neither allocates once both
// vectors have grown to capacity. No call ever waits for the other side: push() never blocks until the consumer
// makes room, it applies the overflow policy instead.
//
// Overflow policy (explicit and counted). The channel holds at most capacity() samples. When a push would take
// the buffered count past capacity, the channel switches to coalescing for the rest of the current drain cycle
// (until the next drain()):
//   1. Coalesce: samples of the same (entity, attribute) merge into one slot holding the sample with the newest
//      time (on equal times the later arrival wins; an arriving sample older than the buffered one is discarded).
//      Every sample merged away is counted in `coalesced`. A coalesced key keeps the slot of its first buffered
//      sample, so the drained order is arrival order of each key's first sample; per key there is then one sample,
//      so no key's time order is ever reversed.
//   2. Drop: only when the buffer already holds capacity() *distinct* keys and a sample of a new key arrives, the
//      oldest buffered sample (by arrival) is dropped to make room, counted in `dropped`.
// Nothing else is lost: at every moment pushed == delivered + coalesced + dropped + size().
// Entering coalescing mode indexes the buffer once (O(buffered) under the lock); afterwards each pushed sample
// costs one hash lookup. Outside overflow there is no hashing at all.

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <span>
#include <unordered_map>
#include <vector>

#include "greentwin/core/stale_rule.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt {

struct UpdateChannelStats {
  std::uint64_t pushed = 0;     // samples handed to push()
  std::uint64_t delivered = 0;  // samples handed out by drain()
  std::uint64_t coalesced = 0;  // samples merged into a newer (or same-time later) sample of the same key
  std::uint64_t dropped = 0;    // samples dropped because more distinct keys than capacity were buffered
  std::uint64_t highWater = 0;  // most samples ever buffered at once (<= capacity)
  std::uint64_t pushes = 0;     // push() calls with a non-empty batch
  std::uint64_t drains = 0;     // drain() calls
  std::uint64_t overflows = 0;  // drain cycles that entered coalescing mode
};

class UpdateChannel {
 public:
  // capacity: the most samples buffered at once (clamped to >= 1). Reserves the buffer up front.
  explicit UpdateChannel(std::size_t capacity);

  UpdateChannel(const UpdateChannel&) = delete;
  UpdateChannel& operator=(const UpdateChannel&) = delete;

  // Producer threads. Appends the batch (in its order) under the overflow policy above. Never waits for the
  // consumer. Invalid entity/attribute sentinels are carried as is (the store ignores them).
  void push(std::span<const SampleUpdate> batch);

  // Consumer (update) thread only. Replaces `out`'s contents with everything buffered, in arrival order (see the
  // coalescing note above), and empties the channel; `out`'s old storage becomes the channel's next buffer, so
  // passing the same vector every frame allocates nothing in steady state. Returns the number of samples.
  std::size_t drain(std::vector<SampleUpdate>& out);

  // Declared intervals travel beside the samples (the per-sample stale rule, core/stale_rule.hpp): a producer notes
  // the interval its message declared for the entities it names (ingests note only changes), the update thread
  // drains them with the samples into its StaleRule. Producer threads: noteIntervals; consumer: drainIntervals.
  // Bounded: past capacity() pending notes, each entity's notes are folded into one (a plain note replaces what came
  // before it, an at-least note lengthens it), so a publisher flipping its interval every message cannot grow the
  // buffer without bound.
  // atLeast: see IntervalNote (a plugin's derived values).
  void noteIntervals(std::span<const EntityIndex> entities, Duration interval, bool atLeast = false);
  std::size_t drainIntervals(std::vector<IntervalNote>& out);

  // Any thread.
  UpdateChannelStats stats() const;
  std::size_t size() const;  // samples buffered now
  std::size_t capacity() const { return capacity_; }

 private:
  static std::uint64_t keyOf(const SampleUpdate& s) {
    return (static_cast<std::uint64_t>(s.entity) << 32) | s.attribute;
  }
  // All below: with mu_ held.
  void enterCoalescing();
  void pushCoalescing(std::span<const SampleUpdate> batch);
  void compactHead();

  const std::size_t capacity_;
  mutable std::mutex mu_;
  // buffer_[head_ .. end) are the live samples; [0, head_) were dropped (erased lazily by compactHead/drain).
  std::vector<SampleUpdate> buffer_;
  std::size_t head_ = 0;
  bool coalescing_ = false;
  // key -> index into buffer_ of its one live slot; valid while coalescing_.
  std::unordered_map<std::uint64_t, std::size_t> index_;
  UpdateChannelStats stats_;
  // Consumer-only: the previous cycle's index, cleared outside the lock so drain() holds mu_ for O(1).
  std::unordered_map<std::uint64_t, std::size_t> spareIndex_;
  std::vector<IntervalNote> intervals_;  // guarded by mu_
};

}  // namespace gt
