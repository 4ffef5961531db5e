// loadRecording (recording_loader.hpp): feed recordings written with FeedRecorder, holding JSON and binary
// messages built with the wire-protocol encoder, loaded offline against a directory of known entities: the exact
// samples, unknown names reported, intervals noted, refused messages counted and described, a cut file, the time
// bound, the rate limit on recorded times, batches, a CURVE recording, and the same samples as the live ingest gets
// from a replay of the same file.

#include "greentwin/connectors/recording_loader.hpp"
#include "greentwin/core/stale_rule.hpp"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "greentwin/connectors/feed_recording.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/update_channel.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr Duration kSecond = kMicrosPerSecond;
const TimePoint kT0 = (wallNow() / kMicrosPerSecond - 3600) * kMicrosPerSecond;  // an hour ago, whole seconds

// (entity, attribute, time, value): SampleUpdate has no operator==.
using Sample = std::tuple<EntityIndex, AttributeId, TimePoint, double>;

std::vector<Sample> asSamples(std::span<const SampleUpdate> updates) {
  std::vector<Sample> out;
  for (const SampleUpdate& u : updates) out.emplace_back(u.entity, u.attribute, u.time, u.value);
  return out;
}

Message message(const std::string& publisher, std::uint64_t seq, TimePoint sourceTime, std::vector<Update> updates,
                Duration interval = kSecond) {
  Message m;
  m.topic = "air.station";
  m.envelope.publisherId = publisher;
  m.envelope.sequence = seq;
  m.envelope.sourceTime = sourceTime;
  m.envelope.schemaId = "air.station";
  m.envelope.declaredInterval = interval;
  m.updates = std::move(updates);
  return m;
}

Update update(const std::string& entity, const std::string& attribute, double value,
              std::optional<TimePoint> time = std::nullopt) {
  return Update{entity, attribute, value, attribute == "pm25" ? "ug/m3" : "", time};
}

WireFrames encode(const Message& m, PayloadEncoding encoding) {
  auto r = encoding == PayloadEncoding::Binary ? encodeBinary(m) : encodeJson(m);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return r.isOk() ? *r : WireFrames{};
}

class RecordingLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gt_recload_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(entities.add("station/" + std::to_string(i), "air_station").isOk());
    pm25 = *entities.attributes().intern("pm25", "ug/m3");
    no2 = *entities.attributes().intern("no2", "ug/m3");
    directory.publishFrom(entities);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A recording being written; write() returns the byte offset of the record it wrote.
  struct Writer {
    std::unique_ptr<FeedRecorder> recorder;
    std::uint64_t writeFrames(TimePoint receiveTime, std::vector<std::vector<std::byte>> frames,
                              const std::string& key = {}) {
      const std::uint64_t at = recorder->bytes();
      RecordedMessage m{receiveTime, receiveTime - kT0, std::move(frames), key};
      EXPECT_TRUE(recorder->write(m).isOk());
      return at;
    }
    std::uint64_t write(TimePoint receiveTime, const WireFrames& w, const std::string& key = {}) {
      return writeFrames(receiveTime, {w.topic, w.envelope, w.payload}, key);
    }
  };
  Writer create(const std::string& name, RecordingSecurity security = RecordingSecurity::None) {
    auto r = FeedRecorder::create(file(name), kT0, security);
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return Writer{std::move(*r)};
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // Loads `name` and collects what the sink got, checking each batch against the limit.
  Result<RecordingLoadStats> load(const std::string& name, RecordingLoadOptions options = {}) {
    got.clear();
    batches = 0;
    if (!options.intervals) {
      options.intervals = [this](std::span<const EntityIndex> noted, Duration interval) {
        for (EntityIndex e : noted) stale.noteInterval(e, interval);
      };
    }
    return loadRecording(
        file(name), directory, health,
        [&, limit = options.batchSamples](std::span<const SampleUpdate> batch) {
          EXPECT_FALSE(batch.empty());
          EXPECT_LE(batch.size(), limit);
          ++batches;
          for (const Sample& s : asSamples(batch)) got.push_back(s);
        },
        options);
  }

  StaleRule stale;  // the declared intervals the loader handed on
  fs::path dir_;
  EntityStore entities;
  AttributeId pm25 = 0;
  AttributeId no2 = 0;
  EntityDirectory directory;
  FeedHealth health;
  std::vector<Sample> got;
  std::size_t batches = 0;
};

