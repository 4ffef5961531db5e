#include "alerts_panel.hpp"

#include <imgui.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iterator>

#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

constexpr int kBeijingUtcOffsetMinutes = 8 * 60;

ImVec4 severityColour(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::Critical:
      return {1.0f, 0.35f, 0.3f, 1.0f};
    case AlertSeverity::Warning:
      return {1.0f, 0.75f, 0.25f, 1.0f};
    case AlertSeverity::Info:
      break;
  }
  return {0.45f, 0.75f, 1.0f, 1.0f};
}

Text severityText(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::Critical:
      return Text::AlertCritical;
    case AlertSeverity::Warning:
      return Text::AlertWarning;
    case AlertSeverity::Info:
      break;
  }
  return Text::AlertInfo;
}

// The severity counts line: "Critical 1  Warning 2  Info 0  unacknowledged".
void drawCounts(const runtime::AlertCounts& counts, Language lang) {
  for (AlertSeverity s : {AlertSeverity::Critical, AlertSeverity::Warning, AlertSeverity::Info}) {
    ImGui::TextColored(counts[s] > 0 ? severityColour(s) : ImVec4(0.6f, 0.6f, 0.6f, 1.0f), "%s %zu",
                       tr(severityText(s), lang), counts[s]);
    ImGui::SameLine();
  }
  ImGui::TextDisabled("%s", tr(Text::AlertUnacknowledged, lang));
}

void drawRows(const std::vector<AlertRow>& rows, runtime::Twin& twin, UiState& state, CommandQueue& commands) {
  const Language lang = state.language;
  const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_RowBg | ImGuiTableFlags_Resizable |
                                ImGuiTableFlags_SizingStretchProp;
  if (!ImGui::BeginTable("alerts", 5, flags)) return;
  // Fixed columns sized to their text in the current language and font.
  const float pad = ImGui::GetStyle().FramePadding.x * 2 + 4;
  const float timeWidth = ImGui::CalcTextSize("00-00 00:00:00").x + 4;
  const float actionWidth = std::max(ImGui::CalcTextSize(tr(Text::AlertAcknowledge, lang)).x + pad,
                                     ImGui::CalcTextSize(tr(Text::AlertAcknowledged, lang)).x + 4);
  float severityWidth = 0;
  for (Text t : {Text::AlertInfo, Text::AlertWarning, Text::AlertCritical}) {
    severityWidth = std::max(severityWidth, ImGui::CalcTextSize(tr(t, lang)).x + 4);
  }
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, severityWidth);
  ImGui::TableSetupColumn(tr(Text::AlertTime, lang), ImGuiTableColumnFlags_WidthFixed, timeWidth);
  ImGui::TableSetupColumn(tr(Text::AlertEntity, lang), ImGuiTableColumnFlags_WidthFixed, 120.0f);
  ImGui::TableSetupColumn(tr(Text::AlertMessage, lang), ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, actionWidth);
  ImGui::TableHeadersRow();
  ImGuiListClipper clipper;  // thousands of rows draw only what is visible
  clipper.Begin(static_cast<int>(rows.size()));
  while (clipper.Step()) {
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
      const AlertRow& row = rows[static_cast<std::size_t>(i)];
      ImGui::PushID(static_cast<int>(row.id));
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      const ImVec4 colour = row.cleared ? ImVec4(0.6f, 0.6f, 0.6f, 1.0f) : severityColour(row.severity);
      ImGui::TextColored(colour, "%s", row.severityText);
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(row.time.c_str());
      if (row.cleared) {
        // Under the start time: "cleared 16:07:12" (time of day; the date in the tooltip).
        ImGui::TextDisabled("%s %s", tr(Text::AlertCleared, lang), row.clearedTime.substr(6).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s %s", tr(Text::AlertCleared, lang), row.clearedTime.c_str());
      }
      ImGui::TableSetColumnIndex(2);
      if (!row.entityId.empty()) {
        const auto entity = twin.entities().find(row.entityId);
        if (entity) {
          const bool selected = state.selected && *state.selected == *entity;
          if (ImGui::Selectable(row.entityId.c_str(), selected)) {
            commands.push([&state, e = *entity] { state.selected = e; });
          }
          if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", row.entityId.c_str());  // the column may cut it
        } else {
          ImGui::TextDisabled("%s", row.entityId.c_str());  // not (yet) loaded: nothing to select
        }
      }
      ImGui::TableSetColumnIndex(3);
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextUnformatted(row.message.c_str());
      ImGui::PopTextWrapPos();
      if (ImGui::IsItemHovered()) {
        ImGui::SetTooltip("%s: %s  #%u", tr(Text::AlertSource, lang), row.source.c_str(), row.occurrences);
      }
      ImGui::TableSetColumnIndex(4);
      if (row.acknowledged) {
        ImGui::TextDisabled("%s", tr(Text::AlertAcknowledged, lang));
      } else if (ImGui::SmallButton(tr(Text::AlertAcknowledge, lang))) {
        // Acknowledged at wall time: a person's action, even while the clock plays history back.
        commands.push([&twin, id = row.id] {
          if (Status s = twin.alerts().acknowledge(id, wallNow()); !s) spdlog::warn("{}", s.message());
        });
      }
      ImGui::PopID();
    }
  }
  ImGui::EndTable();
}

}  // namespace

