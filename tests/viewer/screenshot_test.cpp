// A screenshot of the window at a chosen size (screenshot.hpp): the size asked for, the interface as the window shows
// it or the map alone, and refusals.
#include "screenshot.hpp"

#include <gtest/gtest.h>
#include <osgDB/ReadFile>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/camera.hpp"
#include "test_folder.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

class ScreenshotTest : public testing::DemoTwinSuite {
 protected:
  void SetUp() override {
    ASSERT_TRUE(twin_->waitForValues(std::chrono::minutes(2)).isOk());
    camera_.setPose(OrbitPose{osg::Vec3d(0, 0, 0), 0, -50, 9000});
  }
  // Pixels of the top rows (the menu bar when the interface is drawn) that differ between two images.
  static int differingTopPixels(const osg::Image& a, const osg::Image& b) {
    int differing = 0;
    for (int y = a.t() - 20; y < a.t(); ++y) {  // rows are bottom-up
      for (int x = 0; x < a.s(); ++x) {
        const unsigned char* pa = a.data(x, y);
        const unsigned char* pb = b.data(x, y);
        if (std::abs(pa[0] - pb[0]) + std::abs(pa[1] - pb[1]) + std::abs(pa[2] - pb[2]) > 30) ++differing;
      }
    }
    return differing;
  }
  testing::TestFolder folder_{"gt_screenshot"};
  CityManipulator camera_;
};

TEST_F(ScreenshotTest, TheSizeAskedForWithOrWithoutTheInterface) {
  UiState state;
  state.language = Language::English;
  state.showAlerts = true;  // a panel the window has open
  const std::string withUi = folder_.file("shots/with.png");
  ASSERT_TRUE(saveScreenshot(*twin_, state, camera_, {1000, 500, true, withUi}).isOk());
  const std::string mapOnly = folder_.file("shots/map.png");
  ASSERT_TRUE(saveScreenshot(*twin_, state, camera_, {1000, 500, false, mapOnly}).isOk());
  osg::ref_ptr<osg::Image> a = osgDB::readImageFile(withUi);
  osg::ref_ptr<osg::Image> b = osgDB::readImageFile(mapOnly);
  ASSERT_TRUE(a.valid() && b.valid());
  EXPECT_EQ(a->s(), 1000);
  EXPECT_EQ(a->t(), 500);
  EXPECT_EQ(b->s(), 1000);
  // The menu bar is in one and not the other.
  EXPECT_GT(differingTopPixels(*a, *b), 2000);
}

TEST_F(ScreenshotTest, TheWindowsCopyKeepsItsPanelsAndLeavesItsOwnDrawingState) {
  UiState window;
  window.showAlerts = true;
  window.showScenario = true;
  window.selected = EntityIndex{5};
  const UiState copy = interfaceCopy(window, "[Window][Alerts]\nPos=100,100\n");
  EXPECT_TRUE(copy.showAlerts);
  EXPECT_TRUE(copy.showScenario);
  EXPECT_EQ(copy.selected, window.selected);
  EXPECT_EQ(copy.indicatorWall, nullptr);
  ASSERT_NE(copy.project, nullptr);
  EXPECT_NE(copy.project, window.project);
}

TEST_F(ScreenshotTest, ASizeOutOfRangeOrNoFileIsRefused) {
  UiState state;
  const Status tooBig = saveScreenshot(*twin_, state, camera_, {20000, 100, false, folder_.file("x.png")});
  ASSERT_FALSE(tooBig.isOk());
  EXPECT_NE(tooBig.message().find("16..16384 pixels"), std::string::npos);
  EXPECT_FALSE(saveScreenshot(*twin_, state, camera_, {100, 100, false, ""}).isOk());
  const Status unwritable = saveScreenshot(*twin_, state, camera_, {64, 64, false, "/proc/no/such/shot.png"});
  ASSERT_FALSE(unwritable.isOk());
  EXPECT_NE(unwritable.message().find("shot.png"), std::string::npos) << unwritable.message();
}

}  // namespace
}  // namespace gt::viewer
