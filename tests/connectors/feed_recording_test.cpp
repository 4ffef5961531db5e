// Feed record/replay against real files and real sockets on loopback: the file format (round trip, truncated
// and bit-flipped tails, a recorder killed with SIGKILL mid-write, a version 1 file from the old recorder), a
// capture of a live publisher replayed into a ZmqIngest (the same updates in the same order), recording from CURVE
// publishers through the allow-list (admitted, refused, revoked, audited), pacing at 10x, and the greentwin-feed
// tool.

#include "greentwin/connectors/feed_recording.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zmq.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/connectors/zmq_ingest.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/log.hpp"
#include "security_test_support.hpp"
#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/feed_health.hpp"
#include "greentwin/core/update_channel.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using SteadyClock = std::chrono::steady_clock;

bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto deadline = SteadyClock::now() + timeout;
  while (!pred()) {
    if (SteadyClock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

const TimePoint kT0 = (wallNow() / kMicrosPerSecond - 3600) * kMicrosPerSecond;  // an hour ago

WireFrames frames(std::uint64_t seq, TimePoint t, double value, const std::string& station = "station/1") {
  Message m;
  m.topic = "air.station";
  m.envelope.publisherId = "rec-test";
  m.envelope.sequence = seq;
  m.envelope.sourceTime = t;
  m.envelope.schemaId = "air.station";
  m.updates.push_back({station, "pm25", value, "ug/m3", std::nullopt});
  auto r = seq % 2 == 0 ? encodeBinary(m) : encodeJson(m);
  EXPECT_TRUE(r.isOk());
  return *r;
}

RecordedMessage recorded(std::uint64_t seq, Duration offset) {
  WireFrames w = frames(seq, kT0 + static_cast<TimePoint>(seq) * kMicrosPerSecond, static_cast<double>(seq));
  return {kT0 + offset, offset, {w.topic, w.envelope, w.payload}, {}};
}

class FeedRecordingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gt_feedrec_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (int i = 0; i < 4; ++i) ASSERT_TRUE(entities.add("station/" + std::to_string(i), "air_station").isOk());
    pm25 = *entities.attributes().intern("pm25", "ug/m3");
    directory.publishFrom(entities);
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  std::string file(const std::string& name) const { return (dir_ / name).string(); }

  // Writes n records, `gap` apart in receive offset.
  std::string writeRecording(const std::string& name, std::uint64_t n, Duration gap) {
    const std::string path = file(name);
    auto rec = FeedRecorder::create(path, kT0);
    EXPECT_TRUE(rec.isOk()) << rec.status().toString();
    for (std::uint64_t i = 1; i <= n; ++i) {
      EXPECT_TRUE((*rec)->write(recorded(i, static_cast<Duration>(i - 1) * gap)).isOk());
    }
    return path;
  }

  std::vector<RecordedMessage> readAll(const std::string& path, Status* damage = nullptr) {
    auto reader = FeedRecordingReader::open(path);
    EXPECT_TRUE(reader.isOk()) << reader.status().toString();
    std::vector<RecordedMessage> out;
    if (!reader) return out;
    RecordedMessage m;
    while ((*reader)->next(m)) out.push_back(m);
    if (damage != nullptr) *damage = (*reader)->damage();
    return out;
  }

  std::unique_ptr<ZmqIngest> bindIngest() {
    ZmqIngestConfig c;
    c.endpoint = "tcp://127.0.0.1:*";
    c.bind = true;
    c.receiveHighWaterMark = 0;
    c.security.mode = IngestSecurity::Unauthenticated;  // the replay has no CURVE options yet
    auto ingest = std::make_unique<ZmqIngest>(c, channel, health, directory);
    const Status started = ingest->start();
    EXPECT_TRUE(started.isOk()) << started.toString();
    return ingest;
  }

  // Everything the ingest delivered so far, in channel order.
  std::vector<SampleUpdate> drained() {
    std::vector<SampleUpdate> out;
    channel.drain(out);
    return out;
  }

  fs::path dir_;
  EntityStore entities;
  AttributeId pm25 = 0;
  EntityDirectory directory;
  UpdateChannel channel{100000};
  FeedHealth health;
};

TEST_F(FeedRecordingTest, RoundTripKeepsBytesTimesAndOrder) {
  const std::string path = writeRecording("a.gtrec", 50, 1000);
  Status damage = Status(ErrorCode::Internal, "unset");
  const auto all = readAll(path, &damage);
  EXPECT_TRUE(damage.isOk()) << damage.toString();
  ASSERT_EQ(all.size(), 50u);
  for (std::uint64_t i = 0; i < 50; ++i) EXPECT_EQ(all[i], recorded(i + 1, static_cast<Duration>(i) * 1000)) << i;
  auto reader = FeedRecordingReader::open(path);
  ASSERT_TRUE(reader.isOk());
  EXPECT_EQ((*reader)->createdAt(), kT0);
  // Empty frames and a message of one frame are kept as they are.
  auto rec = FeedRecorder::create(file("odd.gtrec"));
  ASSERT_TRUE(rec.isOk());
  const RecordedMessage odd{1, 2, {{}, {std::byte{7}}}, {}};
  ASSERT_TRUE((*rec)->write(odd).isOk());
  const auto back = readAll(file("odd.gtrec"));
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0], odd);
}

