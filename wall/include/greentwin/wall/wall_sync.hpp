#pragma once
// Frame sync between the wall's nodes (docs/wall.md "Sync between nodes"). The lead binds a ZeroMQ PUB at the wall
// file's `sync` endpoint and publishes one WallFrameState per frame; each follower connects a SUB and draws the
// newest frame it has. The lead binds and the followers connect because a SUB that binds gets nothing until it is
// first polled (libzmq issue 2267), and because followers come and go while the lead stays.
//
// Security "curve": the lead is a CURVE server with its key file's secret, and a ZAP handler (the feeds'
// ZapAuthenticator, one per lead) admits only the keys of the wall's allow-list (`greentwin keys allow`, re-read
// when it changes); a follower is a CURVE client with its own key pair and the lead's public key. A follower whose
// key is not admitted never completes the handshake and receives nothing. Security "none": plain TCP (a trial).
//
// Besides the frames the PUB carries each layer's look (layer_look.hpp) when it changes and about once a second again;
// a follower keeps the newest per layer (bounded: kMaxFrameLayers layers, kMaxKeptLookBytes in all).
//
// PUB/SUB drops silently at the high-water mark; a follower only wants the newest frame anyway, so poll() drains its
// queue and keeps the last. ZeroMQ reconnects on its own: a restarted lead is picked up within its reconnect
// interval (100 ms), a restarted follower gets the next frame after its handshake. Heartbeats (1 s, 3 s timeout)
// detect a lead whose machine vanished without closing TCP.
//
// A follower watches its connection to the lead (a ZeroMQ socket monitor, LeadLink): a lead whose process ends closes
// the connection, and the follower reports it lost at its next poll — even inside a hold, and however slow the lead's
// frames were — instead of after the silence runs out; a lead that refuses the node's key (not in the allow-list) is
// told apart from one that is not running.
//
// Swap barrier (WallConfig::swapBarrier): the lead also binds a ROUTER at the `barrier` endpoint; a follower that
// has drawn frame N sends "ready N" from a DEALER (routing id = its node id) and waits for the lead's "release N"
// (on the sync PUB) before it swaps. The lead's waitForBarrier(N) returns — and publishes "release N" — when every
// node in the barrier is ready for N, or at the timeout. A node joins the barrier with a ready message; one that
// misses a timeout is dropped until it sends a ready for the frame being awaited or a later one, so a dead or
// stuck follower costs the wall one timeout, never a stall.
//
// Threads: each WallLead / WallFollower belongs to the thread that created it (the render loop); nothing is
// thread-safe. Each owns its ZeroMQ context: libzmq's I/O thread does the TCP and the CURVE encryption, and the
// lead's ZAP handler thread (ZapAuthenticator) answers the handshakes. Errors are values: creation fails with a
// Status naming the endpoint or key file; a send that would block is counted, never fatal.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/wall/frame_state.hpp"
#include "greentwin/wall/layer_look.hpp"
#include "greentwin/wall/wall_file.hpp"

