#include "selection_panel.hpp"

#include <imgui.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <optional>

#include "greentwin/runtime/twin.hpp"
#include "indicator_style.hpp"
#include "scenario_panel.hpp"

namespace gt::viewer {

struct SelectionState {
  int layer = -1;  // index into the selectable layers of the controls
  std::string controlsError;
  std::optional<HeldSelection> held;
  char path[512] = "";
  std::string exportMessage;
  bool exportError = false;
};

namespace {

using Words = IndicatorWords;  // indicator_style.hpp: {en, zh}
constexpr Words kSelectIn{"Select in", "选择图层"};
constexpr Words kSelect{"Select inside", "选择范围内要素"};
constexpr Words kSelection{"Selection", "选择集"};
constexpr Words kFeaturesOf{"features of", "个要素，图层"};
constexpr Words kAttribute{"Attribute", "属性"};
constexpr Words kSum{"Sum", "合计"};
constexpr Words kMean{"Mean", "平均"};
constexpr Words kMin{"Min", "最小"};
constexpr Words kMax{"Max", "最大"};
constexpr Words kMostFrequent{"Most frequent", "最常见"};
constexpr Words kExportTo{"Export to", "导出到"};
constexpr Words kWrite{"Write", "写出"};
constexpr Words kWrote{"Wrote", "已写出"};
constexpr Words kClose{"Close", "关闭"};
constexpr Words kExportHint{"file: .geojson, .gpkg (features) or .csv (summary)", "文件：.geojson、.gpkg（要素）或 .csv（汇总）"};
constexpr Words kAllWords[]{kSelectIn, kSelect, kSelection, kFeaturesOf, kAttribute, kSum, kMean, kMin,
                            kMax, kMostFrequent, kExportTo, kWrite, kWrote, kClose, kExportHint};

const char* word(const Words& w, Language language) { return inLanguage(w, language); }

SelectionState& selectionOf(UiState& state) {
  if (!state.selection) state.selection = std::make_shared<SelectionState>();
  return *state.selection;
}

// Layers whose features can be selected: open, with features (buildings, ground layers).
std::vector<const layers::Layer*> selectableLayers(const runtime::Twin& twin) {
  std::vector<const layers::Layer*> out;
  for (const auto& layer : twin.layers()) {
    if (layer->state() == layers::LayerState::Open && layer->features() != nullptr && layer->slotCount() > 0) {
      out.push_back(layer.get());
    }
  }
  return out;
}

std::string figure(double v) {
  char text[32];
  std::snprintf(text, sizeof text, std::abs(v) >= 1e6 || (v != 0 && std::abs(v) < 0.01) ? "%.3g" : "%.2f", v);
  return text;
}

}  // namespace

const HeldSelection* heldSelection(const UiState& state) {
  return state.selection && state.selection->held ? &*state.selection->held : nullptr;
}

Status selectInsideMeasuredArea(const runtime::Twin& twin, UiState& state, const std::string& layerId) {
  SelectionState& s = selectionOf(state);
  auto entities = twin.featuresInPolygon(layerId, state.measurePoints);
  if (!entities) return entities.status();
  std::vector<const PropertyMap*> properties;
  properties.reserve(entities->size());
  for (const EntityIndex e : *entities) {
    const Entity* entity = twin.entities().get(e);
    properties.push_back(entity != nullptr ? &entity->properties : nullptr);
  }
  HeldSelection held{layerId, std::move(*entities), summarizeSelection(properties)};
  s.held = std::move(held);
  std::snprintf(s.path, sizeof s.path, "exports/%s-selection.geojson", layerId.c_str());
  s.exportMessage.clear();
  return Status::ok();
}

Status exportHeldSelection(const runtime::Twin& twin, const UiState& state, const std::string& path, bool overwrite) {
  const HeldSelection* held = heldSelection(state);
  if (held == nullptr) return Status(ErrorCode::InvalidArgument, "export: nothing selected");
  const std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) std::filesystem::create_directories(target.parent_path(), ec);
  if (ec) return Status(ErrorCode::IoError, "export " + path + ": cannot create its folder: " + ec.message());
  std::string ext = target.extension().string();
  for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (ext != ".csv") return twin.exportFeatures(held->layerId, held->entities, path, overwrite);
  if (!overwrite && std::filesystem::exists(target, ec)) {
    return Status(ErrorCode::InvalidArgument, "export " + path + ": the file exists");
  }
  std::ofstream out(target, std::ios::binary | std::ios::trunc);
  out << selectionSummaryCsv(held->summary);
  out.close();
  if (!out) return Status(ErrorCode::IoError, "export " + path + ": could not be written");
  return Status::ok();
}

