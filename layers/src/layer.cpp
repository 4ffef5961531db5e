#include "greentwin/layers/layer.hpp"

#include <osg/BlendFunc>
#include <osg/Depth>
#include <osg/Program>
#include <osg/StateSet>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "shader_program.hpp"

namespace gt::layers {
namespace {

// GLSL 1.20 (compatibility profile): vertex colour, layer opacity, selection highlight.
constexpr const char* kVertexShader = R"(#version 120
varying vec4 vColor;
void main() {
  gl_Position = ftransform();
  vColor = gl_Color;
}
)";

constexpr const char* kFragmentShader = R"(#version 120
uniform float gt_opacity;
uniform vec4 gt_highlight;
varying vec4 vColor;
void main() {
  vec3 rgb = mix(vColor.rgb, gt_highlight.rgb, gt_highlight.a);
  // A highlighted feature shows even when its own fill is nearly transparent.
  gl_FragColor = vec4(rgb, max(vColor.a, 0.5 * gt_highlight.a) * gt_opacity);
}
)";

osg::Program* groundProgram() {
  static osg::ref_ptr<osg::Program> program = detail::makeProgram("gt_ground", kVertexShader, kFragmentShader);
  return program.get();
}

// Opacity is a fraction: clamp to 0..1; NaN (no meaningful value) keeps `fallback`.
double clampOpacity(double opacity, double fallback) {
  if (std::isnan(opacity)) return fallback;
  return std::clamp(opacity, 0.0, 1.0);
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Result<Rgba> parseColor(const std::string& text) {
  if ((text.size() != 7 && text.size() != 9) || text[0] != '#') {
    return Status(ErrorCode::InvalidArgument, "colour '" + text + "' is not #rrggbb or #rrggbbaa");
  }
  Rgba rgba{0, 0, 0, 1};
  for (std::size_t i = 0; i * 2 + 1 < text.size(); ++i) {
    const int hi = hexValue(text[1 + i * 2]);
    const int lo = hexValue(text[2 + i * 2]);
    if (hi < 0 || lo < 0) return Status(ErrorCode::InvalidArgument, "colour '" + text + "' has a non-hex digit");
    rgba[i] = static_cast<float>(hi * 16 + lo) / 255.0f;
  }
  return rgba;
}

Layer::Layer(LayerConfig config) : config_(std::move(config)), root_(new osg::Group) {
  // The config loader range-checks opacity, but a layer can be built from any LayerConfig: same rule as setOpacity.
  config_.opacity = clampOpacity(config_.opacity, 1.0);
  root_->setName("layer:" + config_.id);
  root_->setUserValue(kLayerUserValue, config_.id);
  osg::StateSet* ss = root_->getOrCreateStateSet();
  ss->setAttributeAndModes(groundProgram(), osg::StateAttribute::ON);
  opacityUniform_ = new osg::Uniform("gt_opacity", static_cast<float>(config_.opacity));
  ss->addUniform(opacityUniform_.get());
  ss->addUniform(new osg::Uniform("gt_highlight", osg::Vec4(0, 0, 0, 0)));
  ss->setMode(GL_BLEND, osg::StateAttribute::ON);
  ss->setAttributeAndModes(new osg::BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA));
  ss->setMode(GL_LIGHTING, osg::StateAttribute::OFF | osg::StateAttribute::PROTECTED);
  ss->setMode(GL_CULL_FACE, osg::StateAttribute::OFF);
  ss->setAttributeAndModes(new osg::Depth(osg::Depth::ALWAYS, 0.0, 1.0, false));
  root_->setNodeMask(config_.visible ? ~0u : 0u);
}

Status Layer::open() {
  if (state_ != LayerState::Created) return status_;
  try {
    status_ = openImpl();
  } catch (const std::exception& e) {
    status_ = Status(ErrorCode::Internal, "layer '" + config_.id + "' threw while opening: " + e.what());
  } catch (...) {
    status_ = Status(ErrorCode::Internal, "layer '" + config_.id + "' threw a non-standard exception while opening");
  }
  state_ = status_.isOk() ? LayerState::Open : LayerState::Error;
  if (status_.isOk()) {
    applyRenderBins();
  } else {
    // A failed layer's node is empty (see node()): drop whatever openImpl attached before it failed.
    root_->removeChildren(0, root_->getNumChildren());
  }
  return status_;
}

Status Layer::restyle(const LayerStyleConfig& style, const PropertyLookup& properties) {
  Status s = restyleImpl(style, properties);
  if (s.isOk()) invalidated_ = true;
  return s;
}

void Layer::update(const LayerFrame& frame) {
  ++updateCalls_;
  lastFrame_ = frame.context.frame;
  lastFrameTime_ = frame.context.time;
  if (state_ != LayerState::Open) return;
  const bool invalidated = invalidated_;
  invalidated_ = false;
  updateImpl(frame, invalidated);
}

Status Layer::setShownSlots(std::vector<bool> shown) {
  if (state_ != LayerState::Open) {
    return Status(ErrorCode::Unsupported, "layer '" + config_.id + "' is not loaded: its features cannot be filtered yet");
  }
  std::vector<bool> previous = std::move(shownSlots_);
  const std::size_t previousHidden = hiddenSlots_;
  shownSlots_ = std::move(shown);
  hiddenSlots_ = static_cast<std::size_t>(std::count(shownSlots_.begin(), shownSlots_.end(), false));
  if (hiddenSlots_ == 0) shownSlots_.clear();
  if (hiddenSlots_ == 0 && previousHidden == 0) return Status::ok();  // every slot shown before and after
  Status s = applyShownSlots();
  if (!s.isOk()) {  // nothing changed: keep the mask that is drawn
    shownSlots_ = std::move(previous);
    hiddenSlots_ = previousHidden;
  }
  return s;
}

void Layer::setVisible(bool visible) {
  config_.visible = visible;
  root_->setNodeMask(visible ? ~0u : 0u);
}

void Layer::setOpacity(double opacity) {
  config_.opacity = clampOpacity(opacity, config_.opacity);
  opacityUniform_->set(static_cast<float>(config_.opacity));
}

void Layer::setOrder(int order) {
  order_ = order;
  if (state_ == LayerState::Open) applyRenderBins();
}

}  // namespace gt::layers
