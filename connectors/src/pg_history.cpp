// PostgreSQL backend of HistoryStore. See pg_history.hpp and docs/history.md "PostgreSQL".
//
// Schema (version kPgHistorySchemaVersion), in the connection's current schema:
//   history_meta(key TEXT PRIMARY KEY, value BIGINT)     'application_id' = 0x47544853 ('GTHS', as the SQLite file's
//                                                        application_id), 'schema_version', 'epoch' (bumped by
//                                                        every write transaction; its row is locked FOR UPDATE by
//                                                        each one, so writers take turns)
//   entities(id BIGSERIAL PRIMARY KEY, name BYTEA UNIQUE)   stable entity ids, interned (bytes: any string)
//   attributes(id BIGSERIAL PRIMARY KEY, name BYTEA UNIQUE) attribute names, interned
//   series(id BIGSERIAL PRIMARY KEY, entity_id, attribute_id, rolled_until, staged_after (version 3))
//     UNIQUE(entity_id, attribute_id)
//   blocks(series_id, level, t_first, t_last, count, data) PRIMARY KEY(series_id, level, t_first)
//     PARTITION BY LIST(level): blocks_l0, blocks_l1, blocks_l2, each PARTITION BY RANGE(t_first)
//     + INDEX (level, t_first) for retention              pg_history_blocks.hpp
//   history_partitions(name, level, t_from, t_to)         the range partitions, for retention
//   staged_groups(group_id, seq, series[], t[], v[]) PRIMARY KEY(group_id, seq)  (version 3) raw samples after
//                                                          their open block, not in it yet, a row per group of
//                                                          series ids and flush          pg_history_blocks.hpp
// Versions 1 (nothing staged) and 2 (staged_samples: a row per sample) are upgraded in place at open; an older build
// refuses a newer version.
// A schema with tables but without history_meta's marker is another application's: refused, left untouched.

#include <algorithm>
#include <limits>
#include <string>
#include <tuple>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "greentwin/connectors/pg_history.hpp"
#include "history_buckets.hpp"
#include "history_series_writer.hpp"
#include "pg_history_blocks.hpp"
#include "pg_support.hpp"

