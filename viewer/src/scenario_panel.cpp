#include "scenario_panel.hpp"

#include <imgui.h>

#include <chrono>
#include <cstdio>
#include <sstream>

#include "greentwin/runtime/indicator_area.hpp"
#include "greentwin/runtime/twin.hpp"
#include "indicator_style.hpp"
#include "report_builder.hpp"
#include "scenario_panel_state.hpp"
#include "selection_panel.hpp"

namespace gt::viewer {

namespace {

using Words = IndicatorWords;  // indicator_style.hpp: {en, zh}
constexpr Words kScenario{"Scenario", "情景"};
constexpr Words kName{"Name", "名称"};
constexpr Words kEdits{"Edits", "编辑"};
constexpr Words kNoEdits{"No edits yet: select buildings (Measure > Area > Select inside) or draw an area.",
                         "尚无编辑：先选择建筑（测量 > 面积 > 选择范围内要素）或绘制一个范围。"};
constexpr Words kRemove{"Remove", "删除"};
constexpr Words kCompare{"Compare with baseline", "与基准对比"};
constexpr Words kIndicator{"Indicator", "指标"};
constexpr Words kBaseline{"Baseline", "基准"};
constexpr Words kDifference{"Difference", "差值"};
constexpr Words kUnchanged{"unchanged by the edits", "不受编辑影响"};
constexpr Words kNoData{"no data", "无数据"};
constexpr Words kComputing{"computing...", "计算中…"};
constexpr Words kFile{"File", "文件"};
constexpr Words kSave{"Save", "保存"};
constexpr Words kOpen{"Open", "打开"};
constexpr Words kSaved{"Saved", "已保存"};
constexpr Words kOpened{"Opened", "已打开"};
constexpr Words kAddPv{"Add rooftop PV", "加装屋顶光伏"};
constexpr Words kCoverage{"roof coverage %.0f%%", "屋顶覆盖率 %.0f%%"};
constexpr Words kSetStars{"Set green-building stars", "设定绿色建筑星级"};
constexpr Words kAddPark{"Add as a park", "作为新公园"};
constexpr Words kAddForest{"Add as forest", "作为新林地"};
constexpr Words kToScenario{"To the scenario", "加入情景"};
constexpr Words kSetUse{"Set use", "改变用途"};
constexpr Words kRemoveBuildings{"Remove these buildings", "拆除这些建筑"};
constexpr Words kAddBuilding{"Add as a building", "作为新建筑"};
constexpr Words kHeight{"height %.0f m", "高度 %.0f 米"};
constexpr Words kFloors{"%d floors", "%d 层"};
constexpr Words kUse{"Use", "用途"};
constexpr Words kStars{"%d stars", "%d 星"};
constexpr Words kAgainst{"Scenario B", "情景 B"};
constexpr Words kOpenB{"Open B", "打开 B"};
constexpr Words kKeepB{"Keep a copy as B", "当前情景存为 B"};
constexpr Words kCompareB{"Compare with B", "与情景 B 对比"};
constexpr Words kWriteReport{"Write report", "生成报告"};
constexpr Words kReportWritten{"Report written to", "报告已写入"};
constexpr Words kNoB{"none: open a file or keep a copy of this scenario", "无：打开文件或保存当前情景的副本"};
constexpr Words kAllWords[]{kScenario,  kName,       kEdits,     kNoEdits,   kRemove,  kCompare,         kIndicator,
                            kBaseline,  kDifference, kUnchanged, kNoData,    kComputing, kFile,    kSave,            kOpen,
                            kSaved,     kOpened,     kAddPv,     kCoverage,  kSetStars, kAddPark,        kAddForest,
                            kToScenario, kSetUse,    kRemoveBuildings, kAddBuilding, kHeight, kFloors,   kUse,
                            kStars,     kAgainst,    kOpenB,     kKeepB,     kCompareB, kNoB,          kWriteReport,
                            kReportWritten};

const char* word(const Words& w, Language language) { return inLanguage(w, language); }

std::string editLine(const ScenarioEdit& e) {
  char text[192];
  switch (e.kind) {
    case ScenarioEditKind::AddPv:
      std::snprintf(text, sizeof text, "add_pv: %zu buildings, %.0f%% of the roof", e.buildings.size(), e.coverage * 100);
      break;
    case ScenarioEditKind::SetStars:
      std::snprintf(text, sizeof text, "set_stars: %zu buildings to %d", e.buildings.size(), e.stars);
      break;
    case ScenarioEditKind::SetUse:
      std::snprintf(text, sizeof text, "set_use: %zu buildings to %s", e.buildings.size(), e.use.c_str());
      break;
    case ScenarioEditKind::RemoveBuilding:
      std::snprintf(text, sizeof text, "remove_building: %zu buildings", e.buildings.size());
      break;
    case ScenarioEditKind::AddBuilding:
      std::snprintf(text, sizeof text, "add_building %s: %.0f m", e.id.c_str(), e.heightM);
      break;
    case ScenarioEditKind::AddParcel: {
      const double area = e.polygon.rings.empty() ? 0.0 : polygonArea(e.polygon);
      std::snprintf(text, sizeof text, "add_parcel %s: %s, %.2f ha", e.id.c_str(), e.parcelKind.c_str(), area / 1e4);
      break;
    }
  }
  return text;
}

std::string valueText(const runtime::ScenarioSide& side, const std::string& unit, Language language) {
  if (!side.value) return word(side.pending ? kComputing : kNoData, language);
  char text[64];
  std::snprintf(text, sizeof text, "%.2f %s", *side.value, unit.c_str());
  return text;
}

void drawComparison(const runtime::ScenarioComparison& c, Language language) {
  if (!ImGui::BeginTable("##comparison", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    return;
  }
  ImGui::TableSetupColumn(word(kIndicator, language));
  ImGui::TableSetupColumn(c.leftName == "baseline" ? word(kBaseline, language) : c.leftName.c_str());
  ImGui::TableSetupColumn(c.rightName.c_str());
  ImGui::TableSetupColumn(word(kDifference, language));
  ImGui::TableHeadersRow();
  for (const runtime::ScenarioComparisonRow& row : c.rows) {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    const std::string& name = language == Language::Chinese && !row.nameZh.empty() ? row.nameZh : row.nameEn;
    if (row.number > 0) {
      ImGui::Text("#%d %s", row.number, name.c_str());
    } else {
      ImGui::TextUnformatted(name.c_str());
    }
    ImGui::TableNextColumn();
    ImGui::TextColored(indicatorStatusColour(row.left.status), "%s", valueText(row.left, row.unit, language).c_str());
    ImGui::TableNextColumn();
    ImGui::TextColored(indicatorStatusColour(row.right.status), "%s", valueText(row.right, row.unit, language).c_str());
    ImGui::TableNextColumn();
    if (row.unchanged) {
      ImGui::TextDisabled("%s", word(kUnchanged, language));
    } else if (const auto d = row.difference()) {
      ImGui::Text("%+.3g", *d);  // three significant digits: a small parcel's +0.0044 is not "+0.00"
    }
  }
  ImGui::EndTable();
}

// Shows the outcome of a button: an error in red, else `done` (nothing when empty).
void report(ScenarioPanelState& panel, const Status& s, const std::string& done = {}) {
  panel.error = !s.isOk();
  panel.message = s.isOk() ? done : s.message();
}

// The uses offered for `layerId` ("" : every buildings layer), read again only when its features changed in number
// (a layer still loading).
const std::vector<std::string>& usesOf(const runtime::Twin& twin, ScenarioPanelState& panel, const std::string& layerId) {
  std::size_t slots = 0;
  for (const auto& layer : twin.layers()) {
    if (layer->isThreeDimensional() && (layerId.empty() || layer->config().id == layerId)) slots += layer->slotCount();
  }
  ScenarioPanelState::UsesRead& read = panel.uses[layerId];
  if (read.slots != slots) read = {slots, buildingUses(twin, layerId)};
  return read.uses;
}

// A combo of `uses`; returns the chosen one ("" when there are none).
std::string useCombo(const char* id, const std::vector<std::string>& uses, int& choice) {
  if (uses.empty()) return {};
  if (choice < 0 || choice >= static_cast<int>(uses.size())) choice = 0;
  ImGui::SetNextItemWidth(140);
  if (ImGui::BeginCombo(id, uses[static_cast<std::size_t>(choice)].c_str())) {
    for (std::size_t i = 0; i < uses.size(); ++i) {
      if (ImGui::Selectable(uses[i].c_str(), static_cast<int>(i) == choice)) choice = static_cast<int>(i);
    }
    ImGui::EndCombo();
  }
  return uses[static_cast<std::size_t>(choice)];
}

// Scenario B: where it came from, Open B / Keep a copy as B, Compare with B.
void drawComparedScenario(runtime::Twin& twin, UiState& state, ScenarioPanelState& panel) {
  const Language language = state.language;
  ImGui::TextDisabled("%s:", word(kAgainst, language));
  ImGui::SameLine();
  if (panel.compared) {
    ImGui::Text("%s (%zu edits, %s)", panel.compared->name.c_str(), panel.compared->edits.size(),
                panel.comparedSource.c_str());
  } else {
    ImGui::TextDisabled("%s", word(kNoB, language));
  }
  ImGui::SetNextItemWidth(300);
  ImGui::InputText("##compared-path", panel.comparedPath, sizeof panel.comparedPath);
  ImGui::SameLine();
  if (ImGui::Button(word(kOpenB, language))) {
    report(panel, openComparedScenario(state, panel.comparedPath),
           std::string(word(kOpened, language)) + " " + panel.comparedPath);
  }
  ImGui::SameLine();
  if (ImGui::Button(word(kKeepB, language))) keepEditedAsCompared(state);
  if (!panel.compared) return;
  ImGui::SameLine();
  if (ImGui::Button(word(kCompareB, language))) {
    const auto c = compareWithComparedScenario(twin, state);
    report(panel, c.status());
  }
}

}  // namespace

const runtime::ScenarioComparison& compareWithBaseline(runtime::Twin& twin, UiState& state) {
  ScenarioPanelState& panel = scenarioPanelOf(state);
  panel.comparison = runtime::compareScenarios(twin.plugins(), twin.indicators(), nullptr, &panel.scenario,
                                               twin.frameTime());
  panel.comparisonWithB = false;
  panel.comparedAt = std::chrono::steady_clock::now();
  return *panel.comparison;
}

Status openComparedScenario(UiState& state, const std::string& path) {
  auto loaded = loadScenario(path);
  if (!loaded) return loaded.status();
  ScenarioPanelState& panel = scenarioPanelOf(state);
  panel.compared = std::move(*loaded);
  panel.comparedSource = path;
  panel.comparison.reset();
  return Status::ok();
}

void keepEditedAsCompared(UiState& state) {
  ScenarioPanelState& panel = scenarioPanelOf(state);
  panel.compared = panel.scenario;
  // The two sides need names of their own in the table's header.
  if (panel.compared->name == panel.scenario.name) panel.compared->name += " (B)";
  panel.comparedSource = "copy";
  panel.comparison.reset();
}

const Scenario* comparedScenario(UiState& state) {
  ScenarioPanelState& panel = scenarioPanelOf(state);
  return panel.compared ? &*panel.compared : nullptr;
}

Result<runtime::ScenarioComparison> compareWithComparedScenario(runtime::Twin& twin, UiState& state) {
  ScenarioPanelState& panel = scenarioPanelOf(state);
  if (!panel.compared) {
    return Status(ErrorCode::InvalidArgument, "no scenario B to compare with: open a file or keep a copy first");
  }
  panel.comparison = runtime::compareScenarios(twin.plugins(), twin.indicators(), &*panel.compared, &panel.scenario,
                                               twin.frameTime());
  panel.comparisonWithB = true;
  panel.comparedAt = std::chrono::steady_clock::now();
  return *panel.comparison;
}

Status writeScenarioReport(runtime::Twin& twin, UiState& state, const std::string& dir) {
  ScenarioPanelState& panel = scenarioPanelOf(state);
  if (panel.comparisonWithB && panel.compared) {
    if (auto c = compareWithComparedScenario(twin, state); !c) return c.status();
  } else {
    (void)compareWithBaseline(twin, state);
  }
  auto folder = ReportFolder::open(dir);
  if (!folder) return folder.status();
  ReportOptions options;
  options.time = panel.comparison->time;
  options.language = state.language;
  options.configPath = twin.config().path;
  options.maps = false;
  IndicatorTimeline timeline;
  timeline.rows = twin.indicatorRows(runtime::districtArea());
  timeline.source = kLiveRowsSource;
  std::ostringstream log;
  auto report = reportFromTimeline(twin, options, std::move(timeline), options.time, 0, (*folder)->staging(), log);
  if (!report) return report.status();
  report->scenario = ReportScenario{"scenario.toml", panel.scenario.name, panel.scenario.description,
                                    panel.comparisonWithB ? panel.comparedSource : std::string(),
                                    panel.scenario.edits.size(), *panel.comparison};
  if (Status s = (*folder)->write("scenario.toml", scenarioText(panel.scenario)); !s) return s;
  return writeReportFiles(*report, **folder);
}

Status saveEditedScenario(UiState& state, const std::string& path) {
  return saveScenario(editedScenario(state), path);
}

Status openScenario(UiState& state, const std::string& path) {
  auto loaded = loadScenario(path);
  if (!loaded) return loaded.status();
  replaceEditedScenario(state, std::move(*loaded));
  return Status::ok();
}

const Scenario* editedScenarioIfAny(const UiState& state) {
  return state.scenario ? &state.scenario->scenario : nullptr;
}

void replaceEditedScenario(UiState& state, Scenario scenario) {
  ScenarioPanelState& panel = scenarioPanelOf(state);
  panel.scenario = std::move(scenario);
  std::snprintf(panel.name, sizeof panel.name, "%s", panel.scenario.name.c_str());
  panel.comparison.reset();
}

void drawScenarioSelectionActions(const runtime::Twin& twin, UiState& state) {
  const HeldSelection* held = heldSelection(state);
  if (held == nullptr || held->entities.empty()) return;
  const layers::Layer* layer = twin.findLayer(held->layerId);
  if (layer == nullptr || !layer->isThreeDimensional()) return;
  const Language language = state.language;
  ScenarioPanelState& panel = scenarioPanelOf(state);
  const std::string layerId = held->layerId;  // the buttons below may replace the selection
  ImGui::Separator();
  ImGui::TextDisabled("%s", word(kToScenario, language));
  ImGui::SetNextItemWidth(180);
  float percent = panel.pvCoverage * 100.0f;
  if (ImGui::SliderFloat("##pv-coverage", &percent, 5.0f, 100.0f, word(kCoverage, language))) {
    panel.pvCoverage = percent / 100.0f;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton(word(kAddPv, language))) {
    report(panel, addPvToSelectedBuildings(twin, state, panel.pvCoverage));
  }
  ImGui::SetNextItemWidth(180);
  ImGui::SliderInt("##stars", &panel.stars, 0, 3, word(kStars, language));  // the English font has no ★
  ImGui::SameLine();
  if (ImGui::SmallButton(word(kSetStars, language))) {
    report(panel, setStarsOfSelectedBuildings(twin, state, panel.stars));
  }
  const std::string use = useCombo("##use", usesOf(twin, panel, layerId), panel.useChoice);
  if (!use.empty()) ImGui::SameLine();
  if (ImGui::SmallButton(word(kSetUse, language))) report(panel, setUseOfSelectedBuildings(twin, state, use));
  if (ImGui::SmallButton(word(kRemoveBuildings, language))) report(panel, removeSelectedBuildings(twin, state));
}

void drawScenarioAreaActions(const runtime::Twin& twin, UiState& state) {
  if (state.measureMode != MeasureMode::Area || state.measurePoints.size() < 3) return;
  const Language language = state.language;
  ScenarioPanelState& panel = scenarioPanelOf(state);
  for (const auto& [words, kind] : {std::pair{kAddPark, "park"}, std::pair{kAddForest, "forest"}}) {
    if (ImGui::SmallButton(word(words, language))) report(panel, addParcelFromMeasuredArea(state, kind));
    ImGui::SameLine();
  }
  ImGui::NewLine();
  // A new building on the polygon: height, floors, use, stars.
  ImGui::SetNextItemWidth(110);
  ImGui::DragFloat("##new-height", &panel.newHeightM, 0.5f, 1.0f, 300.0f, word(kHeight, language));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(80);
  ImGui::DragInt("##new-floors", &panel.newFloors, 0.2f, 1, 200, word(kFloors, language));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(70);
  ImGui::SliderInt("##new-stars", &panel.newStars, 0, 3, word(kStars, language));
  const std::string use = useCombo("##new-use", usesOf(twin, panel, ""), panel.newUseChoice);
  if (!use.empty()) ImGui::SameLine();
  if (ImGui::SmallButton(word(kAddBuilding, language))) {
    const NewBuilding building{panel.newHeightM, panel.newFloors, use, panel.newStars};
    report(panel, addBuildingFromMeasuredArea(state, building));
  }
}

void drawScenarioPanel(runtime::Twin& twin, UiState& state) {
  if (!state.showScenario) return;
  ScenarioPanelState& panel = scenarioPanelOf(state);
  const Language language = state.language;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // Bottom right, above the time bar: the map's middle (where a parcel was just drawn) stays in view.
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - 8, vp->Pos.y + vp->Size.y - 90), ImGuiCond_FirstUseEver,
                          ImVec2(1.0f, 1.0f));
  const std::string title = std::string(word(kScenario, language)) + "###scenario";
  if (!ImGui::Begin(title.c_str(), &state.showScenario, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  ImGui::SetNextItemWidth(300);
  if (ImGui::InputText(word(kName, language), panel.name, sizeof panel.name)) {
    panel.scenario.name = panel.name;
    panel.comparison.reset();
  }
  ImGui::TextDisabled("%s", word(kEdits, language));
  if (panel.scenario.edits.empty()) ImGui::TextWrapped("%s", word(kNoEdits, language));
  std::optional<std::size_t> removed;
  for (std::size_t i = 0; i < panel.scenario.edits.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::SmallButton(word(kRemove, language))) removed = i;
    ImGui::SameLine();
    ImGui::TextUnformatted(editLine(panel.scenario.edits[i]).c_str());
    ImGui::PopID();
  }
  if (removed) report(panel, removeScenarioEdit(state, *removed));
  if (ImGui::Button(word(kCompare, language))) (void)compareWithBaseline(twin, state);
  drawComparedScenario(twin, state, panel);
  // A side its plugin is still computing (layers being read, a background job): compared again each second.
  if (panel.comparison && panel.comparison->pending() &&
      std::chrono::steady_clock::now() - panel.comparedAt >= std::chrono::seconds(1)) {
    if (panel.comparisonWithB && panel.compared) {
      (void)compareWithComparedScenario(twin, state);
    } else {
      (void)compareWithBaseline(twin, state);
    }
  }
  if (panel.comparison) drawComparison(*panel.comparison, language);
  ImGui::SetNextItemWidth(300);
  ImGui::InputText("##report-dir", panel.reportDir, sizeof panel.reportDir);
  ImGui::SameLine();
  if (ImGui::Button(word(kWriteReport, language))) {
    report(panel, writeScenarioReport(twin, state, panel.reportDir),
           std::string(word(kReportWritten, language)) + " " + panel.reportDir);
  }
  ImGui::SetNextItemWidth(300);
  ImGui::InputText(word(kFile, language), panel.path, sizeof panel.path);
  ImGui::SameLine();
  if (ImGui::Button(word(kSave, language))) {
    report(panel, saveEditedScenario(state, panel.path), std::string(word(kSaved, language)) + " " + panel.path);
  }
  ImGui::SameLine();
  if (ImGui::Button(word(kOpen, language))) {
    report(panel, openScenario(state, panel.path), std::string(word(kOpened, language)) + " " + panel.path);
  }
  if (!panel.message.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 520);
    ImGui::TextColored(panel.error ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f) : ImVec4(0.55f, 0.85f, 0.6f, 1.0f), "%s",
                       panel.message.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

std::vector<std::string> scenarioPanelStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAllWords) out.emplace_back(w.zh);
  return out;
}

}  // namespace gt::viewer
