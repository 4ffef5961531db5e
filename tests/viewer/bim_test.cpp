// BIM models in the twin (issue 5): a real IFC file goes through the importer process (greentwin-bim-import) into
// a "bim" layer; its tree, entities, picking, level of detail against its building's box, a failed import, the
// import cache, and a golden render of the FZK-Haus in the demo city.
#include <unistd.h>

#include <gtest/gtest.h>

#include <cmath>

#include <filesystem>
#include <fstream>
#include <numbers>
#include <map>
#include <set>
#include <stdlib.h>

#include "golden_image.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/connectors/bim_import.hpp"
#include "greentwin/layers/bim_layer.hpp"
#include "greentwin/layers/building_layer.hpp"
#include "greentwin/viewer/app.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

const char* kFzkHaus = "/usr/share/assimp/models/IFC/AC14-FZK-Haus.ifc";

// The importer built with this tree, and a cache folder of this process (ctest runs the cases in parallel
// processes), empty at the start so the first load really imports, and removed at exit.
const fs::path kCache = fs::path(GT_TEST_BINARY_DIR) / "bim_test" / ("cache-" + std::to_string(::getpid()));
const bool kEnvironment = [] {
  setenv("GREENTWIN_BIM_IMPORTER", GT_BIM_IMPORTER_EXE, 0);
  fs::remove_all(kCache);
  setenv("GREENTWIN_BIM_CACHE", kCache.c_str(), 1);
  std::atexit([] {
    std::error_code ec;
    fs::remove_all(kCache, ec);
  });
  return true;
}();
constexpr double kHouseX = 200.0, kHouseY = 100.0;  // centre of the test footprint (scene local)

