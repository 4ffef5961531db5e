// Inputs kept from fuzzing the vector reader (fuzz/vector_reader_fuzz.cpp; its seeds folder holds them, each with
// the fuzz target's two header bytes: the file's extension, the read options). Part of connectors_vector_reader_test,
// in a file of its own because vector_reader_test.cpp is over the 700-line limit already.
#include "greentwin/connectors/vector_reader.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;

const GeoFrame& frame() {
  static const GeoFrame f = *GeoFrame::create(116.72, 39.86);
  return f;
}

// The kept input without its two header bytes, as a file named `name` in this test's folder.
std::string unpack(const std::string& input, const std::string& name) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "vector_reader_regressions";
  fs::create_directories(dir);
  std::ifstream in(fs::path(GT_TEST_SOURCE_DIR) / "tests/connectors/data/vector_reader_seeds" / input,
                   std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_GT(bytes.size(), 2u) << input;
  const fs::path file = dir / name;
  std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes.substr(2);
  return file.string();
}

// A GeoPackage whose gpkg_ogr_contents claims 4e18 features (it has six, one without geometry): the reader reserved
// the claimed count up front, and std::length_error ended the process. Read serially and on two threads.
TEST(VectorReaderRegressions, AGeoPackageLyingAboutItsFeatureCountReadsWhatItHolds) {
  const std::string gpkg = unpack("regression_lying_count_gpkg.bin", "lying_count.gpkg");
  for (int threads : {1, 2, 0}) {
    VectorReadOptions options;
    options.layerName = "layer";
    options.readThreads = threads;
    const auto set = readVectorSource(gpkg, frame(), options);
    ASSERT_TRUE(set) << set.status().message();
    EXPECT_EQ(set->features.size(), 5u) << "threads " << threads;
    EXPECT_EQ(set->skippedFeatures, 1u) << "threads " << threads;
  }
}

}  // namespace
}  // namespace gt::connectors
