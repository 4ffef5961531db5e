// The edited scenario drawn over the map (scenario_panel.hpp drawScenarioOverlay; docs/workbench.md "Scenarios in
// the window"), in magenta — a colour no real layer of the demo uses — so that a proposal is never mistaken for real
// data: parcels filled and outlined with their kind and id; new buildings as a wire box (footprint at the ground and
// at the roof, joined by the corners) with their id and height; removed buildings' footprints outlined and crossed;
// re-used buildings an open square; PV roofs a yellow square; re-rated ones a magenta square.
// Render thread, inside the ImGui frame (the background draw list: under the panels).

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <vector>

#include "greentwin/runtime/twin.hpp"
#include "scenario_panel.hpp"
#include "scenario_panel_state.hpp"
#include "screen_mapping.hpp"

namespace gt::viewer {
namespace {

constexpr ImU32 kScenarioColour = IM_COL32(230, 60, 220, 255);
constexpr ImU32 kScenarioFill = IM_COL32(230, 60, 220, 60);
constexpr ImU32 kPvColour = IM_COL32(255, 210, 40, 255);
constexpr std::size_t kMostMarkersPerEdit = 5000;

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

class OverlayPainter {
 public:
  OverlayPainter(const runtime::Twin& twin, const ScreenMapping& mapping)
      : twin_(twin), mapping_(mapping), draw_(ImGui::GetBackgroundDrawList()) {}

  void parcel(const ScenarioEdit& e) {
    std::vector<ImVec2> points;
    if (e.polygon.rings.empty() || !ring(e.polygon.rings.front(), std::nullopt, points)) return;
    // ImGui fills convex polygons only: a concave parcel gets its outline alone.
    if (isConvex(points)) draw_->AddConvexPolyFilled(points.data(), static_cast<int>(points.size()), kScenarioFill);
    draw_->AddPolyline(points.data(), static_cast<int>(points.size()), kScenarioColour, ImDrawFlags_Closed, 3.0f);
    draw_->AddText(points.front(), kScenarioColour, (e.parcelKind + " (" + e.id + ")").c_str());
  }

  // A wire box: the footprint at the ground under its first corner and at the roof, joined at every corner.
  void newBuilding(const ScenarioEdit& e) {
    if (e.polygon.rings.empty() || e.polygon.rings.front().empty()) return;
    const std::vector<Vec3d>& footprint = e.polygon.rings.front();
    const double base = groundZ(footprint.front().x, footprint.front().y);
    std::vector<ImVec2> bottom, top;
    if (!ring(footprint, base, bottom) || !ring(footprint, base + e.heightM, top)) return;
    const int n = static_cast<int>(bottom.size());
    draw_->AddPolyline(bottom.data(), n, kScenarioColour, ImDrawFlags_Closed, 2.0f);
    draw_->AddPolyline(top.data(), n, kScenarioColour, ImDrawFlags_Closed, 3.0f);
    for (int i = 0; i < n; ++i) draw_->AddLine(bottom[i], top[i], kScenarioColour, 2.0f);
    char label[160];
    std::snprintf(label, sizeof label, "%s  %.0f m", e.id.c_str(), e.heightM);
    draw_->AddText(top.front(), kScenarioColour, label);
  }