TEST_F(RecordingLoaderTest, JsonAndBinaryMessagesGiveTheExactSamples) {
  Writer w = create("mixed.gtrec");
  // JSON: one update at the envelope's time, one with its own time.
  w.write(kT0 + 1000, encode(message("air-1", 1, kT0, {update("station/0", "pm25", 12.5),
                                                        update("station/1", "no2", 40.0, kT0 - 500)}),
                             PayloadEncoding::Json));
  // Binary, then binary again with the same string table (the resolved table is reused) and new values.
  w.write(kT0 + kSecond + 1000,
          encode(message("air-1", 2, kT0 + kSecond, {update("station/2", "pm25", 7.25),
                                                     update("station/3", "pm25", 8.0, kT0 + kSecond + 10)}),
                 PayloadEncoding::Binary));
  w.write(kT0 + 2 * kSecond + 1000,
          encode(message("air-1", 3, kT0 + 2 * kSecond, {update("station/2", "pm25", 9.5),
                                                         update("station/3", "pm25", -1.0, kT0 + 2 * kSecond + 10)}),
                 PayloadEncoding::Binary));
  w.recorder.reset();

  auto stats = load("mixed.gtrec");
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_THAT(got, ElementsAre(Sample{0, pm25, kT0, 12.5}, Sample{1, no2, kT0 - 500, 40.0},
                               Sample{2, pm25, kT0 + kSecond, 7.25}, Sample{3, pm25, kT0 + kSecond + 10, 8.0},
                               Sample{2, pm25, kT0 + 2 * kSecond, 9.5},
                               Sample{3, pm25, kT0 + 2 * kSecond + 10, -1.0}));
  EXPECT_EQ(stats->version, kFeedRecordingVersion);
  EXPECT_EQ(stats->security, RecordingSecurity::None);
  EXPECT_EQ(stats->createdAt, kT0);
  EXPECT_EQ(stats->records, 3u);
  EXPECT_EQ(stats->messages, 3u);
  EXPECT_EQ(stats->accepted, 3u);
  EXPECT_EQ(stats->refused(), 0u);
  EXPECT_TRUE(stats->refusals.empty());
  EXPECT_EQ(stats->samples, 6u);
  EXPECT_EQ(stats->firstReceive, kT0 + 1000);
  EXPECT_EQ(stats->lastReceive, kT0 + 2 * kSecond + 1000);
  EXPECT_EQ(stats->span, 2 * kSecond);
  EXPECT_EQ(stats->firstSampleTime, kT0 - 500);
  EXPECT_EQ(stats->lastSampleTime, kT0 + 2 * kSecond + 10);
  EXPECT_TRUE(stats->damage.isOk());
  EXPECT_EQ(batches, 1u);
  // The health was recorded at the recorded receive times.
  const PublisherHealth h = health.health("air-1", kT0 + 2 * kSecond + 1000);
  EXPECT_EQ(h.messages, 3u);
  EXPECT_EQ(h.updates, 6u);
  EXPECT_EQ(h.lastSequence, 3u);
  EXPECT_EQ(h.lastSeen, kT0 + 2 * kSecond + 1000);
  EXPECT_EQ(h.state, FeedState::Live);
}

