#include "terrain_tiles.hpp"

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Viewport>
#include <osgUtil/CullVisitor>

#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace gt::layers::detail {
namespace {

// Triangles as a DrawElements of the smallest index type that holds vertexCount.
osg::ref_ptr<osg::DrawElements> drawElements(const std::vector<unsigned>& indices, int vertexCount) {
  if (vertexCount <= 0xFFFF + 1) {
    osg::ref_ptr<osg::DrawElementsUShort> out = new osg::DrawElementsUShort(GL_TRIANGLES);
    out->reserve(indices.size());
    for (unsigned i : indices) out->push_back(static_cast<unsigned short>(i));
    return out;
  }
  osg::ref_ptr<osg::DrawElementsUInt> out = new osg::DrawElementsUInt(GL_TRIANGLES);
  out->assign(indices.begin(), indices.end());
  return out;
}

class MeshBuilder {
 public:
  MeshBuilder(const TerrainLod& lod, const GridGeometry& texture, float skirtHeight, float floorZ,
              osg::ref_ptr<const TerrainLodSettings> settings)
      : lod_(lod), texture_(texture), skirtHeight_(skirtHeight), floorZ_(floorZ), settings_(std::move(settings)) {
    white_ = new osg::Vec4Array(1);
    (*white_)[0] = osg::Vec4(1, 1, 1, 1);
  }

  osg::ref_ptr<TerrainTileNode> node(int index) {
    const TerrainLodTile& t = lod_.tiles[static_cast<std::size_t>(index)];
    osg::ref_ptr<TerrainTileNode> node = new TerrainTileNode;
    node->setTile(t, settings_);
    node->setName("tile node L" + std::to_string(t.level) + " " + std::to_string(t.tileRow) + " " +
                  std::to_string(t.tileCol));
    node->addChild(mesh(t).get());
    for (int child : t.children) {
      if (child >= 0) node->addChild(this->node(child).get());
    }
    return node;
  }

 private:
  osg::Vec2 texCoord(double x, double y) const {
    return osg::Vec2(static_cast<float>((x - texture_.minX()) / (texture_.maxX() - texture_.minX())),
                     static_cast<float>((y - texture_.minY()) / (texture_.maxY() - texture_.minY())));
  }

  osg::ref_ptr<osg::Geometry> geometry(osg::Vec3Array* vertices, osg::Vec2Array* texCoords,
                                       osg::DrawElements* triangles, const char* name) const {
    osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
    g->setName(name);
    g->setUseVertexBufferObjects(true);
    g->setVertexArray(vertices);
    g->setTexCoordArray(0, texCoords);
    g->setColorArray(white_.get(), osg::Array::BIND_OVERALL);
    g->addPrimitiveSet(triangles);
    return g;
  }

  osg::ref_ptr<osg::Geode> mesh(const TerrainLodTile& t) {
    const GridGeometry& grid = lod_.grid;
    const int nc = static_cast<int>(t.cols.size()), nr = static_cast<int>(t.rows.size());
    osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec2Array> texCoords = new osg::Vec2Array;
    vertices->reserve(static_cast<std::size_t>(t.vertexCount()));
    texCoords->reserve(vertices->capacity());
    for (int j = 0; j < nr; ++j) {
      for (int i = 0; i < nc; ++i) {
        const double x = grid.cellX(t.cols[static_cast<std::size_t>(i)]);
        const double y = grid.cellY(t.rows[static_cast<std::size_t>(j)]);
        const float z = t.heightAt(i, j);
        vertices->push_back(osg::Vec3(static_cast<float>(x), static_cast<float>(y), std::isnan(z) ? floorZ_ : z));
        texCoords->push_back(texCoord(x, y));
      }
    }
    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName("tile L" + std::to_string(t.level) + " " + std::to_string(t.tileRow) + " " +
                   std::to_string(t.tileCol));
    if (t.triangles == 0) return geode;  // all nodata
    geode->addDrawable(geometry(vertices.get(), texCoords.get(), surface(t).get(), "surface").get());
    if (osg::ref_ptr<osg::Geometry> skirt = skirts(t, *vertices, *texCoords)) geode->addDrawable(skirt.get());
    return geode;
  }

  // The surface's triangles; a full grid's (no nodata) are shared by every tile of the same size, which are most.
  osg::ref_ptr<osg::DrawElements> surface(const TerrainLodTile& t) {
    const int nc = static_cast<int>(t.cols.size()), nr = static_cast<int>(t.rows.size());
    const std::pair<int, int> key(nc, nr);
    if (!t.hasNodata) {
      if (auto it = shared_.find(key); it != shared_.end()) return it->second;
    }
    std::vector<unsigned> indices;
    indices.reserve(6 * static_cast<std::size_t>(t.triangles));
    auto index = [&](int i, int j) { return static_cast<unsigned>(j * nc + i); };
    for (int j = 0; j + 1 < nr; ++j) {
      for (int i = 0; i + 1 < nc; ++i) {
        // Counter-clockwise seen from above: south-east triangle, then north-west triangle.
        if (t.hasSouthEast(i, j)) indices.insert(indices.end(), {index(i, j), index(i + 1, j), index(i + 1, j + 1)});
        if (t.hasNorthWest(i, j)) indices.insert(indices.end(), {index(i, j), index(i + 1, j + 1), index(i, j + 1)});
      }
    }
    osg::ref_ptr<osg::DrawElements> out = drawElements(indices, t.vertexCount());
    if (!t.hasNodata) shared_[key] = out;
    return out;
  }