fs::path testDir() {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "bim_test" / ("run-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// The FZK-Haus model frame's bounds centre (x, y): an anchor puts the model frame origin, so a test that wants
// the house centred on a footprint places the origin at footprint centre - R * model centre.
const bim::BimModel& fzkModel() {
  static const bim::BimModel model = [] {
    bim::BimImportOptions options;
    options.outputDir = testDir() / "probe";
    auto imported = bim::importModelInProcess(kFzkHaus, options);
    EXPECT_TRUE(imported) << imported.status().message();
    return imported ? imported->model : bim::BimModel{};
  }();
  return model;
}

layers::BimOptions anchoredOn(double x, double y, double rotationDeg) {
  const bim::BimModel& m = fzkModel();
  const double cx = (m.boundsMin.x + m.boundsMax.x) / 2, cy = (m.boundsMin.y + m.boundsMax.y) / 2;
  const double a = rotationDeg * std::numbers::pi / 180.0;
  layers::BimOptions b;
  // z = 0: the IFC ground level on the ground
  b.anchor = BimAnchor::inScene(x - (std::cos(a) * cx - std::sin(a) * cy), y - (std::sin(a) * cx + std::cos(a) * cy),
                                0.0, rotationDeg, 1.0);
  b.lodDistanceM = 300.0;
  return b;
}

// Three magenta footprints (lon/lat GeoJSON written through the scene's geo frame); the first is under the house.
std::string writeFootprints(const GeoFrame& frame) {
  const fs::path file = testDir() / "footprints.geojson";
  std::ofstream out(file);
  out << R"({"type":"FeatureCollection","features":[)";
  const double centres[3][2] = {{kHouseX, kHouseY}, {kHouseX + 60, kHouseY}, {kHouseX, kHouseY + 60}};
  for (int i = 0; i < 3; ++i) {
    out << (i ? "," : "") << R"({"type":"Feature","properties":{"id":"bldg/)" << i
        << R"(","height_m":9},"geometry":{"type":"Polygon","coordinates":[[)";
    const double corners[5][2] = {{-9, -8}, {9, -8}, {9, 8}, {-9, 8}, {-9, -8}};
    for (int k = 0; k < 5; ++k) {
      auto ll = frame.localToLonLat({centres[i][0] + corners[k][0], centres[i][1] + corners[k][1], 0});
      EXPECT_TRUE(ll);
      out.precision(12);
      out << (k ? "," : "") << "[" << ll->x << "," << ll->y << "]";
    }
    out << "]]}}";
  }
  out << "]}";
  return file.string();
}

CameraPose poseAt(const GeoFrame& frame, double x, double y, double range, double pitch) {
  CameraPose pose;
  auto ll = frame.localToLonLat({x, y, 0});
  EXPECT_TRUE(ll);
  pose.centerLon = ll->x;
  pose.centerLat = ll->y;
  pose.centerHeight = 3.0;
  pose.headingDeg = 30.0;
  pose.pitchDeg = pitch;
  pose.rangeM = range;
  return pose;
}

// A small twin: the test footprints and the FZK-Haus placed on the first one.
Config houseConfig() {
  Config config;
  auto frame = GeoFrame::create(config.scene.originLon, config.scene.originLat, config.scene.crs);
  EXPECT_TRUE(frame);
  LayerConfig buildings;
  buildings.id = "test-buildings";
  buildings.type = "buildings";
  buildings.source = writeFootprints(*frame);
  buildings.idAttribute = "id";
  buildings.style.fillColor = "#ff00ff";
  buildings.style.heightAttribute = "height_m";
  config.layers.push_back(buildings);
  LayerConfig house;
  house.id = "fzk-haus";
  house.type = "bim";
  house.source = kFzkHaus;
  house.nameEn = "FZK-Haus";
  house.typeOptions = std::make_shared<layers::BimOptions>(anchoredOn(kHouseX, kHouseY, 0.0));
  config.layers.push_back(house);
  config.bookmarks.push_back({"near", "near", "", poseAt(*frame, kHouseX, kHouseY, 45.0, -30.0)});
  config.bookmarks.push_back({"far", "far", "", poseAt(*frame, kHouseX, kHouseY, 600.0, -50.0)});
  config.clock.mode = "paused";
  return config;
}

std::unique_ptr<runtime::Twin> makeTwin(Config config) {
  auto twin = runtime::Twin::create(std::move(config));
  EXPECT_TRUE(twin) << twin.status().message();
  return twin ? std::move(*twin) : nullptr;
}

class BimTwin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { twin_ = makeTwin(houseConfig()).release(); }
  static void TearDownTestSuite() {
    delete twin_;
    twin_ = nullptr;
  }
  static layers::BimLayer* bim() { return dynamic_cast<layers::BimLayer*>(twin_->findLayer("fzk-haus")); }
  static layers::BuildingLayer* buildings() {
    return dynamic_cast<layers::BuildingLayer*>(twin_->findLayer("test-buildings"));
  }
  static runtime::Twin* twin_;
};
runtime::Twin* BimTwin::twin_ = nullptr;

TEST_F(BimTwin, TreeStoreysAndElementCountsEqualTheSidecars) {
  ASSERT_NE(twin_, nullptr);
  layers::BimLayer* layer = bim();
  ASSERT_NE(layer, nullptr);
  ASSERT_TRUE(layer->status().isOk()) << layer->status().message();
  const bim::BimModel& model = fzkModel();
  ASSERT_FALSE(model.elements.empty());
  EXPECT_EQ(layer->slotCount(), model.elements.size());
  const auto storeys = model.storeys();
  ASSERT_EQ(layer->storeys().size(), storeys.size());
  ASSERT_GE(storeys.size(), 2u);  // FZK-Haus: Erdgeschoss and Dachgeschoss
  for (std::size_t k = 0; k < storeys.size(); ++k) {
    const bim::BimSpatialNode& expected = model.spatialNodes[storeys[k]];
    EXPECT_EQ(layer->storeys()[k].name, expected.name);
    EXPECT_EQ(layer->scene().tree[layer->storeys()[k].treeNode].elements.size(), expected.elements.size());
    EXPECT_TRUE(layer->storeys()[k].transform.valid()) << expected.name;
  }
  // Type counts of the panel against the sidecar's elements.
  std::map<std::string, std::size_t> expectedTypes;
  for (const auto& e : model.elements) ++expectedTypes[e.ifcType];
  const auto counts = layer->typeCounts();
  const std::map<std::string, std::size_t> panelTypes(counts.begin(), counts.end());
  EXPECT_EQ(panelTypes, expectedTypes);
  // Every element is an entity: id bim/<layer>/<GUID>, kind = its IFC type, its sidecar properties.
  for (std::uint32_t s = 0; s < layer->slotCount(); ++s) {
    const bim::BimElement& e = model.elements[s];
    const auto entity = twin_->entities().find("bim/fzk-haus/" + e.guid);
    ASSERT_TRUE(entity) << e.guid;
    EXPECT_EQ(layer->entityOfSlot(s), *entity);
    const Entity* ent = twin_->entities().get(*entity);
    EXPECT_EQ(ent->kind, e.ifcType);
    EXPECT_EQ(layers::textOf(ent->properties, "guid"), e.guid);
    EXPECT_EQ(twin_->layerOfEntity(*entity), layer);
  }
}

TEST_F(BimTwin, PickingAWallThroughARenderedCameraGivesItsGuidAndProperties) {
  RenderRequest request;
  request.width = 480;
  request.height = 270;
  request.drawUi = false;
  request.bookmark = "near";
  std::vector<std::pair<float, float>> points;
  for (int y = 10; y < 270; y += 12) {
    for (int x = 10; x < 480; x += 12) points.emplace_back(static_cast<float>(x), static_cast<float>(y));
  }
  auto picks = pickOffscreen(*twin_, request, points);
  ASSERT_TRUE(picks) << picks.status().message();
  std::set<EntityIndex> walls;
  std::size_t boxHits = 0;
  const auto replaced = twin_->bimReplacedBuilding("fzk-haus");
  ASSERT_TRUE(replaced);
  for (const auto& p : *picks) {
    if (!p) continue;
    const Entity* e = twin_->entities().get(*p);
    if (e->kind.rfind("IFCWALL", 0) == 0) walls.insert(*p);
    if (*p == *replaced) ++boxHits;
  }
  ASSERT_FALSE(walls.empty()) << "no wall picked from the near view";
  // The box the model replaces is hidden from here, so no pick lands on it.
  EXPECT_EQ(boxHits, 0u);
  const Entity* wall = twin_->entities().get(*walls.begin());
  const auto guid = layers::textOf(wall->properties, "guid");
  ASSERT_TRUE(guid);
  EXPECT_EQ(wall->id, "bim/fzk-haus/" + *guid);
  const bim::BimElement* expected = fzkModel().findElement(*guid);
  ASSERT_NE(expected, nullptr);
  EXPECT_EQ(layers::textOf(wall->properties, "name"), expected->name);
  EXPECT_EQ(layers::textOf(wall->properties, "storey").has_value(), !expected->storeyGuid.empty());
  // Property sets are flattened into "<set>.<property>".
  for (const auto& set : expected->propertySets) {
    for (const auto& v : set.values) EXPECT_TRUE(wall->properties.contains(set.name + "." + v.name)) << set.name << "." << v.name;
  }
  if (expected->carbon.status == bim::CarbonStatus::Ok) {
    EXPECT_NEAR(*layers::numberOf(wall->properties, "carbon_kgco2e"), expected->carbon.kgCo2e, 1e-6);
  }
}

const unsigned char* pixel(const osg::Image& image, int x, int yFromTop) {
  return image.data(static_cast<unsigned>(x), static_cast<unsigned>(image.t() - 1 - yFromTop));
}

bool magentaish(const unsigned char* p) { return p[0] > p[1] + 40 && p[2] > p[1] + 40; }

TEST_F(BimTwin, TheBuildingBoxIsHiddenNearAndDrawnFar) {
  layers::BuildingLayer* city = buildings();
  ASSERT_NE(city, nullptr);
  const auto replaced = twin_->bimReplacedBuilding("fzk-haus");
  ASSERT_TRUE(replaced) << "the footprint under the model was not found";
  EXPECT_EQ(twin_->entities().get(*replaced)->id, "test-buildings/bldg/0");
  const std::uint32_t slot = *city->slotOfEntity(*replaced);
  EXPECT_EQ(city->replacedCount(), 1u);

  RenderRequest request;
  request.width = 320;
  request.height = 180;
  request.drawUi = false;
  // Near, without the model: the box is not drawn either (the centre shows no magenta).
  bim()->setVisible(false);
  request.bookmark = "near";
  auto near = renderOffscreen(*twin_, request);
  ASSERT_TRUE(near) << near.status().message();
  EXPECT_TRUE(city->slotHiddenFrom(slot, city->lastEye()));
  // The same view with the replacement removed: the magenta box stands in the centre.
  const Vec3d centre = bim()->lodCenter();
  city->setReplaced(slot, centre, 0.0);
  auto boxed = renderOffscreen(*twin_, request);
  ASSERT_TRUE(boxed);
  EXPECT_TRUE(magentaish(pixel(**boxed, 160, 90)));
  // Replaced, the box is only its footprint on the ground: far fewer magenta pixels in the middle of the view (the
  // other boxes, 60 m away, are outside this window), and none where the box's upper walls and roof were.
  const auto magentaIn = [](const osg::Image& image) {
    int n = 0;
    for (int y = 30; y < 150; ++y) {
      for (int x = 90; x < 230; ++x) n += magentaish(pixel(image, x, y)) ? 1 : 0;
    }
    return n;
  };
  EXPECT_GT(magentaIn(**boxed), 2 * magentaIn(**near) + 100) << magentaIn(**boxed) << " vs " << magentaIn(**near);
  EXPECT_TRUE(writePng(**near, (testDir() / "near_footprint.png").string()));
  EXPECT_TRUE(writePng(**boxed, (testDir() / "near_box.png").string()));
  city->setReplaced(slot, centre, bim()->lodDistance());
  // Far: the box is drawn (and the model's LOD would skip it).
  request.bookmark = "far";
  auto far = renderOffscreen(*twin_, request);
  ASSERT_TRUE(far);
  EXPECT_FALSE(city->slotHiddenFrom(slot, city->lastEye()));
  EXPECT_FALSE(bim()->drawnFrom(city->lastEye()));
  EXPECT_TRUE(magentaish(pixel(**far, 160, 90)));
  bim()->setVisible(true);
  // A pick from far resolves to the box, never to the model the LOD does not draw from there.
  auto picks = pickOffscreen(*twin_, request, {{160.0f, 90.0f}});
  ASSERT_TRUE(picks) << picks.status().message();
  ASSERT_TRUE(picks->front().has_value());
  EXPECT_EQ(*picks->front(), *replaced);
}

TEST_F(BimTwin, NearTheModelIsDrawnWhereTheBoxWas) {
  RenderRequest request;
  request.width = 320;
  request.height = 180;
  request.drawUi = false;
  request.bookmark = "near";
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image);
  // The house is in the middle of the view: not the background there.
  const unsigned char* p = pixel(**image, 160, 88);
  EXPECT_GT(p[0] + p[1] + p[2], 150);
  EXPECT_FALSE(magentaish(p));
  EXPECT_GT(testing::luminanceStdDev(**image), 10.0);
  EXPECT_TRUE(writePng(**image, (testDir() / "near.png").string()));
  // With the interface: the model-tree panel is drawn over the scene (near_ui.png, to look at).
  request.drawUi = true;
  request.width = 1280;
  request.height = 720;
  request.language = Language::English;
  const auto wall = twin_->entities().find("bim/fzk-haus/" + fzkModel().elements.front().guid);
  ASSERT_TRUE(wall);
  request.selected = *wall;
  auto withUi = renderOffscreen(*twin_, request);
  ASSERT_TRUE(withUi) << withUi.status().message();
  EXPECT_TRUE(writePng(**withUi, (testDir() / "near_ui.png").string()));
  // Isolating the upper storey hides the ground floor's transform (what the panel's "isolate" does).
  layers::BimLayer* layer = bim();
  layer->isolateStorey(1);
  EXPECT_EQ(layer->storeys()[0].transform->getNodeMask(), 0u);
  layer->isolateStorey(std::nullopt);
  layer->setExplodeGap(3.0);
  EXPECT_FALSE(layer->storeys()[1].transform->getMatrix().isIdentity());
  layer->setExplodeGap(0.0);
}

