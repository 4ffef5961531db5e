#pragma once
// The planner's project in the window (issue 16 part 5; docs/workbench.md "Projects"): the whole workbench state —
// the twin's layers (runtime/project_layers.hpp), the camera and the planner's bookmarks, the clock, the open panels
// and their window layout, the colour-by forms, the scenario being edited — captured into a project file
// (core/project.hpp) and applied from one. Also what "unsaved changes" means: the project's text without the camera,
// the clock and the window layout (moving the view is not an edit) differs from the text last saved or opened.
//
// Update thread (the single-threaded viewer's: the ImGui frame runs on it too).

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/project.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/runtime/project_layers.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

class CityManipulator;

// The project of a window (UiState::project).
struct ProjectSession {
  std::string path;       // the file last saved or opened; "" none yet
  std::string savedText;  // comparedText() when last saved or opened (or of the window at its start)
  bool baselineTaken = false;
  std::vector<BookmarkConfig> bookmarks;  // the planner's own bookmarks (Camera menu)
  std::unique_ptr<runtime::ProjectLayerApplier> applying;  // an opened project's layers, while they load
  std::vector<std::string> problems;  // what the last open could not apply
  std::string message;  // the last save's or open's outcome
  bool error = false;
  // Quitting (the window's close button, Escape): asked about when there are unsaved changes.
  bool quitRequested = false;
  bool quitConfirmed = false;
  bool windowOpen = false;  // the Project window (Project menu)
  std::string pendingLayout;  // an opened project's window layout, given to ImGui in the next interface frame
  char pathField[512] = "projects/plan.gtproj";
  char bookmarkName[128] = "";
};

ProjectSession& projectSession(UiState& state);

// The project the window shows now. `projectFile`: where it will be written (the config path is made relative to
// its folder). `manipulator` may be null (no camera is kept then).
Project captureProject(const runtime::Twin& twin, const UiState& state, const CityManipulator* manipulator,
                       const std::string& projectFile);
// Applies a project: layers (added, states, order; styles and filters once loaded: updateProject), camera, bookmarks,
// clock, panels, window layout, colour-by forms, the scenario. Nothing is refused: what cannot be applied (a layer
// the twin does not have, a filter whose attribute is gone) is listed in the session's problems, the rest applies.
void applyProject(runtime::Twin& twin, UiState& state, CityManipulator* manipulator, const Project& project);

// Save (to `path`) and open (from `path`): errors name the file; the session remembers the path and the text.
Status saveProjectFile(const runtime::Twin& twin, UiState& state, const CityManipulator* manipulator,
                       const std::string& path);
Status openProjectFile(runtime::Twin& twin, UiState& state, CityManipulator* manipulator, const std::string& path);

// "Bookmark this view": the camera's view as a planner's bookmark named `name` (its id made from the name, unique).
// Errors: an empty name, a view that cannot be put in longitude and latitude.
Status addProjectBookmark(const runtime::Twin& twin, UiState& state, const CityManipulator& manipulator,
                          const std::string& name);

// A headless render's project (greentwin render --project): opened, then frames run until its layers have their
// styles and filters (at most `timeout`). Errors: the file's, or the layers still loading at the end.
Status openProjectForRender(runtime::Twin& twin, UiState& state, CityManipulator* manipulator, const std::string& path,
                            std::chrono::milliseconds timeout);

// Per frame: styles and filters of an opened project's layers as they load; the start-up baseline once the twin has
// loaded (a new window has no unsaved changes).
void updateProject(runtime::Twin& twin, UiState& state);

// Whether the window differs from the project last saved or opened (camera, clock and window layout aside).
bool hasUnsavedChanges(const runtime::Twin& twin, const UiState& state);

}  // namespace gt::viewer
