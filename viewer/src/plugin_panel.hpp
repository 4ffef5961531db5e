#pragma once
// The Plugins panel (docs/plugins.md): every plugin found with its state (active / refused / disabled and why),
// its settings drawn from the plugin's description, and its KPIs. Render thread (inside the ImGui frame); setting
// changes and KPI refreshes are pushed as commands for the update thread, where plugins are called.

#include <string>
#include <vector>

#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {


// Draws nothing while no plugin is configured or found.
void drawPluginPanel(runtime::Twin& twin, UiState& state, CommandQueue& commands);

// The plugins' own strings (names, settings, KPIs, messages), for the UI glyph set (the panel's labels are i18n's
// Text table). Cheap enough to call every frame.
std::vector<std::string> pluginPanelStrings(const runtime::Twin& twin);

}  // namespace gt::viewer
