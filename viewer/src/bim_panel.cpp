#include "bim_panel.hpp"

#include <imgui.h>
#include <spdlog/spdlog.h>

#include <map>

#include "greentwin/layers/bim_layer.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

LayerStyleConfig graduated(const std::string& attribute, std::vector<double> breaks) {
  LayerStyleConfig s;
  s.colorMode = "graduated";
  s.colorBy = attribute;
  s.breaks = std::move(breaks);
  s.colors = {"#2e7d32", "#9ccc65", "#ffee58", "#ffa726", "#e53935"};
  return s;
}

std::string nodeLabel(const layers::BimTreeNode& node) {
  std::string type = node.ifcType.rfind("IFC", 0) == 0 ? node.ifcType.substr(3) : node.ifcType;
  return node.name.empty() ? type : type + "  " + node.name;
}

void selectEntity(CommandQueue& commands, UiState& state, EntityIndex entity) {
  commands.push([&state, entity] { state.selected = entity; });
}

// One storey (or the elements in no storey): element types with counts, then the elements of each type.
void drawElements(const layers::BimLayer& layer, const std::vector<std::uint32_t>& slots, const runtime::Twin& twin,
                  UiState& state, CommandQueue& commands) {
  std::map<std::string, std::vector<std::uint32_t>> byType;
  for (std::uint32_t s : slots) byType[layer.scene().elementTypes[s]].push_back(s);
  for (const auto& [type, members] : byType) {
    const std::string label = type + " (" + std::to_string(members.size()) + ")";
    if (!ImGui::TreeNode(label.c_str())) continue;
    for (std::uint32_t s : members) {
      const EntityIndex entity = layer.entityOfSlot(s);
      const Entity* e = twin.entities().get(entity);
      const auto name = e != nullptr ? layers::textOf(e->properties, "name") : std::nullopt;
      const std::string text = (name && !name->empty() ? *name : layer.scene().elementGuids[s]) + "##" + std::to_string(s);
      const bool selected = state.selected && *state.selected == entity;
      if (ImGui::Selectable(text.c_str(), selected) && entity != kInvalidEntity) selectEntity(commands, state, entity);
    }
    ImGui::TreePop();
  }
}

