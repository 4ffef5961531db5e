#include "measure_tool.hpp"

#include <imgui.h>
#include <osgUtil/LineSegmentIntersector>
#include <osgViewer/View>

#include <cstdio>

#include "greentwin/core/measure.hpp"
#include "greentwin/layers/layer_capabilities.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "indicator_area_tool.hpp"
#include "indicator_style.hpp"
#include "screen_mapping.hpp"
#include "scenario_panel.hpp"
#include "selection_panel.hpp"

namespace gt::viewer {
namespace {

using Words = IndicatorWords;  // indicator_style.hpp: {en, zh}
constexpr Words kMeasure{"Measure", "测量"};
constexpr Words kDistance{"Distance", "距离"};
constexpr Words kArea{"Area", "面积"};
constexpr Words kHeight{"Height", "高度"};
constexpr Words kClear{"Clear", "清除"};
constexpr Words kDone{"Done", "完成"};
constexpr Words kPlan{"In plan", "水平距离"};
constexpr Words kAlongGround{"Along the ground", "沿地面"};
constexpr Words kClimb{"climb", "上升"};
constexpr Words kDescent{"descent", "下降"};
constexpr Words kPerimeter{"Perimeter", "周长"};
constexpr Words kAboveBase{"Above the base it stands on", "高出其基底"};
constexpr Words kAboveGround{"Above the ground under it", "高出其下地面"};
constexpr Words kElevations{"Elevation: top / ground", "高程：顶部 / 地面"};
constexpr Words kEntity{"Entity", "实体"};
constexpr Words kHintPath{"Click points on the map; each adds to the path.", "在地图上点击添加路径点。"};
constexpr Words kHintArea{"Click the corners on the map (three or more).", "在地图上点击多边形顶点（至少三个）。"};
constexpr Words kHintHeight{"Click a building, a model or the ground.", "点击建筑、模型或地面。"};
constexpr Words kPoints{"points", "个点"};

constexpr Words kAllWords[]{kMeasure, kDistance,  kArea,      kHeight,      kClear,      kDone,       kPlan,
                            kAlongGround, kClimb, kDescent,   kPerimeter,   kAboveBase,  kAboveGround, kElevations,
                            kEntity,  kHintPath,  kHintArea,  kHintHeight,  kPoints};

const char* word(const Words& w, Language language) { return inLanguage(w, language); }

std::string metres(double value) {
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%.1f m", value);
  return buffer;
}

// Real metres of an elevation drawn with the terrain's vertical exaggeration.
double realElevation(const runtime::Twin& twin, double z) {
  const auto& ground = twin.ground();
  const double scale = ground && ground->verticalScale() > 0 ? ground->verticalScale() : 1.0;
  return z / scale;
}

}  // namespace

std::vector<std::string> measureReadout(const runtime::Twin& twin, const UiState& state) {
  const Language language = state.language;
  std::vector<std::string> lines;
  const auto& points = state.measurePoints;
  switch (state.measureMode) {
    case MeasureMode::Off:
      break;
    case MeasureMode::Distance: {
      if (points.size() < 2) {
        lines.emplace_back(word(kHintPath, language));
        break;
      }
      const PathMeasure m = measurePath(points, twin.ground().get());
      lines.push_back(std::string(word(kPlan, language)) + ": " + formatLength(m.horizontalM) + " (" +
                      std::to_string(points.size()) + " " + word(kPoints, language) + ")");
      lines.push_back(std::string(word(kAlongGround, language)) + ": " + formatLength(m.surfaceM) + " · " +
                      word(kClimb, language) + " " + metres(m.climbM) + " · " + word(kDescent, language) + " " +
                      metres(m.descentM));
      break;
    }
    case MeasureMode::Area: {
      if (points.size() < 3) {
        lines.emplace_back(word(kHintArea, language));
        break;
      }
      const auto m = measureArea(points);
      if (!m) {
        lines.push_back(m.status().message());
        break;
      }
      std::string area = formatArea(m->areaM2);
      if (m->areaM2 >= 10'000) area += " (" + formatSquareMetres(m->areaM2) + ")";
      lines.push_back(std::string(word(kArea, language)) + ": " + area);
      lines.push_back(std::string(word(kPerimeter, language)) + ": " + formatLength(m->perimeterM));
      break;
    }
    case MeasureMode::Height: {
      if (!state.measuredHeight) {
        lines.emplace_back(word(kHintHeight, language));
        break;
      }
      const MeasuredHeight& h = *state.measuredHeight;
      const auto above = heightAbove(h.top.z, h.baseZ);
      // A building's box stands on its base in real metres; the terrain's own heights are exaggerated.
      const double real = above ? (h.onBase ? *above : realElevation(twin, *above)) : 0.0;
      lines.push_back(above ? std::string(word(h.onBase ? kAboveBase : kAboveGround, language)) + ": " + metres(real)
                            : above.status().message());
      const double groundZ = realElevation(twin, h.baseZ);
      const double topZ = h.onBase ? groundZ + real : realElevation(twin, h.top.z);
      lines.push_back(std::string(word(kElevations, language)) + ": " + metres(topZ) + " / " + metres(groundZ));
      if (h.entity) {
        if (const Entity* e = twin.entities().get(*h.entity)) {
          lines.push_back(std::string(word(kEntity, language)) + ": " + e->id);
        }
      }
      break;
    }
  }
  return lines;
}

void drawMeasureMenu(UiState& state) {
  const Language language = state.language;
  if (!ImGui::BeginMenu(word(kMeasure, language))) return;
  const auto item = [&](const Words& name, MeasureMode mode) {
    if (ImGui::MenuItem(word(name, language), nullptr, state.measureMode == mode)) {
      state.measureMode = state.measureMode == mode ? MeasureMode::Off : mode;
      state.measurePoints.clear();
      state.measuredHeight.reset();
      state.drawingArea = false;  // one tool takes the map's clicks at a time
      state.placingBimLayer.clear();
    }
  };
  item(kDistance, MeasureMode::Distance);
  item(kArea, MeasureMode::Area);
  item(kHeight, MeasureMode::Height);
  ImGui::Separator();
  if (ImGui::MenuItem(word(kClear, language), nullptr, false, state.measureMode != MeasureMode::Off)) {
    state.measurePoints.clear();
    state.measuredHeight.reset();
  }
  ImGui::EndMenu();
}

void drawMeasureWindow(const runtime::Twin& twin, UiState& state) {
  if (state.measureMode == MeasureMode::Off) return;
  const Language language = state.language;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + ImGui::GetFrameHeight() + 8),
                          ImGuiCond_Always, ImVec2(0.5f, 0.0f));
  const Words& title = state.measureMode == MeasureMode::Distance ? kDistance
                       : state.measureMode == MeasureMode::Area   ? kArea
                                                                  : kHeight;
  const std::string name = std::string(word(kMeasure, language)) + ": " + word(title, language) + "###measure";
  if (!ImGui::Begin(name.c_str(), nullptr,
                    ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoMove)) {
    ImGui::End();
    return;
  }
  for (const std::string& line : measureReadout(twin, state)) ImGui::TextUnformatted(line.c_str());
  drawSelectionControls(twin, state);  // selection_panel.cpp: "Select in" a layer, inside the measured area
  drawScenarioAreaActions(twin, state);  // scenario_panel.cpp: the area as a new park, forest or building
  drawMeasuredAreaIndicatorAction(state);  // indicator_area_tool.cpp: the area's 18 indicators in the dashboard
  if (ImGui::SmallButton(word(kClear, language))) {
    state.measurePoints.clear();
    state.measuredHeight.reset();
  }
  ImGui::SameLine();
  if (ImGui::SmallButton(word(kDone, language))) {
    state.measureMode = MeasureMode::Off;
    state.measurePoints.clear();
    state.measuredHeight.reset();
  }
  ImGui::End();
}