TEST_F(FeedRecordingTest, TruncatedTailReadsEverythingBeforeItAndSaysWhere) {
  const std::string path = writeRecording("t.gtrec", 40, 1000);
  const auto size = fs::file_size(path);
  fs::resize_file(path, size - 5);
  Status damage;
  const auto all = readAll(path, &damage);
  EXPECT_EQ(all.size(), 39u);
  EXPECT_EQ(damage.code(), ErrorCode::ParseError);
  EXPECT_THAT(damage.message(), HasSubstr("record 40 at byte"));
  EXPECT_THAT(damage.message(), HasSubstr("truncated"));
  EXPECT_THAT(damage.message(), HasSubstr("the 39 records before it are intact"));
  // Cut inside a record's 8-byte prefix too.
  const auto good = readAll(writeRecording("t2.gtrec", 3, 10));
  ASSERT_EQ(good.size(), 3u);
  auto rec = FeedRecordingReader::open(file("t2.gtrec"));
  ASSERT_TRUE(rec.isOk());
  RecordedMessage m;
  ASSERT_TRUE((*rec)->next(m));
  fs::resize_file(file("t2.gtrec"), (*rec)->offset() + 3);
  Status damage2;
  EXPECT_EQ(readAll(file("t2.gtrec"), &damage2).size(), 1u);
  EXPECT_THAT(damage2.message(), HasSubstr("record 2 at byte"));
  EXPECT_THAT(damage2.message(), HasSubstr("truncated"));
}

TEST_F(FeedRecordingTest, FlippedBitIsACheckSumMismatchAtThatRecord) {
  const std::string path = writeRecording("f.gtrec", 30, 1000);
  // Find record 20's offset, then flip one bit in its body.
  std::uint64_t offset20 = 0;
  {
    auto reader = FeedRecordingReader::open(path);
    ASSERT_TRUE(reader.isOk());
    RecordedMessage m;
    for (int i = 0; i < 19; ++i) ASSERT_TRUE((*reader)->next(m));
    offset20 = (*reader)->offset();
  }
  for (std::uint64_t where : {offset20 + 30, offset20 + 1}) {  // a payload byte, then a length byte
    const std::string copy = file("f" + std::to_string(where) + ".gtrec");
    fs::copy_file(path, copy);
    std::fstream f(copy, std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(static_cast<std::streamoff>(where));
    char c = 0;
    f.read(&c, 1);
    c = static_cast<char>(c ^ 0x10);
    f.seekp(static_cast<std::streamoff>(where));
    f.write(&c, 1);
    f.close();
    Status damage;
    const auto all = readAll(copy, &damage);
    EXPECT_EQ(all.size(), 19u) << where;
    EXPECT_THAT(damage.message(), HasSubstr("record 20 at byte " + std::to_string(offset20))) << damage.message();
    if (where == offset20 + 30) {
      EXPECT_THAT(damage.message(), HasSubstr("checksum mismatch"));
    }
  }
}

TEST_F(FeedRecordingTest, BadHeadersAreClearErrors) {
  std::ofstream(file("text.gtrec")) << "hello, this is not a recording at all";
  auto r = FeedRecordingReader::open(file("text.gtrec"));
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::ParseError);
  EXPECT_THAT(r.status().message(), HasSubstr("not a GreenTwin feed recording"));
  std::ofstream(file("short.gtrec")) << "GTFE";
  EXPECT_THAT(FeedRecordingReader::open(file("short.gtrec")).status().message(), HasSubstr("shorter than"));
  EXPECT_EQ(FeedRecordingReader::open(file("missing.gtrec")).status().code(), ErrorCode::IoError);
  // A newer version (with a valid header checksum) is Unsupported.
  const std::string path = writeRecording("v.gtrec", 1, 0);
  std::vector<std::byte> bytes(kFeedRecordingHeaderBytes);
  {
    std::ifstream in(path, std::ios::binary);
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }
  auto withHeader = [&](std::uint32_t version, std::uint32_t flags) {
    std::vector<std::byte> b = bytes;
    b[8] = static_cast<std::byte>(version);
    b[12] = static_cast<std::byte>(flags);
    const std::uint32_t crc = crc32(std::span<const std::byte>(b.data(), 24));
    for (int i = 0; i < 4; ++i) b[24 + static_cast<std::size_t>(i)] = static_cast<std::byte>((crc >> (8 * i)) & 0xFF);
    return b;
  };
  auto v3 = FeedRecordingReader::fromBytes(withHeader(3, 0), "v3");
  ASSERT_FALSE(v3.isOk());
  EXPECT_EQ(v3.status().code(), ErrorCode::Unsupported);
  EXPECT_THAT(v3.status().message(), HasSubstr("version 3"));
  // Unknown flags: the CURVE bit does not exist in version 1; bit 1 exists in neither.
  EXPECT_EQ(FeedRecordingReader::fromBytes(withHeader(1, 1), "v1f").status().code(), ErrorCode::Unsupported);
  EXPECT_EQ(FeedRecordingReader::fromBytes(withHeader(2, 2), "v2f").status().code(), ErrorCode::Unsupported);
  auto curve = FeedRecordingReader::fromBytes(withHeader(2, 1), "v2c");
  ASSERT_TRUE(curve.isOk());
  EXPECT_EQ((*curve)->security(), RecordingSecurity::Curve);
  std::vector<std::byte> damaged = withHeader(2, 0);
  damaged[8] = std::byte{1};  // checksum now wrong
  EXPECT_THAT(FeedRecordingReader::fromBytes(damaged, "h").status().message(), HasSubstr("header is damaged"));
}

