// libFuzzer target for the offline recording loader (connectors/src/recording_loader.cpp) and the per-message
// ingest path it shares with ZmqIngest (connectors/src/message_ingest.cpp: the deferred binary records, the
// resolved string-table cache across messages, unknown names, the sequence check), from a recording file.
//
// Input layout: byte 0 holds the options and the mode:
//   bits 0-1  until: none, created + 2 s, created + 30 s, created - 1 µs
//   bits 2-4  batchSamples - 1 (1 to 8)
//   bit 5     a rate limit (2 updates/s, 1 s burst)
//   bits 6-7  0: the rest is the whole file (header included; the seeds are such files);
//             1-3: a valid header (version 2 NULL, version 2 CURVE, version 1), then records built from the rest,
//             with right lengths and checksums: u8 receive step (ms), u8 frame count (% 5), then per frame u16 LE
//             length and the bytes. So the wire-protocol checks are reached without the fuzzer finding CRCs.
// Seeds: tests/connectors/data/recording_loader_seeds (byte 0 = 0x00, then a recording of JSON and binary messages
// naming known and unknown entities, written by FeedRecorder with encodeJson / encodeBinary).
//
// Besides "no crash, no out-of-bounds read", it checks the counts add up, every batch is within the limit, and,
// without the rate limit, that the samples delivered are exactly those a plain reference computes from the same
// file: decodeMessage (the materialising decoder), a FeedHealth of its own, one snapshot lookup per update.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <tuple>
#include <vector>


#include "greentwin/connectors/feed_recording.hpp"
#include "greentwin/connectors/recording_loader.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "recording_fuzz_support.hpp"

using namespace gt;
using namespace gt::connectors;

namespace {

constexpr TimePoint kCreated = fuzz::kRecordingCreated;
using fuzz::check;
using fuzz::putU32;

void putI64(std::vector<std::byte>& out, std::int64_t v) {
  const auto u = static_cast<std::uint64_t>(v);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::byte>((u >> (8 * i)) & 0xFFu));
}

// Records from the fuzzer's bytes (layout above), each with the right length and checksum.
std::vector<std::byte> structuredFile(unsigned variant, const std::byte* bytes, std::size_t size) {
  std::vector<std::byte> file = fuzz::validHeader(variant);
  const bool v1 = variant % 3 == 2;
  const bool curve = variant % 3 == 1;
  std::size_t i = 0;
  Duration offset = 0;
  while (i + 2 <= size) {
    offset += static_cast<Duration>(bytes[i]) * 1000;
    const auto frameCount = static_cast<std::uint32_t>(bytes[i + 1]) % 5;
    i += 2;
    std::vector<std::byte> body;
    putI64(body, kCreated + offset);
    putI64(body, offset);
    if (!v1) {
      const std::size_t keyLength = curve ? 40 : 0;
      body.push_back(static_cast<std::byte>(keyLength));
      body.insert(body.end(), keyLength, std::byte{'K'});
    }
    putU32(body, frameCount);
    for (std::uint32_t f = 0; f < frameCount; ++f) {
      std::size_t length = 0;
      if (i + 2 <= size) {
        length = static_cast<std::size_t>(bytes[i]) | (static_cast<std::size_t>(bytes[i + 1]) << 8);
        i += 2;
      }
      if (length > size - i) length = size - i;
      putU32(body, static_cast<std::uint32_t>(length));
      body.insert(body.end(), bytes + i, bytes + i + length);
      i += length;
    }
    fuzz::appendRecord(file, body);
  }
  return file;
}

struct Directory {
  EntityStore store;
  Directory() {
    for (const char* id : {"station/0", "station/1", "s", "b/1"}) (void)store.add(id, "air_station");
    for (const char* name : {"pm25", "no2", "v"}) (void)store.attributes().intern(name);
  }
};

using Delivered = std::tuple<EntityIndex, AttributeId, TimePoint, double>;

struct Expected {
  std::vector<Delivered> samples;
  std::uint64_t accepted = 0, unknownEntities = 0, unknownAttributes = 0, afterUntil = 0;
};

