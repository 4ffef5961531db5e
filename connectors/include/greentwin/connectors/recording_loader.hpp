#pragma once
// A feed recording loaded offline (issue 11, "headless at any time": `greentwin render --replay FILE --time T`;
// docs/record-replay.md "Loading a recording offline"). Every message of a recording (feed_recording.hpp) goes
// through the live ingest's own per-message path (connectors/src/message_ingest.*, the code ZmqIngest's thread
// runs after each socket receive): the frame count, decoding and validation with the source's DecodeLimits, the
// per-publisher sequence check and FeedHealth, the rate limit, and the resolution through the EntityDirectory
// snapshot, with unknown entity ids / attribute names reported to the directory and the entities' declared
// intervals handed to options.intervals exactly as the live ingest hands them to its UpdateChannel. No sockets, on the calling thread.
//
// The recorded receive times stand in for the clock: a message is decoded with `now` = its receive wall time (the
// far-future check) and recorded in FeedHealth at that time, and the rate limit's token buckets run on its receive
// offset (monotonic). So a file gives the same samples, health and counts on every run and machine, and the ones
// the live twin got when it received those messages (given the same directory and options).
//
// Trust: the file is local and trusted as far as its owner is.
//   Checked: each record's CRC-32 and layout (accidental damage: a cut or corrupted file; not tampering, since
//   whoever can write the file can write matching checksums), and every wire-protocol, sequence and rate check the
//   live ingest makes.
//   Not checked: a CURVE recording's per-record sender keys are not verified. The loader has no allow-list, so it
//   checks neither that a key is (still) admitted (the recorder admitted it when it recorded; a key revoked since
//   is not refused) nor the publisher-id binding the live ingest applies (AllowListEntry::mayPublishAs): a message
//   is applied under the publisher id its envelope names. A NULL (or version 1) recording has no keys at all.
//
// Time bound (RecordingLoadOptions::until): to draw the twin as it was at T, the loader applies what the live twin
// had received by T. Records are in receive order; one received after `until` is skipped (read, for the file's span
// and damage, but not decoded: the live twin had not received it at T, and it must not move the publishers'
// sequence or health state past T). A sample with a time after `until` inside an applied message (a publisher's
// clock ahead, within DecodeLimits::maxClockSkew) is not delivered, and is counted.
//
// Delivery: no channel in between, so nothing is coalesced or dropped. The resolved samples go to the caller's sink
// in the order the live ingest would have pushed them into its UpdateChannel, in batches of at most
// options.batchSamples (a message's samples may span two batches). The sink runs on the calling thread and must use
// the batch before it returns (the memory is reused): e.g. TimeSeriesStore::append, or UpdateChannel::push followed
// by a drain (a channel holding a whole recording between drains would coalesce it).
//
// Threads: the calling thread. `directory` and `health` are thread-safe and may be shared (the twin's own).

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "greentwin/connectors/feed_recording.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt::connectors {

struct RecordingLoadOptions {
  // As the live source's (ZmqIngestConfig): the same limits (district, extra domains) and rate limit give the
  // same verdicts.
  DecodeLimits limits;
  double rateLimitUpdatesPerSecond = 0;  // per publisher; <= 0: no limit
  double rateLimitBurstSeconds = 1.0;
  // kNoTime: the whole recording. Else records received after it are skipped and samples after it not delivered
  // (see "Time bound" above).
  TimePoint until = kNoTime;
  std::size_t batchSamples = 8192;  // the most samples per sink call (at least 1)
  std::size_t maxRefusalNotes = 8;  // how many refused messages RecordingLoadStats::refusals describes
  // Gets the declared interval of the entities whose interval changed, before the samples of that message reach the
  // sink (for the caller's StaleRule); calling thread, the span valid during the call. Empty: not wanted.
  std::function<void(std::span<const EntityIndex>, Duration)> intervals;
};

// Gets the delivered samples, on the calling thread; the span is valid during the call only.
using RecordingSampleSink = std::function<void(std::span<const SampleUpdate>)>;

struct RecordingLoadStats {
  // The file.
  std::uint32_t version = 0;
  RecordingSecurity security = RecordingSecurity::None;
  TimePoint createdAt = 0;
  std::uint64_t records = 0;            // intact records read (every one before any damage)
  std::uint64_t recordsAfterUntil = 0;  // of those, skipped: received after options.until
  TimePoint firstReceive = kNoTime;     // receive wall time of the first and last record read (kNoTime: none)
  TimePoint lastReceive = kNoTime;
  Duration span = 0;                    // receive offset of the last record read minus the first
  Status damage;  // ok, or where the file is damaged ("<path>: record <n> at byte <offset>: ..."): the records
                  // before it were used
  // The messages applied (records - recordsAfterUntil), counted as ZmqIngestStats counts them.
  std::uint64_t messages = 0;
  std::uint64_t accepted = 0;           // their samples were delivered (possibly none resolved)
  std::uint64_t wrongFrameCount = 0;
  std::array<std::uint64_t, kRejectReasonCount> rejects{};  // decode rejections by RejectReason
  std::uint64_t duplicates = 0;
  std::uint64_t old = 0;
  std::uint64_t rateLimitedMessages = 0;
  std::uint64_t rateLimitedUpdates = 0;
  // The first maxRefusalNotes refused messages: "record <n> at byte <offset>: <why>", e.g. "...: malformed_json: ...",
  // "...: duplicate: publisher 'p' sequence 7 again", "...: 2 frames, not [topic][envelope][payload]".
  std::vector<std::string> refusals;
  // Samples.
  std::uint64_t samples = 0;            // delivered to the sink
  std::uint64_t samplesAfterUntil = 0;  // resolved but not delivered: time after options.until
  std::uint64_t unknownEntities = 0;    // updates dropped for an entity id not in the directory (reported to it)
  std::uint64_t unknownAttributes = 0;  // ... for an attribute name not in the directory (reported to it)
  TimePoint firstSampleTime = kNoTime;  // the earliest and latest time of the samples delivered (kNoTime: none)
  TimePoint lastSampleTime = kNoTime;

  std::uint64_t reject(RejectReason r) const { return rejects[static_cast<std::size_t>(r)]; }
  std::uint64_t rejectTotal() const;
  // Messages refused whole: wrong frame count, rejected, duplicate, old, rate limited.
  std::uint64_t refused() const;
};

// Loads the recording at `path`. An error when the file cannot be opened or its header is bad (IoError, ParseError,
// Unsupported, naming the path); damage inside the file is not an error (stats.damage).
Result<RecordingLoadStats> loadRecording(const std::string& path, EntityDirectory& directory, FeedHealth& health,
                                         const RecordingSampleSink& sink, const RecordingLoadOptions& options = {});
// The same from an open reader (its remaining records), e.g. FeedRecordingReader::fromBytes.
RecordingLoadStats loadRecording(FeedRecordingReader& reader, EntityDirectory& directory, FeedHealth& health,
                                 const RecordingSampleSink& sink, const RecordingLoadOptions& options = {});

}  // namespace gt::connectors
