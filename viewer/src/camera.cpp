#include "greentwin/viewer/camera.hpp"

#include <algorithm>
#include <cmath>

namespace gt::viewer {
namespace {

constexpr double kMinPitchDeg = -89.5;  // straight down (a hair off, so heading stays defined)
constexpr double kMaxPitchDeg = -5.0;   // never under the ground plane

double pitchOf(const osg::Quat& rotation) {
  // Camera looks along -Z in its own frame; in the world that is (0,0,-1) * rotation.
  const osg::Vec3d look = rotation * osg::Vec3d(0, 0, -1);
  return osg::RadiansToDegrees(std::asin(std::clamp(look.z(), -1.0, 1.0)));
}

double headingOf(const osg::Quat& rotation) {
  const osg::Vec3d up = rotation * osg::Vec3d(0, 1, 0);  // camera up projects onto the viewing direction
  const osg::Vec3d look = rotation * osg::Vec3d(0, 0, -1);
  const osg::Vec3d forward = std::abs(look.z()) > 0.999 ? up : look;
  double heading = osg::RadiansToDegrees(std::atan2(forward.x(), forward.y()));
  if (heading < 0) heading += 360.0;
  return heading;
}

}  // namespace

osg::Quat orbitRotation(double headingDeg, double pitchDeg) {
  // Start looking straight down with north up; tilt around the camera's x axis, then turn about world z.
  const double tilt = osg::DegreesToRadians(90.0 + std::clamp(pitchDeg, -90.0, 0.0));
  const double turn = osg::DegreesToRadians(-headingDeg);
  return osg::Quat(tilt, osg::Vec3d(1, 0, 0)) * osg::Quat(turn, osg::Vec3d(0, 0, 1));
}

osg::Vec3d eyeFor(const OrbitPose& pose) {
  return pose.center + orbitRotation(pose.headingDeg, pose.pitchDeg) * osg::Vec3d(0, 0, pose.range);
}

osg::Matrixd viewMatrixFor(const OrbitPose& pose) {
  const osg::Matrixd cameraToWorld = osg::Matrixd::translate(0, 0, pose.range) *
                                     osg::Matrixd::rotate(orbitRotation(pose.headingDeg, pose.pitchDeg)) *
                                     osg::Matrixd::translate(pose.center);
  return osg::Matrixd::inverse(cameraToWorld);
}

CityManipulator::CityManipulator() {
  setAllowThrow(false);  // a wall display must not keep spinning after a stray drag
  setVerticalAxisFixed(true);
  setMinimumDistance(20.0, false);
  setWheelZoomFactor(0.15);
}

bool CityManipulator::handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& us) {
  if (ea.getHandled() && ea.getEventType() != osgGA::GUIEventAdapter::FRAME) return false;
  return OrbitManipulator::handle(ea, us);
}

void CityManipulator::setPose(const OrbitPose& pose) {
  setCenter(pose.center);
  setDistance(std::max(pose.range, 1.0));
  setRotation(orbitRotation(pose.headingDeg, pose.pitchDeg));
}

OrbitPose CityManipulator::pose() const {
  OrbitPose p;
  p.center = getCenter();
  p.range = getDistance();
  p.pitchDeg = pitchOf(getRotation());
  p.headingDeg = headingOf(getRotation());
  return p;
}

void CityManipulator::setHomePose(const OrbitPose& pose) {
  home_ = pose;
  setHomePosition(eyeFor(pose), pose.center, orbitRotation(pose.headingDeg, pose.pitchDeg) * osg::Vec3d(0, 1, 0));
}

void CityManipulator::home(double /*currentTime*/) { setPose(home_); }

void CityManipulator::home(const osgGA::GUIEventAdapter& /*ea*/, osgGA::GUIActionAdapter& us) {
  setPose(home_);
  us.requestRedraw();
}

bool CityManipulator::performMovementLeftMouseButton(const double eventTimeDelta, const double dx, const double dy) {
  const bool moved = OrbitManipulator::performMovementLeftMouseButton(eventTimeDelta, dx, dy);
  clampPitch();
  return moved;
}

bool CityManipulator::handleMouseWheel(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& us) {
  // Zoom towards the centre; OrbitManipulator's default already does this with our zoom factor.
  return OrbitManipulator::handleMouseWheel(ea, us);
}

void CityManipulator::clampPitch() {
  const osg::Quat rotation = getRotation();
  const double pitch = pitchOf(rotation);
  if (pitch >= kMinPitchDeg && pitch <= kMaxPitchDeg) return;
  setRotation(orbitRotation(headingOf(rotation), std::clamp(pitch, kMinPitchDeg, kMaxPitchDeg)));
}

}  // namespace gt::viewer
