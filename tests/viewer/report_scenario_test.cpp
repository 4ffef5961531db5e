// The scenario section of an indicators report in its three formats (viewer/src/report_scenario.hpp), on the
// hand-made report with a hand-made comparison: #6 raised by the scenario, #7 unchanged by its edits, #18 without
// a baseline value, and bus-stop coverage (a plain KPI, no indicator number).
#include "report_scenario.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report_html.hpp"
#include "report_sample.hpp"

namespace gt::viewer {
namespace {

using ::testing::HasSubstr;

runtime::ScenarioComparisonRow row(int number, const std::string& kpi, const std::string& nameEn,
                                   std::optional<double> left, std::optional<double> right, bool unchanged) {
  runtime::ScenarioComparisonRow r;
  r.number = number;
  r.kpiId = kpi;
  r.nameEn = nameEn;
  r.nameZh = nameEn + "（中）";
  r.unit = "%";
  r.left.value = left;
  r.right.value = right;
  r.left.status = left ? runtime::IndicatorStatus::OffTrack : runtime::IndicatorStatus::NoData;
  r.right.status = right ? runtime::IndicatorStatus::Met : runtime::IndicatorStatus::NoData;
  r.right.note = "scenario: +31.5 kWp rooftop PV";
  r.unchanged = unchanged;
  return r;
}

Report withScenario(Language language) {
  Report r = testing::sampleReport(language);
  ReportScenario s;
  s.file = "plans/pv, park.toml";
  s.name = "PV & a park";
  s.description = "schools' roofs <50 %>";
  s.edits = 2;
  s.comparison.leftName = "baseline";
  s.comparison.rightName = s.name;
  s.comparison.time = testing::kSampleTime;
  s.comparison.rows = {row(6, "energy.renewable_share", "Local renewable share", 2.5, 11.75, false),
                       row(7, "energy.green_import_share", "Green share of imported power", 30, 30, true),
                       row(18, "forest.park_service_coverage", "Park coverage", std::nullopt, 80, false),
                       row(0, "traffic.bus_stop_coverage", "Bus-stop coverage", 90, 90, true)};
  r.scenario = s;
  return r;
}

TEST(ReportScenario, WithoutAScenarioEveryFormatIsEmpty) {
  const Report r = testing::sampleReport(Language::English);
  EXPECT_EQ(scenarioCsv(r), "");
  EXPECT_TRUE(scenarioJson(r).is_null());
  EXPECT_EQ(scenarioHtml(r), "");
  EXPECT_THAT(indicatorHtml(r), ::testing::Not(HasSubstr("id=\"scenario\"")));
}

TEST(ReportScenario, CsvHasOneRowPerIndicatorWithTheDifference) {
  const std::string csv = scenarioCsv(withScenario(Language::English));
  EXPECT_THAT(csv, HasSubstr("number,kpi,name_zh,name_en,unit,baseline,scenario,difference,baseline_status,"
                             "scenario_status,unchanged,note\r\n"));
  EXPECT_THAT(csv, HasSubstr("6,energy.renewable_share,Local renewable share（中）,Local renewable share,%,2.5,11.75,"
                             "+9.25,off track,met,false,scenario: +31.5 kWp rooftop PV\r\n"));
  EXPECT_THAT(csv, HasSubstr(",30,30,0,off track,met,true,unchanged by the scenario's edits\r\n"));
  EXPECT_THAT(csv, HasSubstr("18,forest.park_service_coverage,Park coverage（中）,Park coverage,%,,80,,no data,met,"));
  EXPECT_THAT(csv, HasSubstr("\r\n,traffic.bus_stop_coverage,"));  // no indicator number, no status
}

TEST(ReportScenario, JsonCarriesBothSidesAndTheDifference) {
  const nlohmann::json j = scenarioJson(withScenario(Language::English));
  EXPECT_EQ(j["name"], "PV & a park");
  EXPECT_EQ(j["edits"], 2);
  ASSERT_EQ(j["rows"].size(), 4u);
  EXPECT_EQ(j["rows"][0]["number"], 6);
  EXPECT_DOUBLE_EQ(j["rows"][0]["baseline"]["value"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(j["rows"][0]["scenario"]["value"].get<double>(), 11.75);
  EXPECT_DOUBLE_EQ(j["rows"][0]["difference"].get<double>(), 9.25);
  EXPECT_EQ(j["rows"][0]["scenario"]["status"], "met");
  EXPECT_TRUE(j["rows"][1]["unchanged"].get<bool>());
  EXPECT_TRUE(j["rows"][2]["baseline"]["value"].is_null());
  EXPECT_TRUE(j["rows"][2]["difference"].is_null());
  EXPECT_TRUE(j["rows"][3]["number"].is_null());
  EXPECT_TRUE(j["rows"][3]["scenario"]["status"].is_null());
}

TEST(ReportScenario, HtmlSectionIsEscapedAndInThePage) {
  const Report r = withScenario(Language::English);
  const std::string html = scenarioHtml(r);
  EXPECT_THAT(html, HasSubstr("<h2 id=\"scenario\">Scenario: PV &amp; a park</h2>"));
  EXPECT_THAT(html, HasSubstr("schools&#39; roofs &lt;50 %&gt;"));
  EXPECT_THAT(html, HasSubstr("<td>#6 Local renewable share</td><td>%</td><td>2.5 (off track)</td><td>11.75 (met)</td>"
                              "<td>+9.25</td>"));
  EXPECT_THAT(html, HasSubstr("unchanged by the scenario&#39;s edits"));
  EXPECT_THAT(indicatorHtml(r), HasSubstr(html));
  EXPECT_THAT(scenarioHtml(withScenario(Language::Chinese)), HasSubstr("<h2 id=\"scenario\">情景：PV &amp; a park</h2>"));
}

TEST(ReportScenario, AgainstAnotherScenarioItIsNamedInsteadOfTheBaseline) {
  Report r = withScenario(Language::English);
  EXPECT_TRUE(scenarioJson(r)["against"].is_null());
  EXPECT_THAT(scenarioHtml(r), HasSubstr("<th>Baseline</th>"));
  r.scenario->againstFile = "plans/pv only.toml";
  r.scenario->comparison.leftName = "PV <only>";
  const std::string html = scenarioHtml(r);
  EXPECT_THAT(html, HasSubstr("<th>PV &lt;only&gt;</th><th>Scenario</th>"));
  EXPECT_THAT(html, HasSubstr("<p>Compared with scenario PV &lt;only&gt; (plans/pv only.toml)</p>"));
  EXPECT_THAT(html, ::testing::Not(HasSubstr("<th>Baseline</th>")));
  const nlohmann::json j = scenarioJson(r);
  EXPECT_EQ(j["against"]["name"], "PV <only>");
  EXPECT_EQ(j["against"]["file"], "plans/pv only.toml");
}

}  // namespace
}  // namespace gt::viewer
