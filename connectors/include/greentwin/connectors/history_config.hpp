#pragma once
// The [history] section (docs/time-series.md "History and playback"), read by the history module itself: every live
// sample persisted to an embedded SQLite file or a PostgreSQL database (history_store.hpp, pg_history.hpp), read back for playback, and the in-memory window
// of every series. No path: no history file (the window still applies). Registered with the config loader as a
// section (runtime/config_loading.hpp).

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "greentwin/core/config.hpp"

namespace gt::connectors {

inline constexpr std::string_view kHistorySection = "history";

// Where the history is kept (docs/history.md): an SQLite file, or a PostgreSQL database several twins share.
enum class HistoryBackendKind { Sqlite, Postgresql };

struct HistoryConfig : ConfigSection {
  HistoryBackendKind store = HistoryBackendKind::Sqlite;  // store = "sqlite" | "postgresql"
  std::string path;           // SQLite file (relative to the config file); empty = no history (store = "sqlite")
  std::string url;            // store = "postgresql": libpq conninfo ("host=... dbname=..."), required there
  double retentionDays = 30;  // samples older than now - this are deleted (hourly, in the background); 0 = keep all
  // The 1 min and 1 h rollups (min / max / mean / count per series, what long-range playback and charts read) are
  // kept longer than the samples: older points are deleted the same way; 0 = keep all.
  double retention1mDays = 365;
  double retention1hDays = 3650;
  int flushMs = 200;          // the writer commits queued samples at least this often
  // The in-memory window of every series (live values, charts), with or without a history file: samples older
  // than the series' newest minus memoryHours, or beyond memorySamples per series, leave memory (playback reads
  // them back from the history file). Bounds the memory of a wall that runs for days.
  double memoryHours = 6;
  int memorySamples = 1024;
  // Declared resolutions: attribute name -> step (finite, > 0). The history file stores such an attribute's
  // samples as whole steps (read back within half a step); the live value keeps full precision. Others: exact.
  std::map<std::string, double> resolutions;
  int line = 0;  // line of the [history] table, for messages

  // Whether a history is kept at all (a path, or a PostgreSQL url).
  bool enabled() const { return store == HistoryBackendKind::Postgresql ? !url.empty() : !path.empty(); }
};

// Reads [history]: checks its keys and ranges (errors name the key and line).
std::shared_ptr<const ConfigSection> parseHistorySection(const ConfigTable& section);

// The config's [history] (the defaults when it has none).
inline const HistoryConfig& historyConfig(const Config& config) {
  return configSection<HistoryConfig>(config, kHistorySection);
}
// A copy the caller may change, now the config's own (tests, tools).
inline HistoryConfig& editHistoryConfig(Config& config) {
  return editConfigSection<HistoryConfig>(config, kHistorySection);
}

}  // namespace gt::connectors
