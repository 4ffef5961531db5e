#include "greentwin/connectors/history_config.hpp"

namespace gt::connectors {

std::shared_ptr<const ConfigSection> parseHistorySection(const ConfigTable& t) {
  static constexpr std::string_view kKeys[]{"path",           "store",          "url",
                                            "retention_days", "retention_1m_days", "retention_1h_days",
                                            "flush_ms",       "memory_hours",   "memory_samples",
                                            "resolution"};
  static constexpr std::string_view kStores[]{"sqlite", "postgresql"};
  auto history = std::make_shared<HistoryConfig>();
  t.checkKeys(kKeys);
  history->line = t.line();
  t.readString("path", history->path);
  std::string store = "sqlite";
  t.readString("store", store, kStores);
  history->store = store == "postgresql" ? HistoryBackendKind::Postgresql : HistoryBackendKind::Sqlite;
  t.readString("url", history->url);
  // The place of the history is the backend's own: a file for SQLite, a libpq conninfo for PostgreSQL.
  if (history->store == HistoryBackendKind::Postgresql) {
    if (t.has("path")) {
      t.errorAt("path", ErrorCode::InvalidArgument,
                "'" + t.keyPath("path") + "' is the SQLite file; with store = \"postgresql\" the history is at '" +
                    t.keyPath("url") + "'");
    } else if (!t.has("url") || history->url.empty()) {
      t.errorAt(t.has("url") ? "url" : "store", ErrorCode::InvalidArgument,
                "'" + t.keyPath("url") + "' (a libpq conninfo, e.g. \"host=db.example dbname=greentwin\") is needed"
                " with store = \"postgresql\"");
    }
  } else if (t.has("url")) {
    t.errorAt("url", ErrorCode::InvalidArgument,
              "'" + t.keyPath("url") + "' is for store = \"postgresql\"; the SQLite history is at '" +
                  t.keyPath("path") + "'");
  }
  t.readDouble("retention_days", history->retentionDays, 0.0, 36500.0);
  t.readDouble("retention_1m_days", history->retention1mDays, 0.0, 36500.0);
  t.readDouble("retention_1h_days", history->retention1hDays, 0.0, 36500.0);
  t.readInt("flush_ms", history->flushMs, 1, 60'000);
  t.readDouble("memory_hours", history->memoryHours, 0.01, 24.0 * 365);
  t.readInt("memory_samples", history->memorySamples, 2, 1'000'000);
  // resolution = { load_kw = 0.01, ... }: each value a number > 0 and <= 1e15 (zero, negative, NaN, inf or not a
  // number is an error naming the key).
  if (t.has("resolution")) {
    if (auto table = t.table("resolution")) {
      for (const std::string& attribute : table->keys()) {
        double step = 0;
        if (table->readDouble(attribute, step, 0.0, 1e15, ConfigTable::Bound::Exclusive)) {
          history->resolutions[attribute] = step;
        }
      }
    }
  }
  return history;
}

}  // namespace gt::connectors
