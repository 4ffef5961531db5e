#pragma once
// Where a BIM model goes in the scene (docs/bim.md "Placing a model on the map"): the ONE anchor value that the
// [layers.bim] options (layers/bim_layer.hpp BimOptions), the placements saved from the BIM panel
// (runtime/bim_placements.hpp) and the import contract (connectors/bim_import_options.hpp) all hold, so an anchor
// passes between them whole rather than field by field. Core holds it because all three depend on core.
//
// Threads: plain values.

#include <optional>
#include <string_view>

namespace gt {

// The IFC world origin (the model frame's origin) in the scene. Give either lon/lat (degrees, on the scene CRS's
// datum) or scene-local x/y; z is its scene height (in the twin: above the terrain). Precedence (docs/bim.md):
// override anchor > IfcMapConversion > IfcSite reference > anchor > none.
struct BimAnchor {
  std::optional<double> lon, lat;        // geographic position of the origin
  std::optional<double> sceneX, sceneY;  // or scene-local metres (used when lon/lat are absent)
  double sceneZ = 0.0;
  double rotationDeg = 0.0;  // counter-clockwise from scene east to model +x
  double scale = 1.0;
  bool override = false;     // true: the anchor wins over the file's georeference

  bool hasLonLat() const { return lon.has_value() && lat.has_value(); }
  bool hasSceneXY() const { return sceneX.has_value() && sceneY.has_value(); }
  // Whether it says where the origin is at all (lon and lat, or x and y).
  bool hasPosition() const { return hasLonLat() || hasSceneXY(); }

  // A model placed by hand (the BIM panel): scene x/y/z, rotation and scale, overriding the file's georeference.
  static BimAnchor inScene(double x, double y, double z, double rotationDeg, double scale) {
    return BimAnchor{std::nullopt, std::nullopt, x, y, z, rotationDeg, scale, true};
  }
};

// The layer type that shows an imported BIM model (registered under this name by layers' registerBuiltinLayers).
// For tools that read only the configs' common keys and have no layer registry (the simulator's storey entities).
inline constexpr std::string_view kBimLayerType = "bim";
inline bool isBimLayerType(std::string_view type) { return type == kBimLayerType; }

}  // namespace gt
