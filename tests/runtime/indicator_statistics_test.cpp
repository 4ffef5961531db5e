// statistics.toml (runtime/indicators.hpp): the shipped (synthetic) figures load against the shipped catalog; each
// bad figure names the file, the line and the field and makes only its indicator "no data".
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "greentwin/runtime/indicators.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;

std::string writeFile(const std::string& name, const std::vector<std::string>& lines) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "indicator_statistics";
  fs::create_directories(dir);
  const fs::path p = dir / name;
  std::ofstream out(p);
  for (const std::string& line : lines) out << line << "\n";
  return p.string();
}

IndicatorCatalog shippedCatalog() {
  auto catalog = readIndicatorCatalog(indicatorCatalogPath());
  EXPECT_TRUE(catalog) << catalog.status().message();
  return catalog ? *catalog : IndicatorCatalog{};
}

// The seven reported indicators, and #13 and #16, computed by the water plugin, whose figures are their history.
TEST(IndicatorStatistics, TheShippedFiguresLoadForTheReportedIndicatorsAndTwoComputedOnes) {
  const IndicatorCatalog catalog = shippedCatalog();
  auto statistics = readIndicatorStatistics(indicatorStatisticsPath(), catalog);
  ASSERT_TRUE(statistics) << statistics.status().message();
  for (const IndicatorProblem& p : statistics->problems) ADD_FAILURE() << p.text();
  std::vector<int> numbers;
  for (const IndicatorSeries& s : statistics->series) {
    numbers.push_back(s.number);
    const IndicatorDefinition* d = catalog.find(s.number);
    ASSERT_NE(d, nullptr);
    const bool water = s.number == 13 || s.number == 16;
    EXPECT_EQ(d->source, water ? IndicatorSource::Kpi : IndicatorSource::Statistics) << s.number;
    ASSERT_TRUE(s.hasData()) << s.number;
    ASSERT_EQ(s.figures.size(), 5u) << s.number;
    for (int i = 0; i < 5; ++i) {
      const IndicatorFigure& f = s.figures[static_cast<std::size_t>(i)];
      EXPECT_EQ(f.year, 2020 + i);
      EXPECT_EQ(f.unit, d->unit);
      EXPECT_EQ(f.source, "synthetic");  // nothing in the demo pretends to be a published figure
      EXPECT_EQ(f.beijing.has_value(), d->direction == TargetDirection::DeclineGreaterThanBeijing);
    }
  }
  EXPECT_EQ(numbers, (std::vector<int>{1, 2, 3, 4, 8, 11, 12, 13, 16}));
  EXPECT_EQ(statistics->find(3)->at(2022)->beijing, 3.4);

  // The demo's statuses by the latest (2024) figure, the path starting at 2020's figure (worked by hand):
  const auto status = [&](int n) { return assessLatestFigure(*catalog.find(n), statistics->find(n)).status; };
  EXPECT_EQ(status(1), IndicatorStatus::OffTrack);  // 31 + 9 * 4/5 = 38.2 expected, 37.2
  EXPECT_EQ(status(2), IndicatorStatus::Met);       // 11.4 within 1 of about 12
  EXPECT_EQ(status(3), IndicatorStatus::Met);       // 4.4 > Beijing's 3.6
  EXPECT_EQ(status(4), IndicatorStatus::OffTrack);  // 4.1 <= Beijing's 4.5
  EXPECT_EQ(status(8), IndicatorStatus::OnTrack);   // 0 + 30 * 4/5 = 24 expected, 24.6
  EXPECT_EQ(status(11), IndicatorStatus::Met);      // 98.1 >= 98
  EXPECT_EQ(status(12), IndicatorStatus::OnTrack);  // 35 + 5 * 4/5 = 39 expected, 39.2
  EXPECT_EQ(status(13), IndicatorStatus::OnTrack);  // 11.8 - 3.8 * 4/5 = 8.76 expected, 8.7
  EXPECT_EQ(status(16), IndicatorStatus::Met);      // class 4 <= IV
  EXPECT_EQ(assessLatestFigure(*catalog.find(1), statistics->find(1)).expected.value_or(0), 38.2);
  // An indicator nobody reports: no data.
  EXPECT_EQ(assessLatestFigure(*catalog.find(17), statistics->find(17)).status, IndicatorStatus::NoData);
}

