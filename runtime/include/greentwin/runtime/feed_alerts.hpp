#pragma once
// Alerts for live feeds that went quiet (issue 14, "Alerts on the wall"; docs/alerts.md "Feed alerts"): compares
// each feed-health snapshot (core/feed_health.hpp) with what it saw before and says which alerts to raise into the
// alert log and which to clear. No sockets, no clock, no log inside: the Twin hands it Twin::feedHealth() and the
// wall time that snapshot was judged at, about once a second (Twin::beginFrame), and applies the changes.
//
// Rules, per publisher id (source "feeds", key = the id, made safe for the log by feedAlertKey()):
//   - LIVE -> STALE (or first seen STALE): raise one Warning, "Feed <id> is stale: nothing for 47 s (expected every
//     15 s)...", timed when it turned stale (lastSeen + staleFactor x its interval, wall time).
//   - staying STALE: nothing (the message keeps the silence measured when it was raised).
//   - STALE -> LIVE: clear, timed at the message that brought it back (its lastSeen).
//   - NEVER_SEEN: nothing at first — it never was live. But a publisher the twin announced (a started plugin
//     source is announced at start) that is still NEVER_SEEN after max(neverSeenGrace, staleFactor x its interval)
//     from when this unit first saw it raises one Warning, "Feed <id> has sent nothing since it was started...";
//     its first message clears it.
//   - a publisher that leaves the snapshot while raised is cleared at `now`.
//   - the same id twice in one snapshot (one publisher id on two sources): judged by one of them, STALE before LIVE
//     before NEVER_SEEN, so values drawn stale are never hidden by a live namesake, and a live one is not called
//     silent for a namesake never heard.
//
// Threads: one owner (the update thread); not thread-safe.

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "greentwin/core/alert.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"  // kNoTime

namespace gt::runtime {

inline constexpr const char* kFeedAlertSource = "feeds";

// The alert key of a publisher id: the id itself when the alert log takes it as it is (1..256 bytes of valid UTF-8
// without control characters); otherwise the id with control characters and invalid bytes as '?', cut at a character
// boundary, and "~" plus 16 hex digits of a hash of the raw id (FNV-1a 64, the same in every run), so two ids never
// share a key. An empty id reads "(empty)".
std::string feedAlertKey(std::string_view publisher);
// The id as the messages show it: control characters and invalid bytes as '?', cut to about 120 bytes with "...".
std::string feedAlertDisplayId(std::string_view publisher);
// "47 s", "0.5 s", "12 min", "3.5 h" (English) and "47 秒", "12 分钟", "3.5 小时" (Chinese).
std::string feedAlertDurationEn(Duration d);
std::string feedAlertDurationZh(Duration d);

struct FeedAlertOptions {
  double staleFactor = 2.0;                          // FeedHealthConfig::staleFactor of the feeds judged
  Duration neverSeenGrace = 60 * kMicrosPerSecond;   // an announced publisher may be silent this long at first
};

struct FeedAlertChange {
  enum class Kind { Raise, Clear };
  Kind kind = Kind::Raise;
  AlertRaise alert;  // a Clear uses source, key and timeUs only
};

class FeedAlerts {
 public:
  explicit FeedAlerts(FeedAlertOptions options = {}) : options_(options) {}

  // The changes since the last call, in publisher order (the snapshot's), for a snapshot judged at `now`.
  std::vector<FeedAlertChange> evaluate(std::span<const PublisherHealth> snapshot, TimePoint now);

  // Publishers whose alert is raised now.
  std::size_t raisedCount() const;
  const FeedAlertOptions& options() const { return options_; }

 private:
  struct Seen {
    TimePoint firstObserved = kNoTime;  // when a snapshot first listed it
    bool raised = false;
  };
  FeedAlertChange raiseStale(const PublisherHealth& p, TimePoint now) const;
  FeedAlertChange raiseNeverSeen(const PublisherHealth& p, TimePoint since, TimePoint at) const;

  FeedAlertOptions options_;
  std::unordered_map<std::string, Seen> seen_;  // by publisher id
};

}  // namespace gt::runtime