TEST_F(RecordingLoaderTest, UnknownEntitiesAndAttributesAreReportedToTheDirectory) {
  Writer w = create("unknown.gtrec");
  w.write(kT0 + 1000, encode(message("air-1", 1, kT0, {update("station/9", "pm25", 1.0),
                                                        update("station/0", "humidity", 2.0),
                                                        update("station/0", "pm25", 3.0)}),
                             PayloadEncoding::Json));
  w.write(kT0 + 2000, encode(message("air-1", 2, kT0 + 1000, {update("ghost/1", "pm25", 4.0),
                                                               update("station/1", "co2", 5.0),
                                                               update("station/1", "no2", 6.0)}),
                             PayloadEncoding::Binary));
  w.recorder.reset();

  auto stats = load("unknown.gtrec");
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_THAT(got, ElementsAre(Sample{0, pm25, kT0, 3.0}, Sample{1, no2, kT0 + 1000, 6.0}));
  EXPECT_EQ(stats->unknownEntities, 2u);
  EXPECT_EQ(stats->unknownAttributes, 2u);
  EXPECT_EQ(stats->accepted, 2u);  // a message with unknown names is still accepted; those updates are dropped
  EXPECT_THAT(directory.unknownEntities(), ElementsAre("station/9", "ghost/1"));
  EXPECT_THAT(directory.unknownAttributes(), ElementsAre("humidity", "co2"));
  EXPECT_EQ(directory.stats().unknownEntityUpdates, 2u);
  EXPECT_EQ(directory.stats().unknownAttributeUpdates, 2u);
}

// Issue 15: a long unknown name that every update of a message names is looked up (hashed) once per message, with
// the number of updates it cost, not once per update.
TEST_F(RecordingLoaderTest, EachUnknownNameIsReportedOncePerMessageWithItsCount) {
  const std::string longEntity = "ghost/" + std::string(60000, 'x');
  const std::string longAttribute = "attr-" + std::string(60000, 'y');
  constexpr int kUpdates = 2000;
  constexpr int kJsonUpdates = 50;  // JSON repeats the names in every update: 6 MB for 100 of them
  constexpr std::uint64_t kTotal = kUpdates + kJsonUpdates;
  auto updates = [&](int n) {
    std::vector<Update> out;
    for (int i = 0; i < n; ++i) out.push_back(update(longEntity, "pm25", i));
    for (int i = 0; i < n; ++i) out.push_back(update("station/0", longAttribute, i));
    out.push_back(update("station/1", "pm25", 1.5));
    return out;
  };
  Writer w = create("long-unknown.gtrec");
  w.write(kT0 + 1000, encode(message("air-1", 1, kT0, updates(kUpdates)), PayloadEncoding::Binary));
  w.write(kT0 + 2000, encode(message("air-1", 2, kT0 + 1000, updates(kJsonUpdates)), PayloadEncoding::Json));
  w.recorder.reset();

  auto stats = load("long-unknown.gtrec");
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_THAT(got, ElementsAre(Sample{1, pm25, kT0, 1.5}, Sample{1, pm25, kT0 + 1000, 1.5}));
  EXPECT_EQ(stats->unknownEntities, kTotal);
  EXPECT_EQ(stats->unknownAttributes, kTotal);
  const EntityDirectoryStats d = directory.stats();
  EXPECT_EQ(d.unknownEntityUpdates, kTotal);  // every dropped update still counts
  EXPECT_EQ(d.unknownAttributeUpdates, kTotal);
  EXPECT_EQ(d.unknownEntityReports, 2u);  // one report per message (binary, then JSON), not one per update
  EXPECT_EQ(d.unknownAttributeReports, 2u);
  // (Names this long are not kept for registering: counted only.)
  EXPECT_EQ(d.unknownNameTooLong, 4u);
  EXPECT_TRUE(directory.unknownEntities().empty());
  EXPECT_TRUE(directory.unknownAttributes().empty());
}

TEST_F(RecordingLoaderTest, DeclaredIntervalsAreNotedAsTheLiveIngestNotesThem) {
  Writer w = create("intervals.gtrec");
  w.write(kT0 + 1000, encode(message("air-json", 1, kT0, {update("station/0", "pm25", 1.0)}, 3 * kSecond),
                             PayloadEncoding::Json));
  w.write(kT0 + 2000, encode(message("air-bin", 1, kT0, {update("station/1", "pm25", 1.0),
                                                          update("station/2", "no2", 2.0),
                                                          update("ghost/7", "pm25", 3.0)}, 7 * kSecond),
                             PayloadEncoding::Binary));
  w.recorder.reset();

  auto stats = load("intervals.gtrec");
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_EQ(stale.declaredInterval(0), 3 * kSecond);
  EXPECT_EQ(stale.declaredInterval(1), 7 * kSecond);
  EXPECT_EQ(stale.declaredInterval(2), 7 * kSecond);
  EXPECT_EQ(stale.declaredInterval(3), 0);  // named by no message
}

