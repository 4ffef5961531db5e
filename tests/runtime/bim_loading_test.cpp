// Loading a "bim" layer (runtime/src/bim_loading.cpp): what the twin process itself opens is opened the narrow way
// (docs/bim.md "Sandbox"). A FIFO named as the model is refused before it is hashed, never waited on; a cached
// sidecar whose scene file leaves the cache folder (.., an absolute path, a symlink) or whose .osgb refers to
// another file is not used: the model is imported again. The importer (tools/bim-import) runs for real on a small
// OBJ written here.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <future>
#include <sys/stat.h>
#include <unistd.h>

#include <osg/Group>
#include <osg/ProxyNode>
#include <osgDB/WriteFile>

#include "../../runtime/src/bim_loading.hpp"
#include "greentwin/connectors/bim_model.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;

fs::path freshDir(const std::string& name) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "bim_loading_test" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

GeoFrame frame() {
  auto f = GeoFrame::create(116.72, 39.86, "EPSG:4548");
  EXPECT_TRUE(f) << f.status().message();
  return std::move(*f);
}

LayerConfig bimLayer(const std::string& id, const fs::path& source) {
  LayerConfig config;
  config.id = id;
  config.type = "bim";
  config.source = source.string();
  return config;
}

// One quad as two triangles, group "slab".
void writeObj(const fs::path& path) {
  std::ofstream(path) << "o slab\nv 0 0 0\nv 4 0 0\nv 4 0 3\nv 0 0 3\nf 1 2 3\nf 1 3 4\n";
}

// A scene that is not the import: if the loader shows it, it read a file it should not have.
void writeOutsider(const fs::path& path) {
  osg::ref_ptr<osg::Group> outsider = new osg::Group;
  outsider->setName("outsider");
  ASSERT_TRUE(osgDB::writeNodeFile(*outsider, path.string()));
}

class BimLoadingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cache_ = freshDir(::testing::UnitTest::GetInstance()->current_test_info()->name()) / "cache";
    ::setenv("GREENTWIN_BIM_CACHE", cache_.c_str(), 1);
    ::setenv("GREENTWIN_BIM_IMPORTER", GT_BIM_IMPORTER, 1);
  }
  void TearDown() override {
    ::unsetenv("GREENTWIN_BIM_CACHE");
    ::unsetenv("GREENTWIN_BIM_IMPORTER");
  }

  // Imports the OBJ once (into the cache) and returns the cached sidecar's path.
  fs::path importOnce(const LayerConfig& config) {
    auto first = loadBimModel(config, frame());
    EXPECT_TRUE(first) << first.status().message();
    if (!first) return {};
    EXPECT_FALSE(first->fromCache);
    auto again = loadBimModel(config, frame());
    EXPECT_TRUE(again && again->fromCache) << "the untouched cache is used";
    for (const auto& entry : fs::directory_iterator(cache_)) {
      if (entry.path().string().ends_with(".bim.json")) return entry.path();
    }
    ADD_FAILURE() << "no sidecar in " << cache_;
    return {};
  }

  // The cached sidecar rewritten to name `sceneFile` as its scene.
  static void pointSidecarAt(const fs::path& sidecar, const std::string& sceneFile) {
    auto model = bim::readBimModel(sidecar);
    ASSERT_TRUE(model) << model.status().message();
    model->sceneFile = sceneFile;
    ASSERT_TRUE(bim::writeBimModel(*model, sidecar));
  }

  // After tampering, the next load must not come from the cache and must show the imported model.
  static void expectImportedAgain(const LayerConfig& config) {
    auto loaded = loadBimModel(config, frame());
    ASSERT_TRUE(loaded) << loaded.status().message();
    EXPECT_FALSE(loaded->fromCache) << "the tampered cached scene was used";
    ASSERT_TRUE(loaded->scene && loaded->scene->model);
    EXPECT_EQ(loaded->scene->model->getName().rfind("bim:", 0), 0u) << loaded->scene->model->getName();
  }

  fs::path cache_;
};

