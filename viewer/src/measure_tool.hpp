#pragma once
// Measuring on the map (issue 16 part 2; docs/workbench.md "Measuring"): the menu bar's Measure menu and its three
// modes — a path's length (in plan and along the terrain), a polygon's area and perimeter, the height of what is
// under the cursor above the ground it stands on — the points and figures drawn over the map, and the readout
// window. The sums are core/measure.hpp's. Render thread (inside the ImGui frame) unless said; map clicks come from
// app.cpp's pick handler (event traversal, the same thread in the single-threaded viewer).

#include <optional>
#include <string>
#include <vector>

#include "greentwin/viewer/ui.hpp"

namespace osg {
class Camera;
}
namespace osgViewer {
class View;
}
namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// What the readout says now, one line each, in the interface language (empty: nothing measured yet). Pure: tests
// read it.
std::vector<std::string> measureReadout(const runtime::Twin& twin, const UiState& state);

// The Measure menu (inside the main menu bar).
void drawMeasureMenu(UiState& state);
// The readout window, while a mode is on or a figure is shown.
void drawMeasureWindow(const runtime::Twin& twin, UiState& state);
// The measured path or polygon over the map, with its running figure at the last point; the height's vertical line.
void drawMeasureOverlay(const runtime::Twin& twin, const UiState& state, const osg::Camera* camera);

// A map click while measuring (app.cpp's pick handler): a path or polygon point on the ground, or the height of
// what is under (x, y) (window coordinates, y up). False when no mode is on (the click selects as usual).
bool measureClick(const runtime::Twin& twin, UiState& state, osgViewer::View& view, float x, float y);
// The height of what is under (x, y): the nearest visible surface hit and the ground it stands on — a building's box
// base (the terrain under its centroid), else the terrain under the point. Nullopt when the ray hits nothing.
std::optional<MeasuredHeight> measureHeightAt(const runtime::Twin& twin, osgViewer::View& view, float x, float y);

// Every Chinese word the tool draws, for the font atlas.
std::vector<std::string> measureToolStrings();

}  // namespace gt::viewer