// A recorder process killed with SIGKILL in the middle of writing: every complete record reads back intact,
// at most the last one is partial.
TEST_F(FeedRecordingTest, RecorderKilledMidWriteStaysReadable) {
  const std::string path = file("killed.gtrec");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto rec = FeedRecorder::create(path);
    if (!rec) ::_exit(2);
    std::vector<std::byte> big(200'000);
    for (std::uint64_t i = 0;; ++i) {
      for (std::size_t k = 0; k < big.size(); k += 997) big[k] = static_cast<std::byte>(i);
      const std::array<std::span<const std::byte>, 2> fs{std::span<const std::byte>(big),
                                                         std::span<const std::byte>(big.data(), i % 1000)};
      if (!(*rec)->write(static_cast<TimePoint>(i), static_cast<Duration>(i), fs)) ::_exit(3);
    }
  }
  ASSERT_TRUE(waitFor([&] { return fs::exists(path) && fs::file_size(path) > 20'000'000; }));
  ASSERT_EQ(::kill(child, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  Status damage;
  const auto all = readAll(path, &damage);
  EXPECT_GE(all.size(), 90u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    ASSERT_EQ(all[i].receiveTime, static_cast<TimePoint>(i));
    ASSERT_EQ(all[i].frames.size(), 2u);
    ASSERT_EQ(all[i].frames[0][997], static_cast<std::byte>(i));
    ASSERT_EQ(all[i].frames[1].size(), i % 1000);
  }
  if (!damage.isOk()) {
    EXPECT_THAT(damage.message(), HasSubstr("truncated"));
  }
}

// A live publisher (XPUB, so it knows when the recorder's subscription arrived) -> FeedCapture -> file ->
// replayFeed -> ZmqIngest: the ingest delivers exactly the updates the publisher sent, in the same order.
TEST_F(FeedRecordingTest, CaptureOfALivePublisherReplaysIntoTheIngestIdentically) {
  void* ctx = zmq_ctx_new();
  void* pub = zmq_socket(ctx, ZMQ_XPUB);
  const int linger = 0;
  zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof linger);
  ASSERT_EQ(zmq_bind(pub, "tcp://127.0.0.1:*"), 0);
  char endpoint[256] = {};
  std::size_t size = sizeof endpoint;
  zmq_getsockopt(pub, ZMQ_LAST_ENDPOINT, endpoint, &size);

  const std::string path = file("live.gtrec");
  FeedCaptureConfig cc;
  cc.endpoint = endpoint;
  cc.outPath = path;
  cc.maxMessages = 120;
  cc.security.mode = RecordingSecurity::None;  // this publisher speaks NULL
  FeedCapture capture(cc);
  ASSERT_TRUE(capture.start().isOk());
  zmq_pollitem_t item{pub, 0, ZMQ_POLLIN, 0};
  ASSERT_EQ(zmq_poll(&item, 1, 5000), 1) << "the recorder never subscribed";
  std::vector<SampleUpdate> expected;
  for (std::uint64_t seq = 1; seq <= 120; ++seq) {
    const EntityIndex e = static_cast<EntityIndex>(seq % 4);
    const TimePoint t = kT0 + static_cast<TimePoint>(seq) * 1000;
    const WireFrames w = frames(seq, t, 0.5 * static_cast<double>(seq), "station/" + std::to_string(e));
    zmq_send(pub, w.topic.data(), w.topic.size(), ZMQ_SNDMORE);
    zmq_send(pub, w.envelope.data(), w.envelope.size(), ZMQ_SNDMORE);
    zmq_send(pub, w.payload.data(), w.payload.size(), 0);
    expected.push_back({e, pm25, t, 0.5 * static_cast<double>(seq)});
    if (seq % 10 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));  // some timing to keep
  }
  ASSERT_TRUE(waitFor([&] { return capture.finished(); })) << capture.stats().messages;
  capture.join();
  EXPECT_TRUE(capture.result().isOk());
  zmq_close(pub);
  zmq_ctx_term(ctx);

  auto summary = summarizeRecording(path);
  ASSERT_TRUE(summary.isOk());
  EXPECT_EQ(summary->records, 120u);
  EXPECT_EQ(summary->topics.at("air.station"), 120u);
  EXPECT_EQ(summary->publishers.at("rec-test"), 120u);
  EXPECT_TRUE(summary->damage.isOk());
  EXPECT_GT(summary->span, 0);

  auto ingest = bindIngest();
  FeedReplayConfig rc;
  rc.endpoint = ingest->endpoint();
  rc.asFastAsPossible = true;
  auto stats = replayFeed(path, rc);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_TRUE(stats->subscriberSeen);
  EXPECT_EQ(stats->messages, 120u);
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 120; }));
  const auto got = drained();
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].entity, expected[i].entity) << i;
    EXPECT_EQ(got[i].attribute, expected[i].attribute) << i;
    EXPECT_EQ(got[i].time, expected[i].time) << i;
    EXPECT_EQ(got[i].value, expected[i].value) << i;
  }
  EXPECT_EQ(health.health("rec-test", wallNow()).gaps, 0u);
}

// 2 s of recorded traffic replayed at 10x takes about 0.2 s (never less: pacing only waits), order kept.
TEST_F(FeedRecordingTest, ReplayAtTenTimesTakesATenthOfTheSpan) {
  const std::string path = writeRecording("pace.gtrec", 41, 50'000);  // 41 messages over 2 s
  auto ingest = bindIngest();
  FeedReplayConfig rc;
  rc.endpoint = ingest->endpoint();
  rc.speed = 10;
  auto stats = replayFeed(path, rc);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_EQ(stats->recordedSpan, 2 * kMicrosPerSecond);
  EXPECT_GE(stats->wallSeconds, 0.19);
  EXPECT_LT(stats->wallSeconds, 1.0);  // well under half of real time (2 s)
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 41; }));
  const auto got = drained();
  ASSERT_EQ(got.size(), 41u);
  for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].value, static_cast<double>(i + 1));
}

// A damaged recording replays everything before the damage and reports it; nothing after it is sent.
TEST_F(FeedRecordingTest, DamagedRecordingReplaysTheGoodPrefixAndReportsTheDamage) {
  const std::string path = writeRecording("dmg.gtrec", 25, 100);
  std::uint64_t offset11 = 0;
  {
    auto reader = FeedRecordingReader::open(path);
    RecordedMessage m;
    for (int i = 0; i < 10; ++i) ASSERT_TRUE((*reader)->next(m));
    offset11 = (*reader)->offset();
  }
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(offset11 + 40));
    f.put('\x7f');
  }
  auto ingest = bindIngest();
  FeedReplayConfig rc;
  rc.endpoint = ingest->endpoint();
  rc.asFastAsPossible = true;
  auto stats = replayFeed(path, rc);
  ASSERT_TRUE(stats.isOk());
  EXPECT_EQ(stats->messages, 10u);
  EXPECT_THAT(stats->damage.message(), HasSubstr("record 11 at byte " + std::to_string(offset11)));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 10; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));  // nothing more may arrive
  EXPECT_EQ(drained().size(), 10u);
}

