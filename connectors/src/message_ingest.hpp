#pragma once
// Internal to connectors: what the live ingest does with one received multipart message, after the socket receive
// and the CURVE sender check (zmq_ingest.hpp, "Per message", steps 1 to 6): frame count, decode and validation,
// the publisher-id binding and the entity grant (through a gate the caller gives), the sequence check and health
// (FeedHealth), the rate limit (per sender: a CURVE key, a peer address), the directory resolution with unknown
// names reported, the declared intervals that changed handed to an interval sink, and the resolved samples handed
// to a sink as one batch.
//
// One path for two callers: ZmqIngest's thread (messages from the socket) and loadRecording (recording_loader.hpp:
// messages from a feed recording, offline). Each passes the receive wall time (`now`: the decoder's far-future
// check and FeedHealth's receive time) and a monotonic time in seconds for the rate limit's token buckets, so a
// recording replays the checks with the times it was received at.
//
// Threads: one instance is used by one thread at a time (it owns a directory snapshot cache, the decode buffers
// and the token buckets); counters() may be read from any thread (relaxed atomics, each exact, the set not one
// snapshot). The sink is called on the handling thread.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt::connectors::detail {

// Counted by MessageIngest::handle; the names are ZmqIngestStats'.
struct MessageIngestCounters {
  std::atomic<std::uint64_t> messages{0}, accepted{0}, updates{0}, wrongFrameCount{0}, duplicates{0}, old{0},
      rateLimitedMessages{0}, rateLimitedUpdates{0}, unknownEntities{0}, unknownAttributes{0}, wrongPublisher{0},
      ungrantedUpdates{0};
  std::array<std::atomic<std::uint64_t>, kRejectReasonCount> rejects{};
};

// Copies the per-message counts into a stats struct that names them alike (ZmqIngestStats, RecordingLoadStats).
template <class Stats>
void copyMessageCounts(const MessageIngestCounters& c, Stats& stats) {
  constexpr auto r = std::memory_order_relaxed;
  stats.messages = c.messages.load(r);
  stats.accepted = c.accepted.load(r);
  stats.wrongFrameCount = c.wrongFrameCount.load(r);
  for (std::size_t i = 0; i < kRejectReasonCount; ++i) stats.rejects[i] = c.rejects[i].load(r);
  stats.duplicates = c.duplicates.load(r);
  stats.old = c.old.load(r);
  stats.rateLimitedMessages = c.rateLimitedMessages.load(r);
  stats.rateLimitedUpdates = c.rateLimitedUpdates.load(r);
  stats.unknownEntities = c.unknownEntities.load(r);
  stats.unknownAttributes = c.unknownAttributes.load(r);
}

enum class MessageOutcome : std::uint8_t {
  Accepted,         // its resolved samples (possibly none) went to the sink
  WrongFrameCount,  // not exactly 3 frames
  Rejected,         // the decoder refused it: lastRejection() says why
  WrongPublisher,   // the gate refused the envelope's publisher id
  Duplicate,        // FeedHealth: the publisher's last sequence number again
  Old,              // FeedHealth: an older sequence number that is not a restart
  RateLimited,      // more updates than the publisher's token bucket held
};

// The CURVE publisher-id binding (ZmqIngest: the allow-list entry of the sender's key). Called after the decode,
// before the sequence check; a refusal is counted in wrongPublisher after the call returns (so an audit line the
// gate writes comes first).
// The same gate carries the sender's entity grant (AllowListEntry::entities: updates of other entities are dropped,
// counted in ungrantedUpdates, the rest of the message kept), its grant in time (max_backfill_s: older updates
// dropped and counted likewise) and its own cap on the declared interval.
class PublisherGate {
 public:
  virtual bool mayPublishAs(std::string_view publisherId) = 0;
  // True when the sender may write every entity: mayWrite is then not asked (the common case costs nothing).
  virtual bool writesAnyEntity() const { return true; }
  virtual bool mayWrite(std::string_view entityId) const {
    (void)entityId;
    return true;
  }
  // After a message of which `count` updates were dropped outside the grant; `entityId` names one of them.
  virtual void ungranted(std::string_view publisherId, std::string_view entityId, std::uint64_t count) {
    (void)publisherId, (void)entityId, (void)count;
  }
  // The sender's own cap on the declared interval (AllowListEntry::maxInterval); 0: the source's cap only.
  virtual Duration maxDeclaredInterval() const { return 0; }
  // How far before `now` the sender's updates may lie (AllowListEntry::maxBackfill); 0: any time. Older updates
  // are dropped and counted in ungrantedUpdates; after such a message tooOld() gets their count and the oldest time.
  virtual Duration maxBackfill() const { return 0; }
  virtual void tooOld(std::string_view publisherId, std::uint64_t count, TimePoint oldest) {
    (void)publisherId, (void)count, (void)oldest;
  }

 protected:
  ~PublisherGate() = default;
};

struct MessageIngestSettings {
  DecodeLimits limits;
  double rateLimitUpdatesPerSecond = 0;  // per sender (handle's rateKey); <= 0: no limit
  double rateLimitBurstSeconds = 1.0;    // bucket size = rate x this (at least one message's updates pass when full)
};