TEST(IndicatorStatistics, EachBadFigureNamesTheFileLineAndFieldAndOnlyItsIndicatorHasNoData) {
  const IndicatorCatalog catalog = shippedCatalog();
  const std::string path = writeFile(
      "bad.toml",
      {"[[indicator]]",                                                              // 1
       "number = 1",                                                                 // 2
       "figures = [",                                                                // 3
       "  { year = 2020, value = 31.0, unit = \"%\", source = \"synthetic\" },",      // 4
       "  { value = 32.8, unit = \"%\", source = \"synthetic\" },",                   // 5  missing year
       "]",                                                                          // 6
       "[[indicator]]",                                                              // 7
       "number = 9",                                                                 // 8
       "figures = [{ year = 2021, value = 90.5, unit = \"percent\", source = \"s\" }]",  // 9  wrong unit
       "[[indicator]]",                                                              // 10
       "number = 11",                                                                // 11
       "figures = [{ year = 2021, value = \"96,0\", unit = \"%\", source = \"s\" }]",  // 12 malformed number
       "[[indicator]]",                                                              // 13
       "number = 12",                                                                // 14
       "figures = [{ year = 2021, value = nan, unit = \"%\", source = \"s\" }]",       // 15 not a finite number
       "[[indicator]]",                                                              // 16
       "number = 19",                                                                // 17 unknown indicator
       "figures = [{ year = 2021, value = 1.0, unit = \"%\", source = \"s\" }]",       // 18
       "[[indicator]]",                                                              // 19
       "number = 13",                                                                // 20
       "figures = [",                                                                // 21
       "  { year = 2021, value = 11.0, unit = \"%\", source = \"s\" },",              // 22
       "  { year = 2021, value = 10.9, unit = \"%\", source = \"s\" },",              // 23 duplicate year
       "]",                                                                          // 24
       "[[indicator]]",                                                              // 25
       "number = 3",                                                                 // 26
       "figures = [{ year = 2021, value = 4.2, unit = \"%\", source = \"s\" }]",       // 27 no Beijing figure
       "[[indicator]]",                                                              // 28
       "number = 2",                                                                 // 29
       "figures = [{ year = 2021, value = 14.2, unit = \"%\", source = \"s\" }]"});    // 30 good
  auto statistics = readIndicatorStatistics(path, catalog);
  ASSERT_TRUE(statistics) << statistics.status().message();
  std::vector<std::string> texts;
  for (const IndicatorProblem& p : statistics->problems) texts.push_back(p.text());
  const std::string f = path + ":";
  EXPECT_THAT(texts, ::testing::ElementsAre(
                         f + "5: 'indicator[0].figures[1].year' is missing",
                         f + "9: 'indicator[1].figures[0].unit' = \"percent\" is not the unit of indicator 9 (\"%\")",
                         f + "12: 'indicator[2].figures[0].value' must be a number, got the string \"96,0\"",
                         f + "15: 'indicator[3].figures[0].value' must be a finite number, got nan",
                         f + "17: 'indicator[4].number' = 19 is not an indicator of the catalog (" + catalog.path + ")",
                         f + "23: 'indicator[5].figures[1].year' = 2021 is given twice (first at line 22)",
                         f + "27: 'indicator[6].figures[0].beijing' is missing: indicator 3 is compared with Beijing's "
                             "figure for the same year"));
  // Each bad indicator is "no data" with its problem kept; the good one loads; the unknown one is not there.
  for (int n : {1, 9, 11, 12, 13, 3}) {
    const IndicatorSeries* s = statistics->find(n);
    ASSERT_NE(s, nullptr) << n;
    EXPECT_FALSE(s->hasData()) << n;
    EXPECT_TRUE(s->figures.empty()) << n << ": no partial data";
    ASSERT_EQ(s->problems.size(), 1u) << n;
    EXPECT_EQ(s->problems[0].number, n);
    const IndicatorAssessment a = assessLatestFigure(*catalog.find(n), s);
    EXPECT_EQ(a.status, IndicatorStatus::NoData);
    EXPECT_EQ(a.reason, s->problems[0].text());
  }
  EXPECT_EQ(statistics->find(19), nullptr);
  ASSERT_NE(statistics->find(2), nullptr);
  EXPECT_TRUE(statistics->find(2)->hasData());
  EXPECT_EQ(statistics->find(2)->latest()->value, 14.2);
}

TEST(IndicatorStatistics, ARepeatedIndicatorAnUnknownKeyOrAStrayBeijingFigureIsNoData) {
  const IndicatorCatalog catalog = shippedCatalog();
  const std::string path = writeFile(
      "repeat.toml",
      {"[[indicator]]",                                                                               // 1
       "number = 1",                                                                                  // 2
       "figures = [{ year = 2021, value = 32.8, unit = \"%\", source = \"s\" }]",                      // 3
       "[[indicator]]",                                                                               // 4
       "number = 1",                                                                                  // 5
       "figures = [{ year = 2022, value = 34.1, unit = \"%\", source = \"s\" }]",                      // 6
       "[[indicator]]",                                                                               // 7
       "number = 9",                                                                                  // 8
       "figures = [{ year = 2021, valeu = 90.5, value = 90.5, unit = \"%\", source = \"s\" }]",        // 9
       "[[indicator]]",                                                                               // 10
       "number = 11",                                                                                 // 11
       "figures = [{ year = 2021, value = 96.0, beijing = 95.0, unit = \"%\", source = \"s\" }]"});    // 12
  auto statistics = readIndicatorStatistics(path, catalog);
  ASSERT_TRUE(statistics) << statistics.status().message();
  ASSERT_EQ(statistics->problems.size(), 3u);
  EXPECT_EQ(statistics->problems[0].line, 5);
  EXPECT_EQ(statistics->problems[0].field, "indicator[1].number");
  EXPECT_EQ(statistics->problems[0].message, "= 1 is given twice (first at line 1)");
  EXPECT_EQ(statistics->problems[1].line, 9);
  EXPECT_EQ(statistics->problems[1].field, "indicator[2].figures[0].valeu");
  EXPECT_EQ(statistics->problems[2].line, 12);
  EXPECT_EQ(statistics->problems[2].field, "indicator[3].figures[0].beijing");
  for (int n : {1, 9, 11}) EXPECT_FALSE(statistics->find(n)->hasData()) << n;
}

TEST(IndicatorStatistics, AFileThatCannotBeReadOrParsedIsAnError) {
  const IndicatorCatalog catalog = shippedCatalog();
  auto missing = readIndicatorStatistics((fs::path(GT_TEST_BINARY_DIR) / "no-such-statistics.toml").string(), catalog);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::IoError);
  // A number with a decimal comma outside a string is not TOML: the whole file fails, with its line.
  const std::string path = writeFile("comma.toml", {"[[indicator]]", "number = 1",
                                                     "figures = [{ year = 2021, value = 32,8, unit = \"%\" }]"});
  auto broken = readIndicatorStatistics(path, catalog);
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.status().code(), ErrorCode::ParseError);
  EXPECT_THAT(broken.status().message(), ::testing::StartsWith(path + ":3:"));
}

}  // namespace
}  // namespace gt::runtime
