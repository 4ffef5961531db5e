#include "greentwin/sim/publisher.hpp"

#include <zmq.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>
#include <thread>

#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/sim/message_builder.hpp"

namespace gt::sim {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kTickS = 0.02;  // rate mode: one publishing step every 20 ms

Status zmqError(const std::string& what) {
  return Status(ErrorCode::IoError, what + ": " + zmq_strerror(zmq_errno()));
}

}  // namespace

// Key files are read by the connectors' reader (the format every GreenTwin part shares, docs/security.md).
Result<CurveKey> readCurveKey(const std::string& keyOrFile, bool wantSecret) {
  std::error_code ec;
  if (!std::filesystem::exists(keyOrFile, ec)) {
    if (wantSecret) return Status(ErrorCode::NotFound, "key file '" + keyOrFile + "' does not exist");
    if (Status s = connectors::validateZ85Key(keyOrFile); !s) {
      return Status(ErrorCode::InvalidArgument,
                    "server key '" + keyOrFile + "' is neither a key file nor a Z85 key: " + s.message());
    }
    return CurveKey{keyOrFile, {}};
  }
  auto keys = connectors::readKeyFile(keyOrFile);
  if (!keys) return keys.status();
  if (wantSecret && !keys->hasSecret()) {
    return Status(ErrorCode::InvalidArgument, "key file '" + keyOrFile + "' has no secret key");
  }
  return CurveKey{keys->publicKey, keys->secretKey};
}

struct SimPublisher::State {
  std::vector<std::size_t> cursor;      // next entity per feed
  std::vector<double> sentEntities;     // rate mode: entities published per feed so far
  std::vector<double> entityRate;       // rate mode: entities per second per feed
  std::map<std::string, std::uint64_t> sequence;  // per publisher id
  connectors::Message message;          // reused: its strings keep their capacity
  std::vector<double> values;
};

SimPublisher::SimPublisher(std::vector<std::unique_ptr<Feed>> feeds, PublishOptions options)
    : feeds_(std::move(feeds)), options_(std::move(options)), state_(std::make_unique<State>()) {
  state_->cursor.assign(feeds_.size(), 0);
  state_->sentEntities.assign(feeds_.size(), 0.0);
  state_->entityRate.assign(feeds_.size(), 0.0);
  const double sweep = static_cast<double>(valuesPerSweep());
  for (std::size_t f = 0; f < feeds_.size(); ++f) {
    // Every entity is refreshed at the same period: the rate over all values divided by the values per sweep.
    if (options_.rate > 0 && sweep > 0) state_->entityRate[f] = static_cast<double>(feeds_[f]->size()) * options_.rate / sweep;
  }
}

SimPublisher::~SimPublisher() {
  if (socket_ != nullptr) zmq_close(socket_);
  if (context_ != nullptr) zmq_ctx_term(context_);
}

std::size_t SimPublisher::valuesPerSweep() const {
  std::size_t n = 0;
  for (const auto& f : feeds_) n += f->size() * f->attributes().size();
  return n;
}

double SimPublisher::declaredIntervalS(std::size_t feed) const {
  if (options_.unthrottled) return kTickS;
  if (options_.rate <= 0) return options_.intervalS;
  // The domain's messages come as often as its fastest feed has a whole entity to send, at least every tick.
  double fastest = 0.0;
  for (std::size_t f = 0; f < feeds_.size(); ++f) {
    if (feeds_[f]->domain() == feeds_[feed]->domain()) fastest = std::max(fastest, state_->entityRate[f]);
  }
  return fastest > 0 ? std::clamp(1.0 / fastest, kTickS, 604800.0) : 604800.0;
}

Status SimPublisher::open() {
  context_ = zmq_ctx_new();
  socket_ = zmq_socket(context_, ZMQ_PUB);
  if (socket_ == nullptr) return zmqError("cannot create a PUB socket");
  const int linger = 1000;  // deliver what is queued on close, but never hang
  zmq_setsockopt(socket_, ZMQ_LINGER, &linger, sizeof linger);
  zmq_setsockopt(socket_, ZMQ_SNDHWM, &options_.sendHighWaterMark, sizeof options_.sendHighWaterMark);
  if (!options_.curveServerKey.empty()) {
    if (options_.curvePublicKey.empty() || options_.curveSecretKey.empty()) {
      return Status(ErrorCode::InvalidArgument, "CURVE needs this publisher's key pair as well as the server key");
    }
    // Z85 keys are passed as 41 bytes (40 characters and the terminator), as libzmq expects.
    if (zmq_setsockopt(socket_, ZMQ_CURVE_SERVERKEY, options_.curveServerKey.c_str(), 41) != 0 ||
        zmq_setsockopt(socket_, ZMQ_CURVE_PUBLICKEY, options_.curvePublicKey.c_str(), 41) != 0 ||
        zmq_setsockopt(socket_, ZMQ_CURVE_SECRETKEY, options_.curveSecretKey.c_str(), 41) != 0) {
      return zmqError("cannot set the CURVE keys (is libzmq built with CURVE?)");
    }
  }
  const int rc = options_.bind ? zmq_bind(socket_, options_.endpoint.c_str())
                               : zmq_connect(socket_, options_.endpoint.c_str());
  if (rc != 0) return zmqError(std::string(options_.bind ? "cannot bind " : "cannot connect to ") + options_.endpoint);
  std::array<char, 256> last{};
  std::size_t size = last.size();
  if (zmq_getsockopt(socket_, ZMQ_LAST_ENDPOINT, last.data(), &size) == 0) boundEndpoint_ = last.data();
  return Status::ok();
}

