#include "greentwin/viewer/twin.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "greentwin/viewer/app.hpp"

namespace gt::viewer {
namespace {

Config demoConfig() {
  auto config = loadConfigFile(demoConfigPath());
  EXPECT_TRUE(config) << config.status().message();
  return *config;
}

TEST(Twin, LoadsTheDemoLayersAndRegistersEntities) {
  auto twin = Twin::create(demoConfig());
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
  Config config = demoConfig();
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
  auto twin = Twin::create(demoConfig());
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
  Config config = demoConfig();
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

}  // namespace
}  // namespace gt::viewer
