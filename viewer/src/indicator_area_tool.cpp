#include "indicator_area_tool.hpp"

#include <imgui.h>
#include <osg/Camera>
#include <osg/Viewport>

#include <utility>

#include "greentwin/runtime/twin.hpp"
#include "indicator_style.hpp"
#include "screen_mapping.hpp"

namespace gt::viewer {
namespace {

using Words = IndicatorWords;  // indicator_style.hpp
constexpr Words kArea{"Area", "区域"};
constexpr Words kDistrict{"District", "全区"};
constexpr Words kSelected{"Selected", "选中"};
constexpr Words kDraw{"Draw area", "绘制区域"};
constexpr Words kDrawing{"Click points on the map", "在地图上点击添加顶点"};
constexpr Words kFinish{"Finish", "完成"};
constexpr Words kCancel{"Cancel", "取消"};
constexpr Words kDrawHint{"Each click on the map adds a corner; Finish closes the polygon (three corners or more).",
                          "在地图上每点击一次添加一个顶点；点击“完成”闭合多边形（至少三个顶点）。"};

const char* word(const Words& w, Language language) { return inLanguage(w, language); }

constexpr Words kUseMeasured{"Use as indicator area", "用作指标区域"};
constexpr Words kAllWords[]{kArea, kDistrict, kSelected, kDraw, kDrawing, kFinish, kCancel, kDrawHint, kUseMeasured};

const runtime::IndicatorArea* drawnArea(const UiState& state, const std::string& id) {
  for (const runtime::IndicatorArea& a : state.drawnAreas) {
    if (a.id == id) return &a;
  }
  return nullptr;
}

// The area `id` names: a drawn one from the state, else the twin's (district or a polygon feature).
Result<runtime::IndicatorArea> resolve(const runtime::Twin& twin, const UiState& state, const std::string& id) {
  if (const runtime::IndicatorArea* drawn = drawnArea(state, id)) return *drawn;
  return twin.indicatorArea(id);
}

std::string areaName(const runtime::IndicatorArea& area, Language language) {
  return language == Language::Chinese ? area.nameZh : area.nameEn;
}

}  // namespace

const std::vector<runtime::IndicatorRow>& indicatorRowsForArea(runtime::Twin& twin, UiState& state,
                                                              IndicatorAreaRows& cache) {
  if (state.indicatorAreaId.empty() || state.indicatorAreaId == runtime::kDistrictAreaId) {
    cache.areaId = std::string(runtime::kDistrictAreaId);
    cache.error.clear();
    return twin.indicators().rows();
  }
  const auto now = std::chrono::steady_clock::now();
  if (cache.areaId == state.indicatorAreaId && now - cache.computed < std::chrono::seconds(1)) {
    return cache.error.empty() ? cache.rows : twin.indicators().rows();
  }
  cache.computed = now;
  cache.areaId = state.indicatorAreaId;
  auto area = resolve(twin, state, state.indicatorAreaId);
  if (!area) {
    cache.error = area.status().message();
    cache.rows.clear();
    return twin.indicators().rows();
  }
  cache.error.clear();
  cache.area = std::move(*area);
  cache.rows = twin.indicatorRows(cache.area);
  return cache.rows;
}

void drawIndicatorAreaBar(runtime::Twin& twin, UiState& state, const IndicatorAreaRows& cache) {
  const Language language = state.language;
  ImGui::TextDisabled("%s", word(kArea, language));
  ImGui::SameLine();
  // What the combo offers: the district, the selected feature when it is a polygon, the drawn areas.
  std::vector<std::pair<std::string, std::string>> choices{{std::string(runtime::kDistrictAreaId), word(kDistrict, language)}};
  if (state.selected) {
    if (const Entity* entity = twin.entities().get(*state.selected)) {
      if (auto area = twin.indicatorArea(entity->id)) {
        choices.emplace_back(area->id, std::string(word(kSelected, language)) + ": " + areaName(*area, language));
      }
    }
  }
  for (const runtime::IndicatorArea& a : state.drawnAreas) choices.emplace_back(a.id, areaName(a, language));
  std::string preview = cache.areaId == state.indicatorAreaId && cache.error.empty() && !cache.area.id.empty() &&
                                state.indicatorAreaId != runtime::kDistrictAreaId
                            ? areaName(cache.area, language)
                            : word(kDistrict, language);
  for (const auto& [id, name] : choices) {
    if (id == state.indicatorAreaId) preview = name;
  }
  ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18);
  if (ImGui::BeginCombo("##indicator-area", preview.c_str())) {
    for (const auto& [id, name] : choices) {
      if (ImGui::Selectable(name.c_str(), id == state.indicatorAreaId)) state.indicatorAreaId = id;
    }
    ImGui::EndCombo();
  }
  if (cache.areaId == state.indicatorAreaId && !cache.area.id.empty() && !cache.area.wholeTwin() && cache.error.empty()) {
    ImGui::SameLine();
    ImGui::TextDisabled("%.2f km²", cache.area.shape.areaM2 / 1e6);
  }
  ImGui::SameLine(0, 16);
  if (!state.drawingArea) {
    if (ImGui::SmallButton(word(kDraw, language))) {
      state.drawingArea = true;
      state.measureMode = MeasureMode::Off;  // one tool takes the map's clicks at a time
      state.drawnPoints.clear();
      state.drawError.clear();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", word(kDrawHint, language));
  } else {
    ImGui::TextColored(ImVec4(1.0f, 0.85f, 0.3f, 1.0f), "%s: %zu", word(kDrawing, language), state.drawnPoints.size());
    ImGui::SameLine();
    if (ImGui::SmallButton(word(kFinish, language))) finishIndicatorArea(state);
    ImGui::SameLine();
    if (ImGui::SmallButton(word(kCancel, language))) {
      state.drawingArea = false;
      state.drawnPoints.clear();
    }
  }
  const ImVec4 warn(1.0f, 0.75f, 0.35f, 1.0f);
  if (!state.drawError.empty()) ImGui::TextColored(warn, "%s", state.drawError.c_str());
  if (!cache.error.empty() && cache.areaId == state.indicatorAreaId) ImGui::TextColored(warn, "%s", cache.error.c_str());
}

void drawIndicatorAreaOutline(const runtime::Twin& twin, const UiState& state, const IndicatorAreaRows& cache,
                              const osg::Camera* camera) {
  const auto mapping = ScreenMapping::of(camera, state);
  if (!mapping) return;
  const bool area = cache.areaId == state.indicatorAreaId && cache.error.empty() && !cache.area.id.empty() &&
                    !cache.area.wholeTwin();
  if (!area && state.drawnPoints.empty()) return;
  const auto& ground = twin.ground();
  // A point on the ground (2 m above it) in ImGui's screen coordinates; false behind the camera.
  const auto project = [&](const Vec3d& p, ImVec2& out) {
    const double z = (ground ? ground->heightAt(p.x, p.y, p.z) : p.z) + 2.0;
    const auto screen = mapping->toScreen(Vec3d{p.x, p.y, z});
    if (!screen) return false;
    out = ImVec2(static_cast<float>(screen->x()), static_cast<float>(screen->y()));
    return true;
  };
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const auto ring = [&](const std::vector<Vec3d>& points, bool closed, ImU32 colour, float thickness) {
    std::vector<ImVec2> screen;
    screen.reserve(points.size());
    for (const Vec3d& p : points) {
      ImVec2 s;
      if (!project(p, s)) return;  // partly behind the camera: not drawn rather than drawn wrong
      screen.push_back(s);
    }
    if (screen.size() >= 2) draw->AddPolyline(screen.data(), static_cast<int>(screen.size()), colour, closed, thickness);
    if (!closed) {
      for (const ImVec2& s : screen) draw->AddCircleFilled(s, 4.0f, colour);
    }
  };
  if (area) {
    for (const Polygon& polygon : cache.area.shape.polygons) {
      for (const auto& r : polygon.rings) ring(r, true, IM_COL32(255, 214, 64, 255), 3.0f);
    }
  }
  if (state.drawingArea) ring(state.drawnPoints, false, IM_COL32(255, 140, 40, 255), 2.0f);
}

void addIndicatorAreaPoint(UiState& state, const Vec3d& ground) {
  if (state.drawingArea) state.drawnPoints.push_back(ground);
}

void finishIndicatorArea(UiState& state) {
  const int number = static_cast<int>(state.drawnAreas.size()) + 1;
  auto area = runtime::drawnArea(number, state.drawnPoints);
  if (!area) {
    state.drawError = area.status().message();
    return;  // keep drawing: a point more may make it an area
  }
  state.drawError.clear();
  state.drawingArea = false;
  state.drawnPoints.clear();
  state.indicatorAreaId = area->id;
  state.drawnAreas.push_back(std::move(*area));
}

Status useMeasuredAreaForIndicators(UiState& state) {
  if (state.measureMode != MeasureMode::Area) {
    return Status(ErrorCode::InvalidArgument, "measure an area first (Measure > Area, three corners or more)");
  }
  auto area = runtime::drawnArea(static_cast<int>(state.drawnAreas.size()) + 1, state.measurePoints);
  if (!area) return area.status();
  state.indicatorAreaId = area->id;
  state.drawnAreas.push_back(std::move(*area));
  state.showIndicators = true;
  state.indicatorsUnfolded = true;
  if (!state.indicatorAreaRows) state.indicatorAreaRows = std::make_shared<IndicatorAreaRows>();
  state.indicatorAreaRows->unfoldOnce = true;
  return Status::ok();
}

void drawMeasuredAreaIndicatorAction(UiState& state) {
  if (state.measureMode != MeasureMode::Area || state.measurePoints.size() < 3) return;
  if (ImGui::SmallButton(word(kUseMeasured, state.language))) {
    const Status s = useMeasuredAreaForIndicators(state);
    state.drawError = s.isOk() ? std::string() : s.message();  // shown under the dashboard's area bar
  }
}

bool showIndicatorEvidence(runtime::Twin& twin, CommandQueue& commands, const runtime::IndicatorRow& row) {
  if (row.evidence.empty()) return false;
  commands.push([&twin, evidence = row.evidence] {
    for (const runtime::IndicatorEvidence& e : evidence) {
      layers::Layer* layer = twin.findLayer(e.layer);
      if (layer == nullptr) continue;  // the config has no such layer: nothing to show for it
      layer->setVisible(true);
      if (e.colorBy.empty() || layer->config().style.colorBy == e.colorBy) continue;
      for (const LayerStyleConfig& style : layer->config().alternativeStyles) {
        if (style.colorBy != e.colorBy) continue;
        (void)twin.restyleLayer(e.layer, style);  // an error is the layer panel's to show; the rest still shows
        break;
      }
    }
  });
  return true;
}

std::vector<std::string> indicatorAreaToolStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAllWords) out.emplace_back(w.zh);
  // A drawn area's name (runtime::drawnArea): "绘制区域 N".
  out.push_back(runtime::districtArea().nameZh + "绘制区域 0123456789");
  return out;
}

}  // namespace gt::viewer
