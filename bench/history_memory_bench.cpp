// The history writer's memory while many series fill their open blocks (issue 15 "Soak"; docs/benchmarks.md
// "Soak", docs/history.md "Writing: the open block"). The 30-minute soak's 20 simulators write 380,480 series
// about once every 23 s each, so no block closes within the run and every series' open block grows the whole time;
// this bench reproduces that in a minute or two, without the window.
//
// The simulator's own values (history_bench_workload.hpp) for a district of GT_HISTORY_MEMORY_BUILDINGS buildings
// (default 20,000: about 85,000 series), swept GT_HISTORY_MEMORY_SWEEPS times (default 78, the soak's samples a
// series) 23 s apart, at the bundled demo's resolutions, through the real HistoryWriter into an SQLite file in
// /tmp, in commits of 2,500 samples (the soak's 12,000 samples/s at the writer's 200 ms flush).
//   history_open_block_memory_vs_data  the process's resident memory gained from the end of sweep 13 (the soak's
//                                       5-minute warm-up) to the end of the last sweep, over what the open blocks
//                                       gained in the same time (their encoded bytes, read from the file): 1 when
//                                       the writer holds the open blocks in memory (1.58 measured so, vectors'
//                                       spare capacity included), about 0 when it holds only their tails (the
//                                       SQLite store, docs/history.md "Memory"); target <= 0.25
// and on stderr the figures it comes from, with the resident bytes a series at the end (the whole process's).
#include <malloc.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bench_support.hpp"
#include "greentwin/connectors/history_config.hpp"
#include "greentwin/connectors/history_store.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "history_bench_workload.hpp"

namespace {

using namespace gt;
namespace fs = std::filesystem;

constexpr TimePoint kT0 = 1'784'080'800LL * kMicrosPerSecond;  // 2026-07-15 10:00 +08:00
constexpr Duration kInterval = 23 * kMicrosPerSecond;          // the soak's time between two samples of a series
constexpr std::size_t kWarmupSweeps = 13;                      // the soak's 5 minutes at that interval
constexpr std::size_t kCommitSamples = 2'500;

std::size_t envSize(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  const long long n = std::atoll(v);
  return n > 0 ? static_cast<std::size_t>(n) : fallback;
}

// The process's resident bytes (/proc/self/statm).
double residentBytes() {
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (f == nullptr) return 0;
  long long pages = 0, resident = 0;
  const int read = std::fscanf(f, "%lld %lld", &pages, &resident);
  std::fclose(f);
  return read == 2 ? static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) : 0.0;
}

// The bytes of the heap that are allocated (glibc's count: what resident memory holds beyond it is free chunks the
// allocator keeps, and the heap's unused tail).
double heapInUse() { return static_cast<double>(mallinfo2().uordblks); }

// The open raw blocks' encoded bytes in the file and their number (a second connection: WAL lets it read what the
// writer committed).
std::pair<double, long long> openBlockBytes(const std::string& path) {
  sqlite3* db = nullptr;
  sqlite3_stmt* st = nullptr;
  std::pair<double, long long> out{0.0, 0};
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db,
                         "SELECT total(length(b.data)), count(*) FROM blocks b JOIN series s ON s.id = b.series_id"
                         " WHERE b.level = 0 AND b.t_first >= s.rolled_until",
                         -1, &st, nullptr) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW) {
    out = {sqlite3_column_double(st, 0), sqlite3_column_int64(st, 1)};
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return out;
}

}  // namespace

