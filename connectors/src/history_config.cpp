#include "greentwin/connectors/history_config.hpp"

namespace gt::connectors {

std::shared_ptr<const ConfigSection> parseHistorySection(const ConfigTable& t) {
  static constexpr std::string_view kKeys[]{"path",         "retention_days", "retention_1m_days", "retention_1h_days",
                                            "flush_ms",     "memory_hours",   "memory_samples"};
  auto history = std::make_shared<HistoryConfig>();
  t.checkKeys(kKeys);
  history->line = t.line();
  t.readString("path", history->path);
  t.readDouble("retention_days", history->retentionDays, 0.0, 36500.0);
  t.readDouble("retention_1m_days", history->retention1mDays, 0.0, 36500.0);
  t.readDouble("retention_1h_days", history->retention1hDays, 0.0, 36500.0);
  t.readInt("flush_ms", history->flushMs, 1, 60'000);
  t.readDouble("memory_hours", history->memoryHours, 0.01, 24.0 * 365);
  t.readInt("memory_samples", history->memorySamples, 2, 1'000'000);
  return history;
}

}  // namespace gt::connectors
