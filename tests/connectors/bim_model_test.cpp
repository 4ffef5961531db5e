// The BIM sidecar (bim_model.hpp): what the importer writes is what the viewer reads back; damaged or newer
// sidecars are refused with a reason; the placement's two forms agree.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "greentwin/connectors/bim_model.hpp"

namespace fs = std::filesystem;
using namespace gt::bim;

namespace {

fs::path dir() {
  const fs::path d = fs::path(GT_TEST_BINARY_DIR) / "bim_model_test";
  fs::create_directories(d);
  return d;
}

BimModel sample() {
  BimModel m;
  m.sourcePath = "/data/house.ifc";
  m.sourceKind = "ifc";
  m.ifcSchema = "IFC4";
  m.sceneFile = "house.osgb";
  m.name = "Haus \xE4\xB8\xAD";  // UTF-8 survives
  m.boundsMin = {-1, -2, -0.5};
  m.boundsMax = {10, 12, 6};
  m.georeference.siteLatitude = 39.9;
  m.georeference.siteLongitude = 116.65;
  m.georeference.hasMapConversion = true;
  m.georeference.mapCrsName = "EPSG:4548";
  m.georeference.eastings = 477000.5;
  m.placement.method = PlacementMethod::MapConversion;
  m.placement.origin = {100, 200, 3};
  m.placement.rotationDeg = 30;
  m.placement.modelOffset = {5, 6, 0};
  m.placement.sceneCrs = "EPSG:4548";
  m.spatialNodes = {{"p", "IFCPROJECT", "Project", std::nullopt, {1}, {}},
                    {"s1", "IFCBUILDINGSTOREY", "Ground", 0.0, {}, {0, 1}}};
  BimElement wall;
  wall.guid = "2XQ$n5SLP5MBLyL442paFx";
  wall.ifcType = "IFCWALL";
  wall.name = "Wall 1";
  wall.storeyGuid = "s1";
  wall.material = "Concrete";
  wall.materials = {"Concrete", "Plaster"};
  wall.triangleCount = 12;
  wall.volumeM3 = 4.5;
  wall.volumeSource = "mesh";
  wall.propertySets = {{"Pset_WallCommon", false, {{"IsExternal", "true", std::nullopt, ""}}},
                       {"BaseQuantities", true, {{"NetVolume", "4.5", 4.5, "m3"}}}};
  wall.carbon = {CarbonStatus::Ok, 1327.5, "concrete_c30", "material", "volume", 4.5};
  BimElement window;
  window.guid = "w1";
  window.ifcType = "IFCWINDOW";
  window.carbon.status = CarbonStatus::CountedInParts;
  m.elements = {wall, window};
  m.carbonByBuilding = {{"b", "Building", 1327.5, 1, 0, 0}};
  m.carbonTotalKgCo2e = 1327.5;
  m.unknownMaterials = {"Solid (IFCFURNISHINGELEMENT)"};
  m.warnings = {"a warning"};
  return m;
}

}  // namespace

TEST(BimModel, SidecarRoundTrips) {
  const fs::path file = dir() / "roundtrip.bim.json";
  ASSERT_TRUE(writeBimModel(sample(), file));
  auto back = readBimModel(file);
  ASSERT_TRUE(back) << back.status().toString();
  const BimModel& m = *back;
  EXPECT_EQ(m.name, sample().name);
  EXPECT_EQ(m.ifcSchema, "IFC4");
  EXPECT_EQ(m.sceneFile, "house.osgb");
  EXPECT_EQ(m.boundsMax.y, 12);
  ASSERT_TRUE(m.georeference.siteLatitude);
  EXPECT_DOUBLE_EQ(*m.georeference.siteLatitude, 39.9);
  EXPECT_TRUE(m.georeference.hasMapConversion);
  EXPECT_DOUBLE_EQ(m.georeference.eastings, 477000.5);
  EXPECT_EQ(m.placement.method, PlacementMethod::MapConversion);
  EXPECT_EQ(m.placement.origin, (gt::Vec3d{100, 200, 3}));
  EXPECT_EQ(m.placement.modelOffset, (gt::Vec3d{5, 6, 0}));
  ASSERT_EQ(m.spatialNodes.size(), 2u);
  EXPECT_EQ(m.storeys(), std::vector<std::size_t>{1});
  ASSERT_TRUE(m.spatialNodes[1].elevationM);
  EXPECT_EQ(m.spatialNodes[1].elements, (std::vector<std::size_t>{0, 1}));
  const BimElement* wall = m.findElement("2XQ$n5SLP5MBLyL442paFx");
  ASSERT_NE(wall, nullptr);
  EXPECT_EQ(wall->materials, (std::vector<std::string>{"Concrete", "Plaster"}));
  EXPECT_EQ(wall->triangleCount, 12u);
  const BimProperty* ext = wall->find("Pset_WallCommon", "IsExternal");
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(ext->text, "true");
  EXPECT_FALSE(ext->number);
  const BimProperty* vol = wall->find("BaseQuantities", "NetVolume");
  ASSERT_NE(vol, nullptr);
  EXPECT_EQ(vol->unit, "m3");
  EXPECT_DOUBLE_EQ(*vol->number, 4.5);
  EXPECT_EQ(wall->carbon.status, CarbonStatus::Ok);
  EXPECT_EQ(wall->carbon.factorId, "concrete_c30");
  EXPECT_DOUBLE_EQ(wall->carbon.kgCo2e, 1327.5);
  EXPECT_EQ(m.findElement("w1")->carbon.status, CarbonStatus::CountedInParts);
  EXPECT_EQ(m.findElement("nope"), nullptr);
  ASSERT_EQ(m.carbonByBuilding.size(), 1u);
  EXPECT_EQ(m.carbonByBuilding[0].elementsOk, 1u);
  EXPECT_EQ(m.unknownMaterials, sample().unknownMaterials);
  EXPECT_EQ(m.warnings, sample().warnings);
}

