// The "Add layer" dialog of the layer panel (Ui::drawAddLayerDialog; ui.hpp): a file of features, its id, name and
// layer type — the types the registry offers for it (LayerTraits::addDialogRank). Render thread, inside the ImGui
// callback; the add itself is a command for the update phase.
#include <imgui.h>
#include <spdlog/spdlog.h>

#include <string>
#include <vector>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::viewer {
namespace {

const ImVec4 kErrorColor(1.0f, 0.45f, 0.4f, 1.0f);

}  // namespace

void Ui::drawAddLayerDialog() {
  if (!ImGui::BeginPopup("add-layer")) return;
  ImGui::TextUnformatted(t(Text::AddLayer));
  ImGui::Separator();
  ImGui::SetNextItemWidth(380);
  ImGui::InputText(t(Text::LayerSource), addForm_.source, sizeof addForm_.source);
  ImGui::TextDisabled("%s", t(Text::LayerSourceHint));
  ImGui::SetNextItemWidth(200);
  ImGui::InputText(t(Text::LayerSourceLayer), addForm_.sourceLayer, sizeof addForm_.sourceLayer);
  ImGui::SetNextItemWidth(200);
  ImGui::InputText(t(Text::LayerId), addForm_.id, sizeof addForm_.id);
  ImGui::SetNextItemWidth(200);
  ImGui::InputText(t(Text::LayerName), addForm_.name, sizeof addForm_.name);
  const std::vector<std::string> types = twin_.layerTypes().addableTypes();
  std::vector<const char*> typeNames;
  for (const std::string& type : types) typeNames.push_back(type.c_str());
  ImGui::SetNextItemWidth(200);
  ImGui::Combo(t(Text::LayerType), &addForm_.type, typeNames.data(), static_cast<int>(typeNames.size()));
  if (!addForm_.error.empty()) ImGui::TextColored(kErrorColor, "%s", addForm_.error.c_str());
  if (ImGui::Button(t(Text::Add)) && addForm_.type >= 0 && static_cast<std::size_t>(addForm_.type) < types.size()) {
    LayerConfig config;
    config.id = addForm_.id;
    config.source = addForm_.source;
    config.sourceLayer = addForm_.sourceLayer;
    config.type = types[static_cast<std::size_t>(addForm_.type)];
    config.nameEn = addForm_.name;
    config.nameZh = addForm_.name;
    if (config.id.empty()) {
      // A usable id from the source's file name when the user gave none.
      std::string base = config.sourceLayer.empty() ? config.source : config.sourceLayer;
      base = base.substr(base.find_last_of("/\\:") == std::string::npos ? 0 : base.find_last_of("/\\:") + 1);
      config.id = base.substr(0, base.find('.'));
    }
    if (config.nameEn.empty()) config.nameEn = config.nameZh = config.id;
    // Checked here so the dialog can say what is wrong; the add itself is a command for the update phase.
    if (config.source.empty()) {
      addForm_.error = std::string(t(Text::LayerSource)) + "?";
    } else if (twin_.findLayer(config.id) != nullptr) {
      addForm_.error = "'" + config.id + "' exists";
    } else {
      commands_.push([this, config] {
        if (Status s = twin_.addLayer(config); !s) spdlog::error("add layer: {}", s.message());
      });
      ImGui::CloseCurrentPopup();
    }
  }
  ImGui::SameLine();
  if (ImGui::Button(t(Text::Cancel))) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

}  // namespace gt::viewer
