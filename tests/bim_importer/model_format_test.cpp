// Format detection of the BIM importer (bim_importer/src/model_format.hpp): extension and first bytes, the
// errors when they disagree, and the source kinds and up axes documented in docs/bim.md.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "../../bim_importer/src/model_format.hpp"

namespace fs = std::filesystem;
using namespace gt::bim;

namespace {

gt::Result<ModelFormat> detect(const std::string& ext, const std::string& head) {
  return detectModelFormat(ext, head, "model" + ext);
}

void expectFormat(const std::string& ext, const std::string& head, ModelFormat expected) {
  auto r = detect(ext, head);
  ASSERT_TRUE(r) << ext << ": " << r.status().toString();
  EXPECT_EQ(*r, expected) << ext;
}

// `what` with its article: "a glTF", "an IFC".
void expectNotA(const std::string& ext, const std::string& head, const std::string& what) {
  auto r = detect(ext, head);
  ASSERT_FALSE(r) << ext;
  EXPECT_EQ(r.status().code(), gt::ErrorCode::ParseError) << ext;
  EXPECT_NE(r.status().message().find("not " + what + " file: model" + ext + ": "), std::string::npos)
      << r.status().message();
}

}  // namespace

TEST(BimModelFormat, BinaryGltfIsKnownByItsMagicWhateverItsName) {
  const std::string glb("glTF\x02\x00\x00\x00\x10\x00\x00\x00", 12);
  expectFormat(".glb", glb, ModelFormat::Glb);
  expectFormat(".gltf", glb, ModelFormat::Glb);  // a binary file named .gltf
  expectFormat(".bin", glb, ModelFormat::Glb);
  expectFormat(".GLB", glb, ModelFormat::Glb);
  expectNotA(".glb", "{\"asset\":{\"version\":\"2.0\"}}", "a glTF binary");
  expectNotA(".glb", "", "a glTF binary");
}

TEST(BimModelFormat, TextFormatsMustLookLikeTheirSyntax) {
  expectFormat(".gltf", "{\"asset\":{\"version\":\"2.0\"}}", ModelFormat::Gltf);
  expectFormat(".gltf", "\xEF\xBB\xBF\r\n  {", ModelFormat::Gltf);  // BOM and white space first
  expectFormat(".GlTf", "{}", ModelFormat::Gltf);
  expectNotA(".gltf", "solid cube\n", "a glTF");
  expectFormat(".ifc", "ISO-10303-21;\nHEADER;", ModelFormat::Ifc);
  expectFormat(".IFC", "\n\nISO-10303-21;", ModelFormat::Ifc);
  expectNotA(".ifc", "This is a text file, not a model.\n", "an IFC");
  expectFormat(".dae", "<?xml version=\"1.0\"?><COLLADA>", ModelFormat::Collada);
  expectFormat(".dae", std::string("\xFF\xFE<\0?\0", 6), ModelFormat::Collada);  // UTF-16 LE
  expectNotA(".dae", "v 1 2 3\n", "a Collada");
}

TEST(BimModelFormat, SignaturesOfTheOtherMeshFormats) {
  expectFormat(".ply", "ply\nformat binary_little_endian 1.0\n", ModelFormat::Ply);
  expectNotA(".ply", "PLY?", "a PLY");
  expectFormat(".lwo", "FORM\x00\x00\x10\x00LWO2", ModelFormat::Lwo);
  expectNotA(".lwo", "LWO2", "a LightWave");
  expectFormat(".3ds", "\x4D\x4D\x10\x00\x00\x00", ModelFormat::ThreeDs);
  expectNotA(".3ds", "3DS", "a 3DS");
  expectFormat(".obj", "# any text\nv 0 0 0\n", ModelFormat::Obj);  // no signature
  expectFormat(".stl", std::string(80, '\0'), ModelFormat::Stl);
}

TEST(BimModelFormat, UnknownExtensionsAreUnsupportedWithTheListOfFormats) {
  auto r = detect(".xyz", "1 2 3\n");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::Unsupported);
  EXPECT_NE(r.status().message().find("'.xyz'"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("glTF/GLB"), std::string::npos) << r.status().message();
  auto none = detect("", "");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.status().code(), gt::ErrorCode::Unsupported);
}

TEST(BimModelFormat, KindsAndUpAxes) {
  EXPECT_STREQ(sourceKind(ModelFormat::Ifc), "ifc");
  EXPECT_STREQ(sourceKind(ModelFormat::Gltf), "gltf");
  EXPECT_STREQ(sourceKind(ModelFormat::Glb), "glb");
  EXPECT_STREQ(sourceKind(ModelFormat::Collada), "collada");
  EXPECT_STREQ(sourceKind(ModelFormat::ThreeDs), "3ds");
  EXPECT_TRUE(assimpYUp(ModelFormat::Gltf));
  EXPECT_TRUE(assimpYUp(ModelFormat::Glb));
  EXPECT_TRUE(assimpYUp(ModelFormat::Collada));
  EXPECT_TRUE(assimpYUp(ModelFormat::Obj));
  EXPECT_FALSE(assimpYUp(ModelFormat::Stl));
  EXPECT_FALSE(assimpYUp(ModelFormat::Ply));
  EXPECT_FALSE(assimpYUp(ModelFormat::ThreeDs));
}

TEST(BimModelFormat, ReadsTheHeadOfARealFile) {
  auto glb = detectModelFormat(fs::path("/usr/share/assimp/models/glTF2/BoxTextured-glTF-Binary/BoxTextured.glb"));
  ASSERT_TRUE(glb) << glb.status().toString();
  EXPECT_EQ(*glb, ModelFormat::Glb);
  auto dae = detectModelFormat(fs::path("/usr/share/assimp/models/Collada/cube_UTF16LE.dae"));
  ASSERT_TRUE(dae) << dae.status().toString();
  EXPECT_EQ(*dae, ModelFormat::Collada);
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "bim_model_format_test";
  fs::create_directories(dir);
  { std::ofstream(dir / "short.glb", std::ios::binary) << "gl"; }
  auto shortGlb = detectModelFormat(dir / "short.glb");
  ASSERT_FALSE(shortGlb);
  EXPECT_EQ(shortGlb.status().code(), gt::ErrorCode::ParseError);
  auto missing = detectModelFormat(dir / "missing.gltf");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), gt::ErrorCode::NotFound);
  EXPECT_NE(missing.status().message().find("missing.gltf"), std::string::npos);
}
