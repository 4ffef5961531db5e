#pragma once
// Internal to connectors: a cap on the connections one source (a ZAP domain) holds after their handshake (issue 15:
// connections that pile up exhaust the process's file descriptors). The ZAP handler asks tryAdmit() before it admits
// a handshake and refuses it at the cap; the thread that reads the source's socket monitor reports what happened to
// the connections (onEvent).
//
// libzmq's HANDSHAKE_SUCCEEDED event names no connection (no file descriptor), but every connection reports one
// handshake outcome (succeeded, or one of the failures) and then DISCONNECTED, so the connections established now
// are `succeeded + failed - disconnected`. A handshake the ZAP handler admitted holds a reservation until its
// HANDSHAKE_SUCCEEDED is read, so handshakes that run at the same moment cannot all pass before the monitor is read;
// a reservation lapses after kReservationLife (a connection that died between ZAP and the end of its handshake).
// The count is as good as the monitor's events: libzmq drops events when the monitor falls 1000 behind.
//
// Threads: tryAdmit() the ZAP handler thread; onEvent() the monitor-reading thread; the getters any thread.

#include <zmq.h>

#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>

namespace gt::connectors::detail {

class ConnectionLimit {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kReservationLife{2};
  // The monitor events onEvent() needs (for zmq_socket_monitor).
  static constexpr int kMonitorEvents = ZMQ_EVENT_HANDSHAKE_SUCCEEDED | ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL |
                                        ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL | ZMQ_EVENT_HANDSHAKE_FAILED_AUTH |
                                        ZMQ_EVENT_DISCONNECTED;

  explicit ConnectionLimit(std::size_t maxConnections) : max_(std::max<std::size_t>(1, maxConnections)) {}

  // ZAP handler thread: true (one place reserved) while fewer than max() connections are established or reserved.
  bool tryAdmit(Clock::time_point now = Clock::now()) {
    std::lock_guard lock(mu_);
    dropLapsed(now);
    if (establishedLocked() + reservations_.size() >= max_) return false;
    reservations_.push_back(now);
    return true;
  }

  // Monitor thread: one event (ZMQ_EVENT_*); others are ignored.
  void onEvent(std::uint16_t event) {
    std::lock_guard lock(mu_);
    switch (event) {
      case ZMQ_EVENT_HANDSHAKE_SUCCEEDED:
        ++succeeded_;
        if (!reservations_.empty()) reservations_.pop_front();
        break;
      case ZMQ_EVENT_HANDSHAKE_FAILED_NO_DETAIL:
      case ZMQ_EVENT_HANDSHAKE_FAILED_PROTOCOL:
      case ZMQ_EVENT_HANDSHAKE_FAILED_AUTH:
        ++failed_;
        break;
      case ZMQ_EVENT_DISCONNECTED:
        ++disconnected_;
        break;
      default:
        break;
    }
  }

  std::size_t max() const { return max_; }
  // Connections whose handshake succeeded and that are still connected, as far as the monitor has told.
  std::size_t established() const {
    std::lock_guard lock(mu_);
    return establishedLocked();
  }

 private:
  std::size_t establishedLocked() const {
    const std::int64_t n = succeeded_ + failed_ - disconnected_;
    return n > 0 ? static_cast<std::size_t>(n) : 0;
  }
  void dropLapsed(Clock::time_point now) {
    while (!reservations_.empty() && now - reservations_.front() > kReservationLife) reservations_.pop_front();
  }

  const std::size_t max_;
  mutable std::mutex mu_;
  std::int64_t succeeded_ = 0, failed_ = 0, disconnected_ = 0;
  std::deque<Clock::time_point> reservations_;  // admitted by ZAP, HANDSHAKE_SUCCEEDED not read yet
};

}  // namespace gt::connectors::detail