void drawModel(layers::BimLayer& layer, runtime::Twin& twin, UiState& state, CommandQueue& commands) {
  const Language lang = state.language;
  const auto& tree = layer.scene().tree;
  const auto& storeys = layer.storeys();
  std::map<std::size_t, std::size_t> storeyOfNode;  // tree node -> storey index
  for (std::size_t k = 0; k < storeys.size(); ++k) storeyOfNode.emplace(storeys[k].treeNode, k);

  // Colouring.
  const auto& colorings = bimColorings();
  int current = 0;
  for (std::size_t i = 1; i < colorings.size(); ++i) {
    if (layer.config().style.colorMode == colorings[i].style.colorMode &&
        layer.config().style.colorBy == colorings[i].style.colorBy) {
      current = static_cast<int>(i);
    }
  }
  ImGui::SetNextItemWidth(180);
  const BimColoring& chosen = colorings[static_cast<std::size_t>(current)];
  if (ImGui::BeginCombo(tr(Text::BimColourBy, lang), lang == Language::Chinese ? chosen.zh : chosen.en)) {
    for (std::size_t i = 0; i < colorings.size(); ++i) {
      if (ImGui::Selectable(lang == Language::Chinese ? colorings[i].zh : colorings[i].en, static_cast<int>(i) == current)) {
        commands.push([&twin, id = layer.id(), style = colorings[i].style] {
          if (Status s = twin.restyleLayer(id, style); !s) spdlog::error("bim layer '{}': {}", id, s.message());
        });
      }
    }
    ImGui::EndCombo();
  }
  // Placement: "Place model" mode (the next clicks on the ground move it), rotation and scale, save.
  if (ImGui::TreeNode(tr(Text::BimPlacement, lang))) {
    const std::string id = layer.id();
    bool placing = state.placingBimLayer == id;
    if (ImGui::Checkbox(tr(Text::BimPlaceModel, lang), &placing)) {
      commands.push([&state, id, placing] { state.placingBimLayer = placing ? id : std::string(); });
    }
    if (const auto p = twin.bimPlacement(id)) {
      // Where the model's footprint centre is now (the point the sliders turn and scale about).
      const Vec3d mc = layer.modelBounds().center();
      const osg::Vec3d placedCentre = osg::Vec3d(mc.x, mc.y, mc.z) * layer.placement();
      const Vec3d centre{placedCentre.x(), placedCentre.y(), 0.0};
      float rotation = static_cast<float>(p->anchor.rotationDeg);
      float scale = static_cast<float>(p->anchor.scale);
      ImGui::SetNextItemWidth(180);
      const bool turned = ImGui::SliderFloat(tr(Text::BimRotation, lang), &rotation, -180.0f, 180.0f, "%.1f");
      ImGui::SetNextItemWidth(180);
      const bool scaled =
          ImGui::SliderFloat(tr(Text::BimScale, lang), &scale, 0.1f, 10.0f, "%.2f", ImGuiSliderFlags_Logarithmic);
      if (turned || scaled) {
        commands.push([&twin, id, centre, rotation, scale] {
          if (Status s = twin.placeBimModelAt(id, centre, rotation, scale); !s) spdlog::error("{}", s.message());
        });
      }
      ImGui::TextDisabled("x %.1f  y %.1f  (m)", centre.x, centre.y);
    }
    if (ImGui::Button(tr(Text::BimSavePlacement, lang))) {
      commands.push([&twin] { (void)twin.saveBimPlacements(); });  // its status is shown at the panel's top
    }
    ImGui::TreePop();
  }
  // Explode and isolate.
  float gap = static_cast<float>(layer.explodeGap());
  ImGui::SetNextItemWidth(180);
  if (ImGui::SliderFloat(tr(Text::BimExplodeStoreys, lang), &gap, 0.0f, 20.0f, "%.1f")) {
    commands.push([&layer, gap] { layer.setExplodeGap(gap); });
  }
  if (layer.isolatedStorey() && ImGui::Button(tr(Text::BimShowAllStoreys, lang))) {
    commands.push([&layer] { layer.isolateStorey(std::nullopt); });
  }

  // The spatial tree, storeys with their checkbox and "isolate".
  // Elements the tree reaches (whether its nodes are open or not); the rest are listed under "(no storey)".
  std::vector<bool> inTree(layer.slotCount(), false);
  for (const layers::BimTreeNode& node : tree) {
    for (std::uint32_t s : node.elements) {
      if (s < inTree.size()) inTree[s] = true;
    }
  }
  // Depth-limited: the tree comes from a file, and a cycle in it must not recurse without end.
  const auto drawNode = [&](const auto& self, std::size_t n, int depth) -> void {
    const layers::BimTreeNode& node = tree[n];
    ImGui::PushID(static_cast<int>(n));
    auto storey = storeyOfNode.find(n);
    if (storey != storeyOfNode.end()) {
      const std::size_t k = storey->second;
      bool visible = storeys[k].visible;
      if (ImGui::Checkbox("##visible", &visible)) commands.push([&layer, k, visible] { layer.setStoreyVisible(k, visible); });
      ImGui::SameLine();
    }
    const bool open = ImGui::TreeNodeEx(nodeLabel(node).c_str(), n == 0 ? ImGuiTreeNodeFlags_DefaultOpen : 0);
    if (storey != storeyOfNode.end()) {
      ImGui::SameLine();
      const std::size_t k = storey->second;
      if (ImGui::SmallButton(tr(Text::BimIsolate, lang))) commands.push([&layer, k] { layer.isolateStorey(k); });
    }
    if (open) {
      for (std::size_t c : node.children) {
        if (c < tree.size() && depth < 16) self(self, c, depth + 1);
      }
      drawElements(layer, node.elements, twin, state, commands);
      ImGui::TreePop();
    }
    ImGui::PopID();
  };
  if (!tree.empty()) drawNode(drawNode, 0, 0);
  std::vector<std::uint32_t> loose;  // elements the tree does not reach (glTF/OBJ models, site furniture)
  for (std::uint32_t s = 0; s < layer.slotCount(); ++s) {
    if (tree.empty() || !inTree[s]) loose.push_back(s);
  }
  if (!loose.empty() && ImGui::TreeNode(tr(Text::BimNoStorey, lang))) {
    drawElements(layer, loose, twin, state, commands);
    ImGui::TreePop();
  }

  // Element types: show / hide everywhere.
  if (ImGui::TreeNode(tr(Text::BimElementTypes, lang))) {
    for (const auto& [type, count] : layer.typeCounts()) {
      bool visible = layer.typeVisible(type);
      const std::string label = type + " (" + std::to_string(count) + ")";
      if (ImGui::Checkbox(label.c_str(), &visible)) {
        commands.push([&layer, type = type, visible] { layer.setTypeVisible(type, visible); });
      }
    }
    ImGui::TreePop();
  }
}

}  // namespace

