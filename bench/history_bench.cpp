// The history path (docs/history.md, docs/time-series.md "History and playback") against real SQLite files in /tmp,
// on the simulator's own values (history_bench_workload.hpp: a synthetic district of GT_HISTORY_BENCH_BUILDINGS
// buildings, default 500, with its links, substations, green spaces and stations, every entity swept each second
// for GT_HISTORY_BENCH_SWEEPS sweeps, default 360), written through the real HistoryWriter into the compact store
// (schema 2) and, in the same run, into the baseline: the same samples through the same writer into one SQLite row
// per sample (schema 1, history_bench_rows.hpp). The writer commits each sweep on its own, as the twin does when the
// simulator sweeps once a second.
//   history_update_thread_ns_per_sample  the update thread's share per sample (as Twin::recordHistory: a copy of
//                                        the sweep by index and HistoryWriter::submit)
//   history_write_samples_per_s          samples committed per second into the compact store, first submit to
//                                        the last commit
//   history_write_vs_rows                that rate / the row baseline's
//   history_bytes_per_sample             the compact file (after a WAL checkpoint, not vacuumed: as a running twin
//                                        leaves it) / samples written; rollups, ids and SQLite's pages included;
//                                        at the resolutions the bundled demo declares (assets/demo/greentwin.toml
//                                        [history.resolution]; docs/history.md "Resolutions")
//   history_bytes_per_sample_lossless    the same samples into a third file without resolutions (every value
//                                        exact), against the figure before resolutions (9.58)
//   history_bytes_vs_rows                that / the row baseline's file per sample
//   history_window_read_ms               every series read back whole with range() (checks every sample is there)
//   history_day_read_ms                  a day of one series (a building's load at 1 s: 86,400 samples) read as a
//                                        chart of 1440 minute means, summary() (the 1 min rollups), median of 15
//   history_day_read_vs_rows             that / the same 1440 means from the day's rows in the row baseline
//   history_day_playback_ms              a day of one district-wide attribute (every building's load_kw at the
//                                        demo's 15 s) read through the rollups: 1440 minute means a building, for
//                                        all of them (median of 3)
// GT_HISTORY_BENCH_VACUUM=1 also prints (stderr) both files' sizes after VACUUM; GT_HISTORY_BENCH_KEEP=1 keeps the
// files (the folder is printed); GT_HISTORY_BENCH_EXACT=1 sweeps at exact 1 s intervals (no wake-up jitter);
// GT_HISTORY_BENCH_BLOCK_POINTS and GT_HISTORY_BENCH_BLOCK_BYTES set SqliteHistoryOptions::blockPoints and
// blockBytes (the defaults otherwise).
#include <sqlite3.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "bench_support.hpp"
#include "greentwin/connectors/history_config.hpp"
#include "greentwin/connectors/history_store.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "history_bench_rows.hpp"
#include "history_bench_workload.hpp"

namespace {

using namespace gt;
using SteadyClock = std::chrono::steady_clock;
namespace fs = std::filesystem;

constexpr TimePoint kT0 = 1'784'080'800LL * kMicrosPerSecond;   // 2026-07-15 10:00 +08:00: PV follows the clouds
constexpr TimePoint kDay = 1'784'044'800LL * kMicrosPerSecond;  // 2026-07-15 00:00 +08:00
constexpr Duration kDayLength = 86'400 * kMicrosPerSecond;

double secondsSince(SteadyClock::time_point t) { return std::chrono::duration<double>(SteadyClock::now() - t).count(); }

std::size_t envSize(const char* name, std::size_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  const long long n = std::atoll(v);
  return n > 0 ? static_cast<std::size_t>(n) : fallback;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0.0 : v[v.size() / 2];
}

// CPU seconds of the process so far (all threads, user and system).
double cpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; };
  return sec(u.ru_utime) + sec(u.ru_stime);
}

// Bytes the process has handed to write() so far (/proc/self/io wchar: the WAL and the checkpoints into the file).
double bytesWritten() {
  std::FILE* f = std::fopen("/proc/self/io", "r");
  if (f == nullptr) return 0;
  char line[128];
  double bytes = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::strncmp(line, "wchar:", 6) == 0) bytes = std::atof(line + 6);
  }
  std::fclose(f);
  return bytes;
}