TEST(BimImport, AFailedImportIsReportedAndTheTwinRunsOn) {
  const fs::path damaged = testDir() / "damaged.ifc";
  std::ofstream(damaged) << "this is not a model file at all\n";
  Config config = houseConfig();
  config.layers[1].source = damaged.string();
  auto twin = makeTwin(config);
  ASSERT_NE(twin, nullptr);
  const layers::Layer* layer = twin->findLayer("fzk-haus");
  ASSERT_NE(layer, nullptr);
  EXPECT_EQ(layer->state(), layers::LayerState::Error);
  EXPECT_NE(layer->status().message().find("fzk-haus"), std::string::npos) << layer->status().message();
  EXPECT_NE(layer->status().message().find("damaged.ifc"), std::string::npos) << layer->status().message();
  EXPECT_TRUE(twin->findLayer("test-buildings")->status().isOk());
  EXPECT_FALSE(twin->bimReplacedBuilding("fzk-haus"));
  // Nothing replaces any box.
  EXPECT_EQ(dynamic_cast<const layers::BuildingLayer*>(twin->findLayer("test-buildings"))->replacedCount(), 0u);
  // A model file that is not there (the demo's FZK-Haus without assimp-testmodels): the same, naming the file.
  config.layers[1].source = (testDir() / "no-such-model.ifc").string();
  auto without = makeTwin(config);
  ASSERT_NE(without, nullptr);
  const layers::Layer* missing = without->findLayer("fzk-haus");
  EXPECT_EQ(missing->state(), layers::LayerState::Error);
  EXPECT_NE(missing->status().message().find("no-such-model.ifc"), std::string::npos) << missing->status().message();
  EXPECT_TRUE(without->findLayer("test-buildings")->status().isOk());
}