namespace gt::connectors {
namespace {

using history_blocks::Point;
using history_blocks::TimedValue;
using pg::Params;

constexpr int kRetentionBlocksPerTransaction = 256;
// Names or series interned by one statement, and the names' bytes in it at most (a chunk ends after the name that
// reaches it): a few MB of parameters.
constexpr std::size_t kInternChunk = 10'000;
constexpr std::size_t kInternChunkBytes = 4 << 20;
constexpr std::int64_t kApplicationId = 0x47544853;  // 'GTHS'

const char* const kCreateSchema =
    "CREATE TABLE history_meta(key TEXT PRIMARY KEY, value BIGINT NOT NULL);"
    "CREATE TABLE entities(id BIGSERIAL PRIMARY KEY, name BYTEA NOT NULL UNIQUE);"
    "CREATE TABLE attributes(id BIGSERIAL PRIMARY KEY, name BYTEA NOT NULL UNIQUE);"
    "CREATE TABLE series(id BIGSERIAL PRIMARY KEY, entity_id BIGINT NOT NULL REFERENCES entities(id),"
    " attribute_id BIGINT NOT NULL REFERENCES attributes(id), rolled_until BIGINT NOT NULL,"
    " UNIQUE(entity_id, attribute_id));"
    "CREATE TABLE blocks(series_id BIGINT NOT NULL, level SMALLINT NOT NULL, t_first BIGINT NOT NULL,"
    " t_last BIGINT NOT NULL, count INTEGER NOT NULL, data BYTEA NOT NULL,"
    " PRIMARY KEY(series_id, level, t_first)) PARTITION BY LIST(level);"
    "CREATE TABLE blocks_l0 PARTITION OF blocks FOR VALUES IN (0) PARTITION BY RANGE(t_first);"
    "CREATE TABLE blocks_l1 PARTITION OF blocks FOR VALUES IN (1) PARTITION BY RANGE(t_first);"
    "CREATE TABLE blocks_l2 PARTITION OF blocks FOR VALUES IN (2) PARTITION BY RANGE(t_first);"
    "CREATE INDEX blocks_by_start ON blocks(level, t_first);"
    "CREATE TABLE history_partitions(name TEXT PRIMARY KEY, level SMALLINT NOT NULL, t_from BIGINT NOT NULL,"
    " t_to BIGINT NOT NULL);"
    "INSERT INTO history_meta(key, value) VALUES('application_id', 1196705875), ('schema_version', 1), ('epoch', 0);";
// Version 2: the raw samples staged after their open block (pg_history_blocks.hpp), sent by COPY.
const char* const kUpgradeTo2 =
    "CREATE TABLE IF NOT EXISTS staged_samples(series_id BIGINT NOT NULL, t BIGINT NOT NULL,"
    " v DOUBLE PRECISION NOT NULL, PRIMARY KEY(series_id, t));"
    "UPDATE history_meta SET value = 2 WHERE key = 'schema_version'";
// Version 3: staged samples as a row per group of series (pg_history_blocks.hpp). A version 2 staged row lies
// after every stored block of its series: staged_after starts at the newest raw block's end, and the rows move into
// staged_groups (seq -1: before any version 3 writer's).
const std::string kUpgradeTo3 =
    "ALTER TABLE series ADD COLUMN IF NOT EXISTS staged_after BIGINT NOT NULL DEFAULT -9223372036854775808;"
    "CREATE TABLE IF NOT EXISTS staged_groups(group_id BIGINT NOT NULL, seq BIGINT NOT NULL, series BIGINT[] NOT NULL,"
    " t BIGINT[] NOT NULL, v DOUBLE PRECISION[] NOT NULL, PRIMARY KEY(group_id, seq));"
    "UPDATE series SET staged_after = b.t_last FROM (SELECT series_id, max(t_last) AS t_last FROM blocks"
    " WHERE level = 0 GROUP BY series_id) b WHERE series.id = b.series_id;"
    "INSERT INTO staged_groups(group_id, seq, series, t, v) SELECT series_id / " +
    std::to_string(pg_history::kStagedGroupSeries) +
    ", -1, array_agg(series_id ORDER BY series_id, t), array_agg(t ORDER BY series_id, t),"
    " array_agg(v ORDER BY series_id, t) FROM staged_samples GROUP BY 1;"
    "DROP TABLE staged_samples;"
    "UPDATE history_meta SET value = 3 WHERE key = 'schema_version'";

// Several twins opening an empty database at once: one creates the schema, the others wait and find it.
constexpr const char* kCreateLock = "SELECT pg_advisory_xact_lock(1196705875)";

class PgHistory final : public HistoryStore {
 public:
  explicit PgHistory(const PgHistoryOptions& options)
      : options_(options), resolutions_(options.resolutions), blocks_(conn_),
        writer_(blocks_, std::clamp<std::size_t>(options.blockPoints, 2, 4096),
                std::clamp<std::size_t>(options.blockBytes, 64, 65536)) {}

  Status open(const std::string& conninfo) {
    if (Status s = conn_.open(conninfo); !s) return s;
    if (Status s = configureSession(); !s) return s;
    auto version = identify();
    if (!version) return version.status();
    if (*version == 0 || *version < kPgHistorySchemaVersion) return create();
    return Status::ok();
  }

  Status append(std::span<const HistorySample> batch) override {
    if (batch.empty()) return Status::ok();
    transient_ = false;
    conn_.clearLastError();
    if (Status s = reconnectIfLost(); !s) {
      transient_ = true;
      return s;
    }
    Status s = conn_.exec("BEGIN", "cannot begin a transaction");
    if (s) s = lockEpoch();
    if (s) s = appendInTransaction(batch);
    if (s) s = blocks_.flush();
    if (s) s = bumpEpoch();
    if (s) s = conn_.exec("COMMIT", "cannot commit");
    if (!s) {
      transient_ = conn_.lastErrorTransient();
      if (conn_.connected()) (void)conn_.exec("ROLLBACK", "rollback");
      forgetAll();  // ids, open blocks and partitions cached in the rolled-back transaction are gone
    }
    return s;
  }

  bool lastFailureTransient() const override { return transient_; }
  std::uint64_t samplesNotReplaced() const override { return writer_.notReplaced(); }

  Result<std::vector<HistorySample>> range(const std::string& entityId, const std::string& attribute,
                                           TimePoint t0, TimePoint t1, std::size_t maxRows) override {
    std::vector<HistorySample> out;
    if (t1 < t0 || maxRows == 0) return out;
    // No read transaction: the samples come from one statement (blocks and staged samples together), which sees
    // one commit by itself; the id lookups before it read what never changes (a series not there yet reads empty).
    if (Status s = reconnectIfLost(); !s) return s;
    auto series = findSeries(entityId, attribute);
    if (!series) return series.status();
    if (*series < 0) return out;
    return history_blocks::readRange(blocks_, *series, entityId, attribute, t0, t1, maxRows, points_);
  }