TEST_F(RecordingLoaderTest, RefusedMessagesAreCountedDescribedAndSkipped) {
  Writer w = create("refused.gtrec");
  w.write(kT0 + 1000, encode(message("air-1", 1, kT0, {update("station/0", "pm25", 1.0)}), PayloadEncoding::Json));
  WireFrames bad = encode(message("air-1", 2, kT0, {update("station/0", "pm25", 2.0)}), PayloadEncoding::Json);
  const std::string garbage = "{\"v\": 1, not json";
  bad.envelope.assign(reinterpret_cast<const std::byte*>(garbage.data()),
                      reinterpret_cast<const std::byte*>(garbage.data()) + garbage.size());
  const std::uint64_t malformedAt = w.write(kT0 + 2000, bad);
  const WireFrames two = encode(message("air-1", 2, kT0, {update("station/0", "pm25", 3.0)}), PayloadEncoding::Json);
  const std::uint64_t twoFramesAt = w.writeFrames(kT0 + 3000, {two.topic, two.envelope});
  // The same sequence number again (a publisher's resend): a duplicate.
  const std::uint64_t duplicateAt = w.write(
      kT0 + 4000, encode(message("air-1", 1, kT0, {update("station/0", "pm25", 4.0)}), PayloadEncoding::Binary));
  // 10 s ahead of its receive time (the decoder's `now` is the recorded receive time, not today's clock).
  const std::uint64_t futureAt =
      w.write(kT0 + 5000, encode(message("air-1", 5, kT0 + 5000 + 10 * kSecond, {update("station/0", "pm25", 5.0)}),
                                 PayloadEncoding::Binary));
  w.write(kT0 + 6000,
          encode(message("air-1", 6, kT0 + 6000, {update("station/1", "pm25", 6.0)}), PayloadEncoding::Binary));
  w.recorder.reset();

  RecordingLoadOptions options;
  options.maxRefusalNotes = 3;
  auto stats = load("refused.gtrec", options);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_THAT(got, ElementsAre(Sample{0, pm25, kT0, 1.0}, Sample{1, pm25, kT0 + 6000, 6.0}));
  EXPECT_EQ(stats->records, 6u);
  EXPECT_EQ(stats->messages, 6u);
  EXPECT_EQ(stats->accepted, 2u);
  EXPECT_EQ(stats->reject(RejectReason::MalformedJson), 1u);
  EXPECT_EQ(stats->reject(RejectReason::FutureTimestamp), 1u);
  EXPECT_EQ(stats->rejectTotal(), 2u);
  EXPECT_EQ(stats->wrongFrameCount, 1u);
  EXPECT_EQ(stats->duplicates, 1u);
  EXPECT_EQ(stats->refused(), 4u);
  ASSERT_EQ(stats->refusals.size(), 3u);  // maxRefusalNotes
  EXPECT_THAT(stats->refusals[0], HasSubstr("record 2 at byte " + std::to_string(malformedAt) + ": malformed_json"));
  EXPECT_EQ(stats->refusals[1], "record 3 at byte " + std::to_string(twoFramesAt) +
                                    ": 2 frames, not [topic][envelope][payload]");
  EXPECT_EQ(stats->refusals[2],
            "record 4 at byte " + std::to_string(duplicateAt) + ": duplicate: publisher 'air-1' sequence 1 again");
  EXPECT_GT(futureAt, duplicateAt);
  EXPECT_TRUE(stats->damage.isOk());
  // A refused message touches no health (the duplicate is counted there, as live).
  const PublisherHealth h = health.health("air-1", kT0 + 6000);
  EXPECT_EQ(h.messages, 2u);
  EXPECT_EQ(h.duplicates, 1u);
  EXPECT_EQ(h.lastSequence, 6u);
}