void drawMeasureOverlay(const runtime::Twin& twin, const UiState& state, const osg::Camera* camera) {
  if (state.measureMode == MeasureMode::Off) return;
  const auto mapping = ScreenMapping::of(camera, state);
  if (!mapping) return;
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const ImU32 colour = IM_COL32(40, 220, 255, 255);
  const auto project = [&](const Vec3d& p, ImVec2& out) {
    const auto screen = mapping->toScreen(p);
    if (!screen) return false;
    out = ImVec2(static_cast<float>(screen->x()), static_cast<float>(screen->y()));
    return true;
  };
  if (state.measureMode == MeasureMode::Height) {
    if (!state.measuredHeight) return;
    const MeasuredHeight& h = *state.measuredHeight;
    ImVec2 top, base;
    if (!project(h.top, top) || !project(Vec3d{h.top.x, h.top.y, h.baseZ}, base)) return;
    draw->AddLine(base, top, colour, 3.0f);
    draw->AddCircleFilled(top, 5.0f, colour);
    draw->AddCircleFilled(base, 5.0f, colour);
    const auto lines = measureReadout(twin, state);
    if (!lines.empty()) draw->AddText(ImVec2(top.x + 8, top.y - 8), IM_COL32(255, 255, 255, 255), lines[0].c_str());
    return;
  }
  const auto& points = state.measurePoints;
  if (points.empty()) return;
  // Lines lie on the drawn terrain (draped, 2 m above it) so they do not dive under hills.
  const bool closed = state.measureMode == MeasureMode::Area && points.size() >= 3;
  const auto& ground = twin.ground();
  std::vector<Vec3d> path = ground ? ground->drape(points, closed, 2.0) : points;
  if (closed && !ground) path.push_back(points.front());
  std::vector<ImVec2> screen;
  for (const Vec3d& p : path) {
    ImVec2 s;
    if (!project(p, s)) return;  // partly behind the camera: not drawn rather than drawn wrong
    screen.push_back(s);
  }
  if (screen.size() >= 2) draw->AddPolyline(screen.data(), static_cast<int>(screen.size()), colour, closed, 3.0f);
  ImVec2 last;
  for (const Vec3d& p : points) {
    ImVec2 s;
    const double z = ground ? ground->heightAt(p.x, p.y, p.z) + 2.0 : p.z;
    if (project(Vec3d{p.x, p.y, z}, s)) draw->AddCircleFilled(s, 5.0f, colour);
    last = s;
  }
  const auto lines = measureReadout(twin, state);
  if (!lines.empty()) draw->AddText(ImVec2(last.x + 10, last.y - 10), IM_COL32(255, 255, 255, 255), lines[0].c_str());
}

