// The background history writer. See history_writer.hpp.

#include "greentwin/connectors/history_writer.hpp"

#include <algorithm>
#include <utility>

namespace gt::connectors {
namespace {

// A committed flush of at most this many samples is kept for the next one to write over (about 10 MB at most).
constexpr std::size_t kSpareSamples = 65'536;

}  // namespace

HistoryWriter::HistoryWriter(std::unique_ptr<HistoryStore> store, HistoryWriterOptions options)
    : store_(std::move(store)), options_(std::move(options)) {
  if (options_.maxQueuedBatches == 0) options_.maxQueuedBatches = 1;
  if (options_.flushSamples == 0) options_.flushSamples = 1;
  if (options_.flushInterval.count() < 0) options_.flushInterval = std::chrono::milliseconds(0);
  if (options_.maxAttempts < 0) options_.maxAttempts = 0;
  if (options_.maxKeptSamples == 0) options_.maxKeptSamples = 1;
  if (options_.stopAttempts < 1) options_.stopAttempts = 1;
  thread_ = std::thread([this] { run(); });
}

HistoryWriter::~HistoryWriter() { stop(); }

std::uint64_t HistoryWriter::submit(std::vector<HistorySample> batch) {
  if (batch.empty()) return 0;
  Queued q;
  q.samples = std::move(batch);
  return enqueue(std::move(q));
}

std::uint64_t HistoryWriter::submit(std::vector<SampleUpdate> batch, std::shared_ptr<const HistoryNames> names) {
  if (batch.empty()) return 0;
  Queued q;
  q.indexed = std::move(batch);
  q.names = std::move(names);
  return enqueue(std::move(q));
}

std::uint64_t HistoryWriter::enqueue(Queued queued) {
  const std::size_t n = queued.size();
  Queued victim;  // freed outside the lock
  std::uint64_t seq = 0;
  bool wakeWriter = false;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      droppedBatches_.fetch_add(1, std::memory_order_relaxed);
      droppedSamples_.fetch_add(n, std::memory_order_relaxed);
      return 0;
    }
    seq = nextSeq_++;
    submittedBatches_.fetch_add(1, std::memory_order_relaxed);
    if (queue_.size() >= options_.maxQueuedBatches) {
      Queued& oldest = queue_.front();
      queuedSamples_ -= oldest.size();
      droppedBatches_.fetch_add(1, std::memory_order_relaxed);
      droppedSamples_.fetch_add(oldest.size(), std::memory_order_relaxed);
      victim = std::move(oldest);
      queue_.pop_front();
    }
    queuedSamples_ += n;
    queued.seq = seq;
    queue_.push_back(std::move(queued));
    wakeWriter = queuedSamples_ >= options_.flushSamples;
  }
  if (wakeWriter) wake_.notify_one();
  return seq;
}

void HistoryWriter::stop() {
  std::lock_guard joinLock(joinMutex_);
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  if (thread_.joinable()) thread_.join();
}

HistoryWriterStats HistoryWriter::stats() const {
  HistoryWriterStats s;
  s.submittedBatches = submittedBatches_.load(std::memory_order_relaxed);
  s.writtenBatches = writtenBatches_.load(std::memory_order_relaxed);
  s.writtenSamples = writtenSamples_.load(std::memory_order_relaxed);
  s.droppedBatches = droppedBatches_.load(std::memory_order_relaxed);
  s.droppedSamples = droppedSamples_.load(std::memory_order_relaxed);
  s.errors = errors_.load(std::memory_order_relaxed);
  s.failedSamples = failedSamples_.load(std::memory_order_relaxed);
  s.commits = commits_.load(std::memory_order_relaxed);
  s.retries = retries_.load(std::memory_order_relaxed);
  s.notReplaced = notReplaced_.load(std::memory_order_relaxed);
  return s;
}

Status HistoryWriter::lastError() const {
  std::lock_guard lock(mutex_);
  return lastError_;
}

void HistoryWriter::run() {
  std::deque<Queued> batches;
  auto nextFlush = std::chrono::steady_clock::now() + options_.flushInterval;
  for (;;) {
    bool exiting = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_until(lock, nextFlush,
                       [this] { return stopping_ || queuedSamples_ >= options_.flushSamples; });
      exiting = stopping_;
      batches.swap(queue_);
      queuedSamples_ = 0;
    }
    nextFlush = std::chrono::steady_clock::now() + options_.flushInterval;
    if (!batches.empty() || !retrySamples_.empty()) writeOut(batches);
    batches.clear();
    if (exiting) {
      // stop() set stopping_ before we took the queue, and submit() refuses once it is set: only a flush that
      // failed transiently is left, tried stopAttempts more times (each waits up to the store's busy timeout).
      for (int attempt = 0; !retrySamples_.empty(); ++attempt) {
        std::this_thread::sleep_for(std::max(options_.flushInterval, std::chrono::milliseconds(10)));
        writeOut(batches, attempt + 1 >= options_.stopAttempts);
      }
      return;
    }
  }
}