TEST_F(RecordingLoaderTest, ACutFileLoadsEverythingBeforeTheDamageAndSaysWhere) {
  Writer w = create("cut.gtrec");
  std::uint64_t fourthAt = 0;
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    const TimePoint t = kT0 + static_cast<TimePoint>(seq) * kSecond;
    const std::uint64_t at = w.write(
        t + 1000, encode(message("air-1", seq, t, {update("station/0", "pm25", static_cast<double>(seq))}),
                         seq % 2 == 0 ? PayloadEncoding::Binary : PayloadEncoding::Json));
    if (seq == 4) fourthAt = at;
  }
  w.recorder.reset();
  fs::resize_file(file("cut.gtrec"), fourthAt + 20);  // inside record 4

  auto stats = load("cut.gtrec");
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_THAT(got, ElementsAre(Sample{0, pm25, kT0 + kSecond, 1.0}, Sample{0, pm25, kT0 + 2 * kSecond, 2.0},
                               Sample{0, pm25, kT0 + 3 * kSecond, 3.0}));
  EXPECT_EQ(stats->records, 3u);
  EXPECT_EQ(stats->damage.code(), ErrorCode::ParseError);
  EXPECT_THAT(stats->damage.message(), HasSubstr(file("cut.gtrec")));
  EXPECT_THAT(stats->damage.message(), HasSubstr("record 4 at byte " + std::to_string(fourthAt) + ": truncated"));
  EXPECT_EQ(stats->lastReceive, kT0 + 3 * kSecond + 1000);
}

TEST_F(RecordingLoaderTest, UntilSkipsRecordsReceivedLaterAndSamplesAfterIt) {
  Writer w = create("until.gtrec");
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    const TimePoint t = kT0 + static_cast<TimePoint>(seq) * kSecond;
    std::vector<Update> updates{update("station/0", "pm25", static_cast<double>(seq))};
    // Record 3 also carries a sample half a second ahead of its source time (a publisher's clock ahead).
    if (seq == 3) updates.push_back(update("station/1", "pm25", 33.0, t + kSecond / 2));
    w.write(t, encode(message("air-1", seq, t, updates), PayloadEncoding::Binary));
  }
  w.recorder.reset();

  RecordingLoadOptions options;
  options.until = kT0 + 3 * kSecond;
  auto stats = load("until.gtrec", options);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_THAT(got, ElementsAre(Sample{0, pm25, kT0 + kSecond, 1.0}, Sample{0, pm25, kT0 + 2 * kSecond, 2.0},
                               Sample{0, pm25, kT0 + 3 * kSecond, 3.0}));
  EXPECT_EQ(stats->records, 5u);  // all read: the span and damage cover the whole file
  EXPECT_EQ(stats->recordsAfterUntil, 2u);
  EXPECT_EQ(stats->messages, 3u);
  EXPECT_EQ(stats->samples, 3u);
  EXPECT_EQ(stats->samplesAfterUntil, 1u);
  EXPECT_EQ(stats->span, 4 * kSecond);
  EXPECT_EQ(stats->lastSampleTime, kT0 + 3 * kSecond);
  // The publisher's state is the one the twin had at `until`.
  EXPECT_EQ(health.health("air-1", kT0 + 3 * kSecond).lastSequence, 3u);
}

