#pragma once
// A planner's project (issue 16 part 5; docs/workbench.md "Projects"): the workbench state kept over a config —
// layers added at run time, each layer's visibility, opacity, edited style, attribute filter and colour-by request,
// the draw order, the camera and the planner's own bookmarks, the clock, the open panels and their window layout,
// and the what-if scenario being edited. The config's own data is never changed: opening a project over its config
// gives the window as it was saved.
//
// File: TOML, `version = 1` (kProjectFileVersion), then
//   config = "path"                the config it was made over, relative to the project's folder ("" or absent: the
//                                  bundled demo)
//   language = "zh" | "en"
//   [camera.home]                  the view, and
//   [[camera.bookmarks]]           the planner's own bookmarks, as in a config's [camera]
//   [clock]                        mode = "live" | "paused", time (paused), rate
//   [panels]                       indicators, indicators_unfolded, feed_health, alerts, scenario (booleans),
//                                  indicator_area, window_layout (the interface's window positions, as text)
//   [[layers]]                     a layer added from the window, as a config's [[layers]] entry
//   [[layer_state]]                every layer in draw order (bottom first): id, visible, opacity, filter,
//     [layer_state.style]            the style edited in the window (the keys of [layers.style]),
//     [layer_state.colour_by]        the colour-by form's request: attribute, kind, method, classes, max_categories,
//                                    ramp, other_colour
//   [scenario]                     file (where it was last saved or opened), text (the scenario file's text,
//                                  core/scenario.hpp)
//   [scenario_b]                   the scenario it is compared with: source (a file, or "a kept copy"), text
// Every problem is reported at once with its line; unknown keys with the nearest known name. A newer version is
// refused (update GreenTwin); every older version is read (a key added by a later version takes its default).
//
// Threads: plain values and functions; any thread.

#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/attribute_classes.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/scenario.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt {

inline constexpr int kProjectFileVersion = 1;
// A project is a few kilobytes plus its scenario; anything far bigger is not one.
inline constexpr std::size_t kMaxProjectFileBytes = 64u << 20;

struct ProjectLayer {
  std::string id;
  bool visible = true;
  double opacity = 1.0;
  std::optional<LayerStyleConfig> style;           // edited in the window; absent: the config's
  std::string filter;                              // attribute filter text (core/attribute_filter.hpp); "": none
  std::optional<ClassificationRequest> colourBy;  // the colour-by form's last applied request
  int line = 0;                                    // in the file, for messages
};

struct ProjectClock {
  bool live = true;
  std::optional<TimePoint> time;  // paused: the time shown
  double rate = 1.0;
};

struct ProjectPanels {
  bool indicators = true;
  bool indicatorsUnfolded = false;
  bool feedHealth = false;
  bool alerts = false;
  bool scenario = false;
  std::string indicatorArea = "district";
  std::string windowLayout;  // the interface's window positions and sizes (Dear ImGui's settings text)
};

struct Project {
  int version = kProjectFileVersion;  // read: the version the file was written with
  std::string config;                 // relative to the project's folder, or absolute; "": the bundled demo
  std::string language;               // "zh", "en"; "": the config's
  std::optional<CameraPose> camera;
  std::vector<BookmarkConfig> bookmarks;
  ProjectClock clock;
  ProjectPanels panels;
  std::vector<LayerConfig> addedLayers;
  std::vector<ProjectLayer> layers;
  std::optional<Scenario> scenario;
  std::string scenarioFile;
  std::optional<Scenario> scenarioB;  // the second scenario the edited one is compared with ("scenario B")
  std::string scenarioBSource;        // where B came from: its file, or a note that it is a kept copy
};

// Parses a project file's text; `sourceName` names it in every message. `schema`: the layer types added layers may
// name (runtime::configSchema); their type is checked when the layer is added.
Result<Project> parseProject(const std::string& text, const std::string& sourceName,
                             const ConfigSchema& schema = ConfigSchema::commonOnly());
// Reads and parses a file (NotFound / IoError / InvalidArgument naming it when it cannot be read).
Result<Project> loadProject(const std::string& path, const ConfigSchema& schema = ConfigSchema::commonOnly());
// The file's text (parseProject reads it back to an equal project).
std::string projectText(const Project& project);
// Writes projectText to `path`, replaced atomically.
Status saveProject(const Project& project, const std::string& path);

}  // namespace gt