// A twin whose SUB requires CURVE (the default): the replay with the twin's public key (from its key file) and an
// allowed publisher key gets in; without keys it never gets a subscription and nothing arrives.
TEST_F(FeedRecordingTest, ReplayIntoACurveIngestWithAnAllowedKey) {
  auto server = generateKeyPair("twin");
  auto client = generateKeyPair("replay-feed");
  ASSERT_TRUE(server.isOk() && client.isOk());
  ASSERT_TRUE(writeKeyFile(file("twin.key"), *server).isOk());
  ASSERT_TRUE(writeKeyFile(file("replay.key"), *client).isOk());
  AllowList allowed;
  // A replayer relays many publishers' ids: its key may send as any ("*").
  ASSERT_TRUE(allowed.add("replay-feed", client->publicKey, wallNow(), {"*"}).isOk());
  ASSERT_TRUE(allowed.save(file("allowed.toml")).isOk());
  ZmqIngestConfig c;
  c.endpoint = "tcp://127.0.0.1:*";
  c.bind = true;
  c.security.mode = IngestSecurity::Curve;
  c.security.serverKeyFile = file("twin.key");
  c.security.allowListFile = file("allowed.toml");
  ZmqIngest ingest(c, channel, health, directory);
  const Status started = ingest.start();
  ASSERT_TRUE(started.isOk()) << started.toString();
  const std::string path = writeRecording("curve.gtrec", 5, 1000);

  FeedReplayConfig plain;
  plain.endpoint = ingest.endpoint();
  plain.asFastAsPossible = true;
  plain.waitForSubscriberMs = 300;
  auto refused = replayFeed(path, plain);
  ASSERT_TRUE(refused.isOk());
  EXPECT_FALSE(refused->subscriberSeen);

  FeedReplayConfig curve = plain;
  curve.waitForSubscriberMs = 5000;
  curve.serverKey = file("twin.key");  // a key file; the Z85 text works too
  curve.keyFile = file("replay.key");
  auto stats = replayFeed(path, curve);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_TRUE(stats->subscriberSeen);
  ASSERT_TRUE(waitFor([&] { return ingest.stats().updates >= 5; }));
  EXPECT_EQ(drained().size(), 5u);

  curve.keyFile.clear();
  EXPECT_EQ(replayFeed(path, curve).status().code(), ErrorCode::InvalidArgument);
}

