#pragma once
// Kiosk mode (docs/wall.md "Kiosk"): a display nobody operates at the screen. Input is locked — every mouse and key
// event is swallowed before the interface or the camera sees it — until the configured chord ([display]
// kiosk_unlock) is pressed, which toggles the lock; the cursor is hidden and the screen saver and display power
// management are switched off, so the wall never goes dark. Event traversal (render/update thread).

#include <osgGA/GUIEventHandler>
#include <osgViewer/GraphicsWindow>

#include <functional>

#include "greentwin/core/config.hpp"

namespace gt::viewer {

class KioskInputLock : public osgGA::GUIEventHandler {
 public:
  // `onToggle(unlocked)` runs when the chord flips the lock. `lockable` false: the chord does nothing (a wall
  // follower: it only ever shows its lead).
  KioskInputLock(KeyChord unlock, std::function<void(bool)> onToggle, bool lockable = true)
      : unlock_(unlock), onToggle_(std::move(onToggle)), lockable_(lockable) {}

  bool handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& aa, osg::Object*,
              osg::NodeVisitor*) override;
  bool unlocked() const { return unlocked_; }

 private:
  KeyChord unlock_;
  std::function<void(bool)> onToggle_;
  bool lockable_;
  bool unlocked_ = false;
};

// Whether a key press is the chord (the key compared case-insensitively; the modifiers exactly).
bool matchesChord(const KeyChord& chord, int key, unsigned int modKeyMask);

// Hides the cursor and keeps the display awake (X11: screen saver off, DPMS off). Logs what it could not do.
void keepDisplayAwake(osgViewer::GraphicsWindow& window);

}  // namespace gt::viewer
