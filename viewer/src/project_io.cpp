// The planner's project in the window (project_io.hpp; docs/workbench.md "Projects").

#include "project_io.hpp"

#include <imgui.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <thread>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/camera.hpp"
#include "layer_workbench.hpp"
#include "scenario_panel.hpp"
#include "scenario_panel_state.hpp"
#include "time_compare_panel.hpp"

namespace gt::viewer {
namespace fs = std::filesystem;

ProjectSession& projectSession(UiState& state) {
  if (!state.project) state.project = std::make_shared<ProjectSession>();
  return *state.project;
}

namespace {

// The config path as the project writes it: relative to the project's folder when it can be, "" for the bundled demo.
std::string configReference(const std::string& configPath, const std::string& projectFile) {
  if (configPath.empty()) return "";
  std::error_code ec;
  const fs::path config = fs::weakly_canonical(configPath, ec);
  if (config == fs::weakly_canonical(runtime::demoConfigPath(), ec)) return "";
  const fs::path folder = fs::weakly_canonical(fs::absolute(projectFile, ec).parent_path(), ec);
  const fs::path relative = config.lexically_relative(folder);
  return relative.empty() ? config.string() : relative.generic_string();
}

std::optional<CameraPose> cameraPose(const runtime::Twin& twin, const CityManipulator& manipulator) {
  const OrbitPose pose = manipulator.pose();
  auto lonLat = twin.geoFrame().localToLonLat(Vec3d{pose.center.x(), pose.center.y(), pose.center.z()});
  if (!lonLat) return std::nullopt;
  CameraPose c;
  c.centerLon = lonLat->x;
  c.centerLat = lonLat->y;
  c.centerHeight = pose.center.z();
  c.headingDeg = std::fmod(std::fmod(pose.headingDeg, 360.0) + 360.0, 360.0);  // the config reads -360..360
  c.pitchDeg = std::clamp(pose.pitchDeg, -90.0, 0.0);
  c.rangeM = std::max(pose.range, 1.0);
  return c;
}

// The text "unsaved changes" compares: the project without what merely looking around changes.
std::string comparedText(Project project) {
  project.camera.reset();
  project.clock = ProjectClock{};
  project.panels.windowLayout.clear();
  return projectText(project);
}

void applyClock(runtime::Twin& twin, const ProjectClock& clock) {
  Clock& c = twin.clock();
  if (clock.live || !clock.time) {
    c.goLive();
  } else {
    const TimeRange range = c.range();
    if (*clock.time < range.begin) {  // older than the range shown: the range starts there
      if (c.rangeFollowsNow()) {
        (void)c.setRangeFollowingNow(*clock.time);
      } else {
        (void)c.setRange(*clock.time, range.end);
      }
    }
    c.pause();
    c.seek(*clock.time);
  }
  if (std::isfinite(clock.rate) && clock.rate != 0) (void)c.setRate(clock.rate);
}

}  // namespace

Project captureProject(const runtime::Twin& twin, const UiState& state, const CityManipulator* manipulator,
                       const std::string& projectFile) {
  Project p;
  p.config = configReference(twin.config().path, projectFile);
  p.language = state.language == Language::Chinese ? "zh" : "en";
  if (manipulator != nullptr) p.camera = cameraPose(twin, *manipulator);
  if (state.project) p.bookmarks = state.project->bookmarks;
  const Clock& clock = twin.clock();
  p.clock.live = clock.isLive();
  if (!p.clock.live) p.clock.time = clock.now();
  p.clock.rate = clock.rate();
  p.panels.indicators = state.showIndicators;
  p.panels.indicatorsUnfolded = state.indicatorsUnfolded;
  p.panels.feedHealth = state.showFeedHealth;
  p.panels.alerts = state.showAlerts;
  p.panels.scenario = state.showScenario;
  p.panels.indicatorArea = state.indicatorAreaId;
  if (ImGui::GetCurrentContext() != nullptr) p.panels.windowLayout = ImGui::SaveIniSettingsToMemory();
  runtime::captureProjectLayers(twin, p);
  for (ProjectLayer& l : p.layers) {
    l.colourBy = appliedColourBy(state, l.id);
    // A change between two times is a view, not the layer's style: the style under it is kept.
    if (auto own = styleUnderTimeChange(state, l.id)) l.style = twin.styleEdited(l.id) ? own : std::nullopt;
  }
  if (const Scenario* s = editedScenarioIfAny(state); s != nullptr && (!s->edits.empty() || !s->description.empty())) {
    p.scenario = *s;
  }
  if (state.scenario && state.scenario->compared) {  // scenario B, compared with the edited one
    p.scenarioB = state.scenario->compared;
    p.scenarioBSource = state.scenario->comparedSource;
  }
  return p;
}

void applyProject(runtime::Twin& twin, UiState& state, CityManipulator* manipulator, const Project& project) {
  ProjectSession& session = projectSession(state);
  clearTimeChange(twin, state);  // the layer's own style first: the project's applies over it
  session.applying = std::make_unique<runtime::ProjectLayerApplier>(twin, project);
  session.problems = session.applying->problems();
  const std::string configNow = configReference(twin.config().path, session.path.empty() ? "." : session.path);
  if (project.config != configNow) {
    session.problems.push_back("the project was made over config '" +
                               (project.config.empty() ? std::string("(the bundled demo)") : project.config) +
                               "', this window shows '" + (configNow.empty() ? "(the bundled demo)" : configNow) +
                               "': layers are matched by id");
  }
  if (project.language == "zh") state.language = Language::Chinese;
  if (project.language == "en") state.language = Language::English;
  if (project.camera && manipulator != nullptr) {
    if (auto center = twin.poseCenter(*project.camera)) {
      manipulator->setPose(OrbitPose{osg::Vec3d(center->x, center->y, center->z), project.camera->headingDeg,
                                     project.camera->pitchDeg, project.camera->rangeM});
    }
  }
  session.bookmarks = project.bookmarks;
  applyClock(twin, project.clock);
  state.showIndicators = project.panels.indicators;
  state.indicatorsUnfolded = project.panels.indicatorsUnfolded;
  state.showFeedHealth = project.panels.feedHealth;
  state.showAlerts = project.panels.alerts;
  state.showScenario = project.panels.scenario;
  state.indicatorAreaId = project.panels.indicatorArea;
  state.indicatorAreaRows.reset();  // the dashboard computes the area's rows again
  session.pendingLayout = project.panels.windowLayout;
  for (const ProjectLayer& l : project.layers) {
    if (l.colourBy) restoreColourByForm(state, l.id, *l.colourBy);
  }
  if (project.scenario) {
    replaceEditedScenario(state, *project.scenario);
  } else if (state.scenario) {
    replaceEditedScenario(state, Scenario{"Scenario 1", "", {}});
  }
  if (project.scenarioB || state.scenario) {
    ScenarioPanelState& panel = scenarioPanelOf(state);
    panel.compared = project.scenarioB;
    panel.comparedSource = project.scenarioB ? project.scenarioBSource : "";
  }
}

Status saveProjectFile(const runtime::Twin& twin, UiState& state, const CityManipulator* manipulator,
                       const std::string& path) {
  ProjectSession& session = projectSession(state);
  if (path.empty()) return Status(ErrorCode::InvalidArgument, "the project needs a file name");
  std::error_code ec;
  const fs::path folder = fs::path(path).parent_path();
  if (!folder.empty()) fs::create_directories(folder, ec);
  const Project project = captureProject(twin, state, manipulator, path);
  if (Status s = saveProject(project, path); !s) return s;
  session.path = path;
  session.savedText = comparedText(project);
  session.baselineTaken = true;
  spdlog::info("project saved: {}", path);
  return Status::ok();
}

Status openProjectFile(runtime::Twin& twin, UiState& state, CityManipulator* manipulator, const std::string& path) {
  auto project = loadProject(path, runtime::configSchema(runtime::builtinTypes()));
  if (!project) return project.status();
  ProjectSession& session = projectSession(state);
  session.path = path;
  applyProject(twin, state, manipulator, *project);
  // What the window shows once the project has applied is the saved state (updateProject takes it then).
  session.baselineTaken = false;
  spdlog::info("project opened: {} ({} problems)", path, session.problems.size());
  for (const std::string& p : session.problems) spdlog::warn("project {}: {}", path, p);
  return Status::ok();
}

Status addProjectBookmark(const runtime::Twin& twin, UiState& state, const CityManipulator& manipulator,
                          const std::string& name) {
  if (name.empty()) return Status(ErrorCode::InvalidArgument, "a bookmark needs a name");
  auto pose = cameraPose(twin, manipulator);
  if (!pose) return Status(ErrorCode::InvalidArgument, "this view cannot be bookmarked: its centre has no longitude and latitude");
  ProjectSession& session = projectSession(state);
  std::string id;  // letters and digits of the name, else "bookmark"; then a number while it is taken
  for (const char c : name) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) id += c;
    else if (c >= 'A' && c <= 'Z') id += static_cast<char>(c - 'A' + 'a');
    else if (!id.empty() && id.back() != '-') id += '-';
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  if (id.empty()) id = "bookmark";
  const auto taken = [&](const std::string& candidate) {
    return std::any_of(session.bookmarks.begin(), session.bookmarks.end(),
                       [&](const BookmarkConfig& b) { return b.id == candidate; });
  };
  const std::string base = id;
  for (int n = 2; taken(id); ++n) id = base + "-" + std::to_string(n);
  BookmarkConfig b;
  b.id = id;
  b.nameEn = name;
  b.nameZh = name;
  b.pose = *pose;
  session.bookmarks.push_back(std::move(b));
  return Status::ok();
}

