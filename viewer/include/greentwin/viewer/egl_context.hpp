#pragma once
// A headless OpenGL context for OSG through EGL (no X server): Mesa's surfaceless or device platform with a
// pbuffer surface. The scene and the ImGui overlay draw into the pbuffer itself, and readPixels() reads it back
// after everything has drawn (an FBO-attached osg::Image would be read before post-draw callbacks run).

#include <osg/GraphicsContext>
#include <osg/Image>

#include <string>

#include "greentwin/core/status.hpp"

namespace gt::viewer {

class EglPbufferContext : public osg::GraphicsContext {
 public:
  // Creates the EGL display, config, pbuffer and a compatibility-profile context. Check status() after.
  EglPbufferContext(int width, int height);

  const gt::Status& status() const { return status_; }
  // Which EGL platform gave the context ("surfaceless", "device", "default").
  const std::string& platform() const { return platform_; }

  // Reads the colour buffer (RGBA8, bottom-up as GL gives it). Must be called with the context current,
  // e.g. from swapBuffersImplementation or just after a frame in SingleThreaded mode.
  osg::ref_ptr<osg::Image> readPixels() const;

  // The image grabbed at the last swap when captureNextSwap() was set (the full frame, overlay included).
  void captureNextSwap() { captureRequested_ = true; }
  osg::ref_ptr<osg::Image> takeCapture() { return std::move(captured_); }

  // osg::GraphicsContext
  bool valid() const override { return status_.isOk(); }
  bool realizeImplementation() override;
  bool isRealizedImplementation() const override { return realized_; }
  void closeImplementation() override;
  bool makeCurrentImplementation() override;
  bool makeContextCurrentImplementation(osg::GraphicsContext* readContext) override;
  bool releaseContextImplementation() override;
  void bindPBufferToTextureImplementation(GLenum /*buffer*/) override {}
  void swapBuffersImplementation() override;

  const char* libraryName() const override { return "greentwin"; }
  const char* className() const override { return "EglPbufferContext"; }

 protected:
  ~EglPbufferContext() override;

 private:
  gt::Status status_;
  std::string platform_;
  void* display_ = nullptr;  // EGLDisplay
  void* surface_ = nullptr;  // EGLSurface
  void* context_ = nullptr;  // EGLContext
  bool realized_ = false;
  bool captureRequested_ = false;
  osg::ref_ptr<osg::Image> captured_;
};

}  // namespace gt::viewer