struct WriteRun {
  double seconds = 0;
  double cpuSeconds = 0;
  double bytesWritten = 0;
  double updateThreadSeconds = 0;
  connectors::HistoryWriterStats stats;
};

// The sweeps through a HistoryWriter over `store`: a sweep is submitted once the one before it is committed, so
// each commit is one sweep (as the twin commits a sweep of the simulator every flush_ms).
WriteRun writeThrough(std::unique_ptr<connectors::HistoryStore> store, const bench::HistoryWorkload& w) {
  std::atomic<std::uint64_t> committed{0};
  connectors::HistoryWriterOptions options;
  options.maxQueuedBatches = 1 << 20;  // nothing dropped: the pacing below bounds the queue
  options.flushSamples = w.series;     // a queued sweep wakes the writer
  options.onCommit = [&committed](std::span<const std::uint64_t> seqs) {
    committed.store(seqs.back(), std::memory_order_release);
  };
  WriteRun run;
  const auto start = SteadyClock::now();
  const double cpuStart = cpuSeconds();
  const double bytesStart = bytesWritten();
  {
    connectors::HistoryWriter writer(std::move(store), options);
    for (std::size_t k = 0; k < w.sweeps.size(); ++k) {
      while (committed.load(std::memory_order_acquire) < k) std::this_thread::sleep_for(std::chrono::microseconds(50));
      const auto t = SteadyClock::now();
      writer.submit(std::vector<SampleUpdate>(w.sweeps[k]), w.names);
      run.updateThreadSeconds += secondsSince(t);
    }
    writer.stop();
    run.stats = writer.stats();
  }  // the store closes: SQLite checkpoints its WAL into the file
  run.seconds = secondsSince(start);
  run.cpuSeconds = cpuSeconds() - cpuStart;
  run.bytesWritten = bytesWritten() - bytesStart;
  return run;
}

// One integer of a query (or -1).
long long queryInt(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
    v = sqlite3_column_int64(st, 0);
  }
  sqlite3_finalize(st);
  return v;
}

// The file's bytes once its WAL is checkpointed into it (the WAL, if one is left, counted too).
std::uintmax_t checkpointedSize(const std::string& path, bool vacuum) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
    if (vacuum) sqlite3_exec(db, "VACUUM", nullptr, nullptr, nullptr);
    sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr);
    std::fprintf(stderr, "history_bench: %s: %lld pages of %lld B, %lld free\n", fs::path(path).filename().c_str(),
                 queryInt(db, "PRAGMA page_count"), queryInt(db, "PRAGMA page_size"),
                 queryInt(db, "PRAGMA freelist_count"));
  }
  sqlite3_close(db);
  std::error_code ec;
  std::uintmax_t bytes = fs::file_size(path, ec);
  if (const auto wal = fs::file_size(path + "-wal", ec); !ec) bytes += wal;
  return bytes;
}

// Where the compact file's bytes are: the blocks' payload per level.
void printBlocks(const std::string& path, double samples) {
  sqlite3* db = nullptr;
  sqlite3_stmt* st = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT level, count(*), sum(count), sum(length(data)) FROM blocks GROUP BY level", -1,
                         &st, nullptr) == SQLITE_OK) {
    static const char* const kLevels[] = {"raw", "1 min", "1 h"};
    while (sqlite3_step(st) == SQLITE_ROW) {
      const int level = sqlite3_column_int(st, 0);
      const double bytes = static_cast<double>(sqlite3_column_int64(st, 3));
      std::fprintf(stderr,
                   "history_bench: level %s: %lld blocks, %lld points, %.0f payload bytes (%.2f B/point, %.2f B per "
                   "raw sample)\n",
                   kLevels[std::clamp(level, 0, 2)], sqlite3_column_int64(st, 1), sqlite3_column_int64(st, 2), bytes,
                   bytes / static_cast<double>(std::max<sqlite3_int64>(sqlite3_column_int64(st, 2), 1)),
                   bytes / samples);
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
}

// The largest difference between a read sample and the one written, in steps of its attribute (0 for exact ones:
// then any difference counts as 1e9), over every sample of the workload.
double worstError(connectors::HistoryStore& store, const bench::HistoryWorkload& w,
                  const std::unordered_map<std::string, double>& steps) {
  std::unordered_map<std::string, std::vector<std::pair<TimePoint, double>>> written;
  for (const auto& sweep : w.sweeps) {
    for (const SampleUpdate& u : sweep) {
      written[w.names->entityIds[u.entity] + '\n' + w.names->attributeNames[u.attribute]].push_back({u.time, u.value});
    }
  }
  double worst = 0;
  for (const auto& [key, samples] : written) {
    const std::string entity = key.substr(0, key.find('\n'));
    const std::string attribute = key.substr(key.find('\n') + 1);
    const auto step = steps.find(attribute);
    auto read = store.range(entity, attribute, w.first, w.last, samples.size() + 1);
    if (!read || read->size() != samples.size()) return 1e9;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      const double diff = std::abs((*read)[i].value - samples[i].second);
      if ((*read)[i].time != samples[i].first) return 1e9;
      if (diff != 0) worst = std::max(worst, step == steps.end() ? 1e9 : diff / step->second);
    }
  }
  return worst;
}