void HistoryWriter::writeOut(std::deque<Queued>& batches, bool lastTry) {
  std::vector<HistorySample> all;
  std::vector<std::uint64_t> seqs;
  std::vector<std::size_t> counts;  // samples per seq, in order
  // A kept flush goes first: of samples with the same key the older batch's is the one recorded (the store keeps
  // the first value of a key, docs/history.md).
  all.swap(retrySamples_);
  seqs.swap(retrySeqs_);
  counts.swap(retryCounts_);
  seqs.reserve(seqs.size() + batches.size());
  if (all.empty() && batches.size() == 1 && batches.front().indexed.empty()) {
    all = std::move(batches.front().samples);
    seqs.push_back(batches.front().seq);
    counts.push_back(all.size());
  } else {
    // Samples kept from a failed flush come first; without them the last flush's samples are written over: an
    // indexed update's names assigned to their strings reuse their capacity, where a new string a sample cost an
    // allocation and a free (a tenth of the writer's time at the simulator's sweeps).
    std::size_t n = all.size();
    if (all.empty()) all.swap(spare_);
    std::size_t total = n;
    for (const Queued& q : batches) total += q.size();
    all.reserve(total);
    const auto next = [&]() -> HistorySample& {
      if (n == all.size()) all.emplace_back();
      return all[n++];
    };
    std::uint64_t unresolved = 0;
    for (Queued& q : batches) {
      const std::size_t before = n;
      seqs.push_back(q.seq);
      for (HistorySample& h : q.samples) next() = std::move(h);
      for (const SampleUpdate& u : q.indexed) {
        if (!q.names || u.entity >= q.names->entityIds.size() || u.attribute >= q.names->attributeNames.size()) {
          ++unresolved;
          continue;
        }
        HistorySample& h = next();
        h.entityId.assign(q.names->entityIds[u.entity]);
        h.attribute.assign(q.names->attributeNames[u.attribute]);
        h.time = u.time;
        h.value = u.value;
      }
      counts.push_back(n - before);
    }
    all.resize(n);
    if (unresolved != 0) droppedSamples_.fetch_add(unresolved, std::memory_order_relaxed);
  }
  Status s = store_->append(all);
  if (s) {
    retryAttempts_ = 0;
    commits_.fetch_add(1, std::memory_order_relaxed);
    writtenBatches_.fetch_add(seqs.size(), std::memory_order_relaxed);
    writtenSamples_.fetch_add(all.size(), std::memory_order_relaxed);
    notReplaced_.store(store_->samplesNotReplaced(), std::memory_order_relaxed);
    if (options_.onCommit) options_.onCommit(seqs);
    // Its strings' capacity, for the next flush; not a large flush's (a backlog), whose memory would stay held.
    if (all.size() <= kSpareSamples) spare_ = std::move(all);
  } else if (store_->lastFailureTransient() && !lastTry &&
             (options_.maxAttempts == 0 || ++retryAttempts_ < options_.maxAttempts)) {
    // Kept for the next flush (the seqs stay ascending: the kept ones are older than the new ones), within
    // maxKeptSamples: past it the oldest whole batches go, counted as dropped like the queue's overflow.
    retries_.fetch_add(1, std::memory_order_relaxed);
    std::size_t dropBatches = 0;
    std::size_t dropSamples = 0;
    while (dropBatches + 1 < counts.size() && all.size() - dropSamples > options_.maxKeptSamples) {
      dropSamples += counts[dropBatches++];
    }
    if (dropBatches > 0) {
      droppedBatches_.fetch_add(dropBatches, std::memory_order_relaxed);
      droppedSamples_.fetch_add(dropSamples, std::memory_order_relaxed);
      all.erase(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(dropSamples));
      seqs.erase(seqs.begin(), seqs.begin() + static_cast<std::ptrdiff_t>(dropBatches));
      counts.erase(counts.begin(), counts.begin() + static_cast<std::ptrdiff_t>(dropBatches));
    }
    retrySamples_ = std::move(all);
    retrySeqs_ = std::move(seqs);
    retryCounts_ = std::move(counts);
  } else {
    retryAttempts_ = 0;
    errors_.fetch_add(1, std::memory_order_relaxed);
    failedSamples_.fetch_add(all.size(), std::memory_order_relaxed);
    std::lock_guard lock(mutex_);
    lastError_ = std::move(s);
  }
}

}  // namespace gt::connectors
