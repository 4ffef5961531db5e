#pragma once
// The entities of the simulator's charger and modal-split feeds, read from the twin's config as world.hpp reads the
// others (the connectors' vector reader, the twin's id prefix and id attribute, so the ids are the twin's):
//  - EV chargers: a layer whose source_layer is "ev_chargers" (kind, power_kw);
//  - the district: the layer with id "tongzhou-district" (a GeoJSON without an id attribute: its single feature is
//    "tongzhou-district/0", its FID, as the twin registers it).
// Runs on the calling thread (GDAL).

#include <set>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/sim/mobility_model.hpp"

namespace gt::sim {

inline constexpr const char* kChargerSourceLayer = "ev_chargers";
inline constexpr const char* kDistrictLayerId = "tongzhou-district";

// True when the layer is one of these (read into `world`, with a note), false when it is not; an error names a
// layer that is one of these but cannot be read. Only when `domains` holds "traffic".
Result<bool> addMobilityLayer(const Config& config, const LayerConfig& layer, const GeoFrame& frame,
                              const std::set<std::string>& domains, MobilityWorld& world,
                              std::vector<std::string>& notes);

}  // namespace gt::sim