std::string alertTime(TimePoint t) {
  const std::string iso = formatIsoTime(t, kBeijingUtcOffsetMinutes);  // 2026-12-04T16:05:09+08:00
  if (iso.size() < 19) return iso;
  return iso.substr(5, 5) + " " + iso.substr(11, 8);
}

std::vector<AlertRow> alertRows(const std::vector<runtime::Alert>& alerts, Language language) {
  std::vector<AlertRow> rows;
  rows.reserve(alerts.size());
  for (const runtime::Alert& a : alerts) {
    AlertRow r;
    r.id = a.id;
    r.severity = a.severity;
    r.severityText = tr(severityText(a.severity), language);
    r.time = alertTime(a.raisedUs);
    if (a.clearedUs) r.clearedTime = alertTime(*a.clearedUs);
    r.entityId = a.entityId;
    r.message = byLanguage(a.messageEn, a.messageZh, language);
    r.source = a.source;
    r.acknowledged = a.acknowledged;
    r.cleared = !a.active();
    r.occurrences = a.occurrences;
    rows.push_back(std::move(r));
  }
  return rows;
}

void drawAlertsPanel(runtime::Twin& twin, UiState& state, CommandQueue& commands) {
  if (!state.showAlerts) return;
  const Language lang = state.language;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // Top centre, under the menu bar: the layers panel is on the left, the inspector on the right.
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + ImGui::GetFrameHeight() + 8),
                          ImGuiCond_FirstUseEver, ImVec2(0.5f, 0.0f));
  ImGui::SetNextWindowSize(ImVec2(640, 300), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowBgAlpha(0.92f);  // map labels must not show through the messages
  // The title is the same in both languages' ids ("###alerts"), so the window keeps its place when switching.
  const std::string title = std::string(tr(Text::Alerts, lang)) + "###alerts";
  if (!ImGui::Begin(title.c_str(), &state.showAlerts)) {
    ImGui::End();
    return;
  }
  const runtime::AlertLog& log = twin.alerts();
  drawCounts(log.unacknowledged(), lang);
  ImGui::SameLine(0, 24);
  ImGui::Checkbox(tr(Text::AlertShowCleared, lang), &state.showClearedAlerts);
  if (const runtime::AlertPersistenceStatus p = log.persistenceStatus(); !p.status) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
    ImGui::TextWrapped("%s: %s", tr(Text::AlertHistoryError, lang), p.status.message().c_str());
    ImGui::PopStyleColor();
  }
  ImGui::Separator();
  std::vector<AlertRow> rows = alertRows(log.active(), lang);
  if (rows.empty()) ImGui::TextDisabled("%s", tr(Text::AlertsNone, lang));
  if (state.showClearedAlerts) {
    std::vector<AlertRow> cleared = alertRows(log.recent(), lang);
    rows.insert(rows.end(), std::make_move_iterator(cleared.begin()), std::make_move_iterator(cleared.end()));
  }
  if (!rows.empty()) drawRows(rows, twin, state, commands);
  ImGui::End();
}

void drawAlertsMenuCounter(const runtime::Twin& twin, UiState& state) {
  const runtime::AlertCounts counts = twin.alerts().unacknowledged();
  if (counts.total() == 0) return;
  AlertSeverity worst = AlertSeverity::Info;
  for (AlertSeverity s : {AlertSeverity::Warning, AlertSeverity::Critical}) {
    if (counts[s] > 0) worst = s;
  }
  const std::string label = std::string(tr(Text::Alerts, state.language)) + " " + std::to_string(counts.total());
  ImGui::PushStyleColor(ImGuiCol_Text, severityColour(worst));
  if (ImGui::MenuItem(label.c_str())) state.showAlerts = true;
  ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) {
    ImGui::BeginTooltip();
    drawCounts(counts, state.language);
    ImGui::EndTooltip();
  }
}

std::vector<std::string> alertsPanelStrings(const runtime::Twin& twin, std::uint64_t& reportedVersion) {
  std::vector<std::string> out;
  const runtime::AlertLog& log = twin.alerts();
  if (log.changes() == reportedVersion) return out;
  for (const auto& list : {log.active(), log.recent()}) {
    for (const runtime::Alert& a : list) {
      if (a.version <= reportedVersion) continue;
      out.push_back(a.messageZh);
      out.push_back(a.messageEn);
      out.push_back(a.entityId);
      out.push_back(a.source);
    }
  }
  reportedVersion = log.changes();
  return out;
}

}  // namespace gt::viewer
