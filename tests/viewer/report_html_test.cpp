// report.html (report_html.cpp): a self-contained page whose images are exactly the report's charts and drawn maps,
// with escaped text, the area and time, the groups, and the maps that could not be drawn said so; on the hand-made
// report of report_sample.hpp.
#include "report_html.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>

#include "report_sample.hpp"

namespace gt::viewer {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// The value of every src="..." attribute.
std::set<std::string> imageSources(const std::string& html) {
  std::set<std::string> out;
  const std::regex src("<img[^>]*\\ssrc=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), src); it != std::sregex_iterator(); ++it) {
    out.insert((*it)[1].str());
  }
  return out;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

TEST(ReportHtml, EscapesTheFiveSpecialCharacters) {
  EXPECT_EQ(htmlEscape("a < b & c > d \"e\" 'f'"), "a &lt; b &amp; c &gt; d &quot;e&quot; &#39;f&#39;");
  EXPECT_EQ(htmlEscape("通州"), "通州");
}

TEST(ReportHtml, ImagesAreTheChartsAndTheDrawnMapsOnly) {
  const std::string html = indicatorHtml(testing::sampleReport(Language::English));
  EXPECT_EQ(imageSources(html),
            (std::set<std::string>{"images/trend_01.png", "images/trend_12.png", "images/map_14.png"}));
  // Each chart twice (the row's thumbnail, the trend section), the map once.
  EXPECT_EQ(count(html, "src=\"images/trend_01.png\""), 2u);
  EXPECT_EQ(count(html, "src=\"images/map_14.png\""), 1u);
  // Self-contained: nothing fetched from elsewhere, no script.
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("http://")));
  EXPECT_THAT(html, Not(HasSubstr("https://")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
}

TEST(ReportHtml, HeaderNamesTitleAreaAndTimeInTheLanguage) {
  const std::string en = indicatorHtml(testing::sampleReport(Language::English));
  EXPECT_EQ(en.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_THAT(en, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(en, HasSubstr("<h1>Tongzhou green development indicators</h1>"));
  EXPECT_THAT(en, HasSubstr("<tr><th>Area</th><td>Tongzhou (whole district) (district)</td></tr>"));
  EXPECT_THAT(en, HasSubstr("<tr><th>Time</th><td>2026-11-25T09:30:00+08:00</td></tr>"));
  EXPECT_THAT(en, HasSubstr("<tr><th>Recording</th><td>none (the twin&#39;s own data)</td></tr>"));
  // The three groups' headings, in order.
  const auto a = en.find("<h2>Green production</h2>"), b = en.find("<h2>Green living</h2>"),
             c = en.find("<h2>Ecology</h2>");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_EQ(count(en, "<tr id=\"indicator-"), 18u);

  const std::string zh = indicatorHtml(testing::sampleReport(Language::Chinese));
  EXPECT_EQ(zh.rfind("<!DOCTYPE html>\n<html lang=\"zh-CN\">", 0), 0u);
  EXPECT_THAT(zh, HasSubstr("<h1>通州区绿色发展指标</h1>"));
  EXPECT_THAT(zh, HasSubstr("<tr><th>区域</th><td>通州区（全区） (district)</td></tr>"));
  EXPECT_THAT(zh, HasSubstr("<h2>生态环境</h2>"));
}

TEST(ReportHtml, RowsCarryEscapedNamesStatusSourceAndWhyNoData) {
  const std::string html = indicatorHtml(testing::sampleReport(Language::English));
  // #14's name is escaped, never raw markup.
  EXPECT_THAT(html, HasSubstr("Green &lt;space&gt; &amp; &quot;parks&quot;"));
  EXPECT_THAT(html, Not(HasSubstr("<space>")));
  // #2: no data with the reason, in a grey chip.
  EXPECT_THAT(html, HasSubstr("<div class=\"nodata\">no reading yet</div>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"chip nodatachip\">no data</span>"));
  // #1 on track, #7 with Beijing's figure; the counts per status (16 met, 1 on track, 0 off track, 1 no data).
  EXPECT_THAT(html, HasSubstr("<span class=\"chip ontrack\">on track</span>"));
  EXPECT_THAT(html, HasSubstr("<td>decline greater than Beijing&#39;s: 3.6%</td>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"chip met\">met</span><b>16</b>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"chip ontrack\">on track</span><b>1</b>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"chip offtrack\">off track</span><b>0</b>"));
  EXPECT_THAT(html, HasSubstr("<span class=\"chip nodatachip\">no data</span><b>1</b>"));
  // #14 is the whole district's figure in an area's report.
  EXPECT_EQ(count(html, "the whole district's figure"), 1u);
  EXPECT_THAT(html, HasSubstr("<td class=\"synthetic\">synthetic</td>"));
  EXPECT_THAT(html, HasSubstr("<td class=\"reported\">reported</td>"));
}

TEST(ReportHtml, TrendCaptionsAndMaps) {
  const std::string html = indicatorHtml(testing::sampleReport(Language::English));
  EXPECT_THAT(html, HasSubstr("values from 2026-11-25 07:30 to 2026-11-25 09:30, every 1 h"));
  EXPECT_THAT(html, HasSubstr("reported yearly figures"));
  EXPECT_THAT(html, HasSubstr("<h2>Evidence on the map</h2>"));
  EXPECT_THAT(html, HasSubstr("<figure id=\"map-14\">"));
  EXPECT_THAT(html, HasSubstr("Stations:<span class=\"swatch\" style=\"background:rgba(255,0,0,1.00)\"></span>poor"));
  EXPECT_THAT(html, HasSubstr("#17 Forest land: map not drawn (the config has no layer &#39;city-green-spaces&#39;)"));

  const std::string zh = indicatorHtml(testing::sampleReport(Language::Chinese));
  EXPECT_THAT(zh, HasSubstr("数值时段 2026-11-25 07:30 至 2026-11-25 09:30，每 1 小时"));
  EXPECT_THAT(zh, HasSubstr("监测站:<span class=\"swatch\" style=\"background:rgba(255,0,0,1.00)\"></span>差"
                            "<span class=\"swatch\" style=\"background:rgba(0,128,0,1.00)\"></span>优</div>"));
}

TEST(ReportHtml, NoChartsNoMapsNoSections) {
  Report report = testing::sampleReport(Language::English);
  for (ReportIndicator& i : report.indicators) i.chartFile.clear();
  report.maps.clear();
  const std::string html = indicatorHtml(report);
  EXPECT_TRUE(imageSources(html).empty());
  EXPECT_THAT(html, Not(HasSubstr("Trends of the indicators")));
  EXPECT_THAT(html, Not(HasSubstr("Evidence on the map")));
}

}  // namespace
}  // namespace gt::viewer
