#pragma once
// The GreenTwin application: one twin shown in a window (interactive, full screen for the wall) or rendered
// headless to an image (tests, reports, wall previews) through EGL with no X server.

#include <osg/Image>
#include <osgViewer/View>
#include <osg/ref_ptr>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/viewer/camera.hpp"
#include "greentwin/viewer/i18n.hpp"
#include "greentwin/viewer/ui.hpp"
#include "greentwin/runtime/time_change.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/wall/wall_file.hpp"
#include "greentwin/wall/wall_layout.hpp"

namespace gt::viewer {


// One tile of a wall (docs/wall.md), or the whole canvas when `tile` is empty: the render's size is the tile's (the
// canvas's), the camera's frustum the tile's part of the canvas's, the interface laid out on the canvas.
struct WallRender {
  wall::WallLayout layout;
  std::optional<wall::TileId> tile;
};

struct RenderRequest {
  int width = 1280;
  int height = 720;
  bool drawUi = true;
  std::string bookmark;           // empty = home view
  std::optional<OrbitPose> view;  // the camera in scene coordinates, instead of the bookmark (reports' maps)
  std::optional<TimePoint> time;  // clock time to show (the clock is paused there); empty = as configured
  std::optional<Language> language;
  std::optional<EntityIndex> selected;  // entity to show in the inspector, highlighted
  bool feedHealthPanel = false;         // open the feed-health panel (closed by default, as in the window)
  // Open the indicators dashboard, unfolded (the window shows it folded to its title bar at first; renders leave it
  // out unless asked, so their images stay as they were).
  bool indicatorPanel = false;
  // The dashboard's area (Twin::indicatorArea: "district", a polygon feature's entity id); its outline is drawn on
  // the map. Empty: the district.
  std::string indicatorArea;
  // Draw the indicators' wall view (indicator_wall.hpp: the whole image, large type) instead of the map and panels.
  bool indicatorWall = false;
  // Show indicator N's evidence on the map (its catalog `evidence` layers made visible in their styles); 0: none.
  int evidenceIndicator = 0;
  // A wall's tile or canvas (width and height are then the tile's or the canvas's).
  std::optional<WallRender> wall;
  // What a wall node or kiosk display shows (docs/wall.md "What the wall shows"): the map, its labels, the alert
  // banner and the status strip, no panels. `leadLostForS`: draw a follower's notice that its lead has been silent
  // that long; `layersLoading`: draw a node's notice that this many of its layers are still loading (a render waits
  // for its layers, so this is how the notice is drawn in a test or a picture).
  bool kiosk = false;
  std::optional<double> leadLostForS;
  std::size_t layersLoading = 0;
  // Wait (up to 2 minutes) for the layers and the plugins' derived values at the render's time first; false: draw
  // the twin as it is now (a screenshot of a running twin).
  bool waitForValues = true;
  // Measuring (docs/workbench.md "Measuring"): this Measure mode on, and these map clicks (window points, x right,
  // y up) made in it after the first frame, as a planner's would be; the path, area or height is drawn.
  MeasureMode measureMode = MeasureMode::Off;
  std::vector<std::pair<float, float>> measureClicks;
  // With an Area measured by those clicks: select this layer's features inside it ("Select inside"), as the measure
  // window's button does; the Selection window shows them.
  std::string selectInLayer;
  // A what-if scenario file (docs/workbench.md "Scenarios"): opened in the Scenario panel, compared with the baseline
  // at the render's time, its edits drawn over the map. A bad file fails the render naming it.
  std::string scenarioFile;
  // A second scenario file ("B"): the scenario above is compared with it instead of the baseline (as the panel's
  // "Compare with B"). Needs scenarioFile; a bad file fails the render naming it.
  std::string againstScenarioFile;
  // Attribute filters (docs/workbench.md "Filtering a layer"): layer id and filter text, set before the first frame
  // as the layer panel's field sets them; a mistake fails the render with the filter's error.
  std::vector<std::pair<std::string, std::string>> filters;
  // The layer whose details the layer panel shows unfolded (its filter field, legend and style); empty: none.
  std::string unfoldLayer;
  // A project file (docs/workbench.md "Projects") applied once the layers have loaded: its layers' states, camera,
  // clock, panels and scenario; bookmark, view and time given here win over its own. A bad file fails the render.
  std::string projectFile;
  // A screenshot of a window (docs/workbench.md "Exports"): the interface as that window shows it (screenshot.hpp
  // interfaceCopy) instead of a fresh one; the options above that set up the interface are then not used.
  std::shared_ptr<const UiState> interfaceState;
  // Comparing two times (docs/workbench.md "Comparing two times"): the change of a live attribute between two times
  // drawn on a layer, with the Compare times panel's figures; an error (no LIVE values...) fails the render.
  std::optional<runtime::TimeChangeRequest> timeChange;
};

// Renders one frame of `twin` offscreen. Errors: no EGL, unknown bookmark, read-back failure.
Result<osg::ref_ptr<osg::Image>> renderOffscreen(runtime::Twin& twin, const RenderRequest& request);

// A headless view of a twin kept open between frames, for benchmarks and tools that draw many frames of a changing
// twin: the context, viewer and interface renderOffscreen makes, made once. open() sets the view up as
// renderOffscreen does (clock paused at request.time, waitForValues, realised) and draws nothing; each frame() is
// then one frame of the window's loop (the twin's update() and beginFrame(), then the viewer's frame) and returns
// when GL has finished drawing it (glFinish before the swap), so timing a frame() times all of its work.
// Several sessions may be open at once (each has its own context). Update/render thread.
class OffscreenSession {
 public:
  // Errors as renderOffscreen's.
  static Result<std::unique_ptr<OffscreenSession>> open(runtime::Twin& twin, const RenderRequest& request);
  ~OffscreenSession();
  OffscreenSession(const OffscreenSession&) = delete;
  OffscreenSession& operator=(const OffscreenSession&) = delete;

