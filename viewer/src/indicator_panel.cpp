#include "indicator_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "greentwin/runtime/indicator_inputs.hpp"
#include "greentwin/runtime/twin.hpp"
#include "indicator_area_tool.hpp"
#include "indicator_style.hpp"

namespace gt::viewer {
namespace {

using runtime::IndicatorOrigin;
using runtime::IndicatorRow;
using runtime::IndicatorStatus;

constexpr int kBeijingUtcOffsetMinutes = 8 * 60;
constexpr float kBottomBars = 26.0f + 64.0f;  // the status bar and the time bar (ui.cpp)

// The dashboard's own labels, English and Chinese (its data's strings come from the indicator files and plugins).
enum Label : int {
  Title, ColumnIndicator, ColumnValue, ColumnTarget, ColumnStatus, ColumnTrend, ColumnSource, Method, Note, Inputs,
  Assessment, NoData, Problems, ComputedAt, Figures, Beijing, NotLoaded, PathExpects, LastValues, SourceOfFigure,
  Hint, DistrictFigure, Covers, ShowEvidence, Feeds, NoFeeds, LabelCount
};
constexpr std::array<IndicatorWords, LabelCount> kLabels{{
    {"Indicators", "指标"},
    {"Indicator", "指标"},
    {"Value", "当前值"},
    {"2025 target", "2025 年目标"},
    {"Status", "状态"},
    {"Trend", "趋势"},
    {"Source", "来源"},
    {"Method", "方法"},
    {"Note", "说明"},
    {"Inputs", "输入"},
    {"Assessment", "判定"},
    {"No data", "无数据原因"},
    {"Problems", "问题"},
    {"computed at", "计算时间"},
    {"figures", "年度数据"},
    {"Beijing", "北京"},
    {"Not loaded", "未能加载"},
    {"the path expects", "路径预期"},
    {"values", "个数值"},
    {"source", "来源"},
    {"Reported: the latest yearly figure. Computed: the plugin KPI now, assessed for the clock's year. "
     "Click a row for its method and inputs.",
     "统计：最新年度数据。计算：插件 KPI 的当前值，按时钟所在年份判定。点击一行查看方法与输入。"},
    {"district", "全区"},
    {"Covers", "范围"},
    {"Show evidence on the map", "在地图上显示依据"},
    {"Feeds", "数据源"},
    {"no live feed known", "无已知实时数据源"},
}};

const char* label(Label id, Language language) { return inLanguage(kLabels[id], language); }





std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

// A river class 1..5 as the programme writes it (Ⅲ类) or in English (class III); 6 is worse than V.
std::string riverClass(double v, Language language) {
  static const char* const kZh[] = {"Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ"};
  static const char* const kEn[] = {"I", "II", "III", "IV", "V"};
  const int k = static_cast<int>(v);
  if (k != v || k < 1 || k > 6) return number(v);
  if (k == 6) return language == Language::Chinese ? "劣Ⅴ类" : "worse than V";
  return language == Language::Chinese ? std::string(kZh[k - 1]) + "类" : std::string("class ") + kEn[k - 1];
}

std::string withUnit(double v, const IndicatorRow& row, Language language) {
  if (row.unit == "class") return riverClass(v, language);
  const std::string& unit = language == Language::Chinese && !row.unitZh.empty() ? row.unitZh : row.unit;
  return number(v) + (unit == "%" ? "" : " ") + unit;
}

std::string beijingTime(TimePoint t) {
  std::string iso = formatIsoTime(t, kBeijingUtcOffsetMinutes);  // 2026-11-25T09:30:00+08:00
  if (iso.size() >= 19) iso = iso.substr(0, 10) + " " + iso.substr(11, 8);
  return iso;
}

// The target as the programme writes it (or in English); with Beijing's figure when the target is to beat it:
// "降幅超过全市平均水平（3.6%）".
std::string targetText(const IndicatorRow& row, Language language) {
  std::string text = byLanguage(row.targetEn, row.targetZh, language);
  if (!row.beijing) return text;
  const std::string figure = withUnit(*row.beijing, row, language);
  return language == Language::Chinese ? text + "（" + figure + "）" : text + ": " + figure;
}

// A rounded chip of the status colour with its word, `width` wide.
void statusChip(IndicatorStatus status, Language language, float width) {
  const char* word = indicatorStatusWord(status, language);
  const ImVec2 text = ImGui::CalcTextSize(word);
  const ImVec2 pos = ImGui::GetCursorScreenPos();
  const float height = ImGui::GetTextLineHeight() + 2;
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(pos, ImVec2(pos.x + width, pos.y + height), ImGui::GetColorU32(indicatorStatusColour(status)), 4.0f);
  draw->AddText(ImVec2(pos.x + (width - text.x) * 0.5f, pos.y + 1), IM_COL32(255, 255, 255, 255), word);
  ImGui::Dummy(ImVec2(width, height));
}

// The trend as a line one text line high, scaled to its range; "·" with fewer than two values.
void sparkline(const IndicatorRow& row, float width) {
  if (row.trend.size() < 2) {
    ImGui::TextDisabled("·");
    return;
  }
  std::vector<float> values;
  values.reserve(row.trend.size());
  for (const runtime::IndicatorTrendPoint& p : row.trend) values.push_back(static_cast<float>(p.value));
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  ImGui::PushStyleColor(ImGuiCol_PlotLines, ImVec4(0.85f, 0.85f, 0.9f, 1.0f));
  ImGui::PushStyleColor(ImGuiCol_FrameBg, ImVec4(0, 0, 0, 0));
  ImGui::PlotLines("##trend", values.data(), static_cast<int>(values.size()), 0, nullptr, *low,
                   *high > *low ? *high : *low + 1, ImVec2(width, ImGui::GetTextLineHeight() + 2));
  ImGui::PopStyleColor(2);
}

// A small arrow in front of the number: right when folded, down when folded out.
void foldArrow(bool open) {
  const ImVec2 p = ImGui::GetCursorScreenPos();
  const float s = ImGui::GetFontSize() * 0.3f;
  const float cx = p.x + s, cy = p.y + ImGui::GetTextLineHeight() * 0.5f + 1;
  const ImU32 c = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  if (open) {
    ImGui::GetWindowDrawList()->AddTriangleFilled(ImVec2(cx - s, cy - s * 0.6f), ImVec2(cx + s, cy - s * 0.6f),
                                                  ImVec2(cx, cy + s * 0.8f), c);
  } else {
    ImGui::GetWindowDrawList()->AddTriangleFilled(ImVec2(cx - s * 0.6f, cy - s), ImVec2(cx - s * 0.6f, cy + s),
                                                  ImVec2(cx + s * 0.8f, cy), c);
  }
  ImGui::Dummy(ImVec2(s * 2 + 4, ImGui::GetTextLineHeight()));
  ImGui::SameLine(0, 0);
}

// Column widths sized to the widest text of the rows in the current language and font.
struct Widths {
  float number = 0, value = 0, target = 0, status = 0, trend = 0, source = 0;
};

Widths columnWidths(const std::vector<IndicatorRow>& rows, Language language) {
  Widths w;
  const float font = ImGui::GetFontSize();
  w.number = ImGui::CalcTextSize("18").x + font * 0.6f + 8;
  w.value = ImGui::CalcTextSize(label(ColumnValue, language)).x;
  w.target = ImGui::CalcTextSize(label(ColumnTarget, language)).x;
  for (const IndicatorRow& r : rows) {
    std::string value = indicatorValueText(r, language);
    if (r.value && r.time == 0 && r.year != 0) value += "  " + std::to_string(r.year);
    if (r.value && r.districtFigure) value += std::string("  (") + label(DistrictFigure, language) + ")";
    w.value = std::max(w.value, ImGui::CalcTextSize(value.c_str()).x);
    w.target = std::max(w.target, ImGui::CalcTextSize(targetText(r, language).c_str()).x);
  }
  for (IndicatorStatus s : {IndicatorStatus::Met, IndicatorStatus::OnTrack, IndicatorStatus::OffTrack,
                            IndicatorStatus::NoData}) {
    w.status = std::max(w.status, ImGui::CalcTextSize(indicatorStatusWord(s, language)).x + 12);
  }
  w.source = ImGui::CalcTextSize(label(ColumnSource, language)).x;
  for (IndicatorOrigin o : {IndicatorOrigin::Computed, IndicatorOrigin::Reported, IndicatorOrigin::Synthetic}) {
    w.source = std::max(w.source, ImGui::CalcTextSize(indicatorOriginWord(o, language)).x);
  }
  w.trend = font * 5;
  return w;
}

// One instance of the table. Instances share the id "indicators", so they share their columns (ImGui's synced
// tables): groups and fold-outs are drawn full width between them.
bool beginTable(const Widths& w, Language language, bool header) {
  const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit;
  if (!ImGui::BeginTable("indicators", 7, flags)) return false;
  ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, w.number);
  ImGui::TableSetupColumn(label(ColumnIndicator, language), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn(label(ColumnValue, language), ImGuiTableColumnFlags_WidthFixed, w.value);
  ImGui::TableSetupColumn(label(ColumnTarget, language), ImGuiTableColumnFlags_WidthFixed, w.target);
  ImGui::TableSetupColumn(label(ColumnStatus, language), ImGuiTableColumnFlags_WidthFixed, w.status);
  ImGui::TableSetupColumn(label(ColumnTrend, language), ImGuiTableColumnFlags_WidthFixed, w.trend);
  ImGui::TableSetupColumn(label(ColumnSource, language), ImGuiTableColumnFlags_WidthFixed, w.source);
  if (header) ImGui::TableHeadersRow();
  return true;
}

// "<label>: text", wrapped to the window.
void detail(Label name, const std::string& text, Language language, const ImVec4* colour = nullptr) {
  if (text.empty()) return;
  ImGui::TextDisabled("%s", label(name, language));
  ImGui::SameLine();
  if (colour != nullptr) ImGui::PushStyleColor(ImGuiCol_Text, *colour);
  ImGui::TextWrapped("%s", text.c_str());
  if (colour != nullptr) ImGui::PopStyleColor();
}

// The health of the feeds a computed indicator's inputs arrive on (runtime/indicator_inputs.hpp): each publisher
// with its state (LIVE green, STALE amber, NEVER_SEEN grey) and how long ago it was last heard.
void drawInputFeeds(const runtime::Twin& twin, const IndicatorRow& row, Language language) {
  const std::vector<PublisherHealth> feeds = runtime::indicatorInputFeeds(row, twin.feedHealth());
  ImGui::TextDisabled("%s", label(Feeds, language));
  if (feeds.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%s", label(NoFeeds, language));
    return;
  }
  for (const PublisherHealth& h : feeds) {
    ImGui::SameLine();
    const ImVec4 colour = h.state == FeedState::Live    ? ImVec4(0.35f, 0.80f, 0.40f, 1.0f)
                          : h.state == FeedState::Stale ? ImVec4(1.0f, 0.70f, 0.25f, 1.0f)
                                                        : ImVec4(0.60f, 0.60f, 0.60f, 1.0f);
    std::string text = h.publisher + " " + toString(h.state);
    if (h.state != FeedState::NeverSeen) {
      text += " (" + std::to_string(static_cast<long long>(h.sinceLastSeen / kMicrosPerSecond)) + " s)";
    }
    ImGui::TextColored(colour, "%s", text.c_str());
  }
}

// The folded-out part of a row: method, note, inputs, input feeds, assessment, why no data, problems.
void drawDetails(runtime::Twin& twin, CommandQueue& commands, const IndicatorRow& row, Language language) {
  ImGui::Indent(ImGui::GetFontSize() * 2);
  if (!row.evidence.empty() && ImGui::SmallButton(label(ShowEvidence, language))) {
    showIndicatorEvidence(twin, commands, row);
  }
  detail(Method, byLanguage(row.methodEn, row.methodZh, language), language);
  detail(Note, row.note, language);
  if (row.status() != IndicatorStatus::NoData) detail(Covers, row.valueNote, language);
  std::string inputs;
  if (!row.kpiId.empty()) {
    inputs = "KPI " + row.kpiId;
    if (row.time != 0) inputs += std::string(" · ") + label(ComputedAt, language) + " " + beijingTime(row.time);
    if (!row.trend.empty()) {
      inputs += " · " + std::to_string(row.trend.size()) + (language == Language::Chinese ? "" : " ") +
                label(LastValues, language);
    }
  } else {
    inputs = std::string("statistics.toml · ") + label(Figures, language) + ":";
    for (const runtime::IndicatorTrendPoint& p : row.trend) {
      inputs += " " + std::to_string(static_cast<int>(p.x)) + " " + withUnit(p.value, row, language) + ",";
    }
    if (!row.trend.empty()) inputs.pop_back();
    if (row.beijing) inputs += std::string(" (") + label(Beijing, language) + " " + withUnit(*row.beijing, row, language) + ")";
    if (!row.figureSource.empty()) inputs += std::string(" · ") + label(SourceOfFigure, language) + " " + row.figureSource;
  }
  detail(Inputs, inputs, language);
  if (!row.kpiId.empty()) drawInputFeeds(twin, row, language);
  std::string assessment = row.assessment.reason;
  if (row.assessment.expected) {
    assessment += std::string(" · ") + label(PathExpects, language) + " " + withUnit(*row.assessment.expected, row, language);
  }
  if (row.status() != IndicatorStatus::NoData) detail(Assessment, assessment, language);
  const ImVec4 warn(1.0f, 0.75f, 0.35f, 1.0f);
  detail(NoData, byLanguage(row.noDataEn, row.noDataZh, language), language, &warn);
  for (const std::string& p : row.problems) detail(Problems, p, language, &warn);
  ImGui::Unindent(ImGui::GetFontSize() * 2);
  ImGui::Spacing();
}

// One row; true when it is folded out (a click toggles it, kept in ImGui's state storage).
bool drawRow(const IndicatorRow& row, const Widths& w, Language language) {
  ImGui::PushID(row.number);
  ImGui::TableNextRow();
  ImGui::TableSetColumnIndex(0);
  ImGuiStorage* storage = ImGui::GetStateStorage();
  const ImGuiID id = ImGui::GetID("fold");
  bool open = storage->GetBool(id, false);
  const ImVec2 start = ImGui::GetCursorPos();
  if (ImGui::Selectable("##row", open, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap)) {
    open = !open;
    storage->SetBool(id, open);
  }
  ImGui::SetCursorPos(start);
  foldArrow(open);
  ImGui::Text("%d", row.number);

  ImGui::TableSetColumnIndex(1);
  const std::string& name = byLanguage(row.nameEn, row.nameZh, language);
  ImGui::TextWrapped("%s", name.empty() ? label(NotLoaded, language) : name.c_str());

  ImGui::TableSetColumnIndex(2);
  const std::string value = indicatorValueText(row, language);
  if (row.value) {
    ImGui::TextUnformatted(value.c_str());
    if (row.time == 0 && row.year != 0) {  // a reported figure: the year it is for
      ImGui::SameLine();
      ImGui::TextDisabled("%d", row.year);
    }
    if (row.districtFigure) {  // rows for an area: this one is the whole district's
      ImGui::SameLine();
      ImGui::TextDisabled("(%s)", label(DistrictFigure, language));
    }
  } else {
    ImGui::TextDisabled("%s", value.c_str());
  }

  ImGui::TableSetColumnIndex(3);
  ImGui::TextUnformatted(targetText(row, language).c_str());

  ImGui::TableSetColumnIndex(4);
  statusChip(row.status(), language, w.status);

  ImGui::TableSetColumnIndex(5);
  sparkline(row, w.trend);

  ImGui::TableSetColumnIndex(6);
  if (!row.group.empty()) ImGui::TextColored(indicatorOriginColour(row.origin), "%s", indicatorOriginWord(row.origin, language));
  ImGui::PopID();
  return open;
}

}  // namespace

const char* indicatorPanelTitle(Language language) { return label(Title, language); }

std::string indicatorValueText(const IndicatorRow& row, Language language) {
  if (!row.value) return "—";
  return withUnit(*row.value, row, language);
}

void drawIndicatorPanel(runtime::Twin& twin, UiState& state, CommandQueue& commands, const osg::Camera* camera) {
  if (!state.indicatorAreaRows) state.indicatorAreaRows = std::make_shared<IndicatorAreaRows>();
  IndicatorAreaRows& areaRows = *state.indicatorAreaRows;
  drawIndicatorAreaOutline(twin, state, areaRows, camera);  // over the map, also while the panel is folded
  if (!state.showIndicators) return;
  const Language language = state.language;
  const runtime::IndicatorBoard& board = twin.indicators();
  const std::vector<IndicatorRow>& rows = indicatorRowsForArea(twin, state, areaRows);
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // Top centre, under the menu bar, as wide as a wall allows (the 18 rows need about 1100 pixels) and down to the
  // time bar.
  const float top = ImGui::GetFrameHeight() + 8;
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + top), ImGuiCond_FirstUseEver,
                          ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSize(
      ImVec2(std::min(vp->Size.x - 16, 1120.0f), std::max(200.0f, vp->Size.y - top - kBottomBars - 8)),
      ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowCollapsed(!state.indicatorsUnfolded, ImGuiCond_FirstUseEver);
  if (areaRows.unfoldOnce) ImGui::SetNextWindowCollapsed(false, ImGuiCond_Always);  // an area was just chosen
  areaRows.unfoldOnce = false;
  ImGui::SetNextWindowBgAlpha(0.94f);  // the city must not show through the figures
  // The same id in both languages ("###indicators"), so the window keeps its place when switching.
  const std::string title = std::string(indicatorPanelTitle(language)) + "###indicators";
  if (!ImGui::Begin(title.c_str(), &state.showIndicators)) {
    ImGui::End();
    return;
  }
  const ImVec4 error(1.0f, 0.45f, 0.4f, 1.0f);
  for (const std::string& e : board.errors()) ImGui::TextColored(error, "%s", e.c_str());
  // The programme's title, the counts per status as chips, and what the columns mean in a tooltip.
  ImGui::TextUnformatted(byLanguage(board.titleEn(), board.titleZh(), language).c_str());
  ImGui::SameLine(0, 24);
  for (IndicatorStatus s : {IndicatorStatus::Met, IndicatorStatus::OnTrack, IndicatorStatus::OffTrack,
                            IndicatorStatus::NoData}) {
    const auto n = std::count_if(rows.begin(), rows.end(), [s](const IndicatorRow& r) { return r.status() == s; });
    statusChip(s, language, ImGui::CalcTextSize(indicatorStatusWord(s, language)).x + 12);
    ImGui::SameLine();
    ImGui::Text("%ld", static_cast<long>(n));
    ImGui::SameLine(0, 16);
  }
  ImGui::TextDisabled("(?)");
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
    ImGui::TextUnformatted(label(Hint, language));
    ImGui::PopTextWrapPos();
    ImGui::EndTooltip();
  }
  drawIndicatorAreaBar(twin, state, areaRows);

