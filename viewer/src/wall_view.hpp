#pragma once
// One tile of a wall, or its whole canvas, drawn through the viewer's camera (docs/wall.md "Rendering"). The canvas
// has the window's 40-degree vertical field of view over the canvas's aspect ratio. A tile is culled against the
// off-axis frustum cut from it at the tile's pixel edges, so OSG keeps only what the tile shows; what is kept is
// drawn with the canvas's own projection through a viewport that puts the tile's canvas pixels on the tile's
// framebuffer, so the rasteriser sees the canvas render's clip coordinates (docs/wall.md "Stitching"). The depth
// range is fixed from the scene's bounds and the eye — not computed from what the tile sees, which would differ per
// tile and change the depth buffer — so that a tile draws exactly the pixels of its part of the canvas.

#include <osg/Camera>
#include <osg/Matrixd>
#include <osg/Node>
#include <osg/NodeCallback>
#include <osg/Viewport>

#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/imgui_overlay.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::viewer {

inline constexpr double kFieldOfViewDeg = 40.0;  // the window's vertical field of view (app.cpp)

// The pixel size a wall render has: the tile's, or the canvas's when no tile is named.
std::pair<int, int> wallRenderSize(const WallRender& wall);

// The camera's cull callback on a wall tile: culls the scene with the tile's off-axis frustum and viewport, then
// hands what it kept the canvas's projection to be drawn with. Render thread, in the cull traversal.
class TileCull : public osg::NodeCallback {
 public:
  void set(const osg::Matrixd& tileProjection, const osg::Matrixd& canvasProjection, int tileWidth, int tileHeight);
  void operator()(osg::Node* node, osg::NodeVisitor* nv) override;

 private:
  osg::Matrixd tileProjection_;
  osg::Matrixd canvasProjection_;
  osg::ref_ptr<osg::Viewport> tileViewport_ = new osg::Viewport;
};

// The viewport (GL's x, y up, width, height) that draws the canvas's pixels `tile` (y down from the canvas's top)
// at the framebuffer's origin: the canvas's size, shifted by whole pixels.
wall::PixelRect canvasViewportFor(const wall::WallLayout& layout, const wall::PixelRect& tile);

// The largest canvas side drawn through one viewport: GL 4.1 and later guarantee viewports of 16384 pixels a side
// (GL_MAX_VIEWPORT_DIMS). A larger canvas's tiles are drawn with their off-axis frustum instead, which may round a
// few edge pixels differently from the canvas.
inline constexpr int kMaxCanvasViewport = 16384;

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
  osg::ref_ptr<TileCull> tileCull_ = new TileCull;
  osg::BoundingSphere lastSphere_;  // the scene's bound when sceneBox_ was computed
  osg::BoundingBox sceneBox_;
};

// The depth range (near, far) that shows everything in `box` from `eye`: far reaches the box's farthest corner,
// near is most of the distance to the box (never under far / 10^5, so the depth buffer keeps its precision).
std::pair<double, double> depthRangeFor(const osg::BoundingBox& box, const osg::Vec3d& eye);

}  // namespace gt::viewer
