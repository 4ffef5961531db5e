// The alerts table of the history database (alert_store.hpp): created in a history file, versioned in
// schema_parts (newer refused, unknown a parse error), events appended and read back by time range, retention,
// files that are not a GreenTwin history refused; the samples store still opens a file with the alerts table.
#include "greentwin/connectors/alert_store.hpp"

#include <gtest/gtest.h>

#include "../support/test_folder.hpp"
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/connectors/history_store.hpp"
#include "history_backend.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;

AlertEvent event(TimePoint t, AlertEventKind kind, const std::string& key, AlertSeverity severity = AlertSeverity::Warning) {
  AlertEvent e;
  e.timeUs = t;
  e.kind = kind;
  e.source = "energy";
  e.key = key;
  e.severity = severity;
  e.entityId = "sub-12";
  e.messageZh = "变电站过载";
  e.messageEn = "Substation overload";
  e.raisedUs = 100;
  e.loggedUs = 7;
  return e;
}

// Runs one SQL statement on the file directly (what another build, or another application, would have written).
void execSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* error = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
  EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "");
  sqlite3_free(error);
  sqlite3_close(db);
}

class AlertStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::make_unique<gt::testing::TestFolder>("gt_alert_store");
    dir_ = folder_->dir();
    path_ = folder_->file("history.sqlite");
  }
  void TearDown() override { folder_.reset(); }
  void createHistory() {
    auto store = openSqliteHistory(path_);
    ASSERT_TRUE(store) << store.status().message();
  }
  std::unique_ptr<AlertStore> open() {
    auto store = openSqliteAlertStore(path_);
    EXPECT_TRUE(store) << store.status().message();
    return store ? std::move(*store) : nullptr;
  }

  std::unique_ptr<gt::testing::TestFolder> folder_;
  fs::path dir_;
  std::string path_;
};

TEST_F(AlertStoreTest, EventsRoundTripInTimeThenAppendOrder) {
  createHistory();
  auto store = open();
  ASSERT_NE(store, nullptr);
  const std::vector<AlertEvent> first = {event(300, AlertEventKind::Clear, "a"), event(100, AlertEventKind::Raise, "a")};
  ASSERT_TRUE(store->append(first));
  std::vector<AlertEvent> second = {event(200, AlertEventKind::Update, "a", AlertSeverity::Critical),
                                    event(300, AlertEventKind::Acknowledge, "a", AlertSeverity::Info)};
  second[1].entityId.clear();
  ASSERT_TRUE(store->append(second));
  ASSERT_TRUE(store->append({}));

  auto all = store->range(0, 1000, 100);
  ASSERT_TRUE(all) << all.status().message();
  // By time; the two events at 300 in the order they were appended (the clear first).
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0], first[1]);
  EXPECT_EQ((*all)[1], second[0]);
  EXPECT_EQ((*all)[2], first[0]);
  EXPECT_EQ((*all)[3], second[1]);

  auto middle = store->range(200, 300, 100);  // both ends included
  ASSERT_TRUE(middle);
  EXPECT_EQ(middle->size(), 3u);
  auto limited = store->range(0, 1000, 2);
  ASSERT_TRUE(limited);
  ASSERT_EQ(limited->size(), 2u);
  EXPECT_EQ((*limited)[1], second[0]);
  EXPECT_TRUE(store->range(300, 200, 100)->empty());
  EXPECT_TRUE(store->range(0, 1000, 0)->empty());

  // A second connection (the reader beside the writer) sees the committed events.
  auto reader = open();
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->range(0, 1000, 100)->size(), 4u);
}

TEST_F(AlertStoreTest, RetentionDeletesOlderEvents) {
  createHistory();
  auto store = open();
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->append(std::vector<AlertEvent>{event(100, AlertEventKind::Raise, "a"),
                                                    event(200, AlertEventKind::Clear, "a"),
                                                    event(300, AlertEventKind::Raise, "b")}));
  ASSERT_TRUE(store->applyRetention(200));  // strictly older than 200
  auto left = store->range(0, 1000, 100);
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 2u);
  EXPECT_EQ((*left)[0].timeUs, 200);
}

TEST_F(AlertStoreTest, TheTableIsVersionedInSchemaPartsAndTheSamplesStoreStillOpens) {
  createHistory();
  ASSERT_NE(open(), nullptr);
  ASSERT_NE(open(), nullptr);  // opening again finds the table
  auto history = openSqliteHistory(path_);  // user_version unchanged: the samples store opens the file
  EXPECT_TRUE(history) << history.status().message();

  execSql(path_, "UPDATE schema_parts SET version=2 WHERE part='alerts'");
  auto newer = openSqliteAlertStore(path_);
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.status().code(), ErrorCode::Unsupported);
  EXPECT_NE(newer.status().message().find("alerts table version 2 is newer than this build reads (1)"),
            std::string::npos)
      << newer.status().message();

  execSql(path_, "UPDATE schema_parts SET version=-1 WHERE part='alerts'");
  auto unknown = openSqliteAlertStore(path_);
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().code(), ErrorCode::ParseError);
}

