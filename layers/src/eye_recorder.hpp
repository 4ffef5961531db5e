#pragma once
// The cull callback through which a layer remembers where the eye was at the last cull of its content (private to
// layers/): the building and BIM layers use it to answer picks that reach geometry not drawn from that eye. The
// eye is in the frame of the node the callback is attached to (for both layers, the scene's).
//
// Threads: operator() runs on the cull thread; lastEyeOf may be called on any thread.

#include <atomic>
#include <limits>

#include <osg/NodeCallback>
#include <osg/NodeVisitor>

#include "greentwin/core/vec.hpp"

namespace gt::layers::detail {

class EyeRecorder : public osg::NodeCallback {
 public:
  void operator()(osg::Node* node, osg::NodeVisitor* nv) override {
    if (nv->getVisitorType() == osg::NodeVisitor::CULL_VISITOR) {
      const osg::Vec3 eye = nv->getEyePoint();
      x_ = eye.x();
      y_ = eye.y();
      z_ = eye.z();
    }
    traverse(node, nv);
  }

  Vec3d lastEye() const { return {x_.load(), y_.load(), z_.load()}; }

 private:
  std::atomic<double> x_{std::numeric_limits<double>::quiet_NaN()}, y_{0.0}, z_{0.0};
};

// The eye of the last cull seen by `recorder` (an EyeRecorder, held by the layer as a plain NodeCallback); NaN x when
// there is none yet (no recorder, or no cull since it was attached).
inline Vec3d lastEyeOf(const osg::NodeCallback* recorder) {
  if (recorder == nullptr) return {std::numeric_limits<double>::quiet_NaN(), 0.0, 0.0};
  return static_cast<const EyeRecorder*>(recorder)->lastEye();
}

}  // namespace gt::layers::detail