  // Where a frame's time went (ms): the twin's part (UI commands, update(), beginFrame(), highlights) and the
  // viewer's frame (event, update, cull and draw traversals, the interface, glFinish).
  struct FrameTimes {
    double twinMs = 0;
    double viewerMs = 0;
  };
  FrameTimes frame();
  // One frame as frame() draws it, read back (the whole frame, the interface included).
  Result<osg::ref_ptr<osg::Image>> capturedFrame();

 private:
  struct Impl;
  explicit OffscreenSession(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Picks at window points (x right, y up, in pixels) through exactly the camera a renderOffscreen with the same
// request would use; one result per point. For tests and tools.
Result<std::vector<std::optional<EntityIndex>>> pickOffscreen(runtime::Twin& twin, const RenderRequest& request,
                                                              const std::vector<std::pair<float, float>>& points);

struct WindowOptions {
  std::optional<Language> language;
  std::optional<int> maxFrames;  // stop after this many frames (smoke tests); empty = until closed
  // A node of a wall (docs/wall.md): the window draws the node's tile as a kiosk; the lead publishes its frames, a
  // follower draws its lead's.
  std::optional<wall::WallConfig> wall;
  std::string wallNode;
  // A project file to open at start (docs/workbench.md "Projects"); an unreadable one ends the program (exit 2).
  std::string projectFile;
  // A line of running figures (JSON) appended to this file every statsIntervalS (stats_log.hpp; bench/soak).
  std::string statsFile;
  double statsIntervalS = 10;
};

// Opens the interactive window (needs a display); returns the process exit code.
int runWindow(runtime::Twin& twin, const WindowOptions& options);

// The entity under window position (x, y) of `view` (OSG window coordinates, y up), if any.
std::optional<EntityIndex> pickEntity(const runtime::Twin& twin, osgViewer::View& view, float x, float y);
// The point on the ground (scene local) under window position (x, y): the nearest hit on a ground layer (terrain,
// draped fills), else where the ray meets z = 0; nullopt when it points away from the ground. 3D content (buildings,
// BIM models) is looked through. What "Place model" puts a model on.
std::optional<Vec3d> pickGroundPoint(const runtime::Twin& twin, osgViewer::View& view, float x, float y);
// What a click in the BIM panel's "Place model" mode does: the model of `bimLayerId` keeps its rotation and scale
// and gets its footprint centre on the ground under window position (x, y). Errors: no ground under the point, a
// model that is not loaded.
Status placeBimModelAtWindowPoint(runtime::Twin& twin, osgViewer::View& view, const std::string& bimLayerId, float x, float y);
// The same through exactly the camera a renderOffscreen with the same request would use. For tests and tools.
Status placeBimModelOffscreen(runtime::Twin& twin, const RenderRequest& request, const std::string& bimLayerId, float x,
                              float y);

// The Measure readout (measure_tool.hpp measureReadout) after request.measureClicks were made in request.measureMode
// through exactly the camera a renderOffscreen with the same request would use. For tests and tools.
Result<std::vector<std::string>> measureOffscreen(runtime::Twin& twin, const RenderRequest& request);

// Writes an image (GL's bottom-up rows) as PNG; IoError naming the path on failure.
Status writePng(const osg::Image& image, const std::string& path);

}  // namespace gt::viewer
