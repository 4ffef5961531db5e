#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/layer_loader.hpp"

#include <gtest/gtest.h>
#include <osg/Geode>
#include <osg/Geometry>

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

#include <chrono>
#include <array>
#include <cmath>
#include <fstream>
#include <functional>
#include <thread>

#include "../support/citygml_sample.hpp"
#include "../support/test_folder.hpp"
#include "greentwin/layers/building_layer.hpp"
#include "greentwin/layers/terrain_layer.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"

namespace gt::runtime {
namespace {

osg::ref_ptr<osg::Geode> geodeWithVertices(unsigned count) {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  g->setVertexArray(new osg::Vec3Array(count));
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->addDrawable(g.get());
  return geode;
}

TEST(MergeQueue, AttachesStagedNodesWithinTheVertexBudget) {
  osg::ref_ptr<osg::Group> root = new osg::Group;
  osg::ref_ptr<osg::Group> content = new osg::Group;
  root->addChild(content.get());
  for (int i = 0; i < 10; ++i) content->addChild(geodeWithVertices(100).get());
  MergeQueue queue;
  queue.stage(root.get());
  EXPECT_EQ(content->getNumChildren(), 0u);  // detached until merged
  EXPECT_EQ(queue.pendingCount(), 10u);
  queue.mergeStep(350);  // three 100-vertex nodes fit
  EXPECT_EQ(content->getNumChildren(), 3u);
  queue.mergeStep(50);  // less than one node: still one, so a merge always progresses
  EXPECT_EQ(content->getNumChildren(), 4u);
  queue.mergeStep(1'000'000);
  EXPECT_EQ(content->getNumChildren(), 10u);
  EXPECT_TRUE(queue.empty());
}

TEST(LayerLoader, LoadsInSubmissionOrderOnItsWorker) {
  auto frame = GeoFrame::create(116.72, 39.86);
  ASSERT_TRUE(frame);
  layers::LayerRegistry registry;
  layers::registerBuiltinLayers(registry);
  LayerLoader loader(*frame, registry);
  LayerConfig district;
  district.id = "district";
  district.source = assetsDirectory() + "/demo/tongzhou_district.geojson";
  LayerConfig missing;
  missing.id = "missing";
  missing.source = "/nonexistent/file.gpkg";
  loader.submit(district);
  loader.submit(missing);
  EXPECT_FALSE(loader.idle());
  std::vector<LoadedLayer> done;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (done.size() < 2 && std::chrono::steady_clock::now() < deadline) {
    for (auto& l : loader.takeFinished()) done.push_back(std::move(l));
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].config.id, "district");
  EXPECT_TRUE(done[0].layer->status().isOk());
  ASSERT_NE(done[0].features, nullptr);
  EXPECT_EQ(done[0].features->features.size(), 1u);
  // Not yet registered: entities are assigned on the update thread.
  EXPECT_EQ(done[0].layer->entityOfSlot(0), kInvalidEntity);
  EXPECT_EQ(done[1].config.id, "missing");
  EXPECT_EQ(done[1].layer->state(), layers::LayerState::Error);
  EXPECT_NE(done[1].layer->status().message().find("/nonexistent/file.gpkg"), std::string::npos);
  EXPECT_TRUE(loader.idle());
}

TEST(LayerLoader, DestroyingItMidLoadStopsTheWorker) {
  auto frame = GeoFrame::create(116.72, 39.86);
  ASSERT_TRUE(frame);
  layers::LayerRegistry registry;
  layers::registerBuiltinLayers(registry);
  const auto start = std::chrono::steady_clock::now();
  {
    LayerLoader loader(*frame, registry);
    LayerConfig city;
    city.id = "city";
    city.type = "buildings";
    city.source = assetsDirectory() + "/demo/generated/tongzhou_city.gpkg";
    city.sourceLayer = "buildings";
    loader.submit(city);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the read start
  }  // the destructor cancels the read and joins
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 5.0) << "the worker did not stop promptly";
}

