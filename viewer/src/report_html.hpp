#pragma once
// report.html of an indicators report (docs/indicators.md "Report"): one self-contained page in the report's
// language, readable offline (inline CSS; no script, no web font, no external link): the programme's title, the
// area and time, the counts per status, the 18 in their three groups (number, name with its method and, without a
// value, why; value (with "the whole district's figure" in an area's report where it is), target, status in its
// colour, source, a thumbnail of the trend chart), the trend charts, and
// the map images of the evidence with their legends. Images are referenced relative to the page (images/...).

#include <string>
#include <string_view>

#include "report_model.hpp"

namespace gt::viewer {

// Text for HTML content and attribute values: & < > " ' escaped.
std::string htmlEscape(std::string_view text);

std::string indicatorHtml(const Report& report);

}  // namespace gt::viewer
