// The alert log (docs/alerts.md): the lifecycle on known sequences (raise, update, escalate, clear, re-raise,
// acknowledge), raises and clears from other threads applied by apply(), the bounds, bad input refused, what is
// logged, and the events kept in memory or written to a temporary history database and read back.
#include "greentwin/runtime/alert_log.hpp"

#include <gtest/gtest.h>

#include "../support/test_folder.hpp"
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/history_store.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;

constexpr TimePoint kT0 = 1'764'000'000LL * kMicrosPerSecond;  // any fixed clock time
constexpr Duration kS = kMicrosPerSecond;

AlertRaise overload(const std::string& key, AlertSeverity severity, TimePoint t, const std::string& en = "overload") {
  AlertRaise r;
  r.source = "energy";
  r.key = key;
  r.severity = severity;
  r.entityId = "sub-12";
  r.messageZh = "变电站过载";
  r.messageEn = en;
  r.timeUs = t;
  return r;
}

// The lines logged while it lives (spdlog's default logger swapped for a ring buffer).
class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256)), previous_(spdlog::default_logger()) {
    auto logger = std::make_shared<spdlog::logger>("alert-test", sink_);
    logger->set_level(spdlog::level::info);
    logger->set_pattern("%l %v");
    spdlog::set_default_logger(logger);
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  LogCapture(const LogCapture&) = delete;
  LogCapture& operator=(const LogCapture&) = delete;
  std::vector<std::string> lines() const {
    std::vector<std::string> out = sink_->last_formatted();
    for (std::string& line : out) {
      while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
    }
    return out;
  }
  std::size_t count(const std::string& part) const {
    std::size_t n = 0;
    for (const std::string& line : lines()) n += line.find(part) != std::string::npos ? 1 : 0;
    return n;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  std::shared_ptr<spdlog::logger> previous_;
};

TEST(AlertLogTest, RaiseIsQueuedUntilApplyThenActiveAndUnacknowledged) {
  AlertLog log;
  ASSERT_TRUE(log.raise(overload("overload/sub-12", AlertSeverity::Warning, kT0)));
  EXPECT_TRUE(log.active().empty());  // queued, not applied
  EXPECT_EQ(log.changes(), 0u);
  EXPECT_EQ(log.apply(), 1u);
  const std::vector<Alert> active = log.active();
  ASSERT_EQ(active.size(), 1u);
  const Alert& a = active[0];
  EXPECT_EQ(a.id, 1u);
  EXPECT_EQ(a.source, "energy");
  EXPECT_EQ(a.key, "overload/sub-12");
  EXPECT_EQ(a.severity, AlertSeverity::Warning);
  EXPECT_EQ(a.entityId, "sub-12");
  EXPECT_EQ(a.messageZh, "变电站过载");
  EXPECT_EQ(a.raisedUs, kT0);
  EXPECT_EQ(a.updatedUs, kT0);
  EXPECT_FALSE(a.clearedUs.has_value());
  EXPECT_FALSE(a.acknowledged);
  EXPECT_EQ(a.occurrences, 1u);
  EXPECT_EQ(log.activeCount(), 1u);
  EXPECT_EQ(log.unacknowledged()[AlertSeverity::Warning], 1u);
  EXPECT_EQ(log.unacknowledged().total(), 1u);
  EXPECT_EQ(log.changes(), 1u);
  EXPECT_EQ(log.apply(), 0u);
}

TEST(AlertLogTest, RaisingTheSameContentsAgainChangesNothing) {
  AlertLog log;
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0)));
  log.apply();
  // A plugin re-raising an unchanged condition every poll: no change, no event.
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0 + 5 * kS)));
  EXPECT_EQ(log.apply(), 1u);
  EXPECT_EQ(log.changes(), 1u);
  EXPECT_EQ(log.find(1)->updatedUs, kT0);
  auto events = log.events(kT0, kT0 + 10 * kS);
  ASSERT_TRUE(events);
  EXPECT_EQ(events->size(), 1u);
}