// The reference: the materialising decoder, a FeedHealth of its own, one lookup per update.
Expected reference(std::span<const std::byte> file, const Directory& names, const RecordingLoadOptions& options) {
  Expected out;
  auto reader = FeedRecordingReader::fromBytes(file, "fuzz");
  if (!reader) return out;
  const DirectorySnapshot snapshot = DirectorySnapshot::fromStore(names.store);
  FeedHealth health;
  const bool bounded = options.until != kNoTime;
  RecordedMessage m;
  while ((*reader)->next(m)) {
    if (bounded && m.receiveTime > options.until) continue;
    if (m.frames.size() != 3) continue;
    auto message = decodeMessage(m.frames[0], m.frames[1], m.frames[2], options.limits, m.receiveTime);
    if (!message) continue;
    const Envelope& env = message->envelope;
    if (health.record(env.publisherId, env.sequence, env.sourceTime, m.receiveTime, env.declaredInterval,
                      message->updates.size()) != SequenceVerdict::Accept) {
      continue;
    }
    ++out.accepted;
    for (const Update& u : message->updates) {
      const auto entity = snapshot.findEntity(u.entityId);
      if (!entity) {
        ++out.unknownEntities;
        continue;
      }
      const auto attribute = snapshot.findAttribute(u.attribute);
      if (!attribute) {
        ++out.unknownAttributes;
        continue;
      }
      const TimePoint t = u.time.value_or(env.sourceTime);
      if (bounded && t > options.until) {
        ++out.afterUntil;
        continue;
      }
      out.samples.emplace_back(*entity, *attribute, t, u.value);
    }
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned options = data[0];
  const auto* bytes = reinterpret_cast<const std::byte*>(data + 1);
  --size;
  const unsigned mode = options >> 6;
  const std::vector<std::byte> file =
      mode == 0 ? std::vector<std::byte>(bytes, bytes + size) : structuredFile(mode - 1, bytes, size);

  RecordingLoadOptions load;
  constexpr TimePoint kUntil[4] = {kNoTime, kCreated + 2'000'000, kCreated + 30'000'000, kCreated - 1};
  load.until = kUntil[options & 3u];
  load.batchSamples = 1 + ((options >> 2) & 7u);
  const bool rateLimited = (options & 0x20u) != 0;
  if (rateLimited) load.rateLimitUpdatesPerSecond = 2;
  load.maxRefusalNotes = 2;

  static const Directory names;
  EntityDirectory directory;
  directory.publishFrom(names.store);
  FeedHealth health;
  auto reader = FeedRecordingReader::fromBytes(file, "fuzz");
  if (!reader) return 0;
  std::vector<Delivered> got;
  const RecordingLoadStats stats = loadRecording(
      **reader, directory, health,
      [&](std::span<const SampleUpdate> batch) {
        check(!batch.empty() && batch.size() <= load.batchSamples);
        for (const SampleUpdate& s : batch) {
          check(s.entity < names.store.size() && s.attribute < names.store.attributes().size());
          check(load.until == kNoTime || s.time <= load.until);
          got.emplace_back(s.entity, s.attribute, s.time, s.value);
        }
      },
      load);

  check(stats.messages + stats.recordsAfterUntil == stats.records);
  check(stats.accepted + stats.refused() == stats.messages);
  check(stats.refusals.size() == std::min<std::uint64_t>(stats.refused(), load.maxRefusalNotes));
  check(stats.samples == got.size());
  check(stats.damage.isOk() == (*reader)->damage().isOk());
  check(directory.stats().unknownEntityUpdates == stats.unknownEntities);
  check(directory.stats().unknownAttributeUpdates == stats.unknownAttributes);
  if (!rateLimited) {
    const Expected expected = reference(file, names, load);
    check(got == expected.samples);
    check(stats.accepted == expected.accepted);
    check(stats.unknownEntities == expected.unknownEntities);
    check(stats.unknownAttributes == expected.unknownAttributes);
    check(stats.samplesAfterUntil == expected.afterUntil);
  }
  return 0;
}
