#include "scene_file.hpp"

#include <cmath>
#include <map>
#include <set>

#include <osg/BlendFunc>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Material>
#include <osg/MatrixTransform>
#include <osg/NodeVisitor>
#include <osg/TriangleFunctor>
#include <osgDB/FileNameUtils>
#include <osgDB/ReadFile>
#include <osgDB/Registry>
#include <osgDB/WriteFile>

namespace gt::bim {
namespace {

std::array<float, 4> defaultColour(const std::string& type) {
  static const std::map<std::string, std::array<float, 4>> kColours = {
      {"IFCWALL", {0.90f, 0.88f, 0.84f, 1.f}},      {"IFCWALLSTANDARDCASE", {0.90f, 0.88f, 0.84f, 1.f}},
      {"IFCSLAB", {0.70f, 0.70f, 0.70f, 1.f}},      {"IFCROOF", {0.65f, 0.30f, 0.25f, 1.f}},
      {"IFCWINDOW", {0.60f, 0.80f, 0.95f, 0.5f}},   {"IFCDOOR", {0.55f, 0.40f, 0.25f, 1.f}},
      {"IFCBEAM", {0.70f, 0.55f, 0.35f, 1.f}},      {"IFCCOLUMN", {0.75f, 0.75f, 0.75f, 1.f}},
      {"IFCPLATE", {0.60f, 0.80f, 0.95f, 0.5f}},    {"IFCMEMBER", {0.60f, 0.60f, 0.62f, 1.f}},
      {"IFCRAILING", {0.40f, 0.40f, 0.42f, 1.f}},   {"IFCSTAIR", {0.78f, 0.76f, 0.72f, 1.f}},
      {"IFCSTAIRFLIGHT", {0.78f, 0.76f, 0.72f, 1.f}}, {"IFCFURNISHINGELEMENT", {0.80f, 0.65f, 0.45f, 1.f}},
  };
  const auto it = kColours.find(type);
  return it == kColours.end() ? std::array<float, 4>{0.80f, 0.80f, 0.80f, 1.f} : it->second;
}

osg::ref_ptr<osg::Geometry> toGeometry(const MeshPart& part, const std::array<float, 4>& rgba, const Vec3d& offset) {
  const std::size_t vertexCount = part.positions.size() / 3;
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array(static_cast<unsigned>(vertexCount));
  osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array(static_cast<unsigned>(vertexCount));
  for (std::size_t v = 0; v < vertexCount; ++v) {
    (*vertices)[static_cast<unsigned>(v)].set(static_cast<float>(part.positions[3 * v] - offset.x),
                                              static_cast<float>(part.positions[3 * v + 1] - offset.y),
                                              static_cast<float>(part.positions[3 * v + 2] - offset.z));
    const std::size_t t = v / 3;
    (*normals)[static_cast<unsigned>(v)].set(part.normals[3 * t], part.normals[3 * t + 1], part.normals[3 * t + 2]);
  }
  osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
  geometry->setVertexArray(vertices);
  geometry->setNormalArray(normals, osg::Array::BIND_PER_VERTEX);
  osg::ref_ptr<osg::Vec4Array> colours = new osg::Vec4Array(1);
  (*colours)[0].set(rgba[0], rgba[1], rgba[2], rgba[3]);
  geometry->setColorArray(colours, osg::Array::BIND_OVERALL);
  geometry->addPrimitiveSet(new osg::DrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(vertexCount)));
  if (rgba[3] < 1.0f) {
    osg::StateSet* ss = geometry->getOrCreateStateSet();
    ss->setAttributeAndModes(new osg::BlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA));
    ss->setRenderingHint(osg::StateSet::TRANSPARENT_BIN);
  }
  return geometry;
}

// Collects the triangles under a node, world transforms applied, one ForeignMesh per Geode.
class TriangleCollector : public osg::NodeVisitor {
 public:
  TriangleCollector() : osg::NodeVisitor(TRAVERSE_ALL_CHILDREN) {}

  void apply(osg::Transform& transform) override {
    osg::Matrix m;
    transform.computeLocalToWorldMatrix(m, this);
    stack_.push_back(stack_.empty() ? m : m * stack_.back());
    traverse(transform);
    stack_.pop_back();
  }

