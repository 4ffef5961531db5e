#include "kiosk.hpp"

#include <X11/Xlib.h>
#include <X11/extensions/dpms.h>
#include <osgViewer/api/X11/GraphicsWindowX11>
#include <spdlog/spdlog.h>

#include <cctype>

// Xlib's macros collide with names used by other headers.
#undef None
#undef Status

namespace gt::viewer {

bool matchesChord(const KeyChord& chord, int key, unsigned int modKeyMask) {
  if (key <= 0 || key > 0x7f) return false;
  const auto has = [modKeyMask](unsigned int mask) { return (modKeyMask & mask) != 0; };
  return std::tolower(key) == chord.key && has(osgGA::GUIEventAdapter::MODKEY_CTRL) == chord.ctrl &&
         has(osgGA::GUIEventAdapter::MODKEY_ALT) == chord.alt &&
         has(osgGA::GUIEventAdapter::MODKEY_SHIFT) == chord.shift;
}

bool KioskInputLock::handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter&, osg::Object*,
                            osg::NodeVisitor*) {
  using E = osgGA::GUIEventAdapter;
  switch (ea.getEventType()) {
    case E::KEYDOWN:
      if (lockable_ && matchesChord(unlock_, ea.getKey(), ea.getModKeyMask())) {
        unlocked_ = !unlocked_;
        spdlog::info("kiosk: input {}", unlocked_ ? "unlocked" : "locked");
        if (onToggle_) onToggle_(unlocked_);
        return true;
      }
      return !unlocked_;
    case E::KEYUP:
    case E::PUSH:
    case E::RELEASE:
    case E::DOUBLECLICK:
    case E::DRAG:
    case E::MOVE:
    case E::SCROLL:
      return !unlocked_;  // handled: no handler after this one sees it
    default:
      return false;  // frames, resizes, close requests go on
  }
}

void keepDisplayAwake(osgViewer::GraphicsWindow& window) {
  window.useCursor(false);
  auto* x11 = dynamic_cast<osgViewer::GraphicsWindowX11*>(&window);
  if (x11 == nullptr || x11->getDisplay() == nullptr) {
    spdlog::warn("kiosk: not an X11 window; screen blanking left as the system has it");
    return;
  }
  Display* display = x11->getDisplay();
  XSetScreenSaver(display, 0, 0, DontPreferBlanking, DefaultExposures);
  XResetScreenSaver(display);
  int eventBase = 0;
  int errorBase = 0;
  if (DPMSQueryExtension(display, &eventBase, &errorBase) != 0) {
    DPMSDisable(display);
  } else {
    spdlog::info("kiosk: the X server has no DPMS; screen saver switched off");
  }
  XFlush(display);
}

}  // namespace gt::viewer
