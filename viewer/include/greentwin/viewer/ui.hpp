#pragma once
// The ImGui panels: layers, inspector, time bar, status bar, camera bookmarks, map labels. They read the twin's
// state and push edits as commands, applied on the update thread at the start of the next frame.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <osg/Camera>

#include "greentwin/core/entity.hpp"
#include "greentwin/viewer/i18n.hpp"

namespace gt::viewer {

class Twin;
class CityManipulator;

// Edits from the UI (render thread, inside the ImGui callback) waiting for the update phase.
class CommandQueue {
 public:
  void push(std::function<void()> command) { pending_.push_back(std::move(command)); }
  void applyAll();

 private:
  std::vector<std::function<void()>> pending_;
};

struct UiState {
  Language language = Language::Chinese;
  bool showUi = true;
  std::optional<EntityIndex> selected;
  std::optional<EntityIndex> hovered;
  double frameTimeMs = 0.0;  // measured by the application each frame
};

class Ui {
 public:
  Ui(Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator, osg::Camera* camera);

  // Draws every panel; called from ImGuiOverlay's draw callback (render thread) between NewFrame and Render.
  void draw();

  // All strings the UI will show from data (layer and place names), for the glyph set.
  std::vector<std::string> dataStrings() const;

 private:
  void drawMenuBar();
  void drawLayersPanel();
  void drawInspector();
  void drawTimeBar();
  void drawStatusBar();
  void drawPlaceLabels();
  const char* t(Text id) const { return tr(id, state_.language); }
  const std::string& pick(const std::string& en, const std::string& zh) const;

  Twin& twin_;
  UiState& state_;
  CommandQueue& commands_;
  CityManipulator* manipulator_;
  osg::Camera* camera_;
};

}  // namespace gt::viewer
