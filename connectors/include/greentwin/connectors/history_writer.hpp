#pragma once
// The background history writer (DESIGN.md "How data flows" step 2; issue 4 "History"): the update thread hands
// batches to submit(), which only moves the batch into a bounded queue under a short lock and returns; a writer
// thread owns the HistoryStore and commits the queued batches in one append (one transaction) every
// flushInterval, or sooner when flushSamples samples are queued.
//
// Overflow is explicit and counted: when maxQueuedBatches batches are waiting, the OLDEST queued batch is dropped
// (droppedBatches / droppedSamples) so the newest data gets in and the caller never waits for the disk.
// A failed append counts in errors (its samples in failedSamples; lastError() keeps the message); the writer
// goes on with the next batches. Except a failure the store calls transient (HistoryStore::lastFailureTransient:
// SQLite's write lock held by another connection past the busy timeout): those samples are kept and committed
// with the next flush (counted in retries), however many flushes that takes, so a long lock loses nothing. Memory
// stays bounded: when the kept flush holds more than maxKeptSamples samples, its OLDEST batches are dropped and
// counted (droppedBatches / droppedSamples), as the queue drops its oldest; the rest stays kept. maxAttempts > 0
// gives up on a flush after that many tries instead (counted as failed). stop() tries a kept flush at most
// stopAttempts more times, so a lock held for good cannot hang the shutdown.
//
// Threads:
//   constructor           starts the writer thread.
//   submit()              any thread (meant for the update thread); never blocks on I/O.
//   stop(), destructor    the owning thread: flushes everything queued, then joins. Idempotent. A submit() after
//                         stop() is counted as dropped.
//   stats(), lastError()  any thread.
//   onCommit              called on the writer thread after each successful commit with the sequence numbers
//                         (as returned by submit) of the batches it made durable, ascending.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt::connectors {

struct HistoryWriterOptions {
  std::size_t maxQueuedBatches = 1024;               // >= 1
  std::chrono::milliseconds flushInterval{200};      // commit queued batches at least this often
  std::size_t flushSamples = 50'000;                 // ...or as soon as this many samples are queued
  int maxAttempts = 0;                               // tries of a flush that fails transiently; 0: no limit
  std::size_t maxKeptSamples = 1'000'000;            // a kept flush past this drops its oldest batches (>= 1)
  int stopAttempts = 3;                              // stop(): further tries of a kept flush (>= 1)
  std::function<void(std::span<const std::uint64_t> committedSeqs)> onCommit;  // optional, writer thread
};

// Immutable name tables that index-based batches are resolved through on the writer thread: entity index ->
// entity id, attribute id -> attribute name. The update thread builds a new one when entities or attributes were
// added (indices never change meaning), so it only copies 24-byte samples per frame.
struct HistoryNames {
  std::vector<std::string> entityIds;
  std::vector<std::string> attributeNames;
};

struct HistoryWriterStats {
  std::uint64_t submittedBatches = 0;
  std::uint64_t writtenBatches = 0;   // committed
  std::uint64_t writtenSamples = 0;   // committed
  std::uint64_t droppedBatches = 0;   // queue overflow (oldest dropped) or submitted after stop()
  std::uint64_t droppedSamples = 0;
  std::uint64_t errors = 0;           // failed appends (transactions)
  std::uint64_t failedSamples = 0;    // samples in failed appends
  std::uint64_t commits = 0;          // successful appends (transactions)
  std::uint64_t retries = 0;          // appends that failed transiently and were kept for the next flush
  std::uint64_t notReplaced = 0;      // samples the store left out: already recorded (HistoryStore::samplesNotReplaced)
};

class HistoryWriter {
 public:
  explicit HistoryWriter(std::unique_ptr<HistoryStore> store, HistoryWriterOptions options = {});
  ~HistoryWriter();
  HistoryWriter(const HistoryWriter&) = delete;
  HistoryWriter& operator=(const HistoryWriter&) = delete;

  // Queues the batch; returns its sequence number (1, 2, ...), or 0 for an empty batch (nothing queued) or after
  // stop() (counted as dropped).
  std::uint64_t submit(std::vector<HistorySample> batch);
  // The same for samples by index: names are looked up in `names` on the writer thread. A sample whose entity or
  // attribute is not in the tables is counted as dropped (droppedSamples) when its batch is written.
  std::uint64_t submit(std::vector<SampleUpdate> batch, std::shared_ptr<const HistoryNames> names);

  // Flushes everything queued and joins the writer thread.
  void stop();

  HistoryWriterStats stats() const;
  Status lastError() const;

 private:
  struct Queued {
    std::uint64_t seq = 0;
    std::vector<HistorySample> samples;
    std::vector<SampleUpdate> indexed;  // resolved through `names` on the writer thread
    std::shared_ptr<const HistoryNames> names;
    std::size_t size() const { return samples.size() + indexed.size(); }
  };

  std::uint64_t enqueue(Queued queued);
  void run();
  // lastTry: a transient failure is not kept again (stop()).
  void writeOut(std::deque<Queued>& batches, bool lastTry = false);

  std::vector<HistorySample> spare_;  // writer thread: the last committed flush's samples, overwritten by the next
  // Writer thread: a flush that failed transiently, tried again with the next one.
  std::vector<HistorySample> retrySamples_;
  std::vector<std::uint64_t> retrySeqs_;
  std::vector<std::size_t> retryCounts_;  // per kept batch (retrySeqs_), its samples in retrySamples_, in order
  int retryAttempts_ = 0;

  std::unique_ptr<HistoryStore> store_;
  HistoryWriterOptions options_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;      // guarded by mutex_
  std::size_t queuedSamples_ = 0;  // guarded by mutex_
  std::uint64_t nextSeq_ = 1;      // guarded by mutex_
  bool stopping_ = false;          // guarded by mutex_
  Status lastError_;               // guarded by mutex_

  std::atomic<std::uint64_t> submittedBatches_{0};
  std::atomic<std::uint64_t> writtenBatches_{0};
  std::atomic<std::uint64_t> writtenSamples_{0};
  std::atomic<std::uint64_t> droppedBatches_{0};
  std::atomic<std::uint64_t> droppedSamples_{0};
  std::atomic<std::uint64_t> errors_{0};
  std::atomic<std::uint64_t> failedSamples_{0};
  std::atomic<std::uint64_t> commits_{0};
  std::atomic<std::uint64_t> retries_{0};
  std::atomic<std::uint64_t> notReplaced_{0};

  std::mutex joinMutex_;
  std::thread thread_;
};

}  // namespace gt::connectors