// Gets each accepted message's resolved samples when there is at least one (a view, valid during the call).
using SampleBatchSink = std::function<void(std::span<const SampleUpdate>)>;
// Gets, before the message's samples, the entities whose declared interval differs from the one this ingest last
// handed on for them, and that interval (a view, valid during the call). May be empty (intervals not wanted).
using IntervalSink = std::function<void(std::span<const EntityIndex>, Duration)>;

class MessageIngest {
 public:
  // `health` and `directory` must outlive this object.
  MessageIngest(MessageIngestSettings settings, SampleBatchSink sink, IntervalSink intervals, FeedHealth& health,
                EntityDirectory& directory);
  ~MessageIngest();
  MessageIngest(const MessageIngest&) = delete;
  MessageIngest& operator=(const MessageIngest&) = delete;

  // One message of `frameCount` frames whose first three are topic, envelope, payload (not looked at unless
  // frameCount is 3). The frames must stay alive and unchanged until the next handle() (envelope() and the
  // decoder's views point into them). `monotonicSeconds` is read only when rateLimited(). `gate` may be nullptr.
  // `rateKey` names the sender's token bucket: its CURVE key, else its peer address ("": one bucket for all). The
  // rate is per sender, not per envelope publisher id, so a sender rotating ids gets no fresh tokens.
  MessageOutcome handle(std::size_t frameCount, std::span<const std::byte> topic, std::span<const std::byte> envelope,
                        std::span<const std::byte> payload, TimePoint now, double monotonicSeconds,
                        PublisherGate* gate = nullptr, std::string_view rateKey = {});

  // At most this many token buckets (senders) are kept; a new sender past it takes the place of the one seen least
  // recently (which starts again with a full bucket when it returns).
  static constexpr std::size_t kMaxRateBuckets = 4096;
  std::size_t rateBucketCount() const { return buckets_.size(); }

  bool rateLimited() const { return rate_ > 0; }
  // After Rejected: the decoder's Status ("<reason>: ..."). Kept until the next rejection.
  const Status& lastRejection() const { return lastRejection_; }
  // After an outcome other than WrongFrameCount and Rejected: the message's envelope (until the next handle()).
  const Envelope& envelope() const { return view_.envelope; }
  const MessageIngestCounters& counters() const { return counters_; }

 private:
  struct TokenBucket {
    double tokens = 0;
    double last = 0;
  };
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct ResolvedStringTable;

  void countReject(std::uint64_t rejectedBefore);
  // Queues `entity` for the interval sink when its interval changed since this ingest last handed it on.
  void noteInterval(EntityIndex entity, Duration interval) {
    if (entity >= lastNoted_.size()) lastNoted_.resize(static_cast<std::size_t>(entity) + 1, kNeverNoted);
    if (lastNoted_[entity] == interval) return;
    lastNoted_[entity] = interval;
    intervalNotes_.push_back(entity);
  }
  static constexpr Duration kNeverNoted = -1;
  bool admitRate(std::string_view rateKey, std::size_t updateCount, double t);
  // Binary payloads, a sender with an entity grant: `grantedEntityOf_` is the table's entityOf with the strings the
  // sender may not write as entities set to kUnmapped (their records come out unmapped), `deniedString_` marks them.
  void applyGrant(const ResolvedStringTable& table, const PublisherGate& gate);

  const MessageIngestSettings settings_;
  const double rate_;
  const double burst_;
  SampleBatchSink sink_;
  IntervalSink intervalSink_;
  std::vector<Duration> lastNoted_;           // entity index -> the interval last handed on (kNeverNoted: none)
  std::vector<EntityIndex> intervalNotes_;    // reused: this message's changed entities
  FeedHealth& health_;
  EntityDirectory& directory_;
  EntityDirectory::SnapshotCache snapshots_;
  RejectCounters rejects_;
  Status lastRejection_;
  std::unordered_map<std::string, TokenBucket, StringHash, std::equal_to<>> buckets_;
  std::vector<SampleUpdate> batch_;  // reused: grows to the largest message, never shrinks
  MessageView view_;                 // reused: binary payloads decode into it without allocating
  // Binary payloads: per string-table index, the directory lookups, kept while the next message's table is equal.
  std::unique_ptr<ResolvedStringTable> table_;
  std::vector<UnmappedString> unmapped_;  // reused: records naming an unknown entity or attribute
  // Reused, empty between messages: unknown names counted so that each is reported once per message. Binary: per
  // string-table slot (2 x index, + 1 for an attribute) its count, and the slots in first-seen order; JSON: per name.
  std::unordered_map<std::size_t, std::uint64_t> unknownTally_;
  std::vector<std::size_t> unknownSlots_;
  struct NameTally {
    std::vector<std::pair<std::string_view, std::uint64_t>> names;  // first-seen order
    std::unordered_map<std::string_view, std::size_t> index;         // name -> its place in `names`
    void add(std::string_view name) {
      const auto [it, inserted] = index.try_emplace(name, names.size());
      if (inserted) names.emplace_back(name, 0);
      ++names[it->second].second;
    }
    void clear() {
      names.clear();
      index.clear();
    }
  };
  NameTally unknownJsonEntities_, unknownJsonAttributes_;
  std::vector<std::uint32_t> grantedEntityOf_;  // reused: see applyGrant
  std::vector<std::uint8_t> deniedString_;      // reused: see applyGrant
  MessageIngestCounters counters_;
};

}  // namespace gt::connectors::detail
