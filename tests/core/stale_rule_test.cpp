#include "greentwin/core/stale_rule.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace gt {
namespace {

constexpr Duration kS = kMicrosPerSecond;

// The rule with its defaults: live up to twice the declared interval, else twice the default one.
TEST(StaleRule, JudgesBySeveralTimesTheDeclaredInterval) {
  StaleRule rule;
  rule.noteInterval(3, 15 * kS);
  EXPECT_EQ(rule.staleAfter(3), static_cast<Duration>(rule.config().staleFactor * 15 * kS));
  const TimePoint t = 1'000 * kS;
  EXPECT_EQ(rule.judge(3, Sample{1.0, t - 20 * kS}, t).state, ValueState::Live);
  EXPECT_EQ(rule.judge(3, Sample{1.0, t - 40 * kS}, t).state, ValueState::Stale);
  EXPECT_EQ(rule.judge(3, std::nullopt, t).state, ValueState::NoData);
  EXPECT_EQ(rule.declaredInterval(99), 0);  // never noted
}

// A plugin deriving values from a building's 15 s feed polls every second: its at-least notes must not shorten the
// building's interval (its derived values, stamped with the feed's times, would all look stale); they do set the
// interval of an entity only the plugin feeds, and lengthen a shorter one. A plain note still replaces.
TEST(StaleRule, AtLeastNotesOnlyLengthenTheInterval) {
  StaleRule rule;
  const std::vector<IntervalNote> notes{{1, 15 * kS, false}, {1, 1 * kS, true},   // the feed, then the plugin
                                        {2, 1 * kS, true},                         // only the plugin
                                        {3, 5 * kS, false}, {3, 60 * kS, true},    // a slower plugin
                                        {4, 60 * kS, true}, {4, 5 * kS, false}};   // the feed changed its interval
  rule.noteIntervals(notes);
  EXPECT_EQ(rule.declaredInterval(1), 15 * kS);
  EXPECT_EQ(rule.declaredInterval(2), 1 * kS);
  EXPECT_EQ(rule.declaredInterval(3), 60 * kS);
  EXPECT_EQ(rule.declaredInterval(4), 5 * kS);
}

}  // namespace
}  // namespace gt
