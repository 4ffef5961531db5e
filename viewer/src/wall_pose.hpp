#pragma once
// The viewer's orbit pose and the wall's camera pose (wall/camera_pose.hpp) hold the same numbers in different
// types: the wall node, the wall controller and the search's camera flight convert between them here.

#include "greentwin/viewer/camera.hpp"
#include "greentwin/wall/camera_pose.hpp"

namespace gt::viewer {

inline wall::CameraPose toWall(const OrbitPose& p) {
  return wall::CameraPose{p.center.x(), p.center.y(), p.center.z(), p.headingDeg, p.pitchDeg, p.range};
}

inline OrbitPose fromWall(const wall::CameraPose& p) {
  return OrbitPose{osg::Vec3d(p.x, p.y, p.z), p.headingDeg, p.pitchDeg, p.rangeM};
}

}  // namespace gt::viewer
