#include "layer_workbench.hpp"

#include <imgui.h>

#include <cstdio>
#include <cstring>
#include <map>
#include <set>

#include "greentwin/core/attribute_classes.hpp"
#include "greentwin/core/colour_ramps.hpp"
#include "greentwin/runtime/twin.hpp"
#include "indicator_style.hpp"

namespace gt::viewer {

// Per layer: the filter field's text and its last outcome, and the colour-by form's choices and last outcome.
struct LayerWorkbenchState {
  struct Form {
    char filter[512] = "";
    bool filterSeeded = false;  // the field was filled from the filter in force once
    bool filterTried = false;   // a filter was applied from here (or applyLayerFilter)
    std::string filterError;    // the last mistake (message), empty when the last filter was taken
    std::string filterExcerpt;  // ...its text line and caret (tooltip)
    std::string filterCaret;
    int attribute = 0;  // index into the schema's attributes
    int kind = 0;       // 0 graduated, 1 categorical
    int method = 2;     // ClassMethod: 0 equal intervals, 1 quantiles, 2 natural breaks
    int classes = 5;
    int ramp = -1;      // index into colourRamps(); -1: the default for the kind
    std::string colourMessage;
    bool colourError = false;
    std::optional<ClassificationRequest> applied;  // the last request applied from here (or a project's)
    bool seedFromApplied = false;                  // fill the fields from `applied` when next drawn
  };
  std::map<std::string, Form> forms;
};

namespace {

using Words = IndicatorWords;  // indicator_style.hpp: {en, zh}
constexpr Words kFilter{"Filter", "筛选"};
constexpr Words kFilterHint{"e.g. use = 'office' AND height_m > 60", "例如 use = 'office' AND height_m > 60"};
constexpr Words kApply{"Apply", "应用"};
constexpr Words kClear{"Clear", "清除"};
constexpr Words kShownOf{"shown", "显示"};
constexpr Words kOf{"of", "/"};
constexpr Words kAttributes{"Attributes", "属性"};
constexpr Words kNumbers{"numbers", "数值"};
constexpr Words kText{"text", "文本"};
constexpr Words kColourByAttribute{"Colour by attribute", "按属性着色"};
constexpr Words kGraduated{"Graduated", "分级"};
constexpr Words kCategories{"Categories", "分类"};
constexpr Words kEqualIntervals{"Equal intervals", "等间距"};
constexpr Words kQuantiles{"Quantiles", "分位数"};
constexpr Words kNaturalBreaks{"Natural breaks (Jenks)", "自然断点（Jenks）"};
constexpr Words kClasses{"Classes", "级数"};
constexpr Words kRamp{"Ramp", "色带"};
constexpr Words kDefault{"default", "默认"};
constexpr Words kWithoutValue{"without a value", "无值"};
constexpr Words kLive{"live", "实时"};
constexpr Words kNoAttributes{"No attributes to filter or colour by.", "没有可筛选或着色的属性。"};

constexpr Words kAllWords[]{kFilter,  kFilterHint,   kApply,      kClear,     kShownOf,       kOf,
                            kAttributes, kNumbers,   kText,       kColourByAttribute, kGraduated, kCategories,
                            kEqualIntervals, kQuantiles, kNaturalBreaks, kClasses, kRamp, kDefault, kWithoutValue,
                            kNoAttributes, kLive};

const char* word(const Words& w, Language language) { return inLanguage(w, language); }

const ImVec4 kErrorColour(1.0f, 0.45f, 0.4f, 1.0f);
const ImVec4 kOkColour(0.55f, 0.85f, 0.6f, 1.0f);

LayerWorkbenchState::Form& formOf(UiState& state, const std::string& layerId) {
  if (!state.layerWorkbench) state.layerWorkbench = std::make_shared<LayerWorkbenchState>();
  return state.layerWorkbench->forms[layerId];
}

void keepOutcome(LayerWorkbenchState::Form& form, const runtime::LayerFilterOutcome& outcome) {
  form.filterTried = true;
  form.filterError.clear();
  form.filterExcerpt.clear();
  form.filterCaret.clear();
  if (const auto* error = std::get_if<FilterError>(&outcome)) {
    form.filterError = error->message;
    form.filterExcerpt = error->excerpt;
    form.filterCaret = error->caret;
  } else if (const auto* status = std::get_if<Status>(&outcome)) {
    form.filterError = status->message();
  }
}

// The attribute list under the filter field: a click appends the name to the filter text.
void drawAttributeList(const AttributeSchema& schema, LayerWorkbenchState::Form& form, Language language) {
  if (!ImGui::TreeNode(word(kAttributes, language))) return;
  for (const AttributeStats& a : schema.attributes()) {
    char label[160];
    std::snprintf(label, sizeof label, "%s  (%s)", a.name.c_str(),
                  a.numbers >= a.texts ? word(kNumbers, language) : word(kText, language));
    if (ImGui::Selectable(label)) {
      std::string text = form.filter;
      if (!text.empty() && text.back() != ' ') text += ' ';
      text += a.name;
      std::snprintf(form.filter, sizeof form.filter, "%s", text.c_str());
    }
  }
  ImGui::TreePop();
}

void drawFilter(runtime::Twin& twin, const layers::Layer& layer, UiState& state, CommandQueue& commands,
                const AttributeSchema& schema) {
  const Language language = state.language;
  LayerWorkbenchState::Form& form = formOf(state, layer.id());
  if (!form.filterSeeded) {  // a filter set elsewhere (a project, a test) shows in the field
    if (const auto* active = twin.layerFilters().active(layer.id())) {
      std::snprintf(form.filter, sizeof form.filter, "%s", active->text.c_str());
    }
    form.filterSeeded = true;
  }
  ImGui::TextDisabled("%s", word(kFilter, language));
  ImGui::SetNextItemWidth(-FLT_MIN);
  bool apply = ImGui::InputTextWithHint("##filter", word(kFilterHint, language), form.filter, sizeof form.filter,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  apply = ImGui::Button(word(kApply, language)) || apply;
  ImGui::SameLine();
  const bool clear = ImGui::Button(word(kClear, language));
  if (clear) form.filter[0] = '\0';
  if (apply || clear) {
    commands.push([&twin, &state, id = layer.id(), text = std::string(form.filter)] {
      (void)applyLayerFilter(twin, state, id, text);
    });
  }
  const std::string status = layerFilterStatus(twin, state, layer.id());
  if (!status.empty()) {
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(form.filterError.empty() ? kOkColour : kErrorColour, "%s", status.c_str());
    ImGui::PopTextWrapPos();
    if (!form.filterExcerpt.empty() && ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%s\n%s", form.filterExcerpt.c_str(), form.filterCaret.c_str());
    }
  }
  drawAttributeList(schema, form, language);
}

// Attributes with time series on the layer's first features (64 list what its feeds send), by name.

void drawColourBy(runtime::Twin& twin, const layers::Layer& layer, UiState& state, CommandQueue& commands,
                  const AttributeSchema& schema) {
  const Language language = state.language;
  if (!ImGui::TreeNode(word(kColourByAttribute, language))) return;
  LayerWorkbenchState::Form& form = formOf(state, layer.id());
  // The features' own attributes, then the live ones their feeds send (coloured graduated over the values the frame
  // shows, then drawn live with those classes).
  struct Choice {
    std::string name;
    bool numeric = false;
    bool live = false;
  };
  std::vector<Choice> attributes;
  for (const auto& a : schema.attributes()) attributes.push_back({a.name, a.numbers >= a.texts && a.numbers > 0, false});
  for (const std::string& name : liveAttributeNames(twin, layer)) {
    if (schema.find(name) == nullptr) attributes.push_back({name, true, true});
  }
  if (form.seedFromApplied && form.applied) {  // a project's request: the form shows it
    form.seedFromApplied = false;
    const ClassificationRequest& r = *form.applied;
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      if (attributes[i].name == r.attribute) form.attribute = static_cast<int>(i);
    }
    form.kind = r.kind == ClassificationRequest::Kind::Graduated ? 0 : 1;
    form.method = r.method == ClassMethod::EqualInterval ? 0 : r.method == ClassMethod::Quantile ? 1 : 2;
    form.classes = r.classes;
    const auto& ramps = colourRamps();
    form.ramp = -1;
    for (std::size_t i = 0; i < ramps.size(); ++i) {
      if (ramps[i].name == r.ramp) form.ramp = static_cast<int>(i);
    }
  }
  form.attribute = std::clamp(form.attribute, 0, static_cast<int>(attributes.size()) - 1);
  const auto choiceLabel = [&](const Choice& c) { return c.live ? c.name + " (" + word(kLive, language) + ")" : c.name; };
  ImGui::SetNextItemWidth(-FLT_MIN);
  if (ImGui::BeginCombo("##attribute", choiceLabel(attributes[static_cast<std::size_t>(form.attribute)]).c_str())) {
    for (std::size_t i = 0; i < attributes.size(); ++i) {
      if (ImGui::Selectable(choiceLabel(attributes[i]).c_str(), static_cast<int>(i) == form.attribute)) {
        form.attribute = static_cast<int>(i);
        // Text attributes are coloured by category, numbers graduated, unless the planner says otherwise.
        form.kind = attributes[i].numeric ? 0 : 1;
      }
    }
    ImGui::EndCombo();
  }
  ImGui::RadioButton(word(kGraduated, language), &form.kind, 0);
  ImGui::SameLine();
  ImGui::RadioButton(word(kCategories, language), &form.kind, 1);
  if (form.kind == 0) {
    const Words methods[]{kEqualIntervals, kQuantiles, kNaturalBreaks};
    ImGui::SetNextItemWidth(200);
    if (ImGui::BeginCombo("##method", word(methods[form.method], language))) {
      for (int m = 0; m < 3; ++m) {
        if (ImGui::Selectable(word(methods[m], language), m == form.method)) form.method = m;
      }
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::SliderInt("##classes", &form.classes, 2, 12, (std::string(word(kClasses, language)) + " %d").c_str());
  }
  const auto ramps = colourRamps();
  ImGui::SetNextItemWidth(-FLT_MIN);
  const std::string rampPreview =
      std::string(word(kRamp, language)) + ": " +
      (form.ramp < 0 ? std::string(word(kDefault, language)) : std::string(ramps[static_cast<std::size_t>(form.ramp)].name));
  if (ImGui::BeginCombo("##ramp", rampPreview.c_str())) {
    if (ImGui::Selectable(word(kDefault, language), form.ramp < 0)) form.ramp = -1;
    for (std::size_t r = 0; r < ramps.size(); ++r) {
      const std::string label = std::string(ramps[r].name) + "  (" + std::string(ramps[r].kind) + ")";
      if (ImGui::Selectable(label.c_str(), static_cast<int>(r) == form.ramp)) form.ramp = static_cast<int>(r);
    }
    ImGui::EndCombo();
  }
  if (ImGui::Button(word(kApply, language))) {
    ClassificationRequest request;
    request.attribute = attributes[static_cast<std::size_t>(form.attribute)].name;
    request.kind = form.kind == 0 ? ClassificationRequest::Kind::Graduated : ClassificationRequest::Kind::Categorical;
    request.method = form.method == 0 ? ClassMethod::EqualInterval
                     : form.method == 1 ? ClassMethod::Quantile
                                        : ClassMethod::NaturalBreaks;
    request.classes = form.classes;
    if (form.ramp >= 0) request.ramp = std::string(ramps[static_cast<std::size_t>(form.ramp)].name);
    commands.push([&twin, &state, id = layer.id(), request] {
      LayerWorkbenchState::Form& f = formOf(state, id);
      auto classes = twin.colourLayerBy(id, request);
      f.colourError = !classes;
      if (!classes) {
        f.colourMessage = classes.status().message();
        return;
      }
      f.applied = request;
      char text[128];
      std::snprintf(text, sizeof text, "%zu %s, %zu %s", classes->legend.size(), word(kClasses, state.language),
                    classes->withoutValue, word(kWithoutValue, state.language));
      f.colourMessage = text;
    });
  }
  if (!form.colourMessage.empty()) {
    ImGui::SameLine();
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(form.colourError ? kErrorColour : kOkColour, "%s", form.colourMessage.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::TreePop();
}

}  // namespace

std::vector<std::string> liveAttributeNames(const runtime::Twin& twin, const layers::Layer& layer) {
  std::set<std::string> names;
  for (std::uint32_t s = 0; s < std::min<std::size_t>(layer.slotCount(), 64); ++s) {
    for (AttributeId id : twin.seriesAttributes(layer.entityOfSlot(s))) {
      if (const AttributeInfo* info = twin.entities().attributes().info(id)) names.insert(info->name);
    }
  }
  return {names.begin(), names.end()};
}

runtime::LayerFilterOutcome applyLayerFilter(runtime::Twin& twin, UiState& state, const std::string& layerId,
                                             const std::string& text) {
  LayerWorkbenchState::Form& form = formOf(state, layerId);
  std::snprintf(form.filter, sizeof form.filter, "%s", text.c_str());
  form.filterSeeded = true;
  runtime::LayerFilterOutcome outcome = twin.filterLayer(layerId, text);
  keepOutcome(form, outcome);
  return outcome;
}

std::string layerFilterStatus(const runtime::Twin& twin, const UiState& state, const std::string& layerId) {
  const LayerWorkbenchState::Form* form = nullptr;
  if (state.layerWorkbench) {
    auto it = state.layerWorkbench->forms.find(layerId);
    if (it != state.layerWorkbench->forms.end()) form = &it->second;
  }
  if (form != nullptr && !form->filterError.empty()) return form->filterError;
  const auto* active = twin.layerFilters().active(layerId);
  if (active == nullptr) return {};
  char text[128];
  if (state.language == Language::Chinese) {
    std::snprintf(text, sizeof text, "%s %zu / %zu", word(kShownOf, state.language), active->count.shown,
                  active->count.total);
  } else {
    std::snprintf(text, sizeof text, "%zu %s %zu %s", active->count.shown, word(kOf, state.language),
                  active->count.total, word(kShownOf, state.language));
  }
  return text;
}

void drawLayerWorkbench(runtime::Twin& twin, const layers::Layer& layer, UiState& state, CommandQueue& commands) {
  if (layer.state() != layers::LayerState::Open || layer.slotCount() == 0) return;
  const AttributeSchema* schema = twin.layerSchema(layer.id());
  if (schema == nullptr) return;
  if (schema->attributes().empty()) {
    ImGui::TextDisabled("%s", word(kNoAttributes, state.language));
    return;
  }
  drawFilter(twin, layer, state, commands, *schema);
  drawColourBy(twin, layer, state, commands, *schema);
}

std::vector<std::string> layerWorkbenchStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAllWords) out.emplace_back(w.zh);
  return out;
}

std::optional<ClassificationRequest> appliedColourBy(const UiState& state, const std::string& layerId) {
  if (!state.layerWorkbench) return std::nullopt;
  const auto it = state.layerWorkbench->forms.find(layerId);
  return it != state.layerWorkbench->forms.end() ? it->second.applied : std::nullopt;
}

void restoreColourByForm(UiState& state, const std::string& layerId, const ClassificationRequest& request) {
  LayerWorkbenchState::Form& form = formOf(state, layerId);
  form.applied = request;
  form.seedFromApplied = true;
}

}  // namespace gt::viewer
