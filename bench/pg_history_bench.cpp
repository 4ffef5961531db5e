// The PostgreSQL history store (docs/history.md "PostgreSQL") against the SQLite one, in the same run, on the
// simulator's own values (history_bench_workload.hpp: GT_HISTORY_BENCH_BUILDINGS buildings, default 500, with their
// links, substations, green spaces and stations, every entity swept each second for GT_HISTORY_BENCH_SWEEPS sweeps,
// default 360), through the real HistoryWriter at the resolutions the bundled demo declares:
//   pg_history_write_samples_per_s          samples committed per second into PostgreSQL, first submit to last
//                                           commit, the writer committing each sweep on its own (as the twin does
//                                           when the simulator sweeps once a second)
//   pg_history_write_vs_sqlite              that rate / the SQLite store's on the same sweeps, same pacing
//   pg_history_backlog_samples_per_s        every sweep queued at once (a writer that fell behind, or a replay):
//                                           the writer merges queued sweeps into commits of its default
//                                           flushSamples (50,000; GT_PG_BENCH_FLUSH_SAMPLES)
//   pg_history_backlog_vs_sqlite            that rate / SQLite's, same backlog
//   pg_history_window_read_ms               every series read back whole through a second store object (a wall
//                                           node reading what the first wrote); checks every sample is there
//   pg_history_playback_window_ms           playback's window of every series (the hour around the run's middle,
//                                           at most 8192 points a series) through summaries(), by a third store
//                                           object that has looked nothing up (a wall node starting playback)
//   pg_history_playback_vs_per_series       that / the same window through summary() of each series
// The server: GT_PG_HISTORY_URL (a libpq conninfo, an empty database or schema) when set; otherwise a throwaway one
// this bench starts and stops with tests/connectors/pg_fixture.sh (fsync and synchronous_commit off there, as
// SQLite's WAL at synchronous=NORMAL does not sync on commit either: neither figure includes a disk flush).
// GT_PG_BENCH_BLOCK_BYTES sets PgHistoryOptions::blockBytes (GT_HISTORY_BENCH_BLOCK_POINTS blockPoints).
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_support.hpp"
#include "greentwin/connectors/history_config.hpp"
#include "greentwin/connectors/history_store.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "greentwin/connectors/pg_history.hpp"
#include "history_bench_workload.hpp"

namespace {

using namespace gt;
using SteadyClock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr TimePoint kT0 = 1'784'080'800LL * kMicrosPerSecond;  // 2026-07-15 10:00 +08:00

double secondsSince(SteadyClock::time_point t) { return std::chrono::duration<double>(SteadyClock::now() - t).count(); }

std::size_t envSize(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  const long long n = std::atoll(v);
  return n > 0 ? static_cast<std::size_t>(n) : fallback;
}

struct WriteRun {
  double seconds = 0;
  connectors::HistoryWriterStats stats;
};

// The sweeps through a HistoryWriter over `store`. paced: a sweep is submitted once the one before it is
// committed (each commit one sweep, as the twin); else all at once (the writer commits flushSamples at a time).
WriteRun writeThrough(std::unique_ptr<connectors::HistoryStore> store, const bench::HistoryWorkload& w, bool paced,
                      std::size_t flushSamples) {
  std::atomic<std::uint64_t> committed{0};
  connectors::HistoryWriterOptions options;
  options.maxQueuedBatches = 1 << 20;
  options.flushSamples = paced ? w.series : flushSamples;
  options.maxKeptSamples = std::max<std::size_t>(options.maxKeptSamples, 2 * flushSamples);
  options.onCommit = [&committed](std::span<const std::uint64_t> seqs) {
    committed.store(seqs.back(), std::memory_order_release);
  };
  WriteRun run;
  const auto start = SteadyClock::now();
  {
    connectors::HistoryWriter writer(std::move(store), options);
    for (std::size_t k = 0; k < w.sweeps.size(); ++k) {
      while (paced && committed.load(std::memory_order_acquire) < k) {
        std::this_thread::sleep_for(std::chrono::microseconds(50));
      }
      writer.submit(std::vector<SampleUpdate>(w.sweeps[k]), w.names);
    }
    writer.stop();
    run.stats = writer.stats();
  }
  run.seconds = secondsSince(start);
  return run;
}

// A throwaway server of tests/connectors/pg_fixture.sh, stopped when this goes.
class Server {
 public:
  explicit Server(std::string state) : state_(std::move(state)) {}
  ~Server() { stop(); }
  void stop() {
    if (started_) (void)std::system(("bash " GT_PG_FIXTURE " stop '" + state_ + "' >/dev/null").c_str());
    started_ = false;
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  // The conninfo, or "" when it would not start.
  std::string start() {
    started_ = true;
    if (std::system(("bash " GT_PG_FIXTURE " start '" + state_ + "' >&2").c_str()) != 0) return "";
    std::ifstream in(state_ + "/conn.env");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("GT_PG_HISTORY_CONN=", 0) == 0) return line.substr(19);
    }
    return "";
  }