  Result<HistorySummary> summary(const std::string& entityId, const std::string& attribute, TimePoint t0,
                                 TimePoint t1, std::size_t maxPoints) override {
    if (t1 < t0 || maxPoints == 0) return HistorySummary{};
    ReadSnapshot snapshot(*this);
    if (!snapshot.status) return snapshot.status;
    auto series = findSeries(entityId, attribute);
    if (!series) return series.status();
    if (*series < 0) return HistorySummary{};
    return history_blocks::readSummary(blocks_, *series, t0, t1, maxPoints);
  }

  // Playback's window of every series: where summary() reads the raw level — a window under a minute a point and
  // a raw block of the series reaching its start — the raw points of all of them together (Blocks::rawWindows);
  // the others (a window only rollups still hold, a series starting inside it) by readSummary, one by one, in the
  // same snapshot. `visit` runs inside the read transaction: it must not use this store.
  Status summaries(std::span<const HistorySeries> list, TimePoint t0, TimePoint t1, std::size_t maxPoints,
                   const SummaryVisitor& visit) override {
    if (t1 < t0 || maxPoints == 0 || buckets::chartWidth(t0, t1, maxPoints) >= kHistoryMinute) {
      return HistoryStore::summaries(list, t0, t1, maxPoints, visit);
    }
    ReadSnapshot snapshot(*this);
    if (!snapshot.status) return snapshot.status;
    if (Status s = cacheSeriesIds(list); !s) return s;
    std::vector<std::int64_t> ids;
    ids.reserve(list.size());
    for (const HistorySeries& one : list) {
      auto id = findSeries(one.entityId, one.attribute);
      if (!id) return id.status();
      ids.push_back(*id);
    }
    std::unordered_map<std::int64_t, pg_history::Blocks::RawWindow> windows;
    if (Status s = blocks_.rawWindows(ids, t0, t1, windows); !s) return s;
    for (std::size_t i = 0; i < list.size(); ++i) {
      HistorySummary out;
      const auto window = ids[i] < 0 ? windows.end() : windows.find(ids[i]);
      if (window != windows.end() && window->second.staysRaw) {
        std::vector<HistoryBucket> samples;
        samples.reserve(window->second.points.size());
        for (const Point& p : window->second.points) samples.push_back(buckets::rawBucket(p.t, p.v[0]));
        out = buckets::rawSummary(std::move(samples), t0, t1, maxPoints);  // as readSummary at the raw level
      } else if (ids[i] >= 0) {
        auto one = history_blocks::readSummary(blocks_, ids[i], t0, t1, maxPoints);
        if (!one) return one.status();
        out = std::move(*one);
      }
      if (Status v = visit(list[i], std::move(out)); !v) return v;
    }
    return Status::ok();
  }

  Status applyRetention(TimePoint olderThan) override {
    return applyLevelRetention(HistoryCutoffs{olderThan, olderThan, olderThan}).status();
  }

  // Per level: the partitions wholly before the cut-off are dropped (one short transaction each; a raw partition's
  // blocks still open are rolled up first), then the blocks of the partition the cut-off falls in that start before
  // it are deleted or trimmed as in SQLite, in short transactions.
  Result<HistoryRetentionReport> applyLevelRetention(const HistoryCutoffs& cutoffs) override {
    if (Status s = reconnectIfLost(); !s) return s;
    HistoryRetentionReport report;
    const TimePoint cut[history_blocks::kLevels] = {cutoffs.raw, cutoffs.minute, cutoffs.hour};
    for (int level = 0; level < history_blocks::kLevels; ++level) {
      if (cut[level] == kNoCutoff) continue;
      auto old = blocks_.partitionsBefore(level, cut[level]);
      if (!old) return old.status();
      for (const pg_history::Partition& p : *old) {
        if (Status s = inRetentionTransaction(report, [&] { return dropPartition(level, p, report); }); !s) return s;
      }
      std::vector<history_blocks::BlockKey> keys;
      do {
        keys.clear();
        Status s = inRetentionTransaction(report, [&]() -> Status {
          if (Status l = blocks_.startingBefore(level, cut[level], kRetentionBlocksPerTransaction, keys); !l) return l;
          for (const history_blocks::BlockKey& key : keys) {
            if (Status r = history_blocks::retireBlock(blocks_, writer_, level, key, cut[level], report); !r) return r;
          }
          return Status::ok();
        });
        if (!s) return s;
        report.blocksVisited += keys.size();
      } while (keys.size() == static_cast<std::size_t>(kRetentionBlocksPerTransaction));
    }
    writer_.forget();
    return report;
  }

