#pragma once
// Layer types by name. One registry is owned by the application and passed to whoever registers or looks up
// (no global registry); builtins are registered by an explicit registerBuiltinLayers(registry) call.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/raster.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/layers/layer.hpp"

namespace gt::layers {

struct BimScene;  // bim_layer.hpp

// What a layer is built from: its config and, for data-driven layers, immutable snapshots of its data.
struct LayerInputs {
  LayerConfig config;
  std::shared_ptr<const FeatureSet> features;
  // The terrain to lay this layer on (a TerrainLayer's heightField()); nullptr = flat ground, z as given.
  std::shared_ptr<const HeightField> ground = nullptr;
  // "terrain" layers: the DEM (heights in metres, local scene grid) and optional imagery to drape on it
  // (nullptr = a hillshade of the DEM with a hypsometric tint).
  std::shared_ptr<const RasterGrid> raster = nullptr;
  std::shared_ptr<const RgbaImage> imagery = nullptr;
  // "bim" layers: the imported model (features are its elements, one per slot).
  std::shared_ptr<const BimScene> bim = nullptr;
};

class LayerRegistry {
 public:
  using Factory = std::function<Result<std::unique_ptr<Layer>>(const LayerInputs&)>;

  // Registering the same type twice is an error (a plugin cannot silently replace a builtin).
  Status registerType(const std::string& type, Factory factory);
  bool hasType(const std::string& type) const { return factories_.count(type) != 0; }
  std::vector<std::string> types() const;
  // Unknown type → NotFound naming the type and the known ones.
  Result<std::unique_ptr<Layer>> create(const LayerInputs& inputs) const;

 private:
  std::map<std::string, Factory> factories_;
};

void registerBuiltinLayers(LayerRegistry& registry);

}  // namespace gt::layers
