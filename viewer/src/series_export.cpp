// A chart's series as CSV (series_export.hpp).

#include "series_export.hpp"

#include <imgui.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "greentwin/core/text_file.hpp"
#include "greentwin/runtime/twin.hpp"
#include "indicator_style.hpp"
#include "report_csv.hpp"

namespace gt::viewer {
namespace {

constexpr int kBeijingMinutes = 8 * 60;
constexpr IndicatorWords kCsv{"CSV...", "导出CSV..."};
constexpr IndicatorWords kWrite{"Write", "写入"};
constexpr IndicatorWords kWritten{"written", "已写入"};

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace

// The export forms under the charts, by "entity/attribute" (render thread).
struct SeriesExportState {
  struct Form {
    char path[512] = "";
    std::string message;
  };
  std::map<std::string, Form> forms;
};

Result<std::string> seriesCsv(const runtime::Twin& twin, EntityIndex entity, AttributeId attribute, TimePoint t0,
                              TimePoint t1, std::size_t maxRows) {
  const Entity* e = twin.entities().get(entity);
  if (e == nullptr) return Status(ErrorCode::NotFound, "no entity " + std::to_string(entity));
  const AttributeInfo* info = twin.entities().attributes().info(attribute);
  if (info == nullptr) return Status(ErrorCode::NotFound, "no attribute " + std::to_string(attribute));
  if (t1 <= t0) return Status(ErrorCode::InvalidArgument, "the series' window ends before it begins");
  const RangeResult r = twin.sampleRange(entity, attribute, t0, t1, maxRows);
  const std::string prefix = csvField(e->id) + "," + csvField(info->name) + "," + csvField(info->unit) + ",";
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte-order mark: spreadsheets then read the ids as UTF-8
  out += r.raw ? "entity,attribute,unit,time_utc,time_beijing,value\r\n"
               : "entity,attribute,unit,bucket_start_utc,bucket_start_beijing,bucket_seconds,min,mean,max,count\r\n";
  for (const RangeBucket& b : r.points) {
    out += prefix + formatIsoTime(b.time) + "," + formatIsoTime(b.time, kBeijingMinutes) + ",";
    if (r.raw) {
      out += number(b.mean) + "\r\n";
    } else {
      out += number(static_cast<double>(r.bucketWidth) / kMicrosPerSecond) + "," + number(b.min) + "," +
             number(b.mean) + "," + number(b.max) + "," + std::to_string(b.count) + "\r\n";
    }
  }
  return out;
}

Status writeSeriesCsv(const runtime::Twin& twin, EntityIndex entity, AttributeId attribute, TimePoint t0, TimePoint t1,
                      const std::string& path) {
  auto text = seriesCsv(twin, entity, attribute, t0, t1);
  if (!text) return text.status();
  std::error_code ec;
  if (const auto folder = std::filesystem::path(path).parent_path(); !folder.empty()) {
    std::filesystem::create_directories(folder, ec);
  }
  return writeTextFileAtomically(path, *text, "CSV file");
}

std::string suggestedSeriesFile(const runtime::Twin& twin, EntityIndex entity, AttributeId attribute) {
  const Entity* e = twin.entities().get(entity);
  const AttributeInfo* info = twin.entities().attributes().info(attribute);
  std::string name = (e != nullptr ? e->id : std::to_string(entity)) + "_" + (info != nullptr ? info->name : "value");
  for (char& c : name) {
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '_' || c == '.' || static_cast<unsigned char>(c) >= 0x80;  // UTF-8 names stay
    if (!safe) c = '_';
  }
  return "exports/" + name + ".csv";
}

void drawSeriesExport(const runtime::Twin& twin, UiState& state, EntityIndex entity, AttributeId attribute, TimePoint t0,
                      TimePoint t1) {
  if (!state.seriesExports) state.seriesExports = std::make_shared<SeriesExportState>();
  const std::string key = std::to_string(entity) + "/" + std::to_string(attribute);
  SeriesExportState::Form& form = state.seriesExports->forms[key];
  if (form.path[0] == '\0') {
    std::snprintf(form.path, sizeof form.path, "%s", suggestedSeriesFile(twin, entity, attribute).c_str());
  }
  ImGui::PushID(key.c_str());
  if (ImGui::SmallButton(inLanguage(kCsv, state.language))) ImGui::OpenPopup("series-csv");
  if (ImGui::BeginPopup("series-csv")) {
    ImGui::SetNextItemWidth(360);
    ImGui::InputText("##path", form.path, sizeof form.path);
    ImGui::SameLine();
    if (ImGui::Button(inLanguage(kWrite, state.language))) {
      const Status s = writeSeriesCsv(twin, entity, attribute, t0, t1, form.path);
      form.message = s ? std::string(inLanguage(kWritten, state.language)) + ": " + form.path : s.message();
    }
    if (!form.message.empty()) ImGui::TextWrapped("%s", form.message.c_str());
    ImGui::EndPopup();
  }
  ImGui::PopID();
}

std::vector<std::string> seriesExportStrings() { return {kCsv.zh, kWrite.zh, kWritten.zh}; }

}  // namespace gt::viewer
