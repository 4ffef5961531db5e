#include "greentwin/runtime/assets.hpp"
#include "greentwin/viewer/app.hpp"

#include <osg/Uniform>
#include <osgDB/WriteFile>
#include <osgViewer/Viewer>
#include <osgViewer/ViewerEventHandlers>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <thread>
#include <tuple>

#include "greentwin/viewer/camera.hpp"
#include "greentwin/viewer/egl_context.hpp"
#include "greentwin/viewer/imgui_overlay.hpp"
#include "greentwin/viewer/ui.hpp"
#include "indicator_area_tool.hpp"
#include "indicator_wall.hpp"
#include "kiosk.hpp"
#include "layer_workbench.hpp"
#include "measure_tool.hpp"
#include "project_io.hpp"
#include "project_menu.hpp"
#include "scenario_panel.hpp"
#include "selection_panel.hpp"
#include "stats_log.hpp"
#include "time_compare_panel.hpp"
#include "wall_control.hpp"
#include "wall_node.hpp"
#include "wall_overlay.hpp"
#include "wall_view.hpp"

namespace gt::viewer {
namespace {

const osg::Vec4 kClearColor(0.055f, 0.075f, 0.10f, 1.0f);
const osg::Vec4 kSelectionHighlight(1.0f, 0.82f, 0.25f, 0.65f);

OrbitPose toOrbitPose(const runtime::Twin& twin, const CameraPose& pose) {
  OrbitPose out;
  if (auto center = twin.poseCenter(pose); center) out.center.set(center->x, center->y, center->z);
  out.headingDeg = pose.headingDeg;
  out.pitchDeg = pose.pitchDeg;
  out.range = pose.rangeM;
  return out;
}

// Pushes the selection and hover state to every layer when it changes (update thread).
class SelectionHighlighter {
 public:
  void apply(runtime::Twin& twin, std::optional<EntityIndex> selected, std::optional<EntityIndex> hovered) {
    if (selected == selected_ && hovered == hovered_ && twin.layers().size() == layerCount_) return;
    selected_ = selected;
    hovered_ = hovered;
    layerCount_ = twin.layers().size();
    for (const auto& layer : twin.layers()) layer->setHighlight(selected, hovered);
  }

 private:
  std::optional<EntityIndex> selected_;
  std::optional<EntityIndex> hovered_;
  std::size_t layerCount_ = 0;
};

// The event's position in the window's pixels, y up, whatever input range and orientation the window system's
// event queue uses. The window's size, not the viewport's: a wall tile's viewport is the canvas (wall_view.hpp).
osg::Vec2 windowPixels(const osgGA::GUIEventAdapter& ea, osgViewer::View& view) {
  const osg::GraphicsContext* gc = view.getCamera()->getGraphicsContext();
  const osg::Viewport* vp = view.getCamera()->getViewport();
  const bool window = gc != nullptr && gc->getTraits() != nullptr;
  const double w = window ? gc->getTraits()->width : vp != nullptr ? vp->width() : 1.0;
  const double h = window ? gc->getTraits()->height : vp != nullptr ? vp->height() : 1.0;
  const double rangeX = ea.getXmax() - ea.getXmin();
  const double rangeY = ea.getYmax() - ea.getYmin();
  double x = rangeX != 0 ? (ea.getX() - ea.getXmin()) / rangeX * w : ea.getX();
  double y = rangeY != 0 ? (ea.getY() - ea.getYmin()) / rangeY * h : ea.getY();
  if (ea.getMouseYOrientation() == osgGA::GUIEventAdapter::Y_INCREASING_DOWNWARDS) y = h - y;
  return {static_cast<float>(x), static_cast<float>(y)};
}

// Click (press and release without a drag) on the map selects what is under the cursor; moving the mouse
// with no button down hovers it. Runs in the event traversal (render/update thread).
class PickHandler : public osgGA::GUIEventHandler {
 public:
  PickHandler(runtime::Twin& twin, UiState& state) : twin_(twin), state_(state) {}