  Result<std::vector<HistorySeries>> series() override {
    if (Status s = reconnectIfLost(); !s) return s;
    auto r = conn_.run("gt_series",
                       "SELECT e.name, a.name FROM series s JOIN entities e ON e.id = s.entity_id"
                       " JOIN attributes a ON a.id = s.attribute_id"
                       " WHERE EXISTS(SELECT 1 FROM blocks b WHERE b.series_id = s.id) ORDER BY s.id",
                       Params(), "cannot list series");
    if (!r) return r.status();
    std::vector<HistorySeries> out;
    const auto text = [&](int row, int column) {
      return std::string(PQgetvalue(r->get(), row, column),
                         static_cast<std::size_t>(PQgetlength(r->get(), row, column)));
    };
    for (int i = 0; i < PQntuples(r->get()); ++i) out.push_back({text(i, 0), text(i, 1)});
    return out;
  }

 private:
  // A read transaction for the length of one read of several statements: summary() sees one commit of the writer,
  // never half of a block closing.
  struct ReadSnapshot {
    explicit ReadSnapshot(PgHistory& h) : history(h) {
      status = h.reconnectIfLost();
      if (status) status = h.conn_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", "cannot begin a read");
    }
    ~ReadSnapshot() {
      if (status) (void)history.conn_.exec("COMMIT", "cannot end a read");
    }
    PgHistory& history;
    Status status;
  };

  Status configureSession() {
    return conn_.exec("SET lock_timeout = " + std::to_string(std::max(options_.lockTimeoutMs, 1)) +
                          ";SET client_min_messages = warning",
                      "cannot configure the session");
  }

  // A lost connection (the server restarted, a network cut) is connected again before the next call; the caches
  // of the old session go (another connection may have written meanwhile).
  Status reconnectIfLost() {
    if (conn_.connected()) return Status::ok();
    forgetAll();
    if (!conn_.reconnect()) {
      return {ErrorCode::IoError, conn_.where() + ": connection lost: " + PQerrorMessage(conn_.raw())};
    }
    return configureSession();
  }

  // The schema version of the history in the current schema (0: an empty schema), or why it is refused. Reads only.
  Result<int> identify() {
    auto info = conn_.query(
        "SELECT current_schema(), (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'f')),"
        " to_regclass('history_meta') IS NOT NULL",
        "cannot read the catalog");
    if (!info) return info.status();
    if (PQgetisnull(info->get(), 0, 0)) {
      return Status(ErrorCode::IoError, conn_.where() + ": no schema of the search_path exists to hold the history");
    }
    const std::string schema = PQgetvalue(info->get(), 0, 0);
    const long long tables = std::stoll(PQgetvalue(info->get(), 0, 1));
    const bool hasMeta = PQgetvalue(info->get(), 0, 2)[0] == 't';
    if (tables == 0) {
      if (!options_.create) {
        return Status(ErrorCode::NotFound, conn_.where() + ": schema '" + schema + "' holds no history");
      }
      return 0;
    }
    const Status foreign(ErrorCode::ParseError, conn_.where() + ": schema '" + schema +
                                                    "' holds tables, but not a GreenTwin history; left untouched");
    if (!hasMeta) return foreign;
    auto meta = conn_.query("SELECT key::text, value::text FROM history_meta WHERE key IN ('application_id',"
                            " 'schema_version')",
                            "cannot read history_meta");
    if (!meta) return foreign;  // a history_meta of another shape
    long long applicationId = 0;
    long long version = 0;
    for (int i = 0; i < PQntuples(meta->get()); ++i) {
      const std::string key = PQgetvalue(meta->get(), i, 0);
      const long long value = std::stoll(PQgetvalue(meta->get(), i, 1));
      (key == "application_id" ? applicationId : version) = value;
    }
    if (applicationId != kApplicationId) return foreign;
    if (version > kPgHistorySchemaVersion) {
      return Status(ErrorCode::Unsupported, conn_.where() + ": history schema version " + std::to_string(version) +
                                                " is newer than this build reads (" +
                                                std::to_string(kPgHistorySchemaVersion) + ")");
    }
    if (version < 1) {
      return Status(ErrorCode::ParseError, conn_.where() + ": unknown history schema version " +
                                               std::to_string(version));
    }
    return static_cast<int>(version);
  }

