// Update-channel benchmark (issue 4, "Ingest path"): two producer threads push batches of 1000 samples through
// the UpdateChannel; the consumer drains them and appends them to a TimeSeriesStore, as the update thread does.
// The baseline moves the same batches through a plain std::vector under a std::mutex into a store, in the same
// run (DESIGN.md: these machines are noisy, so figures are ratios where a baseline exists). Prints on stdout:
//   BENCH channel_updates_per_s <value> updates/s target >=1000000 PASS|MISS
//   BENCH channel_vs_vector_move <ratio> x target <=3 PASS|MISS
// The ratio is channel time / vector time for the whole pipeline (push, drain, store append); best of 5 runs each.
// updates/s counts samples applied to the store (every pushed sample: the channel is sized not to overflow).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

#include "greentwin/core/time_series.hpp"
#include "greentwin/core/update_channel.hpp"

namespace {

using gt::EntityIndex;
using gt::SampleUpdate;
using gt::TimePoint;

constexpr TimePoint kBase = 1'795'680'000LL * gt::kMicrosPerSecond;  // 2026-11-26T08:00:00Z
constexpr int kProducers = 2;
constexpr int kBatchesPerProducer = 1000;
constexpr std::size_t kBatchSize = 1000;
// Room for every sample of a run: the producers outpace the store on 2 cores, and a smaller channel would coalesce
// (the store would then apply fewer samples than the baseline, flattering the ratio). This measures the channel's
// cost when nothing overflows; the overflow path is covered by the tests.
constexpr std::size_t kChannelCapacity = std::size_t{kProducers} * kBatchesPerProducer * kBatchSize;

// Producer p's batch b: entities p*1000 .. p*1000+999, attribute 0, time kBase + b seconds.
std::vector<std::vector<SampleUpdate>> makeBatches(int producer) {
  std::vector<std::vector<SampleUpdate>> batches(kBatchesPerProducer);
  for (int b = 0; b < kBatchesPerProducer; ++b) {
    batches[static_cast<std::size_t>(b)].reserve(kBatchSize);
    for (std::size_t i = 0; i < kBatchSize; ++i) {
      const auto e = static_cast<EntityIndex>(static_cast<std::size_t>(producer) * kBatchSize + i);
      batches[static_cast<std::size_t>(b)].push_back(
          {e, 0, kBase + b * gt::kMicrosPerSecond, static_cast<double>((b + static_cast<int>(i)) % 97)});
    }
  }
  return batches;
}

struct Run {
  double seconds = 0;
  std::uint64_t applied = 0;  // samples appended to the store
};

// Runs producers pushing through `push`, a consumer calling `drain` into a store until all producers are done and
// `drain` comes back empty. Returns the elapsed wall time.
template <typename Push, typename Drain>
Run runPipeline(const std::vector<std::vector<std::vector<SampleUpdate>>>& data, Push push, Drain drain) {
  gt::TimeSeriesStore store(gt::RetentionPolicy{1024, 0});
  std::vector<SampleUpdate> out;
  std::atomic<int> done{0};
  Run run;
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> producers;
  for (int p = 0; p < kProducers; ++p) {
    producers.emplace_back([&, p] {
      for (const auto& batch : data[static_cast<std::size_t>(p)]) push(batch);
      done.fetch_add(1, std::memory_order_release);
    });
  }
  for (;;) {
    const bool finished = done.load(std::memory_order_acquire) == kProducers;
    drain(out);
    if (!out.empty()) {
      store.append(out);
      run.applied += out.size();
    } else if (finished) {
      break;
    } else {
      std::this_thread::yield();
    }
  }
  for (auto& t : producers) t.join();
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return run;
}

}  // namespace

int main() {
  std::vector<std::vector<std::vector<SampleUpdate>>> data;
  for (int p = 0; p < kProducers; ++p) data.push_back(makeBatches(p));
  const double total = static_cast<double>(kChannelCapacity);

  double bestChannel = 1e30;
  double bestVector = 1e30;
  gt::UpdateChannelStats lastStats;
  for (int rep = 0; rep < 5; ++rep) {
    {
      gt::UpdateChannel channel(kChannelCapacity);
      const Run r = runPipeline(
          data, [&](const std::vector<SampleUpdate>& b) { channel.push(b); },
          [&](std::vector<SampleUpdate>& out) { channel.drain(out); });
      bestChannel = std::min(bestChannel, r.seconds);
      lastStats = channel.stats();
      if (r.applied != static_cast<std::uint64_t>(total)) {
        std::fprintf(stderr, "channel_bench: applied %llu of %.0f samples\n",
                     static_cast<unsigned long long>(r.applied), total);
        return 1;
      }
    }
    {
      std::mutex mu;
      std::vector<SampleUpdate> shared;
      const Run r = runPipeline(
          data,
          [&](const std::vector<SampleUpdate>& b) {
            const std::lock_guard lock(mu);
            shared.insert(shared.end(), b.begin(), b.end());
          },
          [&](std::vector<SampleUpdate>& out) {
            out.clear();
            const std::lock_guard lock(mu);
            out.swap(shared);
          });
      bestVector = std::min(bestVector, r.seconds);
    }
  }
  std::fprintf(stderr,
               "channel_bench: channel %.4f s, vector %.4f s for %.0f samples; last channel run: pushed %llu "
               "delivered %llu coalesced %llu dropped %llu highWater %llu drains %llu\n",
               bestChannel, bestVector, total, static_cast<unsigned long long>(lastStats.pushed),
               static_cast<unsigned long long>(lastStats.delivered),
               static_cast<unsigned long long>(lastStats.coalesced),
               static_cast<unsigned long long>(lastStats.dropped),
               static_cast<unsigned long long>(lastStats.highWater),
               static_cast<unsigned long long>(lastStats.drains));

  const double rate = total / bestChannel;
  const double ratio = bestChannel / bestVector;
  std::printf("BENCH channel_updates_per_s %.0f updates/s target >=1000000 %s\n", rate,
              rate >= 1e6 ? "PASS" : "MISS");
  std::printf("BENCH channel_vs_vector_move %.3f x target <=3 %s\n", ratio, ratio <= 3.0 ? "PASS" : "MISS");
  return 0;
}
