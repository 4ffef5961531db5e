#include "greentwin/core/feed_health.hpp"

#include <algorithm>
#include <cmath>

namespace gt {

const char* toString(SequenceVerdict verdict) {
  switch (verdict) {
    case SequenceVerdict::Accept: return "Accept";
    case SequenceVerdict::Duplicate: return "Duplicate";
    case SequenceVerdict::Old: return "Old";
  }
  return "?";
}

const char* toString(FeedState state) {
  switch (state) {
    case FeedState::NeverSeen: return "NEVER_SEEN";
    case FeedState::Live: return "LIVE";
    case FeedState::Stale: return "STALE";
  }
  return "?";
}

namespace {

std::int64_t floorDiv(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

}  // namespace

FeedHealth::FeedHealth(FeedHealthConfig config) : config_(config) {
  if (config_.binWidth <= 0) config_.binWidth = kMicrosPerSecond / 2;
  if (config_.window < config_.binWidth) config_.window = config_.binWidth;
  if (config_.defaultInterval <= 0) config_.defaultInterval = kMicrosPerSecond;
  if (!(config_.staleFactor > 0)) config_.staleFactor = 2.0;
  binCount_ = static_cast<std::size_t>((config_.window + config_.binWidth - 1) / config_.binWidth);
}

FeedHealth::Publisher& FeedHealth::findOrAdd(std::string_view publisher, bool expected) {
  auto it = publishers_.find(publisher);
  if (it == publishers_.end()) {
    if (!expected && config_.maxPublishers > 0 && recency_.size() >= config_.maxPublishers) {
      publishers_.erase(publishers_.find(*recency_.front()));  // the least recently seen makes room
      recency_.pop_front();
      ++evicted_;
    }
    it = publishers_.emplace(std::string(publisher), Publisher{}).first;
    it->second.bins.resize(binCount_);
    it->second.expected = expected;
    if (!expected) it->second.recency = recency_.insert(recency_.end(), &it->first);
    return it->second;
  }
  Publisher& p = it->second;
  if (p.expected) return p;
  if (expected) {
    recency_.erase(p.recency);
    p.expected = true;
  } else {
    recency_.splice(recency_.end(), recency_, p.recency);  // the most recently seen
  }
  return p;
}

std::uint64_t FeedHealth::evictedPublishers() const {
  const std::lock_guard lock(mu_);
  return evicted_;
}

std::size_t FeedHealth::publisherCount() const {
  const std::lock_guard lock(mu_);
  return publishers_.size();
}

void FeedHealth::expect(std::string_view publisher, Duration declaredInterval) {
  const std::lock_guard lock(mu_);
  Publisher& p = findOrAdd(publisher, true);
  if (declaredInterval > 0) p.declaredInterval = declaredInterval;
}

Duration FeedHealth::intervalOf(const Publisher& p) const {
  return p.declaredInterval > 0 ? p.declaredInterval : config_.defaultInterval;
}

FeedState FeedHealth::stateOf(const Publisher& p, TimePoint now) const {
  if (!p.seen) return FeedState::NeverSeen;
  const double limit = config_.staleFactor * static_cast<double>(intervalOf(p));
  return static_cast<double>(now - p.lastSeen) > limit ? FeedState::Stale : FeedState::Live;
}

void FeedHealth::accept(Publisher& p, std::uint64_t sequence, TimePoint sourceTime, TimePoint receiveTime,
                        std::uint64_t updateCount) {
  if (!p.seen) p.firstSeen = receiveTime;
  p.seen = true;
  p.lastSequence = sequence;
  p.lastSeen = std::max(p.lastSeen, receiveTime);
  p.lastSourceTime = sourceTime;
  p.oldRun = 0;
  ++p.messages;
  p.updates += updateCount;
  const std::int64_t index = floorDiv(receiveTime, config_.binWidth);
  const auto n = static_cast<std::int64_t>(binCount_);
  Bin& bin = p.bins[static_cast<std::size_t>(((index % n) + n) % n)];
  if (bin.index != index) {
    if (bin.index > index) return;  // a receive time older than the window this slot now holds
    bin = Bin{index, 0, 0};
  }
  ++bin.messages;
  bin.updates += updateCount;
}

SequenceVerdict FeedHealth::record(std::string_view publisher, std::uint64_t sequence, TimePoint sourceTime,
                                   TimePoint receiveTime, Duration declaredInterval, std::uint64_t updateCount) {
  const std::lock_guard lock(mu_);
  Publisher& p = findOrAdd(publisher);
  if (!p.seen) {
    if (declaredInterval > 0) p.declaredInterval = declaredInterval;
    accept(p, sequence, sourceTime, receiveTime, updateCount);
    return SequenceVerdict::Accept;
  }
  if (sequence == p.lastSequence) {
    ++p.duplicates;
    return SequenceVerdict::Duplicate;
  }
  if (sequence > p.lastSequence) {
    p.gaps += sequence - p.lastSequence - 1;
  } else {
    // seq < last: a restart (rules a, b, c in the header) or an old number.
    const bool small = sequence <= config_.restartMaxSequence;
    const bool wasStale = stateOf(p, receiveTime) == FeedState::Stale;
    const bool run = p.oldRun > 0 && sequence > p.oldRunLast;
    const bool confirmed = config_.restartConfirm > 0 && (run ? p.oldRun + 1 : 1) >= config_.restartConfirm;
    if (!small && !wasStale && !confirmed) {
      p.oldRun = run ? p.oldRun + 1 : 1;
      p.oldRunLast = sequence;
      ++p.old;
      return SequenceVerdict::Old;
    }
    ++p.restarts;
  }
  if (declaredInterval > 0) p.declaredInterval = declaredInterval;
  accept(p, sequence, sourceTime, receiveTime, updateCount);
  return SequenceVerdict::Accept;
}

PublisherHealth FeedHealth::healthOf(const std::string& id, const Publisher& p, TimePoint now) const {
  PublisherHealth h;
  h.publisher = id;
  h.state = stateOf(p, now);
  h.lastSeen = p.lastSeen;
  h.lastSourceTime = p.lastSourceTime;
  h.sinceLastSeen = p.seen ? now - p.lastSeen : 0;
  h.declaredInterval = intervalOf(p);
  h.lastSequence = p.lastSequence;
  h.messages = p.messages;
  h.updates = p.updates;
  h.gaps = p.gaps;
  h.duplicates = p.duplicates;
  h.old = p.old;
  h.restarts = p.restarts;
  if (p.seen) {
    const std::int64_t nowBin = floorDiv(now, config_.binWidth);
    const std::int64_t firstBin = nowBin - static_cast<std::int64_t>(binCount_) + 1;
    std::uint64_t messages = 0;
    std::uint64_t updates = 0;
    for (const Bin& bin : p.bins) {
      if (bin.index >= firstBin && bin.index <= nowBin) {
        messages += bin.messages;
        updates += bin.updates;
      }
    }
    const Duration span = std::min(config_.window, std::max(now - p.firstSeen, config_.binWidth));
    const double seconds = toSeconds(span);
    h.messageRate = static_cast<double>(messages) / seconds;
    h.updateRate = static_cast<double>(updates) / seconds;
  }
  return h;
}

std::vector<PublisherHealth> FeedHealth::snapshot(TimePoint now) const {
  std::vector<PublisherHealth> out;
  {
    const std::lock_guard lock(mu_);
    out.reserve(publishers_.size());
    for (const auto& [id, p] : publishers_) out.push_back(healthOf(id, p, now));
  }
  std::sort(out.begin(), out.end(),
            [](const PublisherHealth& a, const PublisherHealth& b) { return a.publisher < b.publisher; });
  return out;
}

PublisherHealth FeedHealth::health(std::string_view publisher, TimePoint now) const {
  const std::lock_guard lock(mu_);
  const auto it = publishers_.find(publisher);
  if (it == publishers_.end()) {
    PublisherHealth h;
    h.publisher = std::string(publisher);
    h.declaredInterval = config_.defaultInterval;
    return h;
  }
  return healthOf(it->first, it->second, now);
}

FeedState FeedHealth::state(std::string_view publisher, TimePoint now) const {
  const std::lock_guard lock(mu_);
  const auto it = publishers_.find(publisher);
  return it == publishers_.end() ? FeedState::NeverSeen : stateOf(it->second, now);
}

bool FeedHealth::isStale(std::string_view publisher, TimePoint now) const {
  return state(publisher, now) != FeedState::Live;
}

}  // namespace gt
