// BimLayer with a scene file written here in the documented layout (docs/bim.md "Scene file"): storeys, element
// Geodes named by GUID, and the model tree; level of detail, isolate/explode, type visibility and colouring.
#include "greentwin/layers/bim_layer.hpp"

#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <osg/Geometry>
#include <osgDB/ReadFile>
#include <osgDB/WriteFile>

#include <filesystem>

#include "greentwin/layers/building_layer.hpp"
#include "greentwin/layers/layer_registry.hpp"
#include "layer_config_support.hpp"

namespace gt::layers {
namespace {

using ::testing::HasSubstr;

// A closed axis-aligned box as triangles, one overall colour.
osg::ref_ptr<osg::Geode> boxElement(const std::string& guid, osg::Vec3 lo, osg::Vec3 hi) {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  osg::ref_ptr<osg::Vec3Array> v = new osg::Vec3Array;
  const osg::Vec3 c[8] = {{lo.x(), lo.y(), lo.z()}, {hi.x(), lo.y(), lo.z()}, {hi.x(), hi.y(), lo.z()},
                          {lo.x(), hi.y(), lo.z()}, {lo.x(), lo.y(), hi.z()}, {hi.x(), lo.y(), hi.z()},
                          {hi.x(), hi.y(), hi.z()}, {lo.x(), hi.y(), hi.z()}};
  const int faces[12][3] = {{0, 2, 1}, {0, 3, 2}, {4, 5, 6}, {4, 6, 7}, {0, 1, 5}, {0, 5, 4},
                            {1, 2, 6}, {1, 6, 5}, {2, 3, 7}, {2, 7, 6}, {3, 0, 4}, {3, 4, 7}};
  for (const auto& f : faces) {
    for (int k : f) v->push_back(c[k]);
  }
  g->setVertexArray(v.get());
  osg::ref_ptr<osg::Vec3Array> n = new osg::Vec3Array;
  for (unsigned i = 0; i < v->size(); i += 3) {
    osg::Vec3 normal = ((*v)[i + 1] - (*v)[i]) ^ ((*v)[i + 2] - (*v)[i]);
    normal.normalize();
    for (int k = 0; k < 3; ++k) n->push_back(normal);
  }
  g->setNormalArray(n.get(), osg::Array::BIND_PER_VERTEX);
  osg::ref_ptr<osg::Vec4Array> colour = new osg::Vec4Array;
  colour->push_back(osg::Vec4(0.8f, 0.7f, 0.6f, 1.0f));
  g->setColorArray(colour.get(), osg::Array::BIND_OVERALL);
  g->addPrimitiveSet(new osg::DrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(v->size())));
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->setName(guid);
  geode->addDrawable(g.get());
  return geode;
}

// Two storeys of a 10 x 8 m house: ground floor (2 walls, a slab), upper floor (1 wall); a roof in no storey.
struct Fixture {
  std::shared_ptr<FeatureSet> elements = std::make_shared<FeatureSet>();
  std::shared_ptr<BimScene> scene = std::make_shared<BimScene>();
};

Fixture makeFixture(const osg::Matrixd& placement) {
  osg::ref_ptr<osg::Group> root = new osg::Group;
  root->setName("bim:Test house");
  osg::ref_ptr<osg::MatrixTransform> ground = new osg::MatrixTransform;
  ground->setName("storey:S-GROUND");
  ground->addChild(boxElement("W-1", {0, 0, 0}, {10, 0.3f, 3}).get());
  ground->addChild(boxElement("W-2", {0, 7.7f, 0}, {10, 8, 3}).get());
  ground->addChild(boxElement("SL-1", {0, 0, -0.3f}, {10, 8, 0}).get());
  osg::ref_ptr<osg::MatrixTransform> upper = new osg::MatrixTransform;
  upper->setName("storey:S-UPPER");
  upper->addChild(boxElement("W-3", {0, 0, 3}, {10, 0.3f, 6}).get());
  osg::ref_ptr<osg::MatrixTransform> none = new osg::MatrixTransform;
  none->setName("storey:none");
  none->addChild(boxElement("R-1", {0, 0, 6}, {10, 8, 6.3f}).get());
  root->addChild(ground.get());
  root->addChild(upper.get());
  root->addChild(none.get());
  // Through the real file format: what the viewer loads is an .osgb the importer wrote.
  // One folder per process: ctest runs the cases in parallel processes.
  const auto dir = std::filesystem::path(GT_TEST_BINARY_DIR) / ("bim_layer_test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string file = (dir / "house.osgb").string();
  EXPECT_TRUE(osgDB::writeNodeFile(*root, file));
  Fixture f;
  f.scene->model = osgDB::readRefNodeFile(file);
  EXPECT_TRUE(f.scene->model.valid());
  f.scene->modelName = "Test house";
  f.scene->placement = placement;
  f.scene->tree = {{"P", "IFCPROJECT", "Project", {1}, {}},
                   {"B", "IFCBUILDING", "House", {2, 3}, {4}},
                   {"S-GROUND", "IFCBUILDINGSTOREY", "Ground floor", {}, {0, 1, 2}},
                   {"S-UPPER", "IFCBUILDINGSTOREY", "Upper floor", {}, {3}}};
  const struct {
    const char* guid;
    const char* type;
    const char* storey;
    double carbon;
  } rows[] = {{"W-1", "IFCWALL", "S-GROUND", 900},
              {"W-2", "IFCWALL", "S-GROUND", 2500},
              {"SL-1", "IFCSLAB", "S-GROUND", 6000},
              {"W-3", "IFCWALL", "S-UPPER", 50},
              {"R-1", "IFCROOF", "", -1}};
  for (const auto& r : rows) {
    Feature feature;
    feature.id = std::string("bim/house/") + r.guid;
    feature.properties.insert_or_assign("guid", std::string(r.guid));
    feature.properties.insert_or_assign("type", std::string(r.type));
    if (r.carbon >= 0) feature.properties.insert_or_assign("carbon_kgco2e", r.carbon);
    feature.geometry.points.push_back({0, 0, 0});
    f.elements->features.push_back(std::move(feature));
    f.scene->elementGuids.push_back(r.guid);
    f.scene->elementTypes.push_back(r.type);
    f.scene->elementStoreys.push_back(r.storey);
  }
  return f;
}

LayerConfig bimConfig() {
  LayerConfig c;
  c.id = "house";
  c.type = "bim";
  editLayerOptions<BimOptions>(c).lodDistanceM = 500.0;
  return c;
}

std::unique_ptr<BimLayer> openLayer(const Fixture& f, LayerConfig config = bimConfig()) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  LayerInputs inputs{config, f.elements};
  inputs.bim = f.scene;
  auto created = registry.create(inputs);
  EXPECT_TRUE(created) << created.status().message();
  auto* bim = dynamic_cast<BimLayer*>(created->get());
  EXPECT_NE(bim, nullptr);
  created->release();
  std::unique_ptr<BimLayer> layer(bim);
  const Status s = layer->open();
  EXPECT_TRUE(s.isOk()) << s.message();
  return layer;
}

TEST(BimLayer, RegistryBuildsItAndIndexesStoreysAndElements) {
  const Fixture f = makeFixture(osg::Matrixd::translate(1000, 2000, 5));
  auto layer = openLayer(f);
  ASSERT_EQ(layer->storeys().size(), 2u);
  EXPECT_EQ(layer->storeys()[0].name, "Ground floor");
  EXPECT_EQ(layer->storeys()[1].guid, "S-UPPER");
  ASSERT_TRUE(layer->storeys()[0].transform.valid());
  const auto types = layer->typeCounts();
  ASSERT_EQ(types.size(), 3u);
  EXPECT_EQ(types[0], (std::pair<std::string, std::size_t>{"IFCROOF", 1}));
  EXPECT_EQ(types[2], (std::pair<std::string, std::size_t>{"IFCWALL", 3}));
  for (std::uint32_t s = 0; s < 5; ++s) {
    ASSERT_NE(layer->elementNode(s), nullptr) << s;
    unsigned int slot = 99;
    ASSERT_TRUE(layer->elementNode(s)->getUserValue(kSlotUserValue, slot));
    EXPECT_EQ(slot, s);
  }
  EXPECT_EQ(layer->elementNode(0)->getName(), "W-1");
  // The placement is applied: bounds in the scene around (1005, 2004, ~8).
  EXPECT_NEAR(layer->sceneBounds().min.x, 1000.0, 1e-3);
  EXPECT_NEAR(layer->sceneBounds().max.y, 2008.0, 1e-3);
  EXPECT_NEAR(layer->sceneBounds().min.z, 4.7, 1e-3);
  EXPECT_NEAR(layer->lodCenter().x, 1005.0, 1e-3);
}

TEST(BimLayer, NoModelIsAnErrorNotACrash) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  LayerInputs inputs{bimConfig(), std::make_shared<FeatureSet>()};
  auto created = registry.create(inputs);
  EXPECT_FALSE(created);
  EXPECT_NE(created.status().message().find("house"), std::string::npos);
}

