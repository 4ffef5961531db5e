#include "greentwin/layers/layer_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "greentwin/core/bim_anchor.hpp"
#include "greentwin/layers/vector_layer.hpp"
#include "greentwin/layers/vehicle_layer.hpp"

namespace gt::layers {
namespace {

class StubLayer : public Layer {
 public:
  using Layer::Layer;

 protected:
  Status openImpl() override { return Status::ok(); }
};

LayerRegistry::Factory stubFactory() {
  return [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    return std::unique_ptr<Layer>(std::make_unique<StubLayer>(in.config));
  };
}

LayerInputs inputs(const std::string& id, const std::string& type,
                   std::shared_ptr<const FeatureSet> features = nullptr) {
  LayerInputs in;
  in.config.id = id;
  in.config.type = type;
  in.features = std::move(features);
  return in;
}

std::shared_ptr<const FeatureSet> onePoint() {
  auto set = std::make_shared<FeatureSet>();
  Feature f;
  f.id = "poi/0";
  f.geometry.points.push_back({1.0, 2.0, 0.0});
  f.entity = 0;
  set->features.push_back(f);
  return set;
}

TEST(LayerRegistry, BuiltinsRegisterVector) {
  LayerRegistry registry;
  EXPECT_FALSE(registry.hasType("vector"));
  EXPECT_TRUE(registry.types().empty());
  registerBuiltinLayers(registry);
  EXPECT_TRUE(registry.hasType("vector"));
  const auto types = registry.types();
  EXPECT_NE(std::find(types.begin(), types.end(), "vector"), types.end());
  EXPECT_TRUE(std::is_sorted(types.begin(), types.end()));
}

TEST(LayerRegistry, CreatesAVectorLayerFromFeatures) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  auto features = onePoint();
  auto layer = registry.create(inputs("poi", "vector", features));
  ASSERT_TRUE(layer.isOk()) << layer.status().toString();
  ASSERT_NE(*layer, nullptr);
  auto* vector = dynamic_cast<VectorLayer*>(layer->get());
  ASSERT_NE(vector, nullptr);
  EXPECT_EQ(vector->id(), "poi");
  EXPECT_EQ(vector->features(), features.get());  // the snapshot is shared, not copied
  EXPECT_EQ(vector->state(), LayerState::Created);  // creating does not open
  EXPECT_TRUE(vector->open().isOk()) << vector->status().toString();
}

TEST(LayerRegistry, UnknownTypeIsNotFoundNamingItAndTheKnownTypes) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  ASSERT_TRUE(registry.registerType("heatmap", stubFactory()).isOk());
  auto layer = registry.create(inputs("traffic", "tiles3d"));
  ASSERT_FALSE(layer.isOk());
  EXPECT_EQ(layer.status().code(), ErrorCode::NotFound);
  const std::string msg = layer.status().message();  // status() returns a copy
  EXPECT_NE(msg.find("'tiles3d'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("traffic"), std::string::npos) << msg;
  EXPECT_NE(msg.find("(known: "), std::string::npos) << msg;
  EXPECT_NE(msg.find("heatmap"), std::string::npos) << msg;
  EXPECT_NE(msg.find("vector"), std::string::npos) << msg;
}

TEST(LayerRegistry, DuplicateRegistrationIsAnErrorAndKeepsTheFirst) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  int calls = 0;
  Status s = registry.registerType("vector", [&calls](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
    ++calls;
    return std::unique_ptr<Layer>(std::make_unique<StubLayer>(in.config));
  });
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("'vector'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("already registered"), std::string::npos) << s.message();
  auto layer = registry.create(inputs("poi", "vector", onePoint()));
  ASSERT_TRUE(layer.isOk());
  EXPECT_NE(dynamic_cast<VectorLayer*>(layer->get()), nullptr);  // still the builtin
  EXPECT_EQ(calls, 0);
}

TEST(LayerRegistry, EmptyNameOrFactoryIsRejected) {
  LayerRegistry registry;
  EXPECT_EQ(registry.registerType("", stubFactory()).code(), ErrorCode::InvalidArgument);
  Status s = registry.registerType("nothing", nullptr);
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("nothing"), std::string::npos) << s.message();
  EXPECT_TRUE(registry.types().empty());
}

TEST(LayerRegistry, VectorLayerWithoutFeaturesIsAnError) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  auto layer = registry.create(inputs("parks", "vector"));
  ASSERT_FALSE(layer.isOk());
  EXPECT_EQ(layer.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(layer.status().message().find("parks"), std::string::npos) << layer.status().message();
}

TEST(LayerRegistry, FactoryErrorsArePassedThrough) {
  LayerRegistry registry;
  ASSERT_TRUE(registry
                  .registerType("picky",
                                [](const LayerInputs& in) -> Result<std::unique_ptr<Layer>> {
                                  return Status(ErrorCode::Unsupported, "picky layer '" + in.config.id + "' refused");
                                })
                  .isOk());
  auto layer = registry.create(inputs("p1", "picky"));
  ASSERT_FALSE(layer.isOk());
  EXPECT_EQ(layer.status().code(), ErrorCode::Unsupported);
  EXPECT_EQ(layer.status().message(), "picky layer 'p1' refused");
}

TEST(LayerRegistry, MisbehavingFactoryIsAnInternalErrorNotACrash) {
  LayerRegistry registry;
  ASSERT_TRUE(registry
                  .registerType("null", [](const LayerInputs&) -> Result<std::unique_ptr<Layer>> {
                    return std::unique_ptr<Layer>();
                  })
                  .isOk());
  ASSERT_TRUE(registry
                  .registerType("throws", [](const LayerInputs&) -> Result<std::unique_ptr<Layer>> {
                    throw std::runtime_error("plugin exploded");
                  })
                  .isOk());
  auto null = registry.create(inputs("n", "null"));
  ASSERT_FALSE(null.isOk());
  EXPECT_EQ(null.status().code(), ErrorCode::Internal);
  EXPECT_NE(null.status().message().find("'null'"), std::string::npos) << null.status().message();
  auto thrown = registry.create(inputs("t", "throws"));
  ASSERT_FALSE(thrown.isOk());
  EXPECT_EQ(thrown.status().code(), ErrorCode::Internal);
  EXPECT_NE(thrown.status().message().find("plugin exploded"), std::string::npos) << thrown.status().message();
}

// ---- options and traits, registered with the type ----------------------------------------------------------

struct HeatOptions : LayerOptions {
  double radiusM = 100.0;
};

TEST(LayerRegistry, ATypeBringsItsOptionsParserToTheConfigLoader) {
  LayerRegistry registry;
  LayerRegistry::Type heat;
  heat.factory = stubFactory();
  heat.options = {{"heat"}, [](const ConfigTable& layer, bool) -> std::shared_ptr<const LayerOptions> {
                    auto options = std::make_shared<HeatOptions>();
                    if (const auto t = layer.table("heat")) {
                      static constexpr std::string_view kKeys[]{"radius_m"};
                      t->checkKeys(kKeys);
                      t->readDouble("radius_m", options->radiusM, 1.0, 1000.0);
                    }
                    return options;
                  }};
  ASSERT_TRUE(registry.registerType("heatmap", std::move(heat)).isOk());
  ASSERT_TRUE(registry.registerType("plain", stubFactory()).isOk());  // common keys only: no parser to give
  const auto parsers = registry.optionsParsers();
  ASSERT_EQ(parsers.size(), 1u);
  ConfigSchema schema;
  schema.layerTypes = parsers;
  auto config =
      parseConfig("[[layers]]\nid = \"h\"\ntype = \"heatmap\"\n[layers.heat]\nradius_m = 50\n", "t.toml", schema);
  ASSERT_TRUE(config.isOk()) << config.status().message();
  EXPECT_DOUBLE_EQ(layerOptions<HeatOptions>(config->layers.at(0)).radiusM, 50.0);
  auto typo = parseConfig("[[layers]]\nid = \"h\"\ntype = \"heatmap\"\n[layers.heat]\nradius = 50\n", "t.toml", schema);
  ASSERT_FALSE(typo.isOk());
  EXPECT_NE(typo.status().message().find("t.toml:5: unknown key 'layers[0].heat.radius' (did you mean "
                                         "'layers[0].heat.radius_m'?)"),
            std::string::npos)
      << typo.status().message();
}

TEST(LayerRegistry, TraitsAnswerWhatTypeNamesWereTestedFor) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  using Data = LayerTraits::Data;
  EXPECT_EQ(registry.traits("vector").data, Data::Features);
  EXPECT_EQ(registry.traits("buildings").entityKind, "building");
  EXPECT_TRUE(registry.traits("terrain").groundsOthers);
  EXPECT_EQ(registry.traits("terrain").data, Data::Raster);
  EXPECT_FALSE(registry.traits("vector").groundsOthers);
  EXPECT_FALSE(registry.traits("field").featuresAreEntities);
  EXPECT_EQ(registry.traits("bim").data, Data::BimModel);
  EXPECT_EQ(registry.traits("bim").kindProperty, "type");
  EXPECT_EQ(registry.traits("citygml").data, Data::CityModel);
  EXPECT_EQ(registry.traits("citygml").entityKind, "building");
  EXPECT_EQ(registry.traits("vehicles").data, Data::None);
  EXPECT_EQ(registry.traits("no-such-type").data, Data::None);  // defaults: it fails at create()
}

