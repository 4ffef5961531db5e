#include "screen_mapping.hpp"

#include <osg/Viewport>

namespace gt::viewer {

std::optional<ScreenMapping> ScreenMapping::of(const osg::Camera* camera, const UiState& state) {
  if (camera == nullptr) return std::nullopt;
  ScreenMapping m;
  m.view_ = camera->getViewMatrix();
  if (state.canvas) {
    m.projection_ = state.canvas->projection;
    m.width_ = state.canvas->width;
    m.height_ = state.canvas->height;
  } else {
    const osg::Viewport* viewport = camera->getViewport();
    if (viewport == nullptr) return std::nullopt;
    m.projection_ = camera->getProjectionMatrix();
    m.width_ = viewport->width();
    m.height_ = viewport->height();
  }
  return m;
}

std::optional<osg::Vec2d> ScreenMapping::toScreen(const Vec3d& p) const {
  const osg::Vec4d clip = osg::Vec4d(p.x, p.y, p.z, 1.0) * view_ * projection_;
  if (clip.w() <= 0) return std::nullopt;  // behind the camera
  const double ndcX = clip.x() / clip.w();
  const double ndcY = clip.y() / clip.w();
  return osg::Vec2d((ndcX + 1.0) * 0.5 * width_, height_ - (ndcY + 1.0) * 0.5 * height_);
}

}  // namespace gt::viewer
