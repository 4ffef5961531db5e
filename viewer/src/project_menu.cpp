// The Project menu and window (project_menu.hpp).

#include "project_menu.hpp"

#include <imgui.h>
#include <osgViewer/Viewer>

#include <cstdio>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/camera.hpp"
#include "indicator_style.hpp"
#include "project_io.hpp"
#include "screenshot.hpp"

namespace gt::viewer {
namespace {

using Words = IndicatorWords;  // indicator_style.hpp: {en, zh}
constexpr Words kProject{"Project", "项目"};
constexpr Words kSave{"Save", "保存"};
constexpr Words kSaveAs{"Save as...", "另存为..."};
constexpr Words kOpen{"Open...", "打开..."};
constexpr Words kFile{"File", "文件"};
constexpr Words kUnsaved{"unsaved changes", "有未保存的更改"};
constexpr Words kSaved{"Saved", "已保存"};
constexpr Words kOpened{"Opened", "已打开"};
constexpr Words kNotApplied{"Not applied:", "未能应用："};
constexpr Words kStillLoading{"Layers still loading: their styles and filters follow.", "图层仍在加载：其样式和筛选随后应用。"};
constexpr Words kQuitTitle{"Unsaved changes", "未保存的更改"};
constexpr Words kQuitText{"The project has changes that are not saved. Save them before closing?",
                          "项目有尚未保存的更改。关闭前是否保存？"};
constexpr Words kDiscard{"Close without saving", "不保存并关闭"};
constexpr Words kCancel{"Cancel", "取消"};
constexpr Words kMyBookmarks{"My bookmarks", "我的书签"};
constexpr Words kBookmarkView{"Bookmark this view", "收藏当前视图"};
constexpr Words kBookmarkName{"name", "名称"};
constexpr Words kScreenshot{"Screenshot...", "截图..."};
constexpr Words kAllWords[]{kProject, kSave,      kSaveAs,    kOpen,    kFile,    kUnsaved,       kSaved,
                            kOpened,  kNotApplied, kStillLoading, kQuitTitle, kQuitText, kDiscard, kCancel,
                            kMyBookmarks, kBookmarkView, kBookmarkName, kScreenshot};

const char* word(const Words& w, Language language) { return inLanguage(w, language); }
const ImVec4 kErrorColour(1.0f, 0.45f, 0.4f, 1.0f);
const ImVec4 kOkColour(0.55f, 0.85f, 0.6f, 1.0f);
const ImVec4 kWarnColour(1.0f, 0.8f, 0.4f, 1.0f);

bool showWindow(UiState& state) { return projectSession(state).windowOpen; }

void pushSave(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator,
              std::string path, bool thenQuit) {
  commands.push([&twin, &state, manipulator, path, thenQuit] {
    ProjectSession& session = projectSession(state);
    const Status s = saveProjectFile(twin, state, manipulator, path);
    session.error = !s;
    session.message = s ? std::string(word(kSaved, state.language)) + ": " + path : s.message();
    if (!s) session.windowOpen = true;  // the planner sees why
    if (s && thenQuit) session.quitConfirmed = true;
  });
}

}  // namespace

void drawProjectMenu(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator) {
  const Language language = state.language;
  if (!ImGui::BeginMenu(word(kProject, language))) return;
  ProjectSession& session = projectSession(state);
  if (hasUnsavedChanges(twin, state)) ImGui::TextColored(kWarnColour, "* %s", word(kUnsaved, language));
  if (!session.path.empty()) ImGui::TextDisabled("%s", session.path.c_str());
  if (ImGui::MenuItem(word(kSave, language), nullptr, false, true)) {
    if (session.path.empty()) {
      session.windowOpen = true;
    } else {
      pushSave(twin, state, commands, manipulator, session.path, false);
    }
  }
  if (ImGui::MenuItem(word(kSaveAs, language))) session.windowOpen = true;
  if (ImGui::MenuItem(word(kOpen, language))) session.windowOpen = true;
  ImGui::Separator();
  if (ImGui::MenuItem(word(kScreenshot, language))) openScreenshotWindow(state);
  ImGui::EndMenu();
}

void drawProjectWindow(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator) {
  const Language language = state.language;
  ProjectSession& session = projectSession(state);
  if (!session.pendingLayout.empty()) {  // an opened project's window positions and sizes
    ImGui::LoadIniSettingsFromMemory(session.pendingLayout.data(), session.pendingLayout.size());
    session.pendingLayout.clear();
  }
  if (showWindow(state)) {
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + 80), ImGuiCond_FirstUseEver, ImVec2(0.5f, 0));
    ImGui::SetNextWindowSize(ImVec2(520, 0), ImGuiCond_FirstUseEver);
    if (ImGui::Begin(word(kProject, language), &session.windowOpen)) {
      ImGui::SetNextItemWidth(-FLT_MIN);
      ImGui::InputText("##project-path", session.pathField, sizeof session.pathField);
      if (ImGui::Button(word(kSave, language))) pushSave(twin, state, commands, manipulator, session.pathField, false);
      ImGui::SameLine();
      if (ImGui::Button(word(kOpen, language))) {
        commands.push([&twin, &state, manipulator, path = std::string(session.pathField)] {
          ProjectSession& s = projectSession(state);
          const Status opened = openProjectFile(twin, state, manipulator, path);
          s.error = !opened;
          s.message = opened ? std::string(word(kOpened, state.language)) + ": " + path : opened.message();
        });
      }
      if (hasUnsavedChanges(twin, state)) {
        ImGui::SameLine();
        ImGui::TextColored(kWarnColour, "* %s", word(kUnsaved, language));
      }
      if (!session.message.empty()) {
        ImGui::PushTextWrapPos(0.0f);
        ImGui::TextColored(session.error ? kErrorColour : kOkColour, "%s", session.message.c_str());
        ImGui::PopTextWrapPos();
      }
      if (session.applying) ImGui::TextDisabled("%s", word(kStillLoading, language));
      if (!session.problems.empty()) {
        ImGui::TextColored(kWarnColour, "%s", word(kNotApplied, language));
        ImGui::PushTextWrapPos(0.0f);
        for (const std::string& p : session.problems) ImGui::BulletText("%s", p.c_str());
        ImGui::PopTextWrapPos();
      }
    }
    ImGui::End();
  }
  drawScreenshotWindow(twin, state, commands, manipulator);  // screenshot.cpp: while opened
  if (!session.quitRequested || session.quitConfirmed) return;
  if (!ImGui::IsPopupOpen(word(kQuitTitle, language))) ImGui::OpenPopup(word(kQuitTitle, language));
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x * 0.5f, vp->Pos.y + vp->Size.y * 0.4f), ImGuiCond_Always,
                          ImVec2(0.5f, 0.5f));
  if (ImGui::BeginPopupModal(word(kQuitTitle, language), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::TextUnformatted(word(kQuitText, language));
    ImGui::TextDisabled("%s", session.path.empty() ? session.pathField : session.path.c_str());
    if (ImGui::Button(word(kSave, language))) {
      pushSave(twin, state, commands, manipulator, session.path.empty() ? session.pathField : session.path, true);
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(word(kDiscard, language))) {
      session.quitConfirmed = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(word(kCancel, language))) {
      session.quitRequested = false;
      ImGui::CloseCurrentPopup();
    }
    ImGui::EndPopup();
  }
}

