#pragma once
// Internal to connectors: folds repeated audit lines. A refused publisher reconnects every ~100 ms (libzmq's
// reconnect interval), which would write ten identical audit lines a second forever; the first line of a kind is
// written at once, repeats within the window are counted, and the next line after the window carries the count.
// Not thread-safe: each user keeps its own on its own thread.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

namespace gt::connectors::detail {

class AuditThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit AuditThrottle(int windowSeconds) : window_(std::chrono::seconds(windowSeconds)) {}

  // nullopt: suppress this line (counted). Else write it, mentioning the returned number of repeats suppressed since
  // the last line of this kind (0 for a new kind).
  std::optional<std::uint64_t> pass(const std::string& kind, Clock::time_point now = Clock::now()) {
    if (entries_.size() > 4096) entries_.clear();  // bounded memory under a flood of distinct peers
    auto [it, inserted] = entries_.try_emplace(kind, Entry{now, 0});
    if (inserted) return 0;
    Entry& e = it->second;
    if (now - e.lastWritten < window_) {
      ++e.suppressed;
      return std::nullopt;
    }
    const std::uint64_t suppressed = e.suppressed;
    e = Entry{now, 0};
    return suppressed;
  }

 private:
  struct Entry {
    Clock::time_point lastWritten;
    std::uint64_t suppressed = 0;
  };
  Clock::duration window_;
  std::unordered_map<std::string, Entry> entries_;
};

// " (repeated N times in the last window)" or "".
inline std::string repeatNote(std::uint64_t suppressed) {
  return suppressed == 0 ? std::string() : " repeats_suppressed=" + std::to_string(suppressed);
}

}  // namespace gt::connectors::detail
