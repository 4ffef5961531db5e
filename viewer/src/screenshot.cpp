// A screenshot of the window at a chosen size (screenshot.hpp).

#include "screenshot.hpp"

#include <imgui.h>

#include <filesystem>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/viewer/camera.hpp"
#include "indicator_style.hpp"
#include "project_io.hpp"

namespace gt::viewer {

namespace {

constexpr IndicatorWords kTitle{"Screenshot", "截图"};
constexpr IndicatorWords kSize{"Size (pixels)", "尺寸（像素）"};
constexpr IndicatorWords kInterface{"With the interface", "包含界面"};
constexpr IndicatorWords kSave{"Save", "保存"};
constexpr IndicatorWords kSaved{"Saved", "已保存"};

}  // namespace

// The Screenshot window's fields (render thread).
struct ScreenshotState {
  bool open = false;
  int size[2] = {3840, 2160};  // width, height
  bool withInterface = true;
  char path[512] = "exports/screenshot.png";
  std::string message;
  bool error = false;
};

UiState interfaceCopy(const UiState& window, const std::string& layout) {
  UiState copy = window;
  copy.canvas.reset();
  copy.wallOverlay.reset();
  copy.indicatorWall.reset();  // its fonts belong to the window's drawing context: the render makes its own
  copy.screenshot.reset();
  copy.project = std::make_shared<ProjectSession>();
  copy.project->baselineTaken = true;  // nothing to compare: a render is never saved
  copy.project->bookmarks = window.project ? window.project->bookmarks : std::vector<BookmarkConfig>{};
  copy.project->pendingLayout = layout;
  copy.hovered.reset();
  return copy;
}

Status saveScreenshot(runtime::Twin& twin, const UiState& state, const CityManipulator& camera,
                      const ScreenshotRequest& request) {
  if (request.width < 16 || request.height < 16 || request.width > 16384 || request.height > 16384) {
    return Status(ErrorCode::OutOfRange, "a screenshot is 16..16384 pixels a side, not " +
                                             std::to_string(request.width) + "x" + std::to_string(request.height));
  }
  if (request.path.empty()) return Status(ErrorCode::InvalidArgument, "the screenshot needs a file name");
  RenderRequest render;
  render.width = request.width;
  render.height = request.height;
  render.view = camera.pose();
  render.language = state.language;
  render.selected = state.selected;
  render.waitForValues = false;  // the twin as the window shows it now
  render.drawUi = request.withInterface;
  if (request.withInterface) {
    const std::string layout = ImGui::GetCurrentContext() != nullptr ? ImGui::SaveIniSettingsToMemory() : "";
    render.interfaceState = std::make_shared<const UiState>(interfaceCopy(state, layout));
  }
  auto image = renderOffscreen(twin, render);
  if (!image) return image.status();
  std::error_code ec;
  if (const auto folder = std::filesystem::path(request.path).parent_path(); !folder.empty()) {
    std::filesystem::create_directories(folder, ec);
  }
  return writePng(**image, request.path);
}

void drawScreenshotWindow(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* camera) {
  if (!state.screenshot || !state.screenshot->open) return;
  ScreenshotState& s = *state.screenshot;
  const Language language = state.language;
  ImGui::SetNextWindowSize(ImVec2(420, 0), ImGuiCond_FirstUseEver);
  if (ImGui::Begin(inLanguage(kTitle, language), &s.open)) {
    ImGui::TextUnformatted(inLanguage(kSize, language));
    ImGui::SetNextItemWidth(200);
    ImGui::InputInt2("##size", s.size);
    ImGui::SameLine();
    if (ImGui::SmallButton("4K")) {
      s.size[0] = 3840;
      s.size[1] = 2160;
    }
    ImGui::SameLine();
    if (ImGui::SmallButton("A3")) {  // landscape at 300 dpi
      s.size[0] = 4961;
      s.size[1] = 3508;
    }
    ImGui::Checkbox(inLanguage(kInterface, language), &s.withInterface);
    ImGui::SetNextItemWidth(-FLT_MIN);
    ImGui::InputText("##path", s.path, sizeof s.path);
    if (ImGui::Button(inLanguage(kSave, language)) && camera != nullptr) {
      const ScreenshotRequest request{s.size[0], s.size[1], s.withInterface, s.path};
      commands.push([&twin, &state, camera, request] {
        const Status done = saveScreenshot(twin, state, *camera, request);
        state.screenshot->error = !done;
        state.screenshot->message =
            done ? std::string(inLanguage(kSaved, state.language)) + ": " + request.path : done.message();
      });
    }
    if (!s.message.empty()) {
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(s.error ? ImVec4(1.0f, 0.45f, 0.4f, 1.0f) : ImVec4(0.55f, 0.85f, 0.6f, 1.0f), "%s",
                         s.message.c_str());
      ImGui::PopTextWrapPos();
    }
  }
  ImGui::End();
}

std::vector<std::string> screenshotStrings() {
  std::vector<std::string> out;
  for (const IndicatorWords& w : {kTitle, kSize, kInterface, kSave, kSaved}) out.emplace_back(w.zh);
  return out;
}

void openScreenshotWindow(UiState& state) {
  if (!state.screenshot) state.screenshot = std::make_shared<ScreenshotState>();
  state.screenshot->open = true;
}

}  // namespace gt::viewer