void drawProjectBookmarks(const runtime::Twin& twin, UiState& state, CommandQueue& commands,
                          CityManipulator* manipulator) {
  const Language language = state.language;
  ProjectSession& session = projectSession(state);
  ImGui::Separator();
  ImGui::TextDisabled("%s", word(kMyBookmarks, language));
  for (const BookmarkConfig& b : session.bookmarks) {
    const std::string& name = language == Language::Chinese && !b.nameZh.empty() ? b.nameZh : b.nameEn;
    if (ImGui::MenuItem(name.c_str()) && manipulator != nullptr) {
      if (auto center = twin.poseCenter(b.pose)) {
        const OrbitPose pose{osg::Vec3d(center->x, center->y, center->z), b.pose.headingDeg, b.pose.pitchDeg, b.pose.rangeM};
        commands.push([manipulator, pose] { manipulator->setPose(pose); });
      }
    }
  }
  ImGui::SetNextItemWidth(160);
  ImGui::InputTextWithHint("##bookmark-name", word(kBookmarkName, language), session.bookmarkName,
                           sizeof session.bookmarkName);
  ImGui::SameLine();
  if (ImGui::Button(word(kBookmarkView, language)) && manipulator != nullptr && session.bookmarkName[0] != '\0') {
    commands.push([&twin, &state, manipulator, name = std::string(session.bookmarkName)] {
      if (Status s = addProjectBookmark(twin, state, *manipulator, name); !s) {
        projectSession(state).message = s.message();
        projectSession(state).error = true;
      }
    });
    session.bookmarkName[0] = '\0';
  }
}

void interceptCloseRequests(osgViewer::Viewer& viewer, UiState& state) {
  osgViewer::ViewerBase::Windows windows;
  viewer.getWindows(windows);
  const bool keyboardTaken = ImGui::GetCurrentContext() != nullptr && ImGui::GetIO().WantCaptureKeyboard;
  for (osgViewer::GraphicsWindow* window : windows) {
    window->checkEvents();  // the window system's events into the queue now, to look at them before the viewer
    osgGA::EventQueue::Events events;
    window->getEventQueue()->takeEvents(events);
    osgGA::EventQueue::Events kept;
    for (const osg::ref_ptr<osgGA::Event>& event : events) {
      const osgGA::GUIEventAdapter* ea = event->asGUIEventAdapter();
      const bool close = ea != nullptr && (ea->getEventType() == osgGA::GUIEventAdapter::CLOSE_WINDOW ||
                                           ea->getEventType() == osgGA::GUIEventAdapter::QUIT_APPLICATION);
      const bool escape = ea != nullptr && ea->getEventType() == osgGA::GUIEventAdapter::KEYDOWN &&
                          ea->getKey() == osgGA::GUIEventAdapter::KEY_Escape && !keyboardTaken;
      if (close || escape) {
        projectSession(state).quitRequested = true;
      } else {
        kept.push_back(event);
      }
    }
    window->getEventQueue()->appendEvents(kept);
  }
}

bool quitDecided(const runtime::Twin& twin, UiState& state) {
  ProjectSession& session = projectSession(state);
  if (!session.quitRequested) return false;
  if (session.quitConfirmed) return true;
  return !hasUnsavedChanges(twin, state);
}

std::vector<std::string> projectMenuStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAllWords) out.emplace_back(w.zh);
  for (std::string& s : screenshotStrings()) out.push_back(std::move(s));
  return out;
}

}  // namespace gt::viewer