std::optional<MeasuredHeight> measureHeightAt(const runtime::Twin& twin, osgViewer::View& view, float x, float y) {
  osgUtil::LineSegmentIntersector::Intersections hits;
  if (!view.computeIntersections(view.getCamera(), osgUtil::Intersector::WINDOW, x, y, hits)) return std::nullopt;
  for (const auto& hit : hits) {  // nearest first
    layers::Layer* layer = nullptr;
    for (auto it = hit.nodePath.rbegin(); it != hit.nodePath.rend() && layer == nullptr; ++it) {
      std::string id;
      if ((*it)->getUserValue(layers::kLayerUserValue, id)) layer = const_cast<runtime::Twin&>(twin).findLayer(id);
    }
    if (layer == nullptr || !layer->visible()) continue;
    const osg::Vec3d p = hit.getWorldIntersectPoint();
    MeasuredHeight h;
    h.top = Vec3d{p.x(), p.y(), p.z()};
    const unsigned int vertex = hit.indexList.empty() ? 0u : hit.indexList.front();
    h.entity = layer->entityAtHit(hit.nodePath, hit.drawable.get(), vertex);
    const auto& ground = twin.ground();
    h.baseZ = ground ? ground->heightAt(p.x(), p.y(), 0.0) : 0.0;
    if (layer->isThreeDimensional() && h.entity) {
      layers::ReplaceableBoxes* boxes = layer->replaceableBoxes();
      const auto slot = layer->slotOfEntity(*h.entity);
      if (boxes != nullptr && slot) {  // a building: the box stands on the terrain under its centroid
        h.baseZ = boxes->baseOfSlot(*slot);
        h.onBase = true;
      }
    }
    if (!layer->isThreeDimensional()) h.baseZ = std::min(h.baseZ, h.top.z);  // a draped fill lies on the ground
    return h;
  }
  return std::nullopt;
}

bool measureClick(const runtime::Twin& twin, UiState& state, osgViewer::View& view, float x, float y) {
  switch (state.measureMode) {
    case MeasureMode::Off:
      return false;
    case MeasureMode::Height:
      if (auto h = measureHeightAt(twin, view, x, y)) state.measuredHeight = *h;
      return true;
    case MeasureMode::Distance:
    case MeasureMode::Area:
      if (const auto ground = pickGroundPoint(twin, view, x, y)) state.measurePoints.push_back(*ground);
      return true;
  }
  return false;
}

std::vector<std::string> measureToolStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAllWords) out.emplace_back(w.zh);
  out.emplace_back("：·（）/²");
  return out;
}

}  // namespace gt::viewer