TEST(BimLayer, LevelOfDetailSwitchesByEyeDistance) {
  const Fixture f = makeFixture(osg::Matrixd::translate(1000, 2000, 0));
  auto layer = openLayer(f);
  const Vec3d c = layer->lodCenter();
  EXPECT_TRUE(layer->drawnFrom({c.x + 300, c.y, c.z + 200}));
  EXPECT_FALSE(layer->drawnFrom({c.x + 450, c.y, c.z + 300}));
  // The LOD node draws the model only within the distance: the scene graph skips it beyond.
  osg::LOD* lod = nullptr;
  struct Find : osg::NodeVisitor {
    Find() : osg::NodeVisitor(TRAVERSE_ALL_CHILDREN) {}
    void apply(osg::LOD& node) override { found = &node; }
    osg::LOD* found = nullptr;
  } find;
  layer->node()->accept(find);
  lod = find.found;
  ASSERT_NE(lod, nullptr);
  EXPECT_EQ(lod->getCenterMode(), osg::LOD::USER_DEFINED_CENTER);
  EXPECT_FLOAT_EQ(lod->getMaxRange(0), 500.0f);
  EXPECT_FLOAT_EQ(lod->getMinRange(0), 0.0f);

  LayerConfig always = bimConfig();
  editLayerOptions<BimOptions>(always).lodDistanceM = 0.0;
  auto unlimited = openLayer(makeFixture(osg::Matrixd()), always);
  EXPECT_TRUE(unlimited->drawnFrom({1e6, 1e6, 1e4}));
}

