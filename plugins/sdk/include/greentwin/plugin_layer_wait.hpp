#pragma once
// GreenTwin plugin SDK: waiting for a layer's features. The twin loads layers in the background, so a plugin that
// reads features (Host::features) at start may find the layer not there yet: it asks again every `retryEvery`, and
// reports the layer missing once when it still has none `missingAfter` after the first attempt. Header-only, C++17,
// no state shared between instances; call it from the thread the plugin's calls run on (the update thread).
//
//   LayerWait wait;                                    // one per layer the plugin reads
//   if (wait.due(now)) { auto f = host.features(id); if (!f.empty()) wait.markLoaded(); }
//   if (!wait.loaded() && wait.overdue(now) && !warned) { host.warn(...); warned = true; }

#include <chrono>

namespace greentwin::plugin {

class LayerWait {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LayerWait(Clock::duration retryEvery = std::chrono::seconds(2),
                     Clock::duration missingAfter = std::chrono::seconds(10))
      : retryEvery_(retryEvery), missingAfter_(missingAfter) {}

  // Forgets the layer (a changed setting names another one): the next due() asks at once.
  void reset() { *this = LayerWait(retryEvery_, missingAfter_); }
  bool loaded() const { return loaded_; }
  void markLoaded() { loaded_ = true; }
  // True when it is time to ask the host again: the first call, then every retryEvery until loaded.
  bool due(Clock::time_point now) {
    if (loaded_) return false;
    if (first_ == Clock::time_point{}) first_ = now;
    if (last_ != Clock::time_point{} && now - last_ < retryEvery_) return false;
    last_ = now;
    return true;
  }
  // True once missingAfter has passed since the first due() (false before the first).
  bool overdue(Clock::time_point now) const { return first_ != Clock::time_point{} && now - first_ >= missingAfter_; }

 private:
  Clock::duration retryEvery_;
  Clock::duration missingAfter_;
  bool loaded_ = false;
  Clock::time_point first_{}, last_{};
};

}  // namespace greentwin::plugin