  Status create() {
    Status s = conn_.exec("BEGIN", "cannot begin a transaction");
    if (s) s = conn_.exec(kCreateLock, "cannot lock the schema creation");
    if (s) {
      // Again under the lock: another twin may have created it meanwhile (then it is checked as any history).
      auto version = identify();
      if (!version) {
        s = version.status();
      } else if (*version < kPgHistorySchemaVersion) {
        if (*version == 0) s = conn_.exec(kCreateSchema, "cannot create the history schema");
        if (s && *version < 2) s = conn_.exec(kUpgradeTo2, "cannot upgrade the history schema to version 2");
        if (s) s = conn_.exec(kUpgradeTo3, "cannot upgrade the history schema to version 3");
      }
    }
    if (s) s = conn_.exec("COMMIT", "cannot commit the history schema");
    if (!s) {
      (void)conn_.exec("ROLLBACK", "rollback");
      return {s.code(), "cannot create the history: " + s.message()};
    }
    return Status::ok();
  }

  // Inside a write transaction, first: locks the epoch row (other writers wait until this one commits) and, when
  // another connection wrote since this one's last commit, forgets the open blocks the writer caches.
  Status lockEpoch() {
    auto r = conn_.run("gt_lock_epoch", "SELECT value FROM history_meta WHERE key='epoch' FOR UPDATE", Params(),
                       "cannot lock the history epoch");
    if (!r) return r.status();
    if (PQntuples(r->get()) != 1) return {ErrorCode::Internal, conn_.where() + ": history_meta has no epoch"};
    const std::int64_t epoch = pg::readBigEndian(PQgetvalue(r->get(), 0, 0), 8);
    if (!epochKnown_ || epoch != epoch_) {
      writer_.forget();
      blocks_.forget();  // another connection's retention may have dropped partitions this one knew
    }
    blocks_.beginCommit(epoch);
    return Status::ok();
  }

  Status bumpEpoch() {
    auto r = conn_.run("gt_bump_epoch", "UPDATE history_meta SET value = value + 1 WHERE key='epoch' RETURNING value",
                       Params(), "cannot bump the history epoch");
    if (!r) return r.status();
    epoch_ = pg::readBigEndian(PQgetvalue(r->get(), 0, 0), 8);
    epochKnown_ = true;
    return Status::ok();
  }

  template <typename Work>
  Status inRetentionTransaction(HistoryRetentionReport& report, Work work) {
    Status s = conn_.exec("BEGIN", "cannot begin retention");
    if (s) s = lockEpoch();
    if (s) s = blocks_.foldStaged();  // retention sees whole blocks
    if (s) s = work();
    if (s) s = blocks_.flush();
    if (s) s = bumpEpoch();
    if (s) s = conn_.exec("COMMIT", "cannot commit retention");
    if (!s) {
      if (conn_.connected()) (void)conn_.exec("ROLLBACK", "rollback");
      forgetAll();
      return s;
    }
    ++report.transactions;
    return Status::ok();
  }

  Status dropPartition(int level, const pg_history::Partition& p, HistoryRetentionReport& report) {
    if (level == 0) {
      // Open raw blocks (a series that stopped writing) go into the rollups before their samples go.
      auto open = blocks_.openBlocksIn(p);
      if (!open) return open.status();
      for (const history_blocks::BlockKey& key : *open) {
        auto block = blocks_.get(key.series, 0, key.tFirst);
        if (!block) return block.status();
        if (!*block) continue;
        if (Status s = writer_.closeBeforeRetention(key.series, **block); !s) return s;
      }
    }
    auto dropped = blocks_.drop(p);
    if (!dropped) return dropped.status();
    report.blocksVisited += static_cast<std::uint64_t>(*dropped);
    report.blocksDeleted += static_cast<std::uint64_t>(*dropped);
    ++report.partitionsDropped;
    return Status::ok();
  }

  void forgetAll() {
    entityIds_.clear();
    attributeIds_.clear();
    stepByAttribute_.clear();
    seriesIds_.clear();
    writer_.forget();
    blocks_.forget();
    epochKnown_ = false;
  }

  // A name's id, or -1 when it is not stored. Only found ids are cached.
  Result<std::int64_t> nameId(bool entity, const std::string& name) {
    auto& cache = entity ? entityIds_ : attributeIds_;
    if (auto it = cache.find(name); it != cache.end()) return it->second;
    const std::span<const std::uint8_t> bytes(reinterpret_cast<const std::uint8_t*>(name.data()), name.size());
    auto r = conn_.run(entity ? "gt_find_entity" : "gt_find_attribute",
                       entity ? "SELECT id FROM entities WHERE name=$1::bytea"
                              : "SELECT id FROM attributes WHERE name=$1::bytea",
                       Params().bytes(bytes), "id lookup failed");
    if (!r) return r.status();
    if (PQntuples(r->get()) == 0) return std::int64_t{-1};
    const std::int64_t id = pg::readBigEndian(PQgetvalue(r->get(), 0, 0), 8);
    cache.emplace(name, id);
    return id;
  }