// End to end, through a config file into a twin: a terrain with draped GeoTIFF imagery, the CityGML test city on it,
// and layers whose files are damaged, each an error of its own while the rest load.
// A GeoTIFF in EPSG:4548 over x 476000..476400, y 4414000..4414400 (10 m cells), `bands` bytes or floats per cell.
void writeSceneTiff(const std::string& path, int bands, GDALDataType type, const std::function<double(int, int, int)>& value) {
  GDALAllRegister();
  GDALDataset* ds = GetGDALDriverManager()->GetDriverByName("GTiff")->Create(path.c_str(), 40, 40, bands, type, nullptr);
  ASSERT_NE(ds, nullptr);
  double transform[6] = {476000.0, 10.0, 0.0, 4414400.0, 0.0, -10.0};
  ds->SetGeoTransform(transform);
  OGRSpatialReference srs;
  srs.SetFromUserInput("EPSG:4548");
  ds->SetSpatialRef(&srs);
  std::vector<double> row(40);
  for (int b = 1; b <= bands; ++b) {
    for (int r = 0; r < 40; ++r) {
      for (int c = 0; c < 40; ++c) row[static_cast<std::size_t>(c)] = value(b, c, r);
      ASSERT_EQ(ds->GetRasterBand(b)->RasterIO(GF_Write, 0, r, 40, 1, row.data(), 40, 1, GDT_Float64, 0, 0, nullptr),
                CE_None);
    }
  }
  GDALClose(ds);
}

class CityOnTerrain : public ::testing::Test {
 protected:
  void SetUp() override {
    writeSceneTiff(folder_.file("dem.tif"), 1, GDT_Float32, [](int, int, int) { return 50.0; });
    // West half red, east half blue (the boundary at x = 476200).
    writeSceneTiff(folder_.file("imagery.tif"), 3, GDT_Byte,
                   [](int b, int c, int) { return c < 20 ? (b == 1 ? 230 : 10) : (b == 3 ? 230 : 10); });
    gt::testing::writeTextFile(folder_.file("city.gml"), gt::testing::cityGmlSample());
    const std::string whole = gt::testing::cityGmlSample();
    gt::testing::writeTextFile(folder_.file("broken.gml"), whole.substr(0, whole.size() / 3));
    std::ofstream(folder_.file("corrupt.tif")) << "not a tiff";
  }

  std::unique_ptr<Twin> twinFrom(const std::string& imagery) {
    std::ofstream(folder_.file("twin.toml")) << R"([scene]
origin_lon = 116.72
origin_lat = 39.86

[[layers]]
id = "ground"
type = "terrain"
source = "dem.tif"
imagery = ")" << imagery << R"("

[[layers]]
id = "city"
type = "citygml"
source = "city.gml"
[layers.style]
color_mode = "categorical"
color_by = "use"
categories = { library = "#ff0000", office = "#0000ff" }

[[layers]]
id = "broken-city"
type = "citygml"
source = "broken.gml"
)";
    auto config = loadConfig(folder_.file("twin.toml"));
    EXPECT_TRUE(config) << config.status().message();
    if (!config) return nullptr;
    auto twin = Twin::create(*config);
    EXPECT_TRUE(twin) << twin.status().message();
    if (!twin) return nullptr;
    EXPECT_TRUE((*twin)->waitUntilLoaded(std::chrono::seconds(60)).isOk());
    return std::move(*twin);
  }

  gt::testing::TestFolder folder_{"layer_loader_city"};
};