TEST(AlertLogTest, UpdateInPlaceKeepsIdAndAcknowledgementUnlessEscalated) {
  AlertLog log;
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0, "110%")));
  log.apply();
  ASSERT_TRUE(log.acknowledge(1, kT0 + 1 * kS));
  EXPECT_EQ(log.unacknowledged().total(), 0u);

  // Same severity, new message: updated in place, still acknowledged.
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0 + 2 * kS, "115%")));
  log.apply();
  ASSERT_EQ(log.active().size(), 1u);
  const Alert* a = log.find(1);
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->messageEn, "115%");
  EXPECT_EQ(a->raisedUs, kT0);
  EXPECT_EQ(a->updatedUs, kT0 + 2 * kS);
  EXPECT_TRUE(a->acknowledged);
  // Lower severity: still acknowledged.
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Info, kT0 + 3 * kS, "105%")));
  log.apply();
  EXPECT_EQ(log.find(1)->severity, AlertSeverity::Info);
  EXPECT_TRUE(log.find(1)->acknowledged);
  // Higher severity than now (Info -> Warning): unacknowledged again, counted again.
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0 + 4 * kS, "112%")));
  log.apply();
  EXPECT_FALSE(log.find(1)->acknowledged);
  EXPECT_FALSE(log.find(1)->ackUs.has_value());
  EXPECT_EQ(log.unacknowledged()[AlertSeverity::Warning], 1u);
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Critical, kT0 + 5 * kS, "130%")));
  log.apply();
  EXPECT_EQ(log.unacknowledged()[AlertSeverity::Warning], 0u);
  EXPECT_EQ(log.unacknowledged()[AlertSeverity::Critical], 1u);
  EXPECT_EQ(log.active().size(), 1u);
  EXPECT_EQ(log.find(1)->occurrences, 1u);
}

TEST(AlertLogTest, ClearKeepsItInRecentAndARaiseAfterOpensANewOccurrence) {
  AlertLog log;
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Critical, kT0)));
  log.apply();
  ASSERT_TRUE(log.clear("energy", "k", kT0 + 60 * kS));
  log.apply();
  EXPECT_TRUE(log.active().empty());
  EXPECT_EQ(log.activeCount(), 0u);
  EXPECT_EQ(log.unacknowledged().total(), 0u);  // counts are of active ones
  ASSERT_EQ(log.recent().size(), 1u);
  EXPECT_EQ(log.recent()[0].id, 1u);
  EXPECT_EQ(log.recent()[0].clearedUs, kT0 + 60 * kS);

  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0 + 120 * kS)));
  log.apply();
  const std::vector<Alert> active = log.active();
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].id, 2u);
  EXPECT_EQ(active[0].occurrences, 2u);
  EXPECT_EQ(active[0].raisedUs, kT0 + 120 * kS);
  EXPECT_EQ(log.recent().size(), 1u);  // the first occurrence stays cleared in the recent list
  EXPECT_EQ(log.find(1)->clearedUs, kT0 + 60 * kS);

  // A cleared entry can still be acknowledged.
  ASSERT_TRUE(log.acknowledge(1, kT0 + 130 * kS));
  EXPECT_TRUE(log.find(1)->acknowledged);
}

TEST(AlertLogTest, ClearOfAKeyThatIsNotActiveIsIgnored) {
  AlertLog log;
  ASSERT_TRUE(log.clear("energy", "never-raised", kT0));
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0)));
  ASSERT_TRUE(log.clear("energy", "k", kT0 + kS));
  ASSERT_TRUE(log.clear("energy", "k", kT0 + 2 * kS));  // already cleared
  EXPECT_EQ(log.apply(), 4u);
  ASSERT_EQ(log.recent().size(), 1u);
  EXPECT_EQ(log.recent()[0].clearedUs, kT0 + kS);
  EXPECT_EQ(log.changes(), 2u);  // the raise and the first clear
  // Keys are per source: another plugin's "k" is another alert.
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0)));
  AlertRaise other = overload("k", AlertSeverity::Info, kT0);
  other.source = "traffic";
  ASSERT_TRUE(log.raise(other));
  ASSERT_TRUE(log.clear("traffic", "k", kT0 + kS));
  log.apply();
  ASSERT_EQ(log.active().size(), 1u);
  EXPECT_EQ(log.active()[0].source, "energy");
}

TEST(AlertLogTest, AcknowledgeUnknownIdIsNotFoundAndTwiceChangesNothing) {
  AlertLog log;
  EXPECT_EQ(log.acknowledge(42, kT0).code(), ErrorCode::NotFound);
  ASSERT_TRUE(log.raise(overload("k", AlertSeverity::Warning, kT0)));
  log.apply();
  ASSERT_TRUE(log.acknowledge(1, kT0 + kS));
  const std::uint64_t changes = log.changes();
  ASSERT_TRUE(log.acknowledge(1, kT0 + 2 * kS));
  EXPECT_EQ(log.changes(), changes);
  EXPECT_EQ(log.find(1)->ackUs, kT0 + kS);
}

