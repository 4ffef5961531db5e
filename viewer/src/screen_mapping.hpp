#pragma once
// How a scene point maps to the interface's screen (ImGui's pixels, y down): through the camera and its viewport,
// or on a wall tile through the whole canvas (UiState::canvas), so that every tile places a label at the same canvas
// pixel. Render thread (inside the ImGui callback).

#include <osg/Camera>
#include <osg/Matrixd>

#include <optional>

#include "greentwin/core/vec.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::viewer {

class ScreenMapping {
 public:
  // Empty when the camera has no viewport yet.
  static std::optional<ScreenMapping> of(const osg::Camera* camera, const UiState& state);

  // The point in screen pixels (x right, y down from the top-left); nullopt behind the camera.
  std::optional<osg::Vec2d> toScreen(const Vec3d& p) const;
  const osg::Matrixd& viewMatrix() const { return view_; }
  const osg::Matrixd& projectionMatrix() const { return projection_; }
  double width() const { return width_; }
  double height() const { return height_; }

 private:
  osg::Matrixd view_;
  osg::Matrixd projection_;
  double width_ = 0;
  double height_ = 0;
};

}  // namespace gt::viewer