Status openProjectForRender(runtime::Twin& twin, UiState& state, CityManipulator* manipulator, const std::string& path,
                            std::chrono::milliseconds timeout) {
  if (Status s = openProjectFile(twin, state, manipulator, path); !s) return s;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (projectSession(state).applying) {
    if (std::chrono::steady_clock::now() > deadline) {
      return Status(ErrorCode::Cancelled, "project '" + path + "': its layers did not load in time");
    }
    twin.update();
    updateProject(twin, state);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return Status::ok();
}

void updateProject(runtime::Twin& twin, UiState& state) {
  if (!state.project && twin.loading()) return;
  ProjectSession& session = projectSession(state);
  if (session.applying) {
    const std::size_t before = session.applying->problems().size();
    const bool done = session.applying->update(twin);
    const auto& problems = session.applying->problems();
    for (std::size_t i = before; i < problems.size(); ++i) {
      session.problems.push_back(problems[i]);
      spdlog::warn("project: {}", problems[i]);
    }
    if (done) session.applying.reset();
  }
  // A new window, or a project just applied: nothing is unsaved yet.
  if (!session.baselineTaken && !session.applying && !twin.loading()) {
    session.savedText = comparedText(captureProject(twin, state, nullptr, session.path.empty() ? "." : session.path));
    session.baselineTaken = true;
  }
}

bool hasUnsavedChanges(const runtime::Twin& twin, const UiState& state) {
  if (!state.project || !state.project->baselineTaken) return false;
  if (state.project->applying) return false;  // an opened project still applying is what it says
  const std::string& path = state.project->path;
  return comparedText(captureProject(twin, state, nullptr, path.empty() ? "." : path)) != state.project->savedText;
}

}  // namespace gt::viewer
