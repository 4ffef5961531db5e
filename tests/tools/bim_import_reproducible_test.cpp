// Reproducible imports (docs/bim.md "Reproducible imports"): the same model file imported again - into another
// folder, with other paths on the command line, another time - gives the same .osgb and the same sidecar, byte for
// byte, and so the same embodied carbon. The IFC files exercise IFC++/Carve's boolean operations (openings cut out
// of walls), which depend on the order of objects in memory; the mesh formats go through assimp.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "greentwin/connectors/bim_import.hpp"
#include "bim_import_test_support.hpp"

namespace fs = std::filesystem;
using namespace gt::bim;

namespace {

using importer_tests::baseOptions;
using importer_tests::kFzkHaus;
using importer_tests::kOpenHouse;
using importer_tests::readText;

const importer_tests::WorkDirs workDir("bim_import_reproducible_test");

struct Imported {
  std::string scene;    // the .osgb's bytes
  std::string sidecar;  // the .bim.json's bytes
  double carbon = 0;
  std::size_t triangles = 0;
};

// One import into a folder of its own; folders of different name lengths move what the command line allocates.
// Under the test's own name: ctest runs the cases of this file side by side, and a folder is emptied before use.
Imported importInto(const fs::path& model, const std::string& folder) {
  const std::string test = ::testing::UnitTest::GetInstance()->current_test_info()->name();
  BimImportOptions o = baseOptions(workDir(test + "/" + folder));
  o.outputStem = "model";
  auto r = importModelInProcess(model, o);
  EXPECT_TRUE(r) << r.status().message();
  Imported out;
  if (!r) return out;
  out.scene = readText(r->sceneFile);
  out.sidecar = readText(r->modelFile);
  out.carbon = r->model.carbonTotalKgCo2e;
  for (const BimElement& e : r->model.elements) out.triangles += e.triangleCount;
  return out;
}

void expectSameEveryTime(const fs::path& model, int imports) {
  ASSERT_TRUE(fs::exists(model)) << model;
  const Imported first = importInto(model, "first");
  ASSERT_FALSE(first.scene.empty());
  ASSERT_GT(first.triangles, 0u);
  std::string folder = "again";
  for (int i = 1; i < imports; ++i) {
    folder += "-and-again";
    const Imported next = importInto(model, folder);
    EXPECT_EQ(next.carbon, first.carbon) << model << ", import " << i + 1;
    EXPECT_EQ(next.triangles, first.triangles) << model << ", import " << i + 1;
    EXPECT_TRUE(next.sidecar == first.sidecar) << model << ": the sidecar differs at import " << i + 1;
    EXPECT_TRUE(next.scene == first.scene) << model << ": the .osgb differs at import " << i + 1;
  }
}

TEST(BimImportReproducible, FzkHausIfc2x3GivesTheSameOutputsEveryTime) {
  expectSameEveryTime(kFzkHaus, 4);
}

TEST(BimImportReproducible, IfcOpenHouseIfc4GivesTheSameOutputsEveryTime) {
  expectSameEveryTime(kOpenHouse, 3);
}

TEST(BimImportReproducible, MeshFormatsGiveTheSameOutputsEveryTime) {
  expectSameEveryTime("/usr/share/assimp/models/glTF2/2CylinderEngine-glTF-Binary/2CylinderEngine.glb", 2);
  expectSameEveryTime("/usr/share/assimp/models/Collada/duck.dae", 2);
}

}  // namespace
