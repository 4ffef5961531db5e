#include "report_csv.hpp"

#include "report_text.hpp"

namespace gt::viewer {

std::string csvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string indicatorCsv(const Report& report) {
  const Language lang = report.language;
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte-order mark
  out += "number,name_zh,name_en,value,unit,target,status,source,method\r\n";
  for (const ReportIndicator& indicator : report.indicators) {
    const runtime::IndicatorRow& row = indicator.row;
    const std::string fields[] = {
        std::to_string(row.number),
        row.nameZh,
        row.nameEn,
        row.value ? reportNumber(*row.value) : std::string(),
        reportUnit(row, lang),
        reportTargetText(row, lang),
        reportStatusWord(row.status(), lang),
        reportOriginWord(row.origin, lang),
        byLanguage(row.methodEn, row.methodZh, lang),
    };
    bool first = true;
    for (const std::string& field : fields) {
      if (!first) out += ',';
      first = false;
      out += csvField(field);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace gt::viewer
