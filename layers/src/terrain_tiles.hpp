#pragma once
// The terrain's scene nodes: one TerrainTileNode per tile of a TerrainLod (terrain_lod.hpp), nested as the quadtree.
//
// A tile node's child 0 is its mesh, a Geode named "tile L<level> <row> <col>" with drawable 0 the surface (a vertex
// per tile vertex, the DEM's heights at level 0) and, where the tile has an edge inside the DEM, drawable 1 its skirts:
// walls hanging skirtHeight below every inner edge, hidden under the neighbours' surfaces, so the gaps where tiles of
// different levels meet (at most TerrainLod::maxError apart) show a wall in the tile's own colours, never background.
// The DEM's outer border has no skirts (nothing meets it). Its children 1..4 are the tile nodes of its quarters.
//
// Traversal: a cull traversal draws the tile's mesh or, when shouldRefine says its error would show, its children
// (each then frustum-culled on its own). A traversal of all children (compiling GL objects) visits every level. Any
// other traversal (intersections: picking, the ground point) visits the finest tiles only, i.e. exactly the surface
// HeightField describes.

#include <osg/Group>
#include <osg/ref_ptr>

#include <atomic>

#include "greentwin/core/raster.hpp"
#include "terrain_lod.hpp"

namespace gt::layers::detail {

// What every tile node of one layer reads when it is culled (cull thread); written from the update thread.
struct TerrainLodSettings : osg::Referenced {
  std::atomic<float> maxErrorPx{2.0f};
};

class TerrainTileNode : public osg::Group {
 public:
  TerrainTileNode() = default;
  TerrainTileNode(const TerrainTileNode& other, const osg::CopyOp& copyOp = osg::CopyOp::SHALLOW_COPY);
  META_Node(gt, TerrainTileNode)

  void traverse(osg::NodeVisitor& nv) override;

  // The tile this node draws: its level, error and box are what the cull traversal needs (its heights are not kept).
  void setTile(const TerrainLodTile& tile, osg::ref_ptr<const TerrainLodSettings> settings);
  const TerrainLodTile& tile() const { return tile_; }
  int level() const { return tile_.level; }
  bool hasChildTiles() const { return getNumChildren() > 1; }

 private:
  bool refine(osg::NodeVisitor& nv) const;

  TerrainLodTile tile_;
  osg::ref_ptr<const TerrainLodSettings> settings_;
};

// The nodes of `lod`'s tree (nullptr when it has no tiles). textureGrid: the draped texture's footprint (texture
// coordinates stretch it over its own area); skirtHeight: metres the skirts hang; floorZ: height given to nodata
// vertices (no triangle uses them). Runs on the loader thread; the tree is read-only afterwards.
osg::ref_ptr<TerrainTileNode> buildTerrainTileNodes(const TerrainLod& lod, const GridGeometry& textureGrid,
                                                    float skirtHeight, float floorZ,
                                                    const osg::ref_ptr<const TerrainLodSettings>& settings);

}  // namespace gt::layers::detail