TEST(LayerRegistry, EntityIdFormsComeFromTheType) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  const auto forms = [&registry](const LayerConfig& layer) {
    std::vector<std::string> out;
    for (const EntityIdForm& f : registry.entityIdForms(layer)) out.push_back(f.prefix + f.rest);
    return out;
  };
  LayerConfig parks;
  parks.id = "parks";
  EXPECT_EQ(forms(parks), std::vector<std::string>{"parks/<feature id>"});
  LayerConfig ground = parks;
  ground.type = "terrain";
  EXPECT_TRUE(forms(ground).empty());
  LayerConfig city = parks;
  city.id = "city";
  city.type = "citygml";
  EXPECT_EQ(forms(city), std::vector<std::string>{"city/<feature id>"});
  LayerConfig field = parks;
  field.type = "field";
  EXPECT_TRUE(forms(field).empty());
  LayerConfig house = parks;
  house.id = "house";
  house.type = "bim";
  EXPECT_EQ(forms(house), (std::vector<std::string>{"bim/house/<GUID>", "bim/house/storey/<GUID>"}));
  LayerConfig buses = parks;
  buses.type = "vehicles";
  EXPECT_TRUE(forms(buses).empty());  // no prefix: no ids
  editLayerOptions<VehiclesOptions>(buses).prefix = "buses/";
  EXPECT_EQ(forms(buses), std::vector<std::string>{"buses/<vehicle id>"});
  LayerConfig unknown = parks;
  unknown.type = "heatmap";  // judged at load: assumed a feature layer
  EXPECT_EQ(forms(unknown), std::vector<std::string>{"parks/<feature id>"});
}

