#pragma once
// One tile of a wall, or its whole canvas, drawn through the viewer's camera (docs/wall.md "Rendering"). The canvas
// has the window's 40-degree vertical field of view over the canvas's aspect ratio; a tile's camera gets the
// off-axis frustum cut from it at the tile's pixel edges, so OSG culls against the tile alone. The depth range is
// fixed from the scene's bounds and the eye — not computed from what the tile sees, which would differ per tile and
// change the depth buffer — so that a tile draws exactly the pixels of its part of the canvas.

#include <osg/Camera>
#include <osg/Matrixd>
#include <osg/Node>

#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/imgui_overlay.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::viewer {

inline constexpr double kFieldOfViewDeg = 40.0;  // the window's vertical field of view (app.cpp)

// The pixel size a wall render has: the tile's, or the canvas's when no tile is named.
std::pair<int, int> wallRenderSize(const WallRender& wall);

// Keeps the camera on its tile. Update thread, once per frame before the viewer's frame.
class WallView {
 public:
  explicit WallView(WallRender wall) : wall_(std::move(wall)) {}
  const WallRender& wall() const { return wall_; }

  // The camera's projection for the view matrix the frame will use, the interface's canvas in `state` and
  // `overlay` (nullptr: no interface).
  void apply(const osg::Matrixd& viewMatrix, osg::Node& scene, osg::Camera& camera, UiState& state,
             ImGuiOverlay* overlay);

 private:
  WallRender wall_;
  osg::BoundingSphere lastSphere_;  // the scene's bound when sceneBox_ was computed
  osg::BoundingBox sceneBox_;
};

// The depth range (near, far) that shows everything in `box` from `eye`: far reaches the box's farthest corner,
// near is most of the distance to the box (never under far / 10^5, so the depth buffer keeps its precision).
std::pair<double, double> depthRangeFor(const osg::BoundingBox& box, const osg::Vec3d& eye);

}  // namespace gt::viewer
