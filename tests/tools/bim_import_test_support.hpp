#pragma once
// Shared by the importer tests (bim_import_test, bim_import_mesh_test, bim_import_sandbox_test,
// bim_import_reproducible_test): the model files they import, a fresh work folder per import and the options every
// import starts from (the importer built with the tests, the repository's emission factors, the demo scene origin).

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>

#include "greentwin/connectors/bim_import.hpp"

namespace gt::bim::importer_tests {

inline const std::filesystem::path kFzkHaus = "/usr/share/assimp/models/IFC/AC14-FZK-Haus.ifc";
inline const std::filesystem::path kOpenHouse =
    std::filesystem::path(GT_TEST_SOURCE_DIR) / "tests/data/bim/IfcOpenHouse_IFC4.ifc";
inline const std::filesystem::path kFactors =
    std::filesystem::path(GT_TEST_SOURCE_DIR) / "assets/bim/emission_factors.toml";
// The scene origin the tests import at (the demo city's); the expected coordinates are computed from it.
inline constexpr double kOriginLon = 116.72;
inline constexpr double kOriginLat = 39.86;

// One test file's work folders: workDir("name") is <test binary dir>/<file>/name, emptied and created on each call.
class WorkDirs {
 public:
  explicit WorkDirs(std::string file) : root_(std::filesystem::path(GT_TEST_BINARY_DIR) / std::move(file)) {}
  std::filesystem::path operator()(const std::string& name) const {
    const std::filesystem::path dir = root_ / name;
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
  }

 private:
  std::filesystem::path root_;
};

// The options an import starts from, writing into `out`; a test changes what it is about.
inline BimImportOptions baseOptions(const std::filesystem::path& out) {
  BimImportOptions o;
  o.importerExe = GT_BIM_IMPORTER;
  o.outputDir = out;
  o.emissionFactors = kFactors;
  o.sceneOriginLon = kOriginLon;
  o.sceneOriginLat = kOriginLat;
  o.wallTimeoutS = 120;
  return o;
}

// A file's bytes, read in binary mode (text or not).
inline std::string readText(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void writeText(const std::filesystem::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

}  // namespace gt::bim::importer_tests
