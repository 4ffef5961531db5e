#pragma once
// Record and replay of live feeds (issue 4 "Record and replay"; docs/record-replay.md): the raw multipart
// messages a SUB socket received, byte for byte, with their receive times, in a file; read back and published
// again on a PUB socket in real time, at a speed factor, or as fast as possible. The basis of deterministic
// tests and of incident review: a replay goes through the same decoder, checks and ingest as the live feed.
//
// File format, version 2 (all integers little-endian; version 1 files are still read):
//   header  (28 bytes): magic "GTFEEDRC" | u32 version (2) | u32 flags | i64 created (µs since the epoch)
//                       | u32 CRC-32 of the 24 bytes before it
//                       flags: bit 0 = the source was CURVE (every record carries its publisher's admitted key);
//                       other bits 0. Version 1: flags 0 (the recorder spoke NULL only).
//   record  (repeated): u32 length L of the body | u32 CRC-32 of (the 4 length bytes + the body) | body:
//                       i64 receive wall time (µs since the epoch) | i64 receive offset (µs since the recording
//                       started, monotonic clock) | u8 key length K | K bytes: the sender's key, ZeroMQ's
//                       "User-Id" (Z85, 40 characters; K = 0 for a NULL source) | u32 frame count N |
//                       N x (u32 frame length | frame bytes)
//                       Version 1 bodies have no key length and key: wall time | offset | N | frames.
// Each record is written with one write(2), so a recorder killed mid-write leaves at most one partial record at
// the tail. The reader stops at the first damage (a partial or checksum-failing record, impossible lengths) and
// says where; everything before it is read normally.
//
// Threads: a FeedRecorder or FeedRecordingReader is used by one thread at a time. FeedCapture runs its own
// thread (like ZmqIngest). replayFeed runs on the calling thread.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt::connectors {

namespace detail {
class CurveServer;  // connectors/src/curve_server.hpp
}

inline constexpr std::uint32_t kFeedRecordingVersion = 2;         // written; versions 1 and 2 are read
inline constexpr std::uint32_t kFeedRecordingOldestVersion = 1;
inline constexpr std::size_t kFeedRecordingHeaderBytes = 28;
// Reader limits: a record claiming more is damage, not an allocation.
inline constexpr std::uint32_t kMaxRecordBytes = 256u << 20;
inline constexpr std::uint32_t kMaxRecordFrames = 64;

// CRC-32 (IEEE 802.3, the zlib one); `crc` chains calls.
std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc = 0);

// How the recorded source authenticated its publishers (the header's flags).
enum class RecordingSecurity : std::uint8_t {
  None,   // NULL mechanism: anyone who could reach the endpoint (and every version 1 file)
  Curve,  // CURVE with a ZAP allow-list: each record carries the key the sender was admitted with
};
const char* toString(RecordingSecurity security);  // "none", "curve"
inline constexpr std::size_t kMaxRecordKeyBytes = 255;

struct RecordedMessage {
  TimePoint receiveTime = 0;   // wall clock at receipt (µs since the epoch): for incident review
  Duration receiveOffset = 0;  // monotonic µs since the recording started: replay timing uses this
  std::vector<std::vector<std::byte>> frames;
  // CURVE: the publisher key (Z85) the sender was admitted with, ZeroMQ's "User-Id"; empty for NULL / version 1.
  // Not sent on replay (a replay authenticates with its own key).
  std::string publisherKey;
  friend bool operator==(const RecordedMessage&, const RecordedMessage&) = default;
};

// ---- writing ----

class FeedRecorder {
 public:
  // Creates (truncates) the file and writes the header (the current version, `security` in its flags). IoError
  // names the path.
  static Result<std::unique_ptr<FeedRecorder>> create(const std::string& path, TimePoint createdAt = wallNow(),
                                                      RecordingSecurity security = RecordingSecurity::None);
  ~FeedRecorder();
  FeedRecorder(const FeedRecorder&) = delete;
  FeedRecorder& operator=(const FeedRecorder&) = delete;

  // Appends one record with one write(2) (no user-space buffering: what returned ok survives a kill -9).
  // More than kMaxRecordFrames frames, a body over kMaxRecordBytes or a key over kMaxRecordKeyBytes is
  // InvalidArgument; IoError on a failed write.
  Status write(TimePoint receiveTime, Duration receiveOffset, std::span<const std::span<const std::byte>> frames,
               std::string_view publisherKey = {});
  Status write(const RecordedMessage& message);
  // fsync; the destructor closes without it (a process crash loses nothing written; an OS crash may).
  Status sync();
  std::uint64_t records() const { return records_; }
  std::uint64_t bytes() const { return bytes_; }
  const std::string& path() const { return path_; }
  RecordingSecurity security() const { return security_; }

