// The twin's history part (runtime/src/history.cpp) on the PostgreSQL store: [history] store = "postgresql" makes
// it open the database at `url` for its writer and its playback reader (docs/history.md "PostgreSQL"), naming the
// database (never the password) in its status; a database it cannot reach is an error kept for the status bar.
// Against the throwaway server of tests/connectors/pg_fixture.sh.
#include "../../runtime/src/history.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <string>

#include "../connectors/history_backend.hpp"

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
            std::vector<std::string>{"1"});
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