TEST(BimLayer, IsolateExplodeAndTypeVisibilityChangeMasksAndMatrices) {
  const Fixture f = makeFixture(osg::Matrixd::scale(2, 2, 2) * osg::Matrixd::translate(10, 0, 0));
  auto layer = openLayer(f);
  const auto& storeys = layer->storeys();
  layer->isolateStorey(1);
  EXPECT_EQ(storeys[0].transform->getNodeMask(), 0u);
  EXPECT_NE(storeys[1].transform->getNodeMask(), 0u);
  EXPECT_FALSE(layer->elementShown(0));
  EXPECT_TRUE(layer->elementShown(3));
  EXPECT_FALSE(layer->elementShown(4));  // the roof is in no storey
  layer->isolateStorey(std::nullopt);
  EXPECT_NE(storeys[0].transform->getNodeMask(), 0u);
  layer->setStoreyVisible(0, false);
  EXPECT_EQ(storeys[0].transform->getNodeMask(), 0u);
  EXPECT_TRUE(layer->elementShown(4));
  layer->setStoreyVisible(0, true);

  // Explode: the upper storey rises by the gap in scene metres (model frame: gap / placement scale).
  layer->setExplodeGap(4.0);
  EXPECT_TRUE(storeys[0].transform->getMatrix().isIdentity());
  EXPECT_NEAR(storeys[1].transform->getMatrix().getTrans().z(), 2.0, 1e-9);
  layer->setExplodeGap(0.0);
  EXPECT_TRUE(storeys[1].transform->getMatrix().isIdentity());

  layer->setTypeVisible("IFCWALL", false);
  EXPECT_EQ(layer->elementNode(0)->getNodeMask(), 0u);
  EXPECT_NE(layer->elementNode(2)->getNodeMask(), 0u);
  EXPECT_FALSE(layer->elementShown(3));
  layer->setTypeVisible("IFCWALL", true);
  EXPECT_NE(layer->elementNode(0)->getNodeMask(), 0u);
}