TEST_F(AlertStoreTest, FilesThatAreNotAGreenTwinHistoryAreRefused) {
  auto missing = openSqliteAlertStore(path_);  // never created here
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::IoError);
  EXPECT_NE(missing.status().message().find(path_), std::string::npos);
  EXPECT_FALSE(fs::exists(path_));

  execSql(path_, "CREATE TABLE other(x INTEGER)");  // another application's database
  auto other = openSqliteAlertStore(path_);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.status().code(), ErrorCode::ParseError);
  EXPECT_NE(other.status().message().find("not a GreenTwin history database"), std::string::npos);
}


// What both backends do (the SQLite file, and a PostgreSQL history's schema through the pghistory fixture): the
// same events back in time then append order, retention, the version in schema_parts, a place that is not a
// GreenTwin history refused.
class AlertStoreBackendTest : public testing::HistoryBackendTest {
 protected:
  Result<std::unique_ptr<AlertStore>> tryOpenAlerts(const std::string& name) {
    return postgres() ? openPgAlertStore(location(name)) : openSqliteAlertStore(location(name));
  }
  std::unique_ptr<AlertStore> openAlerts(const std::string& name) {
    auto r = tryOpenAlerts(name);
    EXPECT_TRUE(r) << r.status().message();
    return r ? std::move(*r) : nullptr;
  }
  // What another build would have written: the alerts version set directly.
  void setVersion(const std::string& name, int version) {
    const std::string sql = "UPDATE schema_parts SET version=" + std::to_string(version) + " WHERE part='alerts'";
    if (postgres()) {
      ASSERT_EQ(testing::pgExec(location(name), sql), "");
    } else {
      execSql(location(name), sql);
    }
  }
};
INSTANTIATE_TEST_SUITE_P(Backends, AlertStoreBackendTest,
                         ::testing::Values(testing::HistoryBackend::Sqlite, testing::HistoryBackend::Postgres),
                         testing::backendName);

TEST_P(AlertStoreBackendTest, EventsRoundTripInTimeThenAppendOrder) {
  ASSERT_NE(open("h"), nullptr);  // the history (file or schema)
  auto store = openAlerts("h");
  ASSERT_NE(store, nullptr);
  const std::vector<AlertEvent> first = {event(300, AlertEventKind::Clear, "a"), event(100, AlertEventKind::Raise, "a")};
  ASSERT_TRUE(store->append(first));
  std::vector<AlertEvent> second = {event(200, AlertEventKind::Update, "a", AlertSeverity::Critical),
                                    event(300, AlertEventKind::Acknowledge, "a", AlertSeverity::Info)};
  second[1].entityId.clear();
  second[1].key = std::string("b\0\xff", 3);  // any bytes
  ASSERT_TRUE(store->append(second));
  ASSERT_TRUE(store->append({}));
  auto all = store->range(0, 1000, 100);
  ASSERT_TRUE(all) << all.status().message();
  ASSERT_EQ(all->size(), 4u);
  EXPECT_EQ((*all)[0], first[1]);
  EXPECT_EQ((*all)[1], second[0]);
  EXPECT_EQ((*all)[2], first[0]);
  EXPECT_EQ((*all)[3], second[1]);
  auto limited = store->range(0, 1000, 2);
  ASSERT_TRUE(limited);
  ASSERT_EQ(limited->size(), 2u);
  EXPECT_EQ((*limited)[1], second[0]);
  EXPECT_EQ(store->range(200, 300, 100)->size(), 3u);
  EXPECT_TRUE(store->range(300, 200, 100)->empty());
  auto reader = openAlerts("h");  // a second connection sees the committed events
  ASSERT_NE(reader, nullptr);
  EXPECT_EQ(reader->range(0, 1000, 100)->size(), 4u);

  ASSERT_TRUE(store->applyRetention(200));  // strictly older than 200
  auto left = reader->range(0, 1000, 100);
  ASSERT_TRUE(left);
  ASSERT_EQ(left->size(), 3u);
  EXPECT_EQ((*left)[0].timeUs, 200);
}

TEST_P(AlertStoreBackendTest, TheTableIsVersionedAndOnlyWrittenBesideAHistory) {
  ASSERT_NE(open("h"), nullptr);
  ASSERT_NE(openAlerts("h"), nullptr);
  ASSERT_NE(openAlerts("h"), nullptr);  // opening again finds the table
  EXPECT_NE(open("h"), nullptr);        // the samples store still opens it
  setVersion("h", kAlertTableVersion + 1);
  auto newer = tryOpenAlerts("h");
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.status().code(), ErrorCode::Unsupported);
  EXPECT_NE(newer.status().message().find("newer than this build reads"), std::string::npos);
  setVersion("h", -1);
  auto unknown = tryOpenAlerts("h");
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.status().code(), ErrorCode::ParseError);

  if (postgres()) {
    (void)location("other");  // an empty schema: no history there
    auto other = tryOpenAlerts("other");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.status().code(), ErrorCode::ParseError);
    EXPECT_EQ(testing::pgRows(conninfo_, "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schemaOf("other") + "'"),
              std::vector<std::string>{"0"});
  } else {
    execSql(location("other"), "CREATE TABLE other(x INTEGER)");
    auto other = tryOpenAlerts("other");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.status().code(), ErrorCode::ParseError);
  }
}

}  // namespace
}  // namespace gt::connectors
