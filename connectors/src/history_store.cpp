// The defaults of HistoryStore for backends without rollups or series lists. See history_store.hpp.

#include "greentwin/connectors/history_store.hpp"

#include "history_buckets.hpp"

namespace gt::connectors {

Result<std::vector<HistorySeries>> HistoryStore::series() {
  return Status(ErrorCode::Unsupported, "this history backend cannot list its series");
}

Result<HistoryRetentionReport> HistoryStore::applyLevelRetention(const HistoryCutoffs& cutoffs) {
  if (cutoffs.raw != kNoCutoff) {
    if (Status s = applyRetention(cutoffs.raw); !s) return s;
  }
  HistoryRetentionReport report;
  report.transactions = cutoffs.raw != kNoCutoff ? 1 : 0;
  return report;
}

Result<HistorySummary> HistoryStore::summary(const std::string& entityId, const std::string& attribute,
                                             TimePoint t0, TimePoint t1, std::size_t maxPoints) {
  if (t1 < t0 || maxPoints == 0) return HistorySummary{};
  auto rows = range(entityId, attribute, t0, t1, std::numeric_limits<std::size_t>::max());
  if (!rows) return rows.status();
  std::vector<HistoryBucket> samples;
  samples.reserve(rows->size());
  for (const HistorySample& h : *rows) samples.push_back(buckets::rawBucket(h.time, h.value));
  return buckets::rawSummary(std::move(samples), t0, t1, maxPoints);
}

Status HistoryStore::summaries(std::span<const HistorySeries> series, TimePoint t0, TimePoint t1,
                               std::size_t maxPoints, const SummaryVisitor& visit) {
  for (const HistorySeries& s : series) {
    auto one = summary(s.entityId, s.attribute, t0, t1, maxPoints);
    if (!one) return one.status();
    if (Status v = visit(s, std::move(*one)); !v) return v;
  }
  return Status::ok();
}

}  // namespace gt::connectors
