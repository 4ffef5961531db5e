// indicators.json (report_json.cpp): parses as JSON (nlohmann) and carries the report's values in the documented
// shape, on the hand-made report of report_sample.hpp.
#include "report_json.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>

#include "report_sample.hpp"

namespace gt::viewer {
namespace {

using nlohmann::json;

json parsed(Language language) {
  const std::string text = indicatorJson(testing::sampleReport(language));
  return json::parse(text);  // throws (and fails the test) on anything that is not JSON
}

TEST(ReportJson, TheReportsHeaderCarriesAreaTimeLanguageAndTrend) {
  const json doc = parsed(Language::English);
  const json& r = doc.at("report");
  EXPECT_EQ(r.at("title_en"), "Tongzhou green development indicators");
  EXPECT_EQ(r.at("title_zh"), "通州区绿色发展指标");
  EXPECT_EQ(r.at("area").at("id"), "district");
  EXPECT_EQ(r.at("area").at("name_en"), "Tongzhou (whole district)");
  EXPECT_EQ(r.at("time"), "2026-11-25T09:30:00+08:00");
  EXPECT_EQ(r.at("generated"), "2026-11-25T09:31:00+08:00");
  EXPECT_EQ(r.at("language"), "en");
  EXPECT_EQ(r.at("config"), "/demo/greentwin.toml");
  EXPECT_TRUE(r.at("recording").is_null());
  EXPECT_EQ(r.at("trend").at("from"), "2026-11-25T07:30:00+08:00");
  EXPECT_EQ(r.at("trend").at("to"), "2026-11-25T09:30:00+08:00");
  EXPECT_EQ(r.at("trend").at("step_s"), 3600.0);
  EXPECT_EQ(r.at("trend").at("source"), "recomputed");
  EXPECT_TRUE(r.at("errors").is_array());
  ASSERT_EQ(doc.at("groups").size(), 3u);
  EXPECT_EQ(doc.at("groups")[1].at("id"), "green_living");
  EXPECT_EQ(doc.at("groups")[1].at("name_zh"), "绿色生活");
}

TEST(ReportJson, EighteenIndicatorsWithTheirValues) {
  const json doc = parsed(Language::English);
  const json& list = doc.at("indicators");
  ASSERT_EQ(list.size(), 18u);
  const json& one = list[0];
  EXPECT_EQ(one.at("number"), 1);
  EXPECT_EQ(one.at("group"), "green_production");
  EXPECT_EQ(one.at("name_en"), "Clean energy, \"green\" share\nof all");
  EXPECT_DOUBLE_EQ(one.at("value").get<double>(), 37.25);
  EXPECT_EQ(one.at("unit"), "%");
  EXPECT_EQ(one.at("target"), ">= 40 %");
  EXPECT_DOUBLE_EQ(one.at("target_value").get<double>(), 40.0);
  EXPECT_EQ(one.at("direction"), ">=");
  EXPECT_EQ(one.at("status"), "on track");
  EXPECT_EQ(one.at("source"), "synthetic");
  EXPECT_EQ(one.at("computed"), true);
  EXPECT_EQ(one.at("district_figure"), false);
  EXPECT_EQ(one.at("kpi"), "plugin.kpi_1");
  EXPECT_EQ(one.at("computed_at"), "2026-11-25T09:30:00+08:00");
  EXPECT_EQ(one.at("method"), "method 1");
  EXPECT_TRUE(one.at("no_data_reason").is_null());
  EXPECT_EQ(one.at("chart"), "images/trend_01.png");
  // The trend at clock times, oldest first.
  ASSERT_EQ(one.at("trend").size(), 3u);
  EXPECT_EQ(one.at("trend")[0].at("time"), "2026-11-25T07:30:00+08:00");
  EXPECT_DOUBLE_EQ(one.at("trend")[0].at("value").get<double>(), 36.5);
  EXPECT_DOUBLE_EQ(one.at("trend")[2].at("value").get<double>(), 37.25);

  const json& two = list[1];  // no value: null, and why
  EXPECT_TRUE(two.at("value").is_null());
  EXPECT_EQ(two.at("status"), "no data");
  EXPECT_EQ(two.at("no_data_reason"), "no reading yet");
  EXPECT_EQ(two.at("no_data_reason_zh"), "尚无读数");
  EXPECT_TRUE(two.at("computed_at").is_null());
  EXPECT_TRUE(two.at("chart").is_null());

  const json& seven = list[6];  // to beat Beijing: no numeric target, Beijing's figure
  EXPECT_TRUE(seven.at("target_value").is_null());
  EXPECT_DOUBLE_EQ(seven.at("beijing").get<double>(), 3.6);
  EXPECT_EQ(seven.at("target"), "decline greater than Beijing's: 3.6%");
  EXPECT_EQ(seven.at("direction"), "decline_greater_than_beijing");
  EXPECT_EQ(seven.at("source"), "reported");
  EXPECT_EQ(seven.at("computed"), false);
  EXPECT_TRUE(seven.at("kpi").is_null());
  EXPECT_EQ(seven.at("year"), 2024);

  const json& twelve = list[11];  // yearly figures
  ASSERT_EQ(twelve.at("trend").size(), 3u);
  EXPECT_EQ(twelve.at("trend")[0].at("year"), 2022);
  EXPECT_DOUBLE_EQ(twelve.at("trend")[0].at("value").get<double>(), 2.9);
  EXPECT_FALSE(twelve.at("trend")[0].contains("time"));

  EXPECT_EQ(list[13].at("district_figure"), true);
}

TEST(ReportJson, MapsSayFileOrProblem) {
  const json doc = parsed(Language::Chinese);
  const json& maps = doc.at("maps");
  ASSERT_EQ(maps.size(), 2u);
  EXPECT_EQ(maps[0].at("indicator"), 14);
  EXPECT_EQ(maps[0].at("title"), "空气质量监测站");  // in the report's language
  EXPECT_EQ(maps[0].at("file"), "images/map_14.png");
  EXPECT_TRUE(maps[0].at("problem").is_null());
  EXPECT_EQ(maps[1].at("indicator"), 17);
  EXPECT_TRUE(maps[1].at("file").is_null());
  EXPECT_EQ(maps[1].at("problem"), "the config has no layer 'city-green-spaces'");
  // In Chinese, the language-dependent fields follow; the fixed ones stay machine words.
  EXPECT_EQ(doc.at("report").at("language"), "zh");
  EXPECT_EQ(doc.at("indicators")[0].at("method"), "方法1");
  EXPECT_EQ(doc.at("indicators")[0].at("status"), "on track");
  EXPECT_EQ(doc.at("indicators")[6].at("target"), "降幅超过全市平均水平（3.6%）");
}

TEST(ReportJson, GapsInATrendAndBadUtf8StillGiveValidJson) {
  Report report = testing::sampleReport(Language::English);
  report.indicators[1].row.trend = {{static_cast<double>(testing::kSampleTime), std::nan("")}};
  report.indicators[2].row.nameEn = std::string("bad \xFF byte");
  report.replayPath = "/tmp/sweep.gtrec";
  const json doc = json::parse(indicatorJson(report));
  EXPECT_TRUE(doc.at("indicators")[1].at("trend")[0].at("value").is_null());  // NaN is written as null
  EXPECT_EQ(doc.at("indicators")[2].at("name_en"), "bad \xEF\xBF\xBD byte");  // U+FFFD
  EXPECT_EQ(doc.at("report").at("recording"), "/tmp/sweep.gtrec");
}

}  // namespace
}  // namespace gt::viewer
