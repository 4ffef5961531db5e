#pragma once
// A screenshot of the window at a chosen size (issue 16 part 6; docs/workbench.md "Exports"): the camera's view
// rendered offscreen (renderOffscreen) at any size up to 16384 pixels a side, with the interface as the window shows
// it (its panels, their places, the selection, the scenario) or the map alone, written as PNG. Project > Screenshot.
// The render runs on the update thread between frames (seconds for a large image in software GL; the window waits).

#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

class CityManipulator;

struct ScreenshotRequest {
  int width = 3840;
  int height = 2160;
  bool withInterface = true;
  std::string path = "exports/screenshot.png";
};

// The window's interface state for a render of it: its panels and edits, without what belongs to the window's own
// drawing context (fonts of the indicators' wall view) or its wall and project bookkeeping; `layout` is the window's
// ImGui settings text (window places and sizes), applied in the render's first frame.
UiState interfaceCopy(const UiState& window, const std::string& layout);

// Renders and writes the screenshot. Errors: a size out of 16..16384, the render's, the PNG's (naming the file).
Status saveScreenshot(runtime::Twin& twin, const UiState& state, const CityManipulator& camera,
                      const ScreenshotRequest& request);

// Every Chinese word the window draws, for the font atlas.
std::vector<std::string> screenshotStrings();
// Opens the Screenshot window (Project menu).
void openScreenshotWindow(UiState& state);
// The Screenshot window (while open; Project menu): size, interface or map only, file, Save and the outcome.
void drawScreenshotWindow(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* camera);

}  // namespace gt::viewer
