#include "greentwin/layers/terrain_layer.hpp"

#include <osg/Depth>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Texture2D>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/layers/layer_registry.hpp"
#include "greentwin/layers/vector_layer.hpp"

namespace gt::layers {
namespace {

// A 20 x 12 cell DEM, 10 m cells, south-west cell centre at (-95, -55): gentle relief.
double relief(double x, double y) { return 20.0 + 8.0 * std::sin(x / 30.0) + 5.0 * std::cos(y / 25.0); }

std::shared_ptr<RasterGrid> makeDem(int width = 20, int height = 12) {
  auto g = std::make_shared<RasterGrid>();
  g->x0 = -95;
  g->y0 = -55;
  g->dx = 10;
  g->dy = 10;
  g->width = width;
  g->height = height;
  g->values.resize(g->cellCount());
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) g->at(c, r) = static_cast<float>(relief(g->cellX(c), g->cellY(r)));
  return g;
}

LayerConfig config(const std::string& id, const std::string& type) {
  LayerConfig c;
  c.id = id;
  c.type = type;
  c.nameEn = "Terrain";
  c.nameZh = "地形";
  return c;
}

osg::Group* childGroup(const Layer& layer, const std::string& name) {
  for (unsigned i = 0; i < layer.node()->getNumChildren(); ++i) {
    osg::Node* child = layer.node()->getChild(i);
    if (child->getName() == name) return child->asGroup();
  }
  return nullptr;
}

struct MeshStats {
  std::size_t vertices = 0;
  std::size_t triangles = 0;
  std::vector<osg::Vec3> positions;
};

// The meshes of one level of detail (level 0: the finest, the DEM's cells): the Geodes named "tile L<level> ..."
// anywhere under the group "tiles" (the quadtree's nodes nest them).
void collectLevel(const osg::Node* node, int level, std::vector<const osg::Geode*>& out) {
  if (const osg::Geode* geode = node->asGeode()) {
    if (geode->getName().rfind("tile L" + std::to_string(level) + " ", 0) == 0) out.push_back(geode);
    return;
  }
  if (const osg::Group* group = node->asGroup()) {
    for (unsigned i = 0; i < group->getNumChildren(); ++i) collectLevel(group->getChild(i), level, out);
  }
}

std::vector<const osg::Geode*> tilesOfLevel(const TerrainLayer& layer, int level) {
  std::vector<const osg::Geode*> out;
  const osg::Group* tiles = childGroup(layer, "tiles");
  EXPECT_NE(tiles, nullptr);
  if (tiles != nullptr) collectLevel(tiles, level, out);
  return out;
}

// The surfaces (drawable 0) of one level's tiles; skirts (drawable 1) are not counted.
MeshStats meshOf(const TerrainLayer& layer, int level = 0) {
  MeshStats stats;
  for (const osg::Geode* geode : tilesOfLevel(layer, level)) {
    if (geode->getNumDrawables() == 0) continue;  // a tile of nodata
    const osg::Geometry* g = geode->getDrawable(0)->asGeometry();
    const auto* v = dynamic_cast<const osg::Vec3Array*>(g->getVertexArray());
    EXPECT_NE(v, nullptr);
    EXPECT_NE(g->getTexCoordArray(0), nullptr);
    stats.vertices += v->size();
    stats.positions.insert(stats.positions.end(), v->begin(), v->end());
    stats.triangles += g->getPrimitiveSet(0)->getNumIndices() / 3;
  }
  return stats;
}

TEST(TerrainLayer, MeshTilesVerticesAndHeightsMatchTheGrid) {
  auto dem = makeDem();
  TerrainLayer layer(config("dem", "terrain"), dem, nullptr, 2.0, 8);
  EXPECT_EQ(layer.heightField(), nullptr);  // not before open()
  ASSERT_TRUE(layer.open().isOk()) << layer.status().toString();
  // 19 x 11 cell quads between the 20 x 12 centres, in tiles of 8 x 8 cells: 3 x 2 tiles.
  EXPECT_EQ(layer.tileCount(), 6);
  const MeshStats mesh = meshOf(layer);
  // Tiles share their border vertices: columns 9 + 9 + 4, rows 9 + 4.
  EXPECT_EQ(mesh.vertices, (9u + 9u + 4u) * (9u + 4u));
  EXPECT_EQ(mesh.triangles, 2u * 19u * 11u);
  // Every vertex is a cell centre at its value times the vertical scale.
  for (const osg::Vec3& p : mesh.positions) {
    const double c = (p.x() - dem->x0) / dem->dx, r = (p.y() - dem->y0) / dem->dy;
    ASSERT_NEAR(c, std::round(c), 1e-4);
    ASSERT_NEAR(r, std::round(r), 1e-4);
    EXPECT_NEAR(p.z(), 2.0 * dem->at(static_cast<int>(std::lround(c)), static_cast<int>(std::lround(r))), 1e-4);
  }
  EXPECT_EQ(layer.node()->getStateSet()->getBinNumber(), TerrainLayer::kRenderBin);
}

// Levels of detail: the same ground at every level, never above the surface other layers clamp to (so a road 0.5 m
// above it is never hidden by a coarse tile), the finest level exactly on it (the test above).
TEST(TerrainLayer, CoarserLevelsCoverTheGridAndNeverRiseAboveTheClampingGround) {
  auto dem = makeDem();
  TerrainLayer layer(config("dem", "terrain"), dem, nullptr, 2.0, 4);
  EXPECT_EQ(layer.levelCount(), 0);  // not before open()
  ASSERT_TRUE(layer.open().isOk()) << layer.status().toString();
  // 19 quads in tiles of 4: 4, 8, 16, 32 quads a tile at levels 0..3.
  ASSERT_EQ(layer.levelCount(), 4);
  EXPECT_EQ(layer.tileCount(), 5 * 3);
  EXPECT_DOUBLE_EQ(layer.maxScreenErrorPx(), TerrainLayer::kDefaultMaxScreenErrorPx);
  const auto ground = layer.heightField();
  const std::size_t tilesPerLevel[] = {15, 6, 2, 1};
  const std::size_t quadsPerLevel[] = {19 * 11, 10 * 6, 5 * 3, 3 * 2};  // ceil(19 / 2^L) x ceil(11 / 2^L)
  for (int level = 0; level < 4; ++level) {
    EXPECT_EQ(tilesOfLevel(layer, level).size(), tilesPerLevel[level]) << "level " << level;
    const MeshStats mesh = meshOf(layer, level);
    EXPECT_EQ(mesh.triangles, 2 * quadsPerLevel[level]) << "level " << level;
    double lowest = 1e9, highest = -1e9;
    for (const osg::Vec3& p : mesh.positions) {
      EXPECT_LE(p.z(), ground->heightAt(p.x(), p.y()) + 1e-4) << "level " << level;
      lowest = std::min<double>(lowest, p.x());
      highest = std::max<double>(highest, p.x());
    }
    EXPECT_NEAR(lowest, dem->cellX(0), 1e-4);  // every level spans the grid: the last column is always kept
    EXPECT_NEAR(highest, dem->cellX(dem->width - 1), 1e-4);
  }
}

TEST(TerrainLayer, HeightFieldSamplesTheDrawnSurface) {
  auto dem = makeDem();
  TerrainLayer layer(config("dem", "terrain"), dem, nullptr, 1.5);
  ASSERT_TRUE(layer.open().isOk()) << layer.status().toString();
  EXPECT_EQ(layer.tileCount(), 1);  // 19 x 11 quads fit one 128-cell tile
  const auto hf = layer.heightField();
  ASSERT_NE(hf, nullptr);
  EXPECT_DOUBLE_EQ(hf->verticalScale(), 1.5);
  EXPECT_DOUBLE_EQ(hf->cellSize(), 10.0);
  // At a cell centre: the value; between centres: on the mesh (so between the neighbouring vertices' heights).
  EXPECT_NEAR(hf->heightAt(dem->cellX(4), dem->cellY(7)), 1.5 * dem->at(4, 7), 1e-4);
  const double mid = hf->heightAt(dem->cellX(4) + 5, dem->cellY(7));
  EXPECT_NEAR(mid, 1.5 * (dem->at(4, 7) + dem->at(5, 7)) / 2, 1e-4);  // on a row line the mesh is linear
  EXPECT_DOUBLE_EQ(hf->heightAt(5000, 5000, -1.0), -1.0);
}

TEST(TerrainLayer, NodataLeavesHolesAndOtherBadInputIsAnError) {
  auto dem = makeDem();
  dem->at(5, 5) = std::numeric_limits<float>::quiet_NaN();
  TerrainLayer holed(config("dem", "terrain"), dem);
  ASSERT_TRUE(holed.open().isOk()) << holed.status().toString();
  // An interior vertex touches 6 triangles (the diagonal split gives it 2 + 1 + 1 + 2).
  EXPECT_EQ(meshOf(holed).triangles, 2u * 19u * 11u - 6u);
  EXPECT_FALSE(holed.heightField()->sample(dem->cellX(5), dem->cellY(5)).has_value());
  EXPECT_EQ(holed.texture()->pixel(5, 5)[3], 0);  // transparent in the hillshade too

  TerrainLayer none(config("none", "terrain"), nullptr);
  EXPECT_FALSE(none.open().isOk());
  EXPECT_NE(none.status().message().find("'none'"), std::string::npos);
  EXPECT_EQ(none.heightField(), nullptr);
  TerrainLayer thin(config("thin", "terrain"), makeDem(20, 1));
  EXPECT_FALSE(thin.open().isOk());
  TerrainLayer flatScale(config("s", "terrain"), makeDem(), nullptr, 0.0);
  EXPECT_FALSE(flatScale.open().isOk());
  auto empty = makeDem();
  for (float& v : empty->values) v = std::numeric_limits<float>::quiet_NaN();
  TerrainLayer allNodata(config("e", "terrain"), empty);
  EXPECT_FALSE(allNodata.open().isOk());
  EXPECT_NE(allNodata.status().message().find("nodata"), std::string::npos);
}

TEST(TerrainLayer, DrawsFirstWithDepthWriteAndATexture) {
  TerrainLayer layer(config("dem", "terrain"), makeDem());
  layer.setOrder(5);  // its place in the list does not matter
  ASSERT_TRUE(layer.open().isOk());
  const osg::StateSet* ss = layer.node()->getStateSet();
  EXPECT_EQ(ss->getBinNumber(), TerrainLayer::kRenderBin);
  EXPECT_LT(TerrainLayer::kRenderBin, 100);  // below every ground layer's bins
  const auto* depth = dynamic_cast<const osg::Depth*>(ss->getAttribute(osg::StateAttribute::DEPTH));
  ASSERT_NE(depth, nullptr);
  EXPECT_TRUE(depth->getWriteMask());
  EXPECT_EQ(depth->getFunction(), osg::Depth::LESS);
  const osg::StateSet* tiles = childGroup(layer, "tiles")->getStateSet();
  ASSERT_NE(tiles, nullptr);
  EXPECT_NE(dynamic_cast<const osg::Texture2D*>(tiles->getTextureAttribute(0, osg::StateAttribute::TEXTURE)), nullptr);
  // Without imagery the texture is the tinted hillshade, one texel per cell.
  ASSERT_NE(layer.texture(), nullptr);
  EXPECT_EQ(layer.texture()->width, 20);
  EXPECT_EQ(layer.texture()->height, 12);
  ASSERT_EQ(layer.legend().size(), 1u);

  // With imagery, the imagery is draped as given.
  auto imagery = std::make_shared<RgbaImage>();
  imagery->x0 = -100;
  imagery->y0 = -60;
  imagery->dx = imagery->dy = 50;
  imagery->width = 5;
  imagery->height = 3;
  imagery->pixels.assign(4 * imagery->cellCount(), 200);
  TerrainLayer draped(config("img", "terrain"), makeDem(), imagery);
  ASSERT_TRUE(draped.open().isOk()) << draped.status().toString();
  EXPECT_EQ(draped.texture(), imagery);
}

TEST(TerrainLayer, HypsometricTintRunsFromGreenToWhite) {
  const Rgba low = hypsometricTint(0.0), high = hypsometricTint(1.0);
  EXPECT_GT(low[1], low[0]);  // green
  EXPECT_GT(high[0], 0.9f);   // white
  EXPECT_EQ(hypsometricTint(-3.0), low);
  EXPECT_EQ(hypsometricTint(7.0), high);
  EXPECT_EQ(hypsometricTint(std::nan("")), low);
}

TEST(TerrainLayer, RegisteredAsTerrainTakingTheRasterInput) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  ASSERT_TRUE(registry.hasType("terrain"));
  LayerInputs in;
  in.config = config("dem", "terrain");
  auto missing = registry.create(in);
  ASSERT_FALSE(missing.isOk());
  EXPECT_NE(missing.status().message().find("no elevation grid"), std::string::npos);
  in.raster = makeDem();
  auto created = registry.create(in);
  ASSERT_TRUE(created.isOk()) << created.status().toString();
  ASSERT_TRUE((*created)->open().isOk());
  auto* terrain = dynamic_cast<TerrainLayer*>(created->get());
  ASSERT_NE(terrain, nullptr);
  EXPECT_NE(terrain->heightField(), nullptr);
}