TEST(BimModel, PlacementMatrixAgreesWithToScene) {
  BimPlacement p;
  p.origin = {100, -50, 7};
  p.rotationDeg = 37;
  p.scale = 1.5;
  const gt::Vec3d q{3, -4, 2};
  const gt::Vec3d a = p.toScene(q);
  const auto m = p.matrixRowMajor();
  EXPECT_NEAR(a.x, m[0] * q.x + m[1] * q.y + m[2] * q.z + m[3], 1e-12);
  EXPECT_NEAR(a.y, m[4] * q.x + m[5] * q.y + m[6] * q.z + m[7], 1e-12);
  EXPECT_NEAR(a.z, m[8] * q.x + m[9] * q.y + m[10] * q.z + m[11], 1e-12);
  // 90 degrees counter-clockwise: model +x points north.
  p.rotationDeg = 90;
  p.scale = 1;
  const gt::Vec3d east = p.toScene({1, 0, 0});
  EXPECT_NEAR(east.x - p.origin.x, 0.0, 1e-12);
  EXPECT_NEAR(east.y - p.origin.y, 1.0, 1e-12);
}

TEST(BimModel, DamagedOrNewerSidecarsAreRefused) {
  const fs::path d = dir();
  auto missing = readBimModel(d / "none.bim.json");
  EXPECT_EQ(missing.status().code(), gt::ErrorCode::NotFound);

  std::ofstream(d / "garbage.bim.json") << "{ not json";
  auto garbage = readBimModel(d / "garbage.bim.json");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.status().code(), gt::ErrorCode::ParseError);
  EXPECT_NE(garbage.status().message().find("garbage.bim.json"), std::string::npos);

  std::ofstream(d / "other.bim.json") << R"({"format": "something-else", "version": 1})";
  auto other = readBimModel(d / "other.bim.json");
  ASSERT_FALSE(other);
  EXPECT_NE(other.status().message().find("not a greentwin-bim sidecar"), std::string::npos);

  BimModel newer = sample();
  newer.formatVersion = kBimFormatVersion + 1;
  ASSERT_TRUE(writeBimModel(newer, d / "newer.bim.json"));
  auto refused = readBimModel(d / "newer.bim.json");
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.status().message().find("newer"), std::string::npos) << refused.status().message();

  // An index past the elements would make a viewer read out of bounds: refused.
  BimModel broken = sample();
  broken.spatialNodes[1].elements.push_back(99);
  ASSERT_TRUE(writeBimModel(broken, d / "broken.bim.json"));
  auto bad = readBimModel(d / "broken.bim.json");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.status().message().find("out of range"), std::string::npos);
}

// Counts and indices are integers: a float where one is expected (the version, an element's triangles, a tree
// index, a building's counts) was converted with undefined behaviour (1e300 to int), and usually accepted as some
// other number. Inputs kept from mesh_import_fuzz (fuzz/mesh_import_fuzz.cpp), which is seeded from this folder.
TEST(BimModel, NonIntegerCountsAndIndicesAreRefused) {
  const fs::path seeds = fs::path(GT_TEST_SOURCE_DIR) / "tests/connectors/data/bim_sidecar_seeds";
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(seeds)) {
    if (!entry.path().filename().string().starts_with("regression_float_")) continue;
    ++files;
    auto model = readBimModel(entry.path());
    ASSERT_FALSE(model) << entry.path();
    EXPECT_EQ(model.status().code(), gt::ErrorCode::ParseError) << model.status().message();
    EXPECT_NE(model.status().message().find("must be an integer"), std::string::npos) << model.status().message();
    EXPECT_NE(model.status().message().find(entry.path().filename().string()), std::string::npos);
  }
  EXPECT_EQ(files, 3u);
}

// Every other seed of the fuzz target is a sidecar the reader accepts, and what it reads writes back the same.
TEST(BimModel, FuzzSeedsReadAndRoundTrip) {
  const fs::path seeds = fs::path(GT_TEST_SOURCE_DIR) / "tests/connectors/data/bim_sidecar_seeds";
  for (const auto& entry : fs::directory_iterator(seeds)) {
    if (entry.path().filename().string().starts_with("regression_")) continue;
    auto model = readBimModel(entry.path());
    ASSERT_TRUE(model) << model.status().message();
    const std::string text = bimModelText(*model);
    auto again = parseBimModel(text, "again.bim.json");
    ASSERT_TRUE(again) << again.status().message();
    EXPECT_EQ(bimModelText(*again), text) << entry.path();
    EXPECT_EQ(again->elements.size(), model->elements.size());
  }
}

// The sidecar comes from the (untrusted) importer process: one past the cap is refused by its size, before a byte
// of it is read or parsed (a sparse file: it costs no disk). A valid sidecar just under any cap still reads.
TEST(BimModel, ASidecarOverTheSizeCapIsRefusedUnread) {
  const fs::path d = dir();
  const fs::path big = d / "huge.bim.json";
  ASSERT_TRUE(writeBimModel(sample(), big));
  const auto validSize = fs::file_size(big);
  EXPECT_TRUE(readBimModel(big, validSize));
  fs::resize_file(big, kMaxBimSidecarBytes + 1);
  auto refused = readBimModel(big);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), gt::ErrorCode::OutOfRange) << refused.status().message();
  EXPECT_NE(refused.status().message().find("huge.bim.json"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("more than the " + std::to_string(kMaxBimSidecarBytes) + " allowed"),
            std::string::npos)
      << refused.status().message();
  fs::remove(big);
}
