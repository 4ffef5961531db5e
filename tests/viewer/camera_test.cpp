#include "greentwin/viewer/camera.hpp"

#include <gtest/gtest.h>

namespace gt::viewer {
namespace {

TEST(Camera, StraightDownLooksAtTheCentreFromAbove) {
  OrbitPose pose{osg::Vec3d(100, 200, 0), 0.0, -90.0, 1000.0};
  const osg::Vec3d eye = eyeFor(pose);
  EXPECT_NEAR(eye.x(), 100, 1e-6);
  EXPECT_NEAR(eye.y(), 200, 1e-6);
  EXPECT_NEAR(eye.z(), 1000, 1e-6);
}

TEST(Camera, TiltedNorthViewSitsSouthOfTheCentre) {
  OrbitPose pose{osg::Vec3d(0, 0, 0), 0.0, -45.0, 1000.0};
  const osg::Vec3d eye = eyeFor(pose);
  EXPECT_NEAR(eye.x(), 0, 1e-6);
  EXPECT_NEAR(eye.y(), -1000 * std::sqrt(0.5), 1e-6);
  EXPECT_NEAR(eye.z(), 1000 * std::sqrt(0.5), 1e-6);
  // Heading 90 (looking east): the eye is west of the centre.
  pose.headingDeg = 90.0;
  EXPECT_LT(eyeFor(pose).x(), -700);
}

TEST(Camera, ViewMatrixMapsTheCentreOntoTheViewAxis) {
  OrbitPose pose{osg::Vec3d(5000, -3000, 10), 30.0, -60.0, 2500.0};
  const osg::Vec3d inEye = pose.center * viewMatrixFor(pose);
  EXPECT_NEAR(inEye.x(), 0, 1e-6);
  EXPECT_NEAR(inEye.y(), 0, 1e-6);
  EXPECT_NEAR(inEye.z(), -2500, 1e-6);
}

TEST(CityManipulator, PoseRoundTrips) {
  osg::ref_ptr<CityManipulator> m = new CityManipulator;
  OrbitPose pose{osg::Vec3d(1, 2, 3), 135.0, -35.0, 4200.0};
  m->setPose(pose);
  const OrbitPose back = m->pose();
  EXPECT_NEAR(back.center.x(), 1, 1e-9);
  EXPECT_NEAR(back.range, 4200.0, 1e-6);
  EXPECT_NEAR(back.headingDeg, 135.0, 1e-6);
  EXPECT_NEAR(back.pitchDeg, -35.0, 1e-6);
  // The manipulator's matrix agrees with viewMatrixFor.
  const osg::Matrixd a = m->getInverseMatrix();
  const osg::Matrixd b = viewMatrixFor(pose);
  for (int r = 0; r < 4; ++r)
    for (int c = 0; c < 4; ++c) EXPECT_NEAR(a(r, c), b(r, c), 1e-6);
}

TEST(CityManipulator, HomeReturnsToTheHomePose) {
  osg::ref_ptr<CityManipulator> m = new CityManipulator;
  m->setHomePose({osg::Vec3d(0, 0, 0), 0.0, -60.0, 50000.0});
  m->setPose({osg::Vec3d(900, 900, 0), 200.0, -20.0, 300.0});
  m->home(0.0);
  EXPECT_NEAR(m->pose().range, 50000.0, 1e-6);
  EXPECT_NEAR(m->pose().pitchDeg, -60.0, 1e-6);
  EXPECT_NEAR(m->getCenter().x(), 0.0, 1e-9);
}

}  // namespace
}  // namespace gt::viewer
