#include "plugin_panel.hpp"

#include <imgui.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <limits>
#include <string>
#include <vector>
#include <optional>

#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

// The label of each PluginState, in the enum's order.
constexpr Text kStates[]{Text::PluginAvailable, Text::PluginRefused, Text::PluginActive, Text::PluginDisabled};

const ImVec4 kActive(0.4f, 0.9f, 0.5f, 1.0f);
const ImVec4 kError(1.0f, 0.45f, 0.4f, 1.0f);

std::string formatNumber(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// A KPI as a person reads it: whole numbers from 100 and for counts, one decimal from 10, two below (12.94, 4842,
// 0.35, 9), not the six digits a setting's value keeps.
std::string formatKpi(double v) {
  char buf[64];
  const double magnitude = std::abs(v);
  const bool whole = std::abs(v - std::round(v)) < 1e-9;  // a count: 9, not 9.00
  const int decimals = whole || magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// One setting's widget; a change becomes a command that sets the value on the update thread.
// The KPI's recent values as a line under it (one point per refresh, about a second each), with its range.
void drawKpiTrend(const std::deque<runtime::PluginKpiTrendPoint>& trend) {
  if (trend.size() < 2) return;
  std::vector<float> values;
  values.reserve(trend.size());
  float low = std::numeric_limits<float>::max(), high = std::numeric_limits<float>::lowest();
  for (const runtime::PluginKpiTrendPoint& p : trend) {
    values.push_back(static_cast<float>(p.value));
    low = std::min(low, values.back());
    high = std::max(high, values.back());
  }
  const std::string range = formatKpi(low) + " .. " + formatKpi(high);
  ImGui::PlotLines("##trend", values.data(), static_cast<int>(values.size()), 0, range.c_str(), low,
                   high > low ? high : low + 1, ImVec2(ImGui::GetFontSize() * 18, ImGui::GetFontSize() * 2));
}

void drawSetting(runtime::Twin& twin, CommandQueue& commands, const std::string& pluginId, const runtime::PluginSetting& s,
                 Language language) {
  const std::string label = byLanguage(s.labelEn, s.labelZh, language) + "##" + pluginId + "." + s.key;
  std::optional<std::string> changed;
  const bool bounded = s.min <= s.max;
  switch (s.type) {
    case runtime::PluginSetting::Type::Bool: {
      bool v = s.boolValue;
      if (ImGui::Checkbox(label.c_str(), &v)) changed = v ? "true" : "false";
      break;
    }
    case runtime::PluginSetting::Type::Int: {
      std::int64_t v = s.intValue;
      const std::int64_t lo = static_cast<std::int64_t>(s.min);
      const std::int64_t hi = static_cast<std::int64_t>(s.max);
      const bool edited = bounded ? ImGui::SliderScalar(label.c_str(), ImGuiDataType_S64, &v, &lo, &hi)
                                  : ImGui::InputScalar(label.c_str(), ImGuiDataType_S64, &v);
      if (ImGui::IsItemDeactivatedAfterEdit() || (edited && !ImGui::IsItemActive())) changed = std::to_string(v);
      break;
    }
    case runtime::PluginSetting::Type::Double: {
      double v = s.doubleValue;
      bool edited = false;
      if (bounded) {
        edited = ImGui::SliderScalar(label.c_str(), ImGuiDataType_Double, &v, &s.min, &s.max, "%.6g");
      } else {
        edited = ImGui::InputDouble(label.c_str(), &v, 0.0, 0.0, "%.6g");
      }
      // Sent when the edit ends (a slider drag would otherwise send every frame).
      if (ImGui::IsItemDeactivatedAfterEdit() || (edited && !ImGui::IsItemActive())) changed = formatNumber(v);
      break;
    }
    case runtime::PluginSetting::Type::String: {
      char buf[512];
      std::snprintf(buf, sizeof buf, "%s", s.text.c_str());
      if (ImGui::InputText(label.c_str(), buf, sizeof buf, ImGuiInputTextFlags_EnterReturnsTrue)) changed = buf;
      break;
    }
    case runtime::PluginSetting::Type::Enum: {
      std::string current = s.text;
      for (const auto& o : s.options) {
        if (o.value == s.text) current = byLanguage(o.labelEn, o.labelZh, language);
      }
      if (ImGui::BeginCombo(label.c_str(), current.c_str())) {
        for (const auto& o : s.options) {
          const std::string item = byLanguage(o.labelEn.empty() ? o.value : o.labelEn, o.labelZh, language);
          if (ImGui::Selectable(item.c_str(), o.value == s.text)) changed = o.value;
        }
        ImGui::EndCombo();
      }
      break;
    }
  }
  const std::string& help = byLanguage(s.helpEn, s.helpZh, language);
  if (!help.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", help.c_str());
  if (changed) {
    commands.push([&twin, pluginId, key = s.key, value = *changed] {
      if (Status st = twin.plugins().setSetting(pluginId, key, value); !st) {
        spdlog::warn("plugin '{}' setting '{}': {}", pluginId, key, st.message());
      }
    });
  }
}

}  // namespace

void drawPluginPanel(runtime::Twin& twin, UiState& state, CommandQueue& commands) {
  const Language language = state.language;
  const std::vector<runtime::PluginInfo> plugins = twin.plugins().plugins();
  if (plugins.empty()) return;
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  // Bottom right, above the time bar: the inspector has the top right.
  ImGui::SetNextWindowPos(ImVec2(viewport->WorkPos.x + viewport->WorkSize.x - 10, viewport->WorkPos.y + viewport->WorkSize.y - 110),
                          ImGuiCond_FirstUseEver, ImVec2(1, 1));
  // Collapsed while every enabled plugin runs; open when one was refused or disabled, so the reason is seen.
  const bool trouble = std::any_of(plugins.begin(), plugins.end(), [](const runtime::PluginInfo& p) {
    return p.state == runtime::PluginState::Refused || p.state == runtime::PluginState::Disabled;
  });
  ImGui::SetNextWindowCollapsed(!trouble, ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(tr(Text::Plugins, language), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  for (const runtime::PluginInfo& p : plugins) {
    ImGui::PushID(p.id.c_str());
    const ImVec4 colour = p.state == runtime::PluginState::Active ? kActive
                          : p.state == runtime::PluginState::Available ? ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled)
                                                              : kError;
    ImGui::TextUnformatted(p.name.empty() ? p.id.c_str() : p.name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("%s %s", p.id.c_str(), p.version.c_str());
    ImGui::SameLine();
    ImGui::TextColored(colour, "%s", tr(kStates[static_cast<int>(p.state)], language));
    if (p.state == runtime::PluginState::Active) {
      ImGui::SameLine();
      if (ImGui::SmallButton(tr(Text::PluginDisable, language))) {
        commands.push([&twin, id = p.id] { twin.plugins().disable(id, "disabled by the user"); });
      }
    }
    if (!p.message.empty()) ImGui::TextColored(kError, "  %s", p.message.c_str());
    if (ImGui::IsItemHovered() && !p.libraryPath.empty()) ImGui::SetTooltip("%s", p.libraryPath.c_str());
    // What the plugin warned about (bad input it met), newest last: seen here, not only in the log.
    const std::vector<runtime::PluginWarning> warnings = twin.plugins().warnings(p.id);
    if (!warnings.empty() && ImGui::TreeNode("##warnings", "%zu %s", warnings.size(), tr(Text::Warnings, language))) {
      for (const runtime::PluginWarning& w : warnings) {
        const ImVec4 c = w.error ? kError : ImVec4(1, 0.8f, 0.3f, 1);
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 36);
        if (w.repeats > 1) {
          ImGui::TextColored(c, "%s (x%u)", w.message.c_str(), w.repeats);
        } else {
          ImGui::TextColored(c, "%s", w.message.c_str());
        }
        ImGui::PopTextWrapPos();
      }
      ImGui::TreePop();
    }
    const std::vector<runtime::PluginSetting> settings = twin.plugins().settings(p.id);
    if (!settings.empty() && ImGui::TreeNode(tr(Text::PluginSettings, language))) {
      for (const runtime::PluginSetting& s : settings) drawSetting(twin, commands, p.id, s, language);
      if (!p.settingError.empty()) ImGui::TextColored(kError, "%s", p.settingError.c_str());
      ImGui::TreePop();
    }
    ImGui::PopID();
    ImGui::Separator();
  }
  // KPIs of the active plugins, computed on the update thread once a second (Twin::beginFrame).
  if (!twin.plugins().kpis().empty() && ImGui::TreeNode(tr(Text::PluginIndicators, language))) {
    for (const runtime::PluginKpiReading& r : twin.plugins().kpiReadings()) {
      ImGui::PushID(r.kpi.id.c_str());
      const std::string& name = byLanguage(r.kpi.nameEn, r.kpi.nameZh, language);
      if (r.value && r.value->hasValue()) {
        const ImVec4 c = r.value->status == runtime::PluginKpiStatus::Ok        ? kActive
                         : r.value->status == runtime::PluginKpiStatus::Warning ? ImVec4(1, 0.8f, 0.3f, 1)
                                                                       : kError;
        ImGui::TextColored(c, "%s: %s %s", name.c_str(), formatKpi(r.value->value).c_str(), r.kpi.unit.c_str());
      } else if (r.value) {
        ImGui::TextDisabled("%s: %s", name.c_str(), tr(Text::PluginNoData, language));
      } else {
        ImGui::TextColored(kError, "%s: %s", name.c_str(), r.error.c_str());
      }
      const std::string& method = byLanguage(r.kpi.methodEn, r.kpi.methodZh, language);
      if (!method.empty() && ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
        ImGui::TextUnformatted(method.c_str());
        ImGui::PopTextWrapPos();
        ImGui::EndTooltip();
      }
      drawKpiTrend(twin.plugins().kpiTrend(r.kpi.id));
      ImGui::PopID();
    }
    ImGui::TreePop();
  }
  ImGui::End();
}

std::vector<std::string> pluginPanelStrings(const runtime::Twin& twin) {
  std::vector<std::string> out;
  for (const runtime::PluginInfo& p : twin.plugins().plugins()) {
    out.push_back(p.name);
    out.push_back(p.message);
    out.push_back(p.settingError);
    for (const runtime::PluginWarning& w : twin.plugins().warnings(p.id)) out.push_back(w.message);
    for (const runtime::PluginSetting& s : twin.plugins().settings(p.id)) {
      out.push_back(s.labelZh);
      out.push_back(s.labelEn);
      out.push_back(s.helpZh);
      out.push_back(s.text);
      for (const auto& o : s.options) out.push_back(o.labelZh);
    }
  }
  for (const runtime::PluginKpi& k : twin.plugins().kpis()) {
    out.push_back(k.nameZh);
    out.push_back(k.methodZh);
    out.push_back(k.unit);
  }
  return out;
}

}  // namespace gt::viewer
