#pragma once
// Dear ImGui drawn over the OSG scene: a camera post-draw callback renders it with the OpenGL3 backend
// ("#version 130"; the OpenGL2 backend corrupts OSG's vertex-array state), and an osgGA event handler feeds
// it input. Use with a SingleThreaded viewer: the callback and the handler then share the render thread.

#include <osg/Camera>
#include <osgGA/GUIEventHandler>

#include <array>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/viewer/i18n.hpp"

struct ImGuiContext;
struct ImFont;
struct ImDrawData;
struct ImDrawList;
struct ImDrawCmd;
namespace osg {
class GLExtensions;
}

namespace gt::viewer {

struct FontSpec {
  std::vector<std::string> candidates;  // font files tried in order (the first that loads wins)
  float sizePixels = 17.0f;
};

// Font files to try for CJK text: $GREENTWIN_FONT, then the paths listed in assets/fonts/fonts.txt.
FontSpec defaultFontSpec(const std::string& assetsDir);

class ImGuiOverlay : public osg::Camera::DrawCallback {
 public:
  using DrawUiFn = std::function<void()>;

  ImGuiOverlay(FontSpec fonts, DrawUiFn drawUi);

  // Extra strings (layer and place names from data) whose glyphs must be in the atlas; a change rebuilds it
  // before the next frame.
  void requireGlyphs(const std::string& utf8);
  // Fonts rasterised at a size of their own, for large type (the wall view, indicator_wall.hpp): scaling the
  // interface's font up would blur it. Each holds only the glyphs of its `glyphs` text, a space and '?' (a 200-pixel figure
  // font holds digits, not every name of the data), so the atlas stays small. A list that differs from the current one rebuilds
  // the atlas before the next frame; the fonts follow the interface's font in io.Fonts, found by their size
  // (ImFont::FontSize). Update or render thread (the viewer is single-threaded).
  struct SizedFont {
    float sizePixels = 0;
    std::string glyphs;  // UTF-8 text whose characters the font must draw
    bool operator==(const SizedFont&) const = default;
  };
  void requireSizedFonts(std::vector<SizedFont> fonts);
  // On a wall tile the interface is laid out on the whole canvas (canvasWidth x canvasHeight) and this overlay
  // draws the part under its tile, the width x height pixels whose top-left corner is canvas pixel (x, y): every
  // tile places a panel or label at the same canvas pixel. Input positions are moved onto the canvas likewise.
  // Empty: the camera's viewport. With `shiftedViewport` (GL's x, y up, width, height: the canvas's viewport shifted
  // onto the framebuffer, as the wall's 3D scene is drawn, wall_view.hpp) the interface is drawn through it with the
  // canvas's own projection, so that its glyphs and panels rasterise exactly as in the whole canvas's render.
  struct CanvasWindow {
    int canvasWidth = 0;
    int canvasHeight = 0;
    int x = 0;
    int y = 0;
    int width = 0;
    int height = 0;
    std::optional<std::array<int, 4>> shiftedViewport;
  };
  void setCanvasWindow(std::optional<CanvasWindow> window) { canvas_ = window; }
  // Fixed time step for deterministic headless frames; 0 = measure real time (the default).
  void setFixedDeltaTime(double seconds) { fixedDeltaTime_ = seconds; }
  // The font actually loaded, or an error (then ImGui's built-in Latin font is used and Chinese cannot render).
  const gt::Status& fontStatus() const { return fontStatus_; }
  const std::string& fontPath() const { return fontPath_; }
  bool hasGlyph(char32_t c) const;
  const GlyphSet& glyphs() const { return glyphs_; }

  ImGuiContext* context() const { return context_; }

  // osg::Camera::DrawCallback — runs on the render thread after the scene is drawn.
  void operator()(osg::RenderInfo& renderInfo) const override;

  // Feeds input; returns true when ImGui uses the event (so camera manipulators ignore it).
  class EventHandler : public osgGA::GUIEventHandler {
   public:
    explicit EventHandler(ImGuiOverlay* overlay) : overlay_(overlay) {}
    bool handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& aa, osg::Object*,
                osg::NodeVisitor*) override;

   private:
    ImGuiOverlay* overlay_;
  };

 protected:
  ~ImGuiOverlay() override;

 private:
  void initialiseOnRenderThread() const;
  void buildFonts() const;

  FontSpec fontSpec_;
  DrawUiFn drawUi_;
  ImGuiContext* context_ = nullptr;
  GlyphSet glyphs_;
  double fixedDeltaTime_ = 0.0;
  std::optional<CanvasWindow> canvas_;
  // What the draw callback that shifts the interface's viewport needs (the render thread, during the draw).
  struct ShiftedDraw {
    const osg::GLExtensions* gl = nullptr;
    std::array<int, 4> viewport{};
    float projection[4][4] = {};
  };
  mutable ShiftedDraw shiftedDraw_;
  void shiftOntoCanvas(ImDrawData& drawData, osg::RenderInfo& renderInfo) const;
  static void drawShifted(const ImDrawList* list, const ImDrawCmd* cmd);
  mutable bool glInitialised_ = false;
  mutable bool fontsDirty_ = true;
  mutable std::vector<std::uint16_t> rangeStorage_;  // must outlive the atlas build
  std::vector<SizedFont> sizedFonts_;
  mutable std::vector<std::vector<std::uint16_t>> sizedRangeStorage_;  // likewise, one per sized font
  mutable gt::Status fontStatus_;
  mutable std::string fontPath_;
  mutable double lastTime_ = -1.0;
  // ImGui 1.86 has no input queue: a press and release in the same frame (a quick click on a slow frame) would
  // never be seen as a click, so such a release is held back until ImGui has seen the press.
  mutable bool pressedThisFrame_[3] = {false, false, false};
  // Screen rectangles (x0, y0, x1, y1; y down) of the windows drawn last frame: a click inside one belongs to the
  // interface even when ImGui's own WantCaptureMouse (computed at the previous NewFrame) does not know it yet.
  mutable std::vector<std::array<float, 4>> windowRects_;
  bool overWindow(float x, float y) const;
  mutable bool releaseDeferred_[3] = {false, false, false};
};

}  // namespace gt::viewer