// What the layer panel asks of a type instead of its name: the "Add layer" dialog's types (vector, preselected, then
// buildings), the outline / width / size style controls (vector only), and the BIM type under core's name for it.
TEST(LayerRegistry, TraitsTellTheLayerPanelWhatToOffer) {
  LayerRegistry registry;
  EXPECT_TRUE(registry.addableTypes().empty());
  registerBuiltinLayers(registry);
  EXPECT_EQ(registry.addableTypes(), (std::vector<std::string>{"vector", "buildings", "citygml"}));
  EXPECT_TRUE(registry.traits("vector").strokeStyle);
  EXPECT_FALSE(registry.traits("buildings").strokeStyle);
  EXPECT_FALSE(registry.traits("vehicles").strokeStyle);
  EXPECT_FALSE(registry.traits("no-such-type").strokeStyle);
  // A type registered later with a higher rank is offered after them; one without a rank is not offered.
  LayerRegistry::Type tiles{stubFactory(), {}, {}};
  tiles.traits.addDialogRank = 4;
  ASSERT_TRUE(registry.registerType("tiles", std::move(tiles)).isOk());
  ASSERT_TRUE(registry.registerType("heatmap", stubFactory()).isOk());
  EXPECT_EQ(registry.addableTypes(), (std::vector<std::string>{"vector", "buildings", "citygml", "tiles"}));
  EXPECT_TRUE(registry.hasType(std::string(kBimLayerType)));
  EXPECT_EQ(registry.traits(std::string(kBimLayerType)).data, LayerTraits::Data::BimModel);
  EXPECT_TRUE(isBimLayerType("bim"));
  EXPECT_FALSE(isBimLayerType("buildings"));
}

}  // namespace
}  // namespace gt::layers
