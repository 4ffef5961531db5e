#include "greentwin/runtime/layer_filters.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "greentwin/layers/building_layer.hpp"

namespace gt::runtime {
namespace {

// 16 buildings: building i is 10 + i m tall, use "office" for even i, "home" for odd; building 3 has no use.
std::shared_ptr<FeatureSet> district() {
  auto set = std::make_shared<FeatureSet>();
  for (int i = 0; i < 16; ++i) {
    Feature f;
    f.id = "b/" + std::to_string(i);
    f.entity = static_cast<EntityIndex>(100 + i);
    const double x = (i % 4) * 50.0;
    const double y = (i / 4) * 50.0;
    f.geometry.polygons.push_back(Polygon{{{{x, y, 0}, {x + 20, y, 0}, {x + 20, y + 20, 0}, {x, y + 20, 0}}}});
    f.properties["height_m"] = 10.0 + i;
    if (i != 3) f.properties["use"] = std::string(i % 2 == 0 ? "office" : "home");
    set->features.push_back(std::move(f));
  }
  return set;
}

LayerConfig buildingsConfig() {
  LayerConfig c;
  c.id = "city";
  c.type = "buildings";
  c.style.heightAttribute = "height_m";
  return c;
}

class LayerFiltersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    features_ = district();
    layer_ = std::make_unique<layers::BuildingLayer>(buildingsConfig(), features_);
    ASSERT_TRUE(layer_->open().isOk());
  }
  layers::PropertyLookup lookup() const {
    return [set = features_](std::uint32_t slot) -> const PropertyMap* {
      return slot < set->features.size() ? &set->features[slot].properties : nullptr;
    };
  }
  std::shared_ptr<FeatureSet> features_;
  std::unique_ptr<layers::BuildingLayer> layer_;
  LayerFilters filters_;
};

TEST_F(LayerFiltersTest, ShowsOnlyTheFeaturesTheConditionIsTrueFor) {
  const LayerFilterOutcome out = filters_.apply(*layer_, "use = 'office' AND height_m > 15", lookup());
  ASSERT_TRUE(std::holds_alternative<LayerFilterCount>(out));
  const auto count = std::get<LayerFilterCount>(out);
  // Even i with 10 + i > 15: 6, 8, 10, 12, 14.
  EXPECT_EQ(count.shown, 5u);
  EXPECT_EQ(count.total, 16u);
  for (std::uint32_t slot = 0; slot < 16; ++slot) {
    EXPECT_EQ(layer_->slotShown(slot), slot % 2 == 0 && slot > 5) << slot;
  }
  const LayerFilters::Active* active = filters_.active("city");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(active->text, "use = 'office' AND height_m > 15");
  EXPECT_EQ(active->count.shown, 5u);
  EXPECT_FALSE(active->canonical.empty());
}

TEST_F(LayerFiltersTest, AFeatureWithoutTheAttributeIsHiddenUnlessAskedFor) {
  auto out = filters_.apply(*layer_, "use != 'office'", lookup());
  ASSERT_TRUE(std::holds_alternative<LayerFilterCount>(out));
  EXPECT_EQ(std::get<LayerFilterCount>(out).shown, 7u);  // the odd ones but 3 (no use: unknown hides it)
  EXPECT_FALSE(layer_->slotShown(3));
  out = filters_.apply(*layer_, "use != 'office' OR use IS NULL", lookup());
  EXPECT_EQ(std::get<LayerFilterCount>(out).shown, 8u);
  EXPECT_TRUE(layer_->slotShown(3));
}

TEST_F(LayerFiltersTest, AMistakeComesBackAndTheLayerKeepsWhatItShowed) {
  ASSERT_TRUE(std::holds_alternative<LayerFilterCount>(filters_.apply(*layer_, "height_m < 12", lookup())));
  const LayerFilterOutcome out = filters_.apply(*layer_, "heigth_m > 3", lookup());
  ASSERT_TRUE(std::holds_alternative<FilterError>(out));
  const FilterError& error = std::get<FilterError>(out);
  EXPECT_EQ(error.code, ErrorCode::NotFound);
  EXPECT_NE(error.message.find("did you mean 'height_m'"), std::string::npos) << error.message;
  // Still the first filter: two buildings.
  EXPECT_EQ(layer_->hiddenSlotCount(), 14u);
  ASSERT_NE(filters_.active("city"), nullptr);
  EXPECT_EQ(filters_.active("city")->text, "height_m < 12");
}

TEST_F(LayerFiltersTest, EmptyTextShowsEverythingAgain) {
  ASSERT_TRUE(std::holds_alternative<LayerFilterCount>(filters_.apply(*layer_, "height_m < 12", lookup())));
  const LayerFilterOutcome out = filters_.apply(*layer_, "   ", lookup());
  ASSERT_TRUE(std::holds_alternative<LayerFilterCount>(out));
  EXPECT_EQ(std::get<LayerFilterCount>(out).shown, 16u);
  EXPECT_FALSE(layer_->hidesSlots());
  EXPECT_EQ(filters_.active("city"), nullptr);
}

TEST_F(LayerFiltersTest, TheSchemaListsTheLayersAttributes) {
  const AttributeSchema& schema = filters_.schema(*layer_, lookup());
  EXPECT_EQ(schema.featureCount(), 16u);
  ASSERT_NE(schema.find("height_m"), nullptr);
  EXPECT_EQ(schema.find("height_m")->numbers, 16u);
  ASSERT_NE(schema.find("use"), nullptr);
  EXPECT_EQ(schema.find("use")->texts, 15u);
}

// A layer that draws its features as one thing: it cannot hide single ones.
class WholeLayer final : public layers::Layer {
 public:
  WholeLayer() : Layer(config()) {}
  static LayerConfig config() {
    LayerConfig c;
    c.id = "whole";
    return c;
  }

 protected:
  Status openImpl() override {
    assignEntities({1, 2, 3});
    return Status::ok();
  }
};

TEST_F(LayerFiltersTest, ALayerThatCannotHideFeaturesSaysSo) {
  WholeLayer whole;
  ASSERT_TRUE(whole.open().isOk());
  const PropertyMap one{{"x", std::int64_t{1}}};
  const auto lookupOne = [&one](std::uint32_t) -> const PropertyMap* { return &one; };
  // A filter that hides nothing asks nothing of the layer.
  EXPECT_TRUE(std::holds_alternative<LayerFilterCount>(filters_.apply(whole, "x = 1", lookupOne)));
  const LayerFilterOutcome out = filters_.apply(whole, "x > 1", lookupOne);
  ASSERT_TRUE(std::holds_alternative<Status>(out));
  EXPECT_EQ(std::get<Status>(out).code(), ErrorCode::Unsupported);
  EXPECT_NE(std::get<Status>(out).message().find("cannot hide single features"), std::string::npos);
  // The filter before it stays in force.
  ASSERT_NE(filters_.active("whole"), nullptr);
  EXPECT_EQ(filters_.active("whole")->text, "x = 1");
  EXPECT_FALSE(whole.hidesSlots());
}

TEST_F(LayerFiltersTest, ALayerStillLoadingIsRefused) {
  layers::BuildingLayer loading(buildingsConfig(), features_);
  const LayerFilterOutcome out = filters_.apply(loading, "height_m > 1", lookup());
  ASSERT_TRUE(std::holds_alternative<Status>(out));
  EXPECT_NE(std::get<Status>(out).message().find("not loaded"), std::string::npos);
}

}  // namespace
}  // namespace gt::runtime
