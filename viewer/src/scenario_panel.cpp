#include "scenario_panel.hpp"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "greentwin/runtime/twin.hpp"
#include "indicator_style.hpp"
#include "screen_mapping.hpp"
#include "selection_panel.hpp"

namespace gt::viewer {

struct ScenarioPanelState {
  Scenario scenario{"Scenario 1", "", {}};
  char name[128] = "Scenario 1";
  char path[512] = "scenarios/scenario-1.toml";
  std::optional<runtime::ScenarioComparison> comparison;
  std::string message;
  bool error = false;
  float pvCoverage = 0.6f;
  int stars = 3;
  int parcels = 0;  // parcels added so far (their ids)
};

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
constexpr Words kAllWords[]{kScenario, kName,     kEdits,   kNoEdits, kRemove, kCompare, kIndicator, kBaseline,
                            kDifference, kUnchanged, kNoData, kFile,  kSave,   kOpen,   kSaved,     kOpened,
                            kAddPv,    kCoverage, kSetStars, kAddPark, kAddForest, kToScenario};

const char* word(const Words& w, Language language) { return inLanguage(w, language); }

ScenarioPanelState& panelOf(UiState& state) {
  if (!state.scenario) state.scenario = std::make_shared<ScenarioPanelState>();
  return *state.scenario;
}

// The selected entities' ids when the selection is of buildings (a layer of 3D features).
Result<std::vector<std::string>> selectedBuildingIds(const runtime::Twin& twin, const UiState& state) {
  const HeldSelection* held = heldSelection(state);
  if (held == nullptr || held->entities.empty()) {
    return Status(ErrorCode::InvalidArgument, "no buildings selected: select inside a measured area first");
  }
  const layers::Layer* layer = twin.findLayer(held->layerId);
  if (layer == nullptr || !layer->isThreeDimensional()) {
    return Status(ErrorCode::InvalidArgument, "the selection is of layer '" + held->layerId + "', not of buildings");
  }
  std::vector<std::string> ids;
  ids.reserve(held->entities.size());
  for (const EntityIndex e : held->entities) {
    if (const Entity* entity = twin.entities().get(e)) ids.push_back(entity->id);
  }
  return ids;
}

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
  if (!side.value) return word(kNoData, language);
  char text[64];
  std::snprintf(text, sizeof text, "%.2f %s", *side.value, unit.c_str());
  return text;
}

void drawComparison(const runtime::ScenarioComparison& c, Language language) {
  if (!ImGui::BeginTable("##comparison", 4, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    return;
  }
  ImGui::TableSetupColumn(word(kIndicator, language));
  ImGui::TableSetupColumn(word(kBaseline, language));
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

// Whether a screen polygon turns one way only (every corner's cross product of the same sign).
bool isConvex(const std::vector<ImVec2>& p) {
  int sign = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const ImVec2& a = p[i];
    const ImVec2& b = p[(i + 1) % p.size()];
    const ImVec2& c = p[(i + 2) % p.size()];
    const float cross = (b.x - a.x) * (c.y - b.y) - (b.y - a.y) * (c.x - b.x);
    if (cross == 0.0f) continue;
    const int s = cross > 0 ? 1 : -1;
    if (sign != 0 && s != sign) return false;
    sign = s;
  }
  return true;
}

}  // namespace

Scenario& editedScenario(UiState& state) { return panelOf(state).scenario; }

Status addPvToSelectedBuildings(const runtime::Twin& twin, UiState& state, double coverage) {
  if (!(coverage > 0 && coverage <= 1)) return Status(ErrorCode::OutOfRange, "PV roof coverage must be in (0, 1]");
  auto ids = selectedBuildingIds(twin, state);
  if (!ids) return ids.status();
  ScenarioEdit edit;
  edit.kind = ScenarioEditKind::AddPv;
  edit.buildings = std::move(*ids);
  edit.coverage = coverage;
  editedScenario(state).edits.push_back(std::move(edit));
  panelOf(state).comparison.reset();
  state.showScenario = true;
  return Status::ok();
}

