#pragma once
// The indicators dashboard (issue 13 deliverable 4; docs/indicators.md "Dashboard"): the programme's 18 main
// indicators in their three groups, each with its number, name, current value and unit, 2025 target, a status chip
// (met / on track / off track / no data), a sparkline of its trend and its source tag (computed / reported /
// synthetic); a click on a row folds out its method, inputs, assessment and, without a value, why. Reads the twin's
// IndicatorBoard (runtime/indicator_board.hpp), which the twin updates once a second after the plugin KPIs.
//
// Shown by default in the window, folded to its title bar at first (like the Plugins and Model tree panels), so the
// city stays in view until asked; toggled in the Panels menu. Renders open it only when asked (RenderRequest).
// Drawing: render thread, inside the ImGui frame (the viewer runs single-threaded: the update thread).

#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/viewer/i18n.hpp"
#include "greentwin/viewer/ui.hpp"

namespace osg {
class Camera;
}

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// "指标" / "Indicators": the window's title and its Panels menu entry.
const char* indicatorPanelTitle(Language language);

// The value cell: "37.2%", "2.64 吨二氧化碳/人", "Ⅲ类" / "class III" (a river class), "—" without a value.
std::string indicatorValueText(const runtime::IndicatorRow& row, Language language);

// Draws nothing while state.showIndicators is false, but the chosen area's outline on the map (projected with
// `camera`; nullptr: none). The panel shows the rows of the area the state names (indicator_area_tool.hpp); "Show
// evidence on the map" pushes its layer changes to `commands`.
void drawIndicatorPanel(runtime::Twin& twin, UiState& state, CommandQueue& commands, const osg::Camera* camera);

// The dashboard's strings (its labels, and the rows' names, targets, methods and reasons in both languages) when
// the board changed since `reportedVersion` (IndicatorBoard::version(); updated here), for the UI glyph set.
std::vector<std::string> indicatorPanelStrings(const runtime::Twin& twin, std::uint64_t& reportedVersion);

}  // namespace gt::viewer
