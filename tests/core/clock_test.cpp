#include "greentwin/core/clock.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace gt {
namespace {

constexpr TimePoint kT0 = 1'795'680'000LL * kMicrosPerSecond;  // 2026-11-26T08:00:00Z
constexpr Duration kSec = kMicrosPerSecond;
constexpr Duration kHour = 3600 * kSec;

class ClockTest : public ::testing::Test {
 protected:
  TimePoint wall = kT0;
  Clock clock{[this] { return wall; }};
  void advance(Duration d) { wall += d; }
};

TEST_F(ClockTest, StartsLiveFollowingWallNow) {
  EXPECT_EQ(clock.mode(), ClockMode::Live);
  EXPECT_TRUE(clock.isLive());
  EXPECT_EQ(clock.rate(), 1.0);
  EXPECT_EQ(clock.now(), kT0);
  advance(5 * kSec);
  EXPECT_EQ(clock.now(), kT0 + 5 * kSec);
  // Default range: 24 h of history, end follows now.
  EXPECT_EQ(clock.range(), (TimeRange{kT0 - Clock::kDefaultHistory, kT0 + 5 * kSec}));
  EXPECT_TRUE(clock.rangeFollowsNow());
}

TEST_F(ClockTest, DefaultWallSourceIsWallNow) {
  Clock real;
  const TimePoint n = wallNow();
  EXPECT_LE(std::llabs(real.now() - n), 5 * kSec);
}

TEST_F(ClockTest, PauseFreezes) {
  advance(kSec);
  clock.pause();
  EXPECT_EQ(clock.mode(), ClockMode::Paused);
  EXPECT_FALSE(clock.isLive());
  advance(10 * kSec);
  EXPECT_EQ(clock.now(), kT0 + kSec);
  // The range end keeps following wall now while paused, so the user can scrub towards the present.
  EXPECT_EQ(clock.range().end, kT0 + 11 * kSec);
}

TEST_F(ClockTest, SeekWhileLiveSwitchesToPaused) {
  const TimePoint set = clock.seek(kT0 - kHour);
  EXPECT_EQ(set, kT0 - kHour);
  EXPECT_EQ(clock.mode(), ClockMode::Paused);
  advance(kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour);
  clock.goLive();
  EXPECT_EQ(clock.now(), kT0 + kSec);
  EXPECT_TRUE(clock.isLive());
}

TEST_F(ClockTest, SeekIsClampedToRange) {
  EXPECT_EQ(clock.seek(kT0 - 100 * kHour), kT0 - Clock::kDefaultHistory);
  EXPECT_EQ(clock.now(), kT0 - Clock::kDefaultHistory);
  EXPECT_EQ(clock.seek(kT0 + kHour), kT0);  // cannot seek into the future
  EXPECT_EQ(clock.now(), kT0);
}

TEST_F(ClockTest, PlaybackAtFractionalRate) {
  clock.seek(kT0 - kHour);
  ASSERT_TRUE(clock.setRate(0.5).isOk());
  clock.play();
  EXPECT_EQ(clock.mode(), ClockMode::Playback);
  advance(10 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour + 5 * kSec);
}

TEST_F(ClockTest, PlaybackAtSixtyTimes) {
  clock.seek(kT0 - 2 * kHour);
  ASSERT_TRUE(clock.setRate(60).isOk());
  clock.play();
  advance(60 * kSec);  // one wall minute = one twin hour
  EXPECT_EQ(clock.now(), kT0 - 2 * kHour + kHour);
  EXPECT_EQ(clock.mode(), ClockMode::Playback);
}

TEST_F(ClockTest, NegativeRateRunsBackwardAndStopsAtBegin) {
  ASSERT_TRUE(clock.setRange(kT0 - kHour, kT0).isOk());
  clock.seek(kT0 - kHour + 100 * kSec);
  ASSERT_TRUE(clock.setRate(-10).isOk());
  clock.play();
  advance(5 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour + 50 * kSec);
  EXPECT_EQ(clock.mode(), ClockMode::Playback);
  advance(100 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour);
  EXPECT_EQ(clock.mode(), ClockMode::Paused);
  advance(100 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour);
}

TEST_F(ClockTest, PlaybackStopsAtFixedRangeEndAndPlayRestarts) {
  ASSERT_TRUE(clock.setRange(kT0 - kHour, kT0 - kHour + 60 * kSec).isOk());
  EXPECT_EQ(clock.mode(), ClockMode::Paused);  // a fixed range ends Live
  EXPECT_FALSE(clock.rangeFollowsNow());
  EXPECT_EQ(clock.now(), kT0 - kHour + 60 * kSec);  // clamped into the new range
  clock.seek(kT0 - kHour);
  ASSERT_TRUE(clock.setRate(2).isOk());
  clock.play();
  advance(20 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour + 40 * kSec);
  advance(20 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour + 60 * kSec);
  EXPECT_EQ(clock.mode(), ClockMode::Paused);
  // Playing again at the end restarts from the beginning, like a video player.
  clock.play();
  EXPECT_EQ(clock.mode(), ClockMode::Playback);
  EXPECT_EQ(clock.now(), kT0 - kHour);
  advance(5 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour + 10 * kSec);
}

TEST_F(ClockTest, FastPlaybackCatchesUpWithFollowingEndAndStops) {
  clock.seek(kT0 - 100 * kSec);
  ASSERT_TRUE(clock.setRate(11).isOk());
  clock.play();
  advance(5 * kSec);  // twin: -100 + 55 = -45 s before wall (T0+5)
  EXPECT_EQ(clock.now(), kT0 - 45 * kSec);
  advance(15 * kSec);  // catch-up after 10 wall seconds, at T0 + 10 s
  EXPECT_EQ(clock.mode(), ClockMode::Paused);
  EXPECT_EQ(clock.now(), kT0 + 10 * kSec);
  advance(15 * kSec);
  EXPECT_EQ(clock.now(), kT0 + 10 * kSec);
}

TEST_F(ClockTest, RealTimePlaybackFromLiveTracksWallButIsNotLive) {
  clock.play();
  EXPECT_EQ(clock.mode(), ClockMode::Playback);
  advance(3 * kSec);
  EXPECT_EQ(clock.now(), kT0 + 3 * kSec);
  EXPECT_FALSE(clock.isLive());
}

TEST_F(ClockTest, SetRateDuringPlaybackHasNoJump) {
  clock.seek(kT0 - kHour);
  clock.play();
  advance(10 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour + 10 * kSec);
  ASSERT_TRUE(clock.setRate(4).isOk());
  EXPECT_EQ(clock.now(), kT0 - kHour + 10 * kSec);
  advance(10 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour + 50 * kSec);
}

TEST_F(ClockTest, SetRateRejectsZeroAndNonFinite) {
  EXPECT_EQ(clock.setRate(0).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(clock.setRate(std::numeric_limits<double>::quiet_NaN()).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(clock.setRate(std::numeric_limits<double>::infinity()).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(clock.rate(), 1.0);
}

TEST_F(ClockTest, SeekDuringPlaybackKeepsPlaying) {
  clock.seek(kT0 - kHour);
  clock.play();
  advance(kSec);
  clock.seek(kT0 - 2 * kHour);
  EXPECT_EQ(clock.mode(), ClockMode::Playback);
  advance(kSec);
  EXPECT_EQ(clock.now(), kT0 - 2 * kHour + kSec);
}

TEST_F(ClockTest, PauseDuringPlaybackFreezesAtCurrentTime) {
  clock.seek(kT0 - kHour);
  ASSERT_TRUE(clock.setRate(3).isOk());
  clock.play();
  advance(2 * kSec);
  clock.pause();
  advance(100 * kSec);
  EXPECT_EQ(clock.now(), kT0 - kHour + 6 * kSec);
  EXPECT_EQ(clock.rate(), 3.0);  // rate is kept
}

TEST_F(ClockTest, RangeValidationAndFollowingNow) {
  EXPECT_EQ(clock.setRange(kT0, kT0 - 1).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(clock.setRangeFollowingNow(kT0 + kSec).code(), ErrorCode::InvalidArgument);
  ASSERT_TRUE(clock.setRangeFollowingNow(kT0 - kHour).isOk());
  EXPECT_TRUE(clock.isLive());  // following range keeps Live
  EXPECT_EQ(clock.range(), (TimeRange{kT0 - kHour, kT0}));
  EXPECT_EQ(clock.seek(kT0 - 2 * kHour), kT0 - kHour);
  // A paused time is clamped into a narrower range.
  ASSERT_TRUE(clock.setRangeFollowingNow(kT0 - kHour / 2).isOk());
  EXPECT_EQ(clock.now(), kT0 - kHour / 2);
  // goLive() after a fixed range restores a following end.
  ASSERT_TRUE(clock.setRange(kT0 - kHour, kT0 - kHour / 2).isOk());
  advance(kSec);
  clock.goLive();
  EXPECT_TRUE(clock.rangeFollowsNow());
  EXPECT_EQ(clock.range(), (TimeRange{kT0 - kHour, kT0 + kSec}));
  EXPECT_EQ(clock.now(), kT0 + kSec);
}

TEST_F(ClockTest, ModeNames) {
  EXPECT_STREQ(toString(ClockMode::Live), "live");
  EXPECT_STREQ(toString(ClockMode::Paused), "paused");
  EXPECT_STREQ(toString(ClockMode::Playback), "playback");
}

}  // namespace
}  // namespace gt
