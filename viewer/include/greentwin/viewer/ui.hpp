#pragma once
// The ImGui panels: layers, inspector, time bar, status bar, camera bookmarks, map labels. They read the twin's
// state and push edits as commands, applied on the update thread at the start of the next frame.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <osg/Camera>

#include "greentwin/core/entity.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/runtime/indicator_area.hpp"
#include "greentwin/viewer/i18n.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

class CityManipulator;
struct IndicatorAreaRows;  // indicator_area_tool.hpp (viewer-private)
struct IndicatorWallState;  // indicator_wall.hpp (viewer-private)
struct WallOverlayModel;    // wall_overlay.hpp (viewer-private)
struct LayerWorkbenchState; // layer_workbench.hpp (viewer-private)
struct SearchState;         // search_box.hpp (viewer-private)
struct SelectionState;      // selection_panel.hpp (viewer-private)
struct ScenarioPanelState;  // scenario_panel.hpp (viewer-private)
struct ProjectSession;      // project_io.hpp (viewer-private)
struct SeriesExportState;   // series_export.hpp (viewer-private)
struct ScreenshotState;     // screenshot.hpp (viewer-private)
struct TimeCompareState;    // time_compare_panel.hpp (viewer-private)

// Edits from the UI (render thread, inside the ImGui callback) waiting for the update phase.
class CommandQueue {
 public:
  void push(std::function<void()> command) { pending_.push_back(std::move(command)); }
  void applyAll();

 private:
  std::vector<std::function<void()>> pending_;
};

// On a wall tile (wall_view.hpp) the interface is laid out on the whole canvas, not the tile: map labels and drawn
// outlines are projected through the canvas's projection onto its pixels (y down), as on every other tile.
struct CanvasView {
  osg::Matrixd projection;
  int width = 0;
  int height = 0;
};

// The Measure menu's modes (measure_tool.hpp, docs/workbench.md "Measuring").
enum class MeasureMode { Off, Distance, Area, Height };
// A height measured under the cursor: the point hit (a roof, the terrain) and the ground it stands on.
struct MeasuredHeight {
  Vec3d top;
  double baseZ = 0;
  std::optional<EntityIndex> entity;  // what was hit, if it is an entity
  bool onBase = false;                // baseZ is the base its box stands on (a building), not the terrain under it
};

