// The alert log's history writer. See alert_writer.hpp.

#include "alert_writer.hpp"

#include <spdlog/spdlog.h>

#include <utility>

namespace gt::runtime {
namespace {

constexpr auto kRetentionEvery = std::chrono::hours(1);

}  // namespace

AlertWriter::AlertWriter(std::unique_ptr<connectors::AlertStore> store, Options options)
    : store_(std::move(store)), options_(options) {
  if (options_.maxQueued == 0) options_.maxQueued = 1;
  if (options_.flushInterval.count() < 0) options_.flushInterval = std::chrono::milliseconds(0);
  thread_ = std::thread([this] { run(); });
}

AlertWriter::~AlertWriter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void AlertWriter::submit(AlertEvent event) {
  std::lock_guard lock(mutex_);
  ++submitted_;
  if (stopping_) {
    ++stats_.dropped;
    ++settled_;
    return;
  }
  if (queue_.size() >= options_.maxQueued) {
    // The disk is far behind: the oldest queued event goes, the newest gets in (the update thread never waits).
    queue_.erase(queue_.begin());
    ++stats_.dropped;
    ++settled_;
  }
  queue_.push_back(std::move(event));
}

void AlertWriter::flush() {
  std::unique_lock lock(mutex_);
  const std::uint64_t target = submitted_;
  flushWanted_ = true;
  wake_.notify_one();
  done_.wait(lock, [&] { return settled_ >= target; });
}

AlertWriter::Stats AlertWriter::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

Status AlertWriter::lastError() const {
  std::lock_guard lock(mutex_);
  return lastError_;
}

void AlertWriter::run() {
  auto nextFlush = std::chrono::steady_clock::now() + options_.flushInterval;
  auto nextRetention = std::chrono::steady_clock::now();  // once at start, then hourly
  std::vector<AlertEvent> batch;
  for (;;) {
    bool exiting = false;
    bool retention = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, nextFlush, [this] { return stopping_ || flushWanted_; });
      exiting = stopping_;
      flushWanted_ = false;
      batch.swap(queue_);
      retention = options_.retention > 0 && std::chrono::steady_clock::now() >= nextRetention;
    }
    nextFlush = std::chrono::steady_clock::now() + options_.flushInterval;
    const Status appended = store_->append(batch);
    Status s = appended;
    if (retention) {
      nextRetention = std::chrono::steady_clock::now() + kRetentionEvery;
      if (Status r = store_->applyRetention(wallNow() - options_.retention); !r && s) s = r;
    }
    {
      std::lock_guard lock(mutex_);
      (appended ? stats_.written : stats_.failed) += batch.size();
      settled_ += batch.size();
      if (!s) {
        // Logged once per failure spell: a broken disk must not flood the log every flush interval.
        if (!failing_) spdlog::error("alert history: {} (the alert log runs on; further errors not logged)", s.message());
        failing_ = true;
        lastError_ = s;
      } else if (failing_ && (!batch.empty() || retention)) {
        spdlog::info("alert history: writing again");
        failing_ = false;
      }
    }
    done_.notify_all();
    batch.clear();
    if (exiting) return;  // submit() refuses once stopping_ is set: nothing is left queued
  }
}

}  // namespace gt::runtime