  // A stored series' id, or -1. Only found ids are cached.
  Result<std::int64_t> seriesId(std::int64_t entity, std::int64_t attribute) {
    const auto key = std::pair{entity, attribute};
    if (auto it = seriesIds_.find(key); it != seriesIds_.end()) return it->second;
    auto r = conn_.run("gt_find_series", "SELECT id FROM series WHERE entity_id=$1::int8 AND attribute_id=$2::int8",
                       Params().int8(entity).int8(attribute), "series lookup failed");
    if (!r) return r.status();
    if (PQntuples(r->get()) == 0) return std::int64_t{-1};
    const std::int64_t id = pg::readBigEndian(PQgetvalue(r->get(), 0, 0), 8);
    seriesIds_.emplace(key, id);
    return id;
  }

  // The ids of every stored series in one statement, when more than a few of `list` are not cached yet (a wall
  // node's first playback window would look each up: three round trips a series).
  Status cacheSeriesIds(std::span<const HistorySeries> list) {
    std::size_t missing = 0;
    for (const HistorySeries& one : list) {
      const auto e = entityIds_.find(one.entityId);
      const auto a = attributeIds_.find(one.attribute);
      if (e == entityIds_.end() || a == attributeIds_.end() || !seriesIds_.contains({e->second, a->second})) {
        if (++missing > 16) break;
      }
    }
    if (missing <= 16) return Status::ok();
    auto r = conn_.run("gt_all_series",
                       "SELECT s.id, s.entity_id, s.attribute_id, e.name, a.name FROM series s"
                       " JOIN entities e ON e.id = s.entity_id JOIN attributes a ON a.id = s.attribute_id",
                       Params(), "cannot list series");
    if (!r) return r.status();
    const auto text = [&](int row, int column) {
      return std::string(PQgetvalue(r->get(), row, column),
                         static_cast<std::size_t>(PQgetlength(r->get(), row, column)));
    };
    for (int row = 0; row < PQntuples(r->get()); ++row) {
      const std::int64_t entity = pg::readBigEndian(PQgetvalue(r->get(), row, 1), 8);
      const std::int64_t attribute = pg::readBigEndian(PQgetvalue(r->get(), row, 2), 8);
      entityIds_.emplace(text(row, 3), entity);
      attributeIds_.emplace(text(row, 4), attribute);
      seriesIds_.emplace(std::pair{entity, attribute}, pg::readBigEndian(PQgetvalue(r->get(), row, 0), 8));
    }
    return Status::ok();
  }

  // The series' id, or -1 when the entity, the attribute or the series is not stored.
  Result<std::int64_t> findSeries(const std::string& entityId, const std::string& attribute) {
    auto e = nameId(true, entityId);
    if (!e) return e.status();
    auto a = nameId(false, attribute);
    if (!a) return a.status();
    if (*e < 0 || *a < 0) return std::int64_t{-1};
    return seriesId(*e, *a);
  }

  // The declared resolution of an attribute (its id here, its name), 0 when it has none.
  double stepOf(std::int64_t attributeId, const std::string& name) {
    if (resolutions_.empty()) return 0;
    if (auto it = stepByAttribute_.find(attributeId); it != stepByAttribute_.end()) return it->second;
    const auto declared = resolutions_.find(name);
    const double step = declared != resolutions_.end() && isQuantisingStep(declared->second) ? declared->second : 0;
    stepByAttribute_.emplace(attributeId, step);
    return step;
  }