 private:
  FeedRecorder(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_ = -1;
  RecordingSecurity security_ = RecordingSecurity::None;
  std::vector<std::byte> buffer_;
  std::uint64_t records_ = 0;
  std::uint64_t bytes_ = kFeedRecordingHeaderBytes;
};

// ---- reading ----

class FeedRecordingReader {
 public:
  // Opens and checks the header: IoError (cannot open), ParseError (not a recording, a damaged header),
  // Unsupported (a newer version, unknown flags). Messages name the path.
  static Result<std::unique_ptr<FeedRecordingReader>> open(const std::string& path);
  // The same over bytes in memory (tests, the fuzz target); `name` appears in messages.
  static Result<std::unique_ptr<FeedRecordingReader>> fromBytes(std::span<const std::byte> bytes,
                                                                const std::string& name = "buffer");

  TimePoint createdAt() const { return createdAt_; }
  std::uint32_t version() const { return version_; }
  RecordingSecurity security() const { return security_; }

  // The next record into `out`: true; false at the end of the file or at the first damage (then damage() says
  // what and where, and every later call returns false).
  bool next(RecordedMessage& out);
  // Ok at a clean end (or before it); ParseError "<name>: record <n> at byte <offset>: <what>" after damage:
  // "truncated ..." (the file ends inside a record: a recorder killed mid-write), "checksum mismatch",
  // or "bad record layout ...".
  const Status& damage() const { return damage_; }
  std::uint64_t recordsRead() const { return records_; }
  // Byte offset of the next record (after the last good one).
  std::uint64_t offset() const { return offset_; }

 private:
  FeedRecordingReader(std::unique_ptr<std::istream> in, std::uint64_t size, std::string name)
      : in_(std::move(in)), size_(size), name_(std::move(name)) {}
  static Result<std::unique_ptr<FeedRecordingReader>> start(std::unique_ptr<FeedRecordingReader> reader);
  bool fail(const std::string& what);

  std::unique_ptr<std::istream> in_;
  std::uint64_t size_ = 0;
  std::string name_;
  TimePoint createdAt_ = 0;
  std::uint32_t version_ = kFeedRecordingVersion;
  RecordingSecurity security_ = RecordingSecurity::None;
  std::uint64_t offset_ = kFeedRecordingHeaderBytes;
  std::uint64_t records_ = 0;
  bool done_ = false;
  Status damage_;
  std::vector<std::byte> body_;
};

// What `greentwin-feed info` prints: counts, times, topics and publishers (from the envelope's "publisher").
struct RecordingSummary {
  TimePoint createdAt = 0;
  std::uint32_t version = 0;
  RecordingSecurity security = RecordingSecurity::None;
  std::uint64_t records = 0;
  std::uint64_t bytes = 0;           // of the records read (frames only)
  TimePoint firstReceive = 0;        // wall time of the first and last record (0 when none)
  TimePoint lastReceive = 0;
  Duration span = 0;                 // receive offset of the last record minus the first
  std::uint64_t notThreeFrames = 0;  // records that are not [topic][envelope][payload]
  std::map<std::string, std::uint64_t> topics;      // first frame -> records
  std::map<std::string, std::uint64_t> publishers;  // envelope "publisher" -> records ("?" when unreadable)
  std::map<std::string, std::uint64_t> publisherKeys;  // admitted key (CURVE) -> records; empty for NULL
  Status damage;                     // as FeedRecordingReader::damage()
};
Result<RecordingSummary> summarizeRecording(const std::string& path);

// ---- capture from a socket ----

struct FeedCaptureConfig {
  std::string endpoint;                    // "tcp://127.0.0.1:5556"; "tcp://127.0.0.1:*" with bind
  bool bind = false;                       // true: the recorder's SUB binds and publishers connect
  std::vector<std::string> topicPrefixes;  // empty: everything
  std::string outPath;
  Duration maxDuration = 0;                // stop after this long (0: until stop())
  std::uint64_t maxMessages = 0;           // stop after this many messages (0: no limit)
  int receiveHighWaterMark = 0;            // ZMQ_RCVHWM; 0: no limit (a recorder should not drop)
  int handshakeTimeoutMs = 5000;           // ZMQ_HANDSHAKE_IVL (libzmq's default is 30 s); 0: no limit
  std::size_t maxConnections = 64;         // CURVE: connections held after their handshake; ZAP refuses more
  int pollTimeoutMs = 50;
  void* zmqContext = nullptr;              // shared context (inproc); nullptr: own one (it then has no ZAP
                                           // handler yet; a shared one must not have one either)
  // How the recorder's SUB admits publishers: like a twin source (docs/security.md), CURVE unless set to None.
  // CURVE: the SUB is a CURVE server with the twin's key pair, so publishers that already feed the twin connect
  // to it unchanged; a ZAP handler admits the keys of the allow-list, every decision is an AUDIT line (source=
  // zapDomain), and each record keeps the sender's admitted key. None: NULL mechanism, anyone who can reach it.
  struct Security {
    RecordingSecurity mode = RecordingSecurity::Curve;
    std::string serverKeyFile;              // the twin's key file with its secret (`greentwin keys server`)
    std::string allowListFile;              // the admitted publishers (`greentwin keys allow|revoke`)
    std::string zapDomain = "recorder";     // ZAP domain; the audit lines' source=
  } security;
};

struct FeedCaptureStats {
  std::uint64_t messages = 0;           // recorded
  std::uint64_t bytes = 0;
  std::uint64_t receiveErrors = 0;
  // CURVE (zero for None), as ZmqIngestStats.
  std::uint64_t authAdmitted = 0;       // handshakes the ZAP handler admitted
  std::uint64_t authRefused = 0;        // handshakes it refused (unknown or revoked key)
  std::uint64_t handshakeFailures = 0;  // handshakes failed before ZAP (no CURVE, another server key)
  std::uint64_t revokedMessages = 0;    // not recorded: the sender's key is no longer admitted
  std::uint64_t unrecordable = 0;       // not recorded: over kMaxRecordBytes as a record (logged; recording goes on)
  // Behind a feed proxy each message is recorded as its publisher's own (3 frames, the attested key); not recorded:
  // a proxy's message that attests no publisher admitted here (logged), as the twin drops it.
  std::uint64_t unattestedMessages = 0;
};

// Records everything a SUB socket receives, on its own thread. start() opens the file and binds/connects on the
// calling thread (errors returned there: bad endpoint, a missing or bad key file or allow-list, CURVE asked for
// without them); the thread ends on stop(), at maxDuration or maxMessages, or on a write error (result() then says
// why). A message too large for a record (kMaxRecordBytes) is dropped, counted (unrecordable) and logged, and the
// recording goes on; a single frame over kMaxRecordBytes makes libzmq drop that publisher's connection
// (ZMQ_MAXMSGSIZE). With CURVE, messages from a sender whose key was revoked while connected are dropped (not recorded),
// counted and audited, as the twin does.
class FeedCapture {
 public:
  explicit FeedCapture(FeedCaptureConfig config);
  ~FeedCapture();
  FeedCapture(const FeedCapture&) = delete;
  FeedCapture& operator=(const FeedCapture&) = delete;

