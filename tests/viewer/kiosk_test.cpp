// Kiosk input lock (kiosk.hpp): the chord matches only with its exact modifiers; while locked every input event is
// swallowed, frames and resizes pass; the chord toggles the lock (and does nothing on a follower).
#include "kiosk.hpp"

#include <gtest/gtest.h>
#include <osgGA/EventQueue>

namespace gt::viewer {
namespace {

using E = osgGA::GUIEventAdapter;

TEST(Kiosk, ChordNeedsExactlyItsModifiers) {
  const KeyChord chord{true, true, false, 'u'};
  EXPECT_TRUE(matchesChord(chord, 'u', E::MODKEY_CTRL | E::MODKEY_ALT));
  EXPECT_TRUE(matchesChord(chord, 'U', E::MODKEY_LEFT_CTRL | E::MODKEY_RIGHT_ALT));
  EXPECT_FALSE(matchesChord(chord, 'u', E::MODKEY_CTRL));
  EXPECT_FALSE(matchesChord(chord, 'u', E::MODKEY_CTRL | E::MODKEY_ALT | E::MODKEY_SHIFT));
  EXPECT_FALSE(matchesChord(chord, 'k', E::MODKEY_CTRL | E::MODKEY_ALT));
  EXPECT_FALSE(matchesChord(chord, E::KEY_F1, E::MODKEY_CTRL | E::MODKEY_ALT));
}

osg::ref_ptr<E> event(E::EventType type, int key = 0, unsigned int mods = 0) {
  osg::ref_ptr<E> e = new E;
  e->setEventType(type);
  e->setKey(key);
  e->setModKeyMask(mods);
  return e;
}

class NoAction : public osgGA::GUIActionAdapter {
 public:
  void requestRedraw() override {}
  void requestContinuousUpdate(bool) override {}
  void requestWarpPointer(float, float) override {}
};

TEST(Kiosk, LockedInputIsSwallowedUntilTheChord) {
  NoAction aa;
  int toggles = 0;
  bool lastUnlocked = false;
  KioskInputLock lock(KeyChord{true, true, false, 'u'}, [&](bool unlocked) {
    ++toggles;
    lastUnlocked = unlocked;
  });
  for (E::EventType t : {E::PUSH, E::RELEASE, E::DRAG, E::MOVE, E::SCROLL, E::DOUBLECLICK, E::KEYUP}) {
    EXPECT_TRUE(lock.handle(*event(t), aa, nullptr, nullptr)) << t;
  }
  EXPECT_TRUE(lock.handle(*event(E::KEYDOWN, 'a'), aa, nullptr, nullptr));
  EXPECT_FALSE(lock.handle(*event(E::FRAME), aa, nullptr, nullptr));
  EXPECT_FALSE(lock.handle(*event(E::RESIZE), aa, nullptr, nullptr));
  EXPECT_EQ(toggles, 0);

  EXPECT_TRUE(lock.handle(*event(E::KEYDOWN, 'u', E::MODKEY_CTRL | E::MODKEY_ALT), aa, nullptr, nullptr));
  EXPECT_EQ(toggles, 1);
  EXPECT_TRUE(lastUnlocked);
  EXPECT_TRUE(lock.unlocked());
  EXPECT_FALSE(lock.handle(*event(E::PUSH), aa, nullptr, nullptr));  // unlocked: input goes on
  EXPECT_FALSE(lock.handle(*event(E::KEYDOWN, 'a'), aa, nullptr, nullptr));

  EXPECT_TRUE(lock.handle(*event(E::KEYDOWN, 'u', E::MODKEY_CTRL | E::MODKEY_ALT), aa, nullptr, nullptr));
  EXPECT_EQ(toggles, 2);
  EXPECT_FALSE(lastUnlocked);
  EXPECT_TRUE(lock.handle(*event(E::PUSH), aa, nullptr, nullptr));
}

TEST(Kiosk, AFollowerCannotBeUnlocked) {
  NoAction aa;
  int toggles = 0;
  KioskInputLock lock(KeyChord{true, true, false, 'u'}, [&](bool) { ++toggles; }, false);
  EXPECT_TRUE(lock.handle(*event(E::KEYDOWN, 'u', E::MODKEY_CTRL | E::MODKEY_ALT), aa, nullptr, nullptr));
  EXPECT_EQ(toggles, 0);
  EXPECT_FALSE(lock.unlocked());
  EXPECT_TRUE(lock.handle(*event(E::PUSH), aa, nullptr, nullptr));
}

}  // namespace
}  // namespace gt::viewer