  // Walls hanging skirtHeight_ below every edge of the tile that lies inside the DEM (not on its outer border).
  osg::ref_ptr<osg::Geometry> skirts(const TerrainLodTile& t, const osg::Vec3Array& surface,
                                     const osg::Vec2Array& surfaceTex) const {
    const GridGeometry& grid = lod_.grid;
    const int nc = static_cast<int>(t.cols.size()), nr = static_cast<int>(t.rows.size());
    std::vector<std::vector<unsigned>> edges;  // surface vertex indices along each inner edge
    auto edge = [&](int i0, int j0, int di, int dj, int n) {
      std::vector<unsigned> e;
      for (int k = 0; k < n; ++k) e.push_back(static_cast<unsigned>((j0 + k * dj) * nc + i0 + k * di));
      edges.push_back(std::move(e));
    };
    if (t.rows.front() > 0) edge(0, 0, 1, 0, nc);                         // south
    if (t.rows.back() < grid.height - 1) edge(0, nr - 1, 1, 0, nc);       // north
    if (t.cols.front() > 0) edge(0, 0, 0, 1, nr);                         // west
    if (t.cols.back() < grid.width - 1) edge(nc - 1, 0, 0, 1, nr);        // east
    if (edges.empty()) return nullptr;

    osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
    osg::ref_ptr<osg::Vec2Array> texCoords = new osg::Vec2Array;
    std::vector<unsigned> indices;
    for (const std::vector<unsigned>& e : edges) {
      for (std::size_t k = 0; k < e.size(); ++k) {
        const auto top = static_cast<unsigned>(vertices->size());
        const osg::Vec3& p = surface[e[k]];
        vertices->push_back(p);
        vertices->push_back(p - osg::Vec3(0, 0, skirtHeight_));
        texCoords->push_back(surfaceTex[e[k]]);
        texCoords->push_back(surfaceTex[e[k]]);
        const bool here = !std::isnan(t.heights[e[k]]);
        const bool previous = k > 0 && !std::isnan(t.heights[e[k - 1]]);
        if (here && previous) {  // a quad between the previous edge vertex (top - 2, bottom - 1) and this one
          indices.insert(indices.end(), {top - 2, top - 1, top + 1, top - 2, top + 1, top});
        }
      }
    }
    if (indices.empty()) return nullptr;
    return geometry(vertices.get(), texCoords.get(), drawElements(indices, static_cast<int>(vertices->size())).get(),
                    "skirts");
  }

  const TerrainLod& lod_;
  const GridGeometry& texture_;
  float skirtHeight_;
  float floorZ_;
  osg::ref_ptr<const TerrainLodSettings> settings_;
  osg::ref_ptr<osg::Vec4Array> white_;
  std::map<std::pair<int, int>, osg::ref_ptr<osg::DrawElements>> shared_;
};

}  // namespace

TerrainTileNode::TerrainTileNode(const TerrainTileNode& other, const osg::CopyOp& copyOp)
    : osg::Group(other, copyOp), tile_(other.tile_), settings_(other.settings_) {}

void TerrainTileNode::setTile(const TerrainLodTile& tile, osg::ref_ptr<const TerrainLodSettings> settings) {
  tile_ = tile;
  tile_.heights = {};  // the meshes have them; selection needs the error and the box
  tile_.heights.shrink_to_fit();
  tile_.cols = {};
  tile_.rows = {};
  settings_ = std::move(settings);
}

// Cull thread: the eye in the tile's own coordinates, the projection's pixels per radian (vertical), OSG's LOD scale.
bool TerrainTileNode::refine(osg::NodeVisitor& nv) const {
  const osgUtil::CullVisitor* cv = nv.asCullVisitor();
  if (cv == nullptr || settings_ == nullptr || !hasChildTiles()) return false;
  const osg::RefMatrix* projection = cv->getProjectionMatrix();
  const osg::Viewport* viewport = cv->getViewport();
  if (projection == nullptr || viewport == nullptr) return false;
  const double pixelsPerRadian = 0.5 * viewport->height() * (*projection)(1, 1);
  const float maxErrorPx = settings_->maxErrorPx.load(std::memory_order_relaxed);
  if ((*projection)(3, 3) == 1.0) {  // orthographic: a metre covers the same pixels at any distance
    return tile_.error > 0 && tile_.error * pixelsPerRadian > maxErrorPx;
  }
  const osg::Vec3 eye = cv->getEyeLocal();
  return shouldRefine(tile_, eye.x(), eye.y(), eye.z(), pixelsPerRadian, maxErrorPx, cv->getLODScale());
}

void TerrainTileNode::traverse(osg::NodeVisitor& nv) {
  if (getNumChildren() == 0) return;
  if (nv.getTraversalMode() == osg::NodeVisitor::TRAVERSE_ALL_CHILDREN) {  // e.g. compiling GL objects: every level
    osg::Group::traverse(nv);
    return;
  }
  // Cull: this tile or its children. Other traversals of the active children (intersections): the finest tiles only.
  const bool cull = nv.getVisitorType() == osg::NodeVisitor::CULL_VISITOR && nv.asCullVisitor() != nullptr;
  if (cull ? !refine(nv) : !hasChildTiles()) {
    _children[0]->accept(nv);
    return;
  }
  for (unsigned i = 1; i < getNumChildren(); ++i) _children[i]->accept(nv);
}

osg::ref_ptr<TerrainTileNode> buildTerrainTileNodes(const TerrainLod& lod, const GridGeometry& textureGrid,
                                                    float skirtHeight, float floorZ,
                                                    const osg::ref_ptr<const TerrainLodSettings>& settings) {
  if (lod.root < 0) return nullptr;
  return MeshBuilder(lod, textureGrid, skirtHeight, floorZ, settings).node(lod.root);
}

}  // namespace gt::layers::detail
