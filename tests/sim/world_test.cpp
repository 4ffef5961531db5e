// The simulator's world (tools/sim/src/world.cpp): storeys of the config's BIM models, with the ids the twin gives
// them ("bim/<layer id>/storey/<GUID>", docs/bim.md "Storeys as entities").
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "greentwin/sim/energy_model.hpp"
#include "greentwin/sim/world.hpp"

namespace gt::sim {
namespace {

namespace fs = std::filesystem;

TEST(SimWorld, ScansTheStoreysOfAnIfcText) {
  const std::string text =
      "#1= IFCBUILDINGSTOREYTYPE('1yBEy76WYo3DwzauJBQBOE',#13,'not a storey',$);\n"
      "#596= IFCBUILDINGSTOREY('0yBEy76WYo3DwzauJBQBOE',#13,'0. Erdgeschoss',$,$,#593,$,'0. Erdgeschoss',.ELEMENT.,0.);\n"
      "#38=IFCBUILDINGSTOREY('38aOKO8_DDkBd1FHm_lVXz',#5,$,$,$,#37,$,$,.ELEMENT.,$);\n"
      "#40=IFCBUILDINGSTOREY('short',#5,$,$,$,#37,$,$,.ELEMENT.,$);\n"           // not a GlobalId: skipped
      "#41=IFCBUILDINGSTOREY('0jAI9fmuuZo5Hq4Mzn$RGN',$,'Kid''s floor',$);\n"
      "#42=IFCWALL('2XQ$n5SLP5MBLyL442paFx',#13,'IFCBUILDINGSTOREY(',$);\n"     // a mention in a name
      "#43=IFCBUILDINGSTOREY('3XQ$n5SLP5MBLyL442pa";                              // truncated
  const auto storeys = scanIfcStoreys(text);
  ASSERT_EQ(storeys.size(), 3u);
  EXPECT_EQ(storeys[0].guid, "0yBEy76WYo3DwzauJBQBOE");
  EXPECT_EQ(storeys[0].name, "0. Erdgeschoss");
  EXPECT_EQ(storeys[1].guid, "38aOKO8_DDkBd1FHm_lVXz");
  EXPECT_EQ(storeys[1].name, "");
  EXPECT_EQ(storeys[2].guid, "0jAI9fmuuZo5Hq4Mzn$RGN");
  EXPECT_EQ(storeys[2].name, "Kid's floor");
}

TEST(SimWorld, BimLayersGiveStoreyEntitiesAndAMissingModelOnlyANote) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "sim_world";
  fs::create_directories(dir);
  std::ofstream(dir / "house.ifc") << "ISO-10303-21;\nDATA;\n"
                                      "#10=IFCBUILDINGSTOREY('0yBEy76WYo3DwzauJBQBOE',#2,'EG',$);\n"
                                      "#11=IFCBUILDINGSTOREY('0jAI9fmuuZo5Hq4Mzn$RGN',#2,'OG',$);\nENDSEC;\n";
  Config config;
  config.directory = dir.string();
  LayerConfig house;
  house.id = "house";
  house.type = "bim";
  house.source = "house.ifc";
  LayerConfig missing = house;
  missing.id = "gone";
  missing.source = "gone.ifc";
  config.layers = {house, missing};
  auto loaded = loadWorld(config, {"energy"});
  ASSERT_TRUE(loaded) << loaded.status().message();
  ASSERT_EQ(loaded->world.storeys.size(), 2u);
  EXPECT_EQ(loaded->world.storeys[0].id, "bim/house/storey/0yBEy76WYo3DwzauJBQBOE");
  EXPECT_EQ(loaded->world.storeys[1].id, "bim/house/storey/0jAI9fmuuZo5Hq4Mzn$RGN");
  bool noted = false;
  for (const auto& note : loaded->notes) noted = noted || note.find("gone.ifc") != std::string::npos;
  EXPECT_TRUE(noted);
  // The storeys are an energy feed of their own, "energy.storey", with load_kw.
  auto feeds = makeFeeds(std::move(loaded->world), {"energy"}, 1);
  ASSERT_EQ(feeds.size(), 1u);
  EXPECT_EQ(feeds[0]->topic(), "energy.storey");
  ASSERT_EQ(feeds[0]->attributes().size(), 1u);
  EXPECT_EQ(feeds[0]->attributes()[0].name, "load_kw");
  const TimePoint evening = *parseIsoTime("2026-01-15T19:00:00+08:00");
  feeds[0]->prepare(evening);
  double a = 0, b = 0;
  feeds[0]->evaluate(evening, 0, std::span<double>(&a, 1));
  feeds[0]->evaluate(evening, 1, std::span<double>(&b, 1));
  EXPECT_GT(a, 0.05);
  EXPECT_LT(a, 10.0);
  EXPECT_NE(a, b);  // storeys differ
  // Without the energy domain no storeys are read.
  auto air = loadWorld(config, {"air"});
  ASSERT_TRUE(air);
  EXPECT_TRUE(air->world.storeys.empty());
}

// The grid import (energy.grid) is published for the district boundary's single feature, with the twin's id.
TEST(SimWorld, TheDistrictBoundaryIsTheGridEntity) {
  Config config;
  config.directory = std::string(GT_TEST_SOURCE_DIR) + "/assets/demo";
  LayerConfig district;
  district.id = "tongzhou-district";
  district.type = "vector";
  district.source = "tongzhou_district.geojson";
  config.layers = {district};
  auto loaded = loadWorld(config, {"energy"});
  ASSERT_TRUE(loaded) << loaded.status().message();
  EXPECT_EQ(loaded->world.gridEntity, "tongzhou-district/0");
  auto air = loadWorld(config, {"air"});
  ASSERT_TRUE(air);
  EXPECT_TRUE(air->world.gridEntity.empty());
}

// The generated demo grid at a summer evening peak (docs/simulator.md "Energy"): substations sized for their load,
// so most run below the heavy class (80 %) and none is far past its rating.
TEST(SimWorld, TheDemoSubstationsAreMostlyNormalAtASummerPeak) {
  Config config;
  config.directory = std::string(GT_TEST_SOURCE_DIR) + "/assets/demo";
  LayerConfig buildings;
  buildings.id = "city-buildings";
  buildings.type = "vector";
  buildings.source = "generated/tongzhou_city.gpkg";
  buildings.sourceLayer = "buildings";
  buildings.idAttribute = "id";
  LayerConfig substations = buildings;
  substations.id = "city-substations";
  substations.sourceLayer = "substations";
  config.layers = {buildings, substations};
  auto loaded = loadWorld(config, {"energy"});
  ASSERT_TRUE(loaded) << loaded.status().message();
  ASSERT_GE(loaded->world.substations.size(), 30u);
  EnergyModel model(std::move(loaded->world.buildings), std::move(loaded->world.substations), 1);
  const TimePoint peak = *parseIsoTime("2026-07-15T19:00:00+08:00");  // a 35 C weekday, the evening peak
  model.prepare(peak);
  std::size_t normal = 0;
  double highest = 0;
  for (std::size_t s = 0; s < model.substationCount(); ++s) {
    const double pct = model.substation(s).loadingPct;
    normal += pct < 80.0 ? 1 : 0;
    highest = std::max(highest, pct);
  }
  EXPECT_GE(normal, model.substationCount() * 9 / 10);
  EXPECT_LE(highest, 130.0);
  EXPECT_GT(highest, 40.0);  // loaded at all
  EXPECT_GT(model.totalNetMw(), 1000.0);
}

}  // namespace
}  // namespace gt::sim
