// <config dir>/bim_placements.toml (runtime/bim_placements.hpp): what "Save placement" writes and the next start reads.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "greentwin/runtime/bim_placements.hpp"
#include "greentwin/layers/bim_layer.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;

fs::path dir() {
  const fs::path d = fs::path(GT_TEST_BINARY_DIR) / "bim_placements";
  fs::create_directories(d);
  return d;
}

std::string writeFile(const std::string& name, const std::string& text) {
  const fs::path p = dir() / name;
  std::ofstream(p) << text;
  return p.string();
}

TEST(BimPlacements, RoundTripsExactlyAndAMissingFileIsNoPlacements) {
  const std::string path = (dir() / "roundtrip.toml").string();
  fs::remove(path);
  auto none = readBimPlacements(path);
  ASSERT_TRUE(none) << none.status().message();
  EXPECT_TRUE(none->empty());
  const std::vector<BimPlacementOverride> written = {
      {"zeta", BimAnchor::inScene(7401.795398119882, -153.28856757643962, 1.25, -20.75, 1.0)},
      {"alpha-house", BimAnchor::inScene(0.1, 1e6, 0, 179.999, 0.001)}};
  ASSERT_TRUE(writeBimPlacements(path, written).isOk());
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  auto read = readBimPlacements(path);
  ASSERT_TRUE(read) << read.status().message();
  ASSERT_EQ(read->size(), 2u);
  const BimPlacementOverride& a = (*read)[0];  // sorted by layer id
  EXPECT_EQ(a.layerId, "alpha-house");
  EXPECT_EQ(a.anchor.sceneY, 1e6);
  EXPECT_EQ(a.anchor.scale, 0.001);
  const BimPlacementOverride& z = (*read)[1];
  EXPECT_EQ(z.layerId, "zeta");
  EXPECT_EQ(z.anchor.sceneX, written[0].anchor.sceneX);  // doubles survive the text exactly
  EXPECT_EQ(z.anchor.sceneY, written[0].anchor.sceneY);
  EXPECT_EQ(z.anchor.sceneZ, 1.25);
  EXPECT_EQ(z.anchor.rotationDeg, -20.75);
  // (Applied to a bim layer's options: tests/layers/bim_layer_test.cpp, with [layers.bim].)
  Config config;
  config.directory = "/some/where";
  EXPECT_EQ(bimPlacementsPath(config), "/some/where/bim_placements.toml");
}

TEST(BimPlacements, BadFilesAreErrorsNamingTheFileLineAndKey) {
  const auto expectError = [](const std::string& name, const std::string& text, const std::string& part) {
    const std::string path = writeFile(name, text);
    auto r = readBimPlacements(path);
    ASSERT_FALSE(r) << name;
    EXPECT_NE(r.status().message().find(path), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(part), std::string::npos) << r.status().message();
  };
  expectError("syntax.toml", "[house\nanchor_x = 1\n", "syntax.toml:1");
  expectError("text.toml", "[house]\nanchor_x = \"east\"\nanchor_y = 2\n", ":2: 'house.anchor_x' must be a number");
  expectError("scale.toml", "[house]\nanchor_x = 1\nanchor_y = 2\nscale = 0\n", "'house.scale' is out of range");
  expectError("unknown.toml", "[house]\nanchor_x = 1\nanchor_y = 2\nheading = 3\n", "unknown key 'house.heading'");
  expectError("missing.toml", "[house]\nanchor_x = 1\n", "'house' needs anchor_x and anchor_y");
  expectError("flat.toml", "house = 3\n", "'house' must be a table");
  expectError("binary.toml", std::string("\x00\xff\xfe[", 4), "binary.toml");
}

// A placement saved from the BIM panel overrides the layer's anchor.
TEST(BimPlacements, APlacementBecomesAnOverridingXYAnchor) {
  LayerConfig original;
  original.id = "house";
  original.type = "bim";
  layers::BimOptions& anchored = editLayerOptions<layers::BimOptions>(original);
  anchored.anchor.lon = 116.7;
  anchored.anchor.lat = 39.8;
  const BimPlacementOverride z{"house", BimAnchor::inScene(7401.795398119882, -153.28856757643962, 1.25, -20.75, 1.0)};
  // Applied to a layer: an overriding x/y anchor, lon/lat dropped.
  LayerConfig layer = original;
  applyBimPlacement(z, layer);
  EXPECT_FALSE(layers::bimOptions(layer).anchor.lon);
  EXPECT_EQ(layers::bimOptions(layer).anchor.sceneX, z.anchor.sceneX);
  EXPECT_EQ(layers::bimOptions(layer).anchor.rotationDeg, -20.75);
  EXPECT_TRUE(layers::bimOptions(layer).anchor.override);
  EXPECT_EQ(layers::bimOptions(original).anchor.lon, 116.7);  // the config it was copied from keeps its anchor
}

}  // namespace
}  // namespace gt::runtime
