#include "greentwin/viewer/imgui_overlay.hpp"

#include <imgui.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui_internal.h>
#include <osg/GLExtensions>
#include <osg/State>
#include <osg/Timer>
#include <osg/Viewport>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <cstring>
#include <fstream>

namespace gt::viewer {
namespace {

// osgGA key codes mapped to small indices for ImGui 1.86's io.KeysDown[] table.
struct KeyMapping {
  int osgKey;
  ImGuiKey_ imguiKey;
};
constexpr KeyMapping kKeys[] = {
    {osgGA::GUIEventAdapter::KEY_Tab, ImGuiKey_Tab},
    {osgGA::GUIEventAdapter::KEY_Left, ImGuiKey_LeftArrow},
    {osgGA::GUIEventAdapter::KEY_Right, ImGuiKey_RightArrow},
    {osgGA::GUIEventAdapter::KEY_Up, ImGuiKey_UpArrow},
    {osgGA::GUIEventAdapter::KEY_Down, ImGuiKey_DownArrow},
    {osgGA::GUIEventAdapter::KEY_Page_Up, ImGuiKey_PageUp},
    {osgGA::GUIEventAdapter::KEY_Page_Down, ImGuiKey_PageDown},
    {osgGA::GUIEventAdapter::KEY_Home, ImGuiKey_Home},
    {osgGA::GUIEventAdapter::KEY_End, ImGuiKey_End},
    {osgGA::GUIEventAdapter::KEY_Insert, ImGuiKey_Insert},
    {osgGA::GUIEventAdapter::KEY_Delete, ImGuiKey_Delete},
    {osgGA::GUIEventAdapter::KEY_BackSpace, ImGuiKey_Backspace},
    {osgGA::GUIEventAdapter::KEY_Space, ImGuiKey_Space},
    {osgGA::GUIEventAdapter::KEY_Return, ImGuiKey_Enter},
    {osgGA::GUIEventAdapter::KEY_Escape, ImGuiKey_Escape},
    {osgGA::GUIEventAdapter::KEY_KP_Enter, ImGuiKey_KeyPadEnter},
    {'a', ImGuiKey_A},
    {'c', ImGuiKey_C},
    {'v', ImGuiKey_V},
    {'x', ImGuiKey_X},
    {'y', ImGuiKey_Y},
    {'z', ImGuiKey_Z},
};
constexpr int kKeyIndexBase = 1;  // io.KeysDown index = kKeyIndexBase + position in kKeys

int keyIndex(int osgKey) {
  for (std::size_t i = 0; i < std::size(kKeys); ++i) {
    if (kKeys[i].osgKey == osgKey) return kKeyIndexBase + static_cast<int>(i);
  }
  return -1;
}

int mouseButtonIndex(int osgButtonMask) {
  switch (osgButtonMask) {
    case osgGA::GUIEventAdapter::LEFT_MOUSE_BUTTON: return 0;
    case osgGA::GUIEventAdapter::RIGHT_MOUSE_BUTTON: return 1;
    case osgGA::GUIEventAdapter::MIDDLE_MOUSE_BUTTON: return 2;
    default: return -1;
  }
}

}  // namespace

FontSpec defaultFontSpec(const std::string& assetsDir) {
  FontSpec spec;
  if (const char* env = std::getenv("GREENTWIN_FONT"); env != nullptr && *env != '\0') spec.candidates.emplace_back(env);
  std::ifstream list(assetsDir + "/fonts/fonts.txt");
  for (std::string line; std::getline(list, line);) {
    if (line.empty() || line[0] == '#') continue;
    spec.candidates.push_back(line);
  }
  return spec;
}

ImGuiOverlay::ImGuiOverlay(FontSpec fonts, DrawUiFn drawUi)
    : fontSpec_(std::move(fonts)), drawUi_(std::move(drawUi)) {
  IMGUI_CHECKVERSION();
  ImGuiContext* previous = ImGui::GetCurrentContext();
  context_ = ImGui::CreateContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // window layout comes from code, not from a file next to the binary
  io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
  for (std::size_t i = 0; i < std::size(kKeys); ++i) io.KeyMap[kKeys[i].imguiKey] = kKeyIndexBase + static_cast<int>(i);
  io.DisplaySize = ImVec2(1, 1);
  ImGui::StyleColorsDark();
  ImGuiStyle& style = ImGui::GetStyle();
  style.WindowRounding = 4.0f;
  style.FrameRounding = 3.0f;
  style.Colors[ImGuiCol_WindowBg].w = 0.88f;
  buildFonts();  // CPU-side atlas now, so glyph coverage is known before any GL context exists
  if (previous != nullptr) ImGui::SetCurrentContext(previous);
}

ImGuiOverlay::~ImGuiOverlay() {
  // The GL objects die with the context; only the ImGui state is ours to free here. The OpenGL3 backend's own state
  // is one struct ImGui_ImplOpenGL3_Init allocated (IM_NEW: constructed in ImGui::MemAlloc'ed memory, trivially
  // destructible in 1.86); ImGui_ImplOpenGL3_Shutdown would free it but also delete GL objects, which needs this
  // context current, and it is not here. So it is freed as Shutdown frees it, without the GL calls (it leaked).
  if (context_ == nullptr) return;
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(context_);
  ImGuiIO& io = ImGui::GetIO();
  if (glInitialised_ && io.BackendRendererUserData != nullptr) {
    ImGui::MemFree(io.BackendRendererUserData);
    io.BackendRendererUserData = nullptr;
    io.BackendRendererName = nullptr;
  }
  ImGui::DestroyContext(context_);
  ImGui::SetCurrentContext(previous == context_ ? nullptr : previous);
}

void ImGuiOverlay::requireGlyphs(const std::string& utf8) {
  const std::size_t before = glyphs_.size();
  glyphs_.add(utf8);
  if (glyphs_.size() != before) fontsDirty_ = true;
}

void ImGuiOverlay::requireSizedFonts(std::vector<SizedFont> fonts) {
  if (fonts == sizedFonts_) return;
  sizedFonts_ = std::move(fonts);
  fontsDirty_ = true;
}

bool ImGuiOverlay::hasGlyph(char32_t c) const {
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(context_);
  if (fontsDirty_) buildFonts();
  ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
  const bool found = font != nullptr && c <= 0xFFFF && font->FindGlyphNoFallback(static_cast<ImWchar>(c)) != nullptr;
  ImGui::SetCurrentContext(previous);
  return found;
}

// Builds the atlas from exactly the glyphs in use. Runs with context_ current.
void ImGuiOverlay::buildFonts() const {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  rangeStorage_ = glyphs_.imguiRanges();
  static_assert(sizeof(ImWchar) == sizeof(std::uint16_t), "ImGui built with 16-bit ImWchar expected");
  const auto* ranges = reinterpret_cast<const ImWchar*>(rangeStorage_.data());
  ImFont* font = nullptr;
  fontPath_.clear();
  for (const std::string& path : fontSpec_.candidates) {
    std::ifstream probe(path, std::ios::binary);
    if (!probe) continue;
    ImFontConfig config;
    config.OversampleH = 1;  // CJK atlases get large; 1x keeps the texture small and text sharp at 1:1
    config.OversampleV = 1;
    font = io.Fonts->AddFontFromFileTTF(path.c_str(), fontSpec_.sizePixels, &config, ranges);
    if (font != nullptr) {
      fontPath_ = path;
      break;
    }
  }
  sizedRangeStorage_.clear();
  sizedRangeStorage_.reserve(sizedFonts_.size());  // the atlas keeps pointers into these until it is built
  for (const SizedFont& sized : font != nullptr ? sizedFonts_ : std::vector<SizedFont>{}) {
    ImFontGlyphRangesBuilder builder;
    builder.AddChar(' ');
    builder.AddChar('?');  // ImGui's fallback for a character the font lacks
    builder.AddText(sized.glyphs.c_str());
    ImVector<ImWchar> built;
    builder.BuildRanges(&built);
    sizedRangeStorage_.emplace_back(built.begin(), built.end());
    ImFontConfig config;  // drawn at 1:1 at whole pixels, like the interface's font: no oversampling needed
    config.OversampleH = 1;
    config.OversampleV = 1;
    io.Fonts->AddFontFromFileTTF(fontPath_.c_str(), sized.sizePixels, &config,
                                 reinterpret_cast<const ImWchar*>(sizedRangeStorage_.back().data()));
  }
  if (font == nullptr) {
    io.Fonts->AddFontDefault();
    fontStatus_ = gt::Status(gt::ErrorCode::NotFound,
                             "no CJK font found (install fonts-wqy-microhei or set GREENTWIN_FONT); Chinese text "
                             "cannot be drawn");
    spdlog::error("{}", fontStatus_.message());
  } else {
    fontStatus_ = gt::Status::ok();
  }
  io.Fonts->Build();
  fontsDirty_ = false;
}

void ImGuiOverlay::initialiseOnRenderThread() const {
  ImGui_ImplOpenGL3_Init("#version 130");
  glInitialised_ = true;
}

// Render thread: after the scene of the camera this is attached to has been drawn.
void ImGuiOverlay::operator()(osg::RenderInfo& renderInfo) const {
  ImGui::SetCurrentContext(context_);
  if (!glInitialised_) initialiseOnRenderThread();
  if (fontsDirty_) {
    buildFonts();
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
  }
  ImGuiIO& io = ImGui::GetIO();
  const osg::Viewport* viewport = renderInfo.getCurrentCamera()->getViewport();
  if (canvas_) {
    io.DisplaySize = ImVec2(static_cast<float>(canvas_->canvasWidth), static_cast<float>(canvas_->canvasHeight));
  } else if (viewport != nullptr) {
    io.DisplaySize = ImVec2(static_cast<float>(viewport->width()), static_cast<float>(viewport->height()));
  }
  const double now = osg::Timer::instance()->time_s();
  if (fixedDeltaTime_ > 0.0) {
    io.DeltaTime = static_cast<float>(fixedDeltaTime_);
  } else {
    io.DeltaTime = lastTime_ < 0.0 ? 1.0f / 60.0f : static_cast<float>(std::max(1e-4, now - lastTime_));
  }
  lastTime_ = now;

  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  // ImGui has now seen this frame's presses: releases held back land in the next frame.
  for (int b = 0; b < 3; ++b) {
    pressedThisFrame_[b] = false;
    if (releaseDeferred_[b]) {
      io.MouseDown[b] = false;
      releaseDeferred_[b] = false;
    }
  }
  if (drawUi_) drawUi_();
  ImGui::Render();
  windowRects_.clear();
  for (const ImGuiWindow* window : ImGui::GetCurrentContext()->Windows) {
    if (!window->Active || window->Hidden) continue;
    windowRects_.push_back({window->Pos.x, window->Pos.y, window->Pos.x + window->Size.x, window->Pos.y + window->Size.y});
  }
  ImDrawData* drawData = ImGui::GetDrawData();
  if (canvas_) {
    // The backend draws the rectangle DisplayPos..DisplayPos + DisplaySize of the canvas into the framebuffer (its
    // scissor rectangles are placed so).
    drawData->DisplayPos = ImVec2(static_cast<float>(canvas_->x), static_cast<float>(canvas_->y));
    drawData->DisplaySize = ImVec2(static_cast<float>(canvas_->width), static_cast<float>(canvas_->height));
    if (canvas_->shiftedViewport && drawData->CmdListsCount > 0) shiftOntoCanvas(*drawData, renderInfo);
  }
  ImGui_ImplOpenGL3_RenderDrawData(drawData);
}

// Puts drawShifted first in the frame's first draw list: the backend runs it after setting its render state and
// before the first draw, and nothing resets that state during the frame's draw.
void ImGuiOverlay::shiftOntoCanvas(ImDrawData& drawData, osg::RenderInfo& renderInfo) const {
  ShiftedDraw& d = shiftedDraw_;
  d.gl = renderInfo.getState()->get<osg::GLExtensions>();
  d.viewport = *canvas_->shiftedViewport;
  // The backend's matrix for DisplayPos (0, 0) and DisplaySize = the canvas, computed as it does (floats).
  const float l = 0.0f;
  const float r = static_cast<float>(canvas_->canvasWidth);
  const float t = 0.0f;
  const float b = static_cast<float>(canvas_->canvasHeight);
  const float projection[4][4] = {{2.0f / (r - l), 0.0f, 0.0f, 0.0f},
                                  {0.0f, 2.0f / (t - b), 0.0f, 0.0f},
                                  {0.0f, 0.0f, -1.0f, 0.0f},
                                  {(r + l) / (l - r), (t + b) / (b - t), 0.0f, 1.0f}};
  std::memcpy(d.projection, projection, sizeof projection);
  ImDrawCmd cmd;
  cmd.UserCallback = &ImGuiOverlay::drawShifted;
  cmd.UserCallbackData = &d;
  ImVector<ImDrawCmd>& commands = drawData.CmdLists[0]->CmdBuffer;
  commands.insert(commands.begin(), cmd);
}

// The render thread, inside ImGui_ImplOpenGL3_RenderDrawData: the canvas's viewport shifted onto the framebuffer,
// and the canvas's projection in the backend's shader (its uniform "ProjMtx"), so every vertex reaches the same
// clip coordinates as in the whole canvas's render. The backend restores the viewport when it is done.
void ImGuiOverlay::drawShifted(const ImDrawList* /*list*/, const ImDrawCmd* cmd) {
  const auto& d = *static_cast<const ShiftedDraw*>(cmd->UserCallbackData);
  glViewport(d.viewport[0], d.viewport[1], d.viewport[2], d.viewport[3]);
  GLint program = 0;
  glGetIntegerv(GL_CURRENT_PROGRAM, &program);
  const GLint location = d.gl->glGetUniformLocation(static_cast<GLuint>(program), "ProjMtx");
  if (location >= 0) d.gl->glUniformMatrix4fv(location, 1, GL_FALSE, &d.projection[0][0]);
}

bool ImGuiOverlay::overWindow(float x, float y) const {
  for (const auto& r : windowRects_) {
    if (x >= r[0] && x < r[2] && y >= r[1] && y < r[3]) return true;
  }
  return false;
}

bool ImGuiOverlay::EventHandler::handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& /*aa*/, osg::Object*,
                                        osg::NodeVisitor*) {
  ImGuiContext* previous = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(overlay_->context_);
  ImGuiIO& io = ImGui::GetIO();
  bool consumed = false;
  const auto mousePos = [&]() {
    float x = ea.getX() - ea.getXmin();
    float y = ea.getY() - ea.getYmin();
    const auto& canvas = overlay_->canvas_;
    const float windowHeight = canvas ? ea.getYmax() - ea.getYmin() : io.DisplaySize.y;
    if (ea.getMouseYOrientation() == osgGA::GUIEventAdapter::Y_INCREASING_UPWARDS) y = windowHeight - y;
    if (canvas) {  // a wall tile: onto the canvas
      x += static_cast<float>(canvas->x);
      y += static_cast<float>(canvas->y);
    }
    io.MousePos = ImVec2(x, y);
  };
  switch (ea.getEventType()) {
    case osgGA::GUIEventAdapter::MOVE:
    case osgGA::GUIEventAdapter::DRAG:
      mousePos();
      consumed = io.WantCaptureMouse;
      break;
    case osgGA::GUIEventAdapter::PUSH:
    case osgGA::GUIEventAdapter::RELEASE: {
      mousePos();
      const bool onInterface = overlay_->overWindow(io.MousePos.x, io.MousePos.y);
      const int button = mouseButtonIndex(ea.getButton());
      if (button >= 0) {
        if (ea.getEventType() == osgGA::GUIEventAdapter::PUSH) {
          io.MouseDown[button] = true;
          overlay_->pressedThisFrame_[button] = true;
        } else if (overlay_->pressedThisFrame_[button]) {
          overlay_->releaseDeferred_[button] = true;
        } else {
          io.MouseDown[button] = false;
        }
      }
      consumed = io.WantCaptureMouse || onInterface;
      break;
    }
    case osgGA::GUIEventAdapter::DOUBLECLICK:
      consumed = io.WantCaptureMouse;
      break;
    case osgGA::GUIEventAdapter::SCROLL:
      mousePos();
      if (ea.getScrollingMotion() == osgGA::GUIEventAdapter::SCROLL_UP) io.MouseWheel += 1.0f;
      if (ea.getScrollingMotion() == osgGA::GUIEventAdapter::SCROLL_DOWN) io.MouseWheel -= 1.0f;
      consumed = io.WantCaptureMouse || overlay_->overWindow(io.MousePos.x, io.MousePos.y);
      break;
    case osgGA::GUIEventAdapter::KEYDOWN:
    case osgGA::GUIEventAdapter::KEYUP: {
      const bool down = ea.getEventType() == osgGA::GUIEventAdapter::KEYDOWN;
      const int mod = ea.getModKeyMask();
      io.KeyCtrl = (mod & osgGA::GUIEventAdapter::MODKEY_CTRL) != 0;
      io.KeyShift = (mod & osgGA::GUIEventAdapter::MODKEY_SHIFT) != 0;
      io.KeyAlt = (mod & osgGA::GUIEventAdapter::MODKEY_ALT) != 0;
      const int key = ea.getKey();
      const int index = keyIndex(key >= 'A' && key <= 'Z' ? key - 'A' + 'a' : key);
      if (index >= 0) io.KeysDown[index] = down;
      if (down && key >= 0x20 && key < 0x7F) io.AddInputCharacter(static_cast<unsigned int>(key));
      consumed = io.WantCaptureKeyboard;
      break;
    }
    default:
      break;
  }
  ImGui::SetCurrentContext(previous);
  return consumed;
}

}  // namespace gt::viewer