TEST_F(RecordingLoaderTest, TheRateLimitRunsOnTheRecordedReceiveTimes) {
  Writer w = create("rate.gtrec");
  for (std::uint64_t seq = 1; seq <= 11; ++seq) {
    // 10 messages a second for 1 s, then one at 2 s.
    const TimePoint t = kT0 + (seq <= 10 ? static_cast<TimePoint>(seq - 1) * kSecond / 10 : 2 * kSecond);
    std::vector<Update> updates;
    for (int e = 0; e < 4; ++e) updates.push_back(update("station/" + std::to_string(e), "pm25", 1.0));
    w.write(t, encode(message("air-1", seq, t, updates), PayloadEncoding::Binary));
  }
  w.recorder.reset();

  // 4 updates per second and a 1 s bucket: the first message empties it, and it holds 4 again only after 1 s.
  RecordingLoadOptions options;
  options.rateLimitUpdatesPerSecond = 4;
  options.rateLimitBurstSeconds = 1;
  auto stats = load("rate.gtrec", options);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_EQ(stats->accepted, 2u);  // the messages received at 0 s and 2 s
  EXPECT_EQ(stats->rateLimitedMessages, 9u);
  EXPECT_EQ(stats->rateLimitedUpdates, 36u);
  EXPECT_EQ(stats->samples, 8u);
  ASSERT_EQ(got.size(), 8u);
  EXPECT_EQ(std::get<2>(got[4]), kT0 + 2 * kSecond);
}

TEST_F(RecordingLoaderTest, BatchesStayWithinTheLimitAndLoseNothing) {
  Writer w = create("many.gtrec");
  std::vector<Sample> expected;
  for (std::uint64_t seq = 1; seq <= 50; ++seq) {
    const TimePoint t = kT0 + static_cast<TimePoint>(seq) * 1000;
    std::vector<Update> updates;
    for (int i = 0; i < 10; ++i) {
      const int e = i % 4;
      const double v = static_cast<double>(seq * 100 + static_cast<std::uint64_t>(i));
      updates.push_back(update("station/" + std::to_string(e), i < 5 ? "pm25" : "no2", v, t + i));
      expected.emplace_back(static_cast<EntityIndex>(e), i < 5 ? pm25 : no2, t + i, v);
    }
    w.write(t + 500, encode(message("air-1", seq, t, updates),
                            seq % 3 == 0 ? PayloadEncoding::Json : PayloadEncoding::Binary));
  }
  w.recorder.reset();

  RecordingLoadOptions options;
  options.batchSamples = 7;  // checked in the sink (load)
  auto stats = load("many.gtrec", options);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_EQ(got, expected);
  EXPECT_EQ(stats->samples, 500u);
  EXPECT_EQ(batches, (500u + 6) / 7);

  // Through a small channel drained in the sink, as the doc comment suggests: nothing coalesced or dropped.
  UpdateChannel channel(8);
  std::vector<SampleUpdate> drained;
  std::vector<Sample> viaChannel;
  FeedHealth otherHealth;
  auto again = loadRecording(
      file("many.gtrec"), directory, otherHealth,
      [&](std::span<const SampleUpdate> batch) {
        channel.push(batch);
        channel.drain(drained);
        for (const Sample& s : asSamples(drained)) viaChannel.push_back(s);
      },
      options);
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ(viaChannel, expected);
  EXPECT_EQ(channel.stats().coalesced, 0u);
  EXPECT_EQ(channel.stats().dropped, 0u);
}

TEST_F(RecordingLoaderTest, ACurveRecordingLoadsWithItsKeysUnchecked) {
  Writer w = create("curve.gtrec", RecordingSecurity::Curve);
  const std::string key(40, 'K');  // any recorded key: the loader has no allow-list to check it against
  w.write(kT0 + 1000, encode(message("air-1", 1, kT0, {update("station/0", "pm25", 1.5)}), PayloadEncoding::Binary),
          key);
  w.write(kT0 + 2000, encode(message("someone-else", 1, kT0 + 1000, {update("station/1", "pm25", 2.5)}),
                             PayloadEncoding::Json),
          key);
  w.recorder.reset();

  auto stats = load("curve.gtrec");
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_EQ(stats->security, RecordingSecurity::Curve);
  EXPECT_THAT(got, ElementsAre(Sample{0, pm25, kT0, 1.5}, Sample{1, pm25, kT0 + 1000, 2.5}));
}

