#pragma once
// The scenario section of an indicators report (`greentwin report --scenario FILE`; docs/workbench.md "Scenarios"),
// in each of the report's formats: scenario.csv (one row per indicator: baseline, scenario, difference, statuses),
// the "scenario" object of indicators.json, and a section of report.html. Pure functions of the report.

#include <nlohmann/json_fwd.hpp>

#include <string>

#include "report_model.hpp"

namespace gt::viewer {

// "" when the report has no scenario.
std::string scenarioCsv(const Report& report);
// null when the report has no scenario.
nlohmann::json scenarioJson(const Report& report);
// "" when the report has no scenario.
std::string scenarioHtml(const Report& report);

}  // namespace gt::viewer
