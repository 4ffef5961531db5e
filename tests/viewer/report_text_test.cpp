// The report's words and numbers (report_text.cpp): numbers for machines, Beijing time, units and targets in the
// report's language, and every label present in both languages.
#include "report_text.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

namespace gt::viewer {
namespace {

constexpr TimePoint kT = 1795570200LL * kMicrosPerSecond;  // 2026-11-25T01:30:00Z

TEST(ReportText, NumbersHaveSixSignificantDigitsAndAPoint) {
  EXPECT_EQ(reportNumber(16.978123), "16.9781");
  EXPECT_EQ(reportNumber(2.64), "2.64");
  EXPECT_EQ(reportNumber(4.0), "4");
  EXPECT_EQ(reportNumber(-0.5), "-0.5");
  EXPECT_EQ(reportNumber(1234567.0), "1.23457e+06");
  EXPECT_EQ(reportNumber(std::numeric_limits<double>::quiet_NaN()), "");
  EXPECT_EQ(reportNumber(std::numeric_limits<double>::infinity()), "");
}

TEST(ReportText, TimesAreBeijingTime) {
  EXPECT_EQ(reportIsoTime(kT), "2026-11-25T09:30:00+08:00");
  EXPECT_EQ(reportShortTime(kT), "2026-11-25 09:30");
  // 20:00 UTC is the next day in Beijing.
  EXPECT_EQ(reportShortTime(kT + 18 * 3600LL * kMicrosPerSecond + 30 * 60LL * kMicrosPerSecond), "2026-11-26 04:00");
}

TEST(ReportText, UnitAndTargetInTheLanguage) {
  runtime::IndicatorRow row;
  row.unit = "t CO2/person";
  row.unitZh = "吨二氧化碳/人";
  row.targetEn = "<= 2.64 t CO2/person/yr";
  row.targetZh = "≤ 2.64 吨二氧化碳/人";
  EXPECT_EQ(reportUnit(row, Language::English), "t CO2/person");
  EXPECT_EQ(reportUnit(row, Language::Chinese), "吨二氧化碳/人");
  EXPECT_EQ(reportTargetText(row, Language::English), "<= 2.64 t CO2/person/yr");
  EXPECT_EQ(reportTargetText(row, Language::Chinese), "≤ 2.64 吨二氧化碳/人");
  row.unitZh.clear();  // no Chinese unit: the English one
  EXPECT_EQ(reportUnit(row, Language::Chinese), "t CO2/person");

  // To beat Beijing: its figure after the words; "%" without a space, other units with one.
  runtime::IndicatorRow decline;
  decline.unit = "%";
  decline.targetEn = "decline greater than Beijing's";
  decline.targetZh = "降幅超过全市平均水平";
  decline.beijing = 3.6;
  EXPECT_EQ(reportTargetText(decline, Language::English), "decline greater than Beijing's: 3.6%");
  EXPECT_EQ(reportTargetText(decline, Language::Chinese), "降幅超过全市平均水平（3.6%）");
  decline.unit = "t";
  EXPECT_EQ(reportTargetText(decline, Language::English), "decline greater than Beijing's: 3.6 t");
}

TEST(ReportText, StatusAndSourceWords) {
  EXPECT_STREQ(reportStatusWord(runtime::IndicatorStatus::OffTrack, Language::English), "off track");
  EXPECT_STREQ(reportStatusWord(runtime::IndicatorStatus::OffTrack, Language::Chinese), "进度滞后");
  EXPECT_STREQ(reportOriginWord(runtime::IndicatorOrigin::Reported, Language::English), "reported");
  EXPECT_STREQ(reportOriginWord(runtime::IndicatorOrigin::Computed, Language::Chinese), "计算");
}

TEST(ReportText, EveryLabelHasBothLanguages) {
  for (int i = 0; i < static_cast<int>(ReportLabel::Count); ++i) {
    const char* en = reportLabel(static_cast<ReportLabel>(i), Language::English);
    const char* zh = reportLabel(static_cast<ReportLabel>(i), Language::Chinese);
    ASSERT_NE(en, nullptr) << i;
    ASSERT_NE(zh, nullptr) << i;
    EXPECT_GT(std::strlen(en), 0u) << i;
    EXPECT_GT(std::strlen(zh), 0u) << i;
    EXPECT_STRNE(en, zh) << i;
  }
  EXPECT_STREQ(reportLabel(ReportLabel::Maps, Language::English), "Evidence on the map");
  EXPECT_STREQ(reportLabel(ReportLabel::DistrictFigure, Language::Chinese), "全区数值");
}

}  // namespace
}  // namespace gt::viewer
