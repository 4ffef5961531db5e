// indicators.csv (report_csv.cpp): RFC 4180 fields, the UTF-8 byte-order mark, CRLF lines, the documented columns
// and one line per indicator, on the hand-made report of report_sample.hpp.
#include "report_csv.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "csv_records.hpp"
#include "report_sample.hpp"

namespace gt::viewer {
namespace {

TEST(ReportCsv, FieldsWithCommaQuoteOrLineBreakAreQuotedWithQuotesDoubled) {
  EXPECT_EQ(csvField("plain text"), "plain text");
  EXPECT_EQ(csvField(""), "");
  EXPECT_EQ(csvField("a,b"), "\"a,b\"");
  EXPECT_EQ(csvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csvField("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csvField("绿色生产"), "绿色生产");  // UTF-8 untouched
}

TEST(ReportCsv, BomHeaderAndOneCrlfLinePerIndicator) {
  const std::string csv = indicatorCsv(testing::sampleReport(Language::English));
  ASSERT_GE(csv.size(), 3u);
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(3, csv.find("\r\n") - 3), "number,name_zh,name_en,value,unit,target,status,source,method");
  EXPECT_EQ(csv.substr(csv.size() - 2), "\r\n");
  // No bare LF outside the quoted name of #1: every line ends in CRLF.
  const auto records = testing::csvRecords(csv.substr(3));
  ASSERT_EQ(records.size(), 19u);  // header + 18
  for (std::size_t i = 0; i < records.size(); ++i) EXPECT_EQ(records[i].size(), 9u) << "record " << i;
  for (int n = 1; n <= 18; ++n) EXPECT_EQ(records[n][0], std::to_string(n));
}

TEST(ReportCsv, RowsCarryTheValuesInTheReportsLanguage) {
  const std::string csv = indicatorCsv(testing::sampleReport(Language::English));
  const auto records = testing::csvRecords(csv.substr(3));
  ASSERT_EQ(records.size(), 19u);
  // #1: the name with a comma, quotes and a newline comes back whole; the value as a plain number.
  const std::vector<std::string> one = {"1", "指标1", "Clean energy, \"green\" share\nof all", "37.25", "%",
                                        ">= 40 %", "on track", "synthetic", "method 1"};
  EXPECT_EQ(records[1], one);
  EXPECT_NE(csv.find("\"Clean energy, \"\"green\"\" share\nof all\""), std::string::npos);
  // #2: no value, empty field; no data.
  EXPECT_EQ(records[2][3], "");
  EXPECT_EQ(records[2][6], "no data");
  EXPECT_EQ(records[2][7], "computed");
  // #7: Beijing's figure after the target; reported.
  EXPECT_EQ(records[7][5], "decline greater than Beijing's: 3.6%");
  EXPECT_EQ(records[7][7], "reported");
  // #12: a unit with a space, the English one.
  EXPECT_EQ(records[12][3], "2.64");
  EXPECT_EQ(records[12][4], "t CO2/person");
}

TEST(ReportCsv, ChineseReportUsesChineseWordsAndUnits) {
  const std::string csv = indicatorCsv(testing::sampleReport(Language::Chinese));
  const auto records = testing::csvRecords(csv.substr(3));
  ASSERT_EQ(records.size(), 19u);
  // The header stays machine-readable English.
  EXPECT_EQ(records[0][0], "number");
  EXPECT_EQ(records[1][6], "进度正常");
  EXPECT_EQ(records[1][7], "合成");
  EXPECT_EQ(records[1][8], "方法1");
  EXPECT_EQ(records[2][6], "无数据");
  EXPECT_EQ(records[7][5], "降幅超过全市平均水平（3.6%）");
  EXPECT_EQ(records[7][7], "统计");
  EXPECT_EQ(records[12][4], "吨二氧化碳/人");
  EXPECT_EQ(records[12][5], "≤ 2.64 吨二氧化碳/人");
}

}  // namespace
}  // namespace gt::viewer