// The IFC4 test file, placed by an overriding anchor on the test footprint: its storeys and elements in the layer.
TEST(BimImport, Ifc4OpenHouseLoadsWithItsTree) {
  const fs::path ifc4 = fs::path(GT_TEST_SOURCE_DIR) / "tests" / "data" / "bim" / "IfcOpenHouse_IFC4.ifc";
  ASSERT_TRUE(fs::exists(ifc4)) << ifc4;
  Config config = houseConfig();
  config.layers[1].source = ifc4.string();
  auto twin = makeTwin(config);
  ASSERT_NE(twin, nullptr);
  const auto* layer = dynamic_cast<const layers::BimLayer*>(twin->findLayer("fzk-haus"));
  ASSERT_NE(layer, nullptr);
  ASSERT_TRUE(layer->status().isOk()) << layer->status().message();
  bim::BimImportOptions options;
  options.outputDir = testDir() / "probe-ifc4";
  auto imported = bim::importModelInProcess(ifc4, options);
  ASSERT_TRUE(imported) << imported.status().message();
  EXPECT_EQ(imported->model.ifcSchema, "IFC4");
  EXPECT_EQ(layer->slotCount(), imported->model.elements.size());
  EXPECT_EQ(layer->storeys().size(), imported->model.storeys().size());
  EXPECT_GE(layer->storeys().size(), 1u);
  std::size_t drawn = 0;
  for (std::uint32_t s = 0; s < layer->slotCount(); ++s) drawn += layer->elementNode(s) != nullptr ? 1 : 0;
  std::size_t withGeometry = 0;
  for (const auto& e : imported->model.elements) withGeometry += e.triangleCount > 0 ? 1 : 0;
  EXPECT_EQ(drawn, withGeometry);
  EXPECT_GT(drawn, 0u);
}

TEST(BimImport, ARestartUsesTheCachedImport) {
  const fs::path cache = fs::path(std::getenv("GREENTWIN_BIM_CACHE"));
  { auto first = makeTwin(houseConfig()); }
  std::vector<fs::path> sidecars;
  for (const auto& entry : fs::directory_iterator(cache)) {
    if (entry.path().string().ends_with(".bim.json")) sidecars.push_back(entry.path());
  }
  ASSERT_FALSE(sidecars.empty());
  std::map<fs::path, fs::file_time_type> before;
  for (const auto& p : sidecars) before[p] = fs::last_write_time(p);
  auto second = makeTwin(houseConfig());
  ASSERT_TRUE(second->findLayer("fzk-haus")->status().isOk());
  for (const auto& [p, t] : before) EXPECT_EQ(fs::last_write_time(p), t) << p << " was written again";
}

