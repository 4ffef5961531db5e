// FeedCapture (connectors/src/feed_replay.cpp) under messages it cannot record, with real sockets on loopback:
// a message too large for a record is dropped and counted, and the recording goes on (issue 15).

#include <unistd.h>
#include <zmq.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/feed_recording.hpp"
#include "greentwin/connectors/wire_protocol.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

bool waitFor(const std::function<bool()>& pred, std::chrono::milliseconds timeout) {
  const auto deadline = SteadyClock::now() + timeout;
  while (!pred()) {
    if (SteadyClock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

WireFrames smallMessage(std::uint64_t seq) {
  Message m;
  m.topic = "air.station";
  m.envelope.publisherId = "rec-limits";
  m.envelope.sequence = seq;
  m.envelope.sourceTime = wallNow();
  m.envelope.schemaId = "air.station";
  m.updates.push_back({"station/1", "pm25", 1.0, "ug/m3", std::nullopt});
  auto r = encodeJson(m);
  EXPECT_TRUE(r.isOk());
  return *r;
}

class FeedCaptureLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() / ("gt_feedcap_" + std::to_string(::getpid()) + "_" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    ctx_ = zmq_ctx_new();
    // An XPUB publisher: it sees the recorder's subscription, so nothing is sent before the recorder listens.
    pub_ = zmq_socket(ctx_, ZMQ_XPUB);
    const int linger = 0;
    zmq_setsockopt(pub_, ZMQ_LINGER, &linger, sizeof linger);
    ASSERT_EQ(zmq_bind(pub_, "tcp://127.0.0.1:*"), 0);
    char endpoint[256] = {};
    std::size_t size = sizeof endpoint;
    zmq_getsockopt(pub_, ZMQ_LAST_ENDPOINT, endpoint, &size);
    endpoint_ = endpoint;
  }
  void TearDown() override {
    zmq_close(pub_);
    zmq_ctx_term(ctx_);
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  void send(const WireFrames& w) {
    zmq_send(pub_, w.topic.data(), w.topic.size(), ZMQ_SNDMORE);
    zmq_send(pub_, w.envelope.data(), w.envelope.size(), ZMQ_SNDMORE);
    zmq_send(pub_, w.payload.data(), w.payload.size(), 0);
  }

  fs::path dir_;
  void* ctx_ = nullptr;
  void* pub_ = nullptr;
  std::string endpoint_;
};

// A message over kMaxRecordBytes (two frames of 129 MiB, sent without copying) used to end the recording with an
// error; now it is dropped and counted, and the messages before and after it are recorded.
TEST_F(FeedCaptureLimitsTest, AMessageTooLargeForARecordIsDroppedAndTheRecordingGoesOn) {
  FeedCaptureConfig cc;
  cc.endpoint = endpoint_;
  cc.outPath = (dir_ / "big.gtrec").string();
  cc.security.mode = RecordingSecurity::None;
  FeedCapture capture(cc);
  ASSERT_TRUE(capture.start().isOk());
  zmq_pollitem_t item{pub_, 0, ZMQ_POLLIN, 0};
  ASSERT_EQ(zmq_poll(&item, 1, 5000), 1) << "the recorder never subscribed";

  send(smallMessage(1));
  constexpr std::size_t kFrame = (kMaxRecordBytes / 2) + (1u << 20);  // two of them: over the record limit
  static_assert(2 * kFrame > kMaxRecordBytes);
  auto big = std::make_unique<char[]>(kFrame);  // the same bytes for both frames, never copied by the sender
  for (int i = 0; i < 2; ++i) {
    zmq_msg_t frame;
    ASSERT_EQ(zmq_msg_init_data(&frame, big.get(), kFrame, nullptr, nullptr), 0);
    ASSERT_GE(zmq_msg_send(&frame, pub_, i == 0 ? ZMQ_SNDMORE : 0), 0);
  }
  send(smallMessage(2));

  ASSERT_TRUE(waitFor([&] { return capture.stats().messages >= 2 || capture.finished(); },
                      std::chrono::seconds(30)));
  EXPECT_FALSE(capture.finished()) << capture.result().toString();
  EXPECT_EQ(capture.stats().unrecordable, 1u);
  EXPECT_EQ(capture.stats().messages, 2u);
  capture.join();
  EXPECT_TRUE(capture.result().isOk()) << capture.result().toString();

  auto reader = FeedRecordingReader::open(cc.outPath);
  ASSERT_TRUE(reader.isOk()) << reader.status().toString();
  RecordedMessage m;
  std::size_t records = 0;
  while ((*reader)->next(m)) {
    ++records;
    EXPECT_EQ(m.frames.size(), 3u);
  }
  EXPECT_EQ(records, 2u);
  EXPECT_TRUE((*reader)->damage().isOk());
}

}  // namespace
}  // namespace gt::connectors
