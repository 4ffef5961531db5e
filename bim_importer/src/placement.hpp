#pragma once
// Where an imported model goes in the scene: the precedence of docs/bim.md ("Georeferencing and placement")
// applied to what the file says (BimGeoreference) and the caller's anchor, in the scene's geo frame.

#include <optional>
#include <string>
#include <vector>

#include "greentwin/connectors/bim_import_options.hpp"
#include "greentwin/connectors/bim_model.hpp"
#include "greentwin/core/geo_frame.hpp"

namespace gt::bim {

// A georeference farther than this from the scene origin is not meant for this scene (demo coordinates of
// another city); placements with larger coordinates are absolute (projected) coordinates.
inline constexpr double kFarFromSceneM = 100000.0;

// `modelOffset`: IFC world point (m) that the model frame's origin stands for. Warnings are appended.
// `frame` is the scene's geo frame (options.sceneCrs and origin). Errors: InvalidArgument for an anchor that
// cannot be converted.
Result<BimPlacement> decidePlacement(const BimGeoreference& geo, const Vec3d& modelOffset, const GeoFrame& frame,
                                     const BimImportOptions& options, std::vector<std::string>& warnings);

}  // namespace gt::bim