// The FZK-Haus on a village footprint of the demo city (building/047920, 14.5 x 10.9 m, turned 20.75 degrees).
TEST(BimRender, FzkHausInTheDemoCityMatchesTheGolden) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  config->clock.mode = "paused";
  config->clock.start = *parseIsoTime("2026-11-25T00:00:00+08:00");
  config->clock.end = *parseIsoTime("2026-11-26T00:00:00+08:00");
  auto frame = GeoFrame::create(config->scene.originLon, config->scene.originLat, config->scene.crs);
  ASSERT_TRUE(frame);
  const Vec3d centre = frame->projectedToLocal({483446.579, 4413875.404, 0});
  // The demo's own model stands on the same footprint: this test places its own copy there instead.
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.type == "bim"; });
  LayerConfig house;
  house.id = "fzk-haus-demo";
  house.type = "bim";
  house.source = kFzkHaus;
  layers::BimOptions placed = anchoredOn(centre.x, centre.y, 20.75);
  placed.replacesBuilding = "city-buildings/building/047920";
  house.typeOptions = std::make_shared<layers::BimOptions>(placed);
  config->layers.push_back(house);
  // The bookmark looks at the house on the terrain: its height there from a twin of the terrain alone.
  double groundZ = 0.0;
  {
    Config terrainOnly = *config;
    std::erase_if(terrainOnly.layers, [](const LayerConfig& l) { return l.type != "terrain"; });
    terrainOnly.sources.clear();
    terrainOnly.plugins.enabled.clear();
    auto terrain = makeTwin(terrainOnly);
    ASSERT_NE(terrain, nullptr);
    ASSERT_TRUE(terrain->ground());
    groundZ = terrain->ground()->heightAt(centre.x, centre.y, 0.0);
  }
  BookmarkConfig bookmark{"fzk-haus", "FZK-Haus", "FZK住宅", poseAt(*frame, centre.x, centre.y, 110.0, -38.0)};
  bookmark.pose.centerHeight = groundZ + 3.0;
  config->bookmarks.push_back(bookmark);
  auto twin = makeTwin(*config);
  ASSERT_NE(twin, nullptr);
  ASSERT_TRUE(twin->findLayer("fzk-haus-demo")->status().isOk()) << twin->findLayer("fzk-haus-demo")->status().message();
  const auto replaced = twin->bimReplacedBuilding("fzk-haus-demo");
  ASSERT_TRUE(replaced);
  EXPECT_EQ(twin->entities().get(*replaced)->id, "city-buildings/building/047920");
  RenderRequest request;
  request.width = 480;
  request.height = 270;
  request.drawUi = false;
  request.bookmark = "fzk-haus";
  auto image = renderOffscreen(*twin, request);
  ASSERT_TRUE(image) << image.status().message();
  // The house is there and not a speck: its orange roof covers a good patch of the middle of the view.
  int roof = 0;
  for (int y = 85; y < 185; ++y) {
    for (int x = 160; x < 320; ++x) {
      const unsigned char* p = pixel(**image, x, y);
      roof += p[0] > p[1] + 60 && p[0] > p[2] + 80 ? 1 : 0;
    }
  }
  EXPECT_GT(roof, 300);
  const std::string failure = testing::checkAgainstGolden(**image, "bim_fzk_haus_demo", 24, 0.01);
  EXPECT_TRUE(failure.empty()) << failure;
}

// ---- Storeys as entities, coloured by a live value per storey (docs/bim.md "Storeys as entities") -------------

LayerStyleConfig storeyEnergyStyle() {  // as the BIM panel's "Energy per storey (kW, live)"
  LayerStyleConfig s;
  s.colorMode = "graduated";
  s.colorBy = "load_kw";
  s.breaks = {0.3, 0.6, 0.9, 1.2};
  s.colors = {"#2e7d32", "#9ccc65", "#ffee58", "#ffa726", "#e53935"};
  return s;
}

osg::Vec4 mixed(const layers::Rgba& c) { return {c[0], c[1], c[2], layers::kBimColorMix}; }