int main() {
  const std::size_t buildings = envSize("GT_HISTORY_MEMORY_BUILDINGS", 20'000);
  const std::size_t sweeps = std::max(envSize("GT_HISTORY_MEMORY_SWEEPS", 78), kWarmupSweeps + 1);
  auto resolutions = bench::demoResolutions(GT_DEMO_CONFIG);
  if (!resolutions) {
    std::fprintf(stderr, "history_memory_bench: %s\n", resolutions.status().message().c_str());
    return 1;
  }
  const bench::HistoryWorkload w = bench::historyWorkload(bench::historyWorld(buildings), sweeps, kT0, kInterval);
  const fs::path dir = fs::temp_directory_path() / ("gt-history-memory-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "history.sqlite").string();
  connectors::SqliteHistoryOptions storeOptions;
  storeOptions.resolutions = *resolutions;
  auto store = connectors::openSqliteHistory(path, storeOptions);
  if (!store) {
    std::fprintf(stderr, "history_memory_bench: %s\n", store.status().message().c_str());
    return 1;
  }

  std::atomic<std::uint64_t> committed{0};
  connectors::HistoryWriterOptions options;
  options.maxQueuedBatches = 1 << 20;  // nothing dropped: the pacing below bounds the queue
  options.flushSamples = kCommitSamples;
  options.onCommit = [&committed](std::span<const std::uint64_t> seqs) {
    committed.store(seqs.back(), std::memory_order_release);
  };
  double warmResident = 0, warmData = 0, warmHeap = 0, endResident = 0, endData = 0, endHeap = 0;
  long long openBlocks = 0;
  connectors::HistoryWriterStats stats;
  {
    connectors::HistoryWriter writer(std::move(*store), options);
    std::uint64_t submitted = 0;
    const auto waitForCommits = [&] {
      while (committed.load(std::memory_order_acquire) < submitted) {
        std::this_thread::sleep_for(std::chrono::microseconds(200));
      }
    };
    for (std::size_t k = 0; k < sweeps; ++k) {
      const std::vector<SampleUpdate>& sweep = w.sweeps[k];
      for (std::size_t i = 0; i < sweep.size(); i += kCommitSamples) {
        const auto end = sweep.begin() + static_cast<std::ptrdiff_t>(std::min(sweep.size(), i + kCommitSamples));
        waitForCommits();  // one chunk a commit, as the twin's flushes
        std::vector<SampleUpdate> chunk(sweep.begin() + static_cast<std::ptrdiff_t>(i), end);
        if (writer.submit(std::move(chunk), w.names) != 0) ++submitted;
      }
      waitForCommits();
      if (k + 1 == kWarmupSweeps) {
        warmResident = residentBytes();
        warmHeap = heapInUse();
        warmData = openBlockBytes(path).first;
      }
    }
    endResident = residentBytes();
    endHeap = heapInUse();
    std::tie(endData, openBlocks) = openBlockBytes(path);
    writer.stop();
    stats = writer.stats();
  }
  std::error_code ec;
  fs::remove_all(dir, ec);

  if (stats.errors > 0 || stats.droppedSamples > 0) {
    std::fprintf(stderr, "history_memory_bench: the writer failed (%llu errors, %llu samples dropped)\n",
                 static_cast<unsigned long long>(stats.errors), static_cast<unsigned long long>(stats.droppedSamples));
    return 1;
  }
  const double series = static_cast<double>(w.series);
  std::fprintf(stderr,
               "history_memory_bench: %zu series, %zu sweeps; after sweep %zu: %.1f MB resident, open blocks %.1f MB; "
               "at the end: %.1f MB resident, open blocks %.1f MB (%lld blocks)\n",
               w.series, sweeps, kWarmupSweeps, warmResident / 1e6, warmData / 1e6, endResident / 1e6, endData / 1e6,
               openBlocks);
  if (endData <= warmData) {
    std::fprintf(stderr, "history_memory_bench: the open blocks did not grow; nothing to compare\n");
    return 1;
  }
  bench::printBench("history_open_block_memory_vs_data", (endResident - warmResident) / (endData - warmData), "ratio",
                    true, 0.25);
  std::fprintf(stderr,
               "history_memory_bench: %.0f resident bytes a series at the end (the whole process); the heap's "
               "allocated bytes grew %.1f MB (resident %.1f MB)\n",
               endResident / series, (endHeap - warmHeap) / 1e6, (endResident - warmResident) / 1e6);
  return 0;
}
