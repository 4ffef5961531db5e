#include "greentwin/sim/mobility_world.hpp"

#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/core/feature.hpp"

namespace gt::sim {
namespace {

std::string textOf(const PropertyMap& p, std::string_view key) {
  const auto it = p.find(key);
  if (it == p.end()) return {};
  if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
  return {};
}

double numberOf(const PropertyMap& p, std::string_view key) {
  const auto it = p.find(key);
  if (it == p.end()) return 0.0;
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return static_cast<double>(*i);
  return 0.0;
}

}  // namespace

Result<bool> addMobilityLayer(const Config& config, const LayerConfig& layer, const GeoFrame& frame,
                              const std::set<std::string>& domains, MobilityWorld& world,
                              std::vector<std::string>& notes) {
  const bool chargers = layer.sourceLayer == kChargerSourceLayer;
  const bool district = layer.id == kDistrictLayerId;
  if (!chargers && !district) return false;
  if (!domains.contains("traffic")) return true;
  connectors::VectorReadOptions options;
  options.layerName = layer.sourceLayer;
  options.idPrefix = layer.id;  // as the twin does (viewer/src/layer_loader.cpp)
  options.idAttribute = layer.idAttribute;
  options.assumeCrs = layer.assumeCrs;
  auto set = connectors::readVectorSource(config.resolvePath(layer.source), frame, options);
  if (!set) return Status(set.status().code(), "layer '" + layer.id + "': " + set.status().message());
  for (const Feature& f : set->features) {
    if (chargers) {
      world.chargers.push_back({f.id, textOf(f.properties, "kind"), numberOf(f.properties, "power_kw")});
    } else {
      world.districts.push_back(f.id);
    }
  }
  notes.push_back("layer '" + layer.id + "': " + std::to_string(set->features.size()) +
                  (chargers ? " EV chargers (traffic.charger)" : " district(s) for the modal split (traffic.modal_split)"));
  return true;
}

}  // namespace gt::sim
