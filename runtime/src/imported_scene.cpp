#include "imported_scene.hpp"

#include <ext/stdio_filebuf.h>

#include <array>
#include <istream>
#include <string_view>
#include <vector>

#include <osg/NodeVisitor>
#include <osg/StateSet>
#include <osgDB/Callbacks>
#include <osgDB/Options>
#include <osgDB/Registry>

#include "greentwin/core/regular_file.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;
using ReadResult = osgDB::ReaderWriter::ReadResult;

// Every nested read a scene file asks for (ProxyNode/PagedLOD children, external images, shader or script
// files, archives) ends here, refused; the names are kept for the error. Runs on the reading thread.
class RefuseExternalReads : public osgDB::ReadFileCallback {
 public:
  ReadResult openArchive(const std::string& f, osgDB::ReaderWriter::ArchiveStatus, unsigned int,
                         const osgDB::Options*) override {
    return refuse(f);
  }
  ReadResult readObject(const std::string& f, const osgDB::Options*) override { return refuse(f); }
  ReadResult readImage(const std::string& f, const osgDB::Options*) override { return refuse(f); }
  ReadResult readHeightField(const std::string& f, const osgDB::Options*) override { return refuse(f); }
  ReadResult readNode(const std::string& f, const osgDB::Options*) override { return refuse(f); }
  ReadResult readShader(const std::string& f, const osgDB::Options*) override { return refuse(f); }
  ReadResult readScript(const std::string& f, const osgDB::Options*) override { return refuse(f); }

  std::vector<std::string> refused;

 private:
  ReadResult refuse(const std::string& f) {
    refused.push_back(f);
    return ReadResult("external reference refused: " + f);
  }
};

bool oneOf(std::string_view name, std::initializer_list<std::string_view> allowed) {
  for (std::string_view a : allowed) {
    if (name == a) return true;
  }
  return false;
}

// What the importer writes (bim_importer/src/scene_file.cpp), and nothing else: the first other thing found is
// the problem.
class ImportedSceneCheck : public osg::NodeVisitor {
 public:
  ImportedSceneCheck() : osg::NodeVisitor(TRAVERSE_ALL_CHILDREN) {}

  void apply(osg::Node& node) override {
    if (!problem.empty()) return;
    const std::string cls = std::string(node.libraryName()) + "::" + node.className();
    if (!oneOf(cls, {"osg::Group", "osg::MatrixTransform", "osg::Geode", "osg::Geometry"})) {
      problem = "a node of type " + cls + " ('" + node.getName() + "')";
      return;
    }
    if (node.getUpdateCallback() || node.getEventCallback() || node.getCullCallback()) {
      problem = "a callback on '" + node.getName() + "'";
      return;
    }
    if (const osg::StateSet* ss = node.getStateSet()) checkState(*ss, node.getName());
    traverse(node);
  }

  std::string problem;

 private:
  void checkState(const osg::StateSet& ss, const std::string& where) {
    if (!ss.getTextureAttributeList().empty()) {
      problem = "a texture on '" + where + "'";
      return;
    }
    for (const auto& [key, value] : ss.getAttributeList()) {
      const osg::StateAttribute* a = value.first.get();
      if (!a) continue;
      const std::string cls = std::string(a->libraryName()) + "::" + a->className();
      if (!oneOf(cls, {"osg::BlendFunc", "osg::Material", "osg::CullFace", "osg::Depth", "osg::PolygonOffset"})) {
        problem = "a state attribute of type " + cls + " on '" + where + "'";
        return;
      }
    }
  }
};

}  // namespace

Result<osg::ref_ptr<osg::Node>> readImportedScene(const fs::path& folder, const std::string& fileName) {
  const fs::path name(fileName);
  if (fileName.empty() || fileName.find('/') != std::string::npos || fileName.find('\0') != std::string::npos ||
      fileName == "." || fileName == ".." || name.extension() != ".osgb") {
    return Status(ErrorCode::InvalidArgument, "scene file name '" + fileName + "' is not a plain .osgb file name in " +
                                                  folder.string());
  }
  const fs::path path = folder / name;
  auto file = openRegularFile(path, /*followSymlink=*/false);
  if (!file) return file.status();
  if (file->size() > kMaxImportedSceneBytes) {
    return Status(ErrorCode::OutOfRange, "scene file " + path.string() + " is " + std::to_string(file->size()) +
                                             " bytes, more than the " + std::to_string(kMaxImportedSceneBytes) +
                                             " allowed");
  }
  osgDB::ReaderWriter* reader = osgDB::Registry::instance()->getReaderWriterForExtension("osgb");
  if (!reader) {
    return Status(ErrorCode::Unsupported, "cannot read " + path.string() + ": no OSG .osgb reader (osgdb_osg plugin)");
  }
  osg::ref_ptr<RefuseExternalReads> refuser = new RefuseExternalReads;
  osg::ref_ptr<osgDB::Options> options = new osgDB::Options;
  options->setReadFileCallback(refuser.get());
  options->setObjectCacheHint(osgDB::Options::CACHE_NONE);

  // The stream owns the descriptor from here (closed with it).
  __gnu_cxx::stdio_filebuf<char> buffer(file->release(), std::ios::in | std::ios::binary, 1 << 16);
  std::istream in(&buffer);
  ReadResult result = reader->readNode(in, options.get());
  if (!refuser->refused.empty()) {
    return Status(ErrorCode::Unsupported, "scene file " + path.string() + " refers to another file ('" +
                                              refuser->refused.front() + "'): external references are not followed");
  }
  osg::ref_ptr<osg::Node> node = result.getNode();
  if (!node) {
    return Status(ErrorCode::ParseError, "cannot read the scene file " + path.string() + " as .osgb" +
                                             (result.message().empty() ? "" : ": " + result.message()));
  }
  ImportedSceneCheck check;
  node->accept(check);
  if (!check.problem.empty()) {
    return Status(ErrorCode::Unsupported,
                  "scene file " + path.string() + " holds " + check.problem + ", which the importer never writes");
  }
  return node;
}

}  // namespace gt::runtime
