#pragma once
// The history tests that hold for every HistoryStore backend run against each (GoogleTest value-parameterised
// suites over HistoryBackend): SQLite files in a folder of the test's own, and PostgreSQL in a schema of the test's
// own in the throwaway server of tests/connectors/pg_fixture.sh (its connection string in the file named by
// GT_PG_HISTORY_CONN_FILE). No server means the PostgreSQL cases FAIL; they never skip.

#include <libpq-fe.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cctype>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "greentwin/connectors/pg_history.hpp"

namespace gt::connectors::testing {

enum class HistoryBackend { Sqlite, Postgres };

inline std::string backendName(const ::testing::TestParamInfo<HistoryBackend>& info) {
  return info.param == HistoryBackend::Sqlite ? "Sqlite" : "Postgres";
}

// The options both backends share.
struct StoreOptions {
  std::size_t blockPoints = 720;
  std::size_t blockBytes = 768;
  int busyTimeoutMs = 5000;
  bool create = true;
  std::unordered_map<std::string, double> resolutions;
  std::string applicationName;  // PostgreSQL: the connection's application_name (to find its backend)
};

// The fixture's conninfo (GT_PG_HISTORY_CONN=... in the file GT_PG_HISTORY_CONN_FILE names), or "".
inline std::string pgConninfo() {
  const char* file = std::getenv("GT_PG_HISTORY_CONN_FILE");
  if (file == nullptr) return "";
  std::ifstream in(file);
  std::string line;
  const std::string key = "GT_PG_HISTORY_CONN=";
  while (std::getline(in, line)) {
    if (line.rfind(key, 0) == 0) return line.substr(key.size());
  }
  return "";
}

// One statement on its own connection; "" when it worked, else the error.
inline std::string pgExec(const std::string& conninfo, const std::string& sql) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);  // DROP ... CASCADE lists what it drops
  std::string error;
  if (PQstatus(c) != CONNECTION_OK) {
    error = PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    if (PQresultStatus(r) != PGRES_COMMAND_OK && PQresultStatus(r) != PGRES_TUPLES_OK) error = PQerrorMessage(c);
    PQclear(r);
  }
  PQfinish(c);
  return error;
}

// The rows of a query, each row's columns joined by '|' (text), or one row "ERROR: ...".
inline std::vector<std::string> pgRows(const std::string& conninfo, const std::string& sql) {
  PGconn* c = PQconnectdb(conninfo.c_str());
  std::vector<std::string> rows;
  PGresult* r = PQstatus(c) == CONNECTION_OK ? PQexec(c, sql.c_str()) : nullptr;
  if (r == nullptr || PQresultStatus(r) != PGRES_TUPLES_OK) {
    rows.push_back(std::string("ERROR: ") + PQerrorMessage(c));
  } else {
    for (int i = 0; i < PQntuples(r); ++i) {
      std::string row;
      for (int j = 0; j < PQnfields(r); ++j) row += (j > 0 ? "|" : "") + std::string(PQgetvalue(r, i, j));
      rows.push_back(row);
    }
  }
  PQclear(r);
  PQfinish(c);
  return rows;
}

class HistoryBackendTest : public ::testing::TestWithParam<HistoryBackend> {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name = info->name();
    for (char& c : name) {
      if (c == '/') c = '_';
    }
    dir_ = std::filesystem::temp_directory_path() / ("gt_history_" + std::to_string(::getpid()) + "_" + name);
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    if (postgres()) {
      conninfo_ = pgConninfo();
      ASSERT_FALSE(conninfo_.empty()) << "no PostgreSQL server: GT_PG_HISTORY_CONN_FILE is unset or names no "
                                         "GT_PG_HISTORY_CONN (run through ctest: the pghistory fixture starts one)";
      const std::string error = pgExec(conninfo_, "SELECT 1");
      ASSERT_EQ(error, "") << "the fixture's PostgreSQL server does not answer";
    }
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    for (const std::string& schema : schemas_) (void)pgExec(conninfo_, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
  }

  bool postgres() const { return GetParam() == HistoryBackend::Postgres; }

  // Where the store called `name` lives: an SQLite file, or a conninfo whose search_path is a schema of its own
  // (created here, dropped after the test).
  std::string location(const std::string& name) {
    if (!postgres()) return (dir_ / name).string();
    std::string schema = "gt_" + std::to_string(::getpid()) + "_" + std::to_string(schemas_.size()) + "_";
    for (const char c : name) schema += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    schema = schema.substr(0, 60);
    if (!locations_.contains(name)) {
      EXPECT_EQ(pgExec(conninfo_, "CREATE SCHEMA " + schema), "");
      schemas_.push_back(schema);
      locations_[name] = conninfo_ + " options='-c search_path=" + schema + "'";
    }
    return locations_[name];
  }
  // The schema of a PostgreSQL location (for checks through SQL).
  std::string schemaOf(const std::string& name) {
    (void)location(name);
    const std::string& l = locations_[name];
    const auto at = l.find("search_path=");
    return l.substr(at + 12, l.size() - at - 13);
  }

  Result<std::unique_ptr<HistoryStore>> tryOpen(const std::string& name, const StoreOptions& o = {}) {
    const std::string where = location(name);
    if (!postgres()) {
      SqliteHistoryOptions s;
      s.blockPoints = o.blockPoints;
      s.blockBytes = o.blockBytes;
      s.busyTimeoutMs = o.busyTimeoutMs;
      s.create = o.create;
      s.resolutions = o.resolutions;
      return openSqliteHistory(where, s);
    }
    PgHistoryOptions p;
    p.blockPoints = o.blockPoints;
    p.blockBytes = o.blockBytes;
    p.lockTimeoutMs = o.busyTimeoutMs;
    p.create = o.create;
    p.resolutions = o.resolutions;
    const std::string app = o.applicationName.empty() ? "" : " application_name=" + o.applicationName;
    return openPgHistory(where + app, p);
  }

  std::unique_ptr<HistoryStore> open(const std::string& name, const StoreOptions& o = {}) {
    auto r = tryOpen(name, o);
    EXPECT_TRUE(r.isOk()) << r.status().toString();
    return r ? std::move(r).value() : nullptr;
  }
  std::unique_ptr<HistoryStore> open(const std::string& name, std::size_t blockPoints) {
    StoreOptions o;
    o.blockPoints = blockPoints;
    return open(name, o);
  }

  std::filesystem::path dir_;
  std::string conninfo_;
  std::vector<std::string> schemas_;
  std::unordered_map<std::string, std::string> locations_;
};

}  // namespace gt::connectors::testing
