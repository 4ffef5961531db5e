#include "greentwin/layers/building_layer.hpp"

#include <gtest/gtest.h>
#include <osg/Geode>
#include <osg/Geometry>
#include <osgUtil/IntersectionVisitor>
#include <osgUtil/LineSegmentIntersector>

#include <cmath>

namespace gt::layers {
namespace {

Polygon rectangle(double x, double y, double w, double h) {
  return Polygon{{{{x, y, 0}, {x + w, y, 0}, {x + w, y + h, 0}, {x, y + h, 0}}}};
}

// A grid of n x n 20 m buildings 50 m apart; building i has height 10 + i and use A/B alternating.
std::shared_ptr<FeatureSet> grid(int n) {
  auto set = std::make_shared<FeatureSet>();
  for (int i = 0; i < n * n; ++i) {
    Feature f;
    f.id = "b/" + std::to_string(i);
    f.entity = static_cast<EntityIndex>(1000 + i);
    f.geometry.polygons.push_back(rectangle((i % n) * 50.0, (i / n) * 50.0, 20, 20));
    f.properties["height_m"] = 10.0 + i;
    f.properties["use"] = std::string(i % 2 == 0 ? "A" : "B");
    set->features.push_back(std::move(f));
  }
  return set;
}

LayerConfig buildingConfig() {
  LayerConfig config;
  config.id = "buildings";
  config.type = "buildings";
  config.style.heightAttribute = "height_m";
  config.style.colorMode = "categorical";
  config.style.colorBy = "use";
  config.style.categories = {{"A", "#ff0000"}, {"B", "#0000ff"}};
  return config;
}

std::vector<const osg::Geometry*> geometries(const osg::Node* node) {
  std::vector<const osg::Geometry*> out;
  if (const auto* geode = dynamic_cast<const osg::Geode*>(node)) {
    for (unsigned i = 0; i < geode->getNumDrawables(); ++i) out.push_back(geode->getDrawable(i)->asGeometry());
  } else if (const osg::Group* group = node->asGroup()) {
    for (unsigned i = 0; i < group->getNumChildren(); ++i) {
      auto more = geometries(group->getChild(i));
      out.insert(out.end(), more.begin(), more.end());
    }
  }
  return out;
}

TEST(BuildingLayer, BatchesBuildingsPerTile) {
  BuildingBuildOptions options;
  options.tileSizeM = 250.0;  // 5 x 5 buildings per tile
  BuildingLayer layer(buildingConfig(), grid(10), nullptr, options);
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  EXPECT_EQ(layer.slotCount(), 100u);
  EXPECT_EQ(layer.batchCount(), 4u);
  const auto geoms = geometries(layer.node());
  ASSERT_EQ(geoms.size(), 4u);
  std::size_t vertices = 0;
  for (const osg::Geometry* g : geoms) {
    vertices += g->getVertexArray()->getNumElements();
    // Every vertex carries a valid slot.
    const auto* slots = dynamic_cast<const osg::FloatArray*>(g->getVertexAttribArray(kSlotAttribute));
    ASSERT_NE(slots, nullptr);
    ASSERT_EQ(slots->size(), g->getVertexArray()->getNumElements());
    for (float s : *slots) EXPECT_LT(s, 100.0f);
  }
  // Per building: 4 walls x 4 vertices + 4 roof vertices.
  EXPECT_EQ(vertices, 100u * 20u);
}

TEST(BuildingLayer, UnbatchedBaselineHasOneBatchPerBuilding) {
  BuildingBuildOptions options;
  options.batched = false;
  BuildingLayer layer(buildingConfig(), grid(5), nullptr, options);
  ASSERT_TRUE(layer.open().isOk());
  EXPECT_EQ(layer.batchCount(), 25u);
}

TEST(BuildingLayer, ExtrudesToTheStyledHeight) {
  BuildingLayer layer(buildingConfig(), grid(3), nullptr);
  ASSERT_TRUE(layer.open().isOk());
  EXPECT_FLOAT_EQ(layer.heightOfSlot(0), 10.0f);
  EXPECT_FLOAT_EQ(layer.heightOfSlot(8), 18.0f);
  float maxZ = 0;
  for (const osg::Geometry* g : geometries(layer.node())) {
    const auto* v = static_cast<const osg::Vec3Array*>(g->getVertexArray());
    for (const osg::Vec3& p : *v) maxZ = std::max(maxZ, p.z());
  }
  EXPECT_FLOAT_EQ(maxZ, 18.0f);
}

TEST(BuildingLayer, APickInsideABatchResolvesToTheRightBuilding) {
  BuildingLayer layer(buildingConfig(), grid(10), nullptr);
  ASSERT_TRUE(layer.open().isOk());
  ASSERT_LT(layer.batchCount(), 100u);
  for (int target : {0, 37, 99}) {
    const double cx = (target % 10) * 50.0 + 10.0;
    const double cy = (target / 10) * 50.0 + 10.0;
    osg::ref_ptr<osgUtil::LineSegmentIntersector> ray =
        new osgUtil::LineSegmentIntersector(osg::Vec3d(cx, cy, 500.0), osg::Vec3d(cx, cy, -1.0));
    osgUtil::IntersectionVisitor visitor(ray.get());
    layer.node()->accept(visitor);
    ASSERT_TRUE(ray->containsIntersections()) << "building " << target;
    const auto& hit = ray->getFirstIntersection();
    const auto entity = layer.entityAtHit(hit.nodePath, hit.drawable.get(), hit.indexList.front());
    ASSERT_TRUE(entity.has_value());
    EXPECT_EQ(*entity, static_cast<EntityIndex>(1000 + target));
    EXPECT_NEAR(hit.getWorldIntersectPoint().z(), 10.0 + target, 1e-3);  // the roof
  }
}

std::size_t triangleIndexCount(const osg::Node* node) {
  std::size_t n = 0;
  for (const osg::Geometry* g : geometries(node)) {
    for (unsigned i = 0; i < g->getNumPrimitiveSets(); ++i) n += g->getPrimitiveSet(i)->getNumIndices();
  }
  return n;
}

// Casts a vertical ray through building `target` of the grid(n) and returns the entity the first hit resolves to.
std::optional<EntityIndex> pickColumn(const BuildingLayer& layer, int n, int target) {
  const double cx = (target % n) * 50.0 + 10.0;
  const double cy = (target / n) * 50.0 + 10.0;
  osg::ref_ptr<osgUtil::LineSegmentIntersector> ray =
      new osgUtil::LineSegmentIntersector(osg::Vec3d(cx, cy, 500.0), osg::Vec3d(cx, cy, -1.0));
  osgUtil::IntersectionVisitor visitor(ray.get());
  layer.node()->accept(visitor);
  for (const auto& hit : ray->getIntersections()) {
    if (auto e = layer.entityAtHit(hit.nodePath, hit.drawable.get(), hit.indexList.front())) return e;
  }
  return std::nullopt;
}

TEST(BuildingLayer, HiddenSlotsLeaveTheBatchesAndThePicks) {
  BuildingLayer layer(buildingConfig(), grid(4), nullptr);
  ASSERT_TRUE(layer.open().isOk());
  const std::size_t all = triangleIndexCount(layer.node());
  ASSERT_GT(all, 0u);
  std::vector<bool> shown(16, true);
  shown[5] = false;
  shown[6] = false;
  ASSERT_TRUE(layer.setShownSlots(shown).isOk());
  EXPECT_TRUE(layer.hidesSlots());
  EXPECT_EQ(layer.hiddenSlotCount(), 2u);
  EXPECT_FALSE(layer.slotShown(5));
  EXPECT_TRUE(layer.slotShown(4));
  // Every building of the grid is the same 20 m box: two of sixteen fewer.
  EXPECT_EQ(triangleIndexCount(layer.node()), all / 16 * 14);
  EXPECT_FALSE(pickColumn(layer, 4, 5).has_value());
  EXPECT_EQ(pickColumn(layer, 4, 4), std::optional<EntityIndex>(1004));
  // An empty mask shows everything again, with the same triangles as before.
  ASSERT_TRUE(layer.setShownSlots({}).isOk());
  EXPECT_FALSE(layer.hidesSlots());
  EXPECT_EQ(triangleIndexCount(layer.node()), all);
  EXPECT_EQ(pickColumn(layer, 4, 5), std::optional<EntityIndex>(1005));
}

TEST(BuildingLayer, ALayerNotYetOpenRefusesAFilter) {
  BuildingLayer layer(buildingConfig(), grid(2), nullptr);
  const Status s = layer.setShownSlots({false, true, true, true});
  EXPECT_EQ(s.code(), ErrorCode::Unsupported);
  EXPECT_NE(s.message().find("not loaded"), std::string::npos) << s.message();
  EXPECT_TRUE(layer.slotShown(0));
}

TEST(BuildingLayer, SlotsAndEntitiesMapBothWays) {
  BuildingLayer layer(buildingConfig(), grid(3), nullptr);
  ASSERT_TRUE(layer.open().isOk());
  EXPECT_EQ(layer.entityOfSlot(4), 1004u);
  EXPECT_EQ(layer.slotOfEntity(1004), std::optional<std::uint32_t>(4));
  EXPECT_FALSE(layer.slotOfEntity(7).has_value());
  EXPECT_EQ(layer.entityOfSlot(999), kInvalidEntity);
  layer.assignEntities({5, 6, 7, 8, 9, 10, 11, 12, 13});
  EXPECT_EQ(layer.slotOfEntity(7), std::optional<std::uint32_t>(2));
}

TEST(BuildingLayer, RecolouringWritesValuesNotGeometry) {
  BuildingLayer layer(buildingConfig(), grid(4), nullptr);
  ASSERT_TRUE(layer.open().isOk());
  const auto before = geometries(layer.node());
  std::vector<unsigned> modified;
  for (const osg::Geometry* g : before) modified.push_back(g->getVertexArray()->getModifiedCount());

  LayerStyleConfig style;
  style.colorMode = "graduated";
  style.colorBy = "load";
  style.breaks = {10, 20};
  style.colors = {"#00ff00", "#ffff00", "#ff0000"};
  auto rule = ColorRule::fromConfig("buildings", style);
  ASSERT_TRUE(rule);
  std::vector<float> values(16, 15.0f);
  values[3] = std::nanf("");
  std::vector<SlotState> states(16, SlotState::Live);
  states[5] = SlotState::Stale;
  layer.setLiveValues(*rule, values, states);

  const auto after = geometries(layer.node());
  ASSERT_EQ(after.size(), before.size());
  for (std::size_t i = 0; i < after.size(); ++i) {
    EXPECT_EQ(after[i], before[i]);
    EXPECT_EQ(after[i]->getVertexArray()->getModifiedCount(), modified[i]);
  }
  // The legend follows the live rule, plus the live states' rows (stale, no data).
  const auto legend = layer.legend();
  ASSERT_EQ(legend.size(), 5u);
  EXPECT_EQ(legend[1].labelEn, "10 – 20");
  EXPECT_EQ(legend[3].labelZh, "过时");
  EXPECT_EQ(legend[4].labelEn, "no data");
  layer.showStaticStyle();
  EXPECT_EQ(layer.legend().size(), 3u);  // A, B, other
  EXPECT_EQ(layer.legend()[0].labelEn, "A");
}

// Colouring by a static attribute ("Colour by attribute") while the layer shows live values: the new rule is drawn,
// not the live one it had (a live attribute's values come back with the next frame's update).
TEST(BuildingLayer, ARestyleToAStaticRuleReplacesTheLiveColours) {
  BuildingLayer layer(buildingConfig(), grid(4), nullptr);
  ASSERT_TRUE(layer.open().isOk());
  LayerStyleConfig live;
  live.colorMode = "graduated";
  live.colorBy = "load";
  live.breaks = {10, 20};
  live.colors = {"#00ff00", "#ffff00", "#ff0000"};
  auto rule = ColorRule::fromConfig("buildings", live);
  ASSERT_TRUE(rule);
  layer.setLiveValues(*rule, std::vector<float>(16, 15.0f), std::vector<SlotState>(16, SlotState::Live));
  ASSERT_TRUE(layer.showsLiveValues());
  LayerStyleConfig byClass = layer.config().style;
  byClass.colorMode = "categorical";
  byClass.colorBy = "class";
  byClass.categories = {{"office", "#112233"}};
  ASSERT_TRUE(layer.restyle(byClass, nullptr).isOk());
  EXPECT_FALSE(layer.showsLiveValues());
  const auto legend = layer.legend();
  ASSERT_FALSE(legend.empty());
  EXPECT_EQ(legend[0].labelEn, "office");
}

TEST(BuildingLayer, NoFeaturesOrBadStyleIsAnErrorStatus) {
  BuildingLayer empty(buildingConfig(), std::make_shared<FeatureSet>(), nullptr);
  EXPECT_FALSE(empty.open().isOk());
  EXPECT_EQ(empty.state(), LayerState::Error);
  LayerConfig bad = buildingConfig();
  bad.style.categories = {{"A", "#12345"}};
  BuildingLayer badLayer(bad, grid(2), nullptr);
  const Status s = badLayer.open();
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("buildings"), std::string::npos);
  EXPECT_NE(s.message().find("#12345"), std::string::npos);
}

TEST(BuildingLayer, IsDrawnAfterGroundLayers) {
  BuildingLayer layer(buildingConfig(), grid(2), nullptr);
  ASSERT_TRUE(layer.open().isOk());
  layer.setOrder(3);
  EXPECT_GT(layer.node()->getStateSet()->getBinNumber(), 100 + 4 * 50);
  EXPECT_TRUE(layer.isThreeDimensional());
}

// Through the Layer interface (what the runtime's BIM links ask): boxes a BIM model replaces.
TEST(BuildingLayer, OffersItsBoxesForABimModelToReplace) {
  BuildingLayer buildings(buildingConfig(), grid(2), nullptr);
  ASSERT_TRUE(buildings.open().isOk());
  Layer& layer = buildings;
  ReplaceableBoxes* boxes = layer.replaceableBoxes();
  ASSERT_EQ(boxes, static_cast<ReplaceableBoxes*>(&buildings));
  EXPECT_EQ(layer.entityClaimant(), nullptr);
  EXPECT_EQ(layer.bimModel(), nullptr);
  boxes->setReplaced(1, {5.0, 5.0, 0.0}, 100.0);
  EXPECT_EQ(buildings.replacedCount(), 1u);
  EXPECT_EQ(boxes->baseOfSlot(1), 0.0f);  // flat ground
  boxes->setReplaced(1, {}, 0.0);  // drawn again
  EXPECT_EQ(buildings.replacedCount(), 0u);
}

// Buildings with their own surfaces (CityGML, connectors/citygml_reader.hpp): triangles, not extruded footprints.
void quad(std::vector<Vec3d>& t, Vec3d a, Vec3d b, Vec3d c, Vec3d d) { t.insert(t.end(), {a, b, c, a, c, d}); }

// A 10 x 8 m gable house at (x, y): eaves 6 m, ridge 9 m along x at y + 4, standing at absolute height z.
Feature gableHouse(const std::string& id, EntityIndex entity, double x, double y, double z) {
  Feature f;
  f.id = id;
  f.entity = entity;
  const Vec3d a{x, y, z}, b{x + 10, y, z}, c{x + 10, y + 8, z}, d{x, y + 8, z};
  const Vec3d up{0, 0, 6};
  const Vec3d ridge0{x, y + 4, z + 9}, ridge1{x + 10, y + 4, z + 9};
  auto& t = f.geometry.triangles;
  quad(t, a, b, b + up, a + up);
  quad(t, c, d, d + up, c + up);
  t.insert(t.end(), {b, c, c + up, b, c + up, b + up, b + up, c + up, ridge1});  // east wall and gable
  t.insert(t.end(), {d, a, a + up, d, a + up, d + up, d + up, a + up, ridge0});  // west
  quad(t, a + up, b + up, ridge1, ridge0);  // south roof
  quad(t, c + up, d + up, ridge0, ridge1);  // north roof
  f.geometry.polygons.push_back(Polygon{{{a, d, c, b}}});
  f.properties["use"] = std::string("A");
  return f;
}

std::shared_ptr<FeatureSet> houses() {
  auto set = std::make_shared<FeatureSet>();
  set->features.push_back(gableHouse("city/h0", 500, 0, 0, 30.0));
  set->features.push_back(gableHouse("city/h1", 501, 40, 0, 12.0));
  set->features.push_back(grid(1)->features.front());  // an extruded footprint in the same layer
  set->features.back().geometry.polygons = {rectangle(80, 0, 20, 20)};
  return set;
}

TEST(BuildingLayer, DrawsABuildingsOwnSurfacesStandingOnTheGround) {
  auto dem = std::make_shared<RasterGrid>();
  dem->x0 = -500;
  dem->y0 = -500;
  dem->dx = dem->dy = 500;
  dem->width = dem->height = 4;
  dem->values.assign(dem->cellCount(), 40.0f);
  BuildingLayer layer(buildingConfig(), houses(), std::make_shared<HeightField>(dem));
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  EXPECT_EQ(layer.batchCount(), 1u);
  EXPECT_FLOAT_EQ(layer.heightOfSlot(0), 9.0f);  // from its surfaces, not the style's height
  EXPECT_FLOAT_EQ(layer.heightOfSlot(2), 10.0f);
  EXPECT_FLOAT_EQ(layer.baseOfSlot(0), 40.0f);
  // Its lowest point stands on the ground whatever its height in the file; its triangles are drawn as they are.
  float low = 1e9f, high = -1e9f;
  std::size_t houseVertices = 0;
  for (const osg::Geometry* g : geometries(layer.node())) {
    const auto* v = static_cast<const osg::Vec3Array*>(g->getVertexArray());
    const auto* slots = static_cast<const osg::FloatArray*>(g->getVertexAttribArray(kSlotAttribute));
    for (std::size_t i = 0; i < v->size(); ++i) {
      if ((*slots)[i] != 1.0f) continue;
      low = std::min(low, (*v)[i].z());
      high = std::max(high, (*v)[i].z());
      ++houseVertices;
    }
  }
  EXPECT_FLOAT_EQ(low, 40.0f);
  EXPECT_FLOAT_EQ(high, 49.0f);
  EXPECT_EQ(houseVertices, houses()->features[1].geometry.triangles.size());
  // Both sides drawn: a wall turned the wrong way in a file leaves no hole.
  const osg::StateSet* ss = layer.node()->getChild(0)->getStateSet();
  EXPECT_EQ(ss->getMode(GL_CULL_FACE) & osg::StateAttribute::ON, 0u);
}

TEST(BuildingLayer, APickOnAnOwnRoofResolvesToItsBuildingAndFollowsFilters) {
  BuildingLayer layer(buildingConfig(), houses(), nullptr);
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  const auto pick = [&layer](double x, double y) -> std::pair<std::optional<EntityIndex>, double> {
    osg::ref_ptr<osgUtil::LineSegmentIntersector> ray =
        new osgUtil::LineSegmentIntersector(osg::Vec3d(x, y, 500.0), osg::Vec3d(x, y, -1.0));
    osgUtil::IntersectionVisitor visitor(ray.get());
    layer.node()->accept(visitor);
    if (!ray->containsIntersections()) return {std::nullopt, 0.0};
    const auto& hit = ray->getFirstIntersection();
    return {layer.entityAtHit(hit.nodePath, hit.drawable.get(), hit.indexList.front()),
            hit.getWorldIntersectPoint().z()};
  };
  // The south roof of house 1 at a quarter of its depth: 6 m eaves + 3 m x (2 / 4).
  auto [entity, z] = pick(45.0, 2.0);
  EXPECT_EQ(entity, std::optional<EntityIndex>(501));
  EXPECT_NEAR(z, 7.5, 1e-3);
  std::tie(entity, z) = pick(5.0, 4.0);  // the ridge of house 0
  EXPECT_EQ(entity, std::optional<EntityIndex>(500));
  EXPECT_NEAR(z, 9.0, 1e-3);
  ASSERT_TRUE(layer.setShownSlots({true, false, true}).isOk());
  EXPECT_FALSE(pick(45.0, 2.0).first.has_value());
  EXPECT_EQ(pick(5.0, 4.0).first, std::optional<EntityIndex>(500));
  // Per-slot colours: the static rule's class of each building, live values too.
  EXPECT_EQ(layer.slotValue(0), 0.0f);
  LayerStyleConfig style;
  style.colorMode = "graduated";
  style.colorBy = "load";
  style.breaks = {1};
  style.colors = {"#00ff00", "#ff0000"};
  auto rule = ColorRule::fromConfig("buildings", style);
  ASSERT_TRUE(rule);
  layer.setLiveValues(*rule, std::vector<float>{0.5f, 2.0f, 0.5f});
  EXPECT_EQ(layer.slotValue(1), 2.0f);
}

}  // namespace
}  // namespace gt::layers