// The tool as a user runs it: info on a good and a truncated file, replay into an ingest, record from a publisher.
TEST_F(FeedRecordingTest, GreenTwinFeedTool) {
  const std::string tool = GT_FEED_TOOL;
  const std::string path = writeRecording("tool.gtrec", 12, 10'000);
  auto run = [](const std::string& command, std::string& output) {
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    output.clear();
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) output.append(buffer, n);
    const int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  std::string out;
  EXPECT_EQ(run(tool + " info " + path, out), 0) << out;
  EXPECT_THAT(out, HasSubstr("messages:   12"));
  EXPECT_THAT(out, HasSubstr("duration:   0.110 s"));
  EXPECT_THAT(out, HasSubstr("air.station"));
  EXPECT_THAT(out, HasSubstr("rec-test"));
  EXPECT_THAT(out, HasSubstr("integrity:  ok"));
  fs::copy_file(path, file("cut.gtrec"));
  fs::resize_file(file("cut.gtrec"), fs::file_size(path) - 1);
  EXPECT_EQ(run(tool + " info " + file("cut.gtrec"), out), 3) << out;
  EXPECT_THAT(out, HasSubstr("DAMAGED:"));
  EXPECT_THAT(out, HasSubstr("record 12"));
  EXPECT_EQ(run(tool + " info " + file("nothing.gtrec"), out), 1) << out;

  auto ingest = bindIngest();
  EXPECT_EQ(run(tool + " replay " + path + " --endpoint " + ingest->endpoint() + " --speed 4", out), 0) << out;
  EXPECT_THAT(out, HasSubstr("replayed 12 messages"));
  ASSERT_TRUE(waitFor([&] { return ingest->stats().updates >= 12; }));

  // record --bind --max-messages: the tool binds, a publisher connects (XPUB: knows when the tool subscribed).
  int port = 0;
  {
    void* probeCtx = zmq_ctx_new();
    void* probe = zmq_socket(probeCtx, ZMQ_PUB);
    ASSERT_EQ(zmq_bind(probe, "tcp://127.0.0.1:*"), 0);
    char ep[256] = {};
    std::size_t sz = sizeof ep;
    zmq_getsockopt(probe, ZMQ_LAST_ENDPOINT, ep, &sz);
    port = std::stoi(std::string(ep).substr(std::string(ep).rfind(':') + 1));
    zmq_close(probe);
    zmq_ctx_term(probeCtx);
  }
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(port);
  // A NULL feed is recorded only when --security none says so; without it (and without keys) the tool refuses.
  EXPECT_EQ(run(tool + " record --endpoint " + endpoint + " --bind --max-messages 5 --out " + file("no.gtrec"), out), 1)
      << out;
  EXPECT_THAT(out, HasSubstr("--security none"));
  EXPECT_FALSE(fs::exists(file("no.gtrec")));
  int recordExit = -1;
  std::string recordOut;
  std::thread recorder([&] {
    recordExit = run(tool + " record --endpoint " + endpoint + " --bind --security none --max-messages 5 " +
                         "--duration 20 --out " + file("rec.gtrec"),
                     recordOut);
  });
  void* ctx = zmq_ctx_new();
  void* pub = zmq_socket(ctx, ZMQ_XPUB);
  const int linger = 0;
  zmq_setsockopt(pub, ZMQ_LINGER, &linger, sizeof linger);
  ASSERT_EQ(zmq_connect(pub, endpoint.c_str()), 0);
  zmq_pollitem_t item{pub, 0, ZMQ_POLLIN, 0};
  ASSERT_EQ(zmq_poll(&item, 1, 10000), 1) << "the tool never subscribed";
  for (std::uint64_t seq = 1; seq <= 5; ++seq) {
    const WireFrames w = frames(seq, kT0 + static_cast<TimePoint>(seq), 1.0);
    zmq_send(pub, w.topic.data(), w.topic.size(), ZMQ_SNDMORE);
    zmq_send(pub, w.envelope.data(), w.envelope.size(), ZMQ_SNDMORE);
    zmq_send(pub, w.payload.data(), w.payload.size(), 0);
  }
  recorder.join();
  zmq_close(pub);
  zmq_ctx_term(ctx);
  EXPECT_EQ(recordExit, 0) << recordOut;
  EXPECT_THAT(recordOut, HasSubstr("recorded 5 messages"));
  EXPECT_THAT(recordOut, HasSubstr("recording without authentication (security none)"));
  EXPECT_EQ(readAll(file("rec.gtrec")).size(), 5u);
  EXPECT_EQ(run(tool + " info " + file("rec.gtrec"), out), 0) << out;
  EXPECT_THAT(out, HasSubstr("security:   none"));
}


// A version 1 file, written by the recorder before the CURVE option (greentwin-feed record from the Python air
// quality publisher), still reads: the same records, no keys, security none; re-written it becomes version 2 with
// the same contents; and it replays into an ingest.
TEST_F(FeedRecordingTest, Version1RecordingsStillRead) {
  const std::string v1 = std::string(GT_TEST_SOURCE_DIR) + "/tests/connectors/data/feed_recordings/v1_air_quality.gtrec";
  auto reader = FeedRecordingReader::open(v1);
  ASSERT_TRUE(reader.isOk()) << reader.status().toString();
  EXPECT_EQ((*reader)->version(), 1u);
  EXPECT_EQ((*reader)->security(), RecordingSecurity::None);
  Status damage;
  const auto all = readAll(v1, &damage);
  EXPECT_TRUE(damage.isOk()) << damage.toString();
  ASSERT_EQ(all.size(), 4u);
  for (const RecordedMessage& m : all) {
    ASSERT_EQ(m.frames.size(), 3u);
    EXPECT_TRUE(m.publisherKey.empty());
    auto decoded = decodeMessage(m.frames[0], m.frames[1], m.frames[2], DecodeLimits{}, m.receiveTime);
    ASSERT_TRUE(decoded.isOk()) << decoded.status().toString();
    EXPECT_EQ(decoded->envelope.publisherId, "aq-v1");
    EXPECT_EQ(decoded->updates.size(), 48u);
  }
  EXPECT_LT(all[0].receiveOffset, all[3].receiveOffset);
  auto summary = summarizeRecording(v1);
  ASSERT_TRUE(summary.isOk());
  EXPECT_EQ(summary->version, 1u);
  EXPECT_EQ(summary->security, RecordingSecurity::None);
  EXPECT_TRUE(summary->publisherKeys.empty());
  EXPECT_EQ(summary->publishers.at("aq-v1"), 4u);

  {
    auto rewritten = FeedRecorder::create(file("v2.gtrec"), (*reader)->createdAt());
    ASSERT_TRUE(rewritten.isOk());
    for (const auto& m : all) ASSERT_TRUE((*rewritten)->write(m).isOk());
  }
  auto again = FeedRecordingReader::open(file("v2.gtrec"));
  ASSERT_TRUE(again.isOk());
  EXPECT_EQ((*again)->version(), kFeedRecordingVersion);
  EXPECT_EQ(readAll(file("v2.gtrec")), all);

  // The ingest knows station/0..3 only: the aq stations are unknown entities, but all four messages pass the
  // decoder and the sequence check.
  auto ingest = bindIngest();
  FeedReplayConfig rc;
  rc.endpoint = ingest->endpoint();
  rc.asFastAsPossible = true;
  auto stats = replayFeed(v1, rc);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_EQ(stats->messages, 4u);
  ASSERT_TRUE(waitFor([&] { return ingest->stats().accepted >= 4; }));
  EXPECT_EQ(ingest->stats().unknownEntities, 4u * 48u);
}

// A key recorded per message round-trips; an over-long one is refused.
TEST_F(FeedRecordingTest, PublisherKeysRoundTrip) {
  auto rec = FeedRecorder::create(file("keys.gtrec"), kT0, RecordingSecurity::Curve);
  ASSERT_TRUE(rec.isOk());
  RecordedMessage a = recorded(1, 0);
  a.publisherKey = std::string(40, 'k');
  RecordedMessage b = recorded(2, 10);
  b.publisherKey = "another-key";
  ASSERT_TRUE((*rec)->write(a).isOk());
  ASSERT_TRUE((*rec)->write(b).isOk());
  RecordedMessage tooLong = recorded(3, 20);
  tooLong.publisherKey = std::string(256, 'x');
  EXPECT_EQ((*rec)->write(tooLong).code(), ErrorCode::InvalidArgument);
  rec->reset();
  auto reader = FeedRecordingReader::open(file("keys.gtrec"));
  ASSERT_TRUE(reader.isOk());
  EXPECT_EQ((*reader)->version(), 2u);
  EXPECT_EQ((*reader)->security(), RecordingSecurity::Curve);
  const auto all = readAll(file("keys.gtrec"));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0], a);
  EXPECT_EQ(all[1], b);
  auto summary = summarizeRecording(file("keys.gtrec"));
  ASSERT_TRUE(summary.isOk());
  EXPECT_EQ(summary->publisherKeys.at(std::string(40, 'k')), 1u);
  EXPECT_EQ(summary->publisherKeys.at("another-key"), 1u);
}

// ---- recording from CURVE publishers (docs/security.md): the recorder's SUB is the CURVE server, as the twin's ----

