#include "message_ingest.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace gt::connectors::detail {

// The string table of the last binary message and its directory lookups. Publishers usually send the same table
// in message after message (the same entities and attributes, in the same order), so comparing the bytes (a few
// ns per string) replaces two hash lookups per string while the table and the directory snapshot stay the same.
struct MessageIngest::ResolvedStringTable {
  std::uint64_t snapshotVersion = ~std::uint64_t{0};
  std::uint64_t viewGeneration = ~std::uint64_t{0};  // MessageView::tableGeneration the lookups were made for
  std::string bytes;                // the strings, concatenated
  std::vector<std::size_t> ends;    // end offset in `bytes` of each string
  std::vector<std::uint32_t> entityOf;     // per string: its entity index, or kUnmapped
  std::vector<std::uint32_t> attributeOf;  // per string: its attribute id, or kUnmapped
  // The envelope interval last noted for the table's entities (per-sample stale rule); 0: not noted yet.
  Duration notedInterval = 0;

  bool matches(std::uint64_t version, const std::vector<std::string_view>& strings) const {
    if (version != snapshotVersion || strings.size() != ends.size()) return false;
    std::size_t begin = 0;
    for (std::size_t i = 0; i < strings.size(); ++i) {
      const std::string_view kept(bytes.data() + begin, ends[i] - begin);
      if (kept != strings[i]) return false;
      begin = ends[i];
    }
    return true;
  }
  // Every string is looked up as an entity and as an attribute: which role a string plays is only known per
  // record, and the records are checked and mapped in one pass (decodeDeferredRecords).
  void reset(std::uint64_t version, const std::vector<std::string_view>& strings, const DirectorySnapshot& dir) {
    snapshotVersion = version;
    bytes.clear();
    ends.clear();
    entityOf.clear();
    attributeOf.clear();
    notedInterval = 0;
    for (std::string_view text : strings) {
      bytes.append(text);
      ends.push_back(bytes.size());
      entityOf.push_back(dir.findEntity(text).value_or(kUnmapped));
      attributeOf.push_back(dir.findAttribute(text).value_or(kUnmapped));
    }
  }
};

MessageIngest::MessageIngest(MessageIngestSettings settings, SampleBatchSink sink, IntervalSink intervals,
                             FeedHealth& health, EntityDirectory& directory)
    : settings_(std::move(settings)),
      rate_(settings_.rateLimitUpdatesPerSecond),
      burst_(rate_ > 0 ? std::max(1.0, rate_ * std::max(0.0, settings_.rateLimitBurstSeconds)) : 0.0),
      sink_(std::move(sink)),
      intervalSink_(std::move(intervals)),
      health_(health),
      directory_(directory),
      snapshots_(directory),
      table_(std::make_unique<ResolvedStringTable>()) {}

MessageIngest::~MessageIngest() = default;

void MessageIngest::countReject(std::uint64_t rejectedBefore) {
  if (rejects_.total() != rejectedBefore && rejects_.last) {
    counters_.rejects[static_cast<std::size_t>(*rejects_.last)].fetch_add(1, std::memory_order_relaxed);
  }
}

// Token bucket per sender (rateKey): false when the message's updates exceed the sender's tokens.
bool MessageIngest::admitRate(std::string_view rateKey, std::size_t updateCount, double t) {
  auto it = buckets_.find(rateKey);
  if (it == buckets_.end()) {
    if (buckets_.size() >= kMaxRateBuckets) {
      // Bounded: the sender seen least recently makes room. A scan, but only when a new sender arrives at a full
      // table (senders are keys of the allow-list or peer addresses, so that is rare).
      buckets_.erase(std::min_element(buckets_.begin(), buckets_.end(), [](const auto& a, const auto& b) {
        return a.second.last < b.second.last;
      }));
    }
    it = buckets_.emplace(std::string(rateKey), TokenBucket{burst_, t}).first;
  }
  TokenBucket& b = it->second;
  b.tokens = std::min(burst_, b.tokens + (t - b.last) * rate_);
  b.last = t;
  const auto n = static_cast<double>(updateCount);
  // A message larger than the bucket passes only when the bucket is full (then the bucket goes into debt).
  if (b.tokens < std::min(n, burst_)) return false;
  b.tokens -= n;
  return true;
}

void MessageIngest::applyGrant(const ResolvedStringTable& table, const PublisherGate& gate) {
  const std::size_t n = view_.strings.size();
  grantedEntityOf_.assign(table.entityOf.begin(), table.entityOf.end());
  deniedString_.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (gate.mayWrite(view_.strings[i])) continue;
    deniedString_[i] = 1;
    grantedEntityOf_[i] = kUnmapped;
  }
}

