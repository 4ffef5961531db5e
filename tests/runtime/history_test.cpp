// The twin's history part (runtime/src/history.cpp) on the PostgreSQL store: [history] store = "postgresql" makes
// it open the database at `url` for its writer and its playback reader (docs/history.md "PostgreSQL"), naming the
// database (never the password) in its status; a database it cannot reach is an error kept for the status bar.
// Against the throwaway server of tests/connectors/pg_fixture.sh.
#include "../../runtime/src/history.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "../connectors/history_backend.hpp"
#include "greentwin/connectors/pg_history.hpp"
#include "greentwin/runtime/alert_log.hpp"

namespace gt::runtime {
namespace {

TEST(HistoryPostgresql, StartOpensTheDatabaseOfTheUrl) {
  const std::string conninfo = connectors::testing::pgConninfo();
  ASSERT_FALSE(conninfo.empty()) << "no PostgreSQL server (run through ctest: the pghistory fixture starts one)";
  const std::string schema = "gt_runtime_" + std::to_string(::getpid());
  ASSERT_EQ(connectors::testing::pgExec(conninfo, "CREATE SCHEMA " + schema), "");
  {
    connectors::HistoryConfig config;
    config.store = connectors::HistoryBackendKind::Postgresql;
    config.url = conninfo + " password=not-shown options='-c search_path=" + schema + "'";
    EntityDirectory directory;
    History history;
    history.start(config, "", directory);
    EXPECT_TRUE(history.enabled());
    const History::Status s = history.status();
    EXPECT_TRUE(s.enabled);
    EXPECT_TRUE(s.status.isOk()) << s.status.toString();
    EXPECT_NE(s.path.find("PostgreSQL history 'greentwin_history'"), std::string::npos) << s.path;
    EXPECT_EQ(s.path.find("not-shown"), std::string::npos) << s.path;
  }
  // The writer's store created the history in the schema of the url.
  EXPECT_EQ(connectors::testing::pgRows(conninfo, "SELECT value FROM " + schema +
                                                      ".history_meta WHERE key = 'schema_version'"),
            std::vector<std::string>{std::to_string(connectors::kPgHistorySchemaVersion)});
  (void)connectors::testing::pgExec(conninfo, "DROP SCHEMA " + schema + " CASCADE");
}

// [history] store = "postgresql": the alert log writes its events to the alerts table beside the history's samples
// (connectors/src/pg_alert_store.cpp) instead of keeping them in memory, and a restarted log reads them back.
TEST(HistoryPostgresql, TheAlertLogKeepsItsEventsInTheDatabase) {
  const std::string conninfo = connectors::testing::pgConninfo();
  ASSERT_FALSE(conninfo.empty()) << "no PostgreSQL server (run through ctest: the pghistory fixture starts one)";
  const std::string schema = "gt_runtime_alerts_" + std::to_string(::getpid());
  ASSERT_EQ(connectors::testing::pgExec(conninfo, "CREATE SCHEMA " + schema), "");
  const std::string url = conninfo + " options='-c search_path=" + schema + "'";
  ASSERT_TRUE(connectors::openPgHistory(url));  // the history's samples store creates the schema first
  const TimePoint t0 = 1'784'080'800LL * kMicrosPerSecond;
  const AlertLog::PersistenceOptions options{std::chrono::milliseconds(10), 0};
  {
    AlertLog log;
    ASSERT_TRUE(log.openPgHistory(url, options));
    AlertRaise raise;
    raise.source = "energy";
    raise.key = "overload/sub-12";
    raise.severity = AlertSeverity::Critical;
    raise.entityId = "sub-12";
    raise.messageZh = "变电站过载";
    raise.messageEn = "Substation overload";
    raise.timeUs = t0;
    ASSERT_TRUE(log.raise(raise));
    log.apply();
    ASSERT_TRUE(log.clear("energy", raise.key, t0 + 60 * kMicrosPerSecond));
    log.apply();
    log.flushHistory();
    EXPECT_TRUE(log.persistenceStatus().enabled);
    EXPECT_EQ(log.persistenceStatus().written, 2u);
  }
  EXPECT_EQ(connectors::testing::pgRows(conninfo, "SELECT count(*) FROM " + schema + ".alerts"),
            std::vector<std::string>{"2"});
  AlertLog again;
  ASSERT_TRUE(again.openPgHistory(url, options));
  auto events = again.events(t0, t0 + 60 * kMicrosPerSecond);
  ASSERT_TRUE(events) << events.status().message();
  ASSERT_EQ(events->size(), 2u);
  EXPECT_EQ((*events)[0].kind, AlertEventKind::Raise);
  EXPECT_EQ((*events)[0].messageZh, "变电站过载");
  EXPECT_EQ((*events)[1].kind, AlertEventKind::Clear);
  (void)connectors::testing::pgExec(conninfo, "DROP SCHEMA " + schema + " CASCADE");
}

TEST(HistoryPostgresql, AnUnreachableDatabaseIsAnErrorAndNoHistory) {
  connectors::HistoryConfig config;
  config.store = connectors::HistoryBackendKind::Postgresql;
  config.url = "host=/nonexistent-socket-dir port=1 dbname=gone connect_timeout=2";
  EntityDirectory directory;
  History history;
  history.start(config, "", directory);
  EXPECT_FALSE(history.enabled());
  const History::Status s = history.status();
  EXPECT_EQ(s.status.code(), ErrorCode::IoError) << s.status.toString();
  EXPECT_NE(s.status.message().find("'gone'"), std::string::npos) << s.status.toString();
}

}  // namespace
}  // namespace gt::runtime