std::vector<connectors::HistorySample> resolve(const bench::HistoryWorkload& w, std::size_t from, std::size_t to) {
  std::vector<connectors::HistorySample> out;
  for (std::size_t k = from; k < to; ++k) {
    for (const SampleUpdate& u : w.sweeps[k]) {
      out.push_back({w.names->entityIds[u.entity], w.names->attributeNames[u.attribute], u.time, u.value});
    }
  }
  return out;
}

// A day of one building (3 series at 1 s) in both stores; each series read as 1440 minute means, 5 times each.
// Returns false when the two answers differ.
bool dayRead(const fs::path& dir, const connectors::SqliteHistoryOptions& options) {
  sim::World world;
  sim::Building office;
  office.id = "city-buildings/b-day";
  office.use = "office";
  office.floorAreaM2 = 6000.0;
  office.roofPvKw = 60.0;
  world.buildings.push_back(std::move(office));
  const bench::HistoryWorkload day = bench::historyWorkload(std::move(world), 86'400, kDay, kMicrosPerSecond);
  auto compact = connectors::openSqliteHistory((dir / "day.sqlite").string(), options);
  bench::RowHistory rows((dir / "day_rows.sqlite").string());
  if (!compact || !rows.status()) {
    std::fprintf(stderr, "history_bench: cannot create the day files\n");
    return false;
  }
  for (std::size_t hour = 0; hour < 24; ++hour) {  // an hour per transaction
    const auto batch = resolve(day, hour * 3600, (hour + 1) * 3600);
    if (Status s = (*compact)->append(batch); !s) {
      std::fprintf(stderr, "history_bench: %s\n", s.message().c_str());
      return false;
    }
    if (Status s = rows.append(batch); !s) {
      std::fprintf(stderr, "history_bench: %s\n", s.message().c_str());
      return false;
    }
  }
  const std::string entity = day.names->entityIds[0];
  std::vector<double> compactMs, rowsMs, rawMs, playbackMs;
  for (int round = 0; round < 5; ++round) {
    for (const std::string& attribute : day.names->attributeNames) {
      auto t = SteadyClock::now();
      auto summary = (*compact)->summary(entity, attribute, kDay, kDay + kDayLength - 1, 1440);
      compactMs.push_back(secondsSince(t) * 1e3);
      t = SteadyClock::now();
      std::vector<std::pair<TimePoint, double>> means;
      const std::size_t rowCount = rows.bucketMeans(entity, attribute, kDay, kDay + kDayLength - 1, 60 * kMicrosPerSecond, means);
      rowsMs.push_back(secondsSince(t) * 1e3);
      if (!summary || summary->level != connectors::HistoryLevel::Minute || summary->buckets.size() != 1440 ||
          means.size() != 1440 || rowCount != 86'400) {
        std::fprintf(stderr, "history_bench: day of %s: %s, %zu buckets, %zu means of %zu rows\n", attribute.c_str(),
                     summary ? "read" : summary.status().message().c_str(), summary ? summary->buckets.size() : 0,
                     means.size(), rowCount);
        return false;
      }
      // At a declared resolution every sample is within half a step, so their mean is, and the stored mean is
      // rounded to the step again: within a step of the exact mean.
      const auto declared = options.resolutions.find(attribute);
      const double tolerance = declared != options.resolutions.end() ? declared->second * (1 + 1e-9) : 0.0;
      for (std::size_t i = 0; i < 1440; ++i) {
        const connectors::HistoryBucket& b = summary->buckets[i];
        if (b.time != means[i].first || b.count != 60 ||
            std::abs(b.mean - means[i].second) > tolerance + 1e-9 * std::abs(means[i].second) + 1e-12) {
          std::fprintf(stderr, "history_bench: day of %s, minute %zu: %.17g (%llu) against %.17g\n", attribute.c_str(),
                       i, b.mean, static_cast<unsigned long long>(b.count), means[i].second);
          return false;
        }
      }
      // For the record (stderr): the day's raw samples through range(), and the playback's 8192 points a series.
      t = SteadyClock::now();
      auto raw = (*compact)->range(entity, attribute, kDay, kDay + kDayLength - 1, 1 << 20);
      rawMs.push_back(secondsSince(t) * 1e3);
      t = SteadyClock::now();
      auto dense = (*compact)->summary(entity, attribute, kDay, kDay + kDayLength - 1, 8192);
      playbackMs.push_back(secondsSince(t) * 1e3);
      if (!raw || raw->size() != 86'400 || !dense || dense->level != connectors::HistoryLevel::Raw) return false;
    }
  }
  const double compactMedian = median(compactMs);
  const double rowsMedian = median(rowsMs);
  std::fprintf(stderr,
               "history_bench: a day at 1 s: 1440 minute means %.2f ms (rows: %.2f ms); range() of the 86,400 "
               "samples %.2f ms; summary() in 8192 points (raw blocks regrouped) %.2f ms\n",
               compactMedian, rowsMedian, median(rawMs), median(playbackMs));
  bench::printBench("history_day_read_ms", compactMedian, "ms", true, 10.0, "%.2f");
  bench::printBench("history_day_read_vs_rows", compactMedian / rowsMedian, "x", true, 0.1, "%.3f");
  return true;
}

// A day of one district-wide attribute played back through the rollups: every building's load_kw, swept every 15 s
// (the demo's pace) for a day into one SQLite file, a commit a sweep (as the twin writes while it keeps up), then
// read as the chart of a day, 1440 minute means a building (summary(): the 1 min rollups), for every building:
// history_day_playback_ms, the median of 3 rounds.
bool districtDayPlayback(const fs::path& dir, const connectors::SqliteHistoryOptions& options, std::size_t buildings) {
  sim::World world = bench::historyWorld(buildings);
  world.substations.clear();
  world.links.clear();
  world.stands.clear();
  world.stations.clear();
  auto store = connectors::openSqliteHistory((dir / "district_day.sqlite").string(), options);
  if (!store) {
    std::fprintf(stderr, "history_bench: %s\n", store.status().message().c_str());
    return false;
  }
  const std::string attribute = "load_kw";
  std::vector<std::string> entities;
  const Duration sweep = 15 * kMicrosPerSecond;
  std::vector<connectors::HistorySample> batch;
  for (std::size_t hour = 0; hour < 24; ++hour) {  // generated an hour at a time, committed a sweep at a time
    const TimePoint from = kDay + static_cast<TimePoint>(hour) * 3600 * kMicrosPerSecond;
    const bench::HistoryWorkload w = bench::historyWorkload(world, 240, from, sweep, false);
    for (const auto& s : w.sweeps) {
      batch.clear();
      for (const SampleUpdate& u : s) {
        if (w.names->attributeNames[u.attribute] != attribute) continue;
        batch.push_back({w.names->entityIds[u.entity], attribute, u.time, u.value});
      }
      if (entities.empty()) {
        for (const connectors::HistorySample& h : batch) entities.push_back(h.entityId);
      }
      if (Status st = (*store)->append(batch); !st) {
        std::fprintf(stderr, "history_bench: %s\n", st.message().c_str());
        return false;
      }
    }
  }
  std::vector<double> roundMs;
  std::size_t points = 0;
  for (int round = 0; round < 3; ++round) {
    points = 0;
    const auto t = SteadyClock::now();
    for (const std::string& entity : entities) {
      auto day = (*store)->summary(entity, attribute, kDay, kDay + kDayLength - 1, 1440);
      if (!day || day->level != connectors::HistoryLevel::Minute || day->buckets.size() != 1440) {
        std::fprintf(stderr, "history_bench: district day of %s: %s\n", entity.c_str(),
                     day ? "not 1440 minute means" : day.status().message().c_str());
        return false;
      }
      points += day->buckets.size();
    }
    roundMs.push_back(secondsSince(t) * 1e3);
  }
  std::fprintf(stderr, "history_bench: a day of %s of %zu buildings at 15 s: %zu minute means in %.1f ms (median)\n",
               attribute.c_str(), entities.size(), points, median(roundMs));
  bench::printBench("history_day_playback_ms", median(roundMs), "ms", true, 1000.0, "%.0f");
  return entities.size() == buildings;
}

}  // namespace

int main() {
  const fs::path dir = fs::temp_directory_path() / ("gt_history_bench_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string compactPath = (dir / "history.sqlite").string();
  const std::string rowsPath = (dir / "rows.sqlite").string();
  const bool vacuum = std::getenv("GT_HISTORY_BENCH_VACUUM") != nullptr;

  const auto genStart = SteadyClock::now();
  const std::size_t buildings = envSize("GT_HISTORY_BENCH_BUILDINGS", 500);
  const bool jitter = std::getenv("GT_HISTORY_BENCH_EXACT") == nullptr;
  const bench::HistoryWorkload w =
      bench::historyWorkload(bench::historyWorld(buildings), envSize("GT_HISTORY_BENCH_SWEEPS", 360), kT0,
                             kMicrosPerSecond, jitter);
  const double samples = static_cast<double>(w.samples);
  std::fprintf(stderr, "history_bench: %zu entities, %zu series, %zu sweeps at 1 s, %zu samples (models: %.1f s)\n",
               w.names->entityIds.size(), w.series, w.sweeps.size(), w.samples, secondsSince(genStart));

  auto resolutions = bench::demoResolutions(GT_DEMO_CONFIG);
  if (!resolutions) {
    std::fprintf(stderr, "history_bench: %s\n", resolutions.status().message().c_str());
    return 1;
  }
  connectors::SqliteHistoryOptions configured;
  configured.resolutions = *resolutions;
  configured.blockPoints = envSize("GT_HISTORY_BENCH_BLOCK_POINTS", configured.blockPoints);
  configured.blockBytes = envSize("GT_HISTORY_BENCH_BLOCK_BYTES", configured.blockBytes);
  std::fprintf(stderr, "history_bench: %zu resolutions declared by %s\n", configured.resolutions.size(), GT_DEMO_CONFIG);
  auto opened = connectors::openSqliteHistory(compactPath, configured);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    return 1;
  }
  const WriteRun compact = writeThrough(std::move(*opened), w);
  auto rowStore = std::make_unique<bench::RowHistory>(rowsPath);
  if (!rowStore->status()) {
    std::fprintf(stderr, "%s\n", rowStore->status().message().c_str());
    return 1;
  }
  const WriteRun rows = writeThrough(std::move(rowStore), w);
  const std::string losslessPath = (dir / "lossless.sqlite").string();
  connectors::SqliteHistoryOptions exact;
  exact.blockPoints = configured.blockPoints;
  exact.blockBytes = configured.blockBytes;
  auto losslessStore = connectors::openSqliteHistory(losslessPath, exact);
  if (!losslessStore) return 1;
  const WriteRun lossless = writeThrough(std::move(*losslessStore), w);
  for (const WriteRun* run : {&compact, &rows, &lossless}) {
    if (run->stats.writtenSamples != w.samples) {
      std::fprintf(stderr, "history_bench: %llu of %zu samples written (%llu failed)\n",
                   static_cast<unsigned long long>(run->stats.writtenSamples), w.samples,
                   static_cast<unsigned long long>(run->stats.failedSamples));
      return 1;
    }
  }
  const double compactRate = samples / compact.seconds;
  const double rowsRate = samples / rows.seconds;
  std::fprintf(stderr,
               "history_bench: written in %.2f s, %.2f s CPU, %.0f bytes written a sample (%llu commits); rows in %.2f "
               "s, %.2f s CPU, %.0f bytes written a sample (%llu commits)\n",
               compact.seconds, compact.cpuSeconds, compact.bytesWritten / samples,
               static_cast<unsigned long long>(compact.stats.commits), rows.seconds, rows.cpuSeconds,
               rows.bytesWritten / samples, static_cast<unsigned long long>(rows.stats.commits));

  const double compactBytes = static_cast<double>(checkpointedSize(compactPath, false));
  const double rowsBytes = static_cast<double>(checkpointedSize(rowsPath, false));
  const double losslessBytes = static_cast<double>(checkpointedSize(losslessPath, false));
  printBlocks(compactPath, samples);
  std::fprintf(stderr, "history_bench: lossless file (written in %.2f s, %.2f s CPU, %.0f bytes written a sample): "
               "%.2f B/sample\n", lossless.seconds, lossless.cpuSeconds, lossless.bytesWritten / samples,
               losslessBytes / samples);
  printBlocks(losslessPath, samples);
  std::fprintf(stderr, "history_bench: files %.1f MB compact, %.1f MB rows: %.2f and %.2f B/sample\n",
               compactBytes / 1e6, rowsBytes / 1e6, compactBytes / samples, rowsBytes / samples);

  bench::printBench("history_update_thread_ns_per_sample", compact.updateThreadSeconds / samples * 1e9, "ns", true,
                    200.0, "%.1f");
  bench::printBench("history_write_samples_per_s", compactRate, "samples/s", false, 1'000'000.0, "%.0f");
  bench::printBench("history_write_vs_rows", compactRate / rowsRate, "x", false, 0.5, "%.2f");
  bench::printBench("history_bytes_per_sample", compactBytes / samples, "B", true, 3.0, "%.2f");
  bench::printBench("history_bytes_per_sample_lossless", losslessBytes / samples, "B", true, 9.58, "%.2f");
  bench::printBench("history_bytes_vs_rows", compactBytes / rowsBytes, "x", true, 0.2, "%.3f");

  // Every series read back whole, as playback reads a window: checks that every sample is in the file.
  connectors::SqliteHistoryOptions ro;
  ro.openCheck = connectors::HistoryOpenCheck::None;
  auto reader = connectors::openSqliteHistory(compactPath, ro);
  if (!reader) return 1;
  const auto readStart = SteadyClock::now();
  auto series = (*reader)->series();
  std::size_t read = 0;
  if (series) {
    for (const auto& s : *series) {
      auto r = (*reader)->range(s.entityId, s.attribute, w.first, w.last, w.sweeps.size() + 1);
      if (r) read += r->size();
    }
  }
  const double readMs = secondsSince(readStart) * 1e3;
  if (!series || series->size() != w.series || read != w.samples) {
    std::fprintf(stderr, "history_bench: read back %zu series, %zu samples\n", series ? series->size() : 0, read);
    return 1;
  }
  // Every value within half a step of what was written (exact where no resolution is declared).
  const double worst = worstError(**reader, w, configured.resolutions);
  std::fprintf(stderr, "history_bench: largest error read back: %.4f steps\n", worst);
  if (worst > 0.5 + 1e-6) return 1;
  reader->reset();
  bench::printBench("history_window_read_ms", readMs, "ms", true, 3000.0, "%.0f");

  if (vacuum) {
    const double c = static_cast<double>(checkpointedSize(compactPath, true));
    const double r = static_cast<double>(checkpointedSize(rowsPath, true));
    std::fprintf(stderr, "history_bench: vacuumed: %.2f B/sample compact, %.2f rows (%.3f)\n", c / samples,
                 r / samples, c / r);
  }
  const bool dayOk = dayRead(dir, configured) && districtDayPlayback(dir, configured, buildings);
  if (std::getenv("GT_HISTORY_BENCH_KEEP") != nullptr) {
    std::fprintf(stderr, "history_bench: files kept in %s\n", dir.c_str());
  } else {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  return dayOk ? 0 : 1;
}