  bool handle(const osgGA::GUIEventAdapter& ea, osgGA::GUIActionAdapter& aa, osg::Object*, osg::NodeVisitor*) override {
    auto* view = dynamic_cast<osgViewer::View*>(&aa);
    if (view == nullptr) return false;
    if (ea.getHandled()) {  // the interface took it (a click on a panel is not a click on the map)
      if (ea.getEventType() == osgGA::GUIEventAdapter::MOVE) state_.hovered.reset();
      return false;
    }
    switch (ea.getEventType()) {
      case osgGA::GUIEventAdapter::MOVE: {
        const osg::Vec2 p = windowPixels(ea, *view);
        state_.hovered = pickEntity(twin_, *view, p.x(), p.y());
        return false;
      }
      case osgGA::GUIEventAdapter::PUSH:
        if (ea.getButton() == osgGA::GUIEventAdapter::LEFT_MOUSE_BUTTON) {
          pressX_ = ea.getX();
          pressY_ = ea.getY();
        }
        return false;
      case osgGA::GUIEventAdapter::RELEASE:
        if (ea.getButton() != osgGA::GUIEventAdapter::LEFT_MOUSE_BUTTON) return false;
        if (std::abs(ea.getX() - pressX_) > 3 || std::abs(ea.getY() - pressY_) > 3) return false;  // a drag
        {
          const osg::Vec2 p = windowPixels(ea, *view);
          if (!state_.placingBimLayer.empty()) {  // the BIM panel's "Place model" mode: move the model there
            placeModel(*view, p);
            return true;
          }
          if (measureClick(twin_, state_, *view, p.x(), p.y())) return true;  // a Measure mode (measure_tool.hpp)
          if (state_.drawingArea) {  // the dashboard's "Draw area" mode: a corner of the area
            if (const auto ground = pickGroundPoint(twin_, *view, p.x(), p.y())) addIndicatorAreaPoint(state_, *ground);
            return true;
          }
          state_.selected = pickEntity(twin_, *view, p.x(), p.y());
        }
        return false;
      case osgGA::GUIEventAdapter::DOUBLECLICK:
        if (!state_.drawingArea || ea.getButton() != osgGA::GUIEventAdapter::LEFT_MOUSE_BUTTON) return false;
        finishIndicatorArea(state_);  // a double click closes the drawn area
        return true;
      default:
        return false;
    }
  }

 private:
  void placeModel(osgViewer::View& view, const osg::Vec2& p) {
    if (Status s = placeBimModelAtWindowPoint(twin_, view, state_.placingBimLayer, p.x(), p.y()); !s) {
      spdlog::error("{}", s.message());
    }
  }

