#pragma once
// The alerts panel (docs/alerts.md "The panel"): the twin's active alerts, most severe first, then newest first,
// each with its severity colour, the time it began (Beijing time, like the rest of the UI), its entity (a click
// selects it), its message in the UI language and an Acknowledge button; optionally the recently cleared ones
// below. The menu bar shows a counter while active alerts are unacknowledged; a click opens the panel (also in
// the Panels menu). Closed by default.
//
// The rows are built by a pure function from runtime::Alert lists, so they are testable without a GL context.
// Drawing: render thread, inside the ImGui frame (the viewer runs single-threaded: the update thread); the
// acknowledgement and the selection are pushed as commands for the update phase.

#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/core/alert.hpp"
#include "greentwin/runtime/alert_log.hpp"
#include "greentwin/viewer/i18n.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

struct AlertRow {
  std::uint64_t id = 0;
  AlertSeverity severity = AlertSeverity::Warning;
  const char* severityText = "";  // in the UI language
  std::string time;               // when it began: "MM-DD HH:MM:SS", Beijing time
  std::string clearedTime;        // "" while active
  std::string entityId;           // "" none
  std::string message;            // in the UI language (the other one when the plugin gave only one)
  std::string source;
  bool acknowledged = false;
  bool cleared = false;
  std::uint32_t occurrences = 1;
};

// "12-04 16:05:09": month, day and time of day in Beijing time (UTC+8, Asia/Shanghai has no DST).
std::string alertTime(TimePoint t);

// One row per alert, in the order given (AlertLog::active() / recent() order).
std::vector<AlertRow> alertRows(const std::vector<runtime::Alert>& alerts, Language language);

// Draws nothing while state.showAlerts is false.
void drawAlertsPanel(runtime::Twin& twin, UiState& state, CommandQueue& commands);

// In the main menu bar (between BeginMainMenuBar and EndMainMenuBar): "Alerts 3" in the colour of the most severe
// unacknowledged active alert; nothing while none is unacknowledged. A click opens the panel.
void drawAlertsMenuCounter(const runtime::Twin& twin, UiState& state);

// The alerts' strings (messages in both languages, entity ids, sources) of entries changed since `reportedVersion`
// (AlertLog::changes(); updated here), for the UI glyph set.
std::vector<std::string> alertsPanelStrings(const runtime::Twin& twin, std::uint64_t& reportedVersion);

}  // namespace gt::viewer
