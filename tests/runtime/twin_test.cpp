#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "greentwin/viewer/app.hpp"

namespace gt::runtime {
namespace {

Config demoConfig() {
  auto config = loadConfig(demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  return *config;
}

// The demo's real layers only (municipality, district, rivers): fast, and stable when the city changes.
Config realLayersConfig() {
  Config config = demoConfig();
  std::erase_if(config.layers, [](const LayerConfig& l) { return l.synthetic; });
  return config;
}

TEST(Twin, LoadsTheDemoLayersAndRegistersEntities) {
  auto twin = Twin::create(realLayersConfig());
  ASSERT_TRUE(twin) << twin.status().message();
  ASSERT_EQ((*twin)->layers().size(), 3u);
  for (const auto& layer : (*twin)->layers()) EXPECT_TRUE(layer->status().isOk()) << layer->status().message();
  auto district = (*twin)->entities().find("tongzhou-district/0");
  ASSERT_TRUE(district.has_value());
  const Entity* e = (*twin)->entities().get(*district);
  EXPECT_EQ(e->kind, "district");
  EXPECT_EQ(formatPropertyValue(e->properties.at("name")), "通州区");
  EXPECT_EQ((*twin)->layerOfEntity(*district)->id(), "tongzhou-district");
  EXPECT_TRUE((*twin)->bounds().valid());
}

TEST(Twin, ABrokenLayerIsReportedAndTheRestLoads) {
  Config config = realLayersConfig();
  const auto dir = std::filesystem::path(GT_TEST_BINARY_DIR) / "twin_test";
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "corrupt.geojson") << "{ \"type\": \"FeatureCollection\", \"features\": [ { broken";
  LayerConfig missing;
  missing.id = "missing";
  missing.source = (dir / "does-not-exist.gpkg").string();
  LayerConfig corrupt;
  corrupt.id = "corrupt";
  corrupt.source = (dir / "corrupt.geojson").string();
  LayerConfig unknownType;
  unknownType.id = "strange";
  unknownType.type = "hologram";
  config.layers.push_back(missing);
  config.layers.push_back(corrupt);
  config.layers.push_back(unknownType);
  auto twin = Twin::create(config);
  ASSERT_TRUE(twin) << twin.status().message();
  ASSERT_EQ((*twin)->layers().size(), 6u);
  EXPECT_TRUE((*twin)->findLayer("tongzhou-district")->status().isOk());
  const layers::Layer* m = (*twin)->findLayer("missing");
  EXPECT_EQ(m->state(), layers::LayerState::Error);
  EXPECT_NE(m->status().message().find("does not exist"), std::string::npos) << m->status().message();
  const layers::Layer* c = (*twin)->findLayer("corrupt");
  EXPECT_EQ(c->state(), layers::LayerState::Error);
  EXPECT_NE(c->status().message().find("corrupt.geojson"), std::string::npos) << c->status().message();
  const layers::Layer* s = (*twin)->findLayer("strange");
  EXPECT_EQ(s->state(), layers::LayerState::Error);
  EXPECT_NE(s->status().message().find("hologram"), std::string::npos) << s->status().message();
}

TEST(Twin, MoveLayerReordersAndReappliesOrder) {
  auto twin = Twin::create(realLayersConfig());
  ASSERT_TRUE(twin);
  Twin& t = **twin;
  EXPECT_EQ(t.layers()[0]->id(), "beijing-municipality");
  t.moveLayer(0, +2);
  EXPECT_EQ(t.layers()[2]->id(), "beijing-municipality");
  EXPECT_EQ(t.layers()[2]->order(), 2);
  EXPECT_EQ(t.layers()[0]->order(), 0);
  t.moveLayer(2, +5);  // clamped at the top
  EXPECT_EQ(t.layers()[2]->id(), "beijing-municipality");
}

TEST(Twin, ClockComesFromTheConfig) {
  Config config = realLayersConfig();
  config.clock.mode = "paused";
  config.clock.start = 1'700'000'000'000'000;
  config.clock.end = 1'700'086'400'000'000;
  TimePoint wall = 1'800'000'000'000'000;
  auto twin = Twin::create(config, [&wall] { return wall; });
  ASSERT_TRUE(twin);
  EXPECT_EQ((*twin)->clock().mode(), ClockMode::Paused);
  EXPECT_EQ((*twin)->clock().now(), *config.clock.end);
  EXPECT_EQ((*twin)->clock().range().begin, *config.clock.start);
}

TEST(Twin, TheFullDemoCityLoadsWithBuildingsTerrainAndLabels) {
  auto twin = Twin::create(demoConfig());
  ASSERT_TRUE(twin) << twin.status().message();
  for (const auto& layer : (*twin)->layers()) EXPECT_TRUE(layer->status().isOk()) << layer->id() << ": " << layer->status().message();
  // Terrain loads first whatever its place in the file, so everything after it is clamped to it.
  ASSERT_NE((*twin)->ground(), nullptr);
  const layers::Layer* buildings = (*twin)->findLayer("city-buildings");
  ASSERT_NE(buildings, nullptr);
  EXPECT_GE(buildings->slotCount(), 50000u);
  const EntityIndex first = buildings->entityOfSlot(0);
  ASSERT_NE(first, kInvalidEntity);
  EXPECT_EQ((*twin)->entities().get(first)->kind, "building");
  EXPECT_EQ((*twin)->layerOfEntity(first), buildings);
  // Properties moved into the entity store, not lost.
  EXPECT_TRUE((*twin)->entities().get(first)->properties.count("height_m"));
  // Labelled layers (green spaces, air-quality stations) have label anchors; the buildings have none.
  bool stations = false;
  for (const LabelSet& set : (*twin)->labelSets()) {
    EXPECT_NE(set.layerId, "city-buildings");
    if (set.layerId == "city-aq-stations") stations = set.anchors.size() == 12;
  }
  EXPECT_TRUE(stations);
}

TEST(Twin, BackgroundLoadingShowsPlaceholdersThenLayers) {
  auto twin = Twin::create(realLayersConfig(), {}, LoadMode::Background);
  ASSERT_TRUE(twin);
  ASSERT_EQ((*twin)->layers().size(), 3u);
  EXPECT_TRUE((*twin)->loading());
  // Until update() integrates them, the layers are placeholders (Created) with no entities.
  EXPECT_EQ((*twin)->layers()[0]->state(), layers::LayerState::Created);
  EXPECT_EQ((*twin)->entities().size(), 0u);
  ASSERT_TRUE((*twin)->waitUntilLoaded(std::chrono::seconds(60)).isOk());
  EXPECT_FALSE((*twin)->loading());
  for (const auto& layer : (*twin)->layers()) EXPECT_EQ(layer->state(), layers::LayerState::Open);
  EXPECT_GT((*twin)->entities().size(), 0u);
}

TEST(Twin, AddLayerAtRunTime) {
  auto twin = Twin::create(realLayersConfig());
  ASSERT_TRUE(twin);
  LayerConfig extra;
  extra.id = "district-again";
  extra.source = "tongzhou_district.geojson";  // relative: resolved against the config's folder
  ASSERT_TRUE((*twin)->addLayer(extra).isOk());
  EXPECT_EQ((*twin)->findLayer("district-again")->state(), layers::LayerState::Created);
  ASSERT_TRUE((*twin)->waitUntilLoaded(std::chrono::seconds(60)).isOk());
  EXPECT_EQ((*twin)->findLayer("district-again")->state(), layers::LayerState::Open);
  EXPECT_TRUE((*twin)->entities().find("district-again/0").has_value());
  // Ids stay unique; a source is required.
  EXPECT_EQ((*twin)->addLayer(extra).code(), ErrorCode::InvalidArgument);
  LayerConfig noSource;
  noSource.id = "empty";
  EXPECT_EQ((*twin)->addLayer(noSource).code(), ErrorCode::InvalidArgument);
}

TEST(Twin, RestyleLayerUsesTheEntityStoreForProperties) {
  Config config = realLayersConfig();
  auto twin = Twin::create(config);
  ASSERT_TRUE(twin);
  LayerStyleConfig style = (*twin)->findLayer("tongzhou-district")->config().style;
  style.colorMode = "categorical";
  style.colorBy = "name";
  style.categories = {{"通州区", "#ff0000"}};
  EXPECT_TRUE((*twin)->restyleLayer("tongzhou-district", style).isOk());
  EXPECT_EQ((*twin)->findLayer("tongzhou-district")->legend().front().labelZh, "通州区");
  EXPECT_EQ((*twin)->restyleLayer("nope", style).code(), ErrorCode::NotFound);
}

}  // namespace
}  // namespace gt::runtime
