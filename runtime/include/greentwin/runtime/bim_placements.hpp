#pragma once
// Where the user put BIM models on the map (issue 5 part 3; docs/bim.md "Placing a model on the map"): the BIM
// panel's "Save placement" writes `<config dir>/bim_placements.toml`, and at the next start its entries override the
// `[layers.bim]` anchors of the layers they name (as an anchor with anchor_override = true). A small file beside the
// config rather than an edit of the config itself, so the hand-written config (and its comments) stays as written.
//
//   # one table per bim layer id
//   [fzk-haus]
//   anchor_x = 1234.5      # scene metres of the model-frame origin
//   anchor_y = -678.9
//   anchor_z = 0.0         # above the terrain
//   rotation_deg = 20.75   # counter-clockwise, scene east -> model +x
//   scale = 1.0
//
// Any thread (pure file I/O); errors name the file and, for a bad entry, the key.

#include <string>
#include <vector>

#include "greentwin/core/bim_anchor.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"

namespace gt::runtime {

struct BimPlacementOverride {
  std::string layerId;
  // Scene metres of the model-frame origin (sceneX/sceneY, always given; sceneZ above the terrain), rotation
  // (counter-clockwise, scene east -> model +x) and scale (> 0 and <= 1000, as in [layers.bim]); it overrides the
  // file's georeference (BimAnchor::inScene).
  BimAnchor anchor;
};

inline constexpr const char* kBimPlacementsFile = "bim_placements.toml";

// <config dir>/bim_placements.toml (the twin uses none for a config not read from a file: Config::directory empty).
std::string bimPlacementsPath(const Config& config);

// Reads the file. A missing file is no placements (an empty list); a file that does not parse, an entry that is not
// a table, an unknown key, a missing anchor_x/anchor_y or a value out of range is an error naming the file, the line
// and the key.
Result<std::vector<BimPlacementOverride>> readBimPlacements(const std::string& path);

// Writes every placement (sorted by layer id), to a temporary file renamed over the old one.
Status writeBimPlacements(const std::string& path, const std::vector<BimPlacementOverride>& placements);

// Applies a placement to a bim layer's config (its BimOptions, layers/bim_layer.hpp): the placement's anchor
// replaces the layer's (lon/lat dropped, anchor_override = true).
void applyBimPlacement(const BimPlacementOverride& placement, LayerConfig& layer);

}  // namespace gt::runtime
