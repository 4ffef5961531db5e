#pragma once
// The twin's running figures as a line of JSON every interval (`greentwin --stats-file FILE`; docs/benchmarks.md
// "Soak"), for an unattended run to be watched from outside: frame times over the interval (p50, p99, max), the
// process's resident memory, the feeds' messages, updates, sequence gaps and every counted drop (ingest rejections,
// rate limits, unknown names, the update channel's overflow, the history writer's dropped and failed samples), and
// the samples applied and written. bench/soak reads it. Update thread (the window's loop calls frame() once a frame).

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

class StatsLog {
 public:
  // Opens (appends to) `path`. Errors: the file cannot be opened (naming it), an interval outside 0.1..3600 s.
  static Result<std::unique_ptr<StatsLog>> open(const std::string& path, double intervalS);
  ~StatsLog();
  StatsLog(const StatsLog&) = delete;
  StatsLog& operator=(const StatsLog&) = delete;

  // One frame took `frameSeconds`; writes a line (flushed) when the interval has passed since the last one.
  void frame(runtime::Twin& twin, double frameSeconds);
  // Writes a line now (the last one, at the end of a run), when any frame came since the last line.
  void flush(runtime::Twin& twin);

  // The line for the frames given (pure: the tests check it). `rssKb` < 0: not known.
  static std::string line(runtime::Twin& twin, std::vector<double> frameMs, double uptimeS, long rssKb);
  // This process's resident set size in KiB (/proc/self/statm), or -1.
  static long residentKb();

 private:
  StatsLog(std::FILE* file, double intervalS);
  std::FILE* file_;
  double intervalS_;
  double sinceLineS_ = 0;
  double uptimeS_ = 0;
  std::vector<double> frameMs_;
};

}  // namespace gt::viewer
