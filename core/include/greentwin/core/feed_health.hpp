#pragma once
// Per-publisher health of the live feeds (issue 4, "Ingest path"): message and update rates, sequence gaps,
// duplicates and old sequence numbers, restarts, last seen, and a LIVE / STALE / NEVER_SEEN state for the
// feed-health panel — a stale value is never drawn as if it were live.
//
// Deterministic: every time is passed in (receive times from the ingest thread, `now` from the caller); there is
// no clock inside, so tests and replays give the same answers.
//
// Threads: every method may be called from any thread; one internal mutex serialises them. record() is O(1)
// (one hash lookup of the publisher id), snapshot() is O(publishers).
//
// Sequence rules, per publisher (`last` is the last accepted sequence number):
//   - first message ever: Accept; no gaps are counted before it (a publisher may start anywhere).
//   - seq > last: Accept; gaps += seq - last - 1 (the sequence numbers skipped, e.g. dropped at a ZeroMQ HWM).
//   - seq == last: Duplicate — rejected, counted in `duplicates`.
//   - seq < last: a RESTART (a new publisher session) when any of:
//       (a) seq <= FeedHealthConfig::restartMaxSequence (the publisher counts from 0 or 1 again), or
//       (b) the publisher is STALE at this receive time (nothing accepted within staleFactor x its interval:
//           a process that was killed and came back), or
//       (c) this is the restartConfirm-th message in a row with seq < last whose sequence numbers strictly
//           increase (a new session whose first messages were lost); the earlier ones were counted as Old.
//     A restart is accepted, counted in `restarts`, and tracking starts over at seq (no gaps counted for the
//     jump). Otherwise seq < last is Old — rejected, counted in `old`. (ZeroMQ over TCP never reorders, so an
//     older number is a replay or a misbehaving publisher, never a late arrival that fills a gap.)
// Rejected messages do not change the rates, last seen, or the state.
//
// State at a queried time `now`: NEVER_SEEN until the first accepted message (publishers announced with
// expect() appear in snapshot() in this state); LIVE while now - lastSeen <= staleFactor x the declared interval
// (the latest message's, or the one given to expect(), or defaultInterval when <= 0); STALE after that. The next
// accepted message makes it LIVE again.
//
// Rates: accepted messages and their update counts in bins of binWidth over the last `window` of receive time;
// rate = sum over the bins within (now - window, now] / min(window, max(now - first seen, binWidth)), so a
// publisher seen for 2 s reads its true rate instead of a fifth of it.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt {

enum class SequenceVerdict {
  Accept,     // new (or restarted) sequence: apply the message
  Duplicate,  // the same sequence number as the last accepted: reject
  Old,        // an older sequence number that is not a restart: reject
};

enum class FeedState {
  NeverSeen,
  Live,
  Stale,
};

const char* toString(SequenceVerdict verdict);
const char* toString(FeedState state);  // "NEVER_SEEN", "LIVE", "STALE"

struct FeedHealthConfig {
  Duration window = 10 * kMicrosPerSecond;  // sliding window of the rates
  Duration binWidth = kMicrosPerSecond / 2;  // rate granularity; window / binWidth bins per publisher
  Duration defaultInterval = kMicrosPerSecond;  // used when a publisher declares an interval <= 0
  double staleFactor = 2.0;                     // STALE after staleFactor x declared interval of silence
  std::uint64_t restartMaxSequence = 16;        // rule (a)
  std::uint32_t restartConfirm = 3;             // rule (c); 0 disables it
  // At most this many publishers heard from (not counting those announced with expect(), which stay): a new one
  // past it takes the place of the publisher seen least recently, so ids rotated by a misbehaving sender cannot
  // grow the table without bound. 0: no cap.
  std::size_t maxPublishers = 4096;
};

