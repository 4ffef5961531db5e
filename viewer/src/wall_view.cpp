#include "wall_view.hpp"

#include <osg/ComputeBoundsVisitor>
#include <osgUtil/CullVisitor>

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

void TileCull::set(const osg::Matrixd& tileProjection, const osg::Matrixd& canvasProjection, int tileWidth,
                   int tileHeight) {
  tileProjection_ = tileProjection;
  canvasProjection_ = canvasProjection;
  tileViewport_->setViewport(0, 0, tileWidth, tileHeight);
}

void TileCull::operator()(osg::Node* node, osg::NodeVisitor* nv) {
  osgUtil::CullVisitor* cv = nv->asCullVisitor();
  if (cv == nullptr) {
    traverse(node, nv);
    return;
  }
  // A projection of its own, pushed over the camera's (the canvas's): every drawable the traversal keeps is
  // recorded with this matrix, which becomes the canvas's once the traversal is done. The tile's viewport with it:
  // the terrain's levels of detail read the pixels per radian from the pair, the same as the canvas's.
  osg::ref_ptr<osg::RefMatrix> projection = new osg::RefMatrix(tileProjection_);
  osg::ref_ptr<osg::RefMatrix> modelView = new osg::RefMatrix(*cv->getModelViewMatrix());
  cv->pushViewport(tileViewport_.get());
  cv->pushProjectionMatrix(projection.get());
  cv->pushModelViewMatrix(modelView.get(), osg::Transform::ABSOLUTE_RF);
  traverse(node, nv);
  cv->popModelViewMatrix();
  cv->popProjectionMatrix();
  cv->popViewport();
  projection->set(canvasProjection_);
}

wall::PixelRect canvasViewportFor(const wall::WallLayout& layout, const wall::PixelRect& tile) {
  const int glY = layout.canvasHeight() - (tile.y + tile.height);
  return wall::PixelRect{-tile.x, -glY, layout.canvasWidth(), layout.canvasHeight()};
}

namespace {

// A new viewport object when the values change: OSG's State applies an attribute again only when its object
// differs from the one last applied, so a viewport changed in place would not reach GL.
void setViewport(osg::Camera& camera, const wall::PixelRect& v) {
  const osg::Viewport* now = camera.getViewport();
  if (now != nullptr && now->x() == v.x && now->y() == v.y && now->width() == v.width && now->height() == v.height) {
    return;
  }
  camera.setViewport(new osg::Viewport(v.x, v.y, v.width, v.height));
}

}  // namespace

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
  const osg::Matrixd canvasProjection =
      osg::Matrixd::frustum(canvas.left, canvas.right, canvas.bottom, canvas.top, canvas.zNear, canvas.zFar);
  const wall::PixelRect r = wall_.tile ? layout.tileRect(*wall_.tile)
                                       : wall::PixelRect{0, 0, layout.canvasWidth(), layout.canvasHeight()};
  camera.setComputeNearFarMode(osg::CullSettings::DO_NOT_COMPUTE_NEAR_FAR);
  // No small-feature culling on a wall: OSG estimates an object's size in pixels from the projection and the
  // viewport's offset, so a tile and the canvas disagree about objects of about its 2-pixel threshold, and one
  // draws a small building the other leaves out.
  camera.setCullingMode(camera.getCullingMode() & ~osg::CullSettings::SMALL_FEATURE_CULLING);
  const bool oneViewport = layout.canvasWidth() <= kMaxCanvasViewport && layout.canvasHeight() <= kMaxCanvasViewport;
  std::optional<wall::PixelRect> shifted;
  if (wall_.tile) {
    const wall::Frustum f = layout.tileFrustum(canvas, *wall_.tile);
    const osg::Matrixd tileProjection = osg::Matrixd::frustum(f.left, f.right, f.bottom, f.top, f.zNear, f.zFar);
    if (oneViewport) {
      // The canvas's projection and viewport, shifted onto the tile; culled with the tile's frustum (TileCull).
      tileCull_->set(tileProjection, canvasProjection, r.width, r.height);
      shifted = canvasViewportFor(layout, r);
      camera.setProjectionMatrix(canvasProjection);
      setViewport(camera, *shifted);
      camera.setCullCallback(tileCull_.get());
    } else {
      camera.setProjectionMatrix(tileProjection);
      setViewport(camera, {0, 0, r.width, r.height});
      camera.setCullCallback(nullptr);
    }
  } else {
    camera.setProjectionMatrix(canvasProjection);
    setViewport(camera, {0, 0, r.width, r.height});
  }
  state.canvas = CanvasView{canvasProjection, layout.canvasWidth(), layout.canvasHeight()};
  if (overlay != nullptr) {
    overlay->setCanvasWindow(
        ImGuiOverlay::CanvasWindow{layout.canvasWidth(), layout.canvasHeight(), r.x, r.y, r.width, r.height,
                                   shifted ? std::optional(std::array{shifted->x, shifted->y, shifted->width,
                                                                      shifted->height})
                                           : std::nullopt});
  }
}

}  // namespace gt::viewer
