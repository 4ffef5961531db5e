#pragma once
// The history store on PostgreSQL (docs/history.md "PostgreSQL"): the same interface (history_store.hpp) and the
// same compressed blocks (history_codec.hpp) as the SQLite store, in a database several twins can read at once (the
// wall's nodes), time-partitioned so that retention drops whole partitions. libpq stays inside connectors.
//
// Threads: as every HistoryStore, one object is used by one thread at a time; each object holds its own
// connection. Any number of objects (in any number of processes) may read one database while one writes; two
// writers take turns (each write transaction locks the history's epoch row).

#include <cstddef>
#include <memory>
#include <string>
#include <unordered_map>

#include "greentwin/connectors/history_store.hpp"
#include "greentwin/core/status.hpp"

namespace gt::connectors {

struct PgHistoryOptions {
  // Wait this long for a lock another connection holds (PostgreSQL's lock_timeout); a write that waited longer
  // fails as transient (the writer keeps its samples and tries again).
  int lockTimeoutMs = 5000;
  bool create = true;  // create the schema in an empty database (schema) when missing
  // As SqliteHistoryOptions: a raw block at a resolution closes at blockPoints samples (2..4096) or blockBytes
  // (64..65536); others at min(blockPoints, 120).
  std::size_t blockPoints = 720;
  std::size_t blockBytes = 768;
  std::unordered_map<std::string, double> resolutions;  // attribute name -> step (SqliteHistoryOptions)
};

// Connects with a libpq conninfo ("host=/run/postgresql dbname=greentwin" or a postgresql:// URI) and opens the
// history in the connection's current schema (the first of its search_path), creating it when that schema holds
// no tables. Errors name the database (never a password):
//   IoError      cannot connect (also later: a lost connection makes the failing call an IoError, transient)
//   ParseError   the schema holds tables but is not a GreenTwin history (left exactly as it was)
//   Unsupported  a GreenTwin history of a newer schema version
Result<std::unique_ptr<HistoryStore>> openPgHistory(const std::string& conninfo, PgHistoryOptions options = {});

// "PostgreSQL history '<dbname>' on <host>:<port>" for logs and the status bar: the conninfo without its password.
std::string describePgHistory(const std::string& conninfo);

// The schema version this build writes and reads (history_meta 'schema_version'); versions 1 (nothing staged) and 2
// (a staged_samples row per sample) are upgraded in place when opened.
inline constexpr int kPgHistorySchemaVersion = 3;

}  // namespace gt::connectors