TEST_F(RecordingLoaderTest, AFileThatCannotBeReadIsAnErrorNamingIt) {
  auto missing = load("missing.gtrec");
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), ErrorCode::IoError);
  EXPECT_THAT(missing.status().message(), HasSubstr(file("missing.gtrec")));

  std::ofstream(file("text.gtrec")) << "not a recording at all, just text that is long enough";
  auto text = load("text.gtrec");
  ASSERT_FALSE(text.isOk());
  EXPECT_EQ(text.status().code(), ErrorCode::ParseError);
  EXPECT_THAT(text.status().message(), HasSubstr(file("text.gtrec")));
  EXPECT_TRUE(got.empty());
}

// One path: the samples, unknown names and health the live ingest gets from a replay of the file over a socket are
// the ones the loader gets from the file.
TEST_F(RecordingLoaderTest, TheLiveIngestGetsTheSameFromAReplay) {
  Writer w = create("same.gtrec");
  for (std::uint64_t seq = 1; seq <= 30; ++seq) {
    const TimePoint t = kT0 + static_cast<TimePoint>(seq) * kSecond;
    std::vector<Update> updates{update("station/" + std::to_string(seq % 4), "pm25", 0.5 * static_cast<double>(seq)),
                                update("station/" + std::to_string((seq + 1) % 4), "no2", 1.0, t - 100)};
    if (seq % 7 == 0) updates.push_back(update("ghost/" + std::to_string(seq), "pm25", 1.0));
    if (seq % 5 == 0) updates.push_back(update("station/1", "o3", 1.0));
    w.write(t + 1000, encode(message("air-1", seq == 12 ? 11 : seq, t, updates),  // seq 11 twice: a duplicate
                             seq % 2 == 0 ? PayloadEncoding::Binary : PayloadEncoding::Json));
  }
  w.recorder.reset();

  auto stats = load("same.gtrec");
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_EQ(stats->duplicates, 1u);

  EntityDirectory liveDirectory;
  liveDirectory.publishFrom(entities);
  FeedHealth liveHealth;
  UpdateChannel channel(100000);
  ZmqIngestConfig config;
  config.endpoint = "tcp://127.0.0.1:*";
  config.bind = true;
  config.receiveHighWaterMark = 0;
  config.security.mode = IngestSecurity::Unauthenticated;  // the replay here has no keys
  ZmqIngest ingest(config, channel, liveHealth, liveDirectory);
  ASSERT_TRUE(ingest.start().isOk());
  FeedReplayConfig replay;
  replay.endpoint = ingest.endpoint();
  replay.asFastAsPossible = true;
  auto replayed = replayFeed(file("same.gtrec"), replay);
  ASSERT_TRUE(replayed.isOk()) << replayed.status().toString();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (ingest.stats().messages < 30 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ingest.join();
  std::vector<SampleUpdate> live;
  channel.drain(live);
  std::vector<IntervalNote> liveNotes;
  channel.drainIntervals(liveNotes);
  StaleRule liveStale;
  liveStale.noteIntervals(liveNotes);

  EXPECT_EQ(asSamples(live), got);
  const ZmqIngestStats s = ingest.stats();
  EXPECT_EQ(s.messages, stats->messages);
  EXPECT_EQ(s.accepted, stats->accepted);
  EXPECT_EQ(s.duplicates, stats->duplicates);
  EXPECT_EQ(s.updates, stats->samples);
  EXPECT_EQ(s.unknownEntities, stats->unknownEntities);
  EXPECT_EQ(s.unknownAttributes, stats->unknownAttributes);
  EXPECT_EQ(liveDirectory.unknownEntities(), directory.unknownEntities());
  EXPECT_EQ(liveDirectory.unknownAttributes(), directory.unknownAttributes());
  for (EntityIndex e = 0; e < 4; ++e) {
    EXPECT_EQ(liveStale.declaredInterval(e), stale.declaredInterval(e)) << e;
  }
  EXPECT_EQ(liveHealth.health("air-1", 0).messages, health.health("air-1", 0).messages);
  EXPECT_EQ(liveHealth.health("air-1", 0).lastSequence, health.health("air-1", 0).lastSequence);
}

}  // namespace
}  // namespace gt::connectors