Status setStarsOfSelectedBuildings(const runtime::Twin& twin, UiState& state, int stars) {
  if (stars < 0 || stars > 3) return Status(ErrorCode::OutOfRange, "green-building stars must be 0..3");
  auto ids = selectedBuildingIds(twin, state);
  if (!ids) return ids.status();
  ScenarioEdit edit;
  edit.kind = ScenarioEditKind::SetStars;
  edit.buildings = std::move(*ids);
  edit.stars = stars;
  editedScenario(state).edits.push_back(std::move(edit));
  panelOf(state).comparison.reset();
  state.showScenario = true;
  return Status::ok();
}

Status addParcelFromMeasuredArea(UiState& state, const std::string& parcelKind) {
  if (state.measureMode != MeasureMode::Area || state.measurePoints.size() < 3) {
    return Status(ErrorCode::InvalidArgument, "draw an area first (Measure > Area, three corners or more)");
  }
  ScenarioPanelState& panel = panelOf(state);
  ScenarioEdit edit;
  edit.kind = ScenarioEditKind::AddParcel;
  edit.parcelKind = parcelKind;
  edit.id = "scenario/" + parcelKind + "-" + std::to_string(++panel.parcels);
  std::vector<Vec3d> ring;
  for (const Vec3d& p : state.measurePoints) ring.push_back(Vec3d{p.x, p.y, 0});
  edit.polygon.rings.push_back(std::move(ring));
  panel.scenario.edits.push_back(std::move(edit));
  panel.comparison.reset();
  state.showScenario = true;
  return Status::ok();
}

