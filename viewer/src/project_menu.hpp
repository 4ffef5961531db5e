#pragma once
// The Project menu and window (docs/workbench.md "Projects"): save and open a project file, the planner's own
// bookmarks in the Camera menu, what the last open could not apply, and the question asked when the window is closed
// with unsaved changes. Render thread, inside the ImGui frame; saving and opening run as commands on the update
// thread (the single-threaded viewer's).

#include <string>
#include <vector>

#include "greentwin/viewer/ui.hpp"

namespace osgViewer {
class Viewer;
}
namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

class CityManipulator;

// The menu bar's Project menu (new: nothing; save, save as, open).
void drawProjectMenu(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator);
// The Project window (path field, save/open, outcome, problems) and the unsaved-changes question while quitting.
void drawProjectWindow(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator);
// Inside the Camera menu: the planner's bookmarks, and "Bookmark this view".
void drawProjectBookmarks(const runtime::Twin& twin, UiState& state, CommandQueue& commands,
                          CityManipulator* manipulator);

// Closing the window (its close button, Escape when no text field has the keyboard) asks to quit instead of
// closing at once: the request is taken out of the window's events before the viewer sees them (OSG would close the
// window on it). Update thread, before each viewer frame.
void interceptCloseRequests(osgViewer::Viewer& viewer, UiState& state);
// Whether the window may close now: quitting was asked and there is nothing unsaved, or the planner answered.
bool quitDecided(const runtime::Twin& twin, UiState& state);

// Every Chinese word drawn here, for the font atlas.
std::vector<std::string> projectMenuStrings();

}  // namespace gt::viewer
