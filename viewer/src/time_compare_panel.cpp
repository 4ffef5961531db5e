// Comparing two times in the window (time_compare_panel.hpp).

#include "time_compare_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "greentwin/core/colour_ramps.hpp"
#include "greentwin/runtime/twin.hpp"
#include "indicator_style.hpp"
#include "layer_workbench.hpp"

namespace gt::viewer {

// The panel's fields and the change shown (render thread; the change is set on the update thread, between frames).
struct TimeCompareState {
  bool open = false;
  std::string layerId;    // "": the first layer with features
  std::string attribute;  // "": the layer's first live attribute
  char timeA[40] = "";
  char timeB[40] = "";
  int classes = 7;
  std::string ramp = "blue_red";
  std::optional<runtime::TimeChange> shown;
  LayerStyleConfig ownStyle;  // the shown layer's style before the change was drawn
  std::string message;
  bool error = false;
};

namespace {

using Words = IndicatorWords;
constexpr Words kTitle{"Compare times", "时间对比"};
constexpr Words kLayer{"Layer", "图层"};
constexpr Words kAttribute{"Live attribute", "实时属性"};
constexpr Words kFrom{"From (A)", "从 (A)"};
constexpr Words kTo{"To (B)", "到 (B)"};
constexpr Words kClasses{"Classes", "分级数"};
constexpr Words kRamp{"Ramp", "色带"};
constexpr Words kCompare{"Show the change", "显示变化"};
constexpr Words kClear{"Clear", "清除"};
constexpr Words kNoAttributes{"No live attribute on this layer's features yet.", "该图层要素尚无实时属性。"};
constexpr Words kCompared{"compared", "已比较"};
constexpr Words kMissing{"without a LIVE value at A / B", "在 A / B 无实时值"};
constexpr Words kMean{"mean change", "平均变化"};
constexpr Words kRise{"largest rise", "最大增加"};
constexpr Words kFall{"largest fall", "最大减少"};
constexpr Words kAll[]{kTitle,    kLayer,   kAttribute, kFrom,   kTo,  kClasses, kRamp, kCompare,
                       kClear,    kNoAttributes, kCompared, kMissing, kMean, kRise, kFall};

const char* word(const Words& w, Language language) { return inLanguage(w, language); }
constexpr int kBeijingMinutes = 8 * 60;

TimeCompareState& panelOf(UiState& state) {
  if (!state.timeCompare) state.timeCompare = std::make_shared<TimeCompareState>();
  return *state.timeCompare;
}

std::vector<std::string> divergingRamps() {
  std::vector<std::string> out;
  for (const ColourRamp& r : colourRamps()) {
    if (r.kind == "diverging") out.emplace_back(r.name);
  }
  return out;
}

void formatTime(char* out, std::size_t size, TimePoint t) {
  std::snprintf(out, size, "%s", formatIsoTime(t - t % kMicrosPerSecond, kBeijingMinutes).c_str());
}

}  // namespace

void drawTimeCompareMenuItem(UiState& state) {
  TimeCompareState& panel = panelOf(state);
  ImGui::MenuItem(word(kTitle, state.language), nullptr, &panel.open);
}

Status showTimeChangeInWindow(runtime::Twin& twin, UiState& state, const runtime::TimeChangeRequest& request) {
  TimeCompareState& panel = panelOf(state);
  auto change = runtime::computeTimeChange(twin, request);
  if (!change) return change.status();
  const layers::Layer* layer = twin.findLayer(request.layerId);
  // The layer's own style: the one under an earlier change of the same layer, else what it draws now.
  const LayerStyleConfig own =
      panel.shown && panel.shown->request.layerId == request.layerId ? panel.ownStyle : layer->config().style;
  if (panel.shown && panel.shown->request.layerId != request.layerId) clearTimeChange(twin, state);
  if (Status s = runtime::showTimeChange(twin, *change); !s) return s;
  panel.ownStyle = own;
  panel.shown = std::move(*change);
  panel.open = true;
  // The fields say what is shown (a render's or a command's request as much as the panel's own).
  panel.layerId = request.layerId;
  panel.attribute = request.attribute;
  formatTime(panel.timeA, sizeof panel.timeA, request.a);
  formatTime(panel.timeB, sizeof panel.timeB, request.b);
  panel.classes = request.classes;
  panel.ramp = request.ramp;
  return Status::ok();
}

void clearTimeChange(runtime::Twin& twin, UiState& state) {
  if (!state.timeCompare || !state.timeCompare->shown) return;
  TimeCompareState& panel = *state.timeCompare;
  if (layers::Layer* layer = twin.findLayer(panel.shown->request.layerId)) {
    (void)layer->restyle(panel.ownStyle, twin.layerProperties(*layer));
  }
  panel.shown.reset();
}

std::optional<LayerStyleConfig> styleUnderTimeChange(const UiState& state, const std::string& layerId) {
  if (!state.timeCompare || !state.timeCompare->shown || state.timeCompare->shown->request.layerId != layerId) {
    return std::nullopt;
  }
  return state.timeCompare->ownStyle;
}

const runtime::TimeChange* shownTimeChange(const UiState& state) {
  return state.timeCompare && state.timeCompare->shown ? &*state.timeCompare->shown : nullptr;
}

void drawTimeComparePanel(runtime::Twin& twin, UiState& state, CommandQueue& commands) {
  if (!state.timeCompare || !state.timeCompare->open) return;
  TimeCompareState& panel = *state.timeCompare;
  const Language language = state.language;
  if (panel.timeA[0] == '\0') {  // an hour ago to now, at the clock's time
    formatTime(panel.timeA, sizeof panel.timeA, twin.frameTime() - 3600 * kMicrosPerSecond);
    formatTime(panel.timeB, sizeof panel.timeB, twin.frameTime());
  }
  ImGui::SetNextWindowSize(ImVec2(440, 0), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(word(kTitle, language), &panel.open)) {
    ImGui::End();
    return;
  }
  std::vector<const layers::Layer*> layers;
  for (const auto& l : twin.layers()) {
    if (l->state() == layers::LayerState::Open && l->slotCount() > 0) layers.push_back(l.get());
  }
  if (layers.empty()) {
    ImGui::End();
    return;
  }
  const auto chosen = std::find_if(layers.begin(), layers.end(), [&](const layers::Layer* l) { return l->id() == panel.layerId; });
  const layers::Layer& layer = chosen != layers.end() ? **chosen : *layers.front();
  const auto pick = [&](const LayerConfig& c) { return language == Language::Chinese && !c.nameZh.empty() ? c.nameZh : c.nameEn; };
  ImGui::SetNextItemWidth(260);
  if (ImGui::BeginCombo(word(kLayer, language), pick(layer.config()).c_str())) {
    for (const layers::Layer* l : layers) {
      if (ImGui::Selectable(pick(l->config()).c_str(), l == &layer)) panel.layerId = l->id();
    }
    ImGui::EndCombo();
  }
  const std::vector<std::string> attributes = liveAttributeNames(twin, layer);
  const auto attributeIt = std::find(attributes.begin(), attributes.end(), panel.attribute);
  const std::string attribute = attributeIt != attributes.end() ? *attributeIt : attributes.empty() ? "" : attributes.front();
  if (attributes.empty()) {
    ImGui::TextDisabled("%s", word(kNoAttributes, language));
  } else {
    ImGui::SetNextItemWidth(260);
    if (ImGui::BeginCombo(word(kAttribute, language), attribute.c_str())) {
      for (const std::string& a : attributes) {
        if (ImGui::Selectable(a.c_str(), a == attribute)) panel.attribute = a;
      }
      ImGui::EndCombo();
    }
  }
  ImGui::SetNextItemWidth(260);
  ImGui::InputText(word(kFrom, language), panel.timeA, sizeof panel.timeA);
  ImGui::SetNextItemWidth(260);
  ImGui::InputText(word(kTo, language), panel.timeB, sizeof panel.timeB);
  ImGui::SetNextItemWidth(120);
  if (ImGui::SliderInt(word(kClasses, language), &panel.classes, 3, 11)) panel.classes |= 1;  // odd
  const std::vector<std::string> ramps = divergingRamps();
  ImGui::SetNextItemWidth(120);
  if (ImGui::BeginCombo(word(kRamp, language), panel.ramp.c_str())) {
    for (const std::string& r : ramps) {
      if (ImGui::Selectable(r.c_str(), r == panel.ramp)) panel.ramp = r;
    }
    ImGui::EndCombo();
  }
  if (!attributes.empty() && ImGui::Button(word(kCompare, language))) {
    const auto a = parseIsoTime(panel.timeA);
    const auto b = parseIsoTime(panel.timeB);
    if (!a || !b) {
      panel.error = true;
      panel.message = !a ? "A: " + a.status().message() : "B: " + b.status().message();
    } else {
      const runtime::TimeChangeRequest request{layer.id(), attribute, *a, *b, panel.classes, panel.ramp};
      commands.push([&twin, &state, request] {
        const Status s = showTimeChangeInWindow(twin, state, request);
        panelOf(state).error = !s;
        panelOf(state).message = s ? "" : s.message();
      });
    }
  }
  if (panel.shown) {
    ImGui::SameLine();
    if (ImGui::Button(word(kClear, language))) commands.push([&twin, &state] { clearTimeChange(twin, state); });
    const runtime::TimeChange& c = *panel.shown;
    ImGui::Separator();
    ImGui::Text("%s – %s: %s", formatIsoTime(c.request.a, kBeijingMinutes).c_str(),
                formatIsoTime(c.request.b, kBeijingMinutes).c_str(), c.request.attribute.c_str());
    ImGui::Text("%zu %s; %zu / %zu %s", c.compared, word(kCompared, language), c.missingA, c.missingB,
                word(kMissing, language));
    ImGui::Text("%s %+.4g", word(kMean, language), c.meanChange);
    if (!c.largestRiseId.empty()) ImGui::Text("%s %+.4g  %s", word(kRise, language), c.largestRise, c.largestRiseId.c_str());
    if (!c.largestFallId.empty()) ImGui::Text("%s %+.4g  %s", word(kFall, language), c.largestFall, c.largestFallId.c_str());
  }
  if (!panel.message.empty()) {
    ImGui::PushTextWrapPos(0.0f);
    ImGui::TextColored(panel.error ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f) : ImVec4(0.55f, 0.85f, 0.6f, 1.0f), "%s",
                       panel.message.c_str());
    ImGui::PopTextWrapPos();
  }
  ImGui::End();
}

std::vector<std::string> timeComparePanelStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAll) out.emplace_back(w.zh);
  return out;
}

}  // namespace gt::viewer
