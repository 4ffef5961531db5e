// The history path (docs/time-series.md "History and playback"), against a real SQLite file in /tmp:
//   history_update_thread_ns_per_sample  what the twin's update thread pays per applied sample to hand it to the
//                                        writer (as Twin::recordHistory: a copy by index; the writer thread
//                                        resolves ids and names) and HistoryWriter::submit
//   history_write_samples_per_s          the writer thread committing 1000-sample batches (one per frame)
//   history_window_read_ms               a playback window: 1000 series x 1800 samples read back with range()
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.hpp"
#include "greentwin/connectors/history_store.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/time_series.hpp"

namespace {

using namespace gt;
using SteadyClock = std::chrono::steady_clock;

double secondsSince(SteadyClock::time_point t) { return std::chrono::duration<double>(SteadyClock::now() - t).count(); }

}  // namespace

int main() {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("gt_history_bench_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "history.sqlite").string();

  // 1000 entities with ids as long as the demo's ("city-buildings/b-000123"), one attribute.
  constexpr std::size_t kSeries = 1000;
  EntityStore entities;
  for (std::size_t i = 0; i < kSeries; ++i) {
    char id[64];
    std::snprintf(id, sizeof id, "city-buildings/b-%06zu", i);
    (void)entities.add(id, "building");
  }
  const AttributeId power = *entities.attributes().intern("power_kw", "kW");

  auto opened = connectors::openSqliteHistory(path);
  if (!opened) {
    std::fprintf(stderr, "%s\n", opened.status().message().c_str());
    return 1;
  }
  connectors::HistoryWriterOptions options;
  options.maxQueuedBatches = 1 << 20;  // measure throughput, not overflow
  connectors::HistoryWriter writer(std::move(*opened), options);

  // One frame = 1000 samples (one per series); 1800 frames = 30 min at 1 Hz per series.
  constexpr std::size_t kFrames = 1800;
  const TimePoint t0 = wallNow() - 3600 * kMicrosPerSecond;
  std::vector<SampleUpdate> frame(kSeries);
  auto names = std::make_shared<connectors::HistoryNames>();
  for (std::size_t i = 0; i < entities.size(); ++i) names->entityIds.push_back(entities.get(static_cast<EntityIndex>(i))->id);
  for (std::size_t i = 0; i < entities.attributes().size(); ++i) {
    names->attributeNames.push_back(entities.attributes().info(static_cast<AttributeId>(i))->name);
  }
  double updateThreadSeconds = 0;
  const auto writeStart = SteadyClock::now();
  for (std::size_t f = 0; f < kFrames; ++f) {
    for (std::size_t i = 0; i < kSeries; ++i) {
      frame[i] = {static_cast<EntityIndex>(i), power, t0 + static_cast<TimePoint>(f) * kMicrosPerSecond,
                  static_cast<double>(f + i)};
    }
    // The update thread's share (as Twin::recordHistory): a copy of the samples by index; the writer thread
    // resolves the names through the shared tables.
    const auto start = SteadyClock::now();
    writer.submit(std::vector<SampleUpdate>(frame.begin(), frame.end()), names);
    updateThreadSeconds += secondsSince(start);
  }
  writer.stop();
  const double writeSeconds = secondsSince(writeStart);
  const auto stats = writer.stats();
  const double samples = static_cast<double>(kFrames * kSeries);
  if (stats.writtenSamples != kFrames * kSeries) {
    std::fprintf(stderr, "history_bench: %llu of %.0f samples written\n",
                 static_cast<unsigned long long>(stats.writtenSamples), samples);
    return 1;
  }
  gt::bench::printBench("history_update_thread_ns_per_sample", updateThreadSeconds / samples * 1e9, "ns", true,
                        200.0, "%.1f");
  gt::bench::printBench("history_write_samples_per_s", samples / writeSeconds, "samples/s", false, 200'000.0,
                        "%.0f");

  // A playback window: every series over the 30 min, as HistoryPlayback reads it.
  connectors::SqliteHistoryOptions ro;
  ro.openCheck = connectors::HistoryOpenCheck::None;
  auto reader = connectors::openSqliteHistory(path, ro);
  if (!reader) return 1;
  const auto readStart = SteadyClock::now();
  auto series = (*reader)->series();
  std::size_t rows = 0;
  if (series) {
    for (const auto& s : *series) {
      auto r = (*reader)->range(s.entityId, s.attribute, t0, t0 + 1800 * kMicrosPerSecond, 8192);
      if (r) rows += r->size();
    }
  }
  const double readMs = secondsSince(readStart) * 1e3;
  if (rows != kFrames * kSeries) {
    std::fprintf(stderr, "history_bench: window read %zu rows\n", rows);
    return 1;
  }
  gt::bench::printBench("history_window_read_ms", readMs, "ms", true, 3000.0, "%.0f");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
