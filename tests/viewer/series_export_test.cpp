// A chart's series as CSV (series_export.hpp): the samples of the chart's window, buckets past the row cap, errors.
#include "series_export.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "greentwin/runtime/twin.hpp"
#include "test_folder.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

class SeriesExportTest : public testing::DemoTwinSuite {
 protected:
  void SetUp() override {
    entity_ = twin_->findLayer("city-buildings")->entityOfSlot(0);
    ASSERT_NE(entity_, kInvalidEntity);
    auto id = twin_->entities().attributes().intern("export_test_kw", "kW");
    ASSERT_TRUE(id);
    attribute_ = *id;
  }
  static std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      out.push_back(line);
    }
    return out;
  }
  EntityIndex entity_ = kInvalidEntity;
  AttributeId attribute_ = 0;
  const TimePoint t0_ = *parseIsoTime("2026-11-25T00:00:00Z");
};

TEST_F(SeriesExportTest, EverySampleOfTheWindowWithItsTimes) {
  twin_->timeSeries().append(entity_, attribute_, t0_ - kMicrosPerSecond, 99.0);  // before the window: left out
  for (int i = 0; i < 3; ++i) twin_->timeSeries().append(entity_, attribute_, t0_ + i * 60 * kMicrosPerSecond, 1.5 * i);
  auto csv = seriesCsv(*twin_, entity_, attribute_, t0_, t0_ + 3600 * kMicrosPerSecond);
  ASSERT_TRUE(csv) << csv.status().message();
  const auto rows = lines(*csv);
  ASSERT_EQ(rows.size(), 4u) << *csv;
  EXPECT_EQ(rows[0], "\xEF\xBB\xBF" "entity,attribute,unit,time_utc,time_beijing,value");
  const std::string id = twin_->entities().get(entity_)->id;
  EXPECT_EQ(rows[1], id + ",export_test_kw,kW,2026-11-25T00:00:00Z,2026-11-25T08:00:00+08:00,0");
  EXPECT_EQ(rows[3], id + ",export_test_kw,kW,2026-11-25T00:02:00Z,2026-11-25T08:02:00+08:00,3");
}

TEST_F(SeriesExportTest, PastTheRowCapTheChartsBucketsWithMinMeanMax) {
  const TimePoint start = t0_ + 86400 * kMicrosPerSecond;  // a day of its own
  for (int i = 0; i < 100; ++i) twin_->timeSeries().append(entity_, attribute_, start + i * kMicrosPerSecond, i);
  auto csv = seriesCsv(*twin_, entity_, attribute_, start, start + 100 * kMicrosPerSecond, 10);
  ASSERT_TRUE(csv) << csv.status().message();
  const auto rows = lines(*csv);
  ASSERT_GE(rows.size(), 2u);
  EXPECT_LE(rows.size(), 11u);
  EXPECT_NE(rows[0].find("bucket_start_utc,bucket_start_beijing,bucket_seconds,min,mean,max,count"), std::string::npos);
  // Every sample is in one bucket: the counts add up to 100, the first bucket starts at 0.
  std::size_t total = 0;
  for (std::size_t r = 1; r < rows.size(); ++r) total += std::stoul(rows[r].substr(rows[r].rfind(',') + 1));
  EXPECT_EQ(total, 100u);
  EXPECT_NE(rows[1].find(",0,"), std::string::npos) << rows[1];
}

TEST_F(SeriesExportTest, WrittenToAFileInAFolderItMakes) {
  twin_->timeSeries().append(entity_, attribute_, t0_ + 7200 * kMicrosPerSecond, 4.25);
  testing::TestFolder folder("gt_series_export");
  const std::string path = folder.file("exports/deep/series.csv");
  ASSERT_TRUE(writeSeriesCsv(*twin_, entity_, attribute_, t0_ + 7000 * kMicrosPerSecond, t0_ + 7300 * kMicrosPerSecond,
                             path)
                  .isOk());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_NE(text.str().find(",4.25\r\n"), std::string::npos) << text.str();
}

TEST_F(SeriesExportTest, BadArgumentsAreNamed) {
  EXPECT_EQ(seriesCsv(*twin_, kInvalidEntity - 1, attribute_, t0_, t0_ + 1).status().code(), ErrorCode::NotFound);
  EXPECT_EQ(seriesCsv(*twin_, entity_, 60000, t0_, t0_ + 1).status().code(), ErrorCode::NotFound);
  EXPECT_EQ(seriesCsv(*twin_, entity_, attribute_, t0_, t0_).status().code(), ErrorCode::InvalidArgument);
  const std::string name = suggestedSeriesFile(*twin_, entity_, attribute_);
  EXPECT_EQ(name.rfind("exports/", 0), 0u);
  EXPECT_EQ(name.find('/', 8), std::string::npos) << name;  // the entity id's slashes are replaced
  EXPECT_NE(name.find("_export_test_kw.csv"), std::string::npos) << name;
}

}  // namespace
}  // namespace gt::viewer
