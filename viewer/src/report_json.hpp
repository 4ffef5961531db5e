#pragma once
// indicators.json of an indicators report (docs/indicators.md "Report"): what indicators.csv holds and more, for
// programs. One object:
//   report      title_zh/_en, area {id, name_zh, name_en}, time (ISO 8601, Beijing time), language ("zh"/"en"),
//               config, recording (null without a replay), generated, trend {from, to, step_s, source}, errors
//   groups      [{id, name_zh, name_en}]
//   indicators  [{number, group, name_zh, name_en, value (null: no data), unit, unit_zh, target (in the language),
//                 target_zh, target_en, target_value (null for "decline greater than Beijing's"), direction,
//                 beijing, status ("met", "on track", "off track", "no data"), source ("computed", "reported",
//                 "synthetic"), computed (a KPI or method computes it), district_figure (an area's report: the
//                 value is the whole district's, no area function splits it), kpi, year, computed_at, method (in the
//                 language), method_zh, method_en, no_data_reason (null when there is a value), no_data_reason_zh,
//                 no_data_reason_en, problems, trend [{time, value}] or [{year, value}], chart}]
//   maps        [{indicator, title, file (null when not drawn), problem}]
// Strings are UTF-8 (bytes that are not are replaced), numbers plain JSON numbers.

#include <string>

#include "report_model.hpp"

namespace gt::viewer {

std::string indicatorJson(const Report& report);

}  // namespace gt::viewer
