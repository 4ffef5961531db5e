#include "greentwin/core/update_channel.hpp"

#include <algorithm>
#include <utility>

namespace gt {

UpdateChannel::UpdateChannel(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {
  buffer_.reserve(capacity_);
}

void UpdateChannel::push(std::span<const SampleUpdate> batch) {
  if (batch.empty()) return;
  const std::lock_guard lock(mu_);
  stats_.pushed += batch.size();
  ++stats_.pushes;
  const std::size_t live = buffer_.size() - head_;
  if (!coalescing_ && live + batch.size() <= capacity_) {
    buffer_.insert(buffer_.end(), batch.data(), batch.data() + batch.size());  // the fast path: one memmove
  } else {
    if (!coalescing_) enterCoalescing();
    pushCoalescing(batch);
  }
  stats_.highWater = std::max<std::uint64_t>(stats_.highWater, buffer_.size() - head_);
}

void UpdateChannel::enterCoalescing() {
  coalescing_ = true;
  ++stats_.overflows;
  index_.reserve(capacity_);
  // Merge the buffered samples in place: each key keeps the slot of its first sample, holding its newest sample.
  std::size_t write = 0;
  for (std::size_t read = head_; read < buffer_.size(); ++read) {
    const SampleUpdate& s = buffer_[read];
    const auto [it, inserted] = index_.try_emplace(keyOf(s), write);
    if (inserted) {
      buffer_[write++] = s;
    } else {
      SampleUpdate& kept = buffer_[it->second];
      if (s.time >= kept.time) kept = s;
      ++stats_.coalesced;
    }
  }
  buffer_.resize(write);
  head_ = 0;
}

void UpdateChannel::pushCoalescing(std::span<const SampleUpdate> batch) {
  for (const SampleUpdate& s : batch) {
    const std::uint64_t key = keyOf(s);
    if (const auto it = index_.find(key); it != index_.end()) {
      SampleUpdate& kept = buffer_[it->second];
      if (s.time >= kept.time) kept = s;
      ++stats_.coalesced;
      continue;
    }
    if (buffer_.size() - head_ >= capacity_) {
      // capacity_ distinct keys are buffered: drop the oldest arrival to make room.
      index_.erase(keyOf(buffer_[head_]));
      ++head_;
      ++stats_.dropped;
      if (head_ >= capacity_) compactHead();
    }
    index_.emplace(key, buffer_.size());
    buffer_.push_back(s);
  }
}

void UpdateChannel::compactHead() {
  // Erase the dropped prefix and shift the index: O(capacity) once per capacity drops.
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(head_));
  for (auto& entry : index_) entry.second -= head_;
  head_ = 0;
}

std::size_t UpdateChannel::drain(std::vector<SampleUpdate>& out) {
  out.clear();
  if (out.capacity() < capacity_) out.reserve(capacity_);  // allocate outside the lock (first drains only)
  std::size_t head = 0;
  {
    const std::lock_guard lock(mu_);
    out.swap(buffer_);
    head = head_;
    head_ = 0;
    if (coalescing_) {
      coalescing_ = false;
      index_.swap(spareIndex_);  // spareIndex_ is empty: the channel starts the cycle with an empty index
    }
    stats_.delivered += out.size() - head;
    ++stats_.drains;
  }
  if (head > 0) out.erase(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(head));
  spareIndex_.clear();
  return out.size();
}

UpdateChannelStats UpdateChannel::stats() const {
  const std::lock_guard lock(mu_);
  return stats_;
}

std::size_t UpdateChannel::size() const {
  const std::lock_guard lock(mu_);
  return buffer_.size() - head_;
}

void UpdateChannel::noteIntervals(std::span<const EntityIndex> entities, Duration interval, bool atLeast) {
  if (entities.empty()) return;
  std::lock_guard lock(mu_);
  if (intervals_.size() + entities.size() > capacity_) {
    // One note per entity, with the effect of its notes in order: a stable sort by entity, then each run folded (a
    // plain note replaces, an at-least note lengthens; plain wins the kind once it appeared).
    std::stable_sort(intervals_.begin(), intervals_.end(),
                     [](const IntervalNote& a, const IntervalNote& b) { return a.entity < b.entity; });
    std::size_t kept = 0;
    for (std::size_t i = 0; i < intervals_.size(); ++i) {
      const IntervalNote& n = intervals_[i];
      if (kept > 0 && intervals_[kept - 1].entity == n.entity) {
        IntervalNote& folded = intervals_[kept - 1];
        if (n.atLeast) {
          folded.interval = std::max(folded.interval, n.interval);
        } else {
          folded = n;
        }
        continue;
      }
      intervals_[kept++] = n;
    }
    intervals_.resize(kept);
  }
  for (EntityIndex e : entities) intervals_.push_back({e, interval, atLeast});
}

std::size_t UpdateChannel::drainIntervals(std::vector<IntervalNote>& out) {
  out.clear();
  std::lock_guard lock(mu_);
  out.swap(intervals_);
  return out.size();
}

}  // namespace gt