TEST(AlertLogTest, ActiveAreOrderedBySeverityThenNewestFirst) {
  AlertLog log;
  ASSERT_TRUE(log.raise(overload("a", AlertSeverity::Info, kT0 + 1 * kS)));
  ASSERT_TRUE(log.raise(overload("b", AlertSeverity::Critical, kT0 + 2 * kS)));
  ASSERT_TRUE(log.raise(overload("c", AlertSeverity::Warning, kT0 + 3 * kS)));
  ASSERT_TRUE(log.raise(overload("d", AlertSeverity::Critical, kT0 + 4 * kS)));
  ASSERT_TRUE(log.raise(overload("e", AlertSeverity::Info, kT0 + 0 * kS)));
  log.apply();
  std::string order;
  for (const Alert& a : log.active()) order += a.key;
  EXPECT_EQ(order, "dbcae");
  const AlertCounts counts = log.unacknowledged();
  EXPECT_EQ(counts[AlertSeverity::Info], 2u);
  EXPECT_EQ(counts[AlertSeverity::Warning], 1u);
  EXPECT_EQ(counts[AlertSeverity::Critical], 2u);
}

TEST(AlertLogTest, RecentIsBoundedOldestClearedLeaveFirstActiveAlwaysKept) {
  AlertLog::Options options;
  options.maxRecent = 3;
  AlertLog log(options);
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(log.raise(overload("k" + std::to_string(i), AlertSeverity::Info, kT0)));
  log.apply();
  // k0..k4 cleared in the order 4, 0, 1, 2, 3; k5 stays active.
  for (int i : {4, 0, 1, 2, 3}) ASSERT_TRUE(log.clear("energy", "k" + std::to_string(i), kT0 + (i + 1) * kS));
  log.apply();
  std::string recent;
  for (const Alert& a : log.recent()) recent += a.key;
  EXPECT_EQ(recent, "k3k2k1");  // most recently cleared first; k4 and k0 left
  EXPECT_EQ(log.find(5), nullptr);  // k4 (id 5)
  EXPECT_EQ(log.find(1), nullptr);  // k0 (id 1)
  ASSERT_EQ(log.active().size(), 1u);
  EXPECT_EQ(log.active()[0].key, "k5");
  // A key whose entry left starts its count again.
  ASSERT_TRUE(log.raise(overload("k0", AlertSeverity::Info, kT0 + 10 * kS)));
  ASSERT_TRUE(log.raise(overload("k1", AlertSeverity::Info, kT0 + 10 * kS)));
  log.apply();
  for (const Alert& a : log.active()) EXPECT_EQ(a.occurrences, a.key == "k1" ? 2u : 1u) << a.key;
}

TEST(AlertLogTest, NewKeysBeyondMaxActiveAreRefusedUpdatesStillApply) {
  LogCapture capture;
  AlertLog::Options options;
  options.maxActive = 2;
  AlertLog log(options);
  for (const char* key : {"a", "b", "c", "d"}) ASSERT_TRUE(log.raise(overload(key, AlertSeverity::Info, kT0)));
  ASSERT_TRUE(log.raise(overload("a", AlertSeverity::Critical, kT0 + kS)));
  log.apply();
  ASSERT_EQ(log.active().size(), 2u);
  EXPECT_EQ(log.active()[0].key, "a");
  EXPECT_EQ(log.active()[0].severity, AlertSeverity::Critical);
  EXPECT_EQ(capture.count("the most the log keeps"), 1u);  // once, not per refusal
}

