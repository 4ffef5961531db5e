// The scenario section of an indicators report (report_scenario.hpp).
#include "report_scenario.hpp"

#include <nlohmann/json.hpp>

#include "report_csv.hpp"
#include "report_html.hpp"
#include "report_text.hpp"

namespace gt::viewer {
namespace {

using nlohmann::json;

std::string numberText(const std::optional<double>& v) { return v ? reportNumber(*v) : std::string(); }

std::string signedText(const std::optional<double>& v) {
  if (!v) return {};
  return (*v > 0 ? "+" : "") + reportNumber(*v);
}

const char* unchangedText(Language lang) {
  return lang == Language::English ? "unchanged by the scenario's edits" : "不受情景编辑影响";
}

std::string label(const runtime::ScenarioComparisonRow& row, Language lang) {
  const std::string name = byLanguage(row.nameEn, row.nameZh, lang);
  return row.number > 0 ? "#" + std::to_string(row.number) + " " + name : name;
}

json side(const runtime::ScenarioSide& s, bool indicator, Language lang) {
  return {{"value", s.value ? json(*s.value) : json(nullptr)},
          {"status", indicator ? json(reportStatusWord(s.status, lang)) : json(nullptr)},
          {"note", s.note.empty() ? json(nullptr) : json(s.note)}};
}

}  // namespace

std::string scenarioCsv(const Report& report) {
  if (!report.scenario) return {};
  const Language lang = report.language;
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte-order mark, as indicators.csv
  out += "number,kpi,name_zh,name_en,unit,baseline,scenario,difference,baseline_status,scenario_status,unchanged,note\r\n";
  for (const runtime::ScenarioComparisonRow& row : report.scenario->comparison.rows) {
    const bool indicator = row.number > 0;
    const std::string fields[] = {
        indicator ? std::to_string(row.number) : std::string(),
        row.kpiId,
        row.nameZh,
        row.nameEn,
        row.unit,
        numberText(row.left.value),
        numberText(row.right.value),
        signedText(row.difference()),
        indicator ? reportStatusWord(row.left.status, lang) : "",
        indicator ? reportStatusWord(row.right.status, lang) : "",
        row.unchanged ? "true" : "false",
        row.unchanged ? std::string(unchangedText(lang)) : row.right.note,
    };
    bool first = true;
    for (const std::string& f : fields) {
      if (!first) out += ',';
      first = false;
      out += csvField(f);
    }
    out += "\r\n";
  }
  return out;
}

json scenarioJson(const Report& report) {
  if (!report.scenario) return nullptr;
  const Language lang = report.language;
  const ReportScenario& s = *report.scenario;
  json rows = json::array();
  for (const runtime::ScenarioComparisonRow& row : s.comparison.rows) {
    const auto d = row.difference();
    rows.push_back({{"number", row.number > 0 ? json(row.number) : json(nullptr)},
                    {"kpi", row.kpiId},
                    {"name_zh", row.nameZh},
                    {"name_en", row.nameEn},
                    {"unit", row.unit},
                    {"baseline", side(row.left, row.number > 0, lang)},
                    {"scenario", side(row.right, row.number > 0, lang)},
                    {"difference", d ? json(*d) : json(nullptr)},
                    {"unchanged", row.unchanged}});
  }
  return {{"file", s.file},
          {"name", s.name},
          {"against", s.againstFile.empty() ? json(nullptr)
                                            : json{{"file", s.againstFile}, {"name", s.comparison.leftName}}},
          {"description", s.description},
          {"edits", s.edits},
          {"time", reportIsoTime(s.comparison.time)},
          {"rows", rows}};
}

std::string scenarioHtml(const Report& report) {
  if (!report.scenario) return {};
  const Language lang = report.language;
  const bool en = lang == Language::English;
  const ReportScenario& s = *report.scenario;
  std::string out = std::string("<h2 id=\"scenario\">") + (en ? "Scenario: " : "情景：") + htmlEscape(s.name) + "</h2>\n";
  if (!s.description.empty()) out += "<p>" + htmlEscape(s.description) + "</p>\n";
  if (!s.againstFile.empty()) {
    out += "<p>" + std::string(en ? "Compared with scenario " : "对比情景：") + htmlEscape(s.comparison.leftName) + " (" +
           htmlEscape(s.againstFile) + ")</p>\n";
  }
  out += "<p>" + htmlEscape(s.file) + " · " + std::to_string(s.edits) + (en ? " edits · the whole twin at " : " 项编辑 · 全区，") +
         htmlEscape(reportShortTime(s.comparison.time)) + "</p>\n";
  const std::string leftHeader =
      s.againstFile.empty() ? std::string(en ? "Baseline" : "基线") : htmlEscape(s.comparison.leftName);
  out += std::string("<table class=\"scenario\">\n<tr><th>") + (en ? "Indicator" : "指标") + "</th><th>" +
         (en ? "Unit" : "单位") + "</th><th>" + leftHeader + "</th><th>" + (en ? "Scenario" : "情景") +
         "</th><th>" + (en ? "Difference" : "差值") + "</th><th>" + (en ? "Note" : "说明") + "</th></tr>\n";
  for (const runtime::ScenarioComparisonRow& row : s.comparison.rows) {
    const auto cell = [&](const runtime::ScenarioSide& side) {
      std::string c = side.value ? reportNumber(*side.value) : reportLabel(ReportLabel::NoData, lang);
      if (row.number > 0) c += std::string(" (") + reportStatusWord(side.status, lang) + ")";
      return htmlEscape(c);
    };
    out += "<tr><td>" + htmlEscape(label(row, lang)) + "</td><td>" + htmlEscape(row.unit) + "</td><td>" +
           cell(row.left) + "</td><td>" + cell(row.right) + "</td><td>" + htmlEscape(signedText(row.difference())) +
           "</td><td>" + htmlEscape(row.unchanged ? std::string(unchangedText(lang)) : row.right.note) + "</td></tr>\n";
  }
  out += "</table>\n";
  return out;
}

}  // namespace gt::viewer