TEST(BimStoreys, AFeedPerStoreyColoursItsElementsLiveThenStaleAfterTwoIntervals) {
  auto wallNow = std::make_shared<TimePoint>(*parseIsoTime("2026-06-01T04:00:00Z"));
  Config config = houseConfig();
  config.clock.mode = "live";
  config.layers[1].style = storeyEnergyStyle();
  auto created = runtime::Twin::create(config, [wallNow] { return *wallNow; });
  ASSERT_TRUE(created) << created.status().message();
  runtime::Twin& twin = **created;
  auto* layer = dynamic_cast<layers::BimLayer*>(twin.findLayer("fzk-haus"));
  ASSERT_NE(layer, nullptr);
  ASSERT_TRUE(layer->status().isOk()) << layer->status().message();
  ASSERT_EQ(layer->storeys().size(), 2u);

  // Every storey is an entity "bim/<layer>/storey/<GUID>" of kind "storey", owned by the layer.
  std::vector<EntityIndex> storeys;
  for (std::size_t k = 0; k < layer->storeys().size(); ++k) {
    const auto e = twin.entities().find("bim/fzk-haus/storey/" + layer->storeys()[k].guid);
    ASSERT_TRUE(e) << layer->storeys()[k].guid;
    EXPECT_EQ(twin.entities().get(*e)->kind, "storey");
    EXPECT_EQ(layers::textOf(twin.entities().get(*e)->properties, "name"), layer->storeys()[k].name);
    EXPECT_EQ(layer->storeyEntity(k), *e);
    EXPECT_EQ(twin.layerOfEntity(*e), layer);
    storeys.push_back(*e);
  }
  // Elements drawn, by storey (and those in none).
  std::vector<std::vector<std::uint32_t>> byStorey(2);
  std::vector<std::uint32_t> loose;
  for (std::uint32_t s = 0; s < layer->slotCount(); ++s) {
    if (layer->elementNode(s) == nullptr) continue;
    const auto k = layer->storeyOfSlot(s);
    (k ? byStorey[*k] : loose).push_back(s);
    if (k) {
      EXPECT_EQ(twin.bimStoreyOf(layer->entityOfSlot(s)), storeys[*k]);
    }
  }
  ASSERT_FALSE(byStorey[0].empty());
  ASSERT_FALSE(byStorey[1].empty());
  twin.beginFrame();
  // No samples yet: no data, drawn in the no-data colour.
  for (std::uint32_t s : byStorey[0]) {
    EXPECT_EQ(layer->slotState(s), layers::SlotState::NoData);
    EXPECT_EQ(layer->elementColor(s), mixed(layers::kNoDataColor));
  }

  // A feed publishes load_kw per storey (pushed like an ingest thread does).
  const auto loadKw = twin.entities().attributes().intern("load_kw");
  ASSERT_TRUE(loadKw);
  const auto rule = layers::ColorRule::fromConfig("fzk-haus", storeyEnergyStyle());
  ASSERT_TRUE(rule);
  const layers::Rgba low = rule->palette()[static_cast<std::size_t>(rule->classOfNumber(0.2))];
  const layers::Rgba high = rule->palette()[static_cast<std::size_t>(rule->classOfNumber(1.5))];
  ASSERT_NE(low, high);
  const TimePoint t0 = *wallNow;
  const std::vector<SampleUpdate> batch{{storeys[0], *loadKw, t0, 0.2}, {storeys[1], *loadKw, t0, 1.5}};
  twin.liveChannel().push(batch);
  twin.update();
  twin.beginFrame();
  ASSERT_TRUE(layer->showsLiveValues());
  for (std::uint32_t s : byStorey[0]) {
    EXPECT_EQ(layer->slotState(s), layers::SlotState::Live);
    EXPECT_EQ(layer->elementColor(s), mixed(low)) << layer->scene().elementGuids[s];
  }
  for (std::uint32_t s : byStorey[1]) {
    EXPECT_EQ(layer->slotState(s), layers::SlotState::Live);
    EXPECT_EQ(layer->elementColor(s), mixed(high));
  }
  for (std::uint32_t s : loose) EXPECT_EQ(layer->slotState(s), layers::SlotState::NoData);
  // The inspector's storey row: the element's storey value at the clock's time.
  const runtime::Twin::LiveValue v = twin.liveValue(*twin.bimStoreyOf(layer->entityOfSlot(byStorey[1][0])), *loadKw, twin.frameTime());
  EXPECT_EQ(v.state, layers::SlotState::Live);
  EXPECT_DOUBLE_EQ(v.value, 1.5);

  // A new value changes the colours of that storey's elements only.
  *wallNow = t0 + kMicrosPerSecond;
  const std::vector<SampleUpdate> next{{storeys[0], *loadKw, *wallNow, 1.5}};
  twin.liveChannel().push(next);
  twin.update();
  twin.beginFrame();
  for (std::uint32_t s : byStorey[0]) EXPECT_EQ(layer->elementColor(s), mixed(high));

  // No feed interval known: stale after 2 x the 1 s default. Storey 1 (sampled at t0) at t0 + 2.5 s is STALE and
  // greyed, never drawn in its live colour; storey 0 (t0 + 1 s) is still LIVE.
  ASSERT_EQ(twin.staleAfter(storeys[1]), 2 * kMicrosPerSecond);
  *wallNow = t0 + 2 * kMicrosPerSecond;
  twin.beginFrame();
  for (std::uint32_t s : byStorey[1]) EXPECT_EQ(layer->slotState(s), layers::SlotState::Live) << "exactly 2 x: live";
  *wallNow = t0 + 2 * kMicrosPerSecond + kMicrosPerSecond / 2;
  twin.beginFrame();
  for (std::uint32_t s : byStorey[1]) {
    EXPECT_EQ(layer->slotState(s), layers::SlotState::Stale);
    EXPECT_EQ(layer->elementColor(s), mixed(layers::staleColor(high)));
    EXPECT_NE(layer->elementColor(s), mixed(high));
  }
  for (std::uint32_t s : byStorey[0]) EXPECT_EQ(layer->slotState(s), layers::SlotState::Live);
  *wallNow = t0 + 4 * kMicrosPerSecond;
  twin.beginFrame();
  for (std::uint32_t s : byStorey[0]) EXPECT_EQ(layer->slotState(s), layers::SlotState::Stale);
  EXPECT_EQ(twin.liveValue(storeys[0], *loadKw, twin.frameTime()).state, layers::SlotState::Stale);

  // The panel's "Model colours" drops the live colours at once; the live style brings them back on the next frame.
  ASSERT_TRUE(twin.restyleLayer("fzk-haus", LayerStyleConfig{}).isOk());
  twin.beginFrame();
  EXPECT_FALSE(layer->showsLiveValues());
  EXPECT_EQ(layer->elementColor(byStorey[0][0]), osg::Vec4(0, 0, 0, 0));
  ASSERT_TRUE(twin.restyleLayer("fzk-haus", storeyEnergyStyle()).isOk());
  twin.beginFrame();
  EXPECT_TRUE(layer->showsLiveValues());
  EXPECT_EQ(layer->slotState(byStorey[0][0]), layers::SlotState::Stale);

  // A look at it with the interface: the inspector on a ground-floor wall shows its storey's value.
  *wallNow = t0 + 4 * kMicrosPerSecond;
  const std::vector<SampleUpdate> fresh{{storeys[0], *loadKw, *wallNow, 0.2}, {storeys[1], *loadKw, *wallNow - 3 * kMicrosPerSecond, 1.5}};
  twin.liveChannel().push(fresh);
  twin.update();
  twin.beginFrame();
  RenderRequest request;
  request.width = 1280;
  request.height = 720;
  request.bookmark = "near";
  request.language = Language::English;
  request.selected = layer->entityOfSlot(byStorey[0][0]);
  auto image = renderOffscreen(twin, request);
  ASSERT_TRUE(image) << image.status().message();
  EXPECT_TRUE(writePng(**image, (testDir() / "storeys_live_ui.png").string()));
}

