#include "greentwin/viewer/egl_context.hpp"

#include <EGL/egl.h>
#include <EGL/eglext.h>
#include <osg/GL>

#include <cstring>

namespace gt::viewer {
namespace {

EGLDisplay asDisplay(void* p) { return static_cast<EGLDisplay>(p); }
EGLSurface asSurface(void* p) { return static_cast<EGLSurface>(p); }
EGLContext asContext(void* p) { return static_cast<EGLContext>(p); }

bool hasExtension(const char* list, const char* name) {
  if (list == nullptr) return false;
  const std::size_t n = std::strlen(name);
  for (const char* p = std::strstr(list, name); p != nullptr; p = std::strstr(p + n, name)) {
    const bool startOk = (p == list || p[-1] == ' ');
    const bool endOk = (p[n] == ' ' || p[n] == '\0');
    if (startOk && endOk) return true;
  }
  return false;
}

// Prefers Mesa's surfaceless platform (no X, no DRM device needed), then an EGL device, then the default.
EGLDisplay openDisplay(std::string& platform) {
  const char* clientExts = eglQueryString(EGL_NO_DISPLAY, EGL_EXTENSIONS);
  auto getPlatformDisplay =
      reinterpret_cast<PFNEGLGETPLATFORMDISPLAYEXTPROC>(eglGetProcAddress("eglGetPlatformDisplayEXT"));
  if (getPlatformDisplay != nullptr && hasExtension(clientExts, "EGL_MESA_platform_surfaceless")) {
    EGLDisplay d = getPlatformDisplay(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    if (d != EGL_NO_DISPLAY && eglInitialize(d, nullptr, nullptr)) {
      platform = "surfaceless";
      return d;
    }
  }
  auto queryDevices = reinterpret_cast<PFNEGLQUERYDEVICESEXTPROC>(eglGetProcAddress("eglQueryDevicesEXT"));
  if (getPlatformDisplay != nullptr && queryDevices != nullptr &&
      hasExtension(clientExts, "EGL_EXT_platform_device")) {
    EGLDeviceEXT devices[8];
    EGLint count = 0;
    if (queryDevices(8, devices, &count)) {
      for (EGLint i = 0; i < count; ++i) {
        EGLDisplay d = getPlatformDisplay(EGL_PLATFORM_DEVICE_EXT, devices[i], nullptr);
        if (d != EGL_NO_DISPLAY && eglInitialize(d, nullptr, nullptr)) {
          platform = "device";
          return d;
        }
      }
    }
  }
  EGLDisplay d = eglGetDisplay(EGL_DEFAULT_DISPLAY);
  if (d != EGL_NO_DISPLAY && eglInitialize(d, nullptr, nullptr)) {
    platform = "default";
    return d;
  }
  return EGL_NO_DISPLAY;
}

}  // namespace

EglPbufferContext::EglPbufferContext(int width, int height) {
  auto traits = new osg::GraphicsContext::Traits;
  traits->x = 0;
  traits->y = 0;
  traits->width = width;
  traits->height = height;
  traits->pbuffer = true;
  traits->doubleBuffer = false;
  traits->red = traits->green = traits->blue = traits->alpha = 8;
  traits->depth = 24;
  traits->stencil = 8;
  _traits = traits;
  setState(new osg::State);
  getState()->setGraphicsContext(this);
  getState()->setContextID(osg::GraphicsContext::createNewContextID());

  EGLDisplay display = openDisplay(platform_);
  if (display == EGL_NO_DISPLAY) {
    status_ = gt::Status(gt::ErrorCode::Unsupported, "no EGL display could be initialised (is libegl-mesa0 installed?)");
    return;
  }
  display_ = display;
  const EGLint configAttribs[] = {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT, EGL_RED_SIZE, 8, EGL_GREEN_SIZE, 8,
                                  EGL_BLUE_SIZE, 8, EGL_ALPHA_SIZE, 8, EGL_DEPTH_SIZE, 24, EGL_STENCIL_SIZE, 8,
                                  EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
  EGLConfig config = nullptr;
  EGLint numConfigs = 0;
  if (!eglChooseConfig(display, configAttribs, &config, 1, &numConfigs) || numConfigs < 1) {
    status_ = gt::Status(gt::ErrorCode::Unsupported, "EGL (" + platform_ + "): no RGBA8/depth24 pbuffer config");
    return;
  }
  const EGLint pbufferAttribs[] = {EGL_WIDTH, width, EGL_HEIGHT, height, EGL_NONE};
  EGLSurface surface = eglCreatePbufferSurface(display, config, pbufferAttribs);
  if (surface == EGL_NO_SURFACE) {
    status_ = gt::Status(gt::ErrorCode::Unsupported,
                         "EGL: cannot create a " + std::to_string(width) + "x" + std::to_string(height) + " pbuffer");
    return;
  }
  surface_ = surface;
  if (!eglBindAPI(EGL_OPENGL_API)) {
    status_ = gt::Status(gt::ErrorCode::Unsupported, "EGL: desktop OpenGL API not available");
    return;
  }
  // A compatibility profile: OSG's fixed-function state and ImGui's GL3 backend share the context.
  const EGLint contextAttribs[] = {EGL_CONTEXT_OPENGL_PROFILE_MASK, EGL_CONTEXT_OPENGL_COMPATIBILITY_PROFILE_BIT,
                                   EGL_NONE};
  EGLContext context = eglCreateContext(display, config, EGL_NO_CONTEXT, contextAttribs);
  if (context == EGL_NO_CONTEXT) {
    status_ = gt::Status(gt::ErrorCode::Unsupported, "EGL: cannot create an OpenGL compatibility context");
    return;
  }
  context_ = context;
}

EglPbufferContext::~EglPbufferContext() { closeImplementation(); }

bool EglPbufferContext::realizeImplementation() {
  realized_ = valid();
  return realized_;
}

void EglPbufferContext::closeImplementation() {
  if (display_ != nullptr) {
    EGLDisplay d = asDisplay(display_);
    eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
    if (context_ != nullptr) eglDestroyContext(d, asContext(context_));
    if (surface_ != nullptr) eglDestroySurface(d, asSurface(surface_));
    // The display is not terminated: other contexts in the process (tests render several) share it.
  }
  context_ = nullptr;
  surface_ = nullptr;
  realized_ = false;
}

bool EglPbufferContext::makeCurrentImplementation() {
  if (!realized_) return false;
  return eglMakeCurrent(asDisplay(display_), asSurface(surface_), asSurface(surface_), asContext(context_)) ==
         EGL_TRUE;
}

bool EglPbufferContext::makeContextCurrentImplementation(osg::GraphicsContext* /*readContext*/) {
  return makeCurrentImplementation();
}

bool EglPbufferContext::releaseContextImplementation() {
  if (!realized_) return false;
  return eglMakeCurrent(asDisplay(display_), EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT) == EGL_TRUE;
}

osg::ref_ptr<osg::Image> EglPbufferContext::readPixels() const {
  const int w = _traits->width;
  const int h = _traits->height;
  osg::ref_ptr<osg::Image> image = new osg::Image;
  image->allocateImage(w, h, 1, GL_RGBA, GL_UNSIGNED_BYTE);
  glFinish();
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, image->data());
  return image;
}

// Runs on the draw thread at the end of each frame, after every camera and its post-draw callbacks (ImGui).
void EglPbufferContext::swapBuffersImplementation() {
  if (captureRequested_) {
    captured_ = readPixels();
    captureRequested_ = false;
  }
  eglSwapBuffers(asDisplay(display_), asSurface(surface_));
}

}  // namespace gt::viewer