// --- vector layers clamped to the terrain ---------------------------------------------------------------------

std::vector<osg::Vec3> verticesOf(const osg::Group* group) {
  std::vector<osg::Vec3> out;
  for (unsigned i = 0; i < group->getNumChildren(); ++i) {
    const osg::Geode* geode = group->getChild(i)->asGeode();
    for (unsigned k = 0; k < geode->getNumDrawables(); ++k) {
      const auto* v = dynamic_cast<const osg::Vec3Array*>(geode->getDrawable(k)->asGeometry()->getVertexArray());
      out.insert(out.end(), v->begin(), v->end());
    }
  }
  return out;
}

std::shared_ptr<FeatureSet> clampFeatures() {
  auto set = std::make_shared<FeatureSet>();
  Feature line;
  line.id = "road/0";
  line.entity = 1;
  line.geometry.lines.push_back({{-80, -40, 0}, {80, 40, 0}});  // 179 m, across many 10 m cells
  Feature park;
  park.id = "park/0";
  park.entity = 2;
  park.geometry.polygons.push_back({{{{-60, -30, 0}, {40, -30, 0}, {40, 30, 0}, {-60, 30, 0}}}});
  Feature poi;
  poi.id = "poi/0";
  poi.entity = 3;
  poi.geometry.points = {{12, 7, 0}, {-33, 21, 0}};
  set->features = {line, park, poi};
  return set;
}