  runtime::Twin& twin_;
  UiState& state_;
  float pressX_ = 0;
  float pressY_ = 0;
};

// Everything one view of the twin needs, shared by the window and the headless renderer.
struct ViewSetup {
  osg::ref_ptr<osgViewer::Viewer> viewer;
  osg::ref_ptr<CityManipulator> manipulator;
  osg::ref_ptr<ImGuiOverlay> overlay;
  std::unique_ptr<Ui> ui;
  UiState state;
  CommandQueue commands;
  SelectionHighlighter highlighter;
  std::unique_ptr<WallView> wall;  // a wall's tile or canvas (wall_view.hpp); empty: the camera's own viewport
  // A wall node or kiosk display (wall_overlay.hpp): the overlay replaces the panels; leadLostForS as the follower
  // last measured it (empty while its lead answers).
  bool kiosk = false;
  std::optional<double> leadLostForS;
  std::function<void(WallOverlayModel&)> decorateOverlay;  // a wall node's parts of the overlay (wall_node.hpp)
};

// The canvas rectangles of a kiosk overlay: the banner's tile (the top-left one) and this node's tile; the whole
// viewport when the view is not a wall's tile.
std::pair<wall::PixelRect, wall::PixelRect> overlayRects(const ViewSetup& setup) {
  if (setup.wall) {
    const wall::WallLayout& layout = setup.wall->wall().layout;
    const wall::PixelRect own = setup.wall->wall().tile
                                    ? layout.tileRect(*setup.wall->wall().tile)
                                    : wall::PixelRect{0, 0, layout.canvasWidth(), layout.canvasHeight()};
    return {layout.tileRect({0, 0}), own};
  }
  const osg::Viewport* vp = setup.viewer->getCamera()->getViewport();
  const wall::PixelRect whole{0, 0, vp != nullptr ? static_cast<int>(vp->width()) : 0,
                              vp != nullptr ? static_cast<int>(vp->height()) : 0};
  return {whole, whole};
}

void configureView(ViewSetup& setup, runtime::Twin& twin, osg::GraphicsContext* context, int width, int height, bool drawUi) {
  setup.viewer = new osgViewer::Viewer;
  // Single-threaded: ImGui's callback, the event handlers and the update share the one render thread.
  setup.viewer->setThreadingModel(osgViewer::ViewerBase::SingleThreaded);
  setup.viewer->setSceneData(twin.sceneRoot());
  osg::Camera* camera = setup.viewer->getCamera();
  if (context != nullptr) {
    camera->setGraphicsContext(context);
    camera->setViewport(0, 0, width, height);
    const GLenum buffer = context->getTraits()->doubleBuffer ? GL_BACK : GL_FRONT;
    camera->setDrawBuffer(buffer);
    camera->setReadBuffer(buffer);
  }
  camera->setClearColor(kClearColor);
  camera->setProjectionMatrixAsPerspective(kFieldOfViewDeg, static_cast<double>(width) / std::max(1, height), 10.0, 500000.0);
  camera->getOrCreateStateSet()->setMode(GL_LIGHTING, osg::StateAttribute::OFF);

  setup.manipulator = new CityManipulator;
  setup.manipulator->setHomePose(toOrbitPose(twin, twin.config().home));
  setup.viewer->setCameraManipulator(setup.manipulator.get(), false);
  setup.manipulator->setPose(setup.manipulator->homePose());

  setup.ui = std::make_unique<Ui>(twin, setup.state, setup.commands, setup.manipulator.get(), camera);
  if (drawUi) {
    setup.overlay = new ImGuiOverlay(defaultFontSpec(runtime::assetsDirectory()), [&setup] { setup.ui->draw(); });
    if (!setup.overlay->fontStatus().isOk()) spdlog::error("{}", setup.overlay->fontStatus().message());
    camera->setFinalDrawCallback(setup.overlay.get());
    // ImGui sees input first, so a drag on a panel does not orbit the map.
    setup.viewer->addEventHandler(new ImGuiOverlay::EventHandler(setup.overlay.get()));
  }
  setup.viewer->addEventHandler(new PickHandler(twin, setup.state));
}

// Once per frame, on the update thread, before the scene is traversed.
void applyFrameUpdates(ViewSetup& setup, runtime::Twin& twin) {
  setup.commands.applyAll();
  twin.update();
  updateProject(twin, setup.state);  // project_io.hpp: an opened project's layers as they load
  twin.beginFrame();
  if (setup.overlay) {
    for (const std::string& s : setup.ui->newDataStrings()) setup.overlay->requireGlyphs(s);
    setup.overlay->requireSizedFonts(indicatorWallFonts(setup.state));  // the wall view's large type
  }
  setup.highlighter.apply(twin, setup.state.selected, setup.state.hovered);
  if (setup.wall) {
    setup.wall->apply(setup.manipulator->getInverseMatrix(), *twin.sceneRoot(), *setup.viewer->getCamera(),
                      setup.state, setup.overlay.get());
  }
  if (setup.kiosk) {
    const auto [overlayRect, ownRect] = overlayRects(setup);
    auto model = std::make_shared<WallOverlayModel>(wallOverlayOf(twin, overlayRect, ownRect));
    model->leadLostForS = setup.leadLostForS;
    if (setup.decorateOverlay) setup.decorateOverlay(*model);
    if (setup.overlay) {
      for (const std::string& s : wallOverlayStrings(*model)) setup.overlay->requireGlyphs(s);
    }
    setup.state.wallOverlay = std::move(model);
  }
  // The wall view covers the whole window: the city is not drawn under it (its layers still update).
  setup.viewer->getCamera()->setCullMask(setup.state.showIndicatorWall && setup.overlay ? 0u : ~0u);
}

}  // namespace

Status writePng(const osg::Image& image, const std::string& path) {
  // osg::Image rows are bottom-up as GL reads them; OSG's PNG writer stores them top-down.
  if (!osgDB::writeImageFile(image, path)) {
    return Status(ErrorCode::IoError, "cannot write PNG '" + path + "' (is the OSG png plugin installed?)");
  }
  return Status::ok();
}

namespace {

// A headless view of `twin` as `request` describes it, realised and drawn `frames` times; the last frame is
// captured. Errors: bad size, no EGL, unknown bookmark.
Status drawOffscreen(runtime::Twin& twin, const RenderRequest& request, ViewSetup& setup,
                     osg::ref_ptr<EglPbufferContext>& context, int frames) {
  int width = request.width;
  int height = request.height;
  if (request.wall) {
    if (Status s = request.wall->layout.validate(); !s) return s;
    if (request.wall->tile && !request.wall->layout.contains(*request.wall->tile)) {
      return Status(ErrorCode::OutOfRange, "the wall has no tile " + std::to_string(request.wall->tile->column) + "," +
                                               std::to_string(request.wall->tile->row));
    }
    std::tie(width, height) = wallRenderSize(*request.wall);
  }
  if (width < 16 || height < 16 || width > 16384 || height > 16384) {
    return Status(ErrorCode::OutOfRange, "render size must be 16..16384 pixels per side");
  }
  context = new EglPbufferContext(width, height);
  if (!context->status()) return context->status();
  if (request.interfaceState) setup.state = *request.interfaceState;  // a window's screenshot: its interface
  setup.state.language = request.language.value_or(languageFromCode(twin.config().display.language));
  setup.state.selected = request.selected;
  if (!request.interfaceState) {
    setup.state.showFeedHealth = request.feedHealthPanel;
    setup.state.showIndicators = setup.state.indicatorsUnfolded = request.indicatorPanel;
    setup.state.showIndicatorWall = request.indicatorWall;
  }
  if (!request.indicatorArea.empty()) setup.state.indicatorAreaId = request.indicatorArea;
  setup.state.unfoldLayer = request.unfoldLayer;
  if (request.evidenceIndicator != 0) {  // the catalog's evidence layers, changed by the first frame's commands
    const std::vector<runtime::IndicatorRow> rows = twin.indicatorRows(runtime::districtArea());
    const auto row = std::find_if(rows.begin(), rows.end(),
                                  [&](const runtime::IndicatorRow& r) { return r.number == request.evidenceIndicator; });
    if (row == rows.end() || !showIndicatorEvidence(twin, setup.commands, *row)) {
      return Status(ErrorCode::NotFound,
                    "indicator " + std::to_string(request.evidenceIndicator) + " has no evidence to show on the map");
    }
  }
  configureView(setup, twin, context.get(), width, height, request.drawUi);
  if (request.wall) setup.wall = std::make_unique<WallView>(*request.wall);
  setup.kiosk = request.kiosk;
  setup.leadLostForS = request.leadLostForS;
  if (request.layersLoading > 0) {
    setup.decorateOverlay = [n = request.layersLoading](WallOverlayModel& m) { m.layersLoading = n; };
  }
  if (setup.overlay) setup.overlay->setFixedDeltaTime(1.0 / 60.0);
  if (!request.bookmark.empty()) {
    const BookmarkConfig* bookmark = twin.config().findBookmark(request.bookmark);
    if (bookmark == nullptr) return Status(ErrorCode::NotFound, "no camera bookmark '" + request.bookmark + "'");
    setup.manipulator->setPose(toOrbitPose(twin, bookmark->pose));
  }
  if (request.view) setup.manipulator->setPose(*request.view);
  if (request.time) {
    // A render at T shows T even outside the configured range (a recording or history from another day).
    const TimeRange range = twin.clock().range();
    if (!range.contains(*request.time)) {
      if (Status s = twin.clock().setRange(std::min(range.begin, *request.time), std::max(range.end, *request.time));
          !s) {
        return s;
      }
    }
    twin.clock().seek(*request.time);
    twin.clock().pause();
  }
  // What T needs: every layer, and with a [history] file the playback window around T.
  if (request.waitForValues) {
    if (Status s = twin.waitForValues(std::chrono::minutes(2)); !s) return s;
  }
  if (!request.projectFile.empty()) {  // after the wait: its filters need the layers loaded; explicit options win
    if (Status s = openProjectForRender(twin, setup.state, setup.manipulator.get(), request.projectFile, std::chrono::minutes(2)); !s) return s;
    if (!request.bookmark.empty()) setup.manipulator->setPose(toOrbitPose(twin, twin.config().findBookmark(request.bookmark)->pose));
    if (request.view) setup.manipulator->setPose(*request.view);
    if (request.time) {
      twin.clock().seek(*request.time);
      twin.clock().pause();
    }
  }
  if (request.timeChange) {  // the time_compare_panel's change, its panel open
    if (Status s = showTimeChangeInWindow(twin, setup.state, *request.timeChange); !s) return s;
  }
  if (!request.scenarioFile.empty()) {  // after the wait: the plugins compare with the values of the render's time
    if (Status s = openScenario(setup.state, request.scenarioFile); !s) return s;
    setup.state.showScenario = true;
    if (request.againstScenarioFile.empty()) {
      (void)compareWithBaseline(twin, setup.state);
    } else {
      if (Status s = openComparedScenario(setup.state, request.againstScenarioFile); !s) return s;
      if (auto c = compareWithComparedScenario(twin, setup.state); !c) return c.status();
    }
  } else if (!request.againstScenarioFile.empty()) {
    return Status(ErrorCode::InvalidArgument, "--against needs --scenario (the scenario compared with it)");
  }
  // Filters after the layers are loaded (a layer still loading cannot be filtered).
  for (const auto& [layerId, text] : request.filters) {
    const runtime::LayerFilterOutcome outcome = applyLayerFilter(twin, setup.state, layerId, text);
    if (const auto* error = std::get_if<FilterError>(&outcome)) {
      return Status(error->code, "filter of layer '" + layerId + "': " + error->describe());
    }
    if (const auto* status = std::get_if<Status>(&outcome)) return *status;
  }
  setup.viewer->realize();
  if (!setup.viewer->isRealized()) return Status(ErrorCode::Unsupported, "headless viewer could not be realised");
  for (int frame = 0; frame < frames; ++frame) {
    if (frame == 1 && request.measureMode != MeasureMode::Off) {  // the camera of the first frame is in place
      setup.state.measureMode = request.measureMode;
      for (const auto& [x, y] : request.measureClicks) (void)measureClick(twin, setup.state, *setup.viewer, x, y);
      if (!request.selectInLayer.empty()) {
        if (Status s = selectInsideMeasuredArea(twin, setup.state, request.selectInLayer); !s) return s;
      }
    }
    applyFrameUpdates(setup, twin);
    if (frame == frames - 1) context->captureNextSwap();
    const osg::Timer_t start = osg::Timer::instance()->tick();
    setup.viewer->frame();
    setup.state.frameTimeMs = osg::Timer::instance()->delta_m(start, osg::Timer::instance()->tick());
  }
  return Status::ok();
}

}  // namespace

Result<osg::ref_ptr<osg::Image>> renderOffscreen(runtime::Twin& twin, const RenderRequest& request) {
  ViewSetup setup;
  osg::ref_ptr<EglPbufferContext> context;
  // A few frames: ImGui sizes auto-resizing windows from the previous frame's content.
  const Status drawn = drawOffscreen(twin, request, setup, context, 3);
  osg::ref_ptr<osg::Image> image = context.valid() ? context->takeCapture() : nullptr;
  if (setup.viewer.valid()) setup.highlighter.apply(twin, std::nullopt, std::nullopt);  // leave the twin as it was
  if (!drawn) return drawn;
  if (!image.valid()) return Status(ErrorCode::Internal, "headless frame was not captured");
  return image;
}

namespace {

// Finishes the frame's GL work before the swap, so that a frame() returns with the frame drawn.
class FinishingSwap : public osg::GraphicsContext::SwapCallback {
 public:
  void swapBuffersImplementation(osg::GraphicsContext* gc) override {
    glFinish();
    gc->swapBuffersImplementation();
  }
};

std::atomic<bool> gStopRequested{false};
extern "C" void requestStop(int) { gStopRequested.store(true); }

// Runs `before` on the render thread just before each swap (a wall's swap barrier), then swaps.
class BeforeSwap : public osg::GraphicsContext::SwapCallback {
 public:
  explicit BeforeSwap(std::function<void()> before) : before_(std::move(before)) {}
  void swapBuffersImplementation(osg::GraphicsContext* gc) override {
    before_();
    gc->swapBuffersImplementation();
  }