// An XPUB publisher: it sees the recorder's subscription, which arrives only after a successful handshake.
struct TestPublisher {
  void* ctx = zmq_ctx_new();
  void* sock = zmq_socket(ctx, ZMQ_XPUB);
  TestPublisher() {
    const int linger = 0;
    zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof linger);
  }
  ~TestPublisher() {
    zmq_close(sock);
    zmq_ctx_term(ctx);
  }
  TestPublisher(const TestPublisher&) = delete;
  TestPublisher& operator=(const TestPublisher&) = delete;
  void curve(const std::string& serverPublicKey, const KeyPair& keys) {
    zmq_setsockopt(sock, ZMQ_CURVE_SERVERKEY, serverPublicKey.c_str(), serverPublicKey.size() + 1);
    zmq_setsockopt(sock, ZMQ_CURVE_PUBLICKEY, keys.publicKey.c_str(), keys.publicKey.size() + 1);
    zmq_setsockopt(sock, ZMQ_CURVE_SECRETKEY, keys.secretKey.c_str(), keys.secretKey.size() + 1);
  }
  // True when a subscription arrived within `ms`.
  bool subscribed(int ms) {
    zmq_pollitem_t item{sock, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, ms) != 1) return false;
    zmq_msg_t m;
    zmq_msg_init(&m);
    zmq_msg_recv(&m, sock, 0);
    zmq_msg_close(&m);
    return true;
  }
  void send(const WireFrames& w) {
    zmq_send(sock, w.topic.data(), w.topic.size(), ZMQ_SNDMORE);
    zmq_send(sock, w.envelope.data(), w.envelope.size(), ZMQ_SNDMORE);
    zmq_send(sock, w.payload.data(), w.payload.size(), 0);
  }
};

// The twin's key pair and an allow-list admitting `listed`; the "audit" logger captured.
class FeedRecordingCurveTest : public FeedRecordingTest {
 protected:
  void SetUp() override {
    FeedRecordingTest::SetUp();
    ASSERT_TRUE(writeKeyFile(file("twin.key"), twin).isOk());
    ASSERT_TRUE(writeKeyFile(file("listed.key"), listed).isOk());
    testing::writeAllowList(file("allowed.toml"), {listed}, {"rec-test"});  // it sends as "rec-test"
    sink = std::make_shared<testing::CaptureSink>();
    spdlog::drop(kAuditLoggerName);
    spdlog::register_logger(std::make_shared<spdlog::logger>(kAuditLoggerName, sink));
  }
  void TearDown() override {
    spdlog::drop(kAuditLoggerName);
    FeedRecordingTest::TearDown();
  }
  FeedCaptureConfig curveCapture(const std::string& out, std::uint64_t maxMessages = 0) {
    FeedCaptureConfig c;
    c.endpoint = "tcp://127.0.0.1:*";
    c.bind = true;
    c.outPath = file(out);
    c.maxMessages = maxMessages;
    c.security.mode = RecordingSecurity::Curve;
    c.security.serverKeyFile = file("twin.key");
    c.security.allowListFile = file("allowed.toml");
    c.security.zapDomain = "rec-air";
    return c;
  }

  KeyPair twin = testing::newKeys("twin");
  KeyPair listed = testing::newKeys("listed-feed");
  KeyPair stranger = testing::newKeys("stranger");
  std::shared_ptr<testing::CaptureSink> sink;
};

// A publisher with a listed key, exactly as it feeds the twin (the twin's public key as server key), is recorded:
// the same bytes, each record with its admitted key, the header saying CURVE. Replayed into a CURVE twin (ZmqIngest)
// the recording gives the updates the publisher sent, in the same order.
TEST_F(FeedRecordingCurveTest, AListedCurvePublisherIsRecordedAndReplaysIdentically) {
  FeedCapture capture(curveCapture("curve.gtrec", 80));
  const Status started = capture.start();
  ASSERT_TRUE(started.isOk()) << started.toString();
  TestPublisher pub;
  pub.curve(twin.publicKey, listed);
  ASSERT_EQ(zmq_connect(pub.sock, capture.endpoint().c_str()), 0);
  ASSERT_TRUE(pub.subscribed(5000)) << "the CURVE handshake with the recorder did not complete";
  std::vector<WireFrames> sent;
  std::vector<SampleUpdate> expected;
  for (std::uint64_t seq = 1; seq <= 80; ++seq) {
    const EntityIndex e = static_cast<EntityIndex>(seq % 4);
    const TimePoint t = kT0 + static_cast<TimePoint>(seq) * 1000;
    sent.push_back(frames(seq, t, 0.25 * static_cast<double>(seq), "station/" + std::to_string(e)));
    pub.send(sent.back());
    expected.push_back({e, pm25, t, 0.25 * static_cast<double>(seq)});
  }
  ASSERT_TRUE(waitFor([&] { return capture.finished(); })) << capture.stats().messages;
  capture.join();
  EXPECT_TRUE(capture.result().isOk()) << capture.result().toString();
  const FeedCaptureStats cs = capture.stats();
  EXPECT_EQ(cs.messages, 80u);
  EXPECT_EQ(cs.authAdmitted, 1u);
  EXPECT_EQ(cs.authRefused, 0u);
  EXPECT_EQ(sink->count({"AUDIT admit", "source=rec-air", "key=" + listed.publicKey, "name=listed-feed"}), 1u);

  auto reader = FeedRecordingReader::open(file("curve.gtrec"));
  ASSERT_TRUE(reader.isOk());
  EXPECT_EQ((*reader)->security(), RecordingSecurity::Curve);
  const auto all = readAll(file("curve.gtrec"));
  ASSERT_EQ(all.size(), 80u);
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].publisherKey, listed.publicKey) << i;
    ASSERT_EQ(all[i].frames.size(), 3u);
    EXPECT_EQ(all[i].frames[0], sent[i].topic) << i;
    EXPECT_EQ(all[i].frames[1], sent[i].envelope) << i;
    EXPECT_EQ(all[i].frames[2], sent[i].payload) << i;
    auto decoded = decodeMessage(all[i].frames[0], all[i].frames[1], all[i].frames[2], DecodeLimits{}, wallNow());
    EXPECT_TRUE(decoded.isOk()) << i << ": " << decoded.status().toString();
  }
  auto summary = summarizeRecording(file("curve.gtrec"));
  ASSERT_TRUE(summary.isOk());
  EXPECT_EQ(summary->security, RecordingSecurity::Curve);
  EXPECT_EQ(summary->publisherKeys.at(listed.publicKey), 80u);

  // Into the twin: a CURVE ingest with the same key pair and allow-list; the replay authenticates as `listed`.
  ZmqIngestConfig c;
  c.endpoint = "tcp://127.0.0.1:*";
  c.bind = true;
  c.receiveHighWaterMark = 0;
  c.security.serverKeyFile = file("twin.key");
  c.security.allowListFile = file("allowed.toml");
  c.security.zapDomain = "twin-air";
  ZmqIngest ingest(c, channel, health, directory);
  ASSERT_TRUE(ingest.start().isOk());
  FeedReplayConfig rc;
  rc.endpoint = ingest.endpoint();
  rc.asFastAsPossible = true;
  rc.serverKey = twin.publicKey;
  rc.keyFile = file("listed.key");
  auto stats = replayFeed(file("curve.gtrec"), rc);
  ASSERT_TRUE(stats.isOk()) << stats.status().toString();
  EXPECT_TRUE(stats->subscriberSeen);
  ASSERT_TRUE(waitFor([&] { return ingest.stats().updates >= 80; }))
      << "messages " << ingest.stats().messages << " updates " << ingest.stats().updates << " rejects "
      << ingest.stats().rejectTotal() << " duplicates " << ingest.stats().duplicates << " old " << ingest.stats().old
      << " unknown " << ingest.stats().unknownEntities << " refused " << ingest.stats().authRefused
      << " revoked " << ingest.stats().revokedMessages << " accepted " << ingest.stats().accepted;
  const auto got = drained();
  ASSERT_EQ(got.size(), expected.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].entity, expected[i].entity) << i;
    EXPECT_EQ(got[i].attribute, expected[i].attribute) << i;
    EXPECT_EQ(got[i].time, expected[i].time) << i;
    EXPECT_EQ(got[i].value, expected[i].value) << i;
  }
  EXPECT_EQ(health.health("rec-test", wallNow()).gaps, 0u);
}

