// The terrain's scene nodes, through the terrain layer: skirts on inner tile edges, what a real cull traversal draws
// from near and far, and intersections (picking) on the finest surface only.
#include "../../layers/src/terrain_tiles.hpp"

#include <osg/Geode>
#include <osg/Geometry>
#include <osgUtil/LineSegmentIntersector>
#include <osgUtil/RenderBin>
#include <osgUtil/SceneView>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "greentwin/layers/terrain_layer.hpp"

namespace gt::layers {
namespace {

// A width x height DEM of 10 m cells, south-west cell centre at (0, 0); heights from `z(col, row)`.
template <typename F>
std::shared_ptr<RasterGrid> makeDem(int width, int height, F z) {
  auto g = std::make_shared<RasterGrid>();
  g->dx = g->dy = 10;
  g->width = width;
  g->height = height;
  g->values.resize(g->cellCount());
  for (int r = 0; r < height; ++r)
    for (int c = 0; c < width; ++c) g->at(c, r) = static_cast<float>(z(c, r));
  return g;
}

// Gentle relief (20 +- 2 m) that no coarse level follows exactly.
double ripples(int c, int r) { return 20.0 + std::sin(1.3 * c + 0.7 * r) + std::cos(2.1 * r - 0.4 * c); }

// Rolling ground (10..30 m over kilometres) with a little roughness (+- 0.1 m): coarse levels err by decimetres.
double rolling(int c, int r) {
  return 20.0 + 5 * std::sin(c / 20.0) + 5 * std::cos(r / 25.0) + 0.1 * std::sin(1.3 * c + 0.7 * r);
}

std::unique_ptr<TerrainLayer> openTerrain(std::shared_ptr<RasterGrid> dem, int tileCells) {
  LayerConfig config;
  config.id = "dem";
  config.type = "terrain";
  auto layer = std::make_unique<TerrainLayer>(config, std::move(dem), nullptr, 1.0, tileCells);
  EXPECT_TRUE(layer->open().isOk()) << layer->status().toString();
  return layer;
}

const osg::Geode* findTile(const osg::Node* node, const std::string& name) {
  if (const osg::Geode* g = node->asGeode()) return g->getName() == name ? g : nullptr;
  if (const osg::Group* group = node->asGroup()) {
    for (unsigned i = 0; i < group->getNumChildren(); ++i) {
      if (const osg::Geode* found = findTile(group->getChild(i), name)) return found;
    }
  }
  return nullptr;
}

const osg::Vec3Array& verticesOf(const osg::Drawable* d) {
  return *dynamic_cast<const osg::Vec3Array*>(d->asGeometry()->getVertexArray());
}

unsigned trianglesOf(const osg::Drawable* d) { return d->asGeometry()->getPrimitiveSet(0)->getNumIndices() / 3; }

TEST(TerrainTiles, SkirtsHangBelowInnerTileEdgesAndNotOnTheDemsBorder) {
  // 20 x 12 cells (19 x 11 quads) in tiles of 8: level 0 is 3 x 2 tiles, level 1 2 x 1, the root (level 2) 1.
  auto layer = openTerrain(makeDem(20, 12, ripples), 8);
  ASSERT_EQ(layer->levelCount(), 3);
  const osg::Node* root = layer->node();
  // South-west tile: its north and east edges are inner (9 vertices each), its south and west edges the border.
  const osg::Geode* sw = findTile(root, "tile L0 0 0");
  ASSERT_NE(sw, nullptr);
  ASSERT_EQ(sw->getNumDrawables(), 2u);
  EXPECT_EQ(sw->getDrawable(0)->getName(), "surface");
  const osg::Drawable* skirts = sw->getDrawable(1);
  EXPECT_EQ(skirts->getName(), "skirts");
  const osg::Vec3Array& wall = verticesOf(skirts);
  EXPECT_EQ(wall.size(), 2u * (9u + 9u));     // a top and a bottom vertex per edge vertex
  EXPECT_EQ(trianglesOf(skirts), 2u * (8u + 8u));  // two per edge segment
  EXPECT_NE(skirts->asGeometry()->getTexCoordArray(0), nullptr);
  // Each top vertex is a vertex of the tile's own surface on its north or east edge; each bottom one hangs straight
  // below it by the same height, at least the largest error in the tree (the tiles meet at most that far apart).
  const osg::Vec3Array& surface = verticesOf(sw->getDrawable(0));
  std::set<std::pair<float, float>> edgeVertices;
  for (const osg::Vec3& p : surface) {
    if (p.x() == 80.0f || p.y() == 80.0f) edgeVertices.insert({p.x(), p.y()});
  }
  EXPECT_EQ(edgeVertices.size(), 17u);
  const float drop = wall[0].z() - wall[1].z();
  EXPECT_GE(drop, 1.0f);  // + a tenth of a cell even where no error
  for (std::size_t k = 0; k + 1 < wall.size(); k += 2) {
    EXPECT_TRUE(edgeVertices.count({wall[k].x(), wall[k].y()})) << wall[k].x() << "," << wall[k].y();
    EXPECT_EQ(wall[k + 1].x(), wall[k].x());
    EXPECT_EQ(wall[k + 1].y(), wall[k].y());
    EXPECT_FLOAT_EQ(wall[k].z() - wall[k + 1].z(), drop);
  }
  // North-east tile (columns 16..19, rows 8..11): its south and west edges are inner, 4 vertices each.
  const osg::Geode* ne = findTile(root, "tile L0 1 2");
  ASSERT_NE(ne, nullptr);
  ASSERT_EQ(ne->getNumDrawables(), 2u);
  EXPECT_EQ(verticesOf(ne->getDrawable(1)).size(), 2u * (4u + 4u));
  EXPECT_EQ(trianglesOf(ne->getDrawable(1)), 2u * (3u + 3u));
  // The root covers the whole DEM: every edge is the border, no skirts.
  const osg::Geode* top = findTile(root, "tile L2 0 0");
  ASSERT_NE(top, nullptr);
  EXPECT_EQ(top->getNumDrawables(), 1u);
  // One tile for the whole DEM (no levels): no skirts either.
  auto single = openTerrain(makeDem(20, 12, ripples), 128);
  EXPECT_EQ(single->levelCount(), 1);
  const osg::Geode* only = findTile(single->node(), "tile L0 0 0");
  ASSERT_NE(only, nullptr);
  EXPECT_EQ(only->getNumDrawables(), 1u);
}

// What one cull traversal of `layer` from `eye` (looking at `centre`, 1600 x 900, 40 degrees) puts in the render
// stage: the names of the tiles whose surfaces are drawn and their triangles.
struct Drawn {
  std::set<std::string> tiles;
  unsigned surfaceTriangles = 0;
  int skirts = 0;
};

void collect(const osgUtil::RenderBin& bin, Drawn& out) {
  auto add = [&](const osgUtil::RenderLeaf* leaf) {
    const osg::Drawable* d = leaf->getDrawable();
    if (d->getName() == "skirts") {
      ++out.skirts;
    } else if (d->getName() == "surface") {
      out.tiles.insert(d->getParent(0)->getName());
      out.surfaceTriangles += trianglesOf(d);
    }
  };
  for (const osgUtil::StateGraph* sg : bin.getStateGraphList()) {
    for (const auto& leaf : sg->_leaves) add(leaf.get());
  }
  for (const osgUtil::RenderLeaf* leaf : bin.getRenderLeafList()) add(leaf);
  for (const auto& [number, child] : bin.getRenderBinList()) collect(*child, out);
}

Drawn cull(TerrainLayer& layer, const osg::Vec3d& eye, const osg::Vec3d& centre) {
  osg::ref_ptr<osgUtil::SceneView> view = new osgUtil::SceneView;
  view->setDefaults();
  view->setCullingMode(view->getCullingMode() & ~osg::CullSettings::SMALL_FEATURE_CULLING);
  view->setViewport(0, 0, 1600, 900);
  view->setProjectionMatrixAsPerspective(40.0, 1600.0 / 900.0, 1.0, 1e6);
  view->setViewMatrixAsLookAt(eye, centre, osg::Vec3d(0, 0, 1));
  view->setSceneData(layer.node());
  view->cull();
  Drawn out;
  collect(*view->getRenderStage(), out);
  return out;
}

TEST(TerrainTiles, AFarCameraDrawsTheCoarseRootANearOneTheFinestTilesAroundIt) {
  // 257 x 257 cells of 10 m (2.56 km a side) in tiles of 16: 5 levels, 256 finest tiles.
  auto layer = openTerrain(makeDem(257, 257, rolling), 16);
  ASSERT_EQ(layer->levelCount(), 5);
  ASSERT_EQ(layer->tileCount(), 256);
  const osg::Vec3d centre(1280, 1280, 20);
  // 50 km above: the root's 16 x 16 quads alone.
  const Drawn far = cull(*layer, osg::Vec3d(1280, 1280 - 1, 50000), centre);
  EXPECT_EQ(far.tiles, (std::set<std::string>{"tile L4 0 0"}));
  EXPECT_EQ(far.surfaceTriangles, 2u * 16u * 16u);
  EXPECT_EQ(far.skirts, 0);  // the root has no inner edges
  // 50 m high over the south-west corner (the ground is 10..30 m), looking across the DEM: the finest tiles at the
  // eye, coarser ones beyond (here levels 0 to 3 in rings).
  const Drawn near = cull(*layer, osg::Vec3d(0, 0, 50), centre);
  EXPECT_TRUE(near.tiles.count("tile L0 0 0"));
  std::set<char> levels;
  for (const std::string& name : near.tiles) levels.insert(name[6]);
  EXPECT_TRUE(levels.count('0'));
  EXPECT_GE(levels.size(), 3u) << "the far side should be drawn coarser";
  EXPECT_GT(near.surfaceTriangles, 4 * far.surfaceTriangles);
  EXPECT_LT(near.surfaceTriangles, 2u * 256u * 256u / 4);  // far less than the finest level everywhere
  EXPECT_GT(near.skirts, 0);
  // A stricter limit draws more of it fine; a looser one less.
  layer->setMaxScreenErrorPx(0.5);
  const Drawn strict = cull(*layer, osg::Vec3d(0, 0, 50), centre);
  layer->setMaxScreenErrorPx(30);
  const Drawn loose = cull(*layer, osg::Vec3d(0, 0, 50), centre);
  EXPECT_GT(strict.surfaceTriangles, near.surfaceTriangles);
  EXPECT_LT(loose.surfaceTriangles, near.surfaceTriangles);
  layer->setMaxScreenErrorPx(-1);  // ignored
  EXPECT_DOUBLE_EQ(layer->maxScreenErrorPx(), 30.0);
}

TEST(TerrainTiles, IntersectionsMeetTheFinestSurfaceOnly) {
  auto dem = makeDem(20, 12, ripples);
  auto layer = openTerrain(dem, 4);  // 4 levels
  ASSERT_EQ(layer->levelCount(), 4);
  const auto hf = layer->heightField();
  for (const auto& [x, y] : std::vector<std::pair<double, double>>{{13, 27}, {101, 64}, {177, 3}}) {
    osg::ref_ptr<osgUtil::LineSegmentIntersector> ray =
        new osgUtil::LineSegmentIntersector(osg::Vec3d(x, y, 1000), osg::Vec3d(x, y, -1000));
    osgUtil::IntersectionVisitor visitor(ray.get());
    layer->node()->accept(visitor);
    const auto& hits = ray->getIntersections();
    ASSERT_EQ(hits.size(), 1u) << x << "," << y << ": one surface, not one per level";
    EXPECT_NEAR(hits.begin()->getWorldIntersectPoint().z(), hf->heightAt(x, y), 1e-3);
    EXPECT_EQ(hits.begin()->drawable->getParent(0)->getName().rfind("tile L0 ", 0), 0u);
  }
}

}  // namespace
}  // namespace gt::layers