TEST(AlertLogTest, RaisesAndClearsFromOtherThreadsApplyInCallOrder) {
  AlertLog log;
  constexpr int kThreads = 4;
  constexpr int kPerThread = 250;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string key = std::to_string(t) + "/" + std::to_string(i);
        ASSERT_TRUE(log.raise(overload(key, AlertSeverity::Warning, kT0 + i)));
        if (i % 2 == 0) {
          ASSERT_TRUE(log.clear("energy", key, kT0 + i + 1));  // after its raise, from the same thread
        }
      }
    });
  }
  for (std::thread& th : threads) th.join();
  EXPECT_TRUE(log.active().empty());
  EXPECT_EQ(log.apply(), static_cast<std::size_t>(kThreads * (kPerThread + kPerThread / 2)));
  EXPECT_EQ(log.activeCount(), static_cast<std::size_t>(kThreads * kPerThread / 2));  // the odd i
  EXPECT_EQ(log.recent().size(), static_cast<std::size_t>(kThreads * kPerThread / 2));
  for (const Alert& a : log.active()) EXPECT_EQ(std::stoi(a.key.substr(a.key.find('/') + 1)) % 2, 1) << a.key;
}

TEST(AlertLogTest, BadInputIsRefusedWithAClearStatusAndNothingElseIsLost) {
  AlertLog log;
  ASSERT_TRUE(log.raise(overload("good-1", AlertSeverity::Warning, kT0)));

  AlertRaise noKey = overload("", AlertSeverity::Warning, kT0);
  Status s = log.raise(noKey);
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("key is empty"), std::string::npos) << s.message();

  AlertRaise noSource = overload("k", AlertSeverity::Warning, kT0);
  noSource.source.clear();
  EXPECT_EQ(log.raise(noSource).code(), ErrorCode::InvalidArgument);

  s = log.raise(overload("k", static_cast<AlertSeverity>(7), kT0));
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("unknown severity 7"), std::string::npos) << s.message();
  EXPECT_EQ(log.raise(overload("k", static_cast<AlertSeverity>(-1), kT0)).code(), ErrorCode::InvalidArgument);

  s = log.raise(overload("k", AlertSeverity::Warning, kT0, std::string(AlertLog::kMaxMessageBytes + 1, 'x')));
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("message_en is 2049 bytes, more than the 2048 allowed"), std::string::npos)
      << s.message();
  AlertRaise longZh = overload("k", AlertSeverity::Warning, kT0);
  longZh.messageZh = std::string(1'000'000, 'x');
  EXPECT_EQ(log.raise(longZh).code(), ErrorCode::InvalidArgument);
  AlertRaise longEntity = overload("k", AlertSeverity::Warning, kT0);
  longEntity.entityId = std::string(AlertLog::kMaxEntityIdBytes + 1, 'e');
  EXPECT_EQ(log.raise(longEntity).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(log.raise(overload(std::string(AlertLog::kMaxKeyBytes + 1, 'k'), AlertSeverity::Info, kT0)).code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(log.clear("energy", "", kT0).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(log.clear("", "good-1", kT0).code(), ErrorCode::InvalidArgument);

  // At the limit is fine.
  ASSERT_TRUE(log.raise(overload("good-2", AlertSeverity::Info, kT0, std::string(AlertLog::kMaxMessageBytes, 'x'))));
  EXPECT_EQ(log.apply(), 2u);
  std::string keys;
  for (const Alert& a : log.active()) keys += a.key + " ";
  EXPECT_EQ(keys, "good-1 good-2 ");
}

TEST(AlertLogTest, AFullQueueRefusesFurtherCalls) {
  AlertLog::Options options;
  options.maxQueued = 2;
  AlertLog log(options);
  ASSERT_TRUE(log.raise(overload("a", AlertSeverity::Info, kT0)));
  ASSERT_TRUE(log.raise(overload("b", AlertSeverity::Info, kT0)));
  EXPECT_EQ(log.raise(overload("c", AlertSeverity::Info, kT0)).code(), ErrorCode::OutOfRange);
  EXPECT_EQ(log.clear("energy", "a", kT0).code(), ErrorCode::OutOfRange);
  EXPECT_EQ(log.apply(), 2u);
  ASSERT_TRUE(log.raise(overload("c", AlertSeverity::Info, kT0)));  // room again
  EXPECT_EQ(log.apply(), 1u);
  EXPECT_EQ(log.activeCount(), 3u);
}

TEST(AlertLogTest, RaiseEscalationClearAndAcknowledgeAreLogged) {
  LogCapture capture;
  AlertLog log;
  ASSERT_TRUE(log.raise(overload("overload/sub-12", AlertSeverity::Warning, kT0, "Substation sub-12 at 112%")));
  log.apply();
  ASSERT_TRUE(log.raise(overload("overload/sub-12", AlertSeverity::Critical, kT0 + kS, "Substation sub-12 at 131%")));
  log.apply();
  ASSERT_TRUE(log.acknowledge(1, kT0 + 2 * kS));
  ASSERT_TRUE(log.clear("energy", "overload/sub-12", kT0 + 3 * kS));
  log.apply();
  const std::vector<std::string> lines = capture.lines();
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "warning alert raised: energy/overload/sub-12 [warning] entity sub-12: Substation sub-12 at 112%");
  EXPECT_EQ(lines[1], "error alert escalated: energy/overload/sub-12 [critical] entity sub-12: Substation sub-12 at 131%");
  EXPECT_EQ(lines[2], "info alert acknowledged: energy/overload/sub-12 [critical] entity sub-12: Substation sub-12 at 131%");
  EXPECT_EQ(lines[3], "info alert cleared: energy/overload/sub-12 [critical] entity sub-12: Substation sub-12 at 131%");
}

// The events of a sequence: raise at T0, update (escalation) at T0+10 s, ack at T0+20 s, clear at T0+30 s, and
// a raise of another key at T0+40 s.
void runSequence(AlertLog& log) {
  ASSERT_TRUE(log.raise(overload("overload/sub-12", AlertSeverity::Warning, kT0, "112%")));
  log.apply();
  ASSERT_TRUE(log.raise(overload("overload/sub-12", AlertSeverity::Critical, kT0 + 10 * kS, "131%")));
  log.apply();
  ASSERT_TRUE(log.acknowledge(1, kT0 + 20 * kS));
  ASSERT_TRUE(log.clear("energy", "overload/sub-12", kT0 + 30 * kS));
  AlertRaise n1 = overload("n-1/line-3", AlertSeverity::Info, kT0 + 40 * kS, "N-1 margin low");
  n1.entityId.clear();
  ASSERT_TRUE(log.raise(n1));
  log.apply();
}

void expectSequenceEvents(const std::vector<AlertEvent>& events) {
  ASSERT_EQ(events.size(), 5u);
  const AlertEventKind kinds[] = {AlertEventKind::Raise, AlertEventKind::Update, AlertEventKind::Acknowledge,
                                  AlertEventKind::Clear, AlertEventKind::Raise};
  const TimePoint times[] = {kT0, kT0 + 10 * kS, kT0 + 20 * kS, kT0 + 30 * kS, kT0 + 40 * kS};
  const AlertSeverity severities[] = {AlertSeverity::Warning, AlertSeverity::Critical, AlertSeverity::Critical,
                                      AlertSeverity::Critical, AlertSeverity::Info};
  const char* messages[] = {"112%", "131%", "131%", "131%", "N-1 margin low"};
  for (std::size_t i = 0; i < 5; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(events[i].kind, kinds[i]);
    EXPECT_EQ(events[i].timeUs, times[i]);
    EXPECT_EQ(events[i].severity, severities[i]);
    EXPECT_EQ(events[i].messageEn, messages[i]);
    EXPECT_EQ(events[i].source, "energy");
    EXPECT_EQ(events[i].messageZh, "变电站过载");
    EXPECT_EQ(events[i].raisedUs, i < 4 ? kT0 : kT0 + 40 * kS);
    EXPECT_EQ(events[i].entityId, i < 4 ? "sub-12" : "");
    EXPECT_GT(events[i].loggedUs, 0);
  }
  EXPECT_EQ(events[0].key, "overload/sub-12");
  EXPECT_EQ(events[4].key, "n-1/line-3");
}

TEST(AlertLogTest, WithoutHistoryEventsComeFromMemory) {
  AlertLog log;
  runSequence(log);
  EXPECT_FALSE(log.persistenceStatus().enabled);
  auto all = log.events(kT0, kT0 + 60 * kS);
  ASSERT_TRUE(all) << all.status().message();
  expectSequenceEvents(*all);
  auto middle = log.events(kT0 + 10 * kS, kT0 + 30 * kS);  // both ends included
  ASSERT_TRUE(middle);
  ASSERT_EQ(middle->size(), 3u);
  EXPECT_EQ(middle->front().kind, AlertEventKind::Update);
  EXPECT_EQ(middle->back().kind, AlertEventKind::Clear);
  auto two = log.events(kT0, kT0 + 60 * kS, 2);
  ASSERT_TRUE(two);
  EXPECT_EQ(two->size(), 2u);
  EXPECT_TRUE(log.events(kT0 + 1, kT0)->empty());
}

class AlertLogHistoryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    folder_ = std::make_unique<testing::TestFolder>("gt_alert_log");
    dir_ = folder_->dir();
    path_ = folder_->file("history.sqlite");
  }
  void TearDown() override { folder_.reset(); }
  // A history database as the twin's History creates it.
  void createHistory() {
    auto store = connectors::openSqliteHistory(path_);
    ASSERT_TRUE(store) << store.status().message();
  }
  static AlertLog::PersistenceOptions fast() { return {std::chrono::milliseconds(10), 0}; }

  std::unique_ptr<testing::TestFolder> folder_;
  fs::path dir_;
  std::string path_;
};

