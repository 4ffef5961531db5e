// The map labels of the interface (Ui::drawLabels; ui.hpp), drawn on ImGui's background list under the panels.
// Render thread, inside the ImGui callback.
#include <imgui.h>
#include <osg/Viewport>

#include <algorithm>
#include <cmath>
#include <string>
#include <variant>
#include <vector>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/ui.hpp"
#include "screen_mapping.hpp"

namespace gt::viewer {

// Map labels: place names from the bookmarks (always first) and the label attributes of visible layers, projected
// with the current camera and decluttered greedily by priority — a label whose box overlaps one already placed
// is dropped for this frame.
void Ui::drawLabels() {
  const auto mapping = ScreenMapping::of(camera_, state_);
  if (!mapping) return;
  const ImVec2 display(static_cast<float>(mapping->width()), static_cast<float>(mapping->height()));
  struct Candidate {
    int priority;
    ImVec2 pos;
    const std::string* text;
    bool place;  // a named place (bookmark): drawn with a marker
  };
  std::vector<Candidate> candidates;
  const auto project = [&](const Vec3d& p, ImVec2& out) {
    const auto screen = mapping->toScreen(p);
    if (!screen) return false;
    out = ImVec2(static_cast<float>(screen->x()), static_cast<float>(screen->y()));
    return out.x >= 0 && out.y >= 0 && out.x <= display.x && out.y <= display.y;
  };
  const osg::Vec3d eye = osg::Vec3d() * osg::Matrixd::inverse(mapping->viewMatrix());
  // The projection's (1,1) is cot(fovy / 2): pixels per metre at unit distance, also for an off-axis frustum.
  const double pixelsPerMetreAtUnitDistance = 0.5 * display.y * mapping->projectionMatrix()(1, 1);
  for (const BookmarkConfig& b : twin_.config().bookmarks) {
    auto center = twin_.poseCenter(b.pose);
    ImVec2 pos;
    if (!center || !project(*center, pos)) continue;
    candidates.push_back({1000, pos, &pick(b.nameEn, b.nameZh), true});
  }
  constexpr std::size_t kMaxCandidates = 4000;  // more labels than this never fit a screen
  for (const runtime::LabelSet& set : twin_.labelSets()) {
    const layers::Layer* layer = twin_.findLayer(set.layerId);
    if (layer == nullptr || !layer->visible()) continue;
    const std::string& attribute =
        state_.language == Language::Chinese && !set.attributeZh.empty() ? set.attributeZh
        : !set.attributeEn.empty()                                        ? set.attributeEn
                                                                          : set.attributeZh;
    for (const runtime::LabelSet::Anchor& anchor : set.anchors) {
      if (candidates.size() >= kMaxCandidates) break;
      if (layer->hidesSlots()) {  // a feature a filter hides has no label either
        const auto slot = layer->slotOfEntity(anchor.entity);
        if (slot && !layer->slotShown(*slot)) continue;
      }
      ImVec2 pos;
      if (!project(anchor.position, pos)) continue;
      // An area or line is labelled only once it is drawn at least ~60 px across: far away, only the big ones.
      if (anchor.extentM > 0) {
        const osg::Vec3d d = osg::Vec3d(anchor.position.x, anchor.position.y, anchor.position.z) - eye;
        if (anchor.extentM * pixelsPerMetreAtUnitDistance / std::max(d.length(), 1.0) < 60.0) continue;
      }
      const Entity* e = twin_.entities().get(anchor.entity);
      if (e == nullptr) continue;
      auto it = e->properties.find(attribute);
      if (it == e->properties.end()) continue;
      const auto* text = std::get_if<std::string>(&it->second);
      if (text == nullptr || text->empty()) continue;
      candidates.push_back({set.priority, pos, text, false});
    }
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const Candidate& a, const Candidate& b) { return a.priority > b.priority; });
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  std::vector<ImVec4> placed;
  const auto overlaps = [&placed](const ImVec4& r) {
    return std::any_of(placed.begin(), placed.end(), [&r](const ImVec4& p) {
      return r.x < p.z && p.x < r.z && r.y < p.w && p.y < r.w;
    });
  };
  for (const Candidate& c : candidates) {
    const ImVec2 size = ImGui::CalcTextSize(c.text->c_str());
    const ImVec2 textPos(c.pos.x - size.x / 2, c.pos.y - size.y - (c.place ? 6 : 2));
    const ImVec4 box(textPos.x - 4, textPos.y - 2, textPos.x + size.x + 4, textPos.y + size.y + 2);
    if (overlaps(box)) continue;
    placed.push_back(box);
    if (c.place) draw->AddCircleFilled(c.pos, 4.0f, IM_COL32(255, 220, 120, 255));
    draw->AddRectFilled(ImVec2(box.x, box.y), ImVec2(box.z, box.w),
                        c.place ? IM_COL32(10, 20, 30, 180) : IM_COL32(10, 20, 30, 120), 3.0f);
    draw->AddText(textPos, c.place ? IM_COL32(255, 255, 255, 255) : IM_COL32(225, 240, 225, 255), c.text->c_str());
  }
}

}  // namespace gt::viewer
