#include "wall_view.hpp"

#include <osg/ComputeBoundsVisitor>

#include <algorithm>
#include <cmath>

namespace gt::viewer {

std::pair<int, int> wallRenderSize(const WallRender& wall) {
  if (wall.tile) return {wall.layout.tileWidth, wall.layout.tileHeight};
  return {wall.layout.canvasWidth(), wall.layout.canvasHeight()};
}

std::pair<double, double> depthRangeFor(const osg::BoundingBox& box, const osg::Vec3d& eye) {
  if (!box.valid()) return {10.0, 500000.0};
  double farthest = 0;
  for (unsigned i = 0; i < 8; ++i) farthest = std::max(farthest, (osg::Vec3d(box.corner(i)) - eye).length());
  const double dx = std::max({box.xMin() - eye.x(), 0.0, eye.x() - box.xMax()});
  const double dy = std::max({box.yMin() - eye.y(), 0.0, eye.y() - box.yMax()});
  const double dz = std::max({box.zMin() - eye.z(), 0.0, eye.z() - box.zMax()});
  const double nearest = std::sqrt(dx * dx + dy * dy + dz * dz);
  const double zFar = std::max(farthest * 1.01, 1.0);
  const double zNear = std::max(nearest * 0.9, zFar * 1e-5);
  return {zNear, zFar};
}

void WallView::apply(const osg::Matrixd& viewMatrix, osg::Node& scene, osg::Camera& camera, UiState& state,
                     ImGuiOverlay* overlay) {
  // The box of every drawable, recomputed whenever the scene's bound moves (a layer loaded, shown or hidden, a
  // vehicle moved). Not throttled by time: the depth range must be a function of the scene alone, the same on every
  // node and in the canvas render, or the tiles' depth precision differs and edges z-fight differently.
  const osg::BoundingSphere& sphere = scene.getBound();
  if (sphere.center() != lastSphere_.center() || sphere.radius() != lastSphere_.radius()) {
    osg::ComputeBoundsVisitor bounds;
    scene.accept(bounds);
    sceneBox_ = bounds.getBoundingBox();
    lastSphere_ = sphere;
  }
  const osg::Vec3d eye = osg::Vec3d() * osg::Matrixd::inverse(viewMatrix);
  const auto [zNear, zFar] = depthRangeFor(sceneBox_, eye);
  const wall::WallLayout& layout = wall_.layout;
  const wall::Frustum canvas = wall::symmetricFrustum(
      kFieldOfViewDeg, static_cast<double>(layout.canvasWidth()) / layout.canvasHeight(), zNear, zFar);
  const wall::Frustum f = wall_.tile ? layout.tileFrustum(canvas, *wall_.tile) : canvas;
  camera.setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
  camera.setProjectionMatrixAsFrustum(f.left, f.right, f.bottom, f.top, f.zNear, f.zFar);
  state.canvas = CanvasView{osg::Matrixd::frustum(canvas.left, canvas.right, canvas.bottom, canvas.top, canvas.zNear,
                                                  canvas.zFar),
                            layout.canvasWidth(), layout.canvasHeight()};
  if (overlay != nullptr) {
    const wall::PixelRect r = wall_.tile ? layout.tileRect(*wall_.tile)
                                         : wall::PixelRect{0, 0, layout.canvasWidth(), layout.canvasHeight()};
    overlay->setCanvasWindow(ImGuiOverlay::CanvasWindow{layout.canvasWidth(), layout.canvasHeight(), r.x, r.y});
  }
}

}  // namespace gt::viewer
