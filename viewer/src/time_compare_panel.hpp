#pragma once
// Comparing two times in the window (issue 16 part 7; docs/workbench.md "Comparing two times"): the Compare times
// panel picks a layer, a live attribute and two times, draws the change between them as the layer's colours
// (runtime/time_change.hpp) with its figures, and puts the layer's own style back when cleared. Render thread inside
// the ImGui frame; the comparison runs as a command on the update thread (the single-threaded viewer's).

#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/runtime/time_change.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// The Panels menu's entry, and the panel while open.
void drawTimeCompareMenuItem(UiState& state);
void drawTimeComparePanel(runtime::Twin& twin, UiState& state, CommandQueue& commands);

// Computes and shows a change (update thread), keeping the layer's own style to put back; opens the panel with the
// figures. Errors: computeTimeChange's and showTimeChange's (the layer keeps its style then).
Status showTimeChangeInWindow(runtime::Twin& twin, UiState& state, const runtime::TimeChangeRequest& request);
// Puts the layer's own style back (update thread); nothing when no change is shown.
void clearTimeChange(runtime::Twin& twin, UiState& state);
// While a change is shown on `layerId`: the layer's own style (what a project keeps instead of the change's colours).
std::optional<LayerStyleConfig> styleUnderTimeChange(const UiState& state, const std::string& layerId);
// The figures of the change shown now (nullptr: none).
const runtime::TimeChange* shownTimeChange(const UiState& state);

// Every Chinese word the panel draws, for the font atlas.
std::vector<std::string> timeComparePanelStrings();

}  // namespace gt::viewer