TEST_F(AlertLogHistoryTest, EventsRoundTripThroughTheHistoryDatabaseAndSurviveARestart) {
  createHistory();
  {
    AlertLog log;
    ASSERT_TRUE(log.openHistory(path_, fast()));
    runSequence(log);
    log.flushHistory();
    const AlertPersistenceStatus s = log.persistenceStatus();
    EXPECT_TRUE(s.enabled);
    EXPECT_TRUE(s.status) << s.status.message();
    EXPECT_EQ(s.written, 5u);
    EXPECT_EQ(s.failed, 0u);
    auto events = log.events(kT0, kT0 + 60 * kS);
    ASSERT_TRUE(events) << events.status().message();
    expectSequenceEvents(*events);
  }
  // A new log on the same file (the twin restarted) reads what the first one wrote; the samples store still opens.
  AlertLog again;
  ASSERT_TRUE(again.openHistory(path_, fast()));
  auto events = again.events(kT0, kT0 + 60 * kS);
  ASSERT_TRUE(events) << events.status().message();
  expectSequenceEvents(*events);
  auto window = again.events(kT0 + 15 * kS, kT0 + 35 * kS);
  ASSERT_TRUE(window);
  ASSERT_EQ(window->size(), 2u);
  EXPECT_EQ((*window)[0].kind, AlertEventKind::Acknowledge);
  EXPECT_TRUE(again.active().empty());  // the log itself starts empty: history is for playback
  EXPECT_TRUE(connectors::openSqliteHistory(path_));
}

