#include "greentwin/wall/alert_visits.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gt::wall {
namespace {

AlertCandidate alert(std::uint64_t id, AlertSeverity severity, bool located = true, bool acknowledged = false) {
  return AlertCandidate{id, severity, acknowledged, located};
}

TEST(AlertFlyTo, ParsesTheThreeWordsAndNamesAWrongOne) {
  EXPECT_EQ(parseAlertFlyTo("off").value(), std::nullopt);
  EXPECT_EQ(parseAlertFlyTo("warning").value(), AlertSeverity::Warning);
  EXPECT_EQ(parseAlertFlyTo("critical").value(), AlertSeverity::Critical);
  auto bad = parseAlertFlyTo("info");
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("\"info\""), std::string::npos);
  EXPECT_EQ(alertFlyToName(std::nullopt), "off");
  EXPECT_EQ(alertFlyToName(AlertSeverity::Critical), "critical");
}

TEST(AlertVisitQueue, OffVisitsNothing) {
  AlertVisitQueue queue(std::nullopt);
  EXPECT_FALSE(queue.enabled());
  const std::vector<AlertCandidate> active{alert(1, AlertSeverity::Critical)};
  EXPECT_EQ(queue.next(active), std::nullopt);
}

TEST(AlertVisitQueue, MostSevereFirstThenOldestAndEachOnce) {
  AlertVisitQueue queue(AlertSeverity::Warning);
  const std::vector<AlertCandidate> active{alert(7, AlertSeverity::Warning), alert(9, AlertSeverity::Critical),
                                           alert(4, AlertSeverity::Warning), alert(3, AlertSeverity::Info)};
  EXPECT_EQ(queue.next(active), 9u);
  EXPECT_EQ(queue.next(active), 4u);
  EXPECT_EQ(queue.next(active), 7u);
  EXPECT_EQ(queue.next(active), std::nullopt);  // the info alert is below the minimum
  EXPECT_EQ(queue.next(active), std::nullopt);  // and nothing is visited twice
}

TEST(AlertVisitQueue, SkipsAcknowledgedUnlocatedAndBelowMinimum) {
  AlertVisitQueue queue(AlertSeverity::Critical);
  const std::vector<AlertCandidate> active{alert(1, AlertSeverity::Warning), alert(2, AlertSeverity::Critical, false),
                                           alert(3, AlertSeverity::Critical, true, true)};
  EXPECT_EQ(queue.next(active), std::nullopt);
  // Located later (its layer loaded): visited then.
  const std::vector<AlertCandidate> later{alert(2, AlertSeverity::Critical, true)};
  EXPECT_EQ(queue.next(later), 2u);
}

TEST(AlertVisitQueue, AnOperatorsVisitCountsAndClearedAlertsAreForgotten) {
  AlertVisitQueue queue(AlertSeverity::Warning);
  std::vector<AlertCandidate> active{alert(5, AlertSeverity::Critical), alert(6, AlertSeverity::Warning)};
  queue.markVisited(5);
  EXPECT_EQ(queue.next(active), 6u);
  EXPECT_EQ(queue.next(active), std::nullopt);
  // 5 clears; were it still remembered and raised again under the same id it would be skipped, but ids are never
  // reused, so forgetting is only about memory: the queue holds no id that left the active list.
  active = {alert(6, AlertSeverity::Warning), alert(8, AlertSeverity::Critical)};
  EXPECT_EQ(queue.next(active), 8u);
  active.clear();
  EXPECT_EQ(queue.next(active), std::nullopt);
  active = {alert(6, AlertSeverity::Warning)};  // a list that holds 6 again after it was forgotten: visited anew
  EXPECT_EQ(queue.next(active), 6u);
}

}  // namespace
}  // namespace gt::wall
