#pragma once
// The global audit rate (docs/security.md "The audit log"): an spdlog sink in front of the audit logger's sinks that
// lets at most `linesPerSecond` lines a second through over ALL audit lines (whoever writes them: every source's
// ZAP handler and ingest, the recorder), with a burst of kAuditBurstSeconds seconds' worth. The lines beyond it are
// counted, not written, and the next line let through is preceded by one summary line
//   AUDIT rate-limit suppressed=N reason="N audit lines suppressed (over R lines a second)"
// (at most one every kAuditSummarySeconds, so a steady flood adds a line per 10 s, not one per line let through;
// also written when the sink is destroyed with lines pending). This sits on top of the per-kind repeat throttle
// (connectors/src/audit_throttle.hpp), which cannot help against lines that all differ (fresh keys or publisher
// ids): without a global cap those would fill the rotating log file and rotate the real evidence out.
//
// Threads: any (spdlog's base_sink mutex). The clock is injectable for tests.

#include <spdlog/sinks/base_sink.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <vector>

namespace gt {

inline constexpr double kAuditBurstSeconds = 10.0;    // the bucket holds this many seconds of lines
inline constexpr double kAuditSummarySeconds = 10.0;  // at most one summary line this often

class AuditRateSink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  // linesPerSecond <= 0: no limit (every line passes). `clock`: steady_clock::now when empty.
  AuditRateSink(std::vector<spdlog::sink_ptr> targets, double linesPerSecond, Clock clock = {});
  ~AuditRateSink() override;
  AuditRateSink(const AuditRateSink&) = delete;
  AuditRateSink& operator=(const AuditRateSink&) = delete;

  // Lines not written so far, all time.
  std::uint64_t suppressedTotal();

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override;
  void flush_() override;

 private:
  void forward(const spdlog::details::log_msg& msg);
  void writeSummary();  // caller holds the mutex

  std::vector<spdlog::sink_ptr> targets_;
  const double rate_;
  const double burst_;
  Clock clock_;
  double tokens_;
  std::chrono::steady_clock::time_point last_;
  std::uint64_t pending_ = 0;  // suppressed since the last summary
  bool summarised_ = false;    // a summary was written (at lastSummary_)
  std::chrono::steady_clock::time_point lastSummary_{};
  std::uint64_t total_ = 0;
};

}  // namespace gt