// An unlisted key, a NULL publisher and a publisher with another server key get nothing recorded, and each refusal
// is an AUDIT line; a listed publisher revoked while connected is dropped from then on (AUDIT drop).
TEST_F(FeedRecordingCurveTest, UnlistedKeysRecordNothingAndAreAudited) {
  FeedCapture capture(curveCapture("refused.gtrec"));
  const Status started = capture.start();
  ASSERT_TRUE(started.isOk()) << started.toString();

  TestPublisher unlisted;
  unlisted.curve(twin.publicKey, stranger);
  ASSERT_EQ(zmq_connect(unlisted.sock, capture.endpoint().c_str()), 0);
  TestPublisher plain;  // NULL mechanism
  ASSERT_EQ(zmq_connect(plain.sock, capture.endpoint().c_str()), 0);
  ASSERT_TRUE(waitFor([&] { return capture.stats().authRefused >= 1 && capture.stats().handshakeFailures >= 1; }))
      << capture.stats().authRefused << " " << capture.stats().handshakeFailures;
  EXPECT_FALSE(unlisted.subscribed(300));
  EXPECT_FALSE(plain.subscribed(0));
  for (std::uint64_t seq = 1; seq <= 20; ++seq) {
    unlisted.send(frames(seq, kT0 + static_cast<TimePoint>(seq), 1.0));
    plain.send(frames(seq, kT0 + static_cast<TimePoint>(seq), 2.0));
  }
  EXPECT_EQ(sink->count({"AUDIT refuse", "source=rec-air", "key=" + stranger.publicKey, "key not in allow-list"}),
            1u);
  EXPECT_GE(sink->count({"AUDIT refuse", "source=rec-air", "mechanism=?"}), 1u);

  // A listed publisher gets in; revoked while connected, its later messages are not recorded.
  TestPublisher pub;
  pub.curve(twin.publicKey, listed);
  ASSERT_EQ(zmq_connect(pub.sock, capture.endpoint().c_str()), 0);
  ASSERT_TRUE(pub.subscribed(5000));
  for (std::uint64_t seq = 1; seq <= 5; ++seq) pub.send(frames(seq, kT0 + static_cast<TimePoint>(seq), 3.0));
  ASSERT_TRUE(waitFor([&] { return capture.stats().messages == 5; }));
  testing::revokeInFile(file("allowed.toml"), "listed-feed");
  std::uint64_t seq = 6;
  ASSERT_TRUE(waitFor([&] {
    pub.send(frames(seq, kT0 + static_cast<TimePoint>(seq), 3.0));
    ++seq;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return capture.stats().revokedMessages >= 1;
  }));
  EXPECT_EQ(sink->count({"AUDIT drop", "source=rec-air", "key=" + listed.publicKey, "name=listed-feed"}), 1u);
  const std::uint64_t recordedBeforeRevocation = capture.stats().messages;
  pub.send(frames(seq, kT0 + static_cast<TimePoint>(seq), 3.0));
  ASSERT_TRUE(waitFor([&] { return capture.stats().revokedMessages >= 2; }));
  capture.join();
  EXPECT_TRUE(capture.result().isOk());
  EXPECT_EQ(capture.stats().messages, recordedBeforeRevocation);

  // Nothing from the refused publishers is in the file: only the listed key, only before the revocation.
  const auto all = readAll(file("refused.gtrec"));
  ASSERT_EQ(all.size(), recordedBeforeRevocation);
  ASSERT_GE(all.size(), 5u);
  for (const auto& m : all) {
    EXPECT_EQ(m.publisherKey, listed.publicKey);
    auto decoded = decodeMessage(m.frames[0], m.frames[1], m.frames[2], DecodeLimits{}, wallNow());
    ASSERT_TRUE(decoded.isOk());
    EXPECT_EQ(decoded->updates[0].value, 3.0);
  }
}