  void apply(osg::Geode& geode) override {
    ForeignMesh mesh;
    mesh.name = geode.getName();
    if (mesh.name.empty() || !names_.insert(mesh.name).second) mesh.name = "mesh-" + std::to_string(meshes.size());
    names_.insert(mesh.name);
    const osg::Matrix world = stack_.empty() ? osg::Matrix::identity() : stack_.back();
    for (unsigned i = 0; i < geode.getNumDrawables(); ++i) {
      const osg::Geometry* g = geode.getDrawable(i) ? geode.getDrawable(i)->asGeometry() : nullptr;
      if (!g) continue;
      std::array<float, 4> rgba{-1.f, -1.f, -1.f, -1.f};
      if (const auto* c = dynamic_cast<const osg::Vec4Array*>(g->getColorArray()); c && !c->empty()) {
        rgba = {(*c)[0].r(), (*c)[0].g(), (*c)[0].b(), (*c)[0].a()};
      } else if (const osg::StateSet* ss = g->getStateSet()) {
        if (const auto* mat = dynamic_cast<const osg::Material*>(ss->getAttribute(osg::StateAttribute::MATERIAL))) {
          const osg::Vec4 d = mat->getDiffuse(osg::Material::FRONT);
          rgba = {d.r(), d.g(), d.b(), d.a()};
        }
      }
      MeshPart* part = nullptr;
      for (MeshPart& p : mesh.mesh.parts) {
        if (p.rgba == rgba) part = &p;
      }
      if (!part) part = &mesh.mesh.parts.emplace_back(MeshPart{rgba, {}, {}});
      osg::TriangleFunctor<Sink> functor;
      functor.part = part;
      functor.world = world;
      functor.triangles = &mesh.mesh.triangles;
      g->accept(functor);
    }
    std::erase_if(mesh.mesh.parts, [](const MeshPart& p) { return p.positions.empty(); });
    if (!mesh.mesh.parts.empty()) meshes.push_back(std::move(mesh));
  }

  std::vector<ForeignMesh> meshes;

 private:
  struct Sink {
    MeshPart* part = nullptr;
    osg::Matrix world;
    std::uint32_t* triangles = nullptr;
    void operator()(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c) {
      const osg::Vec3d p[3] = {osg::Vec3d(a) * world, osg::Vec3d(b) * world, osg::Vec3d(c) * world};
      osg::Vec3d n = (p[1] - p[0]) ^ (p[2] - p[0]);
      if (n.normalize() == 0.0) return;
      for (const auto& v : p) {
        if (!std::isfinite(v.x()) || !std::isfinite(v.y()) || !std::isfinite(v.z())) return;
      }
      for (const auto& v : p) {
        part->positions.push_back(v.x());
        part->positions.push_back(v.y());
        part->positions.push_back(v.z());
      }
      part->normals.push_back(static_cast<float>(n.x()));
      part->normals.push_back(static_cast<float>(n.y()));
      part->normals.push_back(static_cast<float>(n.z()));
      ++*triangles;
    }
  };
  std::vector<osg::Matrix> stack_;
  std::set<std::string> names_;
};

}  // namespace

bool isForeignModelExtension(const std::string& extension) {
  static const std::set<std::string> kExtensions = {".obj", ".3ds", ".ply", ".lwo", ".dae", ".stl"};
  return kExtensions.count(extension) != 0;
}

void preloadSceneWriter() {
  osgDB::Registry* registry = osgDB::Registry::instance();
  registry->loadLibrary(registry->createLibraryNameForExtension("osgb"));
}

Status writeBimScene(const std::string& modelName, const std::vector<std::string>& storeyOrder,
                     const std::vector<SceneItem>& items, const Vec3d& offset, const std::filesystem::path& osgbPath) {
  osg::ref_ptr<osg::Group> root = new osg::Group;
  root->setName("bim:" + modelName);
  std::map<std::string, osg::ref_ptr<osg::MatrixTransform>> storeys;
  const auto storeyNode = [&](const std::string& guid) {
    auto it = storeys.find(guid);
    if (it == storeys.end()) {
      osg::ref_ptr<osg::MatrixTransform> node = new osg::MatrixTransform;
      node->setName("storey:" + (guid.empty() ? std::string("none") : guid));
      it = storeys.emplace(guid, node).first;
    }
    return it->second;
  };
  for (const std::string& guid : storeyOrder) root->addChild(storeyNode(guid));
  for (const SceneItem& item : items) {
    if (!item.mesh || item.mesh->parts.empty()) continue;
    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->setName(item.guid);
    for (const MeshPart& part : item.mesh->parts) {
      const auto rgba = part.rgba[0] >= 0 ? part.rgba : defaultColour(item.ifcType);
      geode->addDrawable(toGeometry(part, rgba, offset));
    }
    osg::ref_ptr<osg::MatrixTransform> parent = storeyNode(item.storeyGuid);
    if (parent->getNumParents() == 0) root->addChild(parent);
    parent->addChild(geode);
  }
  if (!osgDB::writeNodeFile(*root, osgbPath.string())) {
    return Status(ErrorCode::IoError, "cannot write the scene file " + osgbPath.string());
  }
  return Status::ok();
}

Result<std::vector<ForeignMesh>> readForeignMeshes(const std::filesystem::path& file) {
  osgDB::ReaderWriter* rw = osgDB::Registry::instance()->getReaderWriterForExtension(
      osgDB::getLowerCaseFileExtension(file.string()));
  if (!rw) return Status(ErrorCode::Unsupported, "no reader for " + file.string());
  osg::ref_ptr<osg::Node> node = osgDB::readRefNodeFile(file.string());
  if (!node) return Status(ErrorCode::ParseError, "cannot read a model from " + file.string());
  TriangleCollector collector;
  node->accept(collector);
  if (collector.meshes.empty()) return Status(ErrorCode::ParseError, "no triangles in " + file.string());
  return std::move(collector.meshes);
}

}  // namespace gt::bim