const runtime::ScenarioComparison& compareWithBaseline(runtime::Twin& twin, UiState& state) {
  ScenarioPanelState& panel = panelOf(state);
  panel.comparison = runtime::compareScenarios(twin.plugins(), twin.indicators(), nullptr, &panel.scenario,
                                               twin.frameTime());
  return *panel.comparison;
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

const Scenario* editedScenarioIfAny(const UiState& state) { return state.scenario ? &state.scenario->scenario : nullptr; }

void replaceEditedScenario(UiState& state, Scenario scenario) {
  ScenarioPanelState& panel = panelOf(state);
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
  ScenarioPanelState& panel = panelOf(state);
  ImGui::Separator();
  ImGui::TextDisabled("%s", word(kToScenario, language));
  ImGui::SetNextItemWidth(180);
  float percent = panel.pvCoverage * 100.0f;
  if (ImGui::SliderFloat("##pv-coverage", &percent, 5.0f, 100.0f, word(kCoverage, language))) {
    panel.pvCoverage = percent / 100.0f;
  }
  ImGui::SameLine();
  if (ImGui::SmallButton(word(kAddPv, language))) {
    const Status s = addPvToSelectedBuildings(twin, state, panel.pvCoverage);
    panel.error = !s.isOk();
    panel.message = s.isOk() ? std::string() : s.message();
  }
  ImGui::SetNextItemWidth(180);
  ImGui::SliderInt("##stars", &panel.stars, 0, 3, "%d ★");
  ImGui::SameLine();
  if (ImGui::SmallButton(word(kSetStars, language))) {
    const Status s = setStarsOfSelectedBuildings(twin, state, panel.stars);
    panel.error = !s.isOk();
    panel.message = s.isOk() ? std::string() : s.message();
  }
}

void drawScenarioAreaActions(UiState& state) {
  if (state.measureMode != MeasureMode::Area || state.measurePoints.size() < 3) return;
  const Language language = state.language;
  for (const auto& [words, kind] : {std::pair{kAddPark, "park"}, std::pair{kAddForest, "forest"}}) {
    if (ImGui::SmallButton(word(words, language))) (void)addParcelFromMeasuredArea(state, kind);
    ImGui::SameLine();
  }
  ImGui::NewLine();
}

void drawScenarioPanel(runtime::Twin& twin, UiState& state) {
  if (!state.showScenario) return;
  ScenarioPanelState& panel = panelOf(state);
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
  if (removed) {
    panel.scenario.edits.erase(panel.scenario.edits.begin() + static_cast<std::ptrdiff_t>(*removed));
    panel.comparison.reset();
  }
  if (ImGui::Button(word(kCompare, language))) (void)compareWithBaseline(twin, state);
  if (panel.comparison) drawComparison(*panel.comparison, language);
  ImGui::SetNextItemWidth(300);
  ImGui::InputText(word(kFile, language), panel.path, sizeof panel.path);
  ImGui::SameLine();
  if (ImGui::Button(word(kSave, language))) {
    const Status s = saveEditedScenario(state, panel.path);
    panel.error = !s.isOk();
    panel.message = s.isOk() ? std::string(word(kSaved, language)) + " " + panel.path : s.message();
  }
  ImGui::SameLine();
  if (ImGui::Button(word(kOpen, language))) {
    const Status s = openScenario(state, panel.path);
    panel.error = !s.isOk();
    panel.message = s.isOk() ? std::string(word(kOpened, language)) + " " + panel.path : s.message();
  }
  if (!panel.message.empty()) {
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 520);
    ImGui::TextColored(panel.error ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f) : ImVec4(0.55f, 0.85f, 0.6f, 1.0f), "%s",
                       panel.message.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

void drawScenarioOverlay(const runtime::Twin& twin, const UiState& state, const osg::Camera* camera) {
  if (!state.scenario || state.scenario->scenario.edits.empty()) return;
  const auto mapping = ScreenMapping::of(camera, state);
  if (!mapping) return;
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  // Scenario edits in magenta, a colour no real layer of the demo uses: proposed, not real.
  const ImU32 colour = IM_COL32(230, 60, 220, 255);
  const ImU32 fill = IM_COL32(230, 60, 220, 60);
  const auto ground = [&twin](double x, double y) {
    return twin.ground() ? twin.ground()->heightAt(x, y, 0.0) + 2.0 : 0.0;
  };
  for (const ScenarioEdit& e : state.scenario->scenario.edits) {
    if (e.kind == ScenarioEditKind::AddParcel || e.kind == ScenarioEditKind::AddBuilding) {
      if (e.polygon.rings.empty()) continue;
      std::vector<ImVec2> points;
      bool visible = true;
      for (const Vec3d& p : e.polygon.rings.front()) {
        const auto s = mapping->toScreen(Vec3d{p.x, p.y, ground(p.x, p.y)});
        if (!s) {
          visible = false;
          break;
        }
        points.emplace_back(static_cast<float>(s->x()), static_cast<float>(s->y()));
      }
      if (!visible || points.size() < 3) continue;
      // ImGui fills convex polygons only: a concave parcel gets its outline alone.
      if (isConvex(points)) draw->AddConvexPolyFilled(points.data(), static_cast<int>(points.size()), fill);
      draw->AddPolyline(points.data(), static_cast<int>(points.size()), colour, ImDrawFlags_Closed, 3.0f);
      draw->AddText(points.front(), colour, (e.parcelKind.empty() ? e.id : e.parcelKind + " (" + e.id + ")").c_str());
      continue;
    }
    if (e.kind != ScenarioEditKind::AddPv && e.kind != ScenarioEditKind::SetStars) continue;
    // A small square on each edited building (at most 5000 drawn).
    std::size_t drawn = 0;
    for (const std::string& id : e.buildings) {
      if (++drawn > 5000) break;
      const auto entity = twin.entities().find(id);
      const auto at = entity ? twin.entityPosition(*entity) : std::nullopt;
      if (!at) continue;
      const auto s = mapping->toScreen(*at);
      if (!s) continue;
      const ImVec2 c(static_cast<float>(s->x()), static_cast<float>(s->y()));
      draw->AddRectFilled(ImVec2(c.x - 3, c.y - 3), ImVec2(c.x + 3, c.y + 3),
                          e.kind == ScenarioEditKind::AddPv ? IM_COL32(255, 210, 40, 255) : colour);
    }
  }
}

std::vector<std::string> scenarioPanelStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAllWords) out.emplace_back(w.zh);
  return out;
}

}  // namespace gt::viewer
