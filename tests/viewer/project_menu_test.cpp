// Closing the window with a project open (project_menu.hpp): the window's close request and Escape become a quit
// request taken out of the events before the viewer would act on them (OSG closes the window on CLOSE_WINDOW); every
// other event stays, in order; quitting waits for an answer only when something is unsaved.
#include "project_menu.hpp"

#include <gtest/gtest.h>
#include <osgViewer/Viewer>

#include "project_io.hpp"

namespace gt::viewer {
namespace {

// A viewer drawing into an embedded window (no window system): its event queue is the one a real window fills.
class CloseRequests : public ::testing::Test {
 protected:
  void SetUp() override {
    window_ = viewer_.setUpViewerAsEmbeddedInWindow(0, 0, 640, 480);
    ASSERT_TRUE(window_.valid());
  }
  std::vector<osgGA::GUIEventAdapter::EventType> queued() {
    osgGA::EventQueue::Events events;
    window_->getEventQueue()->copyEvents(events);
    std::vector<osgGA::GUIEventAdapter::EventType> types;
    for (const auto& e : events) {
      if (const auto* ea = e->asGUIEventAdapter()) types.push_back(ea->getEventType());
    }
    return types;
  }
  osgViewer::Viewer viewer_;
  osg::ref_ptr<osgViewer::GraphicsWindowEmbedded> window_;
  UiState state_;
};

TEST_F(CloseRequests, TheCloseRequestIsTakenOutAndTheOtherEventsStayInOrder) {
  osgGA::EventQueue& queue = *window_->getEventQueue();
  queue.mouseMotion(10, 10);
  queue.closeWindow();
  queue.keyPress('a');
  interceptCloseRequests(viewer_, state_);
  EXPECT_TRUE(projectSession(state_).quitRequested);
  using E = osgGA::GUIEventAdapter;
  EXPECT_EQ(queued(), (std::vector<E::EventType>{E::MOVE, E::KEYDOWN}));
}

TEST_F(CloseRequests, EscapeAndQuitApplicationAskToo) {
  window_->getEventQueue()->keyPress(osgGA::GUIEventAdapter::KEY_Escape);
  interceptCloseRequests(viewer_, state_);
  EXPECT_TRUE(projectSession(state_).quitRequested);
  EXPECT_TRUE(queued().empty());
  projectSession(state_).quitRequested = false;
  window_->getEventQueue()->quitApplication();
  interceptCloseRequests(viewer_, state_);
  EXPECT_TRUE(projectSession(state_).quitRequested);
}

TEST_F(CloseRequests, NothingAskedLeavesTheEventsAlone) {
  window_->getEventQueue()->keyPress('q');
  window_->getEventQueue()->mouseScroll(osgGA::GUIEventAdapter::SCROLL_UP);
  interceptCloseRequests(viewer_, state_);
  EXPECT_FALSE(projectSession(state_).quitRequested);
  EXPECT_EQ(queued().size(), 2u);
}

}  // namespace
}  // namespace gt::viewer
