#pragma once
// The alert log's history writer (alert_log.hpp, docs/alerts.md "History table"): the update thread hands events
// to submit(), which only appends to a bounded queue under a short lock; a writer thread owns the AlertStore and
// commits what is queued in one transaction every flushInterval, and deletes events older than now - retention
// at start and hourly.
//
// A failed commit loses its events (counted in failed); the first failure is logged (error), later ones only
// counted, until a commit succeeds again (logged once, info). A full queue drops the oldest event (counted).
//
// Threads: submit(), flush(), stats(), lastError(): any thread. The destructor commits what is queued and joins.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "greentwin/connectors/alert_store.hpp"
#include "greentwin/core/alert.hpp"
#include "greentwin/core/status.hpp"

namespace gt::runtime {

class AlertWriter {
 public:
  struct Options {
    std::chrono::milliseconds flushInterval{200};
    Duration retention = 0;              // 0: keep all
    std::size_t maxQueued = 100'000;     // events waiting for a commit
  };
  struct Stats {
    std::uint64_t written = 0;
    std::uint64_t failed = 0;
    std::uint64_t dropped = 0;
  };

  AlertWriter(std::unique_ptr<connectors::AlertStore> store, Options options);
  ~AlertWriter();
  AlertWriter(const AlertWriter&) = delete;
  AlertWriter& operator=(const AlertWriter&) = delete;

  void submit(AlertEvent event);
  // Blocks until every event submitted before the call is committed or failed.
  void flush();
  Stats stats() const;
  Status lastError() const;

 private:
  void run();

  std::unique_ptr<connectors::AlertStore> store_;  // writer thread only
  Options options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;  // the writer: a flush asked for, or stopping
  std::condition_variable done_;  // flush(): a batch was written
  std::vector<AlertEvent> queue_;
  std::uint64_t submitted_ = 0;   // events submitted (dropped ones included)
  std::uint64_t settled_ = 0;     // events written, failed or dropped
  bool flushWanted_ = false;
  bool stopping_ = false;
  bool failing_ = false;          // the last commit failed (writer thread; read under mutex_)
  Stats stats_;
  Status lastError_;
  std::thread thread_;
};

}  // namespace gt::runtime