TEST(BimLayer, ColoursElementsByAttributeWithoutRebuildingGeometry) {
  const Fixture f = makeFixture(osg::Matrixd());
  LayerConfig config = bimConfig();
  config.style.colorMode = "graduated";
  config.style.colorBy = "carbon_kgco2e";
  config.style.breaks = {1000, 5000};
  config.style.colors = {"#00ff00", "#ffff00", "#ff0000"};
  auto layer = openLayer(f, config);
  const osg::Geometry* before = layer->elementNode(0)->getDrawable(0)->asGeometry();
  EXPECT_EQ(layer->elementColor(0), osg::Vec4(0, 1, 0, kBimColorMix));  // 900
  EXPECT_EQ(layer->elementColor(1), osg::Vec4(1, 1, 0, kBimColorMix));  // 2500
  EXPECT_EQ(layer->elementColor(2), osg::Vec4(1, 0, 0, kBimColorMix));  // 6000
  const osg::Vec4 noData(kNoDataColor[0], kNoDataColor[1], kNoDataColor[2], kBimColorMix);
  EXPECT_EQ(layer->elementColor(4), noData);  // no carbon value
  EXPECT_EQ(layer->slotState(4), SlotState::NoData);
  ASSERT_EQ(layer->legend().size(), 3u);

  // Live values (e.g. energy per element from a feed) replace the static classes; stale ones are greyed.
  auto rule = ColorRule::fromConfig("house", config.style);
  ASSERT_TRUE(rule);
  const float values[] = {6000.0f, 10.0f, std::nanf(""), 3000.0f, 3000.0f};
  const SlotState states[] = {SlotState::Live, SlotState::Live, SlotState::Live, SlotState::Stale, SlotState::Live};
  layer->setLiveValues(*rule, values, states);
  EXPECT_EQ(layer->elementColor(0), osg::Vec4(1, 0, 0, kBimColorMix));
  EXPECT_EQ(layer->elementColor(1), osg::Vec4(0, 1, 0, kBimColorMix));
  EXPECT_EQ(layer->elementColor(2), noData);
  const Rgba stale = staleColor({1, 1, 0, 1});
  EXPECT_EQ(layer->elementColor(3), osg::Vec4(stale[0], stale[1], stale[2], kBimColorMix));
  EXPECT_EQ(layer->slotState(3), SlotState::Stale);
  EXPECT_TRUE(layer->showsLiveValues());

  // Back to the model's own colours through a restyle.
  layer->showStaticStyle();
  const Status s = layer->restyle(LayerStyleConfig{}, [](std::uint32_t) { return nullptr; });
  ASSERT_TRUE(s.isOk()) << s.message();
  EXPECT_EQ(layer->elementColor(0), osg::Vec4(0, 0, 0, 0));
  EXPECT_EQ(layer->elementNode(0)->getDrawable(0)->asGeometry(), before);  // same geometry object
}

TEST(BimLayer, HighlightTintsTheSelectedElement) {
  const Fixture f = makeFixture(osg::Matrixd());
  auto layer = openLayer(f);
  layer->assignEntities({10, 11, 12, 13, 14});
  EXPECT_EQ(layer->nodeForEntity(12), layer->elementNode(2));
  layer->setHighlight(EntityIndex{12}, std::nullopt);
  EXPECT_NE(layer->elementNode(2)->getStateSet()->getUniform("gt_highlight"), nullptr);
  EXPECT_EQ(layer->elementNode(1)->getStateSet()->getUniform("gt_highlight"), nullptr);
  // A pick resolves through the node path to the element's slot, then its entity.
  osg::NodePath path{layer->node(), layer->elementNode(3)};
  EXPECT_EQ(layer->entityAtHit(path, nullptr, 0), std::optional<EntityIndex>(13));
}