  // As the SQLite store: the batch grouped by series in time order (stable: of equal times the first one in the
  // batch is kept, the others counted as not replacing it), each series written by the SeriesWriter.
  Status appendInTransaction(std::span<const HistorySample> batch) {
    if (Status s = internBatchNames(batch); !s) return s;
    rows_.clear();
    rows_.reserve(batch.size());
    // Series new to this connection are interned together after this pass (their rows wait with id -1).
    std::vector<std::pair<std::int64_t, std::int64_t>> added;
    std::unordered_set<std::pair<std::int64_t, std::int64_t>, PairHash> seenAdded;
    std::vector<std::pair<std::size_t, std::pair<std::int64_t, std::int64_t>>> waiting;  // (row, its series' key)
    for (const HistorySample& h : batch) {
      const std::int64_t attribute = attributeIds_.at(h.attribute);  // (interned above)
      const std::pair key{entityIds_.at(h.entityId), attribute};
      std::int64_t series = -1;
      if (auto it = seriesIds_.find(key); it != seriesIds_.end()) {
        series = it->second;
      } else {
        if (seenAdded.insert(key).second) added.push_back(key);
        waiting.emplace_back(rows_.size(), key);
      }
      rows_.push_back({series, {h.time, h.value}, stepOf(attribute, h.attribute)});
    }
    if (Status s = internSeries(added); !s) return s;
    for (const auto& [row, key] : waiting) rows_[row].series = seriesIds_.at(key);
    std::stable_sort(rows_.begin(), rows_.end(), [](const Row& x, const Row& y) {
      return std::tie(x.series, x.sample.t) < std::tie(y.series, y.sample.t);
    });
    // The writer's state of the series it has not cached, read in one go (SeriesWriter::prepare).
    seriesOfBatch_.clear();
    for (const Row& r : rows_) {
      if (seriesOfBatch_.empty() || seriesOfBatch_.back() != r.series) seriesOfBatch_.push_back(r.series);
    }
    if (Status s = writer_.prepare(seriesOfBatch_); !s) return s;
    std::size_t i = 0;
    while (i < rows_.size()) {
      values_.clear();
      const std::int64_t series = rows_[i].series;
      for (; i < rows_.size() && rows_[i].series == series; ++i) {
        if (!values_.empty() && values_.back().t == rows_[i].sample.t) {
          writer_.countNotReplaced(1);
        } else {
          values_.push_back(rows_[i].sample);
        }
      }
      if (Status s = writer_.write(series, values_, rows_[i - 1].step); !s) return s;
    }
    return Status::ok();
  }

  // The batch's entities and attributes not known to this connection yet, interned by one statement each (per
  // chunk). With internSeries() and SeriesWriter::prepare(): a first write of a city's series took five round trips
  // per series (a quarter of the paced benchmark's time; minutes for the soak's 380,000 series), now a few in all.
  Status internBatchNames(std::span<const HistorySample> batch) {
    std::vector<std::string_view> entities;
    std::vector<std::string_view> attributes;
    std::unordered_set<std::string_view> seenEntities;
    std::unordered_set<std::string_view> seenAttributes;
    for (const HistorySample& h : batch) {
      if (h.entityId.size() > 65536 || h.attribute.size() > 65536) {
        return {ErrorCode::InvalidArgument, conn_.where() + ": entity id or attribute name longer than 64 KiB"};
      }
      if (!entityIds_.contains(h.entityId) && seenEntities.insert(h.entityId).second) entities.push_back(h.entityId);
      if (!attributeIds_.contains(h.attribute) && seenAttributes.insert(h.attribute).second) {
        attributes.push_back(h.attribute);
      }
    }
    if (Status s = internNames(true, entities); !s) return s;
    return internNames(false, attributes);
  }

  // Interns names in chunks of kInternChunk, in the order given (ids follow it), into the cache.
  Status internNames(bool entity, std::span<const std::string_view> names) {
    static const std::string internEntities =
        "WITH input AS (SELECT n, i FROM unnest($1::bytea[]) WITH ORDINALITY AS u(n, i)), added AS (INSERT INTO"
        " entities(name) SELECT n FROM input ORDER BY i ON CONFLICT (name) DO NOTHING RETURNING id, name)"
        " SELECT id, name FROM added UNION ALL SELECT t.id, t.name FROM entities t JOIN input ON t.name = input.n";
    static const std::string internAttributes =
        "WITH input AS (SELECT n, i FROM unnest($1::bytea[]) WITH ORDINALITY AS u(n, i)), added AS (INSERT INTO"
        " attributes(name) SELECT n FROM input ORDER BY i ON CONFLICT (name) DO NOTHING RETURNING id, name)"
        " SELECT id, name FROM added UNION ALL SELECT t.id, t.name FROM attributes t JOIN input ON t.name = input.n";
    auto& cache = entity ? entityIds_ : attributeIds_;
    for (std::size_t first = 0; first < names.size();) {
      pg::ArrayBuilder array(pg::kByteaOid);
      std::size_t bytes = 0;
      std::size_t end = first;
      for (; end < names.size() && end - first < kInternChunk && bytes < kInternChunkBytes; ++end) {
        array.bytes({reinterpret_cast<const std::uint8_t*>(names[end].data()), names[end].size()});
        bytes += names[end].size();
      }
      auto r = conn_.run(entity ? "gt_intern_entities" : "gt_intern_attributes",
                         entity ? internEntities.c_str() : internAttributes.c_str(), Params().raw(array.finish()),
                         "cannot intern names");
      if (!r) return r.status();
      for (int row = 0; row < PQntuples(r->get()); ++row) {
        cache.emplace(std::string(PQgetvalue(r->get(), row, 1), static_cast<std::size_t>(PQgetlength(r->get(), row, 1))),
                      pg::readBigEndian(PQgetvalue(r->get(), row, 0), 8));
      }
      for (std::size_t i = first; i < end; ++i) {
        if (!cache.contains(std::string(names[i]))) {
          return {ErrorCode::Internal, conn_.where() + ": interned '" + std::string(names[i]) + "' not found"};
        }
      }
      first = end;
    }
    return Status::ok();
  }

