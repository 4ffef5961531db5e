#pragma once
// indicators.csv of an indicators report (docs/indicators.md "Report"): one header line and one line per indicator,
//   number,name_zh,name_en,value,unit,target,status,source,method
// RFC 4180: fields holding a comma, a double quote, CR or LF are quoted, their quotes doubled; lines end in CRLF.
// UTF-8 with a byte-order mark, so that Excel opens the Chinese names as UTF-8. The value is a plain number with
// '.' (empty without a value); unit, target, status, source and method are in the report's language.

#include <string>
#include <string_view>

#include "report_model.hpp"

namespace gt::viewer {

// One field as RFC 4180 writes it.
std::string csvField(std::string_view text);

// The whole file, BOM first.
std::string indicatorCsv(const Report& report);

}  // namespace gt::viewer
