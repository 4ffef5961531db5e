#include "greentwin/sim/sweep_recorder.hpp"

#include <cmath>
#include <map>

#include "greentwin/connectors/feed_recording.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/sim/message_builder.hpp"

namespace gt::sim {

namespace {

constexpr Duration kReceiveDelay = 100'000;  // each message "arrives" 0.1 s after its simulated time

}  // namespace

Result<SweepRecordStats> recordSweeps(const std::vector<std::unique_ptr<Feed>>& feeds, const SweepRecordOptions& options) {
  if (options.sweeps < 1) return Status(ErrorCode::InvalidArgument, "--sweeps must be at least 1");
  if (!(options.intervalS > 0) || !std::isfinite(options.intervalS)) {
    return Status(ErrorCode::InvalidArgument, "the interval between sweeps must be a positive number of seconds");
  }
  if (options.path.empty()) return Status(ErrorCode::InvalidArgument, "no recording path");
  const Duration interval = static_cast<Duration>(std::llround(options.intervalS * kMicrosPerSecond));
  auto recorder = connectors::FeedRecorder::create(options.path, options.start);
  if (!recorder) return recorder.status();
  SweepRecordStats stats;
  std::map<std::string, std::uint64_t> sequence;  // per publisher id
  std::vector<double> scratch;
  connectors::Message m;
  for (int sweep = 0; sweep < options.sweeps; ++sweep) {
    const TimePoint t = options.start + sweep * interval;
    for (const auto& feed : feeds) {
      if (feed->size() == 0) continue;
      feed->prepare(t);
      m.topic = feed->topic();
      m.envelope.publisherId = options.publisherId + "-" + feed->domain();
      m.envelope.schemaId = feed->topic();
      m.envelope.declaredInterval = interval;
      m.envelope.sourceTime = t;  // the samples take it: the recording is of the simulated moment
      const std::size_t perMessage = entitiesPerMessage(*feed, options.maxUpdatesPerMessage);
      std::size_t cursor = 0;
      for (std::size_t left = feed->size(); left > 0;) {
        const std::size_t count = std::min(left, perMessage);
        left -= count;
        const std::size_t n = fillUpdates(*feed, t, cursor, count, std::nullopt, scratch, m);
        m.envelope.sequence = ++sequence[m.envelope.publisherId];
        auto frames = options.binary ? connectors::encodeBinary(m) : connectors::encodeJson(m);
        if (!frames) return Status(frames.status().code(), "encoding " + feed->topic() + ": " + frames.status().message());
        const TimePoint received = t + kReceiveDelay;
        connectors::RecordedMessage record{received, received - options.start, {frames->topic, frames->envelope, frames->payload}, {}};
        if (Status s = (*recorder)->write(record); !s) return s;
        stats.updates += n;
        ++stats.messages;
      }
    }
  }
  if (Status s = (*recorder)->sync(); !s) return s;
  stats.bytes = (*recorder)->bytes();
  return stats;
}

}  // namespace gt::sim
