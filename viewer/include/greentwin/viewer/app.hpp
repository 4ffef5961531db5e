#pragma once
// The GreenTwin application: one twin shown in a window (interactive, full screen for the wall) or rendered
// headless to an image (tests, reports, wall previews) through EGL with no X server.

#include <osg/Image>
#include <osgViewer/View>
#include <osg/ref_ptr>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/viewer/i18n.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {


struct RenderRequest {
  int width = 1280;
  int height = 720;
  bool drawUi = true;
  std::string bookmark;           // empty = home view
  std::optional<TimePoint> time;  // clock time to show (the clock is paused there); empty = as configured
  std::optional<Language> language;
  std::optional<EntityIndex> selected;  // entity to show in the inspector, highlighted
  bool feedHealthPanel = false;         // open the feed-health panel (closed by default, as in the window)
};

// Renders one frame of `twin` offscreen. Errors: no EGL, unknown bookmark, read-back failure.
Result<osg::ref_ptr<osg::Image>> renderOffscreen(runtime::Twin& twin, const RenderRequest& request);

// Picks at window points (x right, y up, in pixels) through exactly the camera a renderOffscreen with the same
// request would use; one result per point. For tests and tools.
Result<std::vector<std::optional<EntityIndex>>> pickOffscreen(runtime::Twin& twin, const RenderRequest& request,
                                                              const std::vector<std::pair<float, float>>& points);

struct WindowOptions {
  std::optional<Language> language;
  std::optional<int> maxFrames;  // stop after this many frames (smoke tests); empty = until closed
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

// Writes an image (GL's bottom-up rows) as PNG; IoError naming the path on failure.
Status writePng(const osg::Image& image, const std::string& path);

}  // namespace gt::viewer
