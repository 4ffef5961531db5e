// The global audit rate. See audit_rate_sink.hpp.
#include "greentwin/core/audit_rate_sink.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <utility>

#include "greentwin/core/log.hpp"

namespace gt {

AuditRateSink::AuditRateSink(std::vector<spdlog::sink_ptr> targets, double linesPerSecond, Clock clock)
    : targets_(std::move(targets)),
      rate_(linesPerSecond),
      burst_(linesPerSecond > 0 ? std::max(1.0, linesPerSecond * kAuditBurstSeconds) : 0.0),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::steady_clock::now(); })),
      tokens_(burst_),
      last_(clock_()) {}

AuditRateSink::~AuditRateSink() {
  std::lock_guard lock(mutex_);
  if (pending_ > 0) writeSummary();
}

std::uint64_t AuditRateSink::suppressedTotal() {
  std::lock_guard lock(mutex_);
  return total_;
}

void AuditRateSink::forward(const spdlog::details::log_msg& msg) {
  for (const spdlog::sink_ptr& target : targets_) {
    if (target->should_log(msg.level)) target->log(msg);
  }
}

void AuditRateSink::writeSummary() {
  const std::string text = fmt::format(
      "AUDIT rate-limit suppressed={} reason=\"{} audit lines suppressed (over {} lines a second)\"", pending_,
      pending_, rate_);
  forward(spdlog::details::log_msg(kAuditLoggerName, spdlog::level::warn, text));
  pending_ = 0;
}

void AuditRateSink::sink_it_(const spdlog::details::log_msg& msg) {
  if (rate_ > 0) {
    const auto now = clock_();
    tokens_ = std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
    last_ = now;
    if (tokens_ < 1.0) {
      ++pending_;
      ++total_;
      return;
    }
    tokens_ -= 1.0;
    // Under a steady flood a line passes every 1/rate s: one summary per kAuditSummarySeconds, not one per line.
    if (pending_ > 0 && (!summarised_ || now - lastSummary_ >= std::chrono::duration<double>(kAuditSummarySeconds))) {
      writeSummary();
      summarised_ = true;
      lastSummary_ = now;
    }
  }
  forward(msg);
}

void AuditRateSink::flush_() {
  for (const spdlog::sink_ptr& target : targets_) target->flush();
}

}  // namespace gt