// CURVE is the default: without keys the capture refuses to start (and creates no file) instead of recording a
// NULL feed; a public-only server key file is named in the error.
TEST_F(FeedRecordingCurveTest, CurveIsTheDefaultAndNeedsItsKeys) {
  FeedCaptureConfig c;
  c.endpoint = "tcp://127.0.0.1:*";
  c.bind = true;
  c.outPath = file("none.gtrec");
  FeedCapture noKeys(c);
  const Status s = noKeys.start();
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("server key file"));
  EXPECT_THAT(s.message(), HasSubstr("none explicitly"));
  EXPECT_FALSE(fs::exists(file("none.gtrec")));

  KeyPair publicOnly = twin;
  publicOnly.secretKey.clear();
  ASSERT_TRUE(writeKeyFile(file("twin.pub"), publicOnly).isOk());
  FeedCaptureConfig p = curveCapture("pub.gtrec");
  p.security.serverKeyFile = file("twin.pub");
  FeedCapture wrongKey(p);
  const Status w = wrongKey.start();
  EXPECT_FALSE(w.isOk());
  EXPECT_THAT(w.message(), HasSubstr("twin.pub"));
  EXPECT_THAT(w.message(), HasSubstr("no secret key"));
  EXPECT_FALSE(fs::exists(file("pub.gtrec")));

  FeedCaptureConfig m = curveCapture("missing.gtrec");
  m.security.allowListFile = file("nothing.toml");
  FeedCapture missing(m);
  const Status ms = missing.start();
  EXPECT_FALSE(ms.isOk());
  EXPECT_THAT(ms.message(), HasSubstr("nothing.toml"));
}

// The tool as an operator runs it against a production CURVE feed: the twin's key file and allow-list; the listed
// publisher is recorded, an unlisted one is refused (AUDIT line on the tool's log), and `info` shows the security
// mode and the admitted key.
TEST_F(FeedRecordingCurveTest, GreenTwinFeedToolRecordsACurveFeed) {
  const std::string tool = GT_FEED_TOOL;
  int port = 0;
  {
    void* probeCtx = zmq_ctx_new();
    void* probe = zmq_socket(probeCtx, ZMQ_PUB);
    ASSERT_EQ(zmq_bind(probe, "tcp://127.0.0.1:*"), 0);
    char ep[256] = {};
    std::size_t sz = sizeof ep;
    zmq_getsockopt(probe, ZMQ_LAST_ENDPOINT, ep, &sz);
    port = std::stoi(std::string(ep).substr(std::string(ep).rfind(':') + 1));
    zmq_close(probe);
    zmq_ctx_term(probeCtx);
  }
  const std::string endpoint = "tcp://127.0.0.1:" + std::to_string(port);
  auto run = [](const std::string& command, std::string& output) {
    FILE* p = ::popen((command + " 2>&1").c_str(), "r");
    output.clear();
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, p)) > 0) output.append(buffer, n);
    const int status = ::pclose(p);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  };
  int recordExit = -1;
  std::string recordOut;
  std::thread recorder([&] {
    recordExit = run(tool + " record --endpoint " + endpoint + " --bind --server-key " + file("twin.key") +
                         " --allow-list " + file("allowed.toml") + " --source rec-tool --max-messages 6 " +
                         "--duration 20 --out " + file("tool-curve.gtrec"),
                     recordOut);
  });
  {
    TestPublisher unlisted;
    unlisted.curve(twin.publicKey, stranger);
    ASSERT_EQ(zmq_connect(unlisted.sock, endpoint.c_str()), 0);
    TestPublisher pub;
    pub.curve(twin.publicKey, listed);
    ASSERT_EQ(zmq_connect(pub.sock, endpoint.c_str()), 0);
    ASSERT_TRUE(pub.subscribed(10000)) << "the tool never admitted the listed publisher";
    EXPECT_FALSE(unlisted.subscribed(500));
    for (std::uint64_t seq = 1; seq <= 6; ++seq) {
      unlisted.send(frames(seq, kT0 + static_cast<TimePoint>(seq), 9.0));
      pub.send(frames(seq, kT0 + static_cast<TimePoint>(seq), 1.0));
    }
    recorder.join();
  }
  EXPECT_EQ(recordExit, 0) << recordOut;
  EXPECT_THAT(recordOut, HasSubstr("security curve"));
  EXPECT_THAT(recordOut, HasSubstr("recorded 6 messages"));
  EXPECT_THAT(recordOut, HasSubstr("AUDIT admit source=rec-tool"));
  EXPECT_THAT(recordOut, HasSubstr("key=" + stranger.publicKey));
  EXPECT_THAT(recordOut, HasSubstr("key not in allow-list"));
  const auto all = readAll(file("tool-curve.gtrec"));
  ASSERT_EQ(all.size(), 6u);
  for (const auto& m : all) EXPECT_EQ(m.publisherKey, listed.publicKey);
  std::string out;
  EXPECT_EQ(run(tool + " info " + file("tool-curve.gtrec"), out), 0) << out;
  EXPECT_THAT(out, HasSubstr("format:     GreenTwin feed recording v2"));
  EXPECT_THAT(out, HasSubstr("security:   curve"));
  EXPECT_THAT(out, HasSubstr(listed.publicKey));
  // A public-only server key (the publishers' copy) cannot serve: a clear error, exit 1.
  KeyPair publicOnly = twin;
  publicOnly.secretKey.clear();
  ASSERT_TRUE(writeKeyFile(file("twin.pub"), publicOnly).isOk());
  EXPECT_EQ(run(tool + " record --endpoint " + endpoint + " --bind --server-key " + file("twin.pub") +
                    " --allow-list " + file("allowed.toml") + " --out " + file("x.gtrec"),
                out),
            1)
      << out;
  EXPECT_THAT(out, HasSubstr("no secret key"));
}
}  // namespace
}  // namespace gt::connectors
