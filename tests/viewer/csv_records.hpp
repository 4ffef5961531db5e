#pragma once
// Reads RFC 4180 text back into records of fields, for the tests of indicators.csv (report_csv_test,
// report_command_test): quoted fields may hold CR, LF and commas, "" in them is a quote; records end in CRLF.

#include <string>
#include <vector>

namespace gt::viewer::testing {

// Splits RFC 4180 text into records of fields (quoted fields may hold CR, LF, commas; "" is a quote).
inline std::vector<std::vector<std::string>> csvRecords(const std::string& text) {
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      records.back().push_back(field);
      field.clear();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      records.back().push_back(field);
      field.clear();
      records.emplace_back();
      ++i;
    } else {
      field += c;
    }
  }
  if (!field.empty() || !records.back().empty()) records.back().push_back(field);
  if (records.back().empty()) records.pop_back();
  return records;
}

}  // namespace gt::viewer::testing