 private:
  std::function<void()> before_;
};

}  // namespace

struct OffscreenSession::Impl {
  explicit Impl(runtime::Twin& t) : twin(t) {}
  runtime::Twin& twin;
  ViewSetup setup;
  osg::ref_ptr<EglPbufferContext> context;
};

OffscreenSession::OffscreenSession(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

OffscreenSession::~OffscreenSession() {
  if (impl_->setup.viewer.valid()) impl_->setup.highlighter.apply(impl_->twin, std::nullopt, std::nullopt);
}

Result<std::unique_ptr<OffscreenSession>> OffscreenSession::open(runtime::Twin& twin, const RenderRequest& request) {
  auto impl = std::make_unique<Impl>(twin);
  if (Status s = drawOffscreen(twin, request, impl->setup, impl->context, 0); !s) return s;
  impl->context->setSwapCallback(new FinishingSwap);
  return std::unique_ptr<OffscreenSession>(new OffscreenSession(std::move(impl)));
}

OffscreenSession::FrameTimes OffscreenSession::frame() {
  ViewSetup& setup = impl_->setup;
  osg::Timer& timer = *osg::Timer::instance();
  const osg::Timer_t start = timer.tick();
  applyFrameUpdates(setup, impl_->twin);
  const osg::Timer_t updated = timer.tick();
  setup.viewer->frame();
  const osg::Timer_t end = timer.tick();
  setup.state.frameTimeMs = timer.delta_m(start, end);
  return {timer.delta_m(start, updated), timer.delta_m(updated, end)};
}

Result<osg::ref_ptr<osg::Image>> OffscreenSession::capturedFrame() {
  impl_->context->captureNextSwap();
  frame();
  osg::ref_ptr<osg::Image> image = impl_->context->takeCapture();
  if (!image.valid()) return Status(ErrorCode::Internal, "headless frame was not captured");
  return image;
}

Result<std::vector<std::optional<EntityIndex>>> pickOffscreen(runtime::Twin& twin, const RenderRequest& request,
                                                              const std::vector<std::pair<float, float>>& points) {
  ViewSetup setup;
  osg::ref_ptr<EglPbufferContext> context;
  if (Status s = drawOffscreen(twin, request, setup, context, 1); !s) return s;
  std::vector<std::optional<EntityIndex>> out;
  for (const auto& [x, y] : points) out.push_back(pickEntity(twin, *setup.viewer, x, y));
  return out;
}

Result<std::vector<std::string>> measureOffscreen(runtime::Twin& twin, const RenderRequest& request) {
  ViewSetup setup;
  osg::ref_ptr<EglPbufferContext> context;
  if (Status s = drawOffscreen(twin, request, setup, context, 2); !s) return s;
  return measureReadout(twin, setup.state);
}

Status placeBimModelOffscreen(runtime::Twin& twin, const RenderRequest& request, const std::string& bimLayerId, float x,
                              float y) {
  ViewSetup setup;
  osg::ref_ptr<EglPbufferContext> context;
  if (Status s = drawOffscreen(twin, request, setup, context, 1); !s) return s;
  return placeBimModelAtWindowPoint(twin, *setup.viewer, bimLayerId, x, y);
}

int runWindow(runtime::Twin& twin, const WindowOptions& options) {
  const DisplayConfig& display = twin.config().display;
  osg::ref_ptr<osg::GraphicsContext::Traits> traits = new osg::GraphicsContext::Traits;
  traits->readDISPLAY();  // the X display from $DISPLAY (the default would be :0)
  traits->setUndefinedScreenDetailsToDefaultScreen();
  osg::GraphicsContext::WindowingSystemInterface* wsi = osg::GraphicsContext::getWindowingSystemInterface();
  if (wsi == nullptr) {
    spdlog::error("no windowing system: use 'greentwin render --out FILE.png' for headless output");
    return 2;
  }
  unsigned int screenWidth = 0;
  unsigned int screenHeight = 0;
  wsi->getScreenResolution(*traits, screenWidth, screenHeight);
  const Language startLanguage = options.language.value_or(languageFromCode(display.language));
  traits->windowName = appTitle(display, startLanguage);
  traits->x = 40;
  traits->y = 40;
  traits->width = display.width;
  traits->height = display.height;
  // A wall node: a window of its tile's size, placed where the tile sits (bezels left out) when the wall's nodes
  // share one screen, else full screen on its own display.
  std::unique_ptr<WallNodeRole> wallNode;
  std::unique_ptr<WallController> wallControl;
  if (options.wall) {
    auto role = WallNodeRole::create(*options.wall, options.wallNode);
    if (!role) {
      spdlog::error("wall: {}", role.status().message());
      return 2;
    }
    wallNode = std::move(*role);
    if (wallNode->isLead()) {  // the lead answers greentwin ctl
      auto controller = WallController::start(*options.wall);
      if (!controller) {
        spdlog::error("wall: {}", controller.status().message());
        return 2;
      }
      wallControl = std::move(*controller);
      wallControl->setStallNotice([node = wallNode.get()](double seconds) { node->announceHold(seconds); });
    }
    const wall::WallLayout& layout = options.wall->layout;
    traits->width = layout.tileWidth;
    traits->height = layout.tileHeight;
    traits->x = wallNode->node().tile.column * layout.tileWidth;
    traits->y = wallNode->node().tile.row * layout.tileHeight;
    traits->windowName += " - " + wallNode->node().id;
  }
  const bool kiosk = display.kiosk || wallNode != nullptr;
  if (display.fullscreen && screenWidth > 0 && (wallNode == nullptr || screenWidth <= static_cast<unsigned>(traits->width))) {
    traits->x = 0;
    traits->y = 0;
    traits->width = static_cast<int>(screenWidth);
    traits->height = static_cast<int>(screenHeight);
    traits->windowDecoration = false;
  } else {
    traits->windowDecoration = !kiosk;
  }
  traits->doubleBuffer = true;
  traits->vsync = display.vsync;
  traits->depth = 24;
  // A wall display may start before its X server accepts clients (or see it restart): retry for a while before
  // giving up, instead of exiting on the first refusal.
  osg::ref_ptr<osg::GraphicsContext> context;
  for (int attempt = 1; attempt <= 40 && !context.valid(); ++attempt) {
    context = osg::GraphicsContext::createGraphicsContext(traits.get());
    if (!context.valid()) {
      if (attempt == 1) spdlog::warn("display {} not ready, retrying", traits->displayName());
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }
  if (!context.valid()) {
    spdlog::error("cannot open a window (is DISPLAY set?): use 'greentwin render --out FILE.png' headless");
    return 2;
  }
  // SIGTERM / SIGINT (systemd stopping a wall node, Ctrl+C) end the loop after the frame, so the node leaves cleanly.
  std::signal(SIGTERM, requestStop);
  std::signal(SIGINT, requestStop);
  ViewSetup setup;
  setup.state.language = startLanguage;
  setup.state.showIndicatorWall = display.indicatorWallAtStart;
  configureView(setup, twin, context.get(), traits->width, traits->height, true);
  if (wallNode) {
    setup.wall = std::make_unique<WallView>(wallNode->render());
    setup.decorateOverlay = [&wallNode](WallOverlayModel& model) { wallNode->decorate(model); };
    context->setSwapCallback(new BeforeSwap([&wallNode] { wallNode->beforeSwap(); }));
  }
  if (kiosk) {
    // Locked input: the lock sees events before the interface and the camera. The chord gives a person at the lead
    // (or a single kiosk display) the planner's panels and the mouse back; a follower only shows its lead.
    setup.kiosk = true;
    setup.viewer->getEventHandlers().push_front(new KioskInputLock(
        display.kioskUnlock, [&setup](bool unlocked) { setup.kiosk = !unlocked; if (unlocked) setup.state.wallOverlay.reset(); },
        wallNode == nullptr || wallNode->isLead()));
  } else {
    setup.viewer->addEventHandler(new osgViewer::StatsHandler);
    // Closing asks first when the project has unsaved changes (interceptCloseRequests below).
    setup.viewer->setKeyEventSetsDone(0);
    setup.viewer->setQuitEventSetsDone(false);
  }
  if (!options.projectFile.empty()) {  // its layers' styles and filters follow as they load (updateProject)
    if (Status s = openProjectFile(twin, setup.state, setup.manipulator.get(), options.projectFile); !s) {
      spdlog::error("project: {}", s.message());
      return 2;
    }
  }
  setup.viewer->realize();
  if (kiosk) {
    osgViewer::ViewerBase::Windows windows;
    setup.viewer->getWindows(windows);
    for (osgViewer::GraphicsWindow* window : windows) keepDisplayAwake(*window);
  }
  std::unique_ptr<StatsLog> stats;
  if (!options.statsFile.empty()) {
    auto opened = StatsLog::open(options.statsFile, options.statsIntervalS);
    if (!opened) {
      spdlog::error("--stats-file: {}", opened.status().message());
      return 2;
    }
    stats = std::move(*opened);
  }
  int frames = 0;
  osg::Timer_t last = osg::Timer::instance()->tick();
  Language titleLanguage = startLanguage;
  while (!setup.viewer->done()) {
    if (setup.state.language != titleLanguage) {  // switched in the menu bar: the window title follows
      titleLanguage = setup.state.language;
      osgViewer::ViewerBase::Windows windows;
      setup.viewer->getWindows(windows);
      for (osgViewer::GraphicsWindow* window : windows) window->setWindowName(appTitle(display, titleLanguage));
    }
    if (wallControl) {
      wallControl->frame(twin, *setup.manipulator, setup.state, wallNode->frameShown() + 1);
      wallNode->setTour(wallControl->tourState());
    }
    if (wallNode) {
      wallNode->beforeUpdate(twin, *setup.manipulator, setup.state);
      setup.leadLostForS = wallNode->leadLostForS();
    }
    applyFrameUpdates(setup, twin);
    if (wallNode) wallNode->afterUpdate(twin, *setup.manipulator, setup.state);
    if (!kiosk) interceptCloseRequests(*setup.viewer, setup.state);  // project_menu.hpp
    if (!kiosk && quitDecided(twin, setup.state)) break;
    setup.viewer->frame();
    const osg::Timer_t now = osg::Timer::instance()->tick();
    setup.state.frameTimeMs = 0.9 * setup.state.frameTimeMs + 0.1 * osg::Timer::instance()->delta_m(last, now);
    if (stats) stats->frame(twin, osg::Timer::instance()->delta_s(last, now));
    last = now;
    if (options.maxFrames && ++frames >= *options.maxFrames) break;
    if (gStopRequested.load()) {
      spdlog::info("stop requested (signal): closing the window");
      break;
    }
  }
  if (wallNode) wallNode->logFinish(*setup.manipulator);
  if (stats) stats->flush(twin);
  return 0;
}

}  // namespace gt::viewer
