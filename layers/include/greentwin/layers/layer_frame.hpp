#pragma once
// What a layer updates itself from once per frame (Layer::update): the frame context every part of the twin reads
// in that frame (core/frame_context.hpp: the clock's time, the values, the stale rule, the geo frame), plus what
// only layers need — the other layers (a field reads its points layer) and the plugins' field providers.
//
// Threads: the update thread; valid during the Layer::update call only.

#include <functional>
#include <string>
#include <vector>

#include "greentwin/core/frame_context.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/core/status.hpp"

namespace gt::layers {

class Layer;  // layer.hpp

// Computes a value field on the layers' behalf (a plugin's field layer type, docs/plugins.md).
class FieldProvider {
 public:
  virtual ~FieldProvider() = default;
  // One value per cell of `grid` (row 0 south, NaN: none) of provider `providerId` at time t. Update thread.
  virtual Result<std::vector<float>> computeField(const std::string& providerId, const GridGeometry& grid,
                                                  TimePoint t) = 0;
};

struct LayerFrame {
  const FrameContext& context;
  // Another layer by id (nullptr: none, or still loading). Read-only.
  std::function<const Layer*(const std::string&)> findLayer;
  FieldProvider* fields = nullptr;  // nullptr: no plugin computes fields
};

}  // namespace gt::layers