// ---- Placing a model on the map (docs/bim.md "Placing a model on the map") -------------------------------------

// The "Place model" click, through a rendered camera: a click on open ground moves the house there, so the pick
// at that same pixel, which missed the model before, now lands on one of its elements, with rotation and scale
// kept; a model that is not loaded is an error naming it.
TEST(BimPlacement, AClickInPlaceModeMovesTheModelUnderTheCursor) {
  auto twin = makeTwin(houseConfig());
  ASSERT_NE(twin, nullptr);
  RenderRequest request;
  request.width = 480;
  request.height = 270;
  request.drawUi = false;
  request.bookmark = "near";
  const auto isHouse = [&](const std::optional<EntityIndex>& e) {
    return e && twin->layerOfEntity(*e) != nullptr && twin->layerOfEntity(*e)->id() == "fzk-haus";
  };
  // A pixel in the lower right, off the model (y up: low y is the near ground).
  const float x = 440.0f;
  const float y = 30.0f;
  auto before = pickOffscreen(*twin, request, {{x, y}});
  ASSERT_TRUE(before) << before.status().message();
  ASSERT_FALSE(isHouse(before->at(0))) << "the test pixel should start off the model";
  const auto placedBefore = twin->bimPlacement("fzk-haus");
  ASSERT_TRUE(placedBefore);

  ASSERT_TRUE(placeBimModelOffscreen(*twin, request, "fzk-haus", x, y));
  const auto placedAfter = twin->bimPlacement("fzk-haus");
  ASSERT_TRUE(placedAfter);
  EXPECT_GT(std::hypot(*placedAfter->anchor.sceneX - *placedBefore->anchor.sceneX,
                       *placedAfter->anchor.sceneY - *placedBefore->anchor.sceneY),
            3.0);
  EXPECT_DOUBLE_EQ(placedAfter->anchor.rotationDeg, placedBefore->anchor.rotationDeg);
  EXPECT_DOUBLE_EQ(placedAfter->anchor.scale, placedBefore->anchor.scale);
  auto after = pickOffscreen(*twin, request, {{x, y}});
  ASSERT_TRUE(after) << after.status().message();
  EXPECT_TRUE(isHouse(after->at(0))) << "after the click the model should be under the cursor";

  const Status unknown = placeBimModelOffscreen(*twin, request, "no-such-model", x, y);
  EXPECT_FALSE(unknown);
  EXPECT_NE(unknown.message().find("'no-such-model' is not a loaded BIM model"), std::string::npos) << unknown.message();
}

