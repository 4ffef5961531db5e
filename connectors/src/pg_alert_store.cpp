// PostgreSQL backend of AlertStore: the `alerts` table beside a PostgreSQL history (pg_history.cpp), in the same
// schema. See alert_store.hpp and docs/alerts.md "History table".
//
// Schema (alerts table version kAlertTableVersion, in schema_parts, as in the SQLite file):
//   schema_parts(part TEXT PRIMARY KEY, version INTEGER)
//   alerts(seq BIGSERIAL PRIMARY KEY, t, kind, source, key, severity, entity_id, message_zh, message_en,
//          raised_us, logged_us)                        the strings as BYTEA (any bytes the twin has, as the
//                                                       history's names)
//   alerts_by_time ON alerts(t, seq)
// Writes take no part in the history's epoch lock: alert events are only appended (and retention deletes by time).

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/connectors/alert_store.hpp"
#include "pg_support.hpp"

namespace gt::connectors {
namespace {

using pg::Params;

constexpr std::int64_t kApplicationId = 0x47544853;  // 'GTHS', history_meta's application_id

std::span<const std::uint8_t> bytesOf(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

class PgAlertStore final : public AlertStore {
 public:
  Status open(const std::string& conninfo) {
    if (Status s = conn_.open(conninfo); !s) return s;
    if (Status s = conn_.exec("SET client_min_messages = warning", "cannot configure the session"); !s) return s;
    Status s = conn_.exec("BEGIN", "cannot begin a transaction");
    if (s) s = ensureTable();
    if (s) s = conn_.exec("COMMIT", "cannot commit the alerts table");
    if (!s) (void)conn_.exec("ROLLBACK", "rollback");
    return s;
  }

  Status append(std::span<const AlertEvent> events) override {
    if (events.empty()) return Status::ok();
    if (Status s = reconnectIfLost(); !s) return s;
    pg::ArrayBuilder t(pg::kInt8Oid), kind(pg::kByteaOid), source(pg::kByteaOid), key(pg::kByteaOid),
        severity(pg::kInt4Oid), entity(pg::kByteaOid), zh(pg::kByteaOid), en(pg::kByteaOid), raised(pg::kInt8Oid),
        logged(pg::kInt8Oid);
    for (const AlertEvent& e : events) {
      t.integer(e.timeUs, 8);
      kind.bytes(bytesOf(toString(e.kind)));
      source.bytes(bytesOf(e.source));
      key.bytes(bytesOf(e.key));
      severity.integer(static_cast<int>(e.severity), 4);
      entity.bytes(bytesOf(e.entityId));
      zh.bytes(bytesOf(e.messageZh));
      en.bytes(bytesOf(e.messageEn));
      raised.integer(e.raisedUs, 8);
      logged.integer(e.loggedUs, 8);
    }
    Params params;
    for (const pg::ArrayBuilder* a : {&t, &kind, &source, &key, &severity, &entity, &zh, &en, &raised, &logged}) {
      params.raw(a->finish());
    }
    // One statement: all or nothing; WITH ORDINALITY keeps the events' order in seq.
    auto r = conn_.run("gt_alerts_insert",
                       "INSERT INTO alerts(t, kind, source, key, severity, entity_id, message_zh, message_en,"
                       " raised_us, logged_us) SELECT a, b, c, d, e, f, g, h, i, j FROM unnest($1::int8[],"
                       " $2::bytea[], $3::bytea[], $4::bytea[], $5::int4[], $6::bytea[], $7::bytea[], $8::bytea[],"
                       " $9::int8[], $10::int8[]) WITH ORDINALITY AS u(a, b, c, d, e, f, g, h, i, j, n) ORDER BY n",
                       params, "cannot insert alert events");
    return r.status();
  }

  Result<std::vector<AlertEvent>> range(TimePoint t0, TimePoint t1, std::size_t maxRows) override {
    std::vector<AlertEvent> out;
    if (t1 < t0 || maxRows == 0) return out;
    if (Status s = reconnectIfLost(); !s) return s;
    const auto limit = static_cast<std::int64_t>(
        std::min<std::uint64_t>(maxRows, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
    auto r = conn_.run("gt_alerts_range",
                       "SELECT t, kind, source, key, severity, entity_id, message_zh, message_en, raised_us,"
                       " logged_us, seq FROM alerts WHERE t>=$1::int8 AND t<=$2::int8 ORDER BY t, seq LIMIT $3::int8",
                       Params().int8(t0).int8(t1).int8(limit), "alerts range query failed");
    if (!r) return r.status();
    const PGresult* res = r->get();
    const auto text = [res](int row, int column) {
      return std::string(PQgetvalue(res, row, column), static_cast<std::size_t>(PQgetlength(res, row, column)));
    };
    const auto int8 = [res](int row, int column) { return pg::readBigEndian(PQgetvalue(res, row, column), 8); };
    for (int i = 0; i < PQntuples(res); ++i) {
      AlertEvent e;
      e.timeUs = int8(i, 0);
      const std::string kindText = text(i, 1);
      const auto k = alertEventKindFromString(kindText);
      const auto sev = static_cast<int>(pg::readBigEndian(PQgetvalue(res, i, 4), 4));
      const auto severity = alertSeverityFromInt(sev);
      if (!k || !severity) {
        return Status{ErrorCode::ParseError, conn_.where() + ": alerts row " + std::to_string(int8(i, 10)) +
                                                 " has an unknown kind '" + kindText + "' or severity " +
                                                 std::to_string(sev)};
      }
      e.kind = *k;
      e.source = text(i, 2);
      e.key = text(i, 3);
      e.severity = *severity;
      e.entityId = text(i, 5);
      e.messageZh = text(i, 6);
      e.messageEn = text(i, 7);
      e.raisedUs = int8(i, 8);
      e.loggedUs = int8(i, 9);
      out.push_back(std::move(e));
    }
    return out;
  }

  Status applyRetention(TimePoint olderThan) override {
    if (Status s = reconnectIfLost(); !s) return s;
    return conn_.run("gt_alerts_retention", "DELETE FROM alerts WHERE t<$1::int8", Params().int8(olderThan),
                     "alerts retention delete failed")
        .status();
  }

 private:
  Status reconnectIfLost() {
    if (conn_.connected()) return Status::ok();
    if (!conn_.reconnect()) return {ErrorCode::IoError, conn_.where() + ": connection lost"};
    return conn_.exec("SET client_min_messages = warning", "cannot configure the session");
  }

  // Inside the open transaction: the schema must hold a GreenTwin history (openPgHistory creates it); the table
  // is created when missing (under the history's creation lock: two twins opening at once create it once), its
  // version checked otherwise.
  Status ensureTable() {
    if (Status s = conn_.exec("SELECT pg_advisory_xact_lock(1196705875)", "cannot lock the schema creation"); !s) {
      return s;
    }
    const Status foreign(ErrorCode::ParseError,
                         conn_.where() + ": not a GreenTwin history (no history_meta marker; no alerts table written)");
    auto hasMeta = conn_.query("SELECT to_regclass('history_meta') IS NOT NULL", "cannot read the catalog");
    if (!hasMeta) return hasMeta.status();
    if (PQgetvalue(hasMeta->get(), 0, 0)[0] != 't') return foreign;
    auto marker = conn_.query("SELECT value::text FROM history_meta WHERE key = 'application_id'",
                              "cannot read history_meta");
    if (!marker || PQntuples(marker->get()) != 1 || std::stoll(PQgetvalue(marker->get(), 0, 0)) != kApplicationId) {
      return foreign;
    }
    if (Status s = conn_.exec("CREATE TABLE IF NOT EXISTS schema_parts(part TEXT PRIMARY KEY, version INTEGER NOT NULL)",
                              "cannot create schema_parts");
        !s) {
      return s;
    }
    auto version = conn_.query("SELECT version FROM schema_parts WHERE part = 'alerts'", "cannot read schema_parts");
    if (!version) return version.status();
    if (PQntuples(version->get()) == 0) {
      return conn_.exec(
          "CREATE TABLE alerts(seq BIGSERIAL PRIMARY KEY, t BIGINT NOT NULL, kind BYTEA NOT NULL,"
          " source BYTEA NOT NULL, key BYTEA NOT NULL, severity INTEGER NOT NULL, entity_id BYTEA NOT NULL,"
          " message_zh BYTEA NOT NULL, message_en BYTEA NOT NULL, raised_us BIGINT NOT NULL,"
          " logged_us BIGINT NOT NULL);"
          "CREATE INDEX alerts_by_time ON alerts(t, seq);"
          "INSERT INTO schema_parts(part, version) VALUES('alerts', " + std::to_string(kAlertTableVersion) + ")",
          "cannot create the alerts table");
    }
    const long long v = std::stoll(PQgetvalue(version->get(), 0, 0));
    if (v > kAlertTableVersion) {
      return {ErrorCode::Unsupported, conn_.where() + ": alerts table version " + std::to_string(v) +
                                          " is newer than this build reads (" + std::to_string(kAlertTableVersion) +
                                          ")"};
    }
    if (v != kAlertTableVersion) {
      return {ErrorCode::ParseError, conn_.where() + ": unknown alerts table version " + std::to_string(v)};
    }
    return Status::ok();
  }

  pg::Connection conn_;
};

}  // namespace

Result<std::unique_ptr<AlertStore>> openPgAlertStore(const std::string& conninfo) {
  auto store = std::make_unique<PgAlertStore>();
  if (Status s = store->open(conninfo); !s) return s;
  return std::unique_ptr<AlertStore>(std::move(store));
}

}  // namespace gt::connectors