struct UiState {
  Language language = Language::Chinese;
  std::optional<CanvasView> canvas;  // set on a wall tile; empty: the interface covers the camera's viewport
  bool showUi = true;
  std::optional<EntityIndex> selected;
  std::optional<EntityIndex> hovered;
  double frameTimeMs = 0.0;  // measured by the application each frame
  // The BIM panel's "Place model" mode: while set, a click on the ground moves this bim layer's model there
  // (bim_panel.hpp placeBimModelAt) instead of selecting.
  std::string placingBimLayer;
  bool showFeedHealth = false;  // the feed-health panel (feed_health_panel.hpp); closed by default
  bool showAlerts = false;         // the alerts panel (alerts_panel.hpp); closed by default
  bool showClearedAlerts = false;  // ...with the recently cleared alerts under the active ones
  bool showIndicators = true;       // the indicators dashboard (indicator_panel.hpp); shown by default...
  bool indicatorsUnfolded = false;  // ...folded to its title bar at first unless this is set
  // The area the dashboard shows (indicator_area_tool.hpp): "district", a polygon feature's entity id, or a drawn
  // area's id; while `drawingArea`, map clicks add `drawnPoints` instead of selecting.
  std::string indicatorAreaId = "district";
  bool drawingArea = false;
  std::vector<Vec3d> drawnPoints;
  std::vector<runtime::IndicatorArea> drawnAreas;
  std::string drawError;
  std::shared_ptr<IndicatorAreaRows> indicatorAreaRows;  // the rows shown, made by the dashboard when first drawn
  // Measuring (measure_tool.hpp): while `measureMode` is not Off, map clicks add `measurePoints` (distance, area) or
  // measure the height of what is under the cursor, instead of selecting.
  MeasureMode measureMode = MeasureMode::Off;
  std::vector<Vec3d> measurePoints;
  std::optional<MeasuredHeight> measuredHeight;
  // The indicators' wall view (indicator_wall.hpp): the whole window in large type, instead of the map and panels.
  bool showIndicatorWall = false;
  std::shared_ptr<IndicatorWallState> indicatorWall;  // its fonts, made by the wall when first drawn
  // A wall node or a kiosk display (wall_overlay.hpp): the map labels, the alert banner and the status strip instead
  // of the planner's panels. Set by the application each frame; empty: the planner's interface.
  std::shared_ptr<const WallOverlayModel> wallOverlay;
  // The layer panel's filter fields and colour-by forms per layer (layer_workbench.hpp), made when first drawn.
  std::shared_ptr<LayerWorkbenchState> layerWorkbench;
  std::string unfoldLayer;  // a layer whose details the panel opens once (headless renders)
  // The menu bar's search field, its results and the camera flight to a result (search_box.hpp).
  std::shared_ptr<SearchState> search;
  // Features selected inside a measured polygon, their summary and the export form (selection_panel.hpp).
  std::shared_ptr<SelectionState> selection;
  // The what-if scenario being edited, its comparison with the baseline, its file (scenario_panel.hpp).
  bool showScenario = false;
  std::shared_ptr<ScenarioPanelState> scenario;
  // The project file: its path, what was saved, the planner's bookmarks, quitting with unsaved changes
  // (project_io.hpp).
  std::shared_ptr<ProjectSession> project;
  // The inspector charts' CSV export forms (series_export.hpp).
  std::shared_ptr<SeriesExportState> seriesExports;
  // The Screenshot window's size, file and outcome (screenshot.hpp).
  std::shared_ptr<ScreenshotState> screenshot;
  // Comparing two times on a layer: the panel's fields, the change shown and the layer's own style
  // (time_compare_panel.hpp).
  std::shared_ptr<TimeCompareState> timeCompare;
};

class Ui {
 public:
  Ui(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator, osg::Camera* camera);

  // Draws every panel; called from ImGuiOverlay's draw callback (render thread) between NewFrame and Render.
  void draw();

  // Strings from data (layer, place and property names) not reported before, for the glyph set: called once
  // per frame, it returns what arrived with newly loaded layers.
  std::vector<std::string> newDataStrings();

 private:
  void drawMenuBar();
  void drawLayersPanel();
  void drawInspector();
  void drawLiveValues(EntityIndex entity);
  void drawSeriesChart(const std::string& attribute, EntityIndex entity, AttributeId id);
  void drawTimeBar();
  void drawStatusBar();
  void drawFeedStatus();
  void drawLabels();
  void drawLayerDetails(layers::Layer& layer);
  void drawStyleSwitch(const layers::Layer& layer);
  void drawAddLayerDialog();
  void drawLoadProgress(const layers::Layer& layer);
  const char* t(Text id) const { return tr(id, state_.language); }
  const std::string& pick(const std::string& en, const std::string& zh) const;

  runtime::Twin& twin_;
  UiState& state_;
  CommandQueue& commands_;
  CityManipulator* manipulator_;
  osg::Camera* camera_;

  // Add-layer dialog inputs (render thread only).
  struct AddLayerForm {
    char id[64] = "";
    char name[128] = "";
    char source[512] = "";
    char sourceLayer[128] = "";
    int type = 0;  // index into LayerRegistry::addableTypes() (add_layer_dialog.cpp)
    std::string error;
  } addForm_;
  bool reportedConfigStrings_ = false;
  std::set<const void*> reportedLayers_;
  std::size_t reportedEntities_ = 0;
  std::uint64_t reportedAlerts_ = 0;  // AlertLog::changes() when the alerts' strings were last reported
  std::uint64_t reportedIndicators_ = 0;  // IndicatorBoard::version() when the dashboard's strings were reported
  int chartHours_ = 6;       // inspector chart window: 1, 6 or 24 hours before the clock's time
  std::string styleError_;  // last restyle error, shown under the style editor
  std::string styleErrorLayer_;
};

}  // namespace gt::viewer
