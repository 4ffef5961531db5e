#include "greentwin/connectors/citygml_reader.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <sstream>

#include "../support/citygml_sample.hpp"
#include "../support/test_folder.hpp"

namespace gt::connectors {
namespace {

using gt::testing::cityGmlSample;
using gt::testing::kCityGmlGround;
using gt::testing::kCityGmlX;
using gt::testing::kCityGmlY;
using gt::testing::TestFolder;
using gt::testing::writeTextFile;

GeoFrame demoFrame() {
  auto frame = GeoFrame::create(116.72, 39.86);
  EXPECT_TRUE(frame) << frame.status().message();
  return std::move(frame).value();
}

std::map<std::string, const Feature*> byId(const FeatureSet& set) {
  std::map<std::string, const Feature*> out;
  for (const Feature& f : set.features) out[f.id] = &f;
  return out;
}

std::string text(const Feature& f, const std::string& key) {
  const auto it = f.properties.find(key);
  if (it == f.properties.end()) return "<missing>";
  return formatPropertyValue(it->second);
}

Bounds boundsOf(const std::vector<Vec3d>& points) {
  Bounds b;
  for (const Vec3d& p : points) b.extend(p);
  return b;
}

class CityGmlReader : public ::testing::Test {
 protected:
  Result<FeatureSet> read(const std::string& content, CityGmlReadOptions options = {}) {
    path_ = folder_.file("city.gml");
    writeTextFile(path_, content);
    if (options.idPrefix.empty()) options.idPrefix = "city";
    return readCityGml(path_, frame_, options);
  }
  TestFolder folder_{"citygml_reader"};
  GeoFrame frame_ = demoFrame();
  std::string path_;
  // The demo origin in EPSG:4548: local = projected - this.
  const Vec3d origin_ = frame_.originProjected();
};

TEST_F(CityGmlReader, ReadsEveryBuildingAndPartWithItsIdAndAttributes) {
  auto set = read(cityGmlSample());
  ASSERT_TRUE(set) << set.status().message();
  const auto features = byId(*set);
  ASSERT_EQ(features.size(), 5u);  // L1, L2, H3 and P4's two parts; P4 itself has no surfaces of its own
  for (const char* id : {"city/L1", "city/L2", "city/H3", "city/P4a", "city/P4b"}) EXPECT_TRUE(features.count(id)) << id;
  EXPECT_EQ(set->sourceCrs, "EPSG:4548");
  EXPECT_EQ(set->skippedFeatures, 0u);
  EXPECT_EQ(set->features.front().id, "city/L1");  // in file order: slots follow the file
  EXPECT_EQ(set->features.back().id, "city/P4b");

  const Feature& library = *features.at("city/L1");
  EXPECT_EQ(text(library, "name"), "Tongzhou Library");
  EXPECT_EQ(text(library, "use"), "library");  // function before usage
  EXPECT_EQ(text(library, "usage"), "public");
  EXPECT_EQ(std::get<double>(library.properties.at("height_m")), 12.0);
  EXPECT_EQ(std::get<std::int64_t>(library.properties.at("floors")), 4);
  EXPECT_EQ(text(library, "owner"), "district");
  EXPECT_DOUBLE_EQ(std::get<double>(library.properties.at("energy_kwh")), 1250.5);
  EXPECT_EQ(text(library, "citygml_type"), "Building");
  EXPECT_EQ(std::get<std::int64_t>(library.properties.at("lod")), 1);

  const Feature& office = *features.at("city/L2");
  EXPECT_EQ(text(office, "use"), "office");  // usage when there is no function
  EXPECT_EQ(std::get<std::int64_t>(office.properties.at("units")), 36);
  EXPECT_FALSE(office.properties.contains("height_m"));

  const Feature& house = *features.at("city/H3");
  EXPECT_EQ(std::get<std::int64_t>(house.properties.at("lod")), 2);
  EXPECT_EQ(text(house, "name"), "Gable House");

  const Feature& part = *features.at("city/P4b");
  EXPECT_EQ(text(part, "citygml_type"), "BuildingPart");
  EXPECT_EQ(text(part, "building"), "P4");
  EXPECT_EQ(text(part, "name"), "Twin Halls");  // inherited from its building
  EXPECT_EQ(std::get<double>(part.properties.at("height_m")), 15.0);
}

TEST_F(CityGmlReader, TrianglesLandInTheSceneFrameWithTheirHeights) {
  auto set = read(cityGmlSample());
  ASSERT_TRUE(set) << set.status().message();
  const auto features = byId(*set);
  const double x = kCityGmlX - origin_.x, y = kCityGmlY - origin_.y;

  const Feature& library = *features.at("city/L1");
  // A box: 6 faces x 2 triangles.
  EXPECT_EQ(library.geometry.triangles.size(), 36u);
  const Bounds b = boundsOf(library.geometry.triangles);
  EXPECT_NEAR(b.min.x, x, 1e-3);
  EXPECT_NEAR(b.max.x, x + 20, 1e-3);
  EXPECT_NEAR(b.min.y, y, 1e-3);
  EXPECT_NEAR(b.max.y, y + 10, 1e-3);
  EXPECT_NEAR(b.min.z, kCityGmlGround, 1e-6);
  EXPECT_NEAR(b.max.z, kCityGmlGround + 12, 1e-6);
  // Its footprint: the bottom face, 200 m2.
  ASSERT_EQ(library.geometry.polygons.size(), 1u);
  EXPECT_NEAR(polygonArea(library.geometry.polygons.front()), 200.0, 1e-3);

  const Feature& house = *features.at("city/H3");
  const Bounds h = boundsOf(house.geometry.triangles);
  EXPECT_NEAR(h.min.x, x + 80, 1e-3);
  EXPECT_NEAR(h.max.x, x + 90, 1e-3);
  EXPECT_NEAR(h.max.z, kCityGmlGround + 9, 1e-6);
  // Ground 2, two walls 2 each, two gables (five corners) 3 each, two roofs 2 each.
  EXPECT_EQ(house.geometry.triangles.size() / 3, 16u);
  // Every roof triangle faces up (the rings' turn, kept through tessellation).
  std::size_t upward = 0;
  for (std::size_t t = 0; t + 2 < house.geometry.triangles.size(); t += 3) {
    const Vec3d& a = house.geometry.triangles[t];
    const Vec3d u = house.geometry.triangles[t + 1] - a, v = house.geometry.triangles[t + 2] - a;
    const double nz = u.x * v.y - u.y * v.x;
    const bool roof = std::min({a.z, house.geometry.triangles[t + 1].z, house.geometry.triangles[t + 2].z}) >=
                      kCityGmlGround + 6 - 1e-6;
    if (roof && std::abs(nz) > 1e-6) {
      EXPECT_GT(nz, 0.0) << "roof triangle " << t / 3 << " faces down";
      ++upward;
    }
  }
  EXPECT_EQ(upward, 4u);
  ASSERT_EQ(house.geometry.polygons.size(), 1u);  // the ground surface
  EXPECT_NEAR(polygonArea(house.geometry.polygons.front()), 80.0, 1e-3);
  EXPECT_TRUE(set->bounds.valid());
  EXPECT_NEAR(set->bounds.max.z, kCityGmlGround + 18, 1e-6);
}

TEST_F(CityGmlReader, AFileWithoutSrsNameNeedsAnAssumedCrs) {
  auto refused = read(cityGmlSample(""));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(refused.status().message().find("city.gml"), std::string::npos) << refused.status().message();
  EXPECT_NE(refused.status().message().find("srsName"), std::string::npos) << refused.status().message();
  CityGmlReadOptions options;
  options.assumeCrs = "EPSG:4548";
  auto assumed = read(cityGmlSample(""), options);
  ASSERT_TRUE(assumed) << assumed.status().message();
  EXPECT_EQ(assumed->features.size(), 5u);
  EXPECT_EQ(assumed->sourceCrs, "EPSG:4548 (assumed)");
}

// The sample with every coordinate written northing first (GML's order for a URN or URI srsName of EPSG:4548).
std::string northingFirst(const std::string& text, const std::string& srsName) {
  std::string out = std::regex_replace(text, std::regex("srsName=\"EPSG:4548\""), "srsName=\"" + srsName + "\"");
  const std::regex list("(<gml:(posList|lowerCorner|upperCorner)[^>]*>)([^<]*)(</gml:)");
  std::string swapped;
  auto begin = std::sregex_iterator(out.begin(), out.end(), list);
  std::size_t last = 0;
  for (auto it = begin; it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    swapped += out.substr(last, static_cast<std::size_t>(m.position(0)) - last) + m[1].str();
    std::istringstream numbers(m[3].str());
    std::string x, y, z;
    while (numbers >> x >> y >> z) swapped += y + ' ' + x + ' ' + z + ' ';
    swapped += m[4].str();
    last = static_cast<std::size_t>(m.position(0) + m.length(0));
  }
  return swapped + out.substr(last);
}

TEST_F(CityGmlReader, AUrnOrUriSrsNameReadsCoordinatesInTheCrsOwnAxisOrder) {
  auto eastingFirst = read(cityGmlSample("EPSG:4548"));
  ASSERT_TRUE(eastingFirst) << eastingFirst.status().message();
  for (const std::string srs : {"urn:ogc:def:crs:EPSG::4548", "http://www.opengis.net/def/crs/EPSG/0/4548"}) {
    SCOPED_TRACE(srs);
    auto swapped = read(northingFirst(cityGmlSample("EPSG:4548"), srs));
    ASSERT_TRUE(swapped) << swapped.status().message();
    EXPECT_EQ(swapped->sourceCrs, srs);
    ASSERT_EQ(swapped->features.size(), eastingFirst->features.size());
    for (std::size_t i = 0; i < swapped->features.size(); ++i) {
      const auto& a = eastingFirst->features[i].geometry.triangles;
      const auto& b = swapped->features[i].geometry.triangles;
      ASSERT_EQ(a.size(), b.size());
      ASSERT_FALSE(a.empty());
      for (std::size_t t = 0; t < a.size(); ++t) {
        EXPECT_NEAR(a[t].x, b[t].x, 1e-6);
        EXPECT_NEAR(a[t].y, b[t].y, 1e-6);
        EXPECT_NEAR(a[t].z, b[t].z, 1e-6);
      }
    }
  }
}

TEST_F(CityGmlReader, DamagedFilesAreRefusedWithTheFileAndTheReason) {
  const std::string whole = cityGmlSample();
  struct Case {
    const char* what;
    std::string content;
    ErrorCode code;
    const char* reason;
  };
  const Case cases[] = {
      {"truncated", whole.substr(0, whole.size() / 2), ErrorCode::ParseError, "not well-formed XML: line"},
      {"unknown srs", cityGmlSample("EPSG:999999"), ErrorCode::InvalidArgument, "unknown or unusable CRS 'EPSG:999999'"},
      {"no buildings",
       "<?xml version=\"1.0\"?><core:CityModel xmlns:core=\"http://www.opengis.net/citygml/2.0\" "
       "xmlns:gml=\"http://www.opengis.net/gml\"><gml:boundedBy><gml:Envelope srsName=\"EPSG:4548\">"
       "</gml:Envelope></gml:boundedBy></core:CityModel>",
       ErrorCode::InvalidArgument, "no bldg:Building"},
      {"not CityGML", "<?xml version=\"1.0\"?><html><body/></html>", ErrorCode::ParseError, "not a CityGML file"},
  };
  for (const Case& c : cases) {
    auto result = read(c.content);
    ASSERT_FALSE(result) << c.what;
    EXPECT_EQ(result.status().code(), c.code) << c.what << ": " << result.status().message();
    EXPECT_NE(result.status().message().find(path_), std::string::npos) << c.what << ": " << result.status().message();
    EXPECT_NE(result.status().message().find(c.reason), std::string::npos) << c.what << ": " << result.status().message();
  }
  auto missing = readCityGml(folder_.file("nowhere.gml"), frame_, {});
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), ErrorCode::NotFound);
  EXPECT_NE(missing.status().message().find("nowhere.gml"), std::string::npos);
}

TEST_F(CityGmlReader, ABuildingWithoutSurfacesIsSkippedWithAWarning) {
  std::string content = cityGmlSample();
  const std::string empty = "<core:cityObjectMember><bldg:Building gml:id=\"E5\"><gml:name>Plot</gml:name>"
                            "</bldg:Building></core:cityObjectMember>\n</core:CityModel>";
  content.replace(content.rfind("</core:CityModel>"), std::string("</core:CityModel>").size(), empty);
  auto set = read(content);
  ASSERT_TRUE(set) << set.status().message();
  EXPECT_EQ(set->features.size(), 5u);
  EXPECT_EQ(set->skippedFeatures, 1u);
  ASSERT_FALSE(set->warnings.empty());
  EXPECT_NE(set->warnings.front().find("city/E5"), std::string::npos) << set->warnings.front();
}

}  // namespace
}  // namespace gt::connectors