TEST_F(CityOnTerrain, CityGmlBuildingsAreEntitiesStandingOnTheDrapedTerrain) {
  auto twin = twinFrom("imagery.tif");
  ASSERT_NE(twin, nullptr);
  // The CityGML layer: entities with their attributes, drawn by the batched building layer on the terrain (50 m).
  auto* city = dynamic_cast<layers::BuildingLayer*>(twin->findLayer("city"));
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(city->status().isOk()) << city->status().message();
  EXPECT_EQ(city->slotCount(), 5u);
  EXPECT_EQ(city->batchCount(), 1u);
  const auto library = twin->entities().find("city/L1");
  ASSERT_TRUE(library.has_value());
  const Entity* e = twin->entities().get(*library);
  EXPECT_EQ(e->kind, "building");
  EXPECT_EQ(formatPropertyValue(e->properties.at("name")), "Tongzhou Library");
  EXPECT_EQ(twin->layerOfEntity(*library), city);
  const auto slot = city->slotOfEntity(*library);
  ASSERT_TRUE(slot.has_value());
  EXPECT_FLOAT_EQ(city->baseOfSlot(*slot), 50.0f);
  EXPECT_FLOAT_EQ(city->heightOfSlot(*slot), 12.0f);
  EXPECT_EQ(city->slotValue(*slot), 0.0f);  // "library": the first category
  EXPECT_TRUE(twin->entities().find("city/P4b").has_value());

  // The damaged file is its layer's error, naming the file and the reason; the twin runs on.
  const layers::Layer* broken = twin->findLayer("broken-city");
  ASSERT_NE(broken, nullptr);
  EXPECT_EQ(broken->state(), layers::LayerState::Error);
  EXPECT_NE(broken->status().message().find("broken.gml"), std::string::npos) << broken->status().message();
  EXPECT_NE(broken->status().message().find("not well-formed XML"), std::string::npos) << broken->status().message();

  // The terrain drapes the GeoTIFF: red west of x = 476200, blue east of it.
  auto* ground = dynamic_cast<layers::TerrainLayer*>(twin->findLayer("ground"));
  ASSERT_NE(ground, nullptr);
  ASSERT_TRUE(ground->status().isOk()) << ground->status().message();
  const auto texture = ground->texture();
  ASSERT_NE(texture, nullptr);
  const Vec3d origin = twin->geoFrame().originProjected();
  const auto colourAt = [&](double x, double y) {
    const int c = static_cast<int>(std::lround((x - origin.x - texture->x0) / texture->dx));
    const int r = static_cast<int>(std::lround((y - origin.y - texture->y0) / texture->dy));
    EXPECT_TRUE(c >= 0 && c < texture->width && r >= 0 && r < texture->height) << x << ", " << y;
    const std::uint8_t* p = texture->pixel(c, r);
    return std::array<int, 4>{p[0], p[1], p[2], p[3]};
  };
  EXPECT_EQ(colourAt(476105.0, 4414200.0), (std::array<int, 4>{230, 10, 10, 255}));
  EXPECT_EQ(colourAt(476305.0, 4414200.0), (std::array<int, 4>{10, 10, 230, 255}));
  EXPECT_TRUE(ground->warnings().empty());
}

// What the window's "Add layer" dialog does with a CityGML file (draw as "citygml"): the buildings load on the
// terrain as the configured layer's do.
TEST_F(CityOnTerrain, ACityGmlFileAddedAtRunTimeStandsOnTheTerrainAsAConfiguredOne) {
  auto twin = twinFrom("imagery.tif");
  ASSERT_NE(twin, nullptr);
  LayerConfig added;
  added.id = "added-city";
  added.type = "citygml";
  added.source = folder_.file("city.gml");
  ASSERT_TRUE(twin->addLayer(added).isOk());
  ASSERT_TRUE(twin->waitUntilLoaded(std::chrono::seconds(60)).isOk());
  auto* city = dynamic_cast<layers::BuildingLayer*>(twin->findLayer("added-city"));
  ASSERT_NE(city, nullptr);
  ASSERT_TRUE(city->status().isOk()) << city->status().message();
  EXPECT_EQ(city->slotCount(), 5u);
  const auto library = twin->entities().find("added-city/L1");
  ASSERT_TRUE(library.has_value());
  const auto slot = city->slotOfEntity(*library);
  ASSERT_TRUE(slot.has_value());
  EXPECT_FLOAT_EQ(city->baseOfSlot(*slot), 50.0f);
  EXPECT_FLOAT_EQ(city->heightOfSlot(*slot), 12.0f);
  ASSERT_EQ(twin->addedLayers().size(), 1u);
  EXPECT_EQ(twin->addedLayers().front().type, "citygml");
}

TEST_F(CityOnTerrain, AMissingOrCorruptImageryFileLeavesTheHillshadeAndAWarning) {
  for (const char* imagery : {"no-such-imagery.tif", "corrupt.tif"}) {
    auto twin = twinFrom(imagery);
    ASSERT_NE(twin, nullptr);
    auto* ground = dynamic_cast<layers::TerrainLayer*>(twin->findLayer("ground"));
    ASSERT_NE(ground, nullptr);
    EXPECT_TRUE(ground->status().isOk()) << ground->status().message();
    ASSERT_NE(ground->texture(), nullptr);  // the tinted hillshade
    ASSERT_EQ(ground->warnings().size(), 1u) << imagery;
    EXPECT_NE(ground->warnings().front().find("hillshade used"), std::string::npos) << ground->warnings().front();
    EXPECT_NE(ground->warnings().front().find(imagery), std::string::npos) << ground->warnings().front();
    EXPECT_TRUE(twin->findLayer("city")->status().isOk());
  }
}

}  // namespace
}  // namespace gt::runtime
