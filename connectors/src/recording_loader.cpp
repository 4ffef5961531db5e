#include "greentwin/connectors/recording_loader.hpp"

#include <algorithm>
#include <atomic>
#include <memory>
#include <string>
#include <utility>

#include "message_ingest.hpp"

namespace gt::connectors {

namespace {

std::span<const std::byte> frameOf(const RecordedMessage& m, std::size_t i) {
  return i < m.frames.size() ? std::span<const std::byte>(m.frames[i]) : std::span<const std::byte>();
}

// Why a message was refused, for RecordingLoadStats::refusals (Accepted: empty).
std::string refusalOf(detail::MessageOutcome outcome, const detail::MessageIngest& ingest, std::size_t frameCount) {
  const Envelope& env = ingest.envelope();
  switch (outcome) {
    case detail::MessageOutcome::Accepted:
      return {};
    case detail::MessageOutcome::WrongFrameCount:
      return std::to_string(frameCount) + " frames, not [topic][envelope][payload]";
    case detail::MessageOutcome::Rejected:
      return ingest.lastRejection().message();
    case detail::MessageOutcome::WrongPublisher:
      return "publisher '" + env.publisherId + "' not allowed";
    case detail::MessageOutcome::Duplicate:
      return "duplicate: publisher '" + env.publisherId + "' sequence " + std::to_string(env.sequence) + " again";
    case detail::MessageOutcome::Old:
      return "old: publisher '" + env.publisherId + "' sequence " + std::to_string(env.sequence) +
             " is older than its last";
    case detail::MessageOutcome::RateLimited:
      return "rate limited: publisher '" + env.publisherId + "' sequence " + std::to_string(env.sequence) +
             " (more updates than its token bucket held)";
  }
  return {};
}

}  // namespace

std::uint64_t RecordingLoadStats::rejectTotal() const {
  std::uint64_t total = 0;
  for (auto c : rejects) total += c;
  return total;
}

std::uint64_t RecordingLoadStats::refused() const {
  return wrongFrameCount + rejectTotal() + duplicates + old + rateLimitedMessages;
}

RecordingLoadStats loadRecording(FeedRecordingReader& reader, EntityDirectory& directory, FeedHealth& health,
                                 const RecordingSampleSink& sink, const RecordingLoadOptions& options) {
  RecordingLoadStats stats;
  stats.version = reader.version();
  stats.security = reader.security();
  stats.createdAt = reader.createdAt();
  const bool bounded = options.until != kNoTime;
  const std::size_t batchLimit = std::max<std::size_t>(1, options.batchSamples);

  // The shared path hands each accepted message's samples here; they are filtered by `until` and passed on in
  // batches of at most batchLimit.
  std::vector<SampleUpdate> pending;
  pending.reserve(std::min<std::size_t>(batchLimit, 1 << 16));
  auto flush = [&] {
    if (pending.empty()) return;
    sink(std::span<const SampleUpdate>(pending));
    pending.clear();
  };
  auto collect = [&](std::span<const SampleUpdate> batch) {
    for (const SampleUpdate& s : batch) {
      if (bounded && s.time > options.until) {
        ++stats.samplesAfterUntil;
        continue;
      }
      if (stats.samples == 0 || s.time < stats.firstSampleTime) stats.firstSampleTime = s.time;
      if (stats.samples == 0 || s.time > stats.lastSampleTime) stats.lastSampleTime = s.time;
      ++stats.samples;
      pending.push_back(s);
      if (pending.size() >= batchLimit) flush();
    }
  };
  detail::MessageIngest ingest(
      detail::MessageIngestSettings{options.limits, options.rateLimitUpdatesPerSecond, options.rateLimitBurstSeconds},
      collect, options.intervals, health, directory);

  RecordedMessage message;  // reused: its frames keep their capacity
  Duration firstOffset = 0;
  for (;;) {
    const std::uint64_t at = reader.offset();
    if (!reader.next(message)) break;
    if (stats.records == 0) {
      stats.firstReceive = message.receiveTime;
      firstOffset = message.receiveOffset;
    }
    ++stats.records;
    stats.lastReceive = message.receiveTime;
    stats.span = message.receiveOffset - firstOffset;
    if (bounded && message.receiveTime > options.until) {
      ++stats.recordsAfterUntil;
      continue;
    }
    const std::size_t frameCount = message.frames.size();
    const detail::MessageOutcome outcome =
        ingest.handle(frameCount, frameOf(message, 0), frameOf(message, 1), frameOf(message, 2),
                      message.receiveTime, static_cast<double>(message.receiveOffset) / kMicrosPerSecond,
                      nullptr, message.publisherKey);  // the rate limit per sender key (NULL: one bucket)
    if (outcome != detail::MessageOutcome::Accepted && stats.refusals.size() < options.maxRefusalNotes) {
      stats.refusals.push_back("record " + std::to_string(reader.recordsRead()) + " at byte " + std::to_string(at) +
                               ": " + refusalOf(outcome, ingest, frameCount));
    }
  }
  flush();
  stats.damage = reader.damage();

  detail::copyMessageCounts(ingest.counters(), stats);
  return stats;
}

Result<RecordingLoadStats> loadRecording(const std::string& path, EntityDirectory& directory, FeedHealth& health,
                                         const RecordingSampleSink& sink, const RecordingLoadOptions& options) {
  Result<std::unique_ptr<FeedRecordingReader>> reader = FeedRecordingReader::open(path);
  if (!reader) return reader.status();
  return loadRecording(**reader, directory, health, sink, options);
}

}  // namespace gt::connectors