const std::vector<BimColoring>& bimColorings() {
  static const std::vector<BimColoring> list = [] {
    std::vector<BimColoring> l;
    l.push_back({"Model colours", "模型颜色", LayerStyleConfig{}});
    l.push_back({"Embodied carbon (kgCO2e)", "隐含碳 (kgCO2e)", graduated("carbon_kgco2e", {100, 500, 2000, 5000})});
    l.push_back({"Volume (m3)", "体积 (m3)", graduated("volume_m3", {0.5, 2, 5, 10})});
    l.push_back({"Area (m2)", "面积 (m2)", graduated("area_m2", {2, 5, 10, 20})});
    // Live: every element takes its storey's value from a feed (docs/bim.md "Storeys as entities"; the demo's
    // simulator publishes load_kw per storey), LIVE / STALE / NO DATA as the buildings.
    l.push_back({"Energy per storey (kW, live)", "楼层能耗 (kW, 实时)", graduated("load_kw", {0.3, 0.6, 0.9, 1.2})});
    return l;
  }();
  return list;
}

std::vector<std::string> bimPanelStrings() {
  std::vector<std::string> out;
  for (const BimColoring& c : bimColorings()) {
    out.emplace_back(c.en);
    out.emplace_back(c.zh);
  }
  return out;
}

void drawBimPanel(runtime::Twin& twin, UiState& state, CommandQueue& commands) {
  const std::vector<layers::BimLayer*> models = twin.bimModels();
  if (models.empty()) return;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // Right, above the plugin panel: the layers panel fills the left side once the demo's layers are listed.
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x - 10, vp->WorkPos.y + vp->WorkSize.y - 150),
                          ImGuiCond_FirstUseEver, ImVec2(1, 1));
  ImGui::SetNextWindowSize(ImVec2(360, 320), ImGuiCond_FirstUseEver);
  // Collapsed at first: the demo has a model, and its tree would cover the layers panel until asked for.
  ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr(Text::BimModelTree, state.language))) {
    ImGui::End();
    return;
  }
  // The placements file: an error reading it at start (the config's anchors then stand) or saving it.
  if (const Status& placements = twin.bimPlacementsStatus(); !placements) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    ImGui::TextWrapped("%s", placements.message().c_str());
    ImGui::PopStyleColor();
  }
  for (layers::BimLayer* layer : models) {
    ImGui::PushID(layer->id().c_str());
    const std::string& zh = layer->config().nameZh;
    const std::string& en = layer->config().nameEn;
    std::string title = state.language == Language::Chinese && !zh.empty() ? zh : !en.empty() ? en : layer->scene().modelName;
    if (title.empty()) title = layer->id();
    if (ImGui::CollapsingHeader(title.c_str(), models.size() == 1 ? ImGuiTreeNodeFlags_DefaultOpen : 0)) {
      drawModel(*layer, twin, state, commands);
    }
    ImGui::PopID();
  }
  ImGui::End();
}

}  // namespace gt::viewer
