#include "greentwin/core/time.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace gt {
namespace {

// 2026-11-26T08:00:00Z: 20783 days after the epoch.
constexpr TimePoint kNov26 = (20783LL * 86400 + 8 * 3600) * kMicrosPerSecond;

TimePoint parseOk(std::string_view text) {
  auto r = parseIsoTime(text);
  EXPECT_TRUE(r.isOk()) << text << ": " << r.status().toString();
  return r.isOk() ? *r : 0;
}

TEST(Time, ParsesUtcZ) {
  EXPECT_EQ(parseOk("2026-11-26T08:00:00Z"), kNov26);
  EXPECT_EQ(parseOk("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(parseOk("2026-11-26t08:00:00z"), kNov26);
}

TEST(Time, NoZoneIsUtcAndSpaceSeparatorWorks) {
  EXPECT_EQ(parseOk("2026-11-26 08:00:00"), kNov26);
  EXPECT_EQ(parseOk("2026-11-26T08:00:00"), kNov26);
  EXPECT_EQ(parseOk("2026-11-26T08:00"), kNov26);
  EXPECT_EQ(parseOk("2026-11-26"), kNov26 - 8 * 3600 * kMicrosPerSecond);
}

TEST(Time, ParsesOffsets) {
  EXPECT_EQ(parseOk("2026-11-26T16:00:00+08:00"), kNov26);
  EXPECT_EQ(parseOk("2026-11-26T16:00:00+0800"), kNov26);
  EXPECT_EQ(parseOk("2026-11-26T02:30:00-05:30"), kNov26);
  // Offset crossing midnight backwards into the previous day.
  EXPECT_EQ(parseOk("2026-11-27T00:00:00+16:00"), kNov26);
}

TEST(Time, ParsesFractionalSeconds) {
  EXPECT_EQ(parseOk("2026-11-26T08:00:00.5Z"), kNov26 + 500'000);
  EXPECT_EQ(parseOk("2026-11-26T08:00:00.000001Z"), kNov26 + 1);
  EXPECT_EQ(parseOk("2026-11-26T08:00:00.123456+00:00"), kNov26 + 123'456);
  // Beyond microseconds is truncated, not rounded.
  EXPECT_EQ(parseOk("2026-11-26T08:00:00.1234569Z"), kNov26 + 123'456);
}

TEST(Time, LeapDayAndPreEpoch) {
  EXPECT_TRUE(parseIsoTime("2024-02-29T00:00:00Z").isOk());
  EXPECT_FALSE(parseIsoTime("2026-02-29T00:00:00Z").isOk());
  EXPECT_EQ(parseOk("1969-12-31T23:59:59Z"), -kMicrosPerSecond);
  EXPECT_EQ(parseOk("1969-12-31T23:59:59.5Z"), -500'000);
}

TEST(Time, RejectsBadInputWithParseErrorNamingTheText) {
  for (const char* bad : {"2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z", "2026-04-31T00:00:00Z",
                          "2026-11-26T24:00:00Z", "2026-11-26T08:60:00Z", "2026-11-26T08:00:61Z",
                          "garbage", "", "2026-11-26T08:00:00Zjunk", "2026-11-26T08:00:00 ",
                          "2026-11-26T08:00:00+8", "2026-11-26T08:00:00.Z", "2026/11/26 08:00:00",
                          "26-11-26T08:00:00Z", "2026-11-26X08:00:00Z", "2026-11-26T08:00:00+25:00"}) {
    auto r = parseIsoTime(bad);
    ASSERT_FALSE(r.isOk()) << bad;
    EXPECT_EQ(r.status().code(), ErrorCode::ParseError) << bad;
    EXPECT_NE(r.status().message().find(std::string("'") + bad + "'"), std::string::npos)
        << r.status().message();
  }
}

TEST(Time, FormatsUtcAndOffsets) {
  EXPECT_EQ(formatIsoTime(kNov26), "2026-11-26T08:00:00Z");
  EXPECT_EQ(formatIsoTime(kNov26, 8 * 60), "2026-11-26T16:00:00+08:00");
  EXPECT_EQ(formatIsoTime(kNov26, -(5 * 60 + 30)), "2026-11-26T02:30:00-05:30");
  EXPECT_EQ(formatIsoTime(kNov26 + 1), "2026-11-26T08:00:00.000001Z");
  EXPECT_EQ(formatIsoTime(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(formatIsoTime(-500'000), "1969-12-31T23:59:59.500000Z");
}

TEST(Time, FormatParseRoundTrip) {
  for (TimePoint t : {TimePoint{0}, kNov26, kNov26 + 123'457, TimePoint{-1}, TimePoint{-86'400'000'001},
                      parseOk("2100-02-28T23:59:59.999999Z")}) {
    for (int off : {0, 480, -330, 60 * 14}) {
      EXPECT_EQ(parseOk(formatIsoTime(t, off)), t) << formatIsoTime(t, off);
    }
  }
}

TEST(Time, WallNowIsSystemClock) {
  const auto before = std::chrono::duration_cast<std::chrono::microseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const TimePoint now = wallNow();
  EXPECT_GE(now, before);
  EXPECT_LT(now - before, 5 * kMicrosPerSecond);
  EXPECT_GT(now, parseOk("2024-01-01T00:00:00Z"));
}

}  // namespace
}  // namespace gt
