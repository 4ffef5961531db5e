#pragma once
// City navigation: orbit (left drag), pan (middle drag, or shift + left drag), zoom (wheel, right drag), tilt
// (orbit up/down, kept between straight down and just above the horizon), a home view and named bookmarks.

#include <osg/Matrixd>
#include <osg/Quat>
#include <osg/Vec3d>
#include <osgGA/OrbitManipulator>

namespace gt::viewer {

// A view around a point on the ground: heading 0 = looking north, clockwise; pitch -90 = straight down.
struct OrbitPose {
  osg::Vec3d center;
  double headingDeg = 0.0;
  double pitchDeg = -45.0;
  double range = 1000.0;
};

// The camera rotation (OrbitManipulator convention: eye = center + (0,0,range) * rotation) for a pose.
osg::Quat orbitRotation(double headingDeg, double pitchDeg);
// The view matrix for a pose (world -> eye).
osg::Matrixd viewMatrixFor(const OrbitPose& pose);
// Eye position for a pose, in world coordinates.
osg::Vec3d eyeFor(const OrbitPose& pose);

class CityManipulator : public osgGA::OrbitManipulator {
 public:
  CityManipulator();

  void setPose(const OrbitPose& pose);
  OrbitPose pose() const;
  void setHomePose(const OrbitPose& pose);
  const OrbitPose& homePose() const { return home_; }

  const char* className() const override { return "CityManipulator"; }
  // Events the interface already used (dragging a slider, scrolling a panel) do not move the camera.
  bool handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& us) override;
  void home(double currentTime) override;
  void home(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& us) override;

 protected:
  bool performMovementLeftMouseButton(const double eventTimeDelta, const double dx, const double dy) override;
  bool handleMouseWheel(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& us) override;

 private:
  void clampPitch();
  OrbitPose home_;
};

}  // namespace gt::viewer
