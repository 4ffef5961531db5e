#include "greentwin/sim/water_world.hpp"

#include <cstdint>
#include <variant>

#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/core/feature.hpp"

namespace gt::sim {
namespace {

double numberOf(const PropertyMap& p, std::string_view key, double fallback) {
  const auto it = p.find(key);
  if (it == p.end()) return fallback;
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return static_cast<double>(*i);
  return fallback;
}

}  // namespace

Result<bool> addWaterLayer(const Config& config, const LayerConfig& layer, const GeoFrame& frame,
                           const std::set<std::string>& domains, WaterWorld& world, std::vector<std::string>& notes) {
  const bool dmas = layer.sourceLayer == kDmaSourceLayer;
  const bool sections = layer.sourceLayer == kSectionSourceLayer;
  if (!dmas && !sections) return false;
  if (!domains.contains("water")) return true;
  connectors::VectorReadOptions options;
  options.layerName = layer.sourceLayer;
  options.idPrefix = layer.id;  // as the twin does (viewer/src/layer_loader.cpp)
  options.idAttribute = layer.idAttribute;
  options.assumeCrs = layer.assumeCrs;
  auto set = connectors::readVectorSource(config.resolvePath(layer.source), frame, options);
  if (!set) return Status(set.status().code(), "layer '" + layer.id + "': " + set.status().message());
  for (const Feature& f : set->features) {
    if (dmas) {
      world.dmas.push_back({f.id, numberOf(f.properties, "population", 0), numberOf(f.properties, "nonres_floor_m2", 0),
                            numberOf(f.properties, "mains_km", 0),
                            static_cast<int>(numberOf(f.properties, "mains_year", 2000))});
    } else {
      world.sections.push_back({f.id, numberOf(f.properties, "load_index", 0.5)});
    }
  }
  notes.push_back("layer '" + layer.id + "': " + std::to_string(set->features.size()) +
                  (dmas ? " DMAs (water.dma)" : " river sections (water.section)"));
  return true;
}

}  // namespace gt::sim