  // Per building of the edit: its footprint outlined and crossed (removed), or a marker at its position.
  void buildings(const ScenarioEdit& e) {
    std::size_t drawn = 0;
    for (const std::string& id : e.buildings) {
      if (++drawn > kMostMarkersPerEdit) break;
      const auto entity = twin_.entities().find(id);
      if (!entity) continue;
      if (e.kind == ScenarioEditKind::RemoveBuilding && crossedFootprint(*entity)) continue;
      const auto at = twin_.entityPosition(*entity);
      const auto s = at ? mapping_.toScreen(*at) : std::nullopt;
      if (!s) continue;
      const ImVec2 c(static_cast<float>(s->x()), static_cast<float>(s->y()));
      switch (e.kind) {
        case ScenarioEditKind::AddPv:
          draw_->AddRectFilled(ImVec2(c.x - 3, c.y - 3), ImVec2(c.x + 3, c.y + 3), kPvColour);
          break;
        case ScenarioEditKind::SetStars:
          draw_->AddRectFilled(ImVec2(c.x - 3, c.y - 3), ImVec2(c.x + 3, c.y + 3), kScenarioColour);
          break;
        case ScenarioEditKind::SetUse:
          draw_->AddRect(ImVec2(c.x - 4, c.y - 4), ImVec2(c.x + 4, c.y + 4), kScenarioColour, 0.0f, 0, 2.0f);
          break;
        default:  // a removed building without a footprint: a cross at its position
          draw_->AddLine(ImVec2(c.x - 5, c.y - 5), ImVec2(c.x + 5, c.y + 5), kScenarioColour, 2.5f);
          draw_->AddLine(ImVec2(c.x - 5, c.y + 5), ImVec2(c.x + 5, c.y - 5), kScenarioColour, 2.5f);
          break;
      }
    }
  }

 private:
  double groundZ(double x, double y) const { return twin_.ground() ? twin_.ground()->heightAt(x, y, 0.0) : 0.0; }

  // The ring on screen, at `z` (nullopt: 2 m above the ground under each point). False when a point is behind the
  // camera (not drawn rather than drawn wrong) or the ring has fewer than three points.
  bool ring(const std::vector<Vec3d>& points, std::optional<double> z, std::vector<ImVec2>& out) const {
    out.clear();
    for (const Vec3d& p : points) {
      const auto s = mapping_.toScreen(Vec3d{p.x, p.y, z ? *z : groundZ(p.x, p.y) + 2.0});
      if (!s) return false;
      out.emplace_back(static_cast<float>(s->x()), static_cast<float>(s->y()));
    }
    return out.size() >= 3;
  }

  // A removed building's footprint (its layer's feature) outlined at the ground and crossed corner to corner.
  bool crossedFootprint(EntityIndex entity) const {
    const layers::Layer* layer = twin_.layerOfEntity(entity);
    const FeatureSet* features = layer != nullptr ? layer->features() : nullptr;
    const auto slot = layer != nullptr ? layer->slotOfEntity(entity) : std::nullopt;
    if (features == nullptr || !slot || *slot >= features->features.size()) return false;
    const Feature& feature = features->features[*slot];
    if (feature.geometry.polygons.empty() || feature.geometry.polygons.front().rings.empty()) return false;
    std::vector<ImVec2> points;
    if (!ring(feature.geometry.polygons.front().rings.front(), std::nullopt, points)) return false;
    draw_->AddPolyline(points.data(), static_cast<int>(points.size()), kScenarioColour, ImDrawFlags_Closed, 2.5f);
    ImVec2 lo = points.front(), hi = points.front();
    for (const ImVec2& p : points) {
      lo = ImVec2(std::min(lo.x, p.x), std::min(lo.y, p.y));
      hi = ImVec2(std::max(hi.x, p.x), std::max(hi.y, p.y));
    }
    draw_->AddLine(lo, hi, kScenarioColour, 2.5f);
    draw_->AddLine(ImVec2(lo.x, hi.y), ImVec2(hi.x, lo.y), kScenarioColour, 2.5f);
    return true;
  }

  const runtime::Twin& twin_;
  const ScreenMapping& mapping_;
  ImDrawList* draw_;
};

}  // namespace

void drawScenarioOverlay(const runtime::Twin& twin, const UiState& state, const osg::Camera* camera) {
  if (!state.scenario || state.scenario->scenario.edits.empty()) return;
  const auto mapping = ScreenMapping::of(camera, state);
  if (!mapping) return;
  OverlayPainter painter(twin, *mapping);
  for (const ScenarioEdit& e : state.scenario->scenario.edits) {
    switch (e.kind) {
      case ScenarioEditKind::AddParcel: painter.parcel(e); break;
      case ScenarioEditKind::AddBuilding: painter.newBuilding(e); break;
      default: painter.buildings(e); break;
    }
  }
}

}  // namespace gt::viewer