Status SimPublisher::publish(std::size_t f, std::size_t entities, TimePoint simTime, PublishStats& stats) {
  Feed& feed = *feeds_[f];
  if (entities == 0 || feed.size() == 0) return Status::ok();
  feed.prepare(simTime);
  const std::size_t perMessage = entitiesPerMessage(feed, options_.maxUpdatesPerMessage);
  State& s = *state_;
  connectors::Message& m = s.message;
  m.topic = feed.topic();
  m.envelope.publisherId = options_.publisherId + "-" + feed.domain();
  m.envelope.schemaId = feed.topic();
  m.envelope.declaredInterval = std::max<Duration>(1, seconds(declaredIntervalS(f)));
  while (entities > 0) {
    const std::size_t count = std::min(entities, perMessage);
    entities -= count;
    // Live: the samples take the envelope's source time (the wall clock, below).
    const std::size_t n = fillUpdates(feed, simTime, s.cursor[f], count, std::nullopt, s.values, m);
    m.envelope.sequence = ++s.sequence[m.envelope.publisherId];
    m.envelope.sourceTime = wallNow();
    auto frames = options_.binary ? connectors::encodeBinary(m) : connectors::encodeJson(m);
    if (!frames) return Status(frames.status().code(), "encoding " + feed.topic() + ": " + frames.status().message());
    if (zmq_send(socket_, frames->topic.data(), frames->topic.size(), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(socket_, frames->envelope.data(), frames->envelope.size(), ZMQ_SNDMORE | ZMQ_DONTWAIT) < 0 ||
        zmq_send(socket_, frames->payload.data(), frames->payload.size(), ZMQ_DONTWAIT) < 0) {
      if (zmq_errno() != EAGAIN) return zmqError("sending on " + boundEndpoint_);
      ++stats.dropped;
      continue;
    }
    stats.updates += n;
    ++stats.messages;
  }
  return Status::ok();
}

Result<PublishStats> SimPublisher::run() {
  if (socket_ == nullptr) return Status(ErrorCode::InvalidArgument, "run() before open()");
  PublishStats stats;
  State& s = *state_;
  if (!options_.bind && options_.connectDelayS > 0) {
    std::this_thread::sleep_for(std::chrono::duration<double>(options_.connectDelayS));
  }
  const auto start = Clock::now();
  const TimePoint wallStart = wallNow();
  auto elapsedS = [&] { return std::chrono::duration<double>(Clock::now() - start).count(); };
  auto simTime = [&](double elapsed) {
    return options_.simStart ? *options_.simStart + seconds(options_.speed * elapsed)
                             : wallStart + seconds(elapsed);
  };
  // Entities of feed f that may still be sent under maxUpdates (each sends all its attributes).
  auto allowedEntities = [&](std::size_t f, std::size_t wanted) {
    if (options_.maxUpdates == 0) return wanted;
    const std::uint64_t left = options_.maxUpdates - std::min(options_.maxUpdates, stats.updates);
    return std::min<std::size_t>(wanted, static_cast<std::size_t>(left / feeds_[f]->attributes().size() + 1));
  };
  auto finished = [&](double elapsed) {
    return stop_.load(std::memory_order_relaxed) ||
           (options_.stopFlag != nullptr && options_.stopFlag->load(std::memory_order_relaxed)) || (options_.durationS > 0 && elapsed >= options_.durationS) ||
           (options_.maxUpdates > 0 && stats.updates >= options_.maxUpdates);
  };
  double nextSweep = 0.0;
  std::uint64_t tick = 0;
  for (;;) {
    const double elapsed = elapsedS();
    if (finished(elapsed)) break;
    const TimePoint t = simTime(elapsed);
    if (options_.unthrottled) {
      for (std::size_t f = 0; f < feeds_.size() && !finished(elapsed); ++f) {
        const std::size_t perMessage = std::max<std::size_t>(1, options_.maxUpdatesPerMessage / feeds_[f]->attributes().size());
        if (Status st = publish(f, allowedEntities(f, perMessage), t, stats); !st) return st;
      }
      continue;
    }
    if (options_.rate > 0) {
      for (std::size_t f = 0; f < feeds_.size(); ++f) {
        double owed = s.entityRate[f] * elapsed - s.sentEntities[f];
        // After a stall, catch up at most one second's worth rather than flooding.
        if (owed > s.entityRate[f] + 1.0) {
          s.sentEntities[f] = s.entityRate[f] * elapsed - s.entityRate[f];
          owed = s.entityRate[f];
        }
        const auto n = static_cast<std::size_t>(std::max(0.0, std::floor(owed)));
        if (n == 0) continue;
        s.sentEntities[f] += static_cast<double>(n);
        if (Status st = publish(f, allowedEntities(f, n), t, stats); !st) return st;
      }
      ++tick;
      std::this_thread::sleep_until(start + std::chrono::duration_cast<Clock::duration>(
                                                std::chrono::duration<double>(kTickS * static_cast<double>(tick))));
      continue;
    }
    if (elapsed >= nextSweep) {
      for (std::size_t f = 0; f < feeds_.size(); ++f) {
        if (Status st = publish(f, allowedEntities(f, feeds_[f]->size()), t, stats); !st) return st;
      }
      nextSweep += options_.intervalS;
      if (nextSweep < elapsedS()) nextSweep = elapsedS() + options_.intervalS;  // fell behind: skip, do not burst
    }
    // Sleep to the next sweep, waking at least every 100 ms to notice a stop.
    const double wait = std::clamp(nextSweep - elapsedS(), 0.0, 0.1);
    std::this_thread::sleep_for(std::chrono::duration<double>(wait));
  }
  stats.seconds = elapsedS();
  return stats;
}

}  // namespace gt::sim
