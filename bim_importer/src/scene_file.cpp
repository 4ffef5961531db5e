#include "scene_file.hpp"

#include <cmath>
#include <map>

#include <osg/BlendFunc>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/MatrixTransform>
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

}  // namespace

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

}  // namespace gt::bim