struct PublisherHealth {
  std::string publisher;
  FeedState state = FeedState::NeverSeen;
  TimePoint lastSeen = kNoTime;        // receive time of the last accepted message
  TimePoint lastSourceTime = kNoTime;  // its source timestamp
  Duration sinceLastSeen = 0;          // now - lastSeen (0 when never seen)
  Duration declaredInterval = 0;       // effective interval used for STALE
  std::uint64_t lastSequence = 0;
  double messageRate = 0;  // accepted messages per second over the window
  double updateRate = 0;   // entity updates per second over the window
  std::uint64_t messages = 0;  // accepted messages, all time
  std::uint64_t updates = 0;   // updates in accepted messages, all time
  std::uint64_t gaps = 0;      // sequence numbers skipped
  std::uint64_t duplicates = 0;
  std::uint64_t old = 0;
  std::uint64_t restarts = 0;
};

class FeedHealth {
 public:
  explicit FeedHealth(FeedHealthConfig config = {});

  // Announces a configured publisher so it shows as NEVER_SEEN before its first message. Idempotent; a
  // declaredInterval > 0 replaces the known interval.
  void expect(std::string_view publisher, Duration declaredInterval);

  // One message from `publisher` (ingest thread). Applies the sequence rules above; only Accept updates the
  // rates, last seen and state.
  SequenceVerdict record(std::string_view publisher, std::uint64_t sequence, TimePoint sourceTime,
                         TimePoint receiveTime, Duration declaredInterval, std::uint64_t updateCount);

  // Every known publisher, sorted by id, as of `now` (for the UI).
  std::vector<PublisherHealth> snapshot(TimePoint now) const;
  // One publisher; a publisher never heard of reads as NEVER_SEEN.
  PublisherHealth health(std::string_view publisher, TimePoint now) const;
  FeedState state(std::string_view publisher, TimePoint now) const;
  // True unless the publisher is LIVE at `now` (STALE or NEVER_SEEN: its values must not be drawn as live).
  bool isStale(std::string_view publisher, TimePoint now) const;

  const FeedHealthConfig& config() const { return config_; }
  // Publishers dropped to keep within maxPublishers (all time), and how many are held now.
  std::uint64_t evictedPublishers() const;
  std::size_t publisherCount() const;

 private:
  struct Bin {
    std::int64_t index = -1;  // receiveTime / binWidth; -1: empty
    std::uint64_t messages = 0;
    std::uint64_t updates = 0;
  };
  struct Publisher {
    bool seen = false;
    std::uint64_t lastSequence = 0;
    TimePoint firstSeen = kNoTime;
    TimePoint lastSeen = kNoTime;
    TimePoint lastSourceTime = kNoTime;
    Duration declaredInterval = 0;
    std::uint64_t messages = 0;
    std::uint64_t updates = 0;
    std::uint64_t gaps = 0;
    std::uint64_t duplicates = 0;
    std::uint64_t old = 0;
    std::uint64_t restarts = 0;
    std::uint32_t oldRun = 0;  // consecutive Old messages with increasing seq (rule c)
    std::uint64_t oldRunLast = 0;
    std::vector<Bin> bins;
    bool expected = false;                               // announced by expect(): never evicted
    std::list<const std::string*>::iterator recency;     // its place in recency_ (unless expected)
  };
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  Duration intervalOf(const Publisher& p) const;
  FeedState stateOf(const Publisher& p, TimePoint now) const;
  void accept(Publisher& p, std::uint64_t sequence, TimePoint sourceTime, TimePoint receiveTime,
              std::uint64_t updateCount);
  PublisherHealth healthOf(const std::string& id, const Publisher& p, TimePoint now) const;
  // Finds or adds the publisher and marks it the most recently seen; `expected`: announced (never evicted).
  Publisher& findOrAdd(std::string_view publisher, bool expected = false);

  FeedHealthConfig config_;
  std::size_t binCount_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Publisher, Hash, std::equal_to<>> publishers_;
  // The publishers heard from and not expected, least recently seen first (keys point into publishers_).
  std::list<const std::string*> recency_;
  std::uint64_t evicted_ = 0;
};

}  // namespace gt
