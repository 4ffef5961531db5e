// Writing a selection out (vector_writer.hpp): GeoJSON in longitude/latitude and a GeoPackage in the scene CRS, read
// back through the twin's own reader to the same places (within a centimetre) and the same attributes; refusals.
#include "greentwin/connectors/vector_writer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "greentwin/connectors/vector_reader.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;

class VectorWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto frame = GeoFrame::create(116.72, 39.86);
    ASSERT_TRUE(frame.isOk()) << frame.status().toString();
    frame_ = std::make_unique<GeoFrame>(std::move(frame).value());
    dir_ = fs::path(GT_TEST_BINARY_DIR) / "vector_writer" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    building_.polygons.push_back(Polygon{{{{100, 200, 0}, {140, 200, 0}, {140, 230, 0}, {100, 230, 0}}}});
    stop_.points = {{-500.25, 1200.5, 0}};
    buildingProps_ = PropertyMap{{"height_m", 42.5}, {"use", std::string("office")}, {"floors", std::int64_t{12}},
                                 {"name_zh", std::string("运河大厦")}};
    stopProps_ = PropertyMap{{"height_m", std::int64_t{3}}, {"use", std::monostate{}}};
  }
  std::vector<ExportFeature> features() const {
    return {{"city/b-1", &building_, &buildingProps_}, {"stops/7", &stop_, &stopProps_}};
  }
  FeatureSet readBack(const std::string& path) const {
    VectorReadOptions options;
    options.idAttribute = "id";
    auto set = readVectorSource(path, *frame_, options);
    EXPECT_TRUE(set.isOk()) << set.status().toString();
    return set.isOk() ? std::move(set).value() : FeatureSet{};
  }
  void expectSameFeatures(const FeatureSet& set) const {
    ASSERT_EQ(set.features.size(), 2u);
    const Feature& b = set.features[0];
    ASSERT_EQ(b.geometry.polygons.size(), 1u);
    const auto& ring = b.geometry.polygons[0].rings[0];
    ASSERT_GE(ring.size(), 4u);
    EXPECT_NEAR(ring[0].x, 100, 0.01);
    EXPECT_NEAR(ring[0].y, 200, 0.01);
    EXPECT_NEAR(ring[2].x, 140, 0.01);
    EXPECT_NEAR(ring[2].y, 230, 0.01);
    EXPECT_EQ(std::get<double>(b.properties.at("height_m")), 42.5);
    EXPECT_EQ(std::get<std::int64_t>(b.properties.at("floors")), 12);
    EXPECT_EQ(std::get<std::string>(b.properties.at("use")), "office");
    EXPECT_EQ(std::get<std::string>(b.properties.at("name_zh")), "运河大厦");
    const Feature& s = set.features[1];
    ASSERT_EQ(s.geometry.points.size(), 1u);
    EXPECT_NEAR(s.geometry.points[0].x, -500.25, 0.01);
    EXPECT_NEAR(s.geometry.points[0].y, 1200.5, 0.01);
    // An integer height among real ones is written as a real; a null stays null.
    EXPECT_EQ(std::get<double>(s.properties.at("height_m")), 3.0);
    EXPECT_TRUE(!s.properties.contains("use") || std::holds_alternative<std::monostate>(s.properties.at("use")));
  }
  std::unique_ptr<GeoFrame> frame_;
  fs::path dir_;
  FeatureGeometry building_, stop_;
  PropertyMap buildingProps_, stopProps_;
};

TEST_F(VectorWriterTest, GeoJsonInLongitudeLatitudeReadsBackToTheSamePlaces) {
  const std::string path = (dir_ / "selection.geojson").string();
  const auto f = features();
  ASSERT_TRUE(writeVectorFile(path, f, *frame_).isOk());
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  // RFC 7946: no "crs" member, coordinates in degrees near the frame's origin.
  EXPECT_EQ(text.str().find("\"crs\""), std::string::npos);
  EXPECT_NE(text.str().find("116.7"), std::string::npos) << text.str();
  EXPECT_NE(text.str().find("\"id\": \"city/b-1\""), std::string::npos) << text.str();
  expectSameFeatures(readBack(path));
}

TEST_F(VectorWriterTest, AGeoPackageInTheSceneCrsReadsBackToTheSamePlaces) {
  const std::string path = (dir_ / "selection.gpkg").string();
  const auto f = features();
  VectorWriteOptions options;
  options.layerName = "tall_offices";
  ASSERT_TRUE(writeVectorFile(path, f, *frame_, options).isOk());
  expectSameFeatures(readBack(path));
}

TEST_F(VectorWriterTest, RefusalsNameTheProblemAndLeaveNoFile) {
  const auto f = features();
  Status s = writeVectorFile((dir_ / "selection.shp").string(), f, *frame_);
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("unknown format '.shp'"), std::string::npos) << s.message();
  s = writeVectorFile((dir_ / "empty.geojson").string(), {}, *frame_);
  EXPECT_NE(s.message().find("nothing selected"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir_ / "empty.geojson"));
  const std::string path = (dir_ / "twice.geojson").string();
  ASSERT_TRUE(writeVectorFile(path, f, *frame_).isOk());
  s = writeVectorFile(path, f, *frame_);
  EXPECT_NE(s.message().find("the file exists"), std::string::npos) << s.message();
  VectorWriteOptions overwrite;
  overwrite.overwrite = true;
  EXPECT_TRUE(writeVectorFile(path, f, *frame_, overwrite).isOk());
  // A feature without geometry fails the write, and the half-written file is removed.
  FeatureGeometry none;
  const std::vector<ExportFeature> broken{{"a", &building_, nullptr}, {"b", &none, nullptr}};
  s = writeVectorFile((dir_ / "broken.gpkg").string(), broken, *frame_);
  EXPECT_NE(s.message().find("feature 'b' has no geometry"), std::string::npos) << s.message();
  EXPECT_FALSE(fs::exists(dir_ / "broken.gpkg"));
}

}  // namespace
}  // namespace gt::connectors