namespace gt::wall {

// The most a follower keeps of its lead's layer looks (the newest per layer), all layers together.
inline constexpr std::size_t kMaxKeptLookBytes = 32u << 20;

// The longest hold a lead may announce (a screenshot of a large canvas in software GL takes seconds).
inline constexpr double kMaxLeadHoldS = 60.0;

struct WallSyncSettings {
  std::string syncEndpoint;     // lead: binds (tcp://*:7710, tcp://127.0.0.1:* for any free port); followers connect
  std::string barrierEndpoint;  // empty: no swap barrier
  bool curve = true;            // false: security "none"
  std::string leadKeyFile;      // lead: the key file with its secret; follower: its public key is enough
  std::string allowListFile;    // lead only: the node keys admitted
  std::string nodeKeyFile;      // follower only: its own key file, with the secret
  std::string nodeId;           // follower only: its barrier routing id (the wall file's node id)
  std::string zapDomain = "wall";  // the lead's ZAP domain (audit lines' source=)
  double leadLostAfterS = 1.0;
};

// The lead's settings from a wall file (paths resolved against it).
WallSyncSettings leadSyncSettings(const WallConfig& config);
// A follower's; NotFound when the wall has no node `nodeId`, InvalidArgument when it is the lead.
Result<WallSyncSettings> followerSyncSettings(const WallConfig& config, const std::string& nodeId);

struct WallLeadStats {
  std::uint64_t published = 0;      // frames handed to ZeroMQ
  std::uint64_t sendFailures = 0;   // frames ZeroMQ would not take (should stay 0: PUB drops rather than blocks)
  std::uint64_t looksPublished = 0;  // layer looks handed to ZeroMQ
  std::uint64_t barrierMessages = 0;
  std::uint64_t barrierMalformed = 0;
  std::uint64_t barrierTimeouts = 0;  // waitForBarrier calls that ended at their timeout
};

struct BarrierOutcome {
  bool complete = true;              // every node in the barrier was ready (vacuously with none)
  std::vector<std::string> ready;    // the nodes ready for the frame
  std::vector<std::string> dropped;  // the nodes dropped at this timeout
  double waitedMs = 0;
};

class WallLead {
 public:
  // Binds the sync endpoint (and the barrier's, if set). Errors: a bad or busy endpoint (IoError/InvalidArgument,
  // naming it), an unreadable lead key, a lead key without its secret, an unreadable allow-list.
  static Result<std::unique_ptr<WallLead>> create(const WallSyncSettings& settings);
  ~WallLead();
  WallLead(const WallLead&) = delete;
  WallLead& operator=(const WallLead&) = delete;

  // The bound sync endpoint with its real port (after "tcp://127.0.0.1:*").
  const std::string& syncEndpoint() const { return syncEndpoint_; }
  const std::string& barrierEndpoint() const { return barrierEndpoint_; }

  // Stamps the send times (sentSteadyNs, sentSystemNs), encodes and sends without blocking. Errors: the state fails
  // validation (InvalidArgument); ZeroMQ refused the message (IoError, counted).
  Status publish(const WallFrameState& state);
  // Sends a layer's look (layer_look.hpp), before the frame whose LayerState::look names its revision, and again now
  // and then for followers that join late. Errors: the look fails validation (InvalidArgument); ZeroMQ refused it.
  Status publishLook(const LayerLook& look);
  // Sends already encoded frame bytes as they are (benchmarks; publish() is the normal way).
  Status publishEncoded(const std::vector<std::uint8_t>& bytes);

  // Swap barrier: waits until every node in the barrier is ready for `frame` or `timeoutMs` passes, then publishes
  // "release frame". Without a barrier endpoint: returns at once, complete.
  BarrierOutcome waitForBarrier(std::uint64_t frame, int timeoutMs);
  // Tells the followers that no frame comes for up to `seconds` (0..kMaxLeadHoldS) because the lead is busy (a
  // screenshot renders the whole canvas): its last frame stays current and they do not report it lost meanwhile.
  // The next frame ends the hold.
  Status announceHold(double seconds);
  // The nodes in the barrier now (joined, not dropped), sorted.
  std::vector<std::string> barrierNodes() const;

  WallLeadStats stats() const { return stats_; }

 private:
  struct Impl;
  explicit WallLead(std::unique_ptr<Impl> impl);
  void readBarrier(int timeoutMs);