// The building layer's side of the level of detail: a replaced slot is hidden from near eyes only.
TEST(BimLayer, BuildingSlotReplacedWithinTheRadiusOnly) {
  auto features = std::make_shared<FeatureSet>();
  for (int i = 0; i < 3; ++i) {
    Feature f;
    f.id = "b/" + std::to_string(i);
    Polygon p;
    const double x = i * 100.0;
    p.rings.push_back({{x, 0, 0}, {x + 10, 0, 0}, {x + 10, 8, 0}, {x, 8, 0}});
    f.geometry.polygons.push_back(p);
    features->features.push_back(std::move(f));
  }
  LayerConfig config;
  config.id = "city";
  config.type = "buildings";
  BuildingLayer buildings(config, features);
  const Status opened = buildings.open();
  ASSERT_TRUE(opened.isOk()) << opened.message();
  EXPECT_EQ(buildings.replacedCount(), 0u);
  buildings.setReplaced(1, {105, 4, 5}, 300.0);
  EXPECT_EQ(buildings.replacedCount(), 1u);
  EXPECT_TRUE(buildings.slotHiddenFrom(1, {105, -200, 100}));
  EXPECT_FALSE(buildings.slotHiddenFrom(1, {105, -400, 200}));
  EXPECT_FALSE(buildings.slotHiddenFrom(0, {5, 4, 10}));  // not replaced
  buildings.setReplaced(1, {105, 4, 5}, 0.0);
  EXPECT_EQ(buildings.replacedCount(), 0u);
  EXPECT_FALSE(buildings.slotHiddenFrom(1, {105, 4, 10}));
}

// ---- [layers.<type>] (moved from tests/core/config_test.cpp with the options) ----------------------------

TEST(BimLayer, BimLayerSection) {
  auto r = parseWithLayerTypes(
      "[[layers]]\nid = \"house\"\ntype = \"bim\"\nsource = \"house.ifc\"\n[layers.bim]\nanchor_lon = 116.7\n"
      "anchor_lat = 39.9\nanchor_z = 2.5\nrotation_deg = 30\nscale = 0.001\nanchor_override = true\n"
      "replaces_building = \"building/047920\"\nlod_distance_m = 800\nexplode_gap_m = 3\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const BimOptions& b = bimOptions(r->layers.at(0));
  EXPECT_EQ(b.anchor.lon, 116.7);
  EXPECT_EQ(b.anchor.lat, 39.9);
  EXPECT_FALSE(b.anchor.sceneX.has_value());
  EXPECT_DOUBLE_EQ(b.anchor.sceneZ, 2.5);
  EXPECT_DOUBLE_EQ(b.anchor.rotationDeg, 30.0);
  EXPECT_DOUBLE_EQ(b.anchor.scale, 0.001);
  EXPECT_TRUE(b.anchor.override);
  EXPECT_EQ(b.replacesBuilding, "building/047920");
  EXPECT_DOUBLE_EQ(b.lodDistanceM, 800.0);
  EXPECT_DOUBLE_EQ(b.explodeGapM, 3.0);
  // Defaults: no anchor, the footprint under the model, 600 m.
  auto d = parseWithLayerTypes("[[layers]]\nid = \"h\"\ntype = \"bim\"\n");
  ASSERT_TRUE(d.isOk());
  EXPECT_EQ(bimOptions(d->layers.at(0)).replacesBuilding, "auto");
  EXPECT_DOUBLE_EQ(bimOptions(d->layers.at(0)).lodDistanceM, 600.0);
  EXPECT_THAT(parseError("[[layers]]\nid = \"h\"\n[layers.bim]\nanchor_lon = 116.7\n").message(),
              HasSubstr("test.toml:3: 'layers[0].bim' needs both anchor_lon and anchor_lat"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"h\"\n[layers.bim]\nscale = 0\n").message(),
              HasSubstr("'layers[0].bim.scale' = 0 is out of range"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"h\"\n[layers.bim]\nlod = 5\n").message(),
              HasSubstr("unknown key 'layers[0].bim.lod'"));
}

}  // namespace
}  // namespace gt::layers