TEST(VectorLayerOnTerrain, VerticesLieOnTheTerrainPlusTheOffsetAndLongEdgesAreDensified) {
  TerrainLayer terrain(config("dem", "terrain"), makeDem(), nullptr, 1.0);
  ASSERT_TRUE(terrain.open().isOk());
  const auto ground = terrain.heightField();
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  LayerInputs in;
  in.config = config("roads", "vector");
  in.features = clampFeatures();
  in.ground = ground;
  auto created = registry.create(in);
  ASSERT_TRUE(created.isOk()) << created.status().toString();
  Layer& layer = **created;
  ASSERT_TRUE(layer.open().isOk()) << layer.status().toString();
  const double offset = VectorLayer::kGroundOffsetM;

  const std::vector<osg::Vec3> strokes = verticesOf(childGroup(layer, "strokes"));
  // The 2-point line and the 4-point ring become far more vertices: split at every mesh edge.
  EXPECT_GT(strokes.size(), 6u + 40u);
  for (const osg::Vec3& p : strokes) {
    EXPECT_NEAR(p.z(), ground->heightAt(p.x(), p.y()) + offset, 1e-3) << p.x() << "," << p.y();
  }
  // No piece of a stroke is longer than a cell diagonal (each lies inside one mesh triangle).
  const osg::Group* strokeGroup = childGroup(layer, "strokes");
  for (unsigned i = 0; i < strokeGroup->getNumChildren(); ++i) {
    const osg::Geode* geode = strokeGroup->getChild(i)->asGeode();
    for (unsigned k = 0; k < geode->getNumDrawables(); ++k) {
      const auto* v = dynamic_cast<const osg::Vec3Array*>(geode->getDrawable(k)->asGeometry()->getVertexArray());
      for (std::size_t j = 0; j + 1 < v->size(); ++j) {
        const osg::Vec3 d = (*v)[j + 1] - (*v)[j];
        EXPECT_LE(std::hypot(d.x(), d.y()), 10 * std::sqrt(2.0) + 1e-3);
      }
    }
  }
  // Fill vertices (the tessellated, draped ring) and points too.
  for (const osg::Vec3& p : verticesOf(childGroup(layer, "fills"))) {
    EXPECT_NEAR(p.z(), ground->heightAt(p.x(), p.y()) + offset, 1e-3);
  }
  const std::vector<osg::Vec3> points = verticesOf(childGroup(layer, "points"));
  ASSERT_EQ(points.size(), 2u);
  EXPECT_NEAR(points[0].z(), ground->heightAt(12, 7) + offset, 1e-4);
  EXPECT_GT(points[0].z(), 10.0);  // really lifted (the relief is 7..33 m)

  // Strokes and points are depth-tested against the terrain; fills are not (they keep the layer's ALWAYS).
  const auto* strokeDepth = dynamic_cast<const osg::Depth*>(
      childGroup(layer, "strokes")->getStateSet()->getAttribute(osg::StateAttribute::DEPTH));
  ASSERT_NE(strokeDepth, nullptr);
  EXPECT_EQ(strokeDepth->getFunction(), osg::Depth::LEQUAL);
  EXPECT_FALSE(strokeDepth->getWriteMask());
  EXPECT_LT(strokeDepth->getZFar(), 1.0);
  const osg::StateSet* fillState = childGroup(layer, "fills")->getStateSet();
  EXPECT_TRUE(fillState == nullptr || fillState->getAttribute(osg::StateAttribute::DEPTH) == nullptr);
}

