#include "greentwin/layers/layer_registry.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "greentwin/layers/vector_layer.hpp"

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

}  // namespace
}  // namespace gt::layers