  Status start();
  void stop();                                  // any thread
  void join();                                  // owning thread
  bool finished() const { return finished_.load(); }
  const std::string& endpoint() const { return boundEndpoint_; }  // after start()
  FeedCaptureStats stats() const;
  Status result() const;                        // after join(): ok or the write/receive error that ended it

 private:
  void run();
  void release();
  FeedCaptureConfig config_;
  std::unique_ptr<FeedRecorder> recorder_;
  std::unique_ptr<detail::CurveServer> curve_;  // CURVE mode
  void* context_ = nullptr;
  bool ownsContext_ = false;
  void* socket_ = nullptr;
  std::string boundEndpoint_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> finished_{false};
  std::atomic<std::uint64_t> messages_{0}, bytes_{0}, receiveErrors_{0}, handshakeFailures_{0}, revokedMessages_{0},
      unrecordable_{0}, unattestedMessages_{0};
  Status result_;  // written by the thread before finished_
  std::thread thread_;
};

// ---- replay onto a socket ----

struct FeedReplayConfig {
  std::string endpoint;
  bool bind = false;        // true: bind the PUB (subscribers connect); false: connect to a binding SUB
  double speed = 1.0;       // > 0: recorded gaps divided by this (2 = twice as fast)
  bool asFastAsPossible = false;
  bool loop = false;        // start again at the end (until stopped); a twin drops repeated sequence numbers
  // Wait up to this long for the first subscription before sending (the socket is an XPUB, so the replay knows
  // when a subscriber is there); then send anyway. 0: do not wait.
  int waitForSubscriberMs = 5000;
  // Keep every message: the socket blocks (never drops) when a subscriber falls behind (ZMQ_XPUB_NODROP with
  // this ZMQ_SNDHWM). false: drop like a plain PUB.
  bool noDrop = true;
  int sendHighWaterMark = 100'000;
  void* zmqContext = nullptr;
  // CURVE (docs/security.md), for a twin whose SUB socket is a CURVE server: both or neither.
  //   serverKey  the twin's public key: 40 Z85 characters, or a key file (curve_keys.hpp) to take it from
  //   keyFile    this publisher's key file with its secret (its public key must be in the twin's allow-list)
  std::string serverKey;
  std::string keyFile;
};

struct FeedReplayStats {
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;
  std::uint64_t loops = 0;       // complete passes over the file
  bool subscriberSeen = false;   // a subscription arrived before the first send
  double wallSeconds = 0;
  Duration recordedSpan = 0;     // receive offset span of one pass
  Status damage;                 // the reader's damage (the replay stops there), ok for a clean file
};

// Publishes the recording's messages in order, paced by their receive offsets, on the calling thread. Returns
// when the file is done (or, with loop, when `stop` is set); `stop` (optional) is checked between messages and
// while waiting. Errors: the file cannot be opened or its header is bad, the socket cannot bind/connect.
// Damage inside the file is not an error: the good prefix is sent and stats.damage says what was wrong.
// `onBound` (optional) gets the actual endpoint after bind/connect (e.g. for "tcp://127.0.0.1:*").
Result<FeedReplayStats> replayFeed(const std::string& path, const FeedReplayConfig& config,
                                   const std::atomic<bool>* stop = nullptr,
                                   const std::function<void(const std::string&)>& onBound = {});

}  // namespace gt::connectors