TEST(VectorLayerOnTerrain, WithoutAGroundNothingChanges) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  LayerInputs in;
  in.config = config("roads", "vector");
  in.features = clampFeatures();
  auto created = registry.create(in);
  ASSERT_TRUE(created.isOk());
  ASSERT_TRUE((*created)->open().isOk());
  std::vector<osg::Vec3> strokes = verticesOf(childGroup(**created, "strokes"));
  const std::vector<osg::Vec3> lines = verticesOf(childGroup(**created, "lines"));
  strokes.insert(strokes.end(), lines.begin(), lines.end());
  EXPECT_EQ(strokes.size(), 6u);  // 2 line points + 4 ring points, not densified
  for (const osg::Vec3& p : strokes) EXPECT_EQ(p.z(), 0.0f);
  EXPECT_EQ(childGroup(**created, "strokes")->getStateSet()->getAttribute(osg::StateAttribute::DEPTH), nullptr);
}

// A terrain's own key, registered with the type (moved from core's layer keys).
TEST(TerrainLayer, ImageryIsTheTerrainTypesOwnKey) {
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  ConfigSchema schema;
  schema.layerTypes = registry.optionsParsers();
  auto r = parseConfig("[[layers]]\nid = \"dem\"\ntype = \"terrain\"\nsource = \"dem.tif\"\nimagery = \"ortho.tif\"\n",
                       "test.toml", schema);
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(terrainOptions(r->layers.at(0)).imagery, "ortho.tif");
  auto bad = parseConfig("[[layers]]\nid = \"dem\"\ntype = \"terrain\"\nimagery = 3\n", "test.toml", schema);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("test.toml:4: 'layers[0].imagery' must be a string, got integer"),
            std::string::npos)
      << bad.status().message();
  auto none = parseConfig("[[layers]]\nid = \"dem\"\ntype = \"terrain\"\n", "test.toml", schema);
  ASSERT_TRUE(none.isOk());
  EXPECT_EQ(terrainOptions(none->layers.at(0)).imagery, "");  // a hillshade
}

// Through the Layer interface (what the loader asks): the ground it lays under later layers, once open.
TEST(TerrainLayer, OffersItsHeightFieldAsALayer) {
  TerrainLayer terrain(config("dem", "terrain"), makeDem());
  const Layer& layer = terrain;
  EXPECT_EQ(layer.heightField(), nullptr);  // not before open()
  ASSERT_TRUE(terrain.open().isOk()) << terrain.status().toString();
  ASSERT_NE(layer.heightField(), nullptr);
  EXPECT_EQ(layer.heightField(), terrain.heightField());
}

}  // namespace
}  // namespace gt::layers