 private:
  std::string state_;
  bool started_ = false;
};

// A conninfo on a schema of its own (created first) in the database of `conninfo`.
std::string inSchema(const std::string& conninfo, const std::string& schema) {
  const std::string psql = "psql -X -q -v ON_ERROR_STOP=1 '" + conninfo + "' -c 'CREATE SCHEMA IF NOT EXISTS " +
                           schema + "' >&2";
  if (std::system(psql.c_str()) != 0) return "";
  return conninfo + " options='-c search_path=" + schema + "'";
}

}  // namespace

int main() {
  const fs::path dir = fs::temp_directory_path() / ("gt_pg_history_bench_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  Server server((dir / "server").string());
  std::string conninfo = std::getenv("GT_PG_HISTORY_URL") != nullptr ? std::getenv("GT_PG_HISTORY_URL") : "";
  if (conninfo.empty()) conninfo = server.start();
  if (conninfo.empty()) {
    std::fprintf(stderr, "pg_history_bench: no PostgreSQL server (pg_fixture.sh failed; or set GT_PG_HISTORY_URL)\n");
    return 1;
  }

  const std::size_t buildings = envSize("GT_HISTORY_BENCH_BUILDINGS", 500);
  const bench::HistoryWorkload w = bench::historyWorkload(
      bench::historyWorld(buildings), envSize("GT_HISTORY_BENCH_SWEEPS", 360), kT0, kMicrosPerSecond, true);
  const double samples = static_cast<double>(w.samples);
  const std::size_t backlogFlush = envSize("GT_PG_BENCH_FLUSH_SAMPLES", connectors::HistoryWriterOptions{}.flushSamples);
  std::fprintf(stderr, "pg_history_bench: %zu series, %zu sweeps at 1 s, %zu samples\n", w.series, w.sweeps.size(),
               w.samples);
  auto resolutions = bench::demoResolutions(GT_DEMO_CONFIG);
  if (!resolutions) {
    std::fprintf(stderr, "pg_history_bench: %s\n", resolutions.status().message().c_str());
    return 1;
  }

  // One run: a fresh store of each kind, written the same way.
  const auto run = [&](bool postgres, bool paced, const std::string& name) -> std::optional<WriteRun> {
    Result<std::unique_ptr<connectors::HistoryStore>> store = Status(ErrorCode::Internal, "unopened");
    if (postgres) {
      connectors::PgHistoryOptions o;
      o.resolutions = *resolutions;
      o.blockPoints = envSize("GT_HISTORY_BENCH_BLOCK_POINTS", o.blockPoints);
      o.blockBytes = envSize("GT_PG_BENCH_BLOCK_BYTES", o.blockBytes);
      const std::string where = inSchema(conninfo, name);
      if (where.empty()) return std::nullopt;
      store = connectors::openPgHistory(where, o);
    } else {
      connectors::SqliteHistoryOptions o;
      o.resolutions = *resolutions;
      store = connectors::openSqliteHistory((dir / (name + ".sqlite")).string(), o);
    }
    if (!store) {
      std::fprintf(stderr, "pg_history_bench: %s\n", store.status().message().c_str());
      return std::nullopt;
    }
    WriteRun r = writeThrough(std::move(*store), w, paced, backlogFlush);
    std::fprintf(stderr, "pg_history_bench: %-16s %.2f s, %llu commits, %llu written, %llu failed, %llu retries\n",
                 name.c_str(), r.seconds, static_cast<unsigned long long>(r.stats.commits),
                 static_cast<unsigned long long>(r.stats.writtenSamples),
                 static_cast<unsigned long long>(r.stats.failedSamples),
                 static_cast<unsigned long long>(r.stats.retries));
    if (r.stats.writtenSamples != w.samples) return std::nullopt;
    return r;
  };
  const auto pgPaced = run(true, true, "paced");
  const auto sqlitePaced = run(false, true, "paced");
  const auto pgBacklog = run(true, false, "backlog");
  const auto sqliteBacklog = run(false, false, "backlog");
  if (!pgPaced || !sqlitePaced || !pgBacklog || !sqliteBacklog) {
    std::fprintf(stderr, "pg_history_bench: a run did not write every sample\n");
    return 1;
  }

  // A second store object reads every series back whole (a wall node reading what the writer's node wrote).
  connectors::PgHistoryOptions ro;
  auto reader = connectors::openPgHistory(conninfo + " options='-c search_path=paced'", ro);
  if (!reader) {
    std::fprintf(stderr, "pg_history_bench: %s\n", reader.status().message().c_str());
    return 1;
  }
  auto listed = (*reader)->series();
  if (!listed) return 1;
  const auto readStart = SteadyClock::now();
  std::size_t read = 0;
  for (const connectors::HistorySeries& s : *listed) {
    auto rows = (*reader)->range(s.entityId, s.attribute, w.first, w.last, w.sweeps.size() + 1);
    if (!rows) {
      std::fprintf(stderr, "pg_history_bench: %s\n", rows.status().message().c_str());
      return 1;
    }
    read += rows->size();
  }
  const double readMs = secondsSince(readStart) * 1e3;
  if (read != w.samples || listed->size() != w.series) {
    std::fprintf(stderr, "pg_history_bench: read back %zu of %zu samples, %zu of %zu series\n", read, w.samples,
                 listed->size(), w.series);
    return 1;
  }
  // Playback's window (runtime/src/history_playback.cpp): summary() of every series, at most 8192 points each, over
  // the hour around the run's middle (the whole run here), as a wall node playing back reads it.
  // Through summaries() (the store reads them together), then series by series (summary() each: the baseline).
  const TimePoint middle = w.first + (w.last - w.first) / 2;
  const TimePoint from = middle - 1800 * kMicrosPerSecond;
  const TimePoint to = middle + 1800 * kMicrosPerSecond;
  auto player = connectors::openPgHistory(conninfo + " options='-c search_path=paced'", ro);  // nothing looked up
  if (!player) return 1;
  const auto playbackStart = SteadyClock::now();
  std::size_t played = 0;
  Status window = (*player)->summaries(*listed, from, to, 8192,
                                       [&](const connectors::HistorySeries&, connectors::HistorySummary&& got) {
                                         played += got.buckets.size();
                                         return Status::ok();
                                       });
  const double playbackMs = secondsSince(playbackStart) * 1e3;
  const auto perSeriesStart = SteadyClock::now();
  std::size_t playedOneByOne = 0;
  for (const connectors::HistorySeries& s : *listed) {
    auto one = (*reader)->summary(s.entityId, s.attribute, from, to, 8192);
    if (!one) {
      std::fprintf(stderr, "pg_history_bench: %s\n", one.status().message().c_str());
      return 1;
    }
    playedOneByOne += one->buckets.size();
  }
  const double perSeriesMs = secondsSince(perSeriesStart) * 1e3;
  if (!window || played != w.samples || playedOneByOne != w.samples) {
    std::fprintf(stderr, "pg_history_bench: the playback window held %zu and %zu of %zu samples%s%s\n", played,
                 playedOneByOne, w.samples, window ? "" : ": ", window ? "" : window.message().c_str());
    return 1;
  }
  std::fprintf(stderr, "pg_history_bench: playback window of %zu series: %.0f ms (%.3f ms a series), summary() of each"
               " %.0f ms (%.3f ms)\n", listed->size(), playbackMs, playbackMs / static_cast<double>(listed->size()),
               perSeriesMs, perSeriesMs / static_cast<double>(listed->size()));

  // What the paced run's schema takes in the database (tables, indexes, TOAST; before any VACUUM), for sizing.
  const std::string size = "psql -X -At '" + conninfo + "' -c \"SELECT 'pg_history_bench: schema paced ' ||"
                           " round(sum(pg_total_relation_size(c.oid)) / 1e6, 1) || ' MB, ' ||"
                           " round(sum(pg_total_relation_size(c.oid)) / " + std::to_string(w.samples) +
                           "::numeric, 2) || ' bytes a sample' FROM pg_class c JOIN pg_namespace n ON n.oid ="
                           " c.relnamespace WHERE n.nspname = 'paced' AND c.relkind = 'r'\" >&2";
  (void)std::system(size.c_str());
  const double pacedRate = samples / pgPaced->seconds;
  const double backlogRate = samples / pgBacklog->seconds;
  bench::printBench("pg_history_write_samples_per_s", pacedRate, "samples/s", false, 300'000.0, "%.0f");
  bench::printBench("pg_history_write_vs_sqlite", pacedRate / (samples / sqlitePaced->seconds), "x", false, 1.0,
                    "%.2f");
  bench::printBench("pg_history_backlog_samples_per_s", backlogRate, "samples/s", false, 300'000.0, "%.0f");
  bench::printBench("pg_history_backlog_vs_sqlite", backlogRate / (samples / sqliteBacklog->seconds), "x", false, 1.0,
                    "%.2f");
  bench::printBench("pg_history_window_read_ms", readMs, "ms", true, 5000.0, "%.0f");
  bench::printBench("pg_history_playback_window_ms", playbackMs, "ms", true, 5000.0, "%.0f");
  bench::printBench("pg_history_playback_vs_per_series", playbackMs / perSeriesMs, "x", true, 0.25, "%.3f");
  reader->reset();
  server.stop();
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
