#include "greentwin/layers/layer_registry.hpp"

#include <algorithm>
#include <exception>
#include <utility>

#include "greentwin/layers/bim_layer.hpp"
#include "greentwin/layers/building_layer.hpp"
#include "greentwin/layers/field_layer.hpp"
#include "greentwin/layers/terrain_layer.hpp"
#include "greentwin/layers/vector_layer.hpp"
#include "greentwin/layers/vehicle_layer.hpp"

namespace gt::layers {

Status LayerRegistry::registerType(const std::string& type, Type definition) {
  if (type.empty()) return Status(ErrorCode::InvalidArgument, "layer type name is empty");
  if (!definition.factory) return Status(ErrorCode::InvalidArgument, "layer type '" + type + "' has no factory");
  if (!types_.emplace(type, std::move(definition)).second) {
    return Status(ErrorCode::InvalidArgument, "layer type '" + type + "' is already registered");
  }
  return Status::ok();
}

std::vector<std::string> LayerRegistry::types() const {
  std::vector<std::string> out;
  for (const auto& [name, type] : types_) out.push_back(name);
  return out;
}

const LayerTraits& LayerRegistry::traits(const std::string& type) const {
  static const LayerTraits kUnknown{};
  const auto it = types_.find(type);
  return it != types_.end() ? it->second.traits : kUnknown;
}

std::vector<EntityIdForm> LayerRegistry::entityIdForms(const LayerConfig& layer) const {
  const auto it = types_.find(layer.type);
  if (it == types_.end()) return {{layer.id + "/", "<feature id>"}};
  const LayerTraits& traits = it->second.traits;
  if (traits.entityIds) return traits.entityIds(layer);
  const bool readsFeatures = traits.data == LayerTraits::Data::Features || traits.data == LayerTraits::Data::CityModel;
  if (!readsFeatures || !traits.featuresAreEntities) return {};
  return {{layer.id + "/", "<feature id>"}};
}

std::vector<std::string> LayerRegistry::addableTypes() const {
  std::vector<std::pair<int, std::string>> ranked;
  for (const auto& [name, type] : types_) {
    if (type.traits.addDialogRank > 0) ranked.emplace_back(type.traits.addDialogRank, name);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> out;
  for (auto& [rank, name] : ranked) out.push_back(std::move(name));
  return out;
}

std::map<std::string, LayerOptionsParser, std::less<>> LayerRegistry::optionsParsers() const {
  std::map<std::string, LayerOptionsParser, std::less<>> out;
  for (const auto& [name, type] : types_) {
    if (type.options.parse) out.emplace(name, type.options);
  }
  return out;
}

Result<std::unique_ptr<Layer>> LayerRegistry::create(const LayerInputs& inputs) const {
  auto it = types_.find(inputs.config.type);
  if (it == types_.end()) {
    std::string known;
    for (const auto& [name, type] : types_) known += (known.empty() ? "" : ", ") + name;
    return Status(ErrorCode::NotFound, "layer '" + inputs.config.id + "': unknown layer type '" + inputs.config.type +
                                           "' (known: " + known + ")");
  }
  // A factory is plugin code: a throw or a null layer becomes an error for this layer, not a crash of the viewer.
  try {
    auto layer = it->second.factory(inputs);
    if (layer && !*layer) {
      return Status(ErrorCode::Internal, "layer '" + inputs.config.id + "': factory for type '" + inputs.config.type +
                                             "' returned no layer");
    }
    return layer;
  } catch (const std::exception& e) {
    return Status(ErrorCode::Internal, "layer '" + inputs.config.id + "': factory for type '" + inputs.config.type +
                                           "' threw: " + e.what());
  } catch (...) {
    return Status(ErrorCode::Internal, "layer '" + inputs.config.id + "': factory for type '" + inputs.config.type +
                                           "' threw a non-standard exception");
  }
}

void registerBuiltinLayers(LayerRegistry& registry) {
  using Data = LayerTraits::Data;
  const auto traits = [](Data data) {
    LayerTraits t;
    t.data = data;
    return t;
  };
  // The registry is fresh here: registering a builtin cannot collide (each Status is ok).
  LayerRegistry::Type vector;
  vector.factory = [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    if (!in.features) {
      return Status(ErrorCode::InvalidArgument, "vector layer '" + in.config.id + "' was given no features");
    }
    return std::unique_ptr<Layer>(std::make_unique<VectorLayer>(in.config, in.features, in.ground));
  };
  vector.traits = traits(Data::Features);
  vector.traits.strokeStyle = true;
  vector.traits.addDialogRank = 1;
  (void)registry.registerType("vector", std::move(vector));

  // The DEM comes in LayerInputs::raster, optional imagery ([[layers]] imagery) in LayerInputs::imagery; the
  // vertical exaggeration is the style's vertical_scale. Loaded first: the layers after it stand on it.
  LayerRegistry::Type terrain;
  terrain.factory = [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    if (!in.raster) {
      return Status(ErrorCode::InvalidArgument, "terrain layer '" + in.config.id + "' was given no elevation grid");
    }
    return std::unique_ptr<Layer>(
        std::make_unique<TerrainLayer>(in.config, in.raster, in.imagery, in.config.style.verticalScale));
  };
  terrain.options = terrainOptionsParser();
  terrain.traits = traits(Data::Raster);
  terrain.traits.groundsOthers = true;
  terrain.traits.featuresAreEntities = false;
  (void)registry.registerType("terrain", std::move(terrain));

  LayerRegistry::Type buildings;
  buildings.factory = [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    if (!in.features) {
      return Status(ErrorCode::InvalidArgument, "buildings layer '" + in.config.id + "' was given no features");
    }
    return std::unique_ptr<Layer>(std::make_unique<BuildingLayer>(in.config, in.features, in.ground));
  };
  buildings.traits = traits(Data::Features);
  buildings.traits.entityKind = "building";
  buildings.traits.addDialogRank = 2;
  (void)registry.registerType("buildings", std::move(buildings));

  // "citygml": the buildings of a CityGML file (LoD1/LoD2), drawn by the same batched, pickable building layer as
  // "buildings" from their own wall and roof triangles instead of extruded footprints.
  LayerRegistry::Type citygml;
  citygml.factory = [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    if (!in.features) {
      return Status(ErrorCode::InvalidArgument, "citygml layer '" + in.config.id + "' was given no buildings");
    }
    return std::unique_ptr<Layer>(std::make_unique<BuildingLayer>(in.config, in.features, in.ground));
  };
  citygml.traits = traits(Data::CityModel);
  citygml.traits.entityKind = "building";
  citygml.traits.addDialogRank = 3;
  (void)registry.registerType("citygml", std::move(citygml));

  // "vehicles": entities a live feed brings under the layer's id prefix, drawn where they are at the clock's time.
  LayerRegistry::Type vehicles;
  vehicles.factory = [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    return std::unique_ptr<Layer>(std::make_unique<VehicleLayer>(in.config, in.ground));
  };
  vehicles.options = vehiclesOptionsParser();
  vehicles.traits = traits(Data::None);
  vehicles.traits.entityIds = [](const LayerConfig& layer) -> std::vector<EntityIdForm> {
    const VehiclesOptions& options = vehiclesOptions(layer);
    if (options.prefix.empty()) return {};
    return {{options.prefix, "<vehicle id>"}};
  };
  (void)registry.registerType("vehicles", std::move(vehicles));

  // "field": a value surface over the area of its source polygons (not entities); the twin (or a plugin) supplies
  // the values.
  LayerRegistry::Type field;
  field.factory = [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    if (!in.features) {
      return Status(ErrorCode::InvalidArgument, "field layer '" + in.config.id + "' was given no area polygons");
    }
    return std::unique_ptr<Layer>(std::make_unique<FieldLayer>(in.config, in.features, in.ground));
  };
  field.options = fieldOptionsParser();
  field.traits = traits(Data::Features);
  field.traits.featuresAreEntities = false;
  (void)registry.registerType("field", std::move(field));

  // "bim": a model imported by greentwin-bim-import (the runtime runs the import and reads the scene file). Its
  // elements are entities "bim/<layer id>/<GUID>" whose kind is their IFC class; the twin adds storey entities.
  LayerRegistry::Type bim;
  bim.factory = [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    if (!in.bim || !in.features) {
      return Status(ErrorCode::InvalidArgument, "bim layer '" + in.config.id + "' was given no imported model");
    }
    const BimOptions& config = bimOptions(in.config);
    BimLayerOptions options;
    options.lodDistanceM = config.lodDistanceM;
    options.explodeGapM = config.explodeGapM;
    return std::unique_ptr<Layer>(std::make_unique<BimLayer>(in.config, in.features, in.bim, options, in.ground));
  };
  bim.options = bimOptionsParser();
  bim.traits = traits(Data::BimModel);
  bim.traits.kindProperty = "type";
  bim.traits.entityIds = [](const LayerConfig& layer) -> std::vector<EntityIdForm> {
    return {{"bim/" + layer.id + "/", "<GUID>"}, {"bim/" + layer.id + "/storey/", "<GUID>"}};
  };
  (void)registry.registerType(std::string(kBimLayerType), std::move(bim));  // core/bim_anchor.hpp
}

}  // namespace gt::layers