TEST_F(BimLoadingTest, AFifoNamedAsTheModelIsRefusedBeforeHashing) {
  const fs::path fifo = cache_.parent_path() / "model.ifc";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto pending = std::async(std::launch::async, [&] { return loadBimModel(bimLayer("fifo", fifo), frame()); });
  if (pending.wait_for(std::chrono::seconds(60)) != std::future_status::ready) {
    // The loader waits for a writer: give it one (and an end of file) so this test can end, then fail.
    const int fd = ::open(fifo.c_str(), O_WRONLY | O_NONBLOCK);
    if (fd >= 0) ::close(fd);
    pending.wait();
    FAIL() << "the loader blocked on a FIFO named as the model";
  }
  auto result = pending.get();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.status().code(), ErrorCode::Unsupported) << result.status().message();
  EXPECT_NE(result.status().message().find("not a regular file (a FIFO)"), std::string::npos)
      << result.status().message();
  EXPECT_NE(result.status().message().find("bim layer 'fifo'"), std::string::npos) << result.status().message();
}

TEST_F(BimLoadingTest, ACachedSceneNamedWithDotDotIsNotRead) {
  writeObj(cache_.parent_path() / "slab.obj");
  const LayerConfig config = bimLayer("dotdot", cache_.parent_path() / "slab.obj");
  const fs::path sidecar = importOnce(config);
  ASSERT_FALSE(sidecar.empty());
  writeOutsider(cache_.parent_path() / "outside.osgb");
  pointSidecarAt(sidecar, "../outside.osgb");
  expectImportedAgain(config);
}

TEST_F(BimLoadingTest, ACachedSceneWithAnAbsolutePathIsNotRead) {
  writeObj(cache_.parent_path() / "slab.obj");
  const LayerConfig config = bimLayer("absolute", cache_.parent_path() / "slab.obj");
  const fs::path sidecar = importOnce(config);
  ASSERT_FALSE(sidecar.empty());
  writeOutsider(cache_.parent_path() / "outside.osgb");
  pointSidecarAt(sidecar, (cache_.parent_path() / "outside.osgb").string());
  expectImportedAgain(config);
}

TEST_F(BimLoadingTest, ACachedSceneThatIsASymlinkOutIsNotRead) {
  writeObj(cache_.parent_path() / "slab.obj");
  const LayerConfig config = bimLayer("symlink", cache_.parent_path() / "slab.obj");
  const fs::path sidecar = importOnce(config);
  ASSERT_FALSE(sidecar.empty());
  writeOutsider(cache_.parent_path() / "outside.osgb");
  fs::create_symlink(cache_.parent_path() / "outside.osgb", cache_ / "link.osgb");
  pointSidecarAt(sidecar, "link.osgb");
  expectImportedAgain(config);
}

// The .osgb is read by the .osgb reader alone: a ProxyNode naming another file is never followed.
TEST_F(BimLoadingTest, ACachedSceneWithAnExternalReferenceIsNotRead) {
  writeObj(cache_.parent_path() / "slab.obj");
  const LayerConfig config = bimLayer("proxy", cache_.parent_path() / "slab.obj");
  const fs::path sidecar = importOnce(config);
  ASSERT_FALSE(sidecar.empty());
  writeOutsider(cache_.parent_path() / "outside.osgb");
  osg::ref_ptr<osg::ProxyNode> proxy = new osg::ProxyNode;
  proxy->setName("proxy");
  proxy->setFileName(0, (cache_.parent_path() / "outside.osgb").string());
  proxy->setLoadingExternalReferenceMode(osg::ProxyNode::LOAD_IMMEDIATELY);
  ASSERT_TRUE(osgDB::writeNodeFile(*proxy, (cache_ / "proxy.osgb").string()));
  pointSidecarAt(sidecar, "proxy.osgb");
  expectImportedAgain(config);
}

}  // namespace
}  // namespace gt::runtime