  std::unique_ptr<Impl> impl_;
  std::string syncEndpoint_;
  std::string barrierEndpoint_;
  WallLeadStats stats_;
  struct BarrierNode {
    std::uint64_t lastReady = 0;
    bool active = false;
  };
  std::map<std::string, BarrierNode> barrier_;
  std::uint64_t awaiting_ = 0;  // the frame of the last waitForBarrier
};

// A follower's connection to its lead, as libzmq's socket monitor reports it.
enum class LeadLink {
  Connecting,  // no handshake has succeeded yet (the lead not up, or a handshake that failed without a reason)
  Up,          // the handshake succeeded and the connection is open
  Down,        // the connection was up and closed (the lead's process ended, or heartbeats timed out)
  Refused,     // the lead refused this node's key (not in its allow-list, or revoked); ZeroMQ keeps trying
};
const char* toString(LeadLink link);

struct WallFollowerStats {
  std::uint64_t framesReceived = 0;  // well-formed frames, including those drained past
  std::uint64_t malformed = 0;       // messages refused (decodeFrameState, decodeLayerLook, the looks' bounds)
  std::uint64_t looksReceived = 0;   // well-formed layer looks kept
  std::uint64_t releases = 0;        // barrier releases received
  std::uint64_t readySent = 0;       // barrier ready messages handed to ZeroMQ
  std::uint64_t readyDropped = 0;    // ready messages ZeroMQ would not take (lead not connected, or not reading)
  std::uint64_t disconnects = 0;     // connections to the lead that closed after their handshake
  std::uint64_t refusals = 0;        // handshakes the lead refused (this node's key not admitted)
  std::optional<std::uint64_t> lastFrame;
};

class WallFollower {
 public:
  // Connects (ZeroMQ connects in the background: a lead that is not up yet is fine). Errors: a bad endpoint, an
  // unreadable node key or one without its secret, an unreadable lead key.
  static Result<std::unique_ptr<WallFollower>> create(const WallSyncSettings& settings);
  ~WallFollower();
  WallFollower(const WallFollower&) = delete;
  WallFollower& operator=(const WallFollower&) = delete;

  // Waits up to `timeoutMs` (0: not at all) for a frame, then drains everything queued and returns the newest frame
  // received since the last poll, or nullopt. Malformed messages are counted and logged once per kind.
  std::optional<WallFrameState> poll(int timeoutMs);

  // The newest look received for a layer (the frame's LayerState::look says which revision it shows), or nullptr.
  // Valid until the next poll() or waitForRelease().
  const LayerLook* look(const std::string& layerId) const;

  // The connection closed (LeadLink::Down, read at the last poll), or no frame for leadLostAfterS (counted from
  // creation until the first frame) outside a hold.
  bool leadLost() const;
  // The connection to the lead as of the last poll() or waitForRelease().
  LeadLink link() const { return link_; }
  double sinceLastFrameS() const;
  // Seconds left of the lead's announced hold (WallLead::announceHold); 0 when none, or once a frame came after it.
  double holdRemainingS() const;

  // Swap barrier: tells the lead this node is ready to show `frame` (no-op without a barrier endpoint).
  void sendReady(std::uint64_t frame);
  // Waits until the lead released `frame` (or a later one) or `timeoutMs` passes; frames arriving meanwhile are kept
  // for the next poll(). True when released. Without a barrier endpoint: true at once.
  bool waitForRelease(std::uint64_t frame, int timeoutMs);

  WallFollowerStats stats() const { return stats_; }

 private:
  struct Impl;
  explicit WallFollower(std::unique_ptr<Impl> impl, double leadLostAfterS);
  // Reads every queued message; true if any was a frame.
  bool drain();
  void handle(const std::uint8_t* data, std::size_t size);
  void handleLook(const std::uint8_t* data, std::size_t size);
  void refuse(FrameProblem problem, const std::string& message);
  // Reads the socket monitor's queued events into link_.
  void readLinkEvents();

  std::unique_ptr<Impl> impl_;
  LeadLink link_ = LeadLink::Connecting;
  double leadLostAfterS_;
  std::int64_t lastFrameSteadyNs_;
  std::int64_t holdUntilSteadyNs_ = 0;
  WallFollowerStats stats_;
  std::optional<WallFrameState> pending_;
  std::uint64_t released_ = 0;
  bool anyRelease_ = false;
  bool loggedProblem_[kFrameProblemCount] = {};
  std::map<std::string, LayerLook> looks_;  // by layer id
  std::size_t lookBytes_ = 0;
};

}  // namespace gt::wall
