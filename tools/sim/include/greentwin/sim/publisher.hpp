#pragma once
// The simulator's publishing engine: one ZeroMQ PUB socket (bind or connect, optional CURVE client keys), a
// schedule that spreads a rate (updates per second) over all feeds' entities or sweeps everything every interval,
// and wire-protocol messages (docs/protocol.md) of at most maxUpdatesPerMessage updates each, one publisher id and
// sequence per domain ("<publisherId>-<domain>"). Values are stamped with the wall clock (the envelope's source
// time); the models are evaluated at the simulated time (simStart + speed x elapsed, or now).
// Threads: construct, open() and run() on one thread; requestStop() from any thread (a signal handler included:
// it only stores to a lock-free atomic).

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/sim/feeds.hpp"

namespace gt::sim {

struct PublishOptions {
  std::string endpoint = "tcp://127.0.0.1:5560";
  bool bind = false;                 // true: the PUB binds (the twin connects); false: it connects to a binding twin
  double rate = 0;                   // updates per second over all feeds; 0: sweep everything every intervalS
  double intervalS = 1.0;            // interval mode: seconds between sweeps
  bool binary = true;                // payload encoding: binary (GTB1) or JSON
  std::string publisherId = "greentwin-sim";
  double durationS = 0;              // wall seconds to run; 0: until requestStop()
  std::optional<TimePoint> simStart; // simulated time at the start; empty: the wall clock
  double speed = 1.0;                // simulated seconds per wall second
  std::size_t maxUpdatesPerMessage = 4000;
  double connectDelayS = 0.3;        // connect mode: wait this long for the connection before the first message
  int sendHighWaterMark = 10000;     // ZMQ_SNDHWM in messages
  // CURVE (docs/security.md): the server's public key and this client's key pair, Z85. All empty: plain TCP.
  std::string curveServerKey, curvePublicKey, curveSecretKey;
  bool unthrottled = false;          // benchmarks: send as fast as possible (rate ignored)
  std::uint64_t maxUpdates = 0;      // stop after this many updates; 0: no limit
  const std::atomic<bool>* stopFlag = nullptr;  // also stop when this turns true (a signal handler's flag)
};

struct PublishStats {
  std::uint64_t updates = 0;
  std::uint64_t messages = 0;
  std::uint64_t dropped = 0;  // messages the socket refused (high-water mark reached)
  double seconds = 0;         // wall time of run()
  double updatesPerSecond() const { return seconds > 0 ? static_cast<double>(updates) / seconds : 0.0; }
};

class SimPublisher {
 public:
  SimPublisher(std::vector<std::unique_ptr<Feed>> feeds, PublishOptions options);
  ~SimPublisher();
  SimPublisher(const SimPublisher&) = delete;
  SimPublisher& operator=(const SimPublisher&) = delete;

  // Creates the socket, applies CURVE keys and binds/connects. Errors name the endpoint or key.
  Status open();
  // After open(): the actual endpoint (for a "tcp://127.0.0.1:*" bind, the port chosen).
  const std::string& endpoint() const { return boundEndpoint_; }
  // Publishes until the duration, maxUpdates or requestStop(). Errors: encoding failures, socket errors.
  Result<PublishStats> run();
  void requestStop() { stop_.store(true, std::memory_order_relaxed); }

  // The total number of (entity, attribute) values one sweep of all feeds publishes.
  std::size_t valuesPerSweep() const;
  // Declared interval (s) the envelope carries for a feed's domain under these options.
  double declaredIntervalS(std::size_t feed) const;

 private:
  struct State;
  Status publish(std::size_t feed, std::size_t entities, TimePoint simTime, PublishStats& stats);

  std::vector<std::unique_ptr<Feed>> feeds_;
  PublishOptions options_;
  void* context_ = nullptr;
  void* socket_ = nullptr;
  std::string boundEndpoint_;
  std::atomic<bool> stop_{false};
  std::unique_ptr<State> state_;
};

// Reads a CURVE key: 40 Z85 characters as given, or a key file (`public = "..."`, `secret = "..."` lines).
// wantSecret: the file must hold a secret key. Errors name the file or say what is wrong with the key.
struct CurveKey {
  std::string publicKey, secretKey;
};
Result<CurveKey> readCurveKey(const std::string& keyOrFile, bool wantSecret);

}  // namespace gt::sim