  const Widths widths = columnWidths(rows, language);
  bool header = true;
  // The catalog's groups in order, then the entries it could not load.
  std::vector<runtime::IndicatorGroup> groups = board.groups();
  groups.push_back({"", label(NotLoaded, Language::Chinese), label(NotLoaded, Language::English)});
  for (const runtime::IndicatorGroup& g : groups) {
    const bool any = std::any_of(rows.begin(), rows.end(), [&g](const IndicatorRow& r) { return r.group == g.id; });
    if (!any) continue;
    ImGui::TextColored(ImVec4(0.55f, 0.85f, 0.65f, 1.0f), "%s", byLanguage(g.nameEn, g.nameZh, language).c_str());
    bool inTable = beginTable(widths, language, header);
    header = false;
    for (const IndicatorRow& row : rows) {
      if (row.group != g.id || !inTable) continue;
      if (!drawRow(row, widths, language)) continue;
      ImGui::EndTable();  // the fold-out spans the window, between two instances of the table
      drawDetails(twin, commands, row, language);
      inTable = beginTable(widths, language, false);
    }
    if (inTable) ImGui::EndTable();
  }
  ImGui::End();
}

std::vector<std::string> indicatorPanelStrings(const runtime::Twin& twin, std::uint64_t& reportedVersion) {
  std::vector<std::string> out;
  const runtime::IndicatorBoard& board = twin.indicators();
  if (board.version() == reportedVersion) return out;
  reportedVersion = board.version();
  for (const IndicatorWords& l : kLabels) out.emplace_back(l.zh);
  for (std::string& s : indicatorAreaToolStrings()) out.push_back(std::move(s));
  for (IndicatorStatus s : {IndicatorStatus::Met, IndicatorStatus::OnTrack, IndicatorStatus::OffTrack,
                            IndicatorStatus::NoData}) {
    out.emplace_back(runtime::indicatorStatusNameZh(s));
  }
  for (IndicatorOrigin o : {IndicatorOrigin::Computed, IndicatorOrigin::Reported, IndicatorOrigin::Synthetic}) {
    out.emplace_back(runtime::indicatorOriginNameZh(o));
  }
  out.emplace_back("ⅠⅡⅢⅣⅤ劣类—·（）");
  out.push_back(board.titleZh());
  for (const std::string& e : board.errors()) out.push_back(e);
  for (const runtime::IndicatorGroup& g : board.groups()) out.push_back(g.nameZh);
  for (const IndicatorRow& r : board.rows()) {
    for (const std::string* s : {&r.nameZh, &r.nameEn, &r.unitZh, &r.targetZh, &r.targetEn, &r.methodZh, &r.methodEn,
                                 &r.note, &r.noDataZh, &r.noDataEn, &r.figureSource, &r.assessment.reason,
                                 &r.valueNote}) {
      out.push_back(*s);
    }
    for (const std::string& p : r.problems) out.push_back(p);
  }
  return out;
}

}  // namespace gt::viewer