TEST(BimPlacement, PlacingMovesTheModelLiveAndTheSavedFileReloadsToTheSameAnchor) {
  const fs::path dir = testDir() / "placement";
  fs::remove_all(dir);
  fs::create_directories(dir);
  Config config = houseConfig();
  config.directory = dir.string();
  config.path = (dir / "greentwin.toml").string();
  runtime::BimPlacementOverride placed;
  {
    auto twin = makeTwin(config);
    ASSERT_NE(twin, nullptr);
    EXPECT_TRUE(twin->bimPlacementsStatus().isOk());
    auto* layer = dynamic_cast<layers::BimLayer*>(twin->findLayer("fzk-haus"));
    ASSERT_NE(layer, nullptr);
    ASSERT_EQ(twin->entities().get(*twin->bimReplacedBuilding("fzk-haus"))->id, "test-buildings/bldg/0");
    const Vec3d before = layer->sceneBounds().center();
    EXPECT_NEAR(before.x, kHouseX, 1.0);
    // What the panel does: the footprint centre onto the clicked ground point (the second footprint), turned.
    const Vec3d target{kHouseX + 60.0, kHouseY, 0.0};
    ASSERT_TRUE(twin->placeBimModelAt("fzk-haus", target, 0.0, 1.0).isOk());
    EXPECT_NEAR(layer->sceneBounds().center().x, target.x, 0.01);
    EXPECT_NEAR(layer->sceneBounds().center().y, target.y, 0.01);
    EXPECT_NEAR(layer->lodCenter().x, target.x, 0.01);
    // The box it stands on now is the one replaced; the old one is drawn again.
    ASSERT_TRUE(twin->bimReplacedBuilding("fzk-haus"));
    EXPECT_EQ(twin->entities().get(*twin->bimReplacedBuilding("fzk-haus"))->id, "test-buildings/bldg/1");
    EXPECT_EQ(dynamic_cast<const layers::BuildingLayer*>(twin->findLayer("test-buildings"))->replacedCount(), 1u);
    // Turned by 90 degrees and scaled, about the same point: the footprint's x and y extents swap (x 1.5).
    const Bounds turnedFrom = layer->sceneBounds();
    ASSERT_TRUE(twin->placeBimModelAt("fzk-haus", target, 90.0, 1.5).isOk());
    const Bounds& b = layer->sceneBounds();
    EXPECT_NEAR(b.max.x - b.min.x, 1.5 * (turnedFrom.max.y - turnedFrom.min.y), 0.05);
    EXPECT_NEAR(b.max.y - b.min.y, 1.5 * (turnedFrom.max.x - turnedFrom.min.x), 0.05);
    EXPECT_NEAR(b.center().x, target.x, 0.05);
    EXPECT_NEAR(b.center().y, target.y, 0.05);
    // Bad input is refused, the model stays.
    EXPECT_FALSE(twin->placeBimModelAt("fzk-haus", target, 0.0, 0.0).isOk());
    EXPECT_FALSE(twin->placeBimModelAt("no-such-layer", target, 0.0, 1.0).isOk());
    EXPECT_NEAR(layer->sceneBounds().center().x, target.x, 0.05);
    ASSERT_TRUE(twin->saveBimPlacements().isOk()) << twin->bimPlacementsStatus().message();
    placed = *twin->bimPlacement("fzk-haus");
    EXPECT_NEAR(placed.anchor.rotationDeg, 90.0, 1e-9);
    EXPECT_NEAR(placed.anchor.scale, 1.5, 1e-9);
  }
  ASSERT_TRUE(fs::exists(dir / "bim_placements.toml"));
  // The next start: the saved anchor overrides the config's, the model is where it was left.
  {
    auto twin = makeTwin(config);
    ASSERT_NE(twin, nullptr);
    EXPECT_TRUE(twin->bimPlacementsStatus().isOk()) << twin->bimPlacementsStatus().message();
    const auto reloaded = twin->bimPlacement("fzk-haus");
    ASSERT_TRUE(reloaded);
    EXPECT_NEAR(*reloaded->anchor.sceneX, *placed.anchor.sceneX, 1e-6);
    EXPECT_NEAR(*reloaded->anchor.sceneY, *placed.anchor.sceneY, 1e-6);
    EXPECT_NEAR(reloaded->anchor.sceneZ, placed.anchor.sceneZ, 1e-6);
    EXPECT_NEAR(reloaded->anchor.rotationDeg, placed.anchor.rotationDeg, 1e-6);
    EXPECT_NEAR(reloaded->anchor.scale, placed.anchor.scale, 1e-9);
    const auto* layer = dynamic_cast<const layers::BimLayer*>(twin->findLayer("fzk-haus"));
    EXPECT_NEAR(layer->sceneBounds().center().x, kHouseX + 60.0, 0.05);
    EXPECT_EQ(twin->entities().get(*twin->bimReplacedBuilding("fzk-haus"))->id, "test-buildings/bldg/1");
  }
  // A corrupt file: an error naming the file, the twin starts with the config's anchor.
  std::ofstream(dir / "bim_placements.toml") << "[fzk-haus]\nanchor_x = \"east\"\nanchor_y = 1\n";
  {
    auto twin = makeTwin(config);
    ASSERT_NE(twin, nullptr);
    const Status& status = twin->bimPlacementsStatus();
    EXPECT_FALSE(status.isOk());
    EXPECT_NE(status.message().find((dir / "bim_placements.toml").string()), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("fzk-haus.anchor_x"), std::string::npos) << status.message();
    const auto* layer = dynamic_cast<const layers::BimLayer*>(twin->findLayer("fzk-haus"));
    ASSERT_TRUE(layer->status().isOk());
    EXPECT_NEAR(layer->sceneBounds().center().x, kHouseX, 1.0);
  }
  std::ofstream(dir / "bim_placements.toml") << "[fzk-haus\nanchor_x = 1\n";
  {
    auto twin = makeTwin(config);
    ASSERT_NE(twin, nullptr);
    EXPECT_NE(twin->bimPlacementsStatus().message().find("bim_placements.toml:1"), std::string::npos)
        << twin->bimPlacementsStatus().message();
  }
}

}  // namespace
}  // namespace gt::viewer