void drawSelectionControls(const runtime::Twin& twin, UiState& state) {
  if (state.measureMode != MeasureMode::Area || state.measurePoints.size() < 3) return;
  const Language language = state.language;
  SelectionState& s = selectionOf(state);
  const auto layers = selectableLayers(twin);
  if (layers.empty()) return;
  if (s.layer < 0 || s.layer >= static_cast<int>(layers.size())) {
    // Default: the buildings (the 3D layer with the most features), else the top layer.
    s.layer = static_cast<int>(layers.size()) - 1;
    std::size_t most = 0;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      if (layers[i]->isThreeDimensional() && layers[i]->slotCount() > most) {
        most = layers[i]->slotCount();
        s.layer = static_cast<int>(i);
      }
    }
  }
  const auto name = [&](const layers::Layer* l) {
    const std::string& n = language == Language::Chinese && !l->config().nameZh.empty() ? l->config().nameZh
                                                                                           : l->config().nameEn;
    return n.empty() ? l->id() : n;
  };
  ImGui::SetNextItemWidth(220);
  const std::string preview = std::string(word(kSelectIn, language)) + ": " + name(layers[static_cast<std::size_t>(s.layer)]);
  if (ImGui::BeginCombo("##select-layer", preview.c_str())) {
    for (std::size_t i = 0; i < layers.size(); ++i) {
      if (ImGui::Selectable(name(layers[i]).c_str(), static_cast<int>(i) == s.layer)) s.layer = static_cast<int>(i);
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  if (ImGui::SmallButton(word(kSelect, language))) {
    const Status result = selectInsideMeasuredArea(twin, state, layers[static_cast<std::size_t>(s.layer)]->id());
    s.controlsError = result.isOk() ? std::string() : result.message();
  }
  if (!s.controlsError.empty()) ImGui::TextColored(ImVec4(1.0f, 0.45f, 0.4f, 1.0f), "%s", s.controlsError.c_str());
}

void drawSelectionPanel(const runtime::Twin& twin, UiState& state) {
  if (!state.selection || !state.selection->held) return;
  SelectionState& s = *state.selection;
  const HeldSelection& held = *s.held;
  const Language language = state.language;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // Right, under the inspector: clear of the measured polygon in the middle of the map.
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - 8, vp->Pos.y + vp->Size.y * 0.3f), ImGuiCond_FirstUseEver,
                          ImVec2(1.0f, 0.0f));
  bool open = true;
  const std::string title = std::string(word(kSelection, language)) + "###selection";
  if (!ImGui::Begin(title.c_str(), &open, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  ImGui::Text("%zu %s %s", held.summary.count, word(kFeaturesOf, language), held.layerId.c_str());
  if (ImGui::BeginTable("##summary", 6, ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
    for (const Words& w : {kAttribute, kSum, kMean, kMin, kMax, kMostFrequent}) ImGui::TableSetupColumn(word(w, language));
    ImGui::TableHeadersRow();
    for (const AttributeSummary& a : held.summary.attributes) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(a.name.c_str());
      for (double v : {a.sum, a.mean, a.min, a.max}) {
        ImGui::TableNextColumn();
        if (a.numbers > 0) ImGui::TextUnformatted(figure(v).c_str());
      }
      ImGui::TableNextColumn();
      std::string frequent;
      for (std::size_t i = 0; i < a.topTexts.size() && i < 3; ++i) {
        frequent += (i > 0 ? ", " : "") + a.topTexts[i].first + " (" + std::to_string(a.topTexts[i].second) + ")";
      }
      ImGui::TextUnformatted(frequent.c_str());
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("%s", word(kExportTo, language));
  ImGui::SetNextItemWidth(360);
  ImGui::InputTextWithHint("##export-path", word(kExportHint, language), s.path, sizeof s.path);
  ImGui::SameLine();
  if (ImGui::Button(word(kWrite, language))) {
    const Status written = exportHeldSelection(twin, state, s.path, false);
    s.exportError = !written.isOk();
    s.exportMessage = written.isOk() ? std::string(word(kWrote, language)) + " " + s.path : written.message();
  }
  if (!s.exportMessage.empty()) {
    ImGui::TextColored(s.exportError ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f) : ImVec4(0.55f, 0.85f, 0.6f, 1.0f), "%s",
                       s.exportMessage.c_str());
  }
  drawScenarioSelectionActions(twin, state);  // scenario_panel.cpp: rooftop PV, star ratings for these buildings
  if (ImGui::SmallButton(word(kClose, language))) open = false;
  ImGui::End();
  if (!open) s.held.reset();
}

std::vector<std::string> selectionPanelStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAllWords) out.emplace_back(w.zh);
  return out;
}

}  // namespace gt::viewer
