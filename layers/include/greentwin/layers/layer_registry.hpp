#pragma once
// Layer types by name: each type's factory, options parser and traits, registered together. One registry is owned
// by the application and passed to whoever registers or looks up (no global registry); builtins are registered by an
// explicit registerBuiltinLayers(registry) call. Nothing outside a registry tests a layer type's name.

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

// An entity id a layer will register, as a prefix and what follows it ("parks/" + "<feature id>").
struct EntityIdForm {
  std::string prefix;
  std::string rest;  // for messages
};

// What the rest of the twin asks about a layer type instead of testing its name.
struct LayerTraits {
  // What the loader reads from the layer's `source` for it (runtime/layer_loader.cpp).
  // CityModel: a CityGML file's buildings, read as features with their own surfaces (connectors/citygml_reader.hpp).
  enum class Data { None, Features, Raster, BimModel, CityModel };
  Data data = Data::None;
  bool groundsOthers = false;       // a terrain: loaded first, the layers after it are laid on its heights
  bool featuresAreEntities = true;  // false: its features are an area it covers (field), not entities of the twin
  std::string entityKind;           // the kind of its entities; empty: the last dash-separated word of the layer id
  std::string kindProperty;         // a property whose text is each entity's kind instead (bim: "type", IFC class)
  // The style settings the layer panel offers beyond the colours: outline colour, line width and point size.
  bool strokeStyle = false;
  // > 0: the "Add layer" dialog offers the type (for a file of features the user names), lowest rank first (rank 1 is
  // preselected); 0: not offered.
  int addDialogRank = 0;
  // The ids of the entities its layers register (checking --select before loading). nullptr: "<layer id>/<feature
  // id>" for a type that reads features that are entities, else none.
  std::function<std::vector<EntityIdForm>(const LayerConfig&)> entityIds;
};

class LayerRegistry {
 public:
  using Factory = std::function<Result<std::unique_ptr<Layer>>(const LayerInputs&)>;

  // A type is registered with everything that is known about it at once: how to build its layers, how to read its
  // own keys of [[layers]] (config.hpp LayerOptionsParser), and its traits.
  struct Type {
    Factory factory;
    LayerOptionsParser options;  // none: the type reads only the common keys
    LayerTraits traits;
  };

  // Registering the same type twice is an error (a plugin cannot silently replace a builtin).
  Status registerType(const std::string& type, Type definition);
  // A type with the common keys only and default traits.
  Status registerType(const std::string& type, Factory factory) {
    return registerType(type, Type{std::move(factory), {}, {}});
  }
  bool hasType(const std::string& type) const { return types_.count(type) != 0; }
  std::vector<std::string> types() const;
  // Unknown type → NotFound naming the type and the known ones.
  Result<std::unique_ptr<Layer>> create(const LayerInputs& inputs) const;

  // The type's traits; an unknown type's are the defaults (it fails at create()).
  const LayerTraits& traits(const std::string& type) const;
  // The entity ids a layer of the config will register; a layer of an unknown type is assumed to be a feature
  // layer ("<layer id>/<feature id>": the registry judges its type at load).
  std::vector<EntityIdForm> entityIdForms(const LayerConfig& layer) const;
  // The types the "Add layer" dialog offers (LayerTraits::addDialogRank > 0), by rank.
  std::vector<std::string> addableTypes() const;
  // Every type's options parser, for the config loader (ConfigSchema::layerTypes).
  std::map<std::string, LayerOptionsParser, std::less<>> optionsParsers() const;

 private:
  std::map<std::string, Type> types_;
};

void registerBuiltinLayers(LayerRegistry& registry);

}  // namespace gt::layers