  // Interns (entity, attribute) pairs as series in chunks of kInternChunk, in the order given, into the cache.
  Status internSeries(std::span<const std::pair<std::int64_t, std::int64_t>> pairs) {
    static const char* const sql =
        "WITH input AS (SELECT e, a, i FROM unnest($1::int8[], $2::int8[]) WITH ORDINALITY AS u(e, a, i)),"
        " added AS (INSERT INTO series(entity_id, attribute_id, rolled_until) SELECT e, a, $3::int8 FROM input"
        " ORDER BY i ON CONFLICT (entity_id, attribute_id) DO NOTHING RETURNING id, entity_id, attribute_id)"
        " SELECT id, entity_id, attribute_id FROM added UNION ALL SELECT s.id, s.entity_id, s.attribute_id"
        " FROM series s JOIN input ON s.entity_id = input.e AND s.attribute_id = input.a";
    for (std::size_t first = 0; first < pairs.size(); first += kInternChunk) {
      const std::size_t end = std::min(pairs.size(), first + kInternChunk);
      pg::ArrayBuilder entities(pg::kInt8Oid);
      pg::ArrayBuilder attributes(pg::kInt8Oid);
      for (std::size_t i = first; i < end; ++i) {
        entities.integer(pairs[i].first, 8);
        attributes.integer(pairs[i].second, 8);
      }
      // rolled_until: nothing rolled up yet.
      auto r = conn_.run("gt_intern_series_batch", sql,
                         Params().raw(entities.finish()).raw(attributes.finish()).int8(
                             std::numeric_limits<std::int64_t>::min()),
                         "cannot add series");
      if (!r) return r.status();
      for (int row = 0; row < PQntuples(r->get()); ++row) {
        seriesIds_.emplace(std::pair{pg::readBigEndian(PQgetvalue(r->get(), row, 1), 8),
                                     pg::readBigEndian(PQgetvalue(r->get(), row, 2), 8)},
                           pg::readBigEndian(PQgetvalue(r->get(), row, 0), 8));
      }
      for (std::size_t i = first; i < end; ++i) {
        if (!seriesIds_.contains(pairs[i])) return {ErrorCode::Internal, conn_.where() + ": an added series not found"};
      }
    }
    return Status::ok();
  }

  struct Row {
    std::int64_t series;
    TimedValue sample;
    double step;  // the attribute's declared resolution (0: lossless)
  };
  struct PairHash {
    std::size_t operator()(const std::pair<std::int64_t, std::int64_t>& p) const {
      return std::hash<std::int64_t>()(p.first * 1'000'003 + p.second);
    }
  };

  PgHistoryOptions options_;
  std::unordered_map<std::string, double> resolutions_;       // attribute name -> step (options)
  std::unordered_map<std::int64_t, double> stepByAttribute_;  // the same by the database's attribute id (cache)
  pg::Connection conn_;
  pg_history::Blocks blocks_;
  history_blocks::SeriesWriter writer_;
  std::unordered_map<std::string, std::int64_t> entityIds_;
  std::unordered_map<std::string, std::int64_t> attributeIds_;
  std::unordered_map<std::pair<std::int64_t, std::int64_t>, std::int64_t, PairHash> seriesIds_;
  std::int64_t epoch_ = 0;
  bool epochKnown_ = false;
  bool transient_ = false;          // the last failed append() may succeed when tried again
  std::vector<Row> rows_;           // append(): the batch by series, sorted (reused: its capacity stays)
  std::vector<std::int64_t> seriesOfBatch_;  // append(): its series, once each (reused)
  std::vector<TimedValue> values_;  // append(): one series' samples
  std::vector<Point> points_;       // reads: decoded points (reused)
};

}  // namespace

std::string describePgHistory(const std::string& conninfo) { return pg::describe(nullptr, conninfo); }

Result<std::unique_ptr<HistoryStore>> openPgHistory(const std::string& conninfo, PgHistoryOptions options) {
  auto store = std::make_unique<PgHistory>(options);
  if (Status s = store->open(conninfo); !s) return s;
  return std::unique_ptr<HistoryStore>(std::move(store));
}

}  // namespace gt::connectors