MessageOutcome MessageIngest::handle(std::size_t frameCount, std::span<const std::byte> topic,
                                     std::span<const std::byte> envelope, std::span<const std::byte> payload,
                                     TimePoint now, double monotonicSeconds, PublisherGate* gate,
                                     std::string_view rateKey) {
  constexpr auto relaxed = std::memory_order_relaxed;
  counters_.messages.fetch_add(1, relaxed);
  if (frameCount != 3) {
    counters_.wrongFrameCount.fetch_add(1, relaxed);
    return MessageOutcome::WrongFrameCount;
  }
  const std::uint64_t rejectedBefore = rejects_.total();
  // The frames stay alive (and unchanged) until the next handle(): the views in `view_` point into them.
  // Binary records are checked and mapped to directory ids in one pass, straight into `batch_`, before anything
  // counts the message as received (a rejected message touches no sequence, health or rate state).
  Status decoded = decodeMessageView(topic, envelope, payload, settings_.limits, now, view_, &rejects_,
                                     BinaryRecords::Defer);
  if (!decoded.isOk()) {
    countReject(rejectedBefore);
    lastRejection_ = std::move(decoded);
    return MessageOutcome::Rejected;
  }
  ResolvedStringTable& table = *table_;
  const DirectorySnapshot& dir = snapshots_.get();
  // A sender with an entity grant: updates of other entities are dropped (counted, audited), the rest kept.
  const bool granted = gate != nullptr && !gate->writesAnyEntity();
  std::size_t mapped = 0;
  if (view_.envelope.encoding == PayloadEncoding::Binary) {
    // The decoder says when the table is the one it saw last (compared as bytes); otherwise compare strings.
    if (view_.tableGeneration != table.viewGeneration || snapshots_.version() != table.snapshotVersion) {
      if (!table.matches(snapshots_.version(), view_.strings)) table.reset(snapshots_.version(), view_.strings, dir);
      table.viewGeneration = view_.tableGeneration;
    }
    if (batch_.size() < view_.deferredCount) batch_.resize(view_.deferredCount);
    if (granted) applyGrant(table, *gate);
    const StringIdMap ids{granted ? std::span<const std::uint32_t>(grantedEntityOf_) : table.entityOf,
                          table.attributeOf};
    Result<std::size_t> written = decodeDeferredRecords(view_, settings_.limits, now, ids, batch_, unmapped_, &rejects_);
    if (!written) {
      countReject(rejectedBefore);
      lastRejection_ = written.status();
      return MessageOutcome::Rejected;
    }
    mapped = *written;
  }
  const Envelope& env = view_.envelope;
  if (gate != nullptr && !gate->mayPublishAs(env.publisherId)) {
    counters_.wrongPublisher.fetch_add(1, relaxed);  // after the gate's audit line
    return MessageOutcome::WrongPublisher;
  }
  const std::size_t updateCount = view_.updateCount();
  // The declared interval sets how long the publisher's values read LIVE (2x it): capped, so that one message
  // declaring a week cannot keep a forged value "live" for two (limits.maxDeclaredInterval, the source's setting).
  // A key's allow-list entry may cap it lower still (max_interval_s).
  Duration interval = std::min(env.declaredInterval, settings_.limits.maxDeclaredInterval);
  if (gate != nullptr && gate->maxDeclaredInterval() > 0) interval = std::min(interval, gate->maxDeclaredInterval());
  const SequenceVerdict verdict =
      health_.record(env.publisherId, env.sequence, env.sourceTime, now, interval, updateCount);
  if (verdict == SequenceVerdict::Duplicate) {
    counters_.duplicates.fetch_add(1, relaxed);
    return MessageOutcome::Duplicate;
  }
  if (verdict == SequenceVerdict::Old) {
    counters_.old.fetch_add(1, relaxed);
    return MessageOutcome::Old;
  }
  if (rate_ > 0 && !admitRate(rateKey, updateCount, monotonicSeconds)) {
    counters_.rateLimitedMessages.fetch_add(1, relaxed);
    counters_.rateLimitedUpdates.fetch_add(updateCount, relaxed);
    return MessageOutcome::RateLimited;
  }
  std::uint64_t unknownEntities = 0;
  std::uint64_t unknownAttributes = 0;
  std::uint64_t ungranted = 0;
  std::string_view firstUngranted;  // for the audit line
  std::size_t resolvedCount = 0;
  if (env.encoding == PayloadEncoding::Binary) {
    // Each unknown string is reported once per message with its count: one long unknown name named by every
    // record must not be hashed once per record (issue 15). Tallied per string-table slot (an integer key).
    for (const UnmappedString& u : unmapped_) {
      if (!u.attribute && granted && deniedString_[u.string] != 0) {
        if (ungranted++ == 0) firstUngranted = view_.strings[u.string];  // not reported as unknown either
        continue;
      }
      const std::size_t slot = 2 * std::size_t{u.string} + (u.attribute ? 1 : 0);
      const auto [it, inserted] = unknownTally_.try_emplace(slot, 0);
      if (inserted) unknownSlots_.push_back(slot);
      ++it->second;
    }
    for (const std::size_t slot : unknownSlots_) {
      const std::uint64_t count = unknownTally_[slot];
      if (slot % 2 == 1) {
        unknownAttributes += count;
        directory_.reportUnknownAttribute(view_.strings[slot / 2], count);
      } else {
        unknownEntities += count;
        directory_.reportUnknownEntity(view_.strings[slot / 2], count);
      }
    }
    unknownTally_.clear();
    unknownSlots_.clear();
    // The per-sample stale rule (issue 4) needs each entity's declared interval. Looked at for every entity the
    // string table names, once per table, snapshot and interval, rather than once per record.
    if (granted) {
      // Only the entities this sender may write; the next sender's grant may differ, so noted again next time.
      for (const std::uint32_t entity : grantedEntityOf_) {
        if (entity != kUnmapped) noteInterval(entity, interval);
      }
      table.notedInterval = 0;
    } else if (table.notedInterval != interval) {
      for (const std::uint32_t entity : table.entityOf) {
        if (entity != kUnmapped) noteInterval(entity, interval);
      }
      table.notedInterval = interval;
    }
    resolvedCount = mapped;
  } else {
    // JSON: the materialised updates. Consecutive updates usually share the attribute: remember the last lookup.
    if (batch_.size() < view_.jsonUpdates.size()) batch_.resize(view_.jsonUpdates.size());
    SampleUpdate* out = batch_.data();
    std::string_view lastAttrName;
    std::optional<AttributeId> lastAttr;
    std::string_view lastGrantName;  // consecutive updates usually share the entity too
    bool lastGranted = false;
    for (const Update& u : view_.jsonUpdates) {
      if (granted) {
        if (lastGrantName.data() == nullptr || u.entityId != lastGrantName) {
          lastGranted = gate->mayWrite(u.entityId);
          lastGrantName = u.entityId;
        }
        if (!lastGranted) {
          if (ungranted++ == 0) firstUngranted = u.entityId;
          continue;
        }
      }
      const std::optional<EntityIndex> entity = dir.findEntity(u.entityId);
      if (!entity) {
        ++unknownEntities;
        unknownJsonEntities_.add(u.entityId);  // reported once per message below
        continue;
      }
      if (lastAttrName.data() == nullptr || u.attribute != lastAttrName) {
        lastAttr = dir.findAttribute(u.attribute);
        lastAttrName = u.attribute;
      }
      if (!lastAttr) {
        ++unknownAttributes;
        unknownJsonAttributes_.add(u.attribute);
        continue;
      }
      noteInterval(*entity, interval);
      *out++ = SampleUpdate{*entity, *lastAttr, u.time.value_or(env.sourceTime), u.value};
    }
    resolvedCount = static_cast<std::size_t>(out - batch_.data());
    // Each distinct unknown name once, with its count (the views point into view_.jsonUpdates).
    for (const auto& [name, count] : unknownJsonEntities_.names) directory_.reportUnknownEntity(name, count);
    for (const auto& [name, count] : unknownJsonAttributes_.names) directory_.reportUnknownAttribute(name, count);
    unknownJsonEntities_.clear();
    unknownJsonAttributes_.clear();
  }
  // The key's grant in time (max_backfill_s): what lies earlier than now minus it is dropped, counted with the
  // ungranted updates and handed to the gate's audit, so that a key cannot write its entities' distant past.
  std::uint64_t tooOld = 0;
  TimePoint oldest = 0;
  if (gate != nullptr && gate->maxBackfill() > 0 && resolvedCount > 0) {
    const TimePoint earliest = now - gate->maxBackfill();
    SampleUpdate* kept = batch_.data();
    for (std::size_t i = 0; i < resolvedCount; ++i) {
      const SampleUpdate& s = batch_[i];
      if (s.time < earliest) {
        oldest = tooOld++ == 0 ? s.time : std::min(oldest, s.time);
        continue;
      }
      *kept++ = s;
    }
    resolvedCount = static_cast<std::size_t>(kept - batch_.data());
  }
  const std::span<const SampleUpdate> resolved(batch_.data(), resolvedCount);
  if (unknownEntities != 0) counters_.unknownEntities.fetch_add(unknownEntities, relaxed);
  if (unknownAttributes != 0) counters_.unknownAttributes.fetch_add(unknownAttributes, relaxed);
  if (ungranted != 0) {
    gate->ungranted(env.publisherId, firstUngranted, ungranted);
    counters_.ungrantedUpdates.fetch_add(ungranted, relaxed);  // after the gate's audit line
  }
  if (tooOld != 0) {
    gate->tooOld(env.publisherId, tooOld, oldest);
    counters_.ungrantedUpdates.fetch_add(tooOld, relaxed);
  }
  if (!intervalNotes_.empty()) {
    if (intervalSink_) intervalSink_(intervalNotes_, interval);
    intervalNotes_.clear();
  }
  if (!resolved.empty()) sink_(resolved);
  counters_.updates.fetch_add(resolved.size(), relaxed);
  counters_.accepted.fetch_add(1, relaxed);
  return MessageOutcome::Accepted;
}

}  // namespace gt::connectors::detail