TEST_F(AlertLogHistoryTest, AFileThatIsNotAHistoryLeavesTheLogInMemory) {
  AlertLog log;
  const Status s = log.openHistory((dir_ / "missing.sqlite").string(), fast());
  EXPECT_EQ(s.code(), ErrorCode::IoError);
  EXPECT_FALSE(log.persistenceStatus().enabled);
  EXPECT_EQ(log.persistenceStatus().status.code(), ErrorCode::IoError);
  runSequence(log);
  auto events = log.events(kT0, kT0 + 60 * kS);
  ASSERT_TRUE(events);
  expectSequenceEvents(*events);
}

// A disk that fails every write: the error is logged once, counted, and the log runs on.
class FailingStore final : public connectors::AlertStore {
 public:
  Status append(std::span<const AlertEvent> events) override {
    if (events.empty()) return Status::ok();
    return {ErrorCode::IoError, "disk full"};
  }
  Result<std::vector<AlertEvent>> range(TimePoint, TimePoint, std::size_t) override {
    return std::vector<AlertEvent>{};
  }
  Status applyRetention(TimePoint) override { return Status::ok(); }
};

TEST(AlertLogTest, AWriteErrorIsLoggedOnceAndTheLogRunsOn) {
  LogCapture capture;
  AlertLog log;
  log.openHistory(std::make_unique<FailingStore>(), std::make_unique<FailingStore>(), {std::chrono::milliseconds(1), 0});
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(log.raise(overload("k" + std::to_string(i), AlertSeverity::Info, kT0 + i)));
    log.apply();
    log.flushHistory();  // one failed transaction per raise
  }
  const AlertPersistenceStatus s = log.persistenceStatus();
  EXPECT_EQ(s.failed, 3u);
  EXPECT_EQ(s.written, 0u);
  EXPECT_EQ(s.status.code(), ErrorCode::IoError);
  EXPECT_EQ(capture.count("disk full"), 1u);
  EXPECT_EQ(log.activeCount(), 3u);
}

}  // namespace
}  // namespace gt::runtime
